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

// searchers returns two searchers of idx without the window cache: one
// walking the matches itself, one collecting with Bleve (the reference).
func searchers(t *testing.T, idx bleve.Index) (walk, reference *search.Searcher) {
	t.Helper()
	walk, err := search.New(idx, search.WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	reference, err = search.New(idx, search.WithWindowCache(0), search.WithBleveCollector())
	if err != nil {
		t.Fatal(err)
	}
	return walk, reference
}

// sameAsBleve runs each request on both searchers and fails on any
// difference in what a caller gets: total, facets, hits, scores.
func sameAsBleve(t *testing.T, walk, reference *search.Searcher, reqs []search.Request) {
	t.Helper()
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
		// with them the order of equal scores: compare with results the
		// reference gave twice, before and after.
		var got, want *search.Results
		stable := false
		for range 5 {
			want = searchWith(reference)
			got = searchWith(walk)
			if stable = reflect.DeepEqual(want, searchWith(reference)); stable {
				break
			}
		}
		if !stable {
			t.Fatalf("%+v: the reference's results changed between searches 5 times: the index kept changing", req)
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
		"what has the committee said about sending people back to face torture",
		// Phrases with a removed stop word inside, first and last; words
		// of one lexicon entry required; a phrase required beside a word.
		`"deprivation of liberty"`, `"the right to seek asylum"`, `"conditions of"`, "family AND visits AND prisoners",
		`+"solitary confinement" prisoners`, "solitary confinement -isolation"} {
		reqs = append(reqs, search.Request{Query: q}, search.Request{Query: q, Page: 3, Size: 20},
			search.Request{Query: q, Page: 50, Size: 10}) // deeper than the window
	}
	reqs = append(reqs,
		search.Request{Query: "detention", Filters: map[string][]string{search.FilterKind: {"decision"}}},
		search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {"Sweden", "Switzerland"}}, FacetSize: 1000},
		search.Request{Query: "return", Facets: []string{search.FilterDocument, search.FilterSymbol}, FacetSize: 50},
		search.Request{Query: "state", Facets: []string{}},
		// Sorted by date, and browsing without a query: the walk counts
		// the facets of Bleve's sorted page.
		search.Request{Query: "torture", Sort: search.SortDate},
		search.Request{Filters: map[string][]string{search.FilterArticle: {"CAT 3"}}},
		search.Request{Filters: map[string][]string{search.FilterState: {"SV"}}, Page: 2, FacetSize: 50},
	)
	walk, reference := searchers(t, d.Index.Bleve())
	sameAsBleve(t, walk, reference, reqs)
}

// TestFacetColumnsFollowChanges: values of replaced and removed passages
// stop counting, and new segments are read, as the index changes.
func TestFacetColumnsFollowChanges(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The same searchers throughout: their columns must follow the index.
	s, reference := searchers(t, ix.Bleve())
	reqs := []search.Request{{Query: "polygraph"}, {Query: "polygraph", Facets: []string{search.FilterDocument}}}
	for i := range 6 {
		id := fmt.Sprintf("d%d", i)
		d := decision(id, 3+i, "polygraph")
		d.Year = 2010 + i
		if err := ix.Apply([]indexer.Update{{Doc: d, Key: id}}); err != nil {
			t.Fatal(err)
		}
		sameAsBleve(t, s, reference, reqs)
	}
	// Passages of equal score beyond the window: which of them it holds
	// follows Bleve's tie-break (the earlier match first).
	if err := ix.Apply([]indexer.Update{{Doc: decision("big", 2*300, "polygraph"), Key: "big"}}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply([]indexer.Update{{Doc: decision("big2", 50, "polygraph, a polygraph"), Key: "big2"}}); err != nil {
		t.Fatal(err)
	}
	sameAsBleve(t, s, reference, []search.Request{{Query: "polygraph", Size: 100}, {Query: "polygraph", Size: 100, Page: 3},
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
	sameAsBleve(t, s, reference, reqs)
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

// TestWindowDepths: pages within the window, past it, and past what the
// window cache keeps of a deep window, in any order, give what an uncached
// search gives, and pages never overlap.
func TestWindowDepths(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// One batch, one segment: no merge renumbers the passages, whose equal
	// scores keep the order of their numbers, between the searches (the
	// window cache follows the index, but two searches on two snapshots
	// may order equal scores differently).
	var batch []indexer.Update
	for i, n := range []int{1500, 40, 7} {
		id := fmt.Sprintf("d%d", i)
		batch = append(batch, indexer.Update{Doc: decision(id, n, "polygraph"), Key: id})
	}
	if err := ix.Apply(batch); err != nil {
		t.Fatal(err)
	}
	cached, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	uncached, err := search.New(ix.Bleve(), search.WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seen := map[string]int{}
	for _, page := range []int{1, 50, 2, 130, 3, 70, 150, 4} { // 10 a page: 1,547 matches
		req := search.Request{Query: "polygraph", Page: page, NoSnippets: true}
		got, err := cached.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := uncached.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ids(got.Hits), ids(want.Hits)) {
			t.Errorf("page %d with the window cache %v, without %v", page, ids(got.Hits), ids(want.Hits))
		}
		if len(got.Hits) != 10 {
			t.Errorf("page %d has %d hits, want 10", page, len(got.Hits))
		}
		for _, h := range got.Hits {
			if p, ok := seen[h.ID]; ok {
				t.Errorf("%s on pages %d and %d", h.ID, p, page)
			}
			seen[h.ID] = page
		}
	}
}

// TestWalkEdges: an empty index answers nothing, a closed one an error,
// and a cancelled search stops: none of them panics.
func TestWalkEdges(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve(), search.WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(context.Background(), search.Request{Query: "polygraph"})
	if err != nil || res.Total != 0 || len(res.Hits) != 0 {
		t.Fatalf("empty index: %v, %+v", err, res)
	}
	if err := ix.Apply([]indexer.Update{{Doc: decision("d1", 3, "polygraph"), Key: "d1"}}); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(cancelled, search.Request{Query: "polygraph"}); err == nil {
		t.Error("a cancelled search returned results")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Search(context.Background(), search.Request{Query: "polygraph"}); err == nil {
		t.Error("a search of a closed index returned results")
	}
}

// TestDeepPagesMatchBleve: a numbered page beyond the reranked window
// holds what Bleve's sort by score, document and position gives (the
// cursor's order), where many matches tie on their score and the index
// numbers them otherwise than that order, and on the demo index.
func TestDeepPagesMatchBleve(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// One segment (no merge renumbers the matches between searches); the
	// documents in reverse order of their ids, so that the index's numbers
	// do not follow the order of documents.
	var batch []indexer.Update
	for i, n := range []int{400, 1500, 40, 7} {
		id := fmt.Sprintf("d%d", 4-i)
		batch = append(batch, indexer.Update{Doc: decision(id, n, "polygraph"), Key: id})
	}
	if err := ix.Apply(batch); err != nil {
		t.Fatal(err)
	}
	var reqs []search.Request
	for _, page := range []int{31, 32, 50, 97, 130, 195, 196, 300} {
		reqs = append(reqs, search.Request{Query: "polygraph", Page: page, Facets: []string{}})
	}
	reqs = append(reqs, search.Request{Query: "polygraph", Page: 14, Size: 33, Facets: []string{}})
	walk, reference := searchers(t, ix.Bleve())
	sameAsBleve(t, walk, reference, reqs)

	reqs = nil
	for _, q := range []string{"torture", "detention", "state", "committee", "deportation extradition", "CAT article 3"} {
		for _, page := range []int{31, 50, 120} {
			reqs = append(reqs, search.Request{Query: q, Page: page, Facets: []string{}})
		}
	}
	reqs = append(reqs, search.Request{Query: "torture", Page: 40, Filters: map[string][]string{search.FilterKind: {"decision"}}})
	walk, reference = searchers(t, indexertest.Demo(t).Index.Bleve())
	sameAsBleve(t, walk, reference, reqs)
}
