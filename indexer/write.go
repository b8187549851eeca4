package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// Writes and the manifest.
//
// Every batch carries, in Bleve internal keys written atomically with its
// passages, the state of the documents it changes, so the manifest never
// disagrees with the passages after a crash. The manifest is kept as
//
//	hrsearch/manifest      every document's state when it was last rewritten
//	hrsearch/manifest-seq  the sequence number of the first delta after it
//	hrsearch/manifest/<n>  a delta: the state of the documents batch n changed
//
// A bulk import writes deltas so that it can have two batches in flight:
// while Bleve builds one batch's segment (on one core) and waits for its
// fsync, the next batch is analysed. Batches in flight change disjoint
// documents, so their deltas hold whatever order Bleve lands them in, and a
// crash loses whole batches, each with its delta. Apply, and the end of a
// bulk import, rewrite the whole manifest and delete the deltas, alone.
var (
	manifestKey    = []byte("hrsearch/manifest")
	manifestSeqKey = []byte("hrsearch/manifest-seq")
)

func deltaKey(n uint64) []byte { return fmt.Appendf(nil, "hrsearch/manifest/%016d", n) }

// maxInFlight bounds a bulk import's batches being written at once.
const maxInFlight = 2

// deltaProbe is how many missing deltas in a row end the manifest's
// reading. A missing delta is a batch that was in flight at a crash or
// failed (after which the index takes no writes until it is reopened), so
// a gap is at most maxInFlight long; the margin costs a map lookup each.
const deltaProbe = 8

// writeState is what Index.mu guards for writers.
type writeState struct {
	inflight  int             // batches being written
	exclusive bool            // the batch being written rewrites the manifest
	waiting   int             // writers waiting to rewrite the manifest
	writing   map[string]bool // documents of the batches being written
	seq       uint64          // the next delta's sequence number
	deltas    []uint64        // deltas written since the manifest was rewritten
	failed    error           // the first write that failed: no more writes
}

func newIndex(idx bleve.Index) *Index {
	ix := &Index{idx: idx, manifest: make(map[string]DocState)}
	ix.changed = sync.NewCond(&ix.mu)
	ix.w.writing = make(map[string]bool)
	return ix
}

// loadManifest reads the manifest and the deltas after it.
func (ix *Index) loadManifest() error {
	b, err := ix.idx.GetInternal(manifestKey)
	if err != nil {
		return fmt.Errorf("reading manifest: %w", err)
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &ix.manifest); err != nil {
			return fmt.Errorf("reading manifest: %w", err)
		}
	}
	if b, err = ix.idx.GetInternal(manifestSeqKey); err != nil {
		return fmt.Errorf("reading manifest: %w", err)
	}
	if len(b) > 0 {
		if ix.w.seq, err = strconv.ParseUint(string(b), 10, 64); err != nil {
			return fmt.Errorf("reading manifest: %w", err)
		}
	}
	for n, missing := ix.w.seq, 0; missing < deltaProbe; n++ {
		b, err := ix.idx.GetInternal(deltaKey(n))
		if err != nil {
			return fmt.Errorf("reading manifest delta %d: %w", n, err)
		}
		if len(b) == 0 {
			missing++
			continue
		}
		missing = 0
		var delta map[string]DocState
		if err := json.Unmarshal(b, &delta); err != nil {
			return fmt.Errorf("reading manifest delta %d: %w", n, err)
		}
		applyDelta(ix.manifest, delta)
		ix.w.deltas = append(ix.w.deltas, n)
		ix.w.seq = n + 1
	}
	return nil
}

// removed marks a document's removal in a delta.
const removed = "-"

func applyDelta(manifest, delta map[string]DocState) {
	for id, s := range delta {
		if s.Key == removed {
			delete(manifest, id)
		} else {
			manifest[id] = s
		}
	}
}

// Update is one document's change: its new passages (Remove false), or its
// removal.
type Update struct {
	Doc    *corpus.Document
	Key    string
	Origin string
	Remove bool
	ID     string // for removals
}

func (u *Update) id() string {
	if u.Doc != nil {
		return u.Doc.ID
	}
	return u.ID
}

// Apply writes updates in one batch: a document's old passages that are not
// among its new ones are deleted, the new ones indexed, and the manifest
// rewritten, atomically. Apply returns after the batch is durable.
func (ix *Index) Apply(updates []Update) error {
	return <-ix.write(updates, true)
}

// foldDeltas rewrites the manifest if deltas were written since it was.
func (ix *Index) foldDeltas() error {
	ix.mu.Lock()
	n := len(ix.w.deltas)
	ix.mu.Unlock()
	if n == 0 {
		return nil
	}
	return ix.Apply(nil)
}

// applyAsync starts writing updates as one batch with a delta of the
// manifest, once fewer than maxInFlight batches are being written and none
// of them changes the same documents. The channel gets the batch's result
// when it is durable.
func (ix *Index) applyAsync(updates []Update) <-chan error {
	return ix.write(updates, false)
}

func (ix *Index) write(updates []Update, rewrite bool) <-chan error {
	done := make(chan error, 1)
	w, err := ix.start(updates, rewrite)
	if err != nil {
		done <- err
		return done
	}
	if rewrite {
		done <- ix.finish(w)
	} else {
		go func() { done <- ix.finish(w) }()
	}
	return done
}

// pendingWrite is a batch handed to Bleve, with what it changes.
type pendingWrite struct {
	b       *bleve.Batch
	updates []Update
	delta   map[string]DocState
	rewrite bool
	seq     uint64 // of its delta, when it is not a rewrite
}

// ErrWriteFailed is returned by every write after one failed: Bleve may
// still persist the failed batch, so the manifest is known again only when
// the index is reopened.
var ErrWriteFailed = errors.New("an earlier write to the index failed; reopen it")

// start waits for the batch's turn, builds it and counts it in flight.
func (ix *Index) start(updates []Update, rewrite bool) (*pendingWrite, error) {
	for _, u := range updates {
		if u.Doc == nil && !u.Remove {
			return nil, fmt.Errorf("%w: an update of %q with neither a document nor a removal", corpus.ErrInvalid, u.ID)
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if rewrite {
		ix.w.waiting++
		defer func() {
			ix.w.waiting--
			ix.changed.Broadcast() // delta writers may wait for no rewrite to be waiting
		}()
	}
	for ix.w.failed == nil && !ix.mayWrite(updates, rewrite) {
		ix.changed.Wait()
	}
	if ix.w.failed != nil {
		return nil, fmt.Errorf("%w: %w", ErrWriteFailed, ix.w.failed)
	}
	b, delta, err := ix.batch(updates)
	if err != nil {
		return nil, err
	}
	w := &pendingWrite{b: b, updates: updates, delta: delta, rewrite: rewrite}
	if rewrite {
		manifest := maps.Clone(ix.manifest)
		applyDelta(manifest, delta)
		mb, err := json.Marshal(manifest)
		if err != nil {
			return nil, err
		}
		b.SetInternal(manifestKey, mb)
		b.SetInternal(manifestSeqKey, []byte(strconv.FormatUint(ix.w.seq, 10)))
		for _, n := range ix.w.deltas {
			b.DeleteInternal(deltaKey(n))
		}
		ix.w.exclusive = true
	} else {
		db, err := json.Marshal(delta)
		if err != nil {
			return nil, err
		}
		w.seq = ix.w.seq
		ix.w.seq++
		b.SetInternal(deltaKey(w.seq), db)
	}
	ix.w.inflight++
	for _, u := range updates {
		ix.w.writing[u.id()] = true
	}
	return w, nil
}

// finish writes a started batch and records what it changed.
func (ix *Index) finish(w *pendingWrite) error {
	err := ix.idx.Batch(w.b)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	defer ix.changed.Broadcast()
	ix.w.inflight--
	for _, u := range w.updates {
		delete(ix.w.writing, u.id())
	}
	if w.rewrite {
		ix.w.exclusive = false
	}
	if err != nil {
		if ix.w.failed == nil {
			ix.w.failed = err
		}
		return fmt.Errorf("writing batch: %w", err)
	}
	applyDelta(ix.manifest, w.delta)
	if w.rewrite {
		ix.w.deltas = nil
	} else {
		ix.w.deltas = append(ix.w.deltas, w.seq)
	}
	return nil
}

// mayWrite reports whether a batch of updates may start now: a rewrite of
// the manifest writes alone, and waiting rewrites go before new deltas.
func (ix *Index) mayWrite(updates []Update, rewrite bool) bool {
	w := &ix.w
	if w.exclusive {
		return false
	}
	if rewrite {
		return w.inflight == 0
	}
	if w.inflight >= maxInFlight || w.waiting > 0 {
		return false
	}
	for _, u := range updates {
		if w.writing[u.id()] {
			return false
		}
	}
	return true
}

// batch builds the Bleve batch of updates and the manifest delta it makes.
// Called with ix.mu held and no batch in flight changing these documents.
func (ix *Index) batch(updates []Update) (*bleve.Batch, map[string]DocState, error) {
	b := ix.idx.NewBatch()
	delta := make(map[string]DocState, len(updates))
	pending := make(map[string][]string, len(updates))
	for _, u := range updates {
		id := u.id()
		// The passages indexed now: by earlier updates of this batch, or in
		// the index. Those not kept are deleted.
		old, inBatch := pending[id]
		if _, indexed := ix.manifest[id]; (indexed || u.Remove) && !inBatch {
			var err error
			if old, err = ix.passageIDs(id); err != nil {
				return nil, nil, err
			}
		}
		keep := make(map[string]bool)
		var ids []string
		if !u.Remove {
			for i := range u.Doc.Passages {
				p := &u.Doc.Passages[i]
				d, err := schema.NewDocument(ix.idx.Mapping(), p.ID, schema.SetEntered(schema.Document(&u.Doc.Entry, p), u.Doc.Entered))
				if err == nil {
					err = b.IndexAdvanced(d)
				}
				if err != nil {
					return nil, nil, fmt.Errorf("indexing %s: %w", p.ID, err)
				}
				keep[p.ID] = true
				ids = append(ids, p.ID)
			}
			delta[id] = DocState{Key: u.Key, Origin: u.Origin, Passages: len(ids)}
		} else {
			delta[id] = DocState{Key: removed}
		}
		pending[id] = ids
		for _, pid := range old {
			if !keep[pid] {
				b.Delete(pid)
			}
		}
	}
	return b, delta, nil
}

// BatchWriter groups updates into batches bounded by passages and bytes,
// and has up to maxInFlight of them written at once: the path of bulk
// imports. One goroutine uses it; Flush ends its work.
type BatchWriter struct {
	ix *Index
	// before runs before each batch is indexed: the store's staged writes
	// are committed first.
	before  func() error
	pending []Update
	n, size int
	sent    []<-chan error // batches being written
	err     error          // the first failure: nothing more is sent
	batches int
}

// NewBatchWriter returns a writer of bulk updates to ix.
func (ix *Index) NewBatchWriter() *BatchWriter { return &BatchWriter{ix: ix} }

// Batches returns how many batches w has sent.
func (w *BatchWriter) Batches() int { return w.batches }

// Add queues u; a full batch starts being written. It returns the first
// failure of a batch written so far.
func (w *BatchWriter) Add(u Update) error {
	w.pending = append(w.pending, u)
	if u.Doc != nil {
		w.n += len(u.Doc.Passages)
		for i := range u.Doc.Passages {
			w.size += len(u.Doc.Passages[i].Text)
		}
	}
	if w.n >= BatchPassages || w.size >= batchBytes {
		return w.send()
	}
	return w.err
}

// send starts writing the pending updates.
func (w *BatchWriter) send() error {
	w.collect(false)
	if w.err != nil {
		return w.err
	}
	if w.before != nil {
		if w.err = w.before(); w.err != nil {
			return w.err
		}
	}
	if len(w.pending) > 0 {
		w.sent = append(w.sent, w.ix.applyAsync(w.pending))
		w.batches++
	}
	w.pending, w.n, w.size = nil, 0, 0
	return nil
}

// collect takes the results of the batches written so far; wait waits for
// every one.
func (w *BatchWriter) collect(wait bool) {
	kept := w.sent[:0]
	for _, done := range w.sent {
		var err error
		if wait {
			err = <-done
		} else {
			select {
			case err = <-done:
			default:
				kept = append(kept, done)
				continue
			}
		}
		if err != nil && w.err == nil {
			w.err = err
		}
	}
	clear(w.sent[len(kept):])
	w.sent = kept
}

// Flush writes what is pending and returns once every batch is durable
// and the manifest rewritten. After a failure it only waits for the
// batches in flight, and returns the failure.
func (w *BatchWriter) Flush() error {
	w.send()
	w.collect(true)
	if w.err != nil {
		return w.err
	}
	return w.ix.foldDeltas()
}
