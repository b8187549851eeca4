package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// PipelineVersion changes whenever reading, segmentation, extraction or the
// mapping change what a document turns into; a stored document whose indexed
// version differs is re-indexed.
const PipelineVersion = "18"

// boltTimeout is how long opening an index waits for another process's
// lock before failing: without it a second process blocks for ever.
const boltTimeout = "2s"

// DocState is what the index knows about one indexed document. The
// manifest of every document's state is kept in Bleve's internal keys (see
// write.go): it holds counts, not passage ids, which the index itself
// answers (PassageIDs).
type DocState struct {
	// Key identifies what was indexed: raw bytes, effective entry, pipeline.
	Key    string `json:"key"`
	Origin string `json:"origin,omitempty"`
	// Passages counts the document's indexed passages.
	Passages int `json:"n"`
}

// Index is the Bleve index of passages with its manifest. Searches run
// concurrently with writes; writes take turns as write.go describes.
type Index struct {
	idx bleve.Index
	dir string // on disk; "" in memory

	mu       sync.Mutex // guards the fields below
	changed  *sync.Cond // a write finished
	manifest map[string]DocState
	w        writeState
}

// ErrIndexLocked is returned when another process holds the index.
var ErrIndexLocked = errors.New("index is in use by another process")

// OpenIndex opens the index in dir, creating it if it does not exist.
func OpenIndex(dir string) (*Index, error) { return openIndex(dir, false) }

// bulkMergeTier is the merge planner's segments per tier while a bulk
// import runs (Bleve's default: 10). Bleve counts a tier in segments of
// the smallest one's size, or of 2,000 documents if that is bigger, and
// merges ten segments at a time whenever there are more than its tiers
// allow: the demo import's 21 segments of 2,000 passages were merged as
// they came, copying ten at a time into a bigger segment that Compact then
// copied again. With 100 segments a tier, and no floor, the segments of an
// import up to 100 batches wait for Compact, which makes one segment of
// them all in one step; a bigger import is still merged as it goes, so that
// its segments stay in the hundreds.
const bulkMergeTier = 100

// openIndex opens (or creates) the index in dir. bulk opens it for an
// import that ends with Compact: Bleve merges fewer segments meanwhile.
// The merge plan is Bleve's configuration for as long as the index is open
// (it keeps no setting on disk): the next opening merges as usual.
func openIndex(dir string, bulk bool) (*Index, error) {
	cfg := map[string]interface{}{"bolt_timeout": boltTimeout}
	if bulk {
		// Over Bleve's defaults (its options hold functions, which its
		// JSON decoding of this setting cannot carry).
		cfg["scorchMergePlanOptions"] = map[string]interface{}{"MaxSegmentsPerTier": bulkMergeTier, "FloorSegmentSize": 1}
	}
	var idx bleve.Index
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		idx, err = bleve.OpenUsing(dir, cfg)
		if err != nil {
			if strings.Contains(err.Error(), "timeout") {
				return nil, fmt.Errorf("opening index %s: %w", dir, ErrIndexLocked)
			}
			return nil, fmt.Errorf("opening index %s: %w", dir, err)
		}
	} else {
		m, err := schema.NewMapping()
		if err != nil {
			return nil, err
		}
		idx, err = bleve.NewUsing(dir, m, scorch.Name, scorch.Name, cfg)
		if err != nil {
			return nil, fmt.Errorf("creating index %s: %w", dir, err)
		}
	}
	ix := newIndex(idx)
	ix.dir = dir
	if err := ix.loadManifest(); err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

// NewMemIndex returns an index in memory, for tests.
func NewMemIndex() (*Index, error) {
	m, err := schema.NewMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	return newIndex(idx), nil
}

// mappingCurrent reports whether the index was built with this version's
// mapping (Bleve keeps the mapping an index was created with).
func (ix *Index) mappingCurrent() (bool, error) {
	m, err := schema.NewMapping()
	if err != nil {
		return false, err
	}
	want, err := json.Marshal(m)
	if err != nil {
		return false, err
	}
	have, err := json.Marshal(ix.idx.Mapping())
	if err != nil {
		return false, err
	}
	return bytes.Equal(want, have), nil
}

// passageIDPage is how many passage ids one search reads back; a
// document's ids are read page after page until none is left.
const passageIDPage = 10000

// PassageIDs returns the ids of document id's indexed passages, in order.
func (ix *Index) PassageIDs(id string) ([]string, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.passageIDs(id)
}

// passageIDs reads every passage id of document id, however many: a
// delete or replacement that missed some would leave text findable.
func (ix *Index) passageIDs(id string) ([]string, error) {
	var out []string
	var after []string
	for {
		q := query.NewTermQuery(id)
		q.SetField(schema.FieldDocument)
		req := bleve.NewSearchRequestOptions(q, passageIDPage, 0, false)
		req.SortBy([]string{schema.FieldOrder, "_id"})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.idx.Search(req)
		if err != nil {
			return nil, fmt.Errorf("reading the passages of %s: %w", id, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < passageIDPage {
			return out, nil
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
}

// Bleve returns the underlying index for searching.
func (ix *Index) Bleve() bleve.Index { return ix.idx }

// Close closes the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// oneMerge is Bleve's single-segment merge plan with every segment in one
// merge task: with its default of 10 a task, 24 segments are merged in
// three rounds, copying the first rounds' output again.
var oneMerge = func() mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = 1 << 16
	return o
}()

// Compact merges the index's segments into one, as after a bulk import:
// each segment costs every query term a lookup and a postings iterator,
// so a search of one segment does less (the demo's topics over the API:
// 11 segments 6.1 ms, one 5.2 ms). Scorch merges in steps; Compact asks
// until one segment is left or a step merges nothing. Writes may go on
// meanwhile; a crash leaves the segments as they were. An index of
// another kind is left as it is.
func (ix *Index) Compact(ctx context.Context) error {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	n, err := countSegments(sc)
	for err == nil && n > 1 {
		if err = sc.ForceMerge(ctx, &oneMerge); err != nil {
			break
		}
		var m int
		if m, err = countSegments(sc); err == nil && m >= n {
			break // no progress
		}
		n = m
	}
	if err != nil {
		return fmt.Errorf("compacting the index: %w", err)
	}
	ix.awaitRemoval(ctx, n)
	return nil
}

// countSegments counts the segments of sc's current snapshot.
func countSegments(sc *scorch.Scorch) (int, error) {
	r, err := sc.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return 0, bleve.ErrorIndexClosed
	}
	return len(snap.Segments()), nil
}

// awaitRemoval waits, briefly, until Bleve has removed the files of the
// segments a compaction merged away (it does so after persisting the
// merged one, within about 100 ms): a process that closes the index at
// once would otherwise leave them on disk, twice the index's size, until
// the index is next opened.
func (ix *Index) awaitRemoval(ctx context.Context, segments int) {
	if ix.dir == "" {
		return
	}
	pattern := filepath.Join(ix.dir, "store", "*.zap")
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		if files, _ := filepath.Glob(pattern); len(files) <= segments {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// State returns what the index knows of document id.
func (ix *Index) State(id string) (DocState, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.manifest[id]
	return s, ok
}

// Documents returns the ids of the indexed documents and the passage count.
func (ix *Index) Documents() (ids []string, passages int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for id, s := range ix.manifest {
		ids = append(ids, id)
		passages += s.Passages
	}
	return ids, passages
}
