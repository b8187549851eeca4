package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer"
)

// clauses lists the term and phrase clauses under q.
func clauses(q query.Query) []query.Query {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		var out []query.Query
		for _, c := range q.Disjuncts {
			out = append(out, clauses(c)...)
		}
		return out
	case *query.ConjunctionQuery:
		var out []query.Query
		for _, c := range q.Conjuncts {
			out = append(out, clauses(c)...)
		}
		return out
	case *query.TermQuery, *query.MultiPhraseQuery:
		return []query.Query{q}
	}
	return nil
}

// TestUnitsSearchEachClauseOnce: a typed word's or phrase's equivalents in
// the lexicon that analyse to a term or phrase the unit already searches
// add no clause of their own (torture, tortura and tortures all stem to
// tortur in text). Unquoted words that form a lexicon entry keep theirs.
func TestUnitsSearchEachClauseOnce(t *testing.T) {
	ix, err := indexer.NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s, err := New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"torture", `"diplomatic assurances"`, "refoulement", "tortura", `"solitary confinement"`} {
		p := s.plan(Request{Query: q})
		if len(p.expanded) == 0 && q == "torture" {
			t.Fatalf("%q: no equivalents from the lexicon; the test needs some", q)
		}
		for _, u := range p.units {
			seen := map[string]bool{}
			for _, c := range clauses(u) {
				k := clauseKey(c)
				if seen[k] {
					t.Errorf("%q: %s searched twice in one unit", q, k)
				}
				seen[k] = true
			}
		}
	}
}
