package search

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// Cursor paging: every page of a search carries Results.Next, an opaque
// cursor that Request.Cursor takes back to get the page after it, as deep
// as the results go (page × size stops at MaxWindow).
//
// A cursor holds the index's generation (see Generation), a hash of the search it
// belongs to, and where the walk stands:
//
//   - a search sorted by date or by document walks Bleve's sort (ending in
//     document and position, so the order is total) with search_after on
//     the last hit's sort keys;
//   - a relevance search first walks the reranked window (an offset into
//     it), then Bleve's order by score, document and position with
//     search_after, leaving out the passages the window held: every hit
//     once. A cursor taken from a numbered page beyond the window goes on
//     from that page's last hit in this order (Bleve's numbered pages
//     break ties of score by index order, so ties there may differ).
//
// A cursor is valid while the index does not change: once it has, the
// walk's order may have changed too, and the cursor is refused with
// ErrStaleCursor.

// ErrStaleCursor says the index changed since the cursor was issued.
var ErrStaleCursor = fmt.Errorf("%w: the library changed since this cursor was issued; start again from the first page", corpus.ErrInvalid)

// ErrBadCursor says the cursor is not one this search issued.
var ErrBadCursor = fmt.Errorf("%w: the cursor is not one this server issued for this search (pass it with the same q, filters and sort)", corpus.ErrInvalid)

// maxCursorLength bounds a cursor's text: a sort key is short.
const maxCursorLength = 2048

// pageCursor is where a walk stands. Its JSON is base64url-encoded.
type pageCursor struct {
	Inst  uint64   `json:"i"`           // the Searcher that issued it
	Epoch uint64   `json:"e"`           // the index's generation then
	Key   uint64   `json:"k"`           // hash of the search's query, filters and sort
	Off   int      `json:"o,omitempty"` // offset into the reranked window
	After [][]byte `json:"a,omitempty"` // Bleve search_after keys (bytes: numeric keys are binary)
}

func (c pageCursor) encode() string {
	b, _ := json.Marshal(c) // cannot fail: plain fields
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c pageCursor) after() []string {
	out := make([]string, len(c.After))
	for i, a := range c.After {
		out[i] = string(a)
	}
	return out
}

func afterKeys(keys []string) [][]byte {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = []byte(k)
	}
	return out
}

// searchKey identifies a search for its cursors: its query, filters and
// sort, not its page, size or facets.
func searchKey(req Request) uint64 {
	h := fnv.New64a()
	h.Write([]byte(windowKey(Request{Query: req.Query, Filters: req.Filters}, nil)))
	h.Write([]byte{0})
	h.Write([]byte(sortName(req.Sort)))
	return h.Sum64()
}

func sortName(s string) string {
	if s == "" {
		return SortRelevance
	}
	return s
}

// readCursor decodes req.Cursor and checks that it belongs to req and to
// the index as it is.
func (s *Searcher) readCursor(req Request) (*pageCursor, error) {
	if req.Cursor == "" {
		return nil, nil
	}
	if len(req.Cursor) > maxCursorLength {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(req.Cursor)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c pageCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Off < 0 || len(c.After) > 4 {
		return nil, ErrBadCursor
	}
	if c.Key != searchKey(req) {
		return nil, ErrBadCursor
	}
	if gen, ok := s.gen(); c.Inst != s.instance || ok && gen != c.Epoch {
		return nil, ErrStaleCursor
	}
	return &c, nil
}

// newCursor starts a cursor for req at the index's current epoch.
func (s *Searcher) newCursor(req Request) pageCursor {
	gen, _ := s.gen()
	return pageCursor{Inst: s.instance, Epoch: gen, Key: searchKey(req)}
}

// Generation counts the batches applied to the index since it was
// opened: it changes whenever a document is added, replaced or removed,
// and not when Bleve merges or persists segments, which change the
// snapshot epoch but not what searches find (ok is false when the index
// cannot say). Cursors and HTTP validators derive from it; Bleve counts
// a batch once searches see it.
func (s *Searcher) Generation() (uint64, bool) { return s.gen() }

// indexGeneration reads scorch's count of batches applied.
func indexGeneration(idx bleve.Index) epochFunc {
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
	return func() (uint64, bool) { return atomic.LoadUint64(&st.TotBatches), true }
}

// newInstance is a random tag for a Searcher.
func newInstance() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails
	return binary.LittleEndian.Uint64(b[:])
}

// scoreSort is the total order of a relevance walk past the window:
// by score, then by position (doc values, cheaper than the id).
var scoreSort = []string{"-_score", schema.FieldDocument, schema.FieldOrder}

// formatScore writes a score so that strconv.ParseFloat, as Bleve's
// search_after does, reads back the same float.
func formatScore(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// windowStart is the search_after key at which a relevance walk leaves
// the window: just above the lowest score Bleve's window held, so that
// every hit outside the window (all score at most that) comes after it;
// the window's own are left out by id.
func (w *window) start() []string {
	return []string{formatScore(w.floor + max(1e-9*w.floor, 1e-12)), "", ""}
}

// beyondWindow returns n hits of a relevance search past its window,
// skipping the first skip of them, in the order a cursor walks them (by
// score, document and position): what a numbered page beyond the window
// shows, so that the cursor of its last hit goes on exactly from there.
func (s *Searcher) beyondWindow(ctx context.Context, p *plan, w *window, skip, n int) ([]scored, error) {
	if n <= 0 || w.total <= uint64(len(w.ranked)) {
		return nil, nil
	}
	inWindow := make(map[string]bool, len(w.ranked))
	for _, h := range w.ranked {
		inWindow[h.id] = true
	}
	if w.walked && (w.depth() >= len(w.ranked)+skip+n || uint64(w.depth()) >= w.total) {
		return s.beyondFromWindow(ctx, w, inWindow, skip, n)
	}
	// The window's own hits may follow the start key too (those of its
	// lowest score, and the candidates added to it): ask for as many more.
	sreq := bleve.NewSearchRequestOptions(p.query, skip+n+len(w.ranked), 0, false)
	sreq.SortBy(scoreSort)
	sreq.SearchAfter = w.start()
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	var out []scored
	k := 0
	for _, h := range res.Hits {
		if inWindow[h.ID] {
			continue
		}
		if k >= skip {
			out = append(out, scored{id: h.ID, score: h.Score})
			if len(out) == n {
				break
			}
		}
		k++
	}
	return out, nil
}

// beyondFromWindow is beyondWindow from the window's deeper hits, without
// Bleve's sort, which reads the document and position of every match:
// the walk kept the best matches by score, as deep as the page needs (the
// window's own, which the page skips, and skip+n more), and every match
// tied with the last of them; only those are ordered by document and
// position. Every match scoring above the window's start key is in the
// window, so the hits after that key are the matches outside it.
func (s *Searcher) beyondFromWindow(ctx context.Context, w *window, inWindow map[string]bool, skip, n int) ([]scored, error) {
	start, err := strconv.ParseFloat(w.start()[0], 64) // as search_after reads it
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	var cands []scored
	for _, h := range w.more {
		if !inWindow[h.id] && h.score <= start {
			cands = append(cands, h)
		}
	}
	if err := s.rankFields(ctx, cands); err != nil {
		return nil, err
	}
	slices.SortFunc(cands, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if c := strings.Compare(a.doc, b.doc); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	if skip >= len(cands) {
		return nil, nil
	}
	return slices.Clip(cands[skip:min(len(cands), skip+n)]), nil
}

// relevanceNext is the cursor after the page [from, from+n) of a
// relevance search read by page number, or "" at the end.
func (s *Searcher) relevanceNext(ctx context.Context, req Request, w *window, from int, page []scored) (string, error) {
	end := from + len(page)
	if len(page) == 0 || uint64(end) >= w.total {
		return "", nil
	}
	c := s.newCursor(req)
	switch {
	case end < len(w.ranked):
		c.Off = end
	case end == len(w.ranked):
		c.After = afterKeys(w.start())
	default: // deeper than the window: Bleve's order, from the last hit
		last := []scored{page[len(page)-1]}
		if err := s.rankFields(ctx, last); err != nil {
			return "", err
		}
		c.After = afterKeys([]string{formatScore(last[0].score), last[0].doc, schema.OrderKey(int(last[0].order))})
	}
	return c.encode(), nil
}

// relevanceAfter returns the page of a relevance search at cursor c, and
// the cursor after it ("" at the end).
func (s *Searcher) relevanceAfter(ctx context.Context, req Request, p *plan, w *window, c *pageCursor) ([]scored, string, error) {
	if c.After == nil {
		if c.Off >= len(w.ranked) {
			return nil, "", nil
		}
		end := min(len(w.ranked), c.Off+req.Size)
		page := w.ranked[c.Off:end]
		next := ""
		switch {
		case end < len(w.ranked):
			n := s.newCursor(req)
			n.Off = end
			next = n.encode()
		case w.total > uint64(len(w.ranked)):
			n := s.newCursor(req)
			n.After = afterKeys(w.start())
			next = n.encode()
		}
		return page, next, nil
	}
	if len(c.After) != len(scoreSort) {
		return nil, "", ErrBadCursor
	}
	inWindow := make(map[string]bool, len(w.ranked))
	for _, h := range w.ranked {
		inWindow[h.id] = true
	}
	page, after, more, err := s.walkAfter(ctx, p.query, scoreSort, c.after(), req.Size, func(id string) bool { return !inWindow[id] },
		func(id string, score float64, sort []string) []string {
			return []string{formatScore(score), sort[1], sort[2]}
		})
	if err != nil || !more {
		return page, "", err
	}
	n := s.newCursor(req)
	n.After = afterKeys(after)
	return page, n.encode(), nil
}

// walkAfter reads hits of q in the order sortBy after the keys after,
// keeping those keep accepts, until it has size of them or the hits end.
// It returns the keys of the last hit it read and whether more may follow.
func (s *Searcher) walkAfter(ctx context.Context, q query.Query, sortBy, after []string, size int,
	keep func(id string) bool, keyOf func(id string, score float64, sort []string) []string) ([]scored, []string, bool, error) {
	var page []scored
	for len(page) < size {
		sreq := bleve.NewSearchRequestOptions(q, size, 0, false)
		sreq.SortBy(sortBy)
		sreq.SearchAfter = after
		res, err := s.idx.SearchInContext(ctx, sreq)
		if err != nil {
			return nil, nil, false, searchError(err)
		}
		for i, h := range res.Hits {
			after = keyOf(h.ID, h.Score, h.Sort)
			if keep(h.ID) {
				page = append(page, scored{id: h.ID, score: h.Score})
				if len(page) == size {
					return page, after, i < len(res.Hits)-1 || len(res.Hits) == size, nil
				}
			}
		}
		if len(res.Hits) < size {
			return page, after, false, nil
		}
	}
	return page, after, true, nil
}
