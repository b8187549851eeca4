package indexer

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// settledSegments waits until Bleve's merger has planned its merges at the
// index's latest snapshot, and returns how many segments that has.
func settledSegments(t *testing.T, ix *Index) int {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	sc := adv.(*scorch.Scorch)
	for deadline := time.Now().Add(20 * time.Second); ; {
		m := sc.StatsMap()
		if m["LastMergedEpoch"] == m["CurRootEpoch"] {
			n, err := countSegments(sc)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the merger did not catch up: %v", m)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestImportLeavesMergingToCompact: an index opened for an import keeps
// the segments its batches write, for Compact to merge into one in a
// single step, where one opened as usual merges them as they come (Bleve
// merges a tier of more than 10 segments of the same size), copying them
// once more before Compact copies them all.
func TestImportLeavesMergingToCompact(t *testing.T) {
	const batches = 24
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			ix, err := openIndex(filepath.Join(t.TempDir(), "index"), bulk)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			for i := range batches {
				id := fmt.Sprintf("d%02d", i)
				if err := ix.Apply([]Update{{Doc: docWith(id, "p-1", "p-2"), Key: id}}); err != nil {
					t.Fatal(err)
				}
			}
			n := settledSegments(t, ix)
			switch {
			case bulk && n != batches:
				t.Errorf("%d segments after %d batches: Bleve merged some during the import", n, batches)
			case !bulk && n >= batches:
				t.Errorf("%d segments after %d batches: Bleve merged none (the test shows nothing)", n, batches)
			}
			if err := ix.Compact(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n, err := ix.idx.DocCount(); err != nil || n != 2*batches {
				t.Fatalf("%d passages, %v; want %d", n, err, 2*batches)
			}
			if n := settledSegments(t, ix); n != 1 {
				t.Errorf("%d segments after Compact, want 1", n)
			}
		})
	}
}
