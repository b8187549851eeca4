package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// BulkBuilder builds a fresh index offline with Bleve's Builder: segments
// are written without the online merger, snapshots or a fsync per batch,
// then merged into one segment when the build finishes. Nothing is
// searchable (or durable) before Finish returns; a failed build leaves a
// directory to delete, never a half-written live index. It is meant for
// rebuilding an index from the store into a new directory that then takes
// the old one's place. It is not safe for concurrent use.
type BulkBuilder struct {
	dir      string
	tmp      string // the builder's segments before the final merge
	passages int
	b        bleve.Builder
	manifest map[string]DocState
	done     bool
}

// BulkOptions tune a BulkBuilder; zero values take Bleve's defaults.
type BulkOptions struct {
	// BatchSize is the passages per segment written before merging
	// (Bleve's default: 1000).
	BatchSize int
	// MergeMax is how many segments one merge step combines (default 10).
	MergeMax int
}

// NewBulkBuilder starts building a new index in dir, which must not exist.
func NewBulkBuilder(dir string, opt BulkOptions) (*BulkBuilder, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("bulk build: %s already exists", dir)
	}
	m, err := NewMapping()
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
	cfg := map[string]interface{}{"buildPathPrefix": tmp}
	if opt.BatchSize > 0 {
		cfg["batchSize"] = opt.BatchSize
	}
	if opt.MergeMax > 0 {
		cfg["mergeMax"] = opt.MergeMax
	}
	b, err := bleve.NewBuilder(dir, m, cfg)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("bulk build in %s: %w", dir, err)
	}
	return &BulkBuilder{dir: dir, tmp: tmp, b: b, manifest: map[string]DocState{}}, nil
}

// Add indexes one document's passages. Removals have no meaning in a fresh
// build and are rejected; each document may be added once.
func (bb *BulkBuilder) Add(u Update) error {
	if bb.done {
		return errors.New("bulk build: already finished")
	}
	if u.Remove || u.Doc == nil {
		return errors.New("bulk build: only additions")
	}
	if _, dup := bb.manifest[u.Doc.ID]; dup {
		return fmt.Errorf("bulk build: document %s added twice", u.Doc.ID)
	}
	st := DocState{Key: u.Key, Origin: u.Origin, Passages: make([]string, 0, len(u.Doc.Passages))}
	for i := range u.Doc.Passages {
		p := &u.Doc.Passages[i]
		if err := bb.b.Index(p.ID, newPassageDoc(&u.Doc.Entry, p)); err != nil {
			return fmt.Errorf("indexing %s: %w", p.ID, err)
		}
		st.Passages = append(st.Passages, p.ID)
		bb.passages++
	}
	bb.manifest[u.Doc.ID] = st
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
	defer os.RemoveAll(bb.tmp)
	if bb.passages == 0 {
		// Bleve's builder cannot close without a segment.
		os.RemoveAll(bb.dir)
		return errors.New("bulk build: no passages")
	}
	if err := bb.b.Close(); err != nil {
		return fmt.Errorf("bulk build: %w", err)
	}
	// The Builder has no way to set internal keys: open the result and
	// write the manifest, as Apply does in its batch.
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
