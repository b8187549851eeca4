package search_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// treaty builds a treaty whose articles have the given texts.
func treaty(id, instrument string, texts ...string) *corpus.Document {
	d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: corpus.KindTreaty, Language: "en", Title: "The " + id}}
	for i, text := range texts {
		d.Passages = append(d.Passages, corpus.Passage{
			ID: fmt.Sprintf("%s#art-%d", id, i+1), Document: id, Unit: fmt.Sprintf("art-%d", i+1), Order: i + 1,
			Heading: fmt.Sprintf("Article %d", i+1), Text: text, Language: "en", Instrument: instrument,
		})
	}
	corpus.Enrich(d)
	return d
}

// TestDefinitionOpensTheResults: the provision defining the term a query
// names comes first, although it is long and Bleve ranks shorter passages
// using the word far above it (here below both the window of findings and
// the best 200 provisions), and only when it matches the query's filters.
func TestDefinitionOpensTheResults(t *testing.T) {
	ix, err := indexer.NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	long := "For the purposes of this Charter, the term \"lantern\" means any portable light. " +
		strings.Repeat("It includes devices of every size, shape, fuel and colour, whoever carries them. ", 30)
	var many []string
	for i := range 250 {
		many = append(many, fmt.Sprintf("Rule %d: every lantern shall be lit; a lantern is a lantern.", i))
	}
	docs := []*corpus.Document{treaty("charter", "XCH", long, "Keepers shall trim the wicks."),
		treaty("code", "XCO", many...), decision("finding", 400, "lantern lantern")}
	if got := docs[0].Passages[0].Defines; len(got) != 1 || got[0] != "lantern" {
		t.Fatalf("charter#art-1 defines %q, want [lantern]", got)
	}
	var us []indexer.Update
	for _, d := range docs {
		us = append(us, indexer.Update{Doc: d, Key: d.ID})
	}
	if err := ix.Apply(us); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	search1 := func(req search.Request) []string {
		t.Helper()
		req.Size, req.NoSnippets = 10, true
		res, err := s.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return ids(res.Hits)
	}
	for _, q := range []string{"lantern", "Lanterns", "definition of lantern", "what is a lantern"} {
		if got := search1(search.Request{Query: q}); len(got) == 0 || got[0] != "charter#art-1" {
			t.Errorf("%q: first %v, want charter#art-1 first", q, got)
		}
	}
	for _, req := range []search.Request{
		{Query: "lantern", Filters: map[string][]string{search.FilterKind: {"decision"}}},
		{Query: "lantern -portable"},
		{Query: "lantern wicks"}, // not the term alone
	} {
		for _, id := range search1(req) {
			if id == "charter#art-1" {
				t.Errorf("%+v: charter#art-1 among the first 10: %v", req, search1(req))
			}
		}
	}
}
