package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// notedQuery matches what main matches and, besides, the passages whose
// footnotes hold the word (note). A passage main matches scores exactly as
// under main alone, plus the note's score when its notes hold the word
// too; one only note matches scores the note's (low) score. A Bleve
// disjunction of the two would scale every score by its coordination
// factor and count the note in the query's norm, and so change the
// ranking of every query of plain words.
type notedQuery struct {
	main, note query.Query
}

func (q *notedQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ms, err := q.main.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	ns, err := q.note.Searcher(ctx, i, m, options)
	if err != nil {
		ms.Close()
		return nil, err
	}
	return &notedSearcher{s: [2]search.Searcher{ms, ns}}, nil
}

// notedSearcher walks the union of its two searchers (main, note) in
// document order.
type notedSearcher struct {
	s       [2]search.Searcher
	cur     [2]*search.DocumentMatch
	stale   [2]bool // the current match was handed out or dropped: read the next
	started bool
	done    [2]bool
}

func (n *notedSearcher) fill(ctx *search.SearchContext) error {
	for i := range n.s {
		if n.done[i] || (n.started && !n.stale[i]) {
			continue
		}
		m, err := n.s[i].Next(ctx)
		if err != nil {
			return err
		}
		n.cur[i], n.stale[i], n.done[i] = m, false, m == nil
	}
	n.started = true
	return nil
}

// take returns the smallest current match, the two summed when both are
// at it (main's kept, note's returned to the pool).
func (n *notedSearcher) take(ctx *search.SearchContext) *search.DocumentMatch {
	a, b := n.cur[0], n.cur[1]
	switch {
	case a == nil && b == nil:
		return nil
	case b == nil || (a != nil && a.IndexInternalID.Compare(b.IndexInternalID) < 0):
		n.cur[0], n.stale[0] = nil, true
		return a
	case a == nil || b.IndexInternalID.Compare(a.IndexInternalID) < 0:
		n.cur[1], n.stale[1] = nil, true
		return b
	}
	a.Score += b.Score
	ctx.DocumentMatchPool.Put(b)
	n.cur, n.stale = [2]*search.DocumentMatch{}, [2]bool{true, true}
	return a
}

func (n *notedSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if err := n.fill(ctx); err != nil {
		return nil, err
	}
	return n.take(ctx), nil
}

func (n *notedSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	for i := range n.s {
		if n.done[i] {
			continue
		}
		if n.started && !n.stale[i] && n.cur[i] != nil && n.cur[i].IndexInternalID.Compare(id) >= 0 {
			continue // already at or past id
		}
		if n.cur[i] != nil {
			ctx.DocumentMatchPool.Put(n.cur[i])
		}
		m, err := n.s[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		n.cur[i], n.stale[i], n.done[i] = m, false, m == nil
	}
	n.started = true
	return n.take(ctx), nil
}

func (n *notedSearcher) Close() error {
	err := n.s[0].Close()
	if err1 := n.s[1].Close(); err == nil {
		err = err1
	}
	return err
}

// Weight is main's alone: the note does not enter the query's norm.
func (n *notedSearcher) Weight() float64 { return n.s[0].Weight() }

func (n *notedSearcher) SetQueryNorm(qn float64) {
	n.s[0].SetQueryNorm(qn)
	n.s[1].SetQueryNorm(qn)
}

func (n *notedSearcher) Count() uint64 { return n.s[0].Count() + n.s[1].Count() }
func (n *notedSearcher) Min() int      { return 0 }
func (n *notedSearcher) Size() int     { return n.s[0].Size() + n.s[1].Size() + 64 }

func (n *notedSearcher) DocumentMatchPoolSize() int {
	return n.s[0].DocumentMatchPoolSize() + n.s[1].DocumentMatchPoolSize() + 1
}
