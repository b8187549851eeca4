package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// Limits on a request, each with the reason it exists.
const (
	// MaxSize caps hits per page: a researcher reads tens, not thousands,
	// and memory grows with from+size.
	MaxSize = 100
	// DefaultSize is the page size when none is asked for.
	DefaultSize = 10
	// MaxWindow caps from+size: deep paging costs memory proportional to it.
	MaxWindow = 10000
	// DefaultFacetSize and MaxFacetSize bound the values per facet: facet
	// memory grows with their size.
	DefaultFacetSize = 10
	MaxFacetSize     = 1000
	// SearchTimeout is the deadline of every search.
	SearchTimeout = 2 * time.Second
	// maxClauses bounds the clauses one query may expand to inside Bleve,
	// so that no term expansion can take seconds and gigabytes. Our queries
	// never use wildcards or regexps; this is a second line of defence.
	maxClauses = 1024
	// rescoreWindow is how many of Bleve's best hits the domain ranking
	// reorders. Deeper pages keep the order of the window they fall in.
	rescoreWindow = 300
	// MaxFilterValues caps the values of one filter: each is a clause.
	MaxFilterValues = 50
	// maxPassagesPerDocument bounds a document view.
	maxPassagesPerDocument = 10000
)

var setClauseLimit sync.Once

// Searcher runs searches against the passage index.
type Searcher struct {
	idx bleve.Index
	lex *Lexicon
	// analyzers read a query's text in each reading, in the languages
	// the index analyses (schema.QueryAnalyzers).
	analyzers [schema.Exact + 1][]analysis.Analyzer
	// hasNotes says the index has FieldNoteText: footnotes' words are
	// searched at a low weight.
	hasNotes bool
	timeout  time.Duration
	epoch    epochFunc    // the index's snapshot epoch: the caches' validity
	gen      epochFunc    // the index's batches applied: what cursors and ETags follow (cursor.go)
	instance uint64       // this Searcher, in its cursors: a restart makes them stale
	ranks    rankCache    // rank fields by passage id
	cases    caseCache    // decisions' cases by document id
	windows  *windowCache // ranked windows of recent searches
	columns  *facetColumns
	// bleveCollector makes relevance searches use Bleve's collector (and a
	// search each for the authoritative candidates and the coverage), as
	// an index whose segments cannot be read does: the reference the
	// walk is tested against.
	bleveCollector bool
	// slots admits searches: at most cap(slots) run at once, so that a
	// burst cannot make every search slow; the rest wait up to admitWait
	// and are then turned away (ErrBusy: 503 with Retry-After).
	slots chan struct{}
	valuesCache
}

// Admission limits: a search uses about one core for tens of
// milliseconds, so more in flight than twice the cores only adds waiting.
const admitWait = 250 * time.Millisecond

func defaultSlots() int { return 2 * runtime.GOMAXPROCS(0) }

// WithMaxConcurrent sets how many searches may run at once.
func WithMaxConcurrent(n int) Option {
	return func(s *Searcher) {
		if n > 0 {
			s.slots = make(chan struct{}, n)
		}
	}
}

// Option configures a Searcher.
type Option func(*Searcher)

// WithTimeout sets the deadline of every search (default SearchTimeout).
func WithTimeout(d time.Duration) Option {
	return func(s *Searcher) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// New returns a Searcher over idx, an index built with indexer's mapping.
func New(idx bleve.Index, opts ...Option) (*Searcher, error) {
	setClauseLimit.Do(func() { searcher.DisjunctionMaxClauseCount = maxClauses })
	lex, err := LoadLexicon()
	if err != nil {
		return nil, err
	}
	s := &Searcher{idx: idx, lex: lex, timeout: SearchTimeout, slots: make(chan struct{}, defaultSlots()),
		epoch: indexEpoch(idx), gen: indexGeneration(idx), instance: newInstance(), windows: newWindowCache(DefaultWindowCache), columns: newFacetColumns()}
	for _, o := range opts {
		o(s)
	}
	for _, r := range []schema.Reading{schema.Words, schema.Exact} {
		for _, name := range schema.QueryAnalyzers(r) {
			a := idx.Mapping().AnalyzerNamed(name)
			if a == nil {
				return nil, fmt.Errorf("index has no analyzer %s: built with another mapping?", name)
			}
			s.analyzers[r] = append(s.analyzers[r], a)
		}
	}
	s.hasNotes = hasField(idx.Mapping(), schema.FieldNoteText, schema.FieldNoteText)
	return s, nil
}

// storedFields are the fields a hit carries.
var storedFields = []string{schema.FieldBody, schema.FieldDocument, schema.FieldUnit, schema.FieldTitle, schema.FieldHeading, schema.FieldSection,
	schema.FieldKind, schema.FieldLanguage, schema.FieldYear, schema.FieldDate, schema.FieldSymbol,
	schema.FieldInstr, schema.FieldArticle, schema.FieldState, schema.FieldOwnArticle, schema.FieldTier, schema.FieldCase, schema.FieldCaseName}

// rankFieldNames are the stored fields the domain ranking reads for each
// candidate (kept in the rank cache).
var rankFieldNames = []string{schema.FieldDocument, schema.FieldTier, schema.FieldOwnArticle,
	schema.FieldLanguage, schema.FieldUnit, schema.FieldOrder}

// validate normalises req and rejects what cannot be served.
func validate(req *Request) error {
	if req.Size == 0 {
		req.Size = DefaultSize
	}
	if req.Page == 0 {
		req.Page = 1
	}
	switch {
	case req.Size < 0 || req.Size > MaxSize:
		return fmt.Errorf("%w: size must be between 1 and %d", corpus.ErrInvalid, MaxSize)
	case req.Page < 0:
		return fmt.Errorf("%w: page must be 1 or more", corpus.ErrInvalid)
	case req.Page > MaxWindow || (req.Page-1)*req.Size+req.Size > MaxWindow:
		return fmt.Errorf("%w: results beyond the first %d cannot be paged to; narrow the search", corpus.ErrInvalid, MaxWindow)
	case req.FacetSize < 0:
		return fmt.Errorf("%w: facet size must not be negative", corpus.ErrInvalid)
	}
	if req.FacetSize == 0 {
		req.FacetSize = DefaultFacetSize
	}
	if req.FacetSize > MaxFacetSize {
		req.FacetSize = MaxFacetSize
	}
	switch req.Sort {
	case "", SortRelevance, SortDate, SortDateAsc:
	default:
		return fmt.Errorf("%w: sort must be %s, %s or %s", corpus.ErrInvalid, SortRelevance, SortDate, SortDateAsc)
	}
	for f, vals := range req.Filters {
		if !filterFields[f] {
			return fmt.Errorf("%w: unknown filter %q", corpus.ErrInvalid, f)
		}
		if len(vals) > MaxFilterValues {
			return fmt.Errorf("%w: at most %d values of %s", corpus.ErrInvalid, MaxFilterValues, f)
		}
	}
	return nil
}

// Search runs one search.
func (s *Searcher) Search(ctx context.Context, req Request) (*Results, error) {
	start := time.Now()
	if err := validate(&req); err != nil {
		return nil, err
	}
	if err := s.admit(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.slots }()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	node, _ := parseQuery(req.Query)
	notices, err := s.checkRequest(ctx, &req, node)
	if err != nil {
		return nil, err
	}
	cur, err := s.readCursor(req)
	if err != nil {
		return nil, err
	}
	plan := s.plan(req)
	from := (req.Page - 1) * req.Size
	if cur != nil {
		from = 0
	}
	facets := req.Facets
	if facets == nil {
		facets = FacetNames
	}
	for _, f := range facets {
		if !filterFields[f] {
			return nil, fmt.Errorf("%w: unknown facet %q", corpus.ErrInvalid, f)
		}
	}
	out := &Results{Page: req.Page, Size: req.Size, Articles: plan.articles, Expanded: plan.expanded,
		Notices: append(notices, plan.notices...)}

	var page []scored
	if (req.Sort == "" || req.Sort == SortRelevance) && plan.text != nil {
		// Relevance ranking reorders a fixed window of Bleve's best hits,
		// the same for every page, so that pages never overlap; deeper hits
		// follow in Bleve's order.
		w, err := s.rankedWindow(ctx, req, plan, facets, windowDepth(from, req.Size, cur))
		if err != nil {
			return nil, err
		}
		out.Total, out.Facets = w.total, copyFacets(w.facets)
		if plan.all != nil {
			out.Words = &WordCounts{Terms: plan.allOf, All: w.all, Any: w.total}
		}
		if cur != nil {
			if page, out.Next, err = s.relevanceAfter(ctx, req, plan, w, cur); err != nil {
				return nil, err
			}
		} else {
			// The window's part of the page, then the hits beyond it in
			// the order a cursor walks them (cursor.go), so that a numbered
			// page's next cursor goes on exactly where the page ends.
			if from < len(w.ranked) {
				page = slices.Clip(w.ranked[from:min(len(w.ranked), from+req.Size)]) // appending must not write into the cached window
			}
			if rest := req.Size - len(page); rest > 0 {
				beyond, err := s.beyondWindow(ctx, plan, w, max(0, from-len(w.ranked)), rest)
				if err != nil {
					return nil, err
				}
				page = append(page, beyond...)
			}
			if out.Next, err = s.relevanceNext(ctx, req, w, from, page); err != nil {
				return nil, err
			}
		}
		if req.Page == 1 {
			found, err := s.lookup(ctx, req.Query, plan.filter)
			if err != nil {
				return nil, err
			}
			page = withLookups(page, found, req.Size)
			out.Total = max(out.Total, uint64(len(found)))
		}
	} else {
		// Bleve sorts the page by the fields' doc values; the walk counts
		// the facets, as for relevance (Bleve's doc-value facets cost
		// several times the walk), when it can read the index.
		var c *collected
		var err error
		if !s.bleveCollector && len(facets) > 0 {
			spec := windowSpec{query: plan.query, facets: facets, facetSize: req.FacetSize}
			if plan.broad != nil {
				spec.query, spec.selected = plan.broad, plan.selected
			}
			if c, _, err = s.collectWindow(ctx, spec); err != nil {
				return nil, err
			}
		}
		sreq := bleve.NewSearchRequestOptions(plan.query, req.Size, from, false)
		if c == nil {
			addFacets(sreq, facets, req.FacetSize)
		}
		// Each order is total (a passage's position is unique in its
		// document): what a cursor's search_after needs.
		switch {
		case req.Sort == SortDate:
			sreq.SortBy([]string{"-" + schema.FieldWhen, schema.FieldDocument, schema.FieldOrder})
		case req.Sort == SortDateAsc:
			sreq.SortBy([]string{schema.FieldWhen, schema.FieldDocument, schema.FieldOrder})
		default: // browsing: by document and position
			sreq.SortBy([]string{schema.FieldDocument, schema.FieldOrder})
		}
		if cur != nil {
			if len(cur.After) != len(sreq.Sort) {
				return nil, ErrBadCursor
			}
			sreq.SearchAfter = cur.after()
		}
		res, err := s.idx.SearchInContext(ctx, sreq)
		if err != nil {
			return nil, searchError(err)
		}
		out.Total, out.Facets = res.Total, facetValues(res, facets)
		if c != nil {
			out.Facets = c.facets // Bleve was asked for none
		}
		var counted []selection
		if c != nil {
			counted = plan.selected
		}
		if out.Facets, err = s.multiSelect(ctx, req, out.Facets, counted); err != nil {
			return nil, err
		}
		if plan.all != nil {
			all, err := s.count(ctx, plan.all)
			if err != nil {
				return nil, err
			}
			out.Words = &WordCounts{Terms: plan.allOf, All: all, Any: res.Total}
		}
		for _, h := range res.Hits {
			page = append(page, scored{id: h.ID, score: h.Score})
		}
		if n := len(res.Hits); n == req.Size && (cur != nil || uint64(from+n) < res.Total) {
			c := s.newCursor(req)
			c.After = afterKeys(res.Hits[n-1].Sort)
			out.Next = c.encode()
		}
	}

	if ys, ok := out.Facets[FilterYear]; ok {
		sortNewestFirst(ys)
		out.Facets[FilterYear] = ys[:min(len(ys), req.FacetSize)]
	}
	ids := make([]string, len(page))
	for i, p := range page {
		ids[i] = p.id
	}
	hits, err := s.load(ctx, ids, plan, !req.NoSnippets)
	if err != nil {
		return nil, err
	}
	if !req.WithText {
		for _, h := range hits {
			h.Text = ""
		}
	}
	out.Hits = make([]Hit, 0, len(page))
	for _, p := range page {
		h, ok := hits[p.id]
		if !ok {
			continue // deleted between the two reads
		}
		h.Score = roundScore(p.score)
		out.Hits = append(out.Hits, *h)
	}
	out.Took = time.Since(start)
	return out, nil
}

// window is the ranked head of a relevance search: what every page of
// the same search shares, and what the window cache keeps.
type window struct {
	total  uint64
	all    uint64 // matches holding every plain word (plan.all)
	facets map[string][]FacetValue
	ranked []scored // reranked: Bleve's window and the authoritative candidates
	hits   int      // Bleve's hits in the window
	extra  int      // authoritative candidates added to it
	// more are Bleve's next best hits after the window, in its order,
	// as deep as a page asked for: deeper pages show them as they are.
	more []scored
	// floor is the lowest of Bleve's scores in the window: where a
	// cursor walk past the window starts.
	floor float64
	// walked says the window comes from the walk, whose more holds,
	// after the best hits by score, every match tied with the last of
	// them (so a page past the window can be ordered from them alone).
	walked bool
}

// windowDepth is how many of Bleve's best hits the window of a numbered
// page from..from+size needs: those a page beyond the reranked window
// picks from (see beyondWindow), rounded up so that the next pages find
// it in the window cache. A cursor's page past the window reads Bleve's
// order itself.
func windowDepth(from, size int, cur *pageCursor) int {
	if cur != nil || from+size <= rescoreWindow {
		return rescoreWindow
	}
	const step = 100
	return (from + size + step - 1) / step * step
}

// appendNew appends to page the hits of more it does not hold yet, and
// says how many.
func appendNew(page, more []scored) ([]scored, int) {
	have := make(map[string]bool, len(page))
	for _, h := range page {
		have[h.id] = true
	}
	n := 0
	for _, h := range more {
		if !have[h.id] {
			page = append(page, h)
			n++
		}
	}
	return page, n
}

// depth is how many of Bleve's best hits the window holds.
func (w *window) depth() int { return w.hits + len(w.more) }

// maxCachedMore bounds the deeper hits a cached window keeps (each about
// 120 bytes): a request deeper than that computes its own.
const maxCachedMore = 1000

// rankedWindow returns the reranked window of a relevance search, from the
// window cache when the index has not changed since it was computed.
// depth is how many of Bleve's best hits the page asked for needs.
func (s *Searcher) rankedWindow(ctx context.Context, req Request, plan *plan, facets []string, depth int) (*window, error) {
	epoch, cacheable := s.epoch()
	key := windowKey(req, facets)
	if cacheable {
		if w, ok := s.windows.get(epoch, key, depth); ok {
			return w, nil
		}
	}
	// Ties keep Bleve's order (the earlier match first), stable for an
	// index snapshot, and sortScored breaks the window's ties.
	c, err := s.window(ctx, plan, facets, req.FacetSize, depth-rescoreWindow)
	if err != nil {
		return nil, err
	}
	w := &window{total: c.total, facets: c.facets, hits: len(c.hits), more: c.more, walked: c.walked}
	var counted []selection // the selected facets the walk counted
	if c.walked {
		counted = plan.selected
	}
	if w.facets, err = s.multiSelect(ctx, req, w.facets, counted); err != nil {
		return nil, err
	}
	if plan.all != nil {
		if w.all, err = s.count(ctx, plan.all); err != nil {
			return nil, err
		}
	}
	for i, h := range c.hits {
		if i == 0 || h.score < w.floor {
			w.floor = h.score
		}
	}
	page := make([]scored, 0, len(c.hits)+authoritativeWindow)
	page = append(page, c.hits...)
	// The governing texts are few and short: make sure the best of them
	// are candidates even when findings fill Bleve's window (which holds
	// them already when it holds every match).
	if c.total > uint64(len(c.hits)) {
		extra := c.subset
		if !c.walked {
			if extra, err = s.authoritative(ctx, plan); err != nil {
				return nil, err
			}
		}
		page, w.extra = appendNew(page, extra)
	}
	definers, err := s.definers(ctx, plan, page)
	if err != nil {
		return nil, err
	}
	page, added := appendNew(page, definers)
	w.extra += added
	if err := s.rankFields(ctx, page); err != nil {
		return nil, err
	}
	cov := c.coverage
	if !c.walked {
		if cov, err = s.coverage(ctx, plan, page); err != nil {
			return nil, err
		}
	}
	if cov == nil {
		cov = map[string]float64{}
	}
	defining := make(map[string]bool, len(definers))
	for _, h := range definers {
		defining[h.id] = true
		// A definition holds the words of the term it defines, which are
		// the query's: it covers the query.
		cov[h.id] = 1
	}
	rerank(page, plan, cov, defining)
	w.ranked = page
	if cacheable {
		cw := w
		if len(w.more) > maxCachedMore {
			c := *w
			// Not the whole array under it; without the matches tied
			// with the first left out, which some of the next ones
			// would follow in the order of a page past the window.
			cut := maxCachedMore
			for cut > 0 && c.more[cut-1].score == c.more[maxCachedMore].score {
				cut--
			}
			c.more = slices.Clone(c.more[:cut])
			cw = &c
		}
		s.windows.put(epoch, key, cw)
	}
	return w, nil
}

// window returns the best rescoreWindow hits of q, the number of matches,
// the facets over all of them and the best authoritative matches: in one
// walk over the matches when the index's segments can be read, else by
// Bleve (and the authoritative matches are left to the caller).
func (s *Searcher) window(ctx context.Context, p *plan, facets []string, facetSize, more int) (*collected, error) {
	if !s.bleveCollector {
		spec := windowSpec{query: p.query, size: rescoreWindow, more: more, facets: facets,
			facetSize: facetSize, subset: &authoritativeSubset, units: p.units, required: p.required, ties: more > 0}
		if p.broad != nil {
			spec.query, spec.selected = p.broad, p.selected
		}
		c, ok, err := s.collectWindow(ctx, spec)
		if err != nil || ok {
			return c, err
		}
	}
	sreq := bleve.NewSearchRequestOptions(p.query, rescoreWindow+more, 0, false)
	addFacets(sreq, facets, facetSize)
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	c := &collected{total: res.Total, facets: facetValues(res, facets)}
	for i, h := range res.Hits {
		if i < rescoreWindow {
			c.hits = append(c.hits, scored{id: h.ID, score: h.Score})
		} else {
			c.more = append(c.more, scored{id: h.ID, score: h.Score})
		}
	}
	return c, nil
}

func addFacets(sreq *bleve.SearchRequest, facets []string, size int) {
	for _, f := range facets {
		n := size
		if f == FilterYear {
			n = MaxFacetSize // all of them: the newest are listed first
		}
		sreq.AddFacet(f, bleve.NewFacetRequest(f, n))
	}
}

// sortNewestFirst orders year values by year, the newest first.
func sortNewestFirst(vals []FacetValue) {
	slices.SortFunc(vals, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
}

func facetValues(res *bleve.SearchResult, facets []string) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(facets))
	for _, f := range facets {
		out[f] = []FacetValue{}
		if fr, ok := res.Facets[f]; ok && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				out[f] = append(out[f], FacetValue{Value: t.Term, Count: t.Count})
			}
		}
	}
	return out
}

func copyFacets(in map[string][]FacetValue) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(in))
	for f, vs := range in {
		out[f] = slices.Clone(vs)
	}
	return out
}

func roundScore(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 6, 64), 64)
	return v
}

// load fetches the stored fields (and snippets) of the given passages.
func (s *Searcher) load(ctx context.Context, ids []string, plan *plan, snippets bool) (map[string]*Hit, error) {
	out := make(map[string]*Hit, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := s.loadFields(ctx, ids, plan, snippets)
	if err != nil {
		return nil, err
	}
	for _, h := range docs {
		hit := &Hit{
			ID:         h.ID,
			Document:   str(h.Fields[schema.FieldDocument]),
			Title:      str(h.Fields[schema.FieldTitle]),
			Unit:       str(h.Fields[schema.FieldUnit]),
			Heading:    str(h.Fields[schema.FieldHeading]),
			Section:    str(h.Fields[schema.FieldSection]),
			Kind:       str(h.Fields[schema.FieldKind]),
			Language:   str(h.Fields[schema.FieldLanguage]),
			Year:       str(h.Fields[schema.FieldYear]),
			Date:       str(h.Fields[schema.FieldDate]),
			Instrument: strs(h.Fields[schema.FieldInstr]),
			Article:    strs(h.Fields[schema.FieldArticle]),
			State:      strs(h.Fields[schema.FieldState]),
			Symbol:     strs(h.Fields[schema.FieldSymbol]),
		}
		if hit.Title == "" {
			hit.Title = displayTitle(hit.Document, str(h.Fields[schema.FieldBody]), hit.Symbol)
		}
		hit.Case, hit.Citation = citationOf(h.Fields, hit.Title, plan.articles)
		hit.Title = caseTitle(h.Fields, hit.Title, hit.Case)
		if frags := h.Frags; len(frags) > 0 {
			hit.Snippet = snippetFromFragments(frags)
		} else {
			hit.Snippet = leadSnippet(str(h.Fields[schema.FieldText]))
		}
		hit.Text = str(h.Fields[schema.FieldText])
		out[h.ID] = hit
	}
	if err := s.addCases(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadedFields are a passage's stored fields, as a Bleve hit holds them
// (a value stored once is a string, several a list), and its text's
// highlighted fragments.
type loadedFields struct {
	ID     string
	Fields map[string]interface{}
	Frags  []string
}

// loadFields reads the stored fields of the passages ids, with their
// highlighted fragments when snippets are asked for and the query has
// words to mark: by Bleve's highlighter, which reads the whole stored
// document; else from the index's segments, the fields alone.
func (s *Searcher) loadFields(ctx context.Context, ids []string, plan *plan, snippets bool) ([]loadedFields, error) {
	highlight := snippets && plan.text != nil
	names := append(slices.Clip(storedFields), schema.FieldText)
	if !highlight {
		stored, ok, err := s.storedValues(ids, names)
		if err != nil || ok {
			return stored, err
		}
	}
	var q query.Query = query.NewDocIDQuery(ids)
	if highlight {
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.AddMust(query.NewDocIDQuery(ids))
		bq.AddShould(plan.highlight)
		q = bq
	}
	sreq := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	sreq.Fields = names
	if highlight {
		sreq.Highlight = bleve.NewHighlightWithStyle(html.Name)
		sreq.Highlight.Fields = []string{schema.FieldText}
	}
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	out := make([]loadedFields, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, loadedFields{ID: h.ID, Fields: h.Fields, Frags: h.Fragments[schema.FieldText]})
	}
	return out, nil
}

// storedValues reads the stored fields names of the passages ids from the
// segments of the index's snapshot, as Bleve's search request with those
// Fields returns them; a passage not in the index is left out. ok is
// false when the index is not one whose segments it can read, or a field
// is not stored as text: the caller asks Bleve.
func (s *Searcher) storedValues(ids, names []string) (_ []loadedFields, ok bool, err error) {
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
	if !isScorch || snap == nil {
		return nil, false, nil
	}
	segs := snap.Segments()
	offsets := make([]uint64, len(segs)+1)
	for i, ss := range segs {
		offsets[i+1] = offsets[i] + ss.Segment().Count()
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	out := make([]loadedFields, 0, len(ids))
	for _, id := range ids {
		iid, err := snap.InternalID(id)
		if err != nil {
			return nil, false, fmt.Errorf("searching: %w", err)
		}
		if iid == nil {
			continue // not in the index (deleted)
		}
		num := iid.Value()
		k := sort.Search(len(segs), func(i int) bool { return offsets[i+1] > num })
		if k == len(segs) {
			return nil, false, nil
		}
		fields := map[string]interface{}{}
		text := true
		err = segs[k].VisitDocument(num-offsets[k], func(name string, typ byte, val []byte, _ []uint64) bool {
			if !want[name] {
				return true
			}
			if typ != 't' {
				text = false
				return false
			}
			v := string(val)
			switch prev := fields[name].(type) {
			case nil:
				fields[name] = v
			case []interface{}:
				fields[name] = append(prev, v)
			default:
				fields[name] = []interface{}{prev, v}
			}
			return true
		})
		if err != nil {
			return nil, false, fmt.Errorf("searching: %w", err)
		}
		if !text {
			return nil, false, nil
		}
		out = append(out, loadedFields{ID: id, Fields: fields})
	}
	return out, true, nil
}

// admit takes a search slot, waiting at most admitWait.
func (s *Searcher) admit(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(admitWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-t.C:
		return fmt.Errorf("%w: too many searches at once", corpus.ErrBusy)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// searchError maps Bleve's failures to the error vocabulary.
func searchError(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: the search took too long; try again or make it more specific", corpus.ErrBusy)
	case strings.Contains(err.Error(), "TooManyClauses"):
		return fmt.Errorf("%w: the query expands to too many terms", corpus.ErrTooLarge)
	}
	return fmt.Errorf("searching: %w", err)
}

func str(v interface{}) string {
	switch v := v.(type) {
	case string:
		return v
	case []interface{}:
		if len(v) > 0 {
			if s, ok := v[0].(string); ok {
				return s
			}
		}
	}
	return ""
}

func strs(v interface{}) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []interface{}:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}

// scored is one hit of the rescoring window.
type scored struct {
	id    string
	score float64
	doc   string
	order float64
	tier  string
	lang  string
	own   string
	unit  string
}

// sortScored orders by score, then the stable tie-break: the more
// authoritative tier, the document id, the position in the document. It
// sorts small keys, the last their position (so equal hits keep their
// order), and moves each hit once: a window is 300 to 500 hits.
func sortScored(page []scored) {
	type key struct {
		score float64
		tier  int
		doc   string
		order float64
		at    int
	}
	keys := make([]key, len(page))
	for i, h := range page {
		keys[i] = key{h.score, tierRank[h.tier], h.doc, h.order, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.score != b.score:
			return cmp.Compare(b.score, a.score)
		case a.tier != b.tier:
			return cmp.Compare(a.tier, b.tier)
		case a.doc != b.doc:
			return strings.Compare(a.doc, b.doc)
		case a.order != b.order:
			return cmp.Compare(a.order, b.order)
		}
		return cmp.Compare(a.at, b.at) // stable
	})
	sorted := make([]scored, len(page))
	for i, k := range keys {
		sorted[i] = page[k.at]
	}
	copy(page, sorted)
}

// diversify lowers, in score order, each further passage of a document
// already seen twice by sameDocumentDecay per step.
func diversify(page []scored) {
	seen := map[string]int{}
	for i := range page {
		k := seen[page[i].doc]
		seen[page[i].doc] = k + 1
		for ; k >= 2; k-- {
			page[i].score *= sameDocumentDecay
		}
	}
}

// rankFields fills in the ranking's fields of the candidates: from the
// rank cache, and for the rest from their stored fields, in one request.
func (s *Searcher) rankFields(ctx context.Context, page []scored) error {
	if len(page) == 0 {
		return nil
	}
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.id
	}
	infos := make(map[string]rankInfo, len(page))
	epoch, cacheable := s.epoch()
	missing := ids
	if cacheable {
		missing = s.ranks.get(epoch, ids, infos)
	}
	if len(missing) > 0 {
		stored, ok, err := s.storedValues(missing, rankFieldNames)
		if err != nil {
			return err
		}
		if !ok {
			req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(missing), len(missing), 0, false)
			req.Fields = rankFieldNames
			res, err := s.idx.SearchInContext(ctx, req)
			if err != nil {
				return searchError(err)
			}
			for _, h := range res.Hits {
				stored = append(stored, loadedFields{ID: h.ID, Fields: h.Fields})
			}
		}
		loaded := make(map[string]rankInfo, len(stored))
		for _, h := range stored {
			f := h.Fields
			loaded[h.ID] = rankInfo{doc: str(f[schema.FieldDocument]), tier: str(f[schema.FieldTier]),
				own: str(f[schema.FieldOwnArticle]), lang: str(f[schema.FieldLanguage]),
				unit: str(f[schema.FieldUnit]), order: float64(schema.ParseOrder(f[schema.FieldOrder]))}
		}
		if cacheable {
			s.ranks.put(epoch, loaded, maxRankInfos)
		}
		for id, ri := range loaded {
			infos[id] = ri
		}
	}
	for i := range page {
		p := &page[i]
		if ri, ok := infos[p.id]; ok {
			p.doc, p.tier, p.own, p.lang, p.unit, p.order = ri.doc, ri.tier, ri.own, ri.lang, ri.unit, ri.order
		}
	}
	return nil
}

// displayTitle names an untitled document (a treaty-body decision) by its
// body and symbol. The name is for display only: it is not indexed, so that
// "torture" does not match every decision of the Committee against Torture.
func displayTitle(doc, body string, symbols []string) string {
	e := corpus.Entry{ID: doc, Body: body}
	if len(symbols) > 0 {
		e.Symbol = symbols[0]
	}
	return corpus.DisplayTitle(&e)
}

// hasField reports whether m indexes the property at path into a field
// named name (in any of its document types).
func hasField(m mapping.IndexMapping, path, name string) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return false
	}
	dms := []*mapping.DocumentMapping{im.DefaultMapping}
	for _, dm := range im.TypeMapping {
		dms = append(dms, dm)
	}
	for _, dm := range dms {
		if dm == nil {
			continue
		}
		if prop, ok := dm.Properties[path]; ok {
			for _, f := range prop.Fields {
				if f.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// count returns the number of matches of q: by the walk, which leaps
// over the intersection of a conjunction's parts, when it can read the
// index.
func (s *Searcher) count(ctx context.Context, q query.Query) (uint64, error) {
	if !s.bleveCollector {
		c, ok, err := s.collectWindow(ctx, windowSpec{query: q})
		if err != nil || ok {
			if c == nil {
				return 0, err
			}
			return c.total, err
		}
	}
	res, err := s.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		return 0, searchError(err)
	}
	return res.Total, nil
}

// multiSelect recounts each facet the request filters on without its own
// filter, under the query and the other facets' filters: values of one
// facet are ORed, so the count beside a second value is what clicking it
// adds, not its overlap with the first (multi-select facets).
//
// The walk counts them in its one pass when it can (counted): only the
// others are counted here, by a search each.
func (s *Searcher) multiSelect(ctx context.Context, req Request, facets map[string][]FacetValue, counted []selection) (map[string][]FacetValue, error) {
	for field := range facets {
		if len(req.Filters[field]) == 0 || slices.ContainsFunc(counted, func(sel selection) bool { return sel.field == field }) {
			continue
		}
		others := req
		others.Filters = maps.Clone(req.Filters)
		delete(others.Filters, field)
		p := s.plan(others)
		var vals map[string][]FacetValue
		if !s.bleveCollector {
			c, ok, err := s.collectWindow(ctx, windowSpec{query: p.query, facets: []string{field}, facetSize: req.FacetSize})
			if err != nil {
				return nil, err
			}
			if ok {
				vals = c.facets
			}
		}
		if vals == nil {
			sreq := bleve.NewSearchRequestOptions(p.query, 0, 0, false)
			addFacets(sreq, []string{field}, req.FacetSize)
			res, err := s.idx.SearchInContext(ctx, sreq)
			if err != nil {
				return nil, searchError(err)
			}
			vals = facetValues(res, []string{field})
		}
		facets[field] = vals[field]
	}
	return facets, nil
}
