package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// BulkBuilder builds a fresh index offline with Bleve's scorch Builder (what
// bleve.NewBuilder wraps): segments are written without the online
// introducer, merger and persister and without a fsync per batch, then
// merged into one segment when the build finishes. Passages are mapped and
// analysed on Workers goroutines ahead of the builder, which then only
// encodes segments; bleve.NewBuilder analyses on the caller's goroutine.
//
// Nothing is searchable (or durable) before Finish returns; a failed build
// leaves a directory to delete, never a half-written live index. It is meant
// for building an index from the store into a new directory that then takes
// the old one's place (reindex). Add is not safe for concurrent use.
type BulkBuilder struct {
	dir      string
	tmp      string // the builder's segments before the final merge
	mapping  *mapping.IndexMappingImpl
	b        *scorch.Builder
	manifest map[string]DocState
	passages int
	done     bool

	in       chan Update
	analysed chan *document.Document
	workers  sync.WaitGroup
	feeder   sync.WaitGroup
	mu       sync.Mutex
	err      error
}

// BulkOptions tune a BulkBuilder; zero values take the defaults.
type BulkOptions struct {
	// BatchSize is the passages per segment written before merging
	// (Bleve's default: 1000).
	BatchSize int
	// MergeMax is how many segments one merge step combines (default 10).
	MergeMax int
	// Workers map and analyse passages in parallel (default GOMAXPROCS).
	Workers int
}

// indexMeta is the index_meta.json Bleve writes beside a scorch index.
type indexMeta struct {
	Storage   string `json:"storage"`
	IndexType string `json:"index_type"`
}

// NewBulkBuilder starts building a new index in dir, which must not exist.
func NewBulkBuilder(dir string, opt BulkOptions) (*BulkBuilder, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("bulk build: %s already exists", dir)
	}
	m, err := schema.NewMapping()
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".bulk-build-")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*BulkBuilder, error) {
		os.RemoveAll(tmp)
		os.RemoveAll(dir)
		return nil, fmt.Errorf("bulk build in %s: %w", dir, err)
	}
	// What bleve.NewBuilder does: the index metadata, and the mapping as
	// the internal key Bleve reads it from when the index is opened.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	meta, _ := json.Marshal(indexMeta{Storage: scorch.Name, IndexType: scorch.Name})
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), meta, 0o644); err != nil {
		return fail(err)
	}
	cfg := map[string]interface{}{
		"path":            filepath.Join(dir, "store"),
		"buildPathPrefix": tmp,
		"internal":        map[string][]byte{"_mapping": mb},
	}
	if opt.BatchSize > 0 {
		cfg["batchSize"] = opt.BatchSize
	}
	if opt.MergeMax > 0 {
		cfg["mergeMax"] = opt.MergeMax
	}
	b, err := scorch.NewBuilder(cfg)
	if err != nil {
		return fail(err)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	bb := &BulkBuilder{dir: dir, tmp: tmp, mapping: m, b: b, manifest: map[string]DocState{},
		in: make(chan Update, workers), analysed: make(chan *document.Document, 2048)}
	for range workers {
		bb.workers.Add(1)
		go bb.analyse()
	}
	bb.feeder.Add(1)
	go bb.feed()
	return bb, nil
}

// preAnalysed is a field analysed by a worker: the builder's own call to
// Analyze is then a no-op.
type preAnalysed struct{ document.Field }

func (preAnalysed) Analyze() {}

func (bb *BulkBuilder) fail(err error) {
	bb.mu.Lock()
	if bb.err == nil {
		bb.err = err
	}
	bb.mu.Unlock()
}

func (bb *BulkBuilder) failed() error {
	bb.mu.Lock()
	defer bb.mu.Unlock()
	return bb.err
}

// analyse maps and analyses passages, in parallel with the others.
func (bb *BulkBuilder) analyse() {
	defer bb.workers.Done()
	for u := range bb.in {
		for i := range u.Doc.Passages {
			p := &u.Doc.Passages[i]
			d, err := schema.NewDocument(bb.mapping, p.ID, schema.SetEntered(schema.Document(&u.Doc.Entry, p), u.Doc.Entered))
			if err != nil {
				bb.fail(fmt.Errorf("mapping %s: %w", p.ID, err))
				continue
			}
			for j, f := range d.Fields {
				f.Analyze()
				d.Fields[j] = preAnalysed{f}
			}
			bb.analysed <- d
		}
	}
}

// feed hands analysed documents to the builder, which encodes a segment
// every BatchSize of them while the workers go on analysing.
func (bb *BulkBuilder) feed() {
	defer bb.feeder.Done()
	for d := range bb.analysed {
		if bb.failed() != nil {
			continue
		}
		if err := bb.b.Index(d); err != nil {
			bb.fail(err)
		}
	}
}

// Add queues one document's passages. Removals have no meaning in a fresh
// build and are rejected; each document may be added once.
func (bb *BulkBuilder) Add(u Update) error {
	if bb.done {
		return errors.New("bulk build: already finished")
	}
	if u.Remove || u.Doc == nil {
		return errors.New("bulk build: only additions")
	}
	if err := bb.failed(); err != nil {
		return err
	}
	if _, dup := bb.manifest[u.Doc.ID]; dup {
		return fmt.Errorf("bulk build: document %s added twice", u.Doc.ID)
	}
	bb.manifest[u.Doc.ID] = DocState{Key: u.Key, Origin: u.Origin, Passages: len(u.Doc.Passages)}
	bb.passages += len(u.Doc.Passages)
	bb.in <- u
	return nil
}

// Finish writes the last segment, merges all of them into one, and writes
// the manifest. The index in dir is then complete and opens with
// OpenIndex.
func (bb *BulkBuilder) Finish() error {
	if bb.done {
		return errors.New("bulk build: finished twice")
	}
	bb.done = true
	close(bb.in)
	bb.workers.Wait()
	close(bb.analysed)
	bb.feeder.Wait()
	defer os.RemoveAll(bb.tmp)
	if err := bb.failed(); err != nil {
		return err
	}
	if bb.passages == 0 {
		// Bleve's builder cannot close without a segment.
		os.RemoveAll(bb.dir)
		return errors.New("bulk build: no passages")
	}
	if err := bb.b.Close(); err != nil {
		return fmt.Errorf("bulk build: %w", err)
	}
	// The builder has no way to set other internal keys: open the result
	// and write the manifest, as Apply does in its batch.
	ix, err := OpenIndex(bb.dir)
	if err != nil {
		return err
	}
	mb, err := json.Marshal(bb.manifest)
	if err != nil {
		ix.Close()
		return err
	}
	if err := ix.idx.SetInternal(manifestKey, mb); err != nil {
		ix.Close()
		return fmt.Errorf("bulk build: writing manifest: %w", err)
	}
	return ix.Close()
}
