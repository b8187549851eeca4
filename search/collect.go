package search

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// ranked is one match kept by collectWindow: its score and its number in
// the snapshot, which breaks ties as Bleve does (the earlier match first).
type ranked struct {
	score float64
	num   uint64
}

// worstFirst is a heap of the best matches so far, the worst on top.
type worstFirst []ranked

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return h[j].better(h[i]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(ranked)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// keep adds r to h if it is among the best size matches so far.
func (h *worstFirst) keep(r ranked, size int) {
	switch {
	case len(*h) < size:
		heap.Push(h, r)
	case size > 0 && r.better((*h)[0]):
		(*h)[0] = r
		heap.Fix(h, 0)
	}
}

// sorted returns the matches best first.
func (h worstFirst) sorted() []ranked {
	slices.SortFunc(h, func(a, b ranked) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	return h
}

// better reports whether a ranks before b.
func (a ranked) better(b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.num < b.num
}

// windowSpec is what collectWindow is asked for.
type windowSpec struct {
	query     query.Query
	size      int // the best hits to keep
	more      int // and how many of the next best, returned apart
	facets    []string
	facetSize int
	subset    *subset // matches to keep apart, if any
	// units are the query's scored units, the first required of them
	// matched by every hit: collectWindow says how many each kept hit
	// matches.
	units    []query.Query
	required int
	// ties keeps, besides the best size+more, every match whose score
	// equals the worst kept (in more, unordered): what an order breaking
	// ties of score otherwise than by number needs to pick its first ones.
	ties bool
	// selected are request filters the walk checks on each match's
	// columns (query holds none of them): a match meeting them all is a
	// hit; a facet of a selected field also counts the matches meeting
	// every other selection (multi-select facets).
	selected []selection
}

// collected is what collectWindow found.
type collected struct {
	// walked says the results come from hrsearch's own walk: subset and
	// coverage are set (else the caller computes them).
	walked bool
	hits   []scored
	more   []scored // the next best after hits, in order
	total  uint64
	facets map[string][]FacetValue
	// subset holds the best matches of the subset asked for.
	subset []scored
	// coverage is the share of the units each kept hit matches, by id.
	coverage map[string]float64
}

// subset names matches to keep apart: those whose field holds one of
// values, the best size of them.
type subset struct {
	field  string
	values []string
	size   int
}

// maxTies bounds the matches a walk keeps for tying with its worst kept
// one (windowSpec.ties).
const maxTies = 20000

// checkDoneEvery is how many matches pass between looks at the deadline.
const checkDoneEvery = 1024

// collectWindow runs the spec's query and returns its best hits by score,
// the number of matches and the top values of each facet over all
// matches: what a Bleve search request with those facets returns, in the
// same order. It also returns the best matches of the subset, as Bleve
// does for the query filtered to it, and the units each kept hit matches,
// all from one snapshot. ok is false when the index is not one whose
// segments it can read (an alias, an in-memory index of another kind):
// the caller asks Bleve.
func (s *Searcher) collectWindow(ctx context.Context, spec windowSpec) (_ *collected, ok bool, err error) {
	epoch, _ := s.epoch() // read first: the reader's snapshot is at least this recent
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, false, nil // an alias has no one index to read: Bleve collects
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("searching: %w", err)
	}
	snap, isScorch := reader.(*scorch.IndexSnapshot)
	switch {
	case !isScorch:
		reader.Close()
		return nil, false, nil
	case snap == nil: // scorch's reader after Close
		return nil, false, fmt.Errorf("searching: %w", bleve.ErrorIndexClosed)
	}
	defer reader.Close()

	w, err := s.newWalk(snap, epoch, spec)
	if err != nil {
		return nil, false, err
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string {
		if m, ok := s.idx.Mapping().(*mapping.IndexMappingImpl); ok && m.ScoringModel == index.BM25Scoring {
			return index.BM25Scoring
		}
		return index.DefaultScoringModel
	}))
	cands, err := candidatesOf(spec.query, w.segs, w.offsets)
	if err != nil {
		return nil, false, fmt.Errorf("searching: %w", err)
	}
	var r index.IndexReader = snap
	if cands != nil {
		r = leapingReader{IndexSnapshot: snap, cands: cands}
	}
	searcher, err := spec.query.Searcher(ctx, r, s.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, false, searchError(err)
	}
	defer searcher.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize()+1, 0),
		IndexReader: reader}
	for n := 0; ; n++ {
		if n%checkDoneEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, searchError(err)
			}
		}
		m, err := searcher.Next(sctx)
		if err != nil {
			return nil, false, searchError(err)
		}
		if m == nil {
			break
		}
		r := ranked{score: m.Score, num: m.IndexInternalID.Value()}
		sctx.DocumentMatchPool.Put(m)
		w.add(r)
	}

	if len(w.tied) > maxTies {
		return nil, false, nil // the caller asks Bleve, which sorts every match
	}
	out := &collected{walked: true, total: w.total, facets: w.facetValues(s.columns)}
	// The best first, each named by its id once (a match can be in both).
	best, subBest := w.best.sorted(), w.subBest.sorted()
	names := make(map[uint64]string, len(best)+len(subBest))
	named := func(rs []ranked) ([]scored, error) {
		out := make([]scored, 0, len(rs))
		id := index.NewIndexInternalID(nil, 0)
		for _, r := range rs {
			ext, ok := names[r.num]
			if !ok {
				id.SetValue(r.num)
				var err error
				if ext, err = reader.ExternalID(id); err != nil {
					return nil, fmt.Errorf("searching: %w", err)
				}
				names[r.num] = ext
			}
			out = append(out, scored{id: ext, score: r.score})
		}
		return out, nil
	}
	window := best[:min(len(best), spec.size)]
	if out.hits, err = named(window); err != nil {
		return nil, false, err
	}
	if out.more, err = named(append(best[len(window):], w.tied...)); err != nil {
		return nil, false, err
	}
	if out.subset, err = named(subBest); err != nil {
		return nil, false, err
	}
	if out.coverage, err = s.coverageOf(ctx, reader, spec, slices.Concat(window, subBest), names); err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// walk is one pass over a query's matches on one index snapshot: the
// best hits, the best of the subset, and the facet counts.
type walk struct {
	spec    windowSpec
	segs    []segment.Segment
	offsets []uint64 // the first document number of each segment, then the end
	seg     int      // the segment of the last match
	facets  [][]*column
	counts  [][]int // by facet, by value number
	subCols []*column
	subVals []uint32
	// selCols are the columns of the selected fields; facetSel is, for
	// each facet, the selection on its field (-1: none).
	selCols  [][]*column
	selVals  [][]uint32
	facetSel []int
	// yearNames are the year dictionary's values, for ranges.
	yearNames []string
	keep      int // hits to keep: the window and the next ones asked for
	best      worstFirst
	subBest   worstFirst
	total     uint64
	// tied are matches not in best whose score equals its worst's, when
	// the spec asks for ties.
	tied []ranked
}

// keepBest keeps r if it is among the best, and with spec.ties, apart in
// tied if it ties with the worst of them.
func (w *walk) keepBest(r ranked) {
	if !w.spec.ties || len(w.best) < w.keep || w.keep == 0 {
		w.best.keep(r, w.keep)
		return
	}
	worst := w.best[0]
	switch {
	case r.score < worst.score:
		return
	case !r.better(worst):
		if r.score == worst.score {
			w.tied = append(w.tied, r)
		}
		return
	}
	w.best[0] = r
	heap.Fix(&w.best, 0)
	if w.best[0].score == worst.score {
		w.tied = append(w.tied, worst)
	} else {
		w.tied = w.tied[:0] // below the best now
	}
}

// newWalk reads the snapshot's segments and the columns the spec needs.
// Scorch numbers documents segment after segment, deleted ones included.
func (s *Searcher) newWalk(snap *scorch.IndexSnapshot, epoch uint64, spec windowSpec) (*walk, error) {
	segs := snap.Segments()
	live := make([]segment.Segment, len(segs))
	w := &walk{spec: spec, segs: live, offsets: make([]uint64, len(segs)+1), keep: spec.size + max(spec.more, 0)}
	for i, ss := range segs {
		live[i] = ss.Segment()
		w.offsets[i+1] = w.offsets[i] + ss.Segment().Count()
	}
	s.columns.retain(epoch, live)
	columns := func(field string) ([]*column, error) {
		cols := make([]*column, len(live))
		for i, seg := range live {
			var err error
			if cols[i], err = s.columns.get(seg, field); err != nil {
				return nil, err
			}
		}
		return cols, nil
	}
	for _, field := range spec.facets {
		cols, err := columns(field)
		if err != nil {
			return nil, err
		}
		w.facets = append(w.facets, cols)
		// Every column of this search is built: no value it holds is
		// numbered beyond the dictionary's length now.
		w.counts = append(w.counts, make([]int, len(s.columns.dict(field).snapshot())))
	}
	for _, sel := range spec.selected {
		cols, err := columns(sel.field)
		if err != nil {
			return nil, err
		}
		w.selCols = append(w.selCols, cols)
		d := s.columns.dict(sel.field)
		var ids []uint32
		for _, v := range sel.values {
			ids = append(ids, d.id(v))
		}
		w.selVals = append(w.selVals, ids)
	}
	if len(spec.selected) > 0 {
		names := s.columns.dict(FilterYear).snapshot()
		w.yearNames = names
	}
	for _, field := range spec.facets {
		k := slices.IndexFunc(spec.selected, func(sel selection) bool { return sel.field == field })
		w.facetSel = append(w.facetSel, k)
	}
	if sub := spec.subset; sub != nil {
		var err error
		if w.subCols, err = columns(sub.field); err != nil {
			return nil, err
		}
		for _, v := range sub.values {
			w.subVals = append(w.subVals, s.columns.dict(sub.field).id(v))
		}
	}
	w.best = make(worstFirst, 0, w.keep+1)
	return w, nil
}

// add takes one match; matches come in increasing number.
func (w *walk) add(r ranked) {
	if len(w.spec.selected) == 0 {
		w.total++
		w.keepBest(r)
		if len(w.facets) == 0 && w.spec.subset == nil {
			return
		}
	}
	if r.num < w.offsets[w.seg] || r.num >= w.offsets[w.seg+1] {
		w.seg = sort.Search(len(w.offsets)-1, func(i int) bool { return w.offsets[i+1] > r.num })
	}
	local := r.num - w.offsets[w.seg]
	if len(w.spec.selected) > 0 {
		// missed counts the selections the match fails; miss is the
		// last of them.
		missed, miss := 0, -1
		for k := range w.spec.selected {
			if !w.meets(k, local) {
				missed, miss = missed+1, k
				if missed > 1 {
					return // counted nowhere
				}
			}
		}
		if missed == 1 {
			// Only the selected facet that it fails counts it.
			for f, cols := range w.facets {
				if w.facetSel[f] == miss {
					c := cols[w.seg]
					for _, v := range c.vals[c.start[local]:c.start[local+1]] {
						w.counts[f][v]++
					}
				}
			}
			return
		}
		w.total++
		w.keepBest(r)
	}
	if w.spec.subset != nil {
		c := w.subCols[w.seg]
		for _, v := range c.vals[c.start[local]:c.start[local+1]] {
			if slices.Contains(w.subVals, v) {
				w.subBest.keep(r, w.spec.subset.size)
				break
			}
		}
	}
	for f, cols := range w.facets {
		c := cols[w.seg]
		for _, v := range c.vals[c.start[local]:c.start[local+1]] {
			w.counts[f][v]++
		}
	}
}

// facetValues returns each facet's top values, by count then value, as
// Bleve orders them.
func (w *walk) facetValues(fc *facetColumns) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(w.spec.facets))
	for f, field := range w.spec.facets {
		names := fc.dict(field).snapshot()
		vals := []FacetValue{}
		for v, n := range w.counts[f] {
			if n > 0 {
				vals = append(vals, FacetValue{Value: names[v], Count: n})
			}
		}
		slices.SortFunc(vals, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if field == FilterYear {
			sortNewestFirst(vals)
		}
		out[field] = vals[:min(len(vals), w.spec.facetSize)]
	}
	return out
}

// coverageOf returns the share of the spec's units each of the kept hits
// matches, by id: the required units, which every hit matches, and those
// of the others its number is found in.
func (s *Searcher) coverageOf(ctx context.Context, reader index.IndexReader, spec windowSpec, kept []ranked, names map[uint64]string) (map[string]float64, error) {
	cov := make(map[string]float64, len(kept))
	if len(spec.units) <= 1 {
		for _, r := range kept {
			cov[names[r.num]] = 1
		}
		return cov, nil
	}
	nums := make([]uint64, len(kept))
	for i, r := range kept {
		nums[i] = r.num
	}
	matched, err := s.unitMatches(ctx, reader, spec.units[min(spec.required, len(spec.units)):], nums)
	if err != nil {
		return nil, err
	}
	for _, r := range kept {
		cov[names[r.num]] = float64(spec.required+matched[r.num]) / float64(len(spec.units))
	}
	return cov, nil
}

// unitMatches counts, for each of the documents nums, how many of units it
// matches: each unit's searcher leaps from one of them to the next.
func (s *Searcher) unitMatches(ctx context.Context, reader index.IndexReader, units []query.Query, nums []uint64) (map[uint64]int, error) {
	out := make(map[uint64]int, len(nums))
	if len(units) == 0 || len(nums) == 0 {
		return out, nil
	}
	nums = slices.Clone(nums)
	slices.Sort(nums)
	nums = slices.Compact(nums)
	id := index.NewIndexInternalID(nil, 0)
	for _, u := range units {
		if err := ctx.Err(); err != nil {
			return nil, searchError(err)
		}
		us, err := u.Searcher(ctx, reader, s.idx.Mapping(), search.SearcherOptions{Score: "none"})
		if err != nil {
			return nil, searchError(err)
		}
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(us.DocumentMatchPoolSize()+1, 0),
			IndexReader: reader}
		var at uint64 // the unit's current match; 0 before the first
		started := false
		for _, n := range nums {
			if started && at >= n {
				if at == n {
					out[n]++
				}
				continue
			}
			id.SetValue(n)
			m, err := us.Advance(sctx, id)
			if err != nil {
				us.Close()
				return nil, searchError(err)
			}
			if m == nil {
				break // no match at or after n
			}
			at, started = m.IndexInternalID.Value(), true
			sctx.DocumentMatchPool.Put(m)
			if at == n {
				out[n]++
			}
		}
		if err := us.Close(); err != nil {
			return nil, fmt.Errorf("searching: %w", err)
		}
	}
	return out, nil
}

// meets reports whether the local document of the current segment meets
// the k-th selection.
func (w *walk) meets(k int, local uint64) bool {
	sel := w.spec.selected[k]
	c := w.selCols[k][w.seg]
	for _, v := range c.vals[c.start[local]:c.start[local+1]] {
		if sel.ranges != nil {
			if int(v) < len(w.yearNames) && sel.inRange(w.yearNames[v]) {
				return true
			}
			continue
		}
		if slices.Contains(w.selVals[k], v) {
			return true
		}
	}
	return false
}
