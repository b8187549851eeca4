package search_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// cursorWalk follows Next from the first page and returns every hit's id in
// order, failing on a repeated one.
func cursorWalk(t *testing.T, s *search.Searcher, req search.Request) ([]string, uint64) {
	t.Helper()
	ctx := context.Background()
	req.NoSnippets = true
	req.Facets = []string{}
	var got []string
	seen := map[string]bool{}
	var total uint64
	for pages := 0; ; pages++ {
		res, err := s.Search(ctx, req)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		if pages == 0 {
			total = res.Total
		} else if res.Total != total {
			t.Fatalf("page %d: total %d, first page said %d", pages+1, res.Total, total)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Fatalf("page %d: %s again (after %d hits)", pages+1, h.ID, len(got))
			}
			seen[h.ID] = true
			got = append(got, h.ID)
		}
		if res.Next == "" {
			break
		}
		if len(res.Hits) == 0 {
			t.Fatalf("page %d: no hits but a next cursor", pages+1)
		}
		req.Cursor = res.Next
	}
	return got, total
}

// TestCursorWalk: following Next from the first page returns every hit
// exactly once, in the order the pages show, past MaxWindow.
func TestCursorWalk(t *testing.T) {
	s := demo(t)
	for _, tc := range []struct {
		name string
		req  search.Request
		min  int // the walk must be at least this long to test what it says
	}{
		{"relevance past the window", search.Request{Query: "torture", Size: 100}, 1000},
		{"relevance, small pages", search.Request{Query: "refoulement", Size: 7, Filters: map[string][]string{search.FilterKind: {"decision"}}}, 400},
		{"by date", search.Request{Sort: search.SortDate, Size: 100, Filters: map[string][]string{search.FilterState: {"MX"}}}, 200},
		{"browse past 10,000", search.Request{Size: 100, Filters: map[string][]string{search.FilterKind: {"decision"}}}, search.MaxWindow + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := cursorWalk(t, s, tc.req)
			if len(got) != int(total) {
				t.Fatalf("walk returned %d hits, total %d", len(got), total)
			}
			if len(got) < tc.min {
				t.Fatalf("only %d hits: the case needs at least %d", len(got), tc.min)
			}
			// The walk's first pages are the numbered pages.
			for page := 1; page <= 3 && (page-1)*tc.req.Size < min(len(got), 2*300); page++ {
				req := tc.req
				req.Page, req.NoSnippets, req.Facets = page, true, []string{}
				res := run(t, s, req)
				for i, h := range res.Hits {
					if at := (page-1)*tc.req.Size + i; got[at] != h.ID {
						t.Fatalf("page %d hit %d is %s, the walk's is %s", page, i, h.ID, got[at])
					}
				}
			}
		})
	}
}

// TestCursorBelongsToItsSearch: a cursor taken to another search is refused.
func TestCursorBelongsToItsSearch(t *testing.T) {
	s := demo(t)
	res := run(t, s, search.Request{Query: "torture", NoSnippets: true})
	if res.Next == "" {
		t.Fatal("no next cursor on the first page of a large search")
	}
	for _, req := range []search.Request{
		{Query: "asylum", Cursor: res.Next},
		{Query: "torture", Sort: search.SortDate, Cursor: res.Next},
		{Query: "torture", Cursor: "not a cursor"},
		{Query: "torture", Cursor: res.Next[:len(res.Next)/2]},
	} {
		_, err := s.Search(context.Background(), req)
		if !errors.Is(err, search.ErrBadCursor) || !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrBadCursor", req, err)
		}
	}
}

// TestCursorStale: once the index changes, a cursor issued before is
// refused with ErrStaleCursor, and a new walk works.
func TestCursorStale(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Apply([]indexer.Update{{Doc: decision("d1", 30, "polygraph"), Key: "k1"}}); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, req := range []search.Request{{Query: "polygraph", Size: 5}, {Size: 5}} {
		res, err := s.Search(ctx, req)
		if err != nil || res.Next == "" {
			t.Fatalf("%+v: %v, next %q", req, err, res.Next)
		}
		req.Cursor = res.Next
		if _, err := s.Search(ctx, req); err != nil {
			t.Fatalf("unchanged index: %v", err)
		}
		if err := ix.Apply([]indexer.Update{{Doc: decision("d"+req.Query, 2, "polygraph"), Key: "k2" + req.Query}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Search(ctx, req); !errors.Is(err, search.ErrStaleCursor) {
			t.Fatalf("after a change: err %v, want ErrStaleCursor", err)
		}
	}
}

// TestCursorFromNumberedPages: the next cursor of a numbered page, deep
// ones included (beyond the reranked window, and the last page paging
// allows), continues the results where that page ends: the numbered pages
// and the walk from the last of them hold every hit exactly once.
func TestCursorFromNumberedPages(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		req   search.Request
		pages int
	}{
		{"relevance, beyond the window", search.Request{Query: "torture", Size: 100}, 12},
		{"relevance, to the last numbered page", search.Request{Query: "torture", Size: 100}, search.MaxWindow / 100},
		{"relevance, odd size", search.Request{Query: "deportation", Size: 33}, 20},
		{"browse", search.Request{Size: 100, Filters: map[string][]string{search.FilterKind: {"decision"}}}, search.MaxWindow / 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			var next string
			var total uint64
			add := func(where string, hits []search.Hit) {
				for _, h := range hits {
					if seen[h.ID] {
						t.Fatalf("%s: %s again (after %d hits)", where, h.ID, len(seen))
					}
					seen[h.ID] = true
				}
			}
			for page := 1; page <= tc.pages; page++ {
				req := tc.req
				req.Page, req.NoSnippets, req.Facets = page, true, []string{}
				res, err := s.Search(ctx, req)
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				total = res.Total
				add("page "+strconv.Itoa(page), res.Hits)
				if res.Next == "" && uint64(page*tc.req.Size) < res.Total {
					t.Fatalf("page %d of %d hits has no next", page, res.Total)
				}
				next = res.Next
			}
			if total <= uint64(tc.pages*tc.req.Size) {
				t.Fatalf("only %d hits: the case needs more than %d", total, tc.pages*tc.req.Size)
			}
			req := tc.req
			req.NoSnippets, req.Facets = true, []string{}
			for n := 0; next != ""; n++ {
				req.Cursor = next
				res, err := s.Search(ctx, req)
				if err != nil {
					t.Fatalf("cursor page %d: %v", n+1, err)
				}
				add("cursor page "+strconv.Itoa(n+1), res.Hits)
				next = res.Next
			}
			if uint64(len(seen)) != total {
				t.Errorf("numbered pages and the walk held %d hits, total %d", len(seen), total)
			}
		})
	}
}
