package search

import (
	"container/list"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/hrsearch/hrsearch/corpus"
)

// epochFunc returns an index's snapshot epoch, which grows whenever what
// searches see changes (a batch, a merge), or ok=false when the index
// cannot say (an alias over several indexes): then nothing is cached.
type epochFunc func() (epoch uint64, ok bool)

// indexEpoch reads Bleve's root snapshot epoch. Scorch stores it after
// swapping in a new snapshot, so a reader that reads the epoch before it
// searches never sees data older than the epoch it read: anything it
// caches under that epoch is at least that fresh, and a later epoch drops it.
func indexEpoch(idx bleve.Index) epochFunc {
	adv, err := idx.Advanced()
	if err != nil {
		return func() (uint64, bool) { return 0, false }
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return func() (uint64, bool) { return 0, false }
	}
	st, ok := sc.Stats().(*scorch.Stats)
	if !ok {
		return func() (uint64, bool) { return 0, false }
	}
	return func() (uint64, bool) { return atomic.LoadUint64(&st.CurRootEpoch), true }
}

// rankInfo is what the domain ranking reads of a passage: fixed for as long
// as the passage is not re-indexed.
type rankInfo struct {
	doc, tier, own, lang, unit string
	order                      float64
}

// maxRankInfos bounds the rank cache (about 150 bytes an entry): past it,
// the cache starts over.
const maxRankInfos = 1 << 20

// rankCache keeps rankInfo by passage id for one index epoch. Reading it
// from the index costs a stored-document load (decompressing the passage's
// text) per candidate, per search; a search ranks 300 to 500 candidates.
type rankCache = epochCache[rankInfo]

// maxCases bounds the case cache (a decision's case is a few hundred
// bytes): past it, the cache starts over.
const maxCases = 1 << 16

// caseCache keeps, by document id, the case a decision's first passage
// holds (nil: none), for one index epoch: the hits of a decision other
// than its first passage take their case from it, which costs a search
// and a stored-document load per page otherwise.
type caseCache = epochCache[*corpus.Case]

// epochCache keeps values by id for one index epoch.
type epochCache[V any] struct {
	mu    sync.RWMutex
	epoch uint64
	m     map[string]V
}

// get puts the cached values of ids at epoch into into, and returns the
// ids it lacks.
func (c *epochCache[V]) get(epoch uint64, ids []string, into map[string]V) (missing []string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.m == nil || c.epoch != epoch {
		return ids
	}
	for _, id := range ids {
		if v, ok := c.m[id]; ok {
			into[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	return missing
}

// put stores values read at epoch. An older epoch's values are dropped; a
// newer epoch, or more than limit values, starts the cache over.
func (c *epochCache[V]) put(epoch uint64, values map[string]V, limit int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.m != nil && epoch < c.epoch:
		return
	case c.m == nil || epoch > c.epoch || len(c.m)+len(values) > limit:
		c.m = make(map[string]V, len(values))
		c.epoch = epoch
	}
	maps.Copy(c.m, values)
}

// DefaultWindowCache is how many ranked windows a Searcher keeps: each is
// a few tens of kilobytes (up to 500 candidates and the facet counts).
const DefaultWindowCache = 512

// WithWindowCache sets how many ranked windows are kept (0: none).
func WithWindowCache(n int) Option {
	return func(s *Searcher) { s.windows = newWindowCache(n) }
}

// windowCache keeps the ranked windows of recent relevance searches for
// one index epoch, least recently used out first. Every page of a search
// shares its window, and the facet counts over all matches are most of a
// search's cost: a researcher paging through results, or many asking the
// same thing, reuse them until the index changes.
type windowCache struct {
	hits, misses atomic.Uint64

	mu    sync.Mutex
	max   int
	epoch uint64
	lru   *list.List // of *windowEntry, most recent first
	m     map[string]*list.Element
}

type windowEntry struct {
	key string
	w   *window
}

func newWindowCache(n int) *windowCache {
	return &windowCache{max: n, lru: list.New(), m: make(map[string]*list.Element)}
}

// get returns the window kept for key at epoch if it holds Bleve's best
// depth hits (or every match).
func (c *windowCache) get(epoch uint64, key string, depth int) (*window, bool) {
	if c.max <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || epoch != c.epoch {
		c.misses.Add(1)
		return nil, false
	}
	if w := e.Value.(*windowEntry).w; w.depth() < depth && uint64(w.depth()) < w.total {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	c.lru.MoveToFront(e)
	return e.Value.(*windowEntry).w, true
}

func (c *windowCache) put(epoch uint64, key string, w *window) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case epoch < c.epoch:
		return // computed on an older snapshot than the cache holds
	case epoch > c.epoch:
		c.lru.Init()
		clear(c.m)
		c.epoch = epoch
	}
	if e, ok := c.m[key]; ok {
		if old := e.Value.(*windowEntry); w.depth() >= old.w.depth() {
			old.w = w // a shallower window computed meanwhile keeps the deeper one
		}
		c.lru.MoveToFront(e)
		return
	}
	c.m[key] = c.lru.PushFront(&windowEntry{key: key, w: w})
	for c.lru.Len() > c.max {
		old := c.lru.Remove(c.lru.Back()).(*windowEntry)
		delete(c.m, old.key)
	}
}

// windowKey names what a ranked window depends on: the query, the
// filters, the facets and their size. Not the page, its size, nor
// snippets, which are cut from the window afterwards.
func windowKey(req Request, facets []string) string {
	var b strings.Builder
	b.WriteString(req.Query)
	b.WriteByte(0)
	fields := make([]string, 0, len(req.Filters))
	for f := range req.Filters {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		vals := slices.Clone(req.Filters[f])
		slices.Sort(vals)
		b.WriteString(f)
		b.WriteByte(1)
		b.WriteString(strings.Join(vals, "\x02"))
		b.WriteByte(0)
	}
	b.WriteString(strings.Join(facets, "\x02"))
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(req.FacetSize))
	if req.Exact {
		b.WriteString("\x00exact")
	}
	return b.String()
}

// CacheStats counts the window cache's use since the Searcher was made.
type CacheStats struct {
	WindowHits   uint64 `json:"window_hits"`
	WindowMisses uint64 `json:"window_misses"`
}

// CacheStats returns the window cache's counters.
func (s *Searcher) CacheStats() CacheStats {
	return CacheStats{WindowHits: s.windows.hits.Load(), WindowMisses: s.windows.misses.Load()}
}
