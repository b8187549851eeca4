package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// maxDocumentBytes bounds one source document read from disk.
const maxDocumentBytes = 200 << 20

// Batch bounds: a batch is written when either is reached. Small batches
// make many segments (and "too many open files"); big ones cost memory
// and, beyond a thousand passages, time: Bleve analyses a whole batch
// before it builds its segment, and two batches are written at a time.
// The demo import, three runs interleaved on two cores (2026-12-07): 500
// passages 10.3–12.2 s, 750 9.9–11.6 s, 1,000 10.0–10.7 s, 1,500
// 10.7–11.2 s, 2,000 10.8–12.0 s, 4,000 13.9–16.9 s; catalog-full 50.7 s
// at 1,000 against 55.8 s at 2,000 (210 segments before the compaction,
// which Bleve's merge plan holds to its tiers).
const (
	BatchPassages = 1000
	batchBytes    = 16 << 20
)

// Ingester moves documents from a source into the store and the index.
type Ingester struct {
	Store *store.Store
	Index *Index
	// Workers read and segment documents in parallel; 0 means twice
	// GOMAXPROCS.
	Workers int
	// Progress, if set, is called after each document.
	Progress func(done, total int)
	// Fetcher, if set, fetches the entries that have a url and no file.
	Fetcher URLFetcher
	// GCPercent, if positive, is the process's garbage collector target
	// while IngestCatalog runs (debug.SetGCPercent): for a process that
	// does little else, such as `hrsearch index`.
	GCPercent int
	// MemoryLimit, if positive, is the process's soft memory limit while
	// IngestCatalog runs (debug.SetMemoryLimit): the collector keeps to
	// GCPercent until the heap nears it, then collects more often.
	MemoryLimit int64
	// MaxPassages, if positive, refuses a document of more passages
	// (reported as a failed document, nothing of it written).
	MaxPassages int
	// Origin, if set, is the origin of the documents imported, instead of
	// "catalog:" and the catalog's path (a catalog a librarian uploaded).
	Origin string
	// KeepUnlisted leaves in place the documents an earlier import of the
	// same origin had and this catalog does not list (an uploaded catalog
	// adds and updates; it never removes).
	KeepUnlisted bool
	// PerDocument fills Report.Results with each document's outcome.
	PerDocument bool
}

// Outcomes of one document in Report.Results.
const (
	OutcomeAdded              = "added"
	OutcomeUpdated            = "updated"
	OutcomeUnchanged          = "unchanged"
	OutcomeKept               = "kept"
	OutcomeDeletedByLibrarian = "deleted-by-librarian"
	OutcomeFailed             = "failed"
)

// DocResult is one document's outcome of an import.
type DocResult struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"` // added, updated, unchanged, kept, deleted-by-librarian, failed
	Err     string `json:"error,omitempty"`
}

// DocError is one document that could not be ingested.
type DocError struct {
	ID  string `json:"id"`
	Err string `json:"error"`
}

// Report says what an ingest did.
type Report struct {
	Documents int `json:"documents"` // in the catalog
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
	// Kept are listed documents whose file a librarian replaced (or
	// added): the librarian's version stays.
	Kept int `json:"kept"`
	// DeletedByLibrarian are listed documents a librarian deleted: they
	// stay deleted.
	DeletedByLibrarian int        `json:"deleted_by_librarian"`
	Failed             int        `json:"failed"`
	Passages           int        `json:"passages_written"`
	Errors             []DocError `json:"errors,omitempty"`
	// Results, when the Ingester asks for them (PerDocument), say what
	// became of each document, sorted by id.
	Results []DocResult   `json:"results,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Key identifies what a document's passages derive from: the raw bytes,
// the effective entry and the pipeline version.
func Key(rec *store.Record) string {
	e := rec.Effective()
	b, _ := json.Marshal(e)
	h := sha256.New()
	io.WriteString(h, PipelineVersion+"\x00"+rec.SHA256+"\x00")
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// BulkGCPercent is a garbage collector target for a process that runs a
// bulk import (Ingester.GCPercent): an import allocates fast and keeps
// little, and collecting half as often saves a tenth of its time on two
// cores (catalog-full: 23.3 → 21.2 s; peak RSS 490 → 720 MB).
const BulkGCPercent = 200

// BulkMemoryLimit is a soft memory limit for a process that runs a bulk
// import (Ingester.MemoryLimit): at GOGC 200 alone the demo import peaked
// at 1.3-1.5 GB when its passages were analysed twice (text and exact);
// with one text field it peaks at 0.9 GB under this limit, and a limit of
// 1.5 GiB (1.2 GB peak) saved no time in two interleaved runs.
const BulkMemoryLimit = 768 << 20

// prepareAhead bounds the prepared documents waiting for their batch.
const prepareAhead = 256

// IngestCatalog stores and indexes every entry of cat, and removes the
// documents an earlier import of the same catalog had that it no longer
// lists. A document that fails is reported and skipped.
func (ing *Ingester) IngestCatalog(ctx context.Context, cat *corpus.Catalog) (*Report, error) {
	start := time.Now()
	if ing.GCPercent > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(ing.GCPercent))
	}
	if ing.MemoryLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(ing.MemoryLimit))
	}
	origin := catalogOrigin(cat.Path)
	if ing.Origin != "" {
		origin = ing.Origin
	}
	rep := &Report{Documents: len(cat.Entries)}
	outcome := func(id, o string, err error) {
		if ing.PerDocument {
			r := DocResult{ID: id, Outcome: o}
			if err != nil {
				r.Err = err.Error()
			}
			rep.Results = append(rep.Results, r)
		}
	}

	// Reading, segmenting and storing (whose fsyncs wait on the disk) go on
	// while a batch is being indexed: the workers outnumber the cores, and
	// their results queue up to prepareAhead documents.
	// The store's writes are made durable a batch at a time, before the
	// index batch that needs them.
	staged := ing.Store.NewBatch()
	defer staged.Abort() // after an error: what was not committed
	jobs := make(chan *corpus.Entry)
	results := make(chan result, prepareAhead)
	workers := ing.Workers
	if workers <= 0 {
		workers = 2 * runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range jobs {
				results <- ing.prepare(ctx, e, origin, staged)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range cat.Entries {
			select {
			case jobs <- &cat.Entries[i]:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	w := ing.Index.NewBatchWriter()
	w.before = staged.Commit
	// On an early return: wait for the batches in flight, and write what
	// was queued (ingest is idempotent).
	defer w.Flush()
	done := 0
	for r := range results {
		done++
		switch {
		case r.err != nil:
			rep.Failed++
			rep.Errors = append(rep.Errors, DocError{r.id, r.err.Error()})
			outcome(r.id, OutcomeFailed, r.err)
		case r.deleted:
			rep.DeletedByLibrarian++
			outcome(r.id, OutcomeDeletedByLibrarian, nil)
		case r.kept:
			rep.Kept++
			outcome(r.id, OutcomeKept, nil)
			if r.update != nil { // the index lacked the librarian's version
				rep.Passages += len(r.update.Doc.Passages)
				if err := w.Add(*r.update); err != nil {
					drain(results)
					return rep, err
				}
			}
		case r.update == nil:
			rep.Unchanged++
			outcome(r.id, OutcomeUnchanged, nil)
		case r.relabel: // unchanged, written again for its new origin
			rep.Unchanged++
			outcome(r.id, OutcomeUnchanged, nil)
			rep.Passages += len(r.update.Doc.Passages)
			if err := w.Add(*r.update); err != nil {
				drain(results)
				return rep, err
			}
		default:
			if _, ok := ing.Index.State(r.id); ok {
				rep.Updated++
				outcome(r.id, OutcomeUpdated, nil)
			} else {
				rep.Added++
				outcome(r.id, OutcomeAdded, nil)
			}
			rep.Passages += len(r.update.Doc.Passages)
			if err := w.Add(*r.update); err != nil {
				drain(results)
				return rep, err
			}
		}
		if ing.Progress != nil {
			ing.Progress(done, len(cat.Entries))
		}
	}
	if err := ctx.Err(); err != nil {
		// Whatever was written stays: ingest is idempotent, a rerun resumes.
		w.Flush()
		return rep, err
	}

	if ing.KeepUnlisted {
		if err := w.Flush(); err != nil {
			return rep, err
		}
		ing.finishReport(rep, start)
		return rep, nil
	}
	// Remove what this catalog no longer lists.
	listed := make(map[string]bool, len(cat.Entries))
	for _, e := range cat.Entries {
		listed[e.ID] = true
	}
	ids, _ := ing.Index.Documents()
	sort.Strings(ids)
	canonical := map[string]string{} // an indexed origin → its canonical form
	for _, id := range ids {
		st, _ := ing.Index.State(id)
		if listed[id] || !strings.HasPrefix(st.Origin, catalogPrefix) {
			continue
		}
		c, ok := canonical[st.Origin]
		if !ok {
			c = catalogOrigin(strings.TrimPrefix(st.Origin, catalogPrefix))
			canonical[st.Origin] = c
		}
		if c != origin {
			continue
		}
		if err := w.Add(Update{ID: id, Remove: true}); err != nil {
			return rep, err
		}
		if err := ing.Store.Delete(id); err != nil && !errors.Is(err, corpus.ErrNotFound) {
			return rep, err
		}
		rep.Removed++
	}
	if err := w.Flush(); err != nil {
		return rep, err
	}
	ing.finishReport(rep, start)
	return rep, nil
}

func (ing *Ingester) finishReport(rep *Report, start time.Time) {
	sort.Slice(rep.Errors, func(i, j int) bool { return rep.Errors[i].ID < rep.Errors[j].ID })
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].ID < rep.Results[j].ID })
	rep.Elapsed = time.Since(start)
}

func drain(ch <-chan result) {
	for range ch {
	}
}

type result struct {
	id     string
	update *Update // nil: unchanged
	err    error
	// kept: the store holds a librarian's bytes, which the import keeps
	// (update, if set, indexes them); deleted: a librarian deleted it.
	kept, deleted bool
	// relabel: the index holds these passages under another origin.
	relabel bool
}

const catalogPrefix = "catalog:"

// catalogOrigin is the origin of the documents imported from the catalog
// at path: "catalog:" and the path made canonical (absolute, symbolic links
// resolved; cleaned and absolute when they cannot be), so that the same
// catalog read through another path is the same origin.
func catalogOrigin(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return catalogPrefix + filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return catalogPrefix + real
	}
	return catalogPrefix + abs
}

// prepare stores one entry's bytes and, if the index does not already hold
// what they derive to, reads and segments them.
func (ing *Ingester) prepare(ctx context.Context, e *corpus.Entry, origin string, staged *store.StoreBatch) result {
	// A librarian's act is newer than the catalog and deliberate: a file
	// they replaced stays, a document they deleted stays deleted.
	old, oldErr := ing.Store.Get(e.ID)
	if oldErr == nil && old.Replaced != nil {
		return ing.keep(ctx, old)
	}
	if ts, err := ing.Store.Tombstone(e.ID); err != nil {
		return result{id: e.ID, err: err}
	} else if ts != nil {
		return result{id: e.ID, deleted: true}
	}
	var raw []byte
	var err error
	prov := store.Provenance{Source: e.Path, FetchedAt: time.Now().UTC()}
	format := e.Format
	switch {
	case e.Path != "":
		raw, err = readFileLimited(e.Path, maxDocumentBytes)
	case e.URL != "" && ing.Fetcher != nil:
		raw, prov, format, err = ing.fetchEntry(ctx, e)
	default:
		return result{id: e.ID, err: fmt.Errorf("%w: no local file (fetching by url needs the crawler)", corpus.ErrUnsupported)}
	}
	if err != nil {
		return result{id: e.ID, err: err}
	}
	prov.Origin = origin
	rec := &store.Record{Entry: *e, Provenance: prov}
	if rec.Entry.Format == "" {
		rec.Entry.Format = format // as the server said, for a fetched entry
	}
	if oldErr == nil {
		rec.Overrides = old.Overrides // a librarian's corrections survive a re-import
	}
	rec.SHA256 = store.SHA256(raw)
	key := Key(rec)
	st, indexed := ing.Index.State(e.ID)
	if indexed && st.Key == key && st.Origin == origin {
		// Also repairs a store that lost it, and records a new origin.
		if _, err := staged.Put(rec, raw); err != nil {
			return result{id: e.ID, err: err}
		}
		return result{id: e.ID}
	}
	doc, err := reader.Derive(ctx, rec, raw, ing.MaxPassages)
	if err != nil {
		return result{id: e.ID, err: err}
	}
	// The store is written before the index (and committed before it).
	if _, err := staged.Put(rec, raw); err != nil {
		return result{id: e.ID, err: err}
	}
	// The same passages under another origin (the catalog was read from
	// another path) are written again, so that the index's origin, which
	// decides what a later import removes, is the store's.
	relabel := indexed && st.Key == key
	return result{id: e.ID, update: &Update{Doc: doc, Key: key, Origin: origin}, relabel: relabel}
}

// keep leaves a librarian's version of a document as it is stored, and
// indexes it if the index does not hold it.
func (ing *Ingester) keep(ctx context.Context, rec *store.Record) result {
	key := Key(rec)
	if st, ok := ing.Index.State(rec.Entry.ID); ok && st.Key == key {
		return result{id: rec.Entry.ID, kept: true}
	}
	raw, err := ing.Store.Raw(rec)
	if err != nil {
		return result{id: rec.Entry.ID, err: err}
	}
	doc, err := reader.Derive(ctx, rec, raw, 0) // accepted when the librarian stored it
	if err != nil {
		return result{id: rec.Entry.ID, err: err}
	}
	return result{id: rec.Entry.ID, kept: true, update: &Update{Doc: doc, Key: key, Origin: rec.Origin}}
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized from the file's length, as os.ReadFile does: one allocation
	// rather than io.ReadAll's growing copies (a byte more, to see a file
	// past the limit or grown since).
	size := 512
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = int(min(fi.Size(), limit)) + 1
	}
	r := io.LimitReader(f, limit+1)
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (over %d bytes)", path, corpus.ErrTooLarge, limit)
	}
	return b, nil
}
