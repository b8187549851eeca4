package search

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/indexertest"
)

// asPhrase is the Bleve phrase query a proximityQuery stands for.
func asPhrase(q *proximityQuery) query.Query {
	terms := make([][]string, q.at[len(q.at)-1]+1)
	for i := range terms {
		terms[i] = []string{""} // a gap
	}
	for i, t := range q.terms {
		terms[q.at[i]] = []string{t}
	}
	mp := query.NewMultiPhraseQuery(terms, q.field)
	mp.SetBoost(q.boost)
	return mp
}

// allHits runs q over the whole index and returns every match's score
// by id, and the total.
func allHits(t *testing.T, idx bleve.Index, q query.Query) (map[string]float64, uint64) {
	t.Helper()
	res, err := idx.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 100000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]float64, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out, res.Total
}

// sameHits checks got holds the same matches as want, with the same
// scores.
func sameHits(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d matches, Bleve's phrase %d", what, len(got), len(want))
	}
	diff := 0
	for id, w := range want {
		if g, ok := got[id]; !ok || g != w {
			if diff++; diff <= 3 {
				t.Errorf("%s: %s scores %v (found %v), Bleve's phrase %v", what, id, g, ok, w)
			}
		}
	}
}

// withBlevePhrases is q with each proximityQuery in it the Bleve phrase
// it stands for.
func withBlevePhrases(t *testing.T, q query.Query, n *int) query.Query {
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, c := range qs {
			out[i] = withBlevePhrases(t, c, n)
		}
		return out
	}
	switch q := q.(type) {
	case *proximityQuery:
		*n++
		return asPhrase(q)
	case *query.BooleanQuery:
		c := *q
		for _, part := range []*query.Query{&c.Must, &c.Should, &c.MustNot, &c.Filter} {
			if *part != nil {
				*part = withBlevePhrases(t, *part, n)
			}
		}
		return &c
	case *query.ConjunctionQuery:
		c := *q
		c.Conjuncts = each(q.Conjuncts)
		return &c
	case *query.DisjunctionQuery:
		c := *q
		c.Disjuncts = each(q.Disjuncts)
		return &c
	case *notedQuery:
		return &notedQuery{main: withBlevePhrases(t, q.main, n), note: withBlevePhrases(t, q.note, n)}
	}
	return q
}

// TestProximityIsBlevePhrase checks, on the demo index, that the
// proximity clauses match and score exactly as the Bleve phrases they
// stand for: alone, and in the whole query of plain and required words
// and of quoted phrases (the same passages, the same scores).
func TestProximityIsBlevePhrase(t *testing.T) {
	s, err := New(indexertest.Demo(t).Index.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"torture AND police AND custody", "risk AND return AND country",
		"detention AND conditions AND overcrowding", "interrogation AND confession AND evidence",
		"women AND violence AND prison", "complainant AND asylum AND switzerland",
		"investigation AND prompt AND impartial", "family AND visits AND prisoners",
		"diplomatic assurances", "deportation extradition", "torture torture police",
		"real risk of torture", "+solitary +confinement prison",
		`"would not constitute"`, `"in no case"`, `"no substantial grounds"`, `"shall not be"`,
		`"would not constitute a violation" Honduras OR Guatemala`, `"diplomatic assurances" torture`,
		"deprivation of liberty", "contact with the outside world", "privación de libertad"}
	for _, text := range queries {
		p := s.plan(Request{Query: text})
		n := 0
		ref := withBlevePhrases(t, p.query, &n)
		if n == 0 {
			t.Errorf("%s: no proximity clause", text)
			continue
		}
		got, gotTotal := allHits(t, s.idx, p.query)
		want, wantTotal := allHits(t, s.idx, ref)
		if gotTotal != wantTotal {
			t.Errorf("%s: %d matches, with Bleve's phrases %d", text, gotTotal, wantTotal)
		}
		sameHits(t, text, got, want)
	}
}

// TestProximityGaps checks that a phrase whose analysis leaves out a stop
// word (a gap: "deprivation of liberty" is depriv, a gap, liberti) is a
// proximity clause too, and that alone it matches and scores exactly as
// Bleve's phrase, in every analysis of each text (some of which match
// nothing: the analyses keeping stop words).
func TestProximityGaps(t *testing.T) {
	s, err := New(indexertest.Demo(t).Index.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	gaps := 0
	for _, text := range []string{"deprivation of liberty", "contact with the outside world",
		"statements made as a result of torture", "privación de libertad", "visits from family"} {
		found := false
		for _, ph := range s.phrase(text, boostExpansion) {
			px, ok := proximityOf(ph).(*proximityQuery)
			if !ok {
				t.Errorf("%s: %v is no proximity clause", text, ph)
				continue
			}
			if px.at[len(px.at)-1] != uint64(len(px.at)-1) {
				gaps++
			}
			got, gotTotal := allHits(t, s.idx, px)
			want, wantTotal := allHits(t, s.idx, ph)
			if gotTotal != wantTotal {
				t.Errorf("%s %v: %d matches, Bleve's phrase %d", text, px.terms, gotTotal, wantTotal)
			}
			found = found || wantTotal > 0
			sameHits(t, text, got, want)
		}
		if !found {
			t.Errorf("%s: no analysis matches", text)
		}
	}
	if gaps == 0 {
		t.Error("no phrase with a gap was tried")
	}
}
