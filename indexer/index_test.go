package indexer

import (
	"fmt"
	"slices"
	"testing"

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
