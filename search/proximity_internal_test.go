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
	terms := make([][]string, len(q.terms))
	for i, t := range q.terms {
		terms[i] = []string{t}
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

// TestProximityIsBlevePhrase checks, on the demo index, that the
// proximity clause matches and scores exactly as the Bleve phrase it
// stands for: alone, and in the whole query of plain and required words
// (the same passages, the same scores).
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
		"real risk of torture", "+solitary +confinement prison"}
	phrases := 0
	for _, text := range queries {
		p := s.plan(Request{Query: text})
		bq, ok := p.query.(*query.BooleanQuery)
		if !ok || bq.Should == nil {
			t.Errorf("%s: no proximity clause", text)
			continue
		}
		should := bq.Should.(*query.DisjunctionQuery)
		ref := *bq
		refShould := *should
		refShould.Disjuncts = nil
		for _, d := range should.Disjuncts {
			if pq, ok := d.(*proximityQuery); ok {
				phrases++
				got, _ := allHits(t, s.idx, pq)
				want, _ := allHits(t, s.idx, asPhrase(pq))
				sameHits(t, text+" "+pq.field+":"+String(Term{Text: pq.terms[0]}), got, want)
				d = asPhrase(pq)
			}
			refShould.Disjuncts = append(refShould.Disjuncts, d)
		}
		ref.Should = &refShould
		got, gotTotal := allHits(t, s.idx, bq)
		want, wantTotal := allHits(t, s.idx, &ref)
		if gotTotal != wantTotal {
			t.Errorf("%s: %d matches, with Bleve's phrase %d", text, gotTotal, wantTotal)
		}
		sameHits(t, text, got, want)
	}
	if phrases < len(queries) {
		t.Errorf("%d proximity clauses in %d queries", phrases, len(queries))
	}
}
