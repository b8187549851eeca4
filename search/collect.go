package search

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

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

func (h worstFirst) Len() int { return len(h) }
func (h worstFirst) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].num > h[j].num
}
func (h worstFirst) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)   { *h = append(*h, x.(ranked)) }
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
}

// collected is what collectWindow found.
type collected struct {
	hits   []scored
	more   []scored // the next best after hits, in order
	total  uint64
	facets map[string][]FacetValue
	// subset holds the best matches of the subset asked for, if any (nil
	// when none was asked for or the collector could not tell).
	subset []scored
	// coverage is the share of the units each kept hit matches, by id
	// (nil when the collector could not tell).
	coverage map[string]float64
}

// subset names matches to keep apart: those whose field holds one of
// values, the best size of them.
type subset struct {
	field  string
	values []string
	size   int
}

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
func (s *Searcher) collectWindow(ctx context.Context, spec windowSpec) (out *collected, ok bool, err error) {
	facets, sub := spec.facets, spec.subset
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, false, nil
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("searching: %w", err)
	}
	defer reader.Close()
	snap, isScorch := reader.(*scorch.IndexSnapshot)
	if !isScorch {
		return nil, false, nil
	}

	// The snapshot's segments and the first document number of each, as
	// scorch numbers them: segment after segment, deleted ones included.
	segs := snap.Segments()
	live := make([]segment.Segment, len(segs))
	offsets := make([]uint64, len(segs)+1)
	for i, ss := range segs {
		live[i] = ss.Segment()
		offsets[i+1] = offsets[i] + ss.Segment().Count()
	}
	s.columns.retain(live)
	cols := make([][]*column, len(facets)) // by facet, by segment
	for f, field := range facets {
		cols[f] = make([]*column, len(segs))
		for i, seg := range live {
			if cols[f][i], err = s.columns.get(seg, field); err != nil {
				return nil, false, err
			}
		}
	}
	var subCols []*column
	var subVals []uint32
	if sub != nil {
		subCols = make([]*column, len(segs))
		for i, seg := range live {
			if subCols[i], err = s.columns.get(seg, sub.field); err != nil {
				return nil, false, err
			}
		}
		for _, v := range sub.values {
			subVals = append(subVals, s.columns.dict(sub.field).id(v))
		}
	}
	counts := make([][]int, len(facets))
	for f, field := range facets {
		counts[f] = make([]int, len(s.columns.dict(field).snapshot()))
	}

	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string {
		if m, ok := s.idx.Mapping().(*mapping.IndexMappingImpl); ok && m.ScoringModel == index.BM25Scoring {
			return index.BM25Scoring
		}
		return index.DefaultScoringModel
	}))
	searcher, err := spec.query.Searcher(ctx, reader, s.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, false, searchError(err)
	}
	defer searcher.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize()+1, 0),
		IndexReader: reader}

	keep := spec.size + max(spec.more, 0)
	best := make(worstFirst, 0, keep+1)
	var subBest worstFirst
	var total uint64
	seg := 0
	for {
		if total%checkDoneEvery == 0 {
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
		total++
		r := ranked{score: m.Score, num: m.IndexInternalID.Value()}
		sctx.DocumentMatchPool.Put(m)
		best.keep(r, keep)
		if len(facets) == 0 && sub == nil {
			continue
		}
		// Matches come in increasing number: move to their segment.
		if r.num < offsets[seg] || r.num >= offsets[seg+1] {
			seg = sort.Search(len(segs), func(i int) bool { return offsets[i+1] > r.num })
		}
		local := r.num - offsets[seg]
		if sub != nil {
			c := subCols[seg]
			for _, v := range c.vals[c.start[local]:c.start[local+1]] {
				if slices.Contains(subVals, v) {
					subBest.keep(r, sub.size)
					break
				}
			}
		}
		for f := range facets {
			c := cols[f][seg]
			for _, v := range c.vals[c.start[local]:c.start[local+1]] {
				counts[f][v]++
			}
		}
	}

	out = &collected{total: total, facets: make(map[string][]FacetValue, len(facets))}
	id := index.NewIndexInternalID(nil, 0)
	names := make(map[uint64]string, len(best)+len(subBest)) // a match can be in both
	named := func(rs []ranked) ([]scored, error) {
		out := make([]scored, 0, len(rs))
		for _, r := range rs {
			ext, ok := names[r.num]
			if !ok {
				id.SetValue(r.num)
				if ext, err = reader.ExternalID(id); err != nil {
					return nil, fmt.Errorf("searching: %w", err)
				}
				names[r.num] = ext
			}
			out = append(out, scored{id: ext, score: r.score})
		}
		return out, nil
	}
	all, err := named(best.sorted())
	if err != nil {
		return nil, false, err
	}
	out.hits, out.more = all[:min(len(all), spec.size)], all[min(len(all), spec.size):]
	best = best[:len(out.hits)] // the window: coverage is for it and the subset
	if sub != nil {
		if out.subset, err = named(subBest.sorted()); err != nil {
			return nil, false, err
		}
	}
	kept := make([]uint64, 0, len(best)+len(subBest))
	for _, r := range slices.Concat(best, subBest) {
		kept = append(kept, r.num)
	}
	matched, err := s.unitMatches(ctx, reader, spec.units[min(spec.required, len(spec.units)):], kept)
	if err != nil {
		return nil, false, err
	}
	out.coverage = make(map[string]float64, len(kept))
	for i, h := range slices.Concat(out.hits, out.subset) {
		out.coverage[h.id] = 1
		if len(spec.units) > 1 {
			out.coverage[h.id] = float64(spec.required+matched[kept[i]]) / float64(len(spec.units))
		}
	}
	for f, field := range facets {
		names := s.columns.dict(field).snapshot()
		var vals []FacetValue
		for v, n := range counts[f] {
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
		if len(vals) > spec.facetSize {
			vals = vals[:spec.facetSize]
		}
		if vals == nil {
			vals = []FacetValue{}
		}
		out.facets[field] = vals
	}
	return out, true, nil
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
