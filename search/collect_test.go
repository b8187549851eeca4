package search_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/search"
)

// sameAsBleve runs each request on two searchers of idx, one counting
// facets from the facet columns and one with Bleve's collector, and fails
// on any difference in what a caller gets: total, facets, hits, scores.
func sameAsBleve(t *testing.T, idx bleve.Index, reqs []search.Request) {
	t.Helper()
	columns, err := search.New(idx, search.WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	reference, err := search.New(idx, search.WithWindowCache(0), search.WithBleveFacets())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, req := range reqs {
		req.NoSnippets = true
		searchWith := func(s *search.Searcher) *search.Results {
			res, err := s.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			res.Took = 0
			return res
		}
		// A merge between the two searches renumbers the matches, and
		// with them the order of equal scores: compare results the
		// reference gave twice, before and after.
		var got, want *search.Results
		for range 5 {
			want = searchWith(reference)
			got = searchWith(columns)
			if reflect.DeepEqual(want, searchWith(reference)) {
				break
			}
		}
		if got.Total != want.Total {
			t.Errorf("%+v: total %d, Bleve's collector %d", req, got.Total, want.Total)
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%+v: facets\n %v\nBleve's collector\n %v", req, got.Facets, want.Facets)
		}
		if !reflect.DeepEqual(got.Hits, want.Hits) {
			t.Errorf("%+v: hits %v\nBleve's collector %v", req, ids(got.Hits), ids(want.Hits))
		}
	}
}

// TestFacetColumnsMatchBleve: on the demo index (many segments), every
// kind of relevance search returns what Bleve's own collector returns.
func TestFacetColumnsMatchBleve(t *testing.T) {
	d := indexertest.Demo(t)
	var reqs []search.Request
	for _, q := range []string{"torture", "polygraph", `"diplomatic assurances"`, "asylum OR refugee OR deportation",
		"torture AND police AND custody", "CAT article 3", "detent*", "El Salvador", "tortura", "zzzunknownword",
		"what has the committee said about sending people back to face torture"} {
		reqs = append(reqs, search.Request{Query: q}, search.Request{Query: q, Page: 3, Size: 20},
			search.Request{Query: q, Page: 50, Size: 10}) // deeper than the window
	}
	reqs = append(reqs,
		search.Request{Query: "detention", Filters: map[string][]string{search.FilterKind: {"decision"}}},
		search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {"Sweden", "Switzerland"}}, FacetSize: 1000},
		search.Request{Query: "return", Facets: []string{search.FilterDocument, search.FilterSymbol}, FacetSize: 50},
		search.Request{Query: "state", Facets: []string{}},
	)
	sameAsBleve(t, d.Index.Bleve(), reqs)
}

// TestFacetColumnsFollowChanges: values of replaced and removed passages
// stop counting, and new segments are read, as the index changes.
func TestFacetColumnsFollowChanges(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s, err := search.New(ix.Bleve(), search.WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	reqs := []search.Request{{Query: "polygraph"}, {Query: "polygraph", Facets: []string{search.FilterDocument}}}
	for i := range 6 {
		id := fmt.Sprintf("d%d", i)
		d := decision(id, 3+i, "polygraph")
		d.Year = 2010 + i
		if err := ix.Apply([]indexer.Update{{Doc: d, Key: id}}); err != nil {
			t.Fatal(err)
		}
		sameAsBleve(t, ix.Bleve(), reqs)
	}
	// Passages of equal score beyond the window: which of them it holds
	// follows Bleve's tie-break (the earlier match first).
	if err := ix.Apply([]indexer.Update{{Doc: decision("big", 2*300, "polygraph"), Key: "big"}}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply([]indexer.Update{{Doc: decision("big2", 50, "polygraph, a polygraph"), Key: "big2"}}); err != nil {
		t.Fatal(err)
	}
	sameAsBleve(t, ix.Bleve(), []search.Request{{Query: "polygraph", Size: 100}, {Query: "polygraph", Size: 100, Page: 3},
		{Query: "polygraph", Size: 100, Page: 4}})
	if err := ix.Apply([]indexer.Update{{Remove: true, ID: "big"}, {Remove: true, ID: "big2"}}); err != nil {
		t.Fatal(err)
	}

	// d1 now has other years and fewer passages; d2 is gone.
	d := decision("d1", 2, "polygraph")
	d.Year = 1999
	if err := ix.Apply([]indexer.Update{{Doc: d, Key: "d1b"}, {Remove: true, ID: "d2"}}); err != nil {
		t.Fatal(err)
	}
	sameAsBleve(t, ix.Bleve(), reqs)
	res, err := s.Search(context.Background(), search.Request{Query: "polygraph"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := facetCount(res, search.FilterYear, "1999"); n != 2 {
		t.Errorf("year 1999 counts %d passages, want the 2 of the corrected d1", n)
	}
	if n, ok := facetCount(res, search.FilterYear, "2012"); ok {
		t.Errorf("year 2012 counts %d passages, want none: its only document was removed", n)
	}
	if want := 3 + 2 + 6 + 7 + 8; int(res.Total) != want {
		t.Errorf("total %d, want %d", res.Total, want)
	}
}
