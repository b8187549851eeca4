package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// proximityQuery is a phrase of one term at each position, or none (the
// place of a left-out stop word: "deprivation of liberty" is depriv, a
// gap, liberti), scored but not marked: the boost of a query's words side by side, a
// quoted phrase's scored clauses (snippets mark Bleve's phrases). It
// matches and scores exactly as Bleve's phrase query of the same terms,
// which is a conjunction of the terms scored as such, kept where the terms
// stand side by side; but Bleve's phrase reads every term's locations into
// maps for each passage holding all the terms, and for "torture AND police
// AND custody" that was a third of the search. This one walks the
// conjunction without locations and reads the positions of the passages
// it matches alone, into reused slices. Its matches carry no locations.
type proximityQuery struct {
	field string
	terms []string
	at    []uint64 // each term's position after the first's: 0, 1, 2 without gaps
	boost float64
}

// proximityOf returns q as a proximityQuery when it is a phrase that one
// can stand for: one term or none at each position, two terms or more;
// else q. Bleve's phrase skips an empty position (a gap): any word may
// stand there; it ignores those before the first term and after the last.
func proximityOf(q query.Query) query.Query {
	mp, ok := q.(*query.MultiPhraseQuery)
	if !ok || mp.Fuzziness != 0 {
		return q
	}
	px := &proximityQuery{field: mp.FieldVal, boost: mp.BoostVal.Value()}
	first := -1
	for i, pos := range mp.Terms {
		switch {
		case len(pos) == 0 || (len(pos) == 1 && pos[0] == ""):
			continue // a gap
		case len(pos) != 1:
			return q
		}
		if first < 0 {
			first = i
		}
		px.terms = append(px.terms, pos[0])
		px.at = append(px.at, uint64(i-first))
	}
	if len(px.terms) < 2 {
		return q
	}
	return px
}

// proximities returns qs with each phrase a proximityQuery where one can
// stand for it (proximityOf): the scored clauses of the lexicon's
// equivalents ("deprivation of liberty"), whose marks stay Bleve's phrases.
func proximities(qs []query.Query) []query.Query {
	for i, q := range qs {
		qs[i] = proximityOf(q)
	}
	return qs
}

// termQueries are the phrase's terms, each a query.
func (q *proximityQuery) termQueries() []query.Query {
	out := make([]query.Query, len(q.terms))
	for i, t := range q.terms {
		out[i] = termQ(q.field, t, q.boost)
	}
	return out
}

func (q *proximityQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.IncludeTermVectors = false // the positions are read apart
	s := &proximitySearcher{ctx: ctx, r: r, field: q.field, terms: q.terms, at: q.at,
		readers: make([]index.TermFieldReader, len(q.terms)),
		docs:    make([]*index.TermFieldDoc, len(q.terms)), pos: make([][]uint64, len(q.terms))}
	var terms []search.Searcher
	fail := func(err error) (search.Searcher, error) {
		for _, t := range terms {
			t.Close()
		}
		return nil, err
	}
	for i, t := range q.terms {
		ts, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, options)
		if err != nil {
			return fail(err)
		}
		terms = append(terms, ts)
		s.docs[i] = &index.TermFieldDoc{}
	}
	for i := range q.terms {
		s.order = append(s.order, i)
	}
	slices.SortStableFunc(s.order, func(a, b int) int { return cmp.Compare(terms[a].Count(), terms[b].Count()) })
	conj, err := searcher.NewConjunctionSearcher(ctx, r, terms, options)
	if err != nil {
		return fail(err)
	}
	s.conj = conj
	// As Bleve's phrase searcher does, until its parent sets the norm.
	s.conj.SetQueryNorm(1 / math.Sqrt(conj.Weight()))
	holding, err := q.holding(r)
	if err != nil {
		s.Close()
		return nil, err
	}
	if holding != nil {
		s.holding, s.id = &cursor{candidates: holding}, index.NewIndexInternalID(nil, 0)
	}
	return s, nil
}

// holding returns the documents of r's snapshot whose field holds every
// term of q (among the candidates, when r leaps over them), from the
// postings' bitmaps; nil when r is no snapshot whose segments can be
// read. Deleted documents are among them, and are never adjacent.
func (q *proximityQuery) holding(r index.IndexReader) (*candidates, error) {
	var snap *scorch.IndexSnapshot
	var cands *candidates
	switch r := r.(type) {
	case *scorch.IndexSnapshot:
		snap = r
	case leapingReader:
		snap, cands = r.IndexSnapshot, r.cands
	default:
		return nil, nil
	}
	segs := snap.Segments()
	c := &candidates{segs: make([]*roaring.Bitmap, len(segs)), offsets: make([]uint64, len(segs)+1)}
	terms := q.termQueries()
	for i, ss := range segs {
		seg := ss.Segment()
		c.offsets[i+1] = c.offsets[i] + seg.Count()
		bm, err := intersect(seg, map[string]segment.TermDictionary{}, terms)
		if err != nil {
			return nil, err
		}
		if bm == nil {
			bm = roaring.New()
		}
		if cands != nil && cands.segs[i] != nil {
			bm.And(cands.segs[i])
		}
		c.segs[i] = bm
	}
	return c, nil
}

// proximitySearcher walks the passages holding every term of the phrase
// and keeps those where they stand side by side.
type proximitySearcher struct {
	conj search.Searcher
	// ctx, r, field and terms open the readers of positions when the
	// conjunction first matches: most of an equivalent's phrases never
	// do among a query's candidates.
	ctx     context.Context
	r       index.IndexReader
	field   string
	terms   []string
	at      []uint64                // each term's place after the first's
	readers []index.TermFieldReader // each term's positions, once opened
	docs    []*index.TermFieldDoc
	pos     [][]uint64 // reused
	order   []int      // the terms, rarest first
	starts  []uint64   // reused
	// ended says no match is left at or after endAt. Bleve's disjunction
	// advances a part that has ended again at each of its own steps, and
	// the conjunction would then take its terms back to documents they
	// had passed looking for a phrase: a term reader goes back by
	// opening its postings anew.
	ended bool
	endAt uint64
	next  uint64 // where Next looks from: after the last match
	// holding walks the documents holding every term (nil: the
	// conjunction of the terms is walked instead); the conjunction then
	// scores those where the terms stand side by side, and only those.
	holding *cursor
	id      index.IndexInternalID
}

func (s *proximitySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	from := s.next
	if s.ended && from >= s.endAt {
		return nil, nil
	}
	var m *search.DocumentMatch
	var err error
	if s.holding != nil {
		m, err = s.scan(ctx, from)
	} else {
		m, err = s.conj.Next(ctx)
		m, err = s.phraseFrom(ctx, m, err)
	}
	s.note(m, err, from)
	return m, err
}

func (s *proximitySearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	from := max(id.Value(), s.next)
	if s.ended && from >= s.endAt {
		return nil, nil
	}
	var m *search.DocumentMatch
	var err error
	if s.holding != nil {
		m, err = s.scan(ctx, from)
	} else {
		m, err = s.conj.Advance(ctx, id)
		m, err = s.phraseFrom(ctx, m, err)
	}
	s.note(m, err, from)
	return m, err
}

// scan returns the first match at or after from: the first document
// holding every term where they stand side by side, scored by the
// conjunction advanced to it.
func (s *proximitySearcher) scan(ctx *search.SearchContext, from uint64) (*search.DocumentMatch, error) {
	for {
		n, ok := s.holding.next(from)
		if !ok {
			return nil, nil
		}
		s.id.SetValue(n)
		adjacent, err := s.adjacent(s.id)
		if err != nil {
			return nil, err
		}
		if adjacent {
			m, err := s.conj.Advance(ctx, s.id)
			if err != nil || (m != nil && m.IndexInternalID.Equals(s.id)) {
				return m, err
			}
			// Cannot be: the conjunction holds every document whose
			// terms are read side by side.
			if m != nil {
				ctx.DocumentMatchPool.Put(m)
			}
			return nil, fmt.Errorf("searching: the phrase %v stands in document %d, which its terms' conjunction passes", s.terms, n)
		}
		from = n + 1
	}
}

// note records where m, the first match at or after from, leaves the
// searcher.
func (s *proximitySearcher) note(m *search.DocumentMatch, err error, from uint64) {
	switch {
	case err != nil:
	case m == nil:
		if !s.ended || from < s.endAt {
			s.ended, s.endAt = true, from
		}
	default:
		s.next = m.IndexInternalID.Value() + 1
	}
}

// phraseFrom returns m, or the first match after it, whose terms stand
// side by side.
func (s *proximitySearcher) phraseFrom(ctx *search.SearchContext, m *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for m != nil && err == nil {
		var ok bool
		if ok, err = s.adjacent(m.IndexInternalID); err != nil || ok {
			return m, err
		}
		ctx.DocumentMatchPool.Put(m)
		m, err = s.conj.Next(ctx)
	}
	return m, err
}

// adjacent reports whether the terms stand side by side, in order, in
// the document id, which holds them all: in the same array element,
// each at its place after the first (Bleve's phrase without slop). It reads the rarest term's positions first and stops as soon as
// no start is left, before reading those of a frequent one ("~in" of "in
// no case").
func (s *proximitySearcher) adjacent(id index.IndexInternalID) (bool, error) {
	s.starts = s.starts[:0]
	for n, k := range s.order {
		if s.readers[k] == nil {
			var err error
			if s.readers[k], err = s.r.TermFieldReader(s.ctx, []byte(s.terms[k]), s.field, false, false, true); err != nil {
				return false, err
			}
		}
		d, err := s.readers[k].Advance(id, s.docs[k])
		if err != nil {
			return false, err
		}
		if d == nil || !d.ID.Equals(id) {
			return false, nil // cannot be: the conjunction matched it
		}
		s.docs[k] = d
		s.pos[k] = s.pos[k][:0]
		for _, v := range d.Vectors {
			s.pos[k] = append(s.pos[k], v.Pos)
		}
		slices.Sort(s.pos[k])
		// starts: where the phrase can begin, given the terms read.
		at := s.at[k]
		if n == 0 {
			for _, p := range s.pos[k] {
				if p > at {
					s.starts = append(s.starts, p-at)
				}
			}
			continue
		}
		s.starts = slices.DeleteFunc(s.starts, func(st uint64) bool {
			_, found := slices.BinarySearch(s.pos[k], st+at)
			return !found
		})
		if len(s.starts) == 0 {
			return false, nil
		}
	}
	// Every term is read: the array elements must agree too.
	for _, v := range s.docs[0].Vectors {
		if s.from(1, v.Pos, v.ArrayPositions) {
			return true, nil
		}
	}
	return false, nil
}

// from reports whether the terms from the k-th on stand at their places
// in a phrase beginning at position start, in the array element ap.
func (s *proximitySearcher) from(k int, start uint64, ap []uint64) bool {
	if k == len(s.readers) {
		return true
	}
	p := start + s.at[k]
	if _, found := slices.BinarySearch(s.pos[k], p); !found {
		return false
	}
	// Most fields are no arrays: check the element only where it counts.
	for _, v := range s.docs[k].Vectors {
		if v.Pos == p && slices.Equal(v.ArrayPositions, ap) && s.from(k+1, start, ap) {
			return true
		}
	}
	return false
}

func (s *proximitySearcher) closeReaders() error {
	var first error
	for _, r := range s.readers {
		if r != nil {
			if err := r.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *proximitySearcher) Close() error {
	err := s.conj.Close()
	if err1 := s.closeReaders(); err == nil {
		err = err1
	}
	return err
}

func (s *proximitySearcher) Weight() float64            { return s.conj.Weight() }
func (s *proximitySearcher) SetQueryNorm(qnorm float64) { s.conj.SetQueryNorm(qnorm) }
func (s *proximitySearcher) Count() uint64              { return s.conj.Count() }
func (s *proximitySearcher) Min() int                   { return 0 }
func (s *proximitySearcher) DocumentMatchPoolSize() int { return s.conj.DocumentMatchPoolSize() + 1 }

func (s *proximitySearcher) Size() int {
	n := s.conj.Size() + 64
	for i, r := range s.readers {
		if r != nil {
			n += r.Size()
		}
		n += 8 * cap(s.pos[i])
	}
	return n
}
