package search_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// decision builds a small finding whose paragraphs all mention word.
func decision(id string, paras int, word string) *corpus.Document {
	d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: "decision", Language: "en", Year: 2020}}
	for i := range paras {
		d.Passages = append(d.Passages, corpus.Passage{
			ID: fmt.Sprintf("%s#para-%d", id, i+1), Document: id, Unit: fmt.Sprintf("para-%d", i+1), Order: i,
			Text:     fmt.Sprintf("Paragraph %d of %s: the %s was considered by the Committee.", i+1, id, word),
			Language: "en",
		})
	}
	return d
}

// TestCachesFollowTheIndex: a repeated search is served from the window
// cache while the index is unchanged, and sees every change at once.
func TestCachesFollowTheIndex(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir()) // on disk: Bleve's scorch, whose epochs the caches follow
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	apply := func(u indexer.Update) {
		t.Helper()
		if err := ix.Apply([]indexer.Update{u}); err != nil {
			t.Fatal(err)
		}
	}
	apply(indexer.Update{Doc: decision("d1", 3, "polygraph"), Key: "k1"})
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := search.Request{Query: "polygraph"}
	check := func(want int, wantDoc string) {
		t.Helper()
		for range 2 { // the second is a cache hit when nothing changed
			res, err := s.Search(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if int(res.Total) != want || len(res.Hits) != want {
				t.Fatalf("total %d, %d hits; want %d", res.Total, len(res.Hits), want)
			}
			if n, _ := facetCount(res, search.FilterKind, "decision"); n != want {
				t.Fatalf("kind facet decision = %d, want %d", n, want)
			}
			found := false
			for _, h := range res.Hits {
				found = found || h.Document == wantDoc
			}
			if !found {
				t.Fatalf("no hit from %s in %v", wantDoc, ids(res.Hits))
			}
		}
	}
	check(3, "d1")
	if st := s.CacheStats(); st.WindowHits == 0 {
		t.Fatalf("a repeated search missed the window cache: %+v", st)
	}
	apply(indexer.Update{Doc: decision("d2", 2, "polygraph"), Key: "k2"})
	check(5, "d2")
	apply(indexer.Update{Remove: true, ID: "d1"})
	check(2, "d2")

	// Pages cut from one cached window never overlap, and the results a
	// caller gets are its own to change.
	apply(indexer.Update{Doc: decision("d3", 30, "polygraph"), Key: "k3"})
	seen := map[string]bool{}
	for page := 1; page <= 4; page++ {
		res, err := s.Search(ctx, search.Request{Query: "polygraph", Page: page, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Fatalf("page %d repeats %s", page, h.ID)
			}
			seen[h.ID] = true
		}
		res.Facets[search.FilterKind][0].Count = -1
	}
	if len(seen) != 32 {
		t.Fatalf("4 pages held %d passages, want 32", len(seen))
	}
	res, err := s.Search(ctx, search.Request{Query: "polygraph"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := facetCount(res, search.FilterKind, "decision"); n != 32 {
		t.Fatalf("kind facet after a caller changed its copy = %d, want 32", n)
	}
}

// TestCasesFollowTheIndex: every passage of a decision carries its case,
// read from the decision's first passage (and kept for later searches),
// and a search after the decision changed carries the new case, on each
// of its passages, and each search its own copy.
func TestCasesFollowTheIndex(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	withCase := func(outcome string) *corpus.Document {
		d := decision("d1", 4, "polygraph")
		d.Entry.Case = &corpus.Case{Name: "A v. Sweden", Communication: "1/2020", Party: "SE", Outcome: outcome}
		return d
	}
	if err := ix.Apply([]indexer.Update{{Doc: withCase("violation"), Key: "k1"}}); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	check := func(want string) *search.Results {
		t.Helper()
		res, err := s.Search(context.Background(), search.Request{Query: "polygraph", Page: 2, Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 2 {
			t.Fatalf("%d hits, want 2", len(res.Hits))
		}
		for _, h := range res.Hits {
			if h.Case == nil || h.Case.Outcome != want || h.Case.Party != "SE" {
				t.Fatalf("%s: case %+v, want outcome %s", h.ID, h.Case, want)
			}
		}
		return res
	}
	check("violation").Hits[0].Case.Outcome = "changed by a caller"
	check("violation")
	if err := ix.Apply([]indexer.Update{{Doc: withCase("no-violation"), Key: "k2"}}); err != nil {
		t.Fatal(err)
	}
	check("no-violation")
}
