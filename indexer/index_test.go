package indexer

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/hrsearch/hrsearch/corpus"
)

func docWith(id string, units ...string) *corpus.Document {
	d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: corpus.KindArticle, Language: "en"}}
	for i, u := range units {
		d.Passages = append(d.Passages, corpus.Passage{ID: id + "#" + u, Document: id, Unit: u, Order: i,
			Text: fmt.Sprintf("passage %s of %s", u, id), Language: "en"})
	}
	return d
}

// TestApplyReplacesPassages: a document's passages that a later version
// lacks are deleted, whether that version comes in a later batch or later
// in the same one, and the manifest counts what the index holds.
func TestApplyReplacesPassages(t *testing.T) {
	ix, err := OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check := func(id string, want ...string) {
		t.Helper()
		ids, err := ix.PassageIDs(id)
		if err != nil {
			t.Fatal(err)
		}
		var wantIDs []string
		for _, u := range want {
			wantIDs = append(wantIDs, id+"#"+u)
		}
		if !slices.Equal(ids, wantIDs) {
			t.Fatalf("%s holds %v, want %v", id, ids, wantIDs)
		}
		if st, _ := ix.State(id); st.Passages != len(want) {
			t.Fatalf("manifest counts %d passages of %s, want %d", st.Passages, id, len(want))
		}
	}
	count := func(want uint64) {
		t.Helper()
		if n, err := ix.Bleve().DocCount(); err != nil || n != want {
			t.Fatalf("doc count %d, %v; want %d", n, err, want)
		}
	}
	// Two versions of a in one batch: the second wins, whole.
	err = ix.Apply([]Update{
		{Doc: docWith("a", "p-1", "p-2", "p-3"), Key: "k1"},
		{Doc: docWith("b", "p-1"), Key: "k1"},
		{Doc: docWith("a", "p-2"), Key: "k2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	check("a", "p-2")
	check("b", "p-1")
	count(2)
	// A later batch replaces a's passages with others.
	if err := ix.Apply([]Update{{Doc: docWith("a", "p-4", "p-5"), Key: "k3"}}); err != nil {
		t.Fatal(err)
	}
	check("a", "p-4", "p-5")
	count(3)
	// Removal deletes every passage; re-adding in the same batch keeps the new ones.
	if err := ix.Apply([]Update{{Remove: true, ID: "b"}, {Remove: true, ID: "a"}, {Doc: docWith("a", "p-9"), Key: "k4"}}); err != nil {
		t.Fatal(err)
	}
	check("a", "p-9")
	check("b")
	if _, ok := ix.State("b"); ok {
		t.Fatal("b is still in the manifest")
	}
	count(1)
	if _, n := ix.Documents(); n != 1 {
		t.Fatalf("Documents counts %d passages, want 1", n)
	}
}

// segments counts the segments of ix's current snapshot.
func segments(t *testing.T, ix *Index) int {
	t.Helper()
	adv, err := ix.Bleve().Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return len(r.(*scorch.IndexSnapshot).Segments())
}

// TestCompact: after a compaction the index is one segment holding the
// same passages, and it takes writes as before.
func TestCompact(t *testing.T) {
	dir := t.TempDir()
	ix, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i := range 12 { // a batch, a segment (until Bleve merges some)
		if err := ix.Apply([]Update{{Doc: docWith(fmt.Sprintf("d%d", i), "a", "b"), Key: "k"}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := segments(t, ix); n < 2 {
		t.Fatalf("%d segments before compacting: the test needs several", n)
	}
	count := func() uint64 {
		t.Helper()
		n, err := ix.Bleve().DocCount()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := segments(t, ix); n != 1 {
		t.Errorf("%d segments after compacting, want 1", n)
	}
	// The merged-away segments' files are gone when Compact returns.
	if files, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(files) != 1 {
		t.Errorf("%d segment files after compacting, want 1", len(files))
	}
	if after := count(); after != before {
		t.Errorf("%d passages after compacting, %d before", after, before)
	}
	if err := ix.Apply([]Update{{Doc: docWith("d0", "a"), Key: "k2"}}); err != nil {
		t.Fatal(err)
	}
	if ids, err := ix.PassageIDs("d0"); err != nil || !slices.Equal(ids, []string{"d0#a"}) {
		t.Errorf("d0 after a correction: %v, %v; want [d0#a]", ids, err)
	}
}
