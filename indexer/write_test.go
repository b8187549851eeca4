package indexer

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// manifestOf reopens nothing: it reads what ix's manifest says now.
func manifestOf(ix *Index) map[string]DocState {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return maps.Clone(ix.manifest)
}

func reopen(t *testing.T, ix *Index, dir string) *Index {
	t.Helper()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func deltaKeys(t *testing.T, ix *Index) []uint64 {
	t.Helper()
	var out []uint64
	for n := range uint64(64) {
		b, err := ix.idx.GetInternal(deltaKey(n))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// TestDeltasInFlight: batches written two at a time each carry their
// documents' states; a reopened index reads them without a rewrite of the
// manifest, and a later rewrite folds them in and deletes them. Batches
// changing the same document are written one after the other.
func TestDeltasInFlight(t *testing.T) {
	dir := t.TempDir()
	ix, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }() // the last one reopened
	if err := ix.Apply([]Update{{Doc: docWith("a", "p-1"), Key: "a1"}, {Doc: docWith("z", "p-1"), Key: "z1"}}); err != nil {
		t.Fatal(err)
	}
	sent := []<-chan error{
		ix.applyAsync([]Update{{Doc: docWith("b", "p-1", "p-2"), Key: "b1"}}),
		ix.applyAsync([]Update{{Doc: docWith("c", "p-1"), Key: "c1"}, {Remove: true, ID: "z"}}),
		// b again while its first version may be in flight: its old
		// passages must be known before this batch is built.
		ix.applyAsync([]Update{{Doc: docWith("b", "p-3"), Key: "b2"}}),
		ix.applyAsync([]Update{{Remove: true, ID: "a"}}),
	}
	for _, done := range sent {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]DocState{
		"b": {Key: "b2", Passages: 1},
		"c": {Key: "c1", Passages: 1},
	}
	if got := manifestOf(ix); !maps.Equal(got, want) {
		t.Fatalf("manifest %v, want %v", got, want)
	}
	if got := deltaKeys(t, ix); !slices.Equal(got, []uint64{0, 1, 2, 3}) {
		t.Fatalf("delta keys %v, want 0-3", got)
	}

	// A crash now: the deltas are what the manifest says.
	ix = reopen(t, ix, dir)
	if got := manifestOf(ix); !maps.Equal(got, want) {
		t.Fatalf("reopened: manifest %v, want %v", got, want)
	}
	if ids, err := ix.PassageIDs("b"); err != nil || !slices.Equal(ids, []string{"b#p-3"}) {
		t.Fatalf("b holds %v, %v; want only its second version", ids, err)
	}
	if n, err := ix.Bleve().DocCount(); err != nil || n != 2 {
		t.Fatalf("doc count %d, %v; want 2", n, err)
	}

	// A rewrite folds the deltas in, and the next delta follows them.
	if err := ix.foldDeltas(); err != nil {
		t.Fatal(err)
	}
	if got := deltaKeys(t, ix); len(got) != 0 {
		t.Fatalf("delta keys %v after the rewrite", got)
	}
	if err := <-ix.applyAsync([]Update{{Doc: docWith("d", "p-1"), Key: "d1"}}); err != nil {
		t.Fatal(err)
	}
	if got := deltaKeys(t, ix); !slices.Equal(got, []uint64{4}) {
		t.Fatalf("delta keys %v, want [4]", got)
	}
	want["d"] = DocState{Key: "d1", Passages: 1}
	ix = reopen(t, ix, dir)
	if got := manifestOf(ix); !maps.Equal(got, want) {
		t.Fatalf("reopened after the rewrite: manifest %v, want %v", got, want)
	}
}

// TestDeltaAfterAGap: a batch lost in a crash leaves a gap among the
// deltas; the ones after it are read all the same, and new deltas go after
// the last.
func TestDeltaAfterAGap(t *testing.T) {
	dir := t.TempDir()
	ix, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }() // the last one reopened
	put := func(n uint64, d map[string]DocState) {
		b, _ := json.Marshal(d)
		if err := ix.idx.SetInternal(deltaKey(n), b); err != nil {
			t.Fatal(err)
		}
	}
	put(0, map[string]DocState{"a": {Key: "a1", Passages: 2}})
	put(2, map[string]DocState{"b": {Key: "b1", Passages: 1}, "a": {Key: removed}})
	put(2+deltaProbe+1, map[string]DocState{"c": {Key: "c1", Passages: 1}}) // past the probe: never a batch's
	ix = reopen(t, ix, dir)
	want := map[string]DocState{"b": {Key: "b1", Passages: 1}}
	if got := manifestOf(ix); !maps.Equal(got, want) {
		t.Fatalf("manifest %v, want %v", got, want)
	}
	ix.mu.Lock()
	seq := ix.w.seq
	ix.mu.Unlock()
	if seq != 3 {
		t.Fatalf("next delta %d, want 3", seq)
	}
}

// TestWriteRefusals: an update with neither a document nor a removal is
// refused and leaves the index usable; after a batch fails, every write is
// refused until the index is reopened.
func TestWriteRefusals(t *testing.T) {
	ix, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply([]Update{{ID: "x"}}); !errors.Is(err, corpus.ErrInvalid) {
		t.Fatalf("an empty update: %v, want ErrInvalid", err)
	}
	if err := ix.Apply([]Update{{Doc: docWith("a", "p-1"), Key: "a1"}}); err != nil {
		t.Fatalf("a write after a refused one: %v", err)
	}
	ix.Bleve().Close() // Bleve's next batch fails
	if err := ix.Apply([]Update{{Doc: docWith("b", "p-1"), Key: "b1"}}); err == nil {
		t.Fatal("a write to a closed index succeeded")
	}
	if err := <-ix.applyAsync([]Update{{Doc: docWith("c", "p-1"), Key: "c1"}}); !errors.Is(err, ErrWriteFailed) {
		t.Fatalf("a write after a failed one: %v, want ErrWriteFailed", err)
	}
	if _, ok := ix.State("a"); !ok {
		t.Fatal("the manifest lost a")
	}
}

// TestFailedRewriteWakesDeltas: a rewrite that cannot be built stops
// waiting, and the delta writers it held back go on.
func TestFailedRewriteWakesDeltas(t *testing.T) {
	ix, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	ix.mu.Lock()
	ix.w.inflight = 1 // a batch in flight: the rewrite must wait
	ix.mu.Unlock()
	noID := &corpus.Document{Entry: corpus.Entry{ID: "bad"}, Passages: []corpus.Passage{{ID: ""}}}
	rewrite := make(chan error, 1)
	go func() { rewrite <- ix.Apply([]Update{{Doc: noID, Key: "k"}}) }()
	waitFor := func(cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			ix.mu.Lock()
			ok := cond()
			ix.mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("timed out")
			}
		}
	}
	waitFor(func() bool { return ix.w.waiting == 1 })
	delta := make(chan (<-chan error), 1)
	go func() { delta <- ix.applyAsync([]Update{{Doc: docWith("d", "p-1"), Key: "d1"}}) }()
	time.Sleep(20 * time.Millisecond) // most often, the delta writer is waiting by now
	ix.mu.Lock()
	ix.w.inflight = 0 // the batch in flight ends
	ix.changed.Broadcast()
	ix.mu.Unlock()
	if err := <-rewrite; err == nil {
		t.Fatal("a passage without an id was indexed")
	}
	select {
	case done := <-delta:
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the delta writer was never woken")
	}
}
