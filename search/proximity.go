package search

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// proximityQuery is a phrase of one term at each position, without gaps,
// scored but not marked: the boost of a query's words side by side, a
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
	boost float64
}

// proximityOf returns q as a proximityQuery when it is a phrase that one
// can stand for: one term at each position, no gap; else q.
func proximityOf(q query.Query) query.Query {
	mp, ok := q.(*query.MultiPhraseQuery)
	if !ok || mp.Fuzziness != 0 || len(mp.Terms) < 2 {
		return q
	}
	terms := make([]string, 0, len(mp.Terms))
	for _, pos := range mp.Terms {
		if len(pos) != 1 || pos[0] == "" {
			return q
		}
		terms = append(terms, pos[0])
	}
	return &proximityQuery{field: mp.FieldVal, terms: terms, boost: mp.BoostVal.Value()}
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
	s := &proximitySearcher{readers: make([]index.TermFieldReader, len(q.terms)),
		docs: make([]*index.TermFieldDoc, len(q.terms)), pos: make([][]uint64, len(q.terms))}
	var terms []search.Searcher
	fail := func(err error) (search.Searcher, error) {
		for _, t := range terms {
			t.Close()
		}
		s.closeReaders()
		return nil, err
	}
	for i, t := range q.terms {
		ts, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, options)
		if err != nil {
			return fail(err)
		}
		terms = append(terms, ts)
		if s.readers[i], err = r.TermFieldReader(ctx, []byte(t), q.field, false, false, true); err != nil {
			return fail(err)
		}
		s.docs[i] = &index.TermFieldDoc{}
	}
	for i := range q.terms {
		s.order = append(s.order, i)
	}
	slices.SortStableFunc(s.order, func(a, b int) int { return cmp.Compare(s.readers[a].Count(), s.readers[b].Count()) })
	conj, err := searcher.NewConjunctionSearcher(ctx, r, terms, options)
	if err != nil {
		return fail(err)
	}
	s.conj = conj
	// As Bleve's phrase searcher does, until its parent sets the norm.
	s.conj.SetQueryNorm(1 / math.Sqrt(conj.Weight()))
	return s, nil
}

// proximitySearcher walks the passages holding every term of the phrase
// and keeps those where they stand side by side.
type proximitySearcher struct {
	conj    search.Searcher
	readers []index.TermFieldReader // each term's positions
	docs    []*index.TermFieldDoc
	pos     [][]uint64 // reused
	order   []int      // the terms, rarest first
	starts  []uint64   // reused
}

func (s *proximitySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.conj.Next(ctx)
	return s.phraseFrom(ctx, m, err)
}

func (s *proximitySearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.conj.Advance(ctx, id)
	return s.phraseFrom(ctx, m, err)
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
// each at the position after the one before (Bleve's phrase without
// slop). It reads the rarest term's positions first and stops as soon as
// no start is left, before reading those of a frequent one ("~in" of "in
// no case").
func (s *proximitySearcher) adjacent(id index.IndexInternalID) (bool, error) {
	s.starts = s.starts[:0]
	for n, k := range s.order {
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
		if n == 0 {
			for _, p := range s.pos[k] {
				if p > uint64(k) {
					s.starts = append(s.starts, p-uint64(k))
				}
			}
			continue
		}
		s.starts = slices.DeleteFunc(s.starts, func(st uint64) bool {
			_, found := slices.BinarySearch(s.pos[k], st+uint64(k))
			return !found
		})
		if len(s.starts) == 0 {
			return false, nil
		}
	}
	// Every term is read: the array elements must agree too.
	for _, v := range s.docs[0].Vectors {
		if s.from(1, v.Pos+1, v.ArrayPositions) {
			return true, nil
		}
	}
	return false, nil
}

// from reports whether the terms from the k-th on stand side by side
// from position p, in the array element ap.
func (s *proximitySearcher) from(k int, p uint64, ap []uint64) bool {
	if k == len(s.readers) {
		return true
	}
	if _, found := slices.BinarySearch(s.pos[k], p); !found {
		return false
	}
	// Most fields are no arrays: check the element only where it counts.
	for _, v := range s.docs[k].Vectors {
		if v.Pos == p && slices.Equal(v.ArrayPositions, ap) && s.from(k+1, p+1, ap) {
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
	for i := range s.readers {
		n += s.readers[i].Size() + 8*cap(s.pos[i])
	}
	return n
}
