package search

import (
	"fmt"
	"slices"
	"sync"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A relevance search needs Bleve's best hits and, over every match, the
// counts of six facets. Bleve counts facets by reading each match's doc
// values: a decompression and a map update per match and field, which
// was 40% of an API search. collectWindow walks the matches itself and
// counts facets from columns of value numbers kept per index segment:
// segments never change once written, so a column is built once (from the
// field's postings) and serves every search until a merge retires its
// segment.

// column holds, for each document of one segment, the numbers of its
// values of one field: vals[start[d]:start[d+1]].
type column struct {
	start []uint32
	vals  []uint32
}

// facetDict numbers the values of one field, for every segment alike.
type facetDict struct {
	mu    sync.RWMutex
	ids   map[string]uint32
	names []string
}

func (d *facetDict) id(v string) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.ids[v]; ok {
		return n
	}
	n := uint32(len(d.names))
	d.ids[v] = n
	d.names = append(d.names, v)
	return n
}

func (d *facetDict) snapshot() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.names[:len(d.names):len(d.names)]
}

// columnKey names one field's column of one segment.
type columnKey struct {
	seg   segment.Segment
	field string
}

type columnEntry struct {
	once sync.Once
	col  *column
	err  error
}

// facetColumns keeps the columns of the segments searches have seen.
type facetColumns struct {
	mu    sync.Mutex
	dicts map[string]*facetDict
	cols  map[columnKey]*columnEntry
	epoch uint64 // the newest snapshot epoch retain was called with
}

func newFacetColumns() *facetColumns {
	return &facetColumns{dicts: map[string]*facetDict{}, cols: map[columnKey]*columnEntry{}}
}

// dict returns the numbering of field's values, empty at first.
func (fc *facetColumns) dict(field string) *facetDict {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.dictLocked(field)
}

func (fc *facetColumns) dictLocked(field string) *facetDict {
	d := fc.dicts[field]
	if d == nil {
		d = &facetDict{ids: map[string]uint32{}}
		fc.dicts[field] = d
	}
	return d
}

// get returns the column of field in seg, building it on first use. The
// build is one pass over the field's postings in that segment, shared by
// the searches waiting for it, and is not cut short by one search's
// deadline (which would leave the error to all of them).
func (fc *facetColumns) get(seg segment.Segment, field string) (*column, error) {
	fc.mu.Lock()
	d := fc.dictLocked(field)
	k := columnKey{seg, field}
	e := fc.cols[k]
	if e == nil {
		e = &columnEntry{}
		fc.cols[k] = e
	}
	fc.mu.Unlock()
	e.once.Do(func() {
		if e.col, e.err = buildColumn(seg, field, d); e.err != nil {
			e.err = fmt.Errorf("facet column %s: %w", field, e.err)
		}
	})
	return e.col, e.err
}

// retain drops the columns of segments not in live, the segments of the
// snapshot at epoch (or later): those merged away. A search on an older
// snapshot drops nothing, lest it drop the columns of newer segments.
func (fc *facetColumns) retain(epoch uint64, live []segment.Segment) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if epoch < fc.epoch {
		return
	}
	fc.epoch = epoch
	for k := range fc.cols {
		if !slices.Contains(live, k.seg) {
			delete(fc.cols, k)
		}
	}
}

// buildColumn reads every term of field in seg and the documents that
// hold it: one pass over the field's postings.
func buildColumn(seg segment.Segment, field string, d *facetDict) (*column, error) {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	n := seg.Count()
	type pair struct{ doc, val uint32 }
	var pairs []pair
	count := make([]uint32, n+1)
	it := dict.AutomatonIterator(nil, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		entry, err := it.Next()
		if err != nil {
			return nil, err
		}
		if entry == nil {
			break
		}
		if pl, err = dict.PostingsList([]byte(entry.Term), nil, pl); err != nil {
			return nil, err
		}
		val := d.id(entry.Term)
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			doc := uint32(p.Number())
			pairs = append(pairs, pair{doc, val})
			count[doc+1]++
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	col := &column{start: count, vals: make([]uint32, len(pairs))}
	next := slices.Clone(count[:n])
	for _, p := range pairs {
		col.vals[next[p.doc]] = p.val
		next[p.doc]++
	}
	return col, nil
}
