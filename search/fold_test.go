package search_test

import (
	"context"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// TestOneFold: the index and the query side fold letters alike, also those
// that do not decompose (ł, ß, æ, ø): a word, a prefix of it typed with or
// without those letters, in either case, find the same passage.
func TestOneFold(t *testing.T) {
	ix, err := indexer.NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	doc := &corpus.Document{Entry: corpus.Entry{ID: "towns", Kind: "article", Language: "en"}}
	for i, text := range []string{
		"A hearing was held in Łódź about the detainees.",
		"The Straßburger committee met the applicants.",
		"Detainees were moved to Ærøskøbing on the island.",
		"Nothing of interest.",
	} {
		doc.Passages = append(doc.Passages, corpus.Passage{ID: "towns#p-" + string(rune('1'+i)), Document: "towns",
			Unit: "p-" + string(rune('1'+i)), Order: i, Text: text, Language: "en"})
	}
	if err := ix.Apply([]indexer.Update{{Doc: doc, Key: "k"}}); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	for want, queries := range map[string][]string{
		"towns#p-1": {"Łódź", "lodz", "Łód*", "Lod*", "łód*", "LOD*"},
		"towns#p-2": {"Straß*", "strass*", "STRASS*", "straß*"},
		"towns#p-3": {"Ærø*", "aero*", "ærø*", "AERO*", "Ærøskøbing", "aeroskobing"},
	} {
		for _, q := range queries {
			res, err := s.Search(context.Background(), search.Request{Query: q, Size: 10, NoSnippets: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 || res.Hits[0].ID != want {
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				t.Errorf("%q found %v, want [%s]", q, got, want)
			}
		}
	}
}
