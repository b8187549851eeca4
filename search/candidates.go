package search

import (
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A query whose parts must all match (required words, a filter) is walked
// by Bleve's conjunction one step at a time: each match of its least
// frequent part is tried against the others, and each part is itself a
// disjunction of a dozen terms (the word in three analyses, in text,
// heading and title, and its lexicon equivalents) that all move at each
// step. When few of those steps find a match ("torture AND police AND
// custody": 533 of the 3,741 passages holding custody), most are wasted.
// The postings' bitmaps tell cheaply which documents can match at all;
// the query's term readers then leap from one of them to the next with
// Advance, and Bleve scores exactly the matches it would have stepped to.

// narrowEnough is how much smaller than its smallest part an intersection
// must be for leaping to pay: an Advance costs more than a Next.
const narrowEnough = 2

// candidates are the documents of a snapshot that may match a query, by
// segment, in each segment's own numbering: a superset of the matches.
type candidates struct {
	segs    []*roaring.Bitmap
	offsets []uint64 // the first document number of each segment, then the end
}

// cursor walks candidates.
type cursor struct {
	*candidates
	seg int                 // the segment next looks in
	it  roaring.IntPeekable // its position there; nil before it starts
}

// candidatesOf returns the candidates of q, or nil when leaping would not
// pay: q is not an intersection the postings can narrow (a lone word, a
// prefix, a range), or the intersection is not much smaller than its
// smallest part.
func candidatesOf(q query.Query, segs []segment.Segment, offsets []uint64) (*candidates, error) {
	parts := conjuncts(q)
	if len(parts) < 2 {
		return nil, nil
	}
	c := &candidates{segs: make([]*roaring.Bitmap, len(segs)), offsets: offsets}
	known := 0
	var total uint64
	partSize := make([]uint64, len(parts))
	for i, seg := range segs {
		dicts := map[string]segment.TermDictionary{}
		for p, part := range parts {
			bm, err := superset(part, seg, dicts)
			if err != nil {
				return nil, err
			}
			if bm == nil {
				continue
			}
			if i == 0 {
				known++
			}
			partSize[p] += bm.GetCardinality()
			if c.segs[i] == nil {
				c.segs[i] = bm
			} else {
				c.segs[i].And(bm)
			}
		}
		if c.segs[i] == nil {
			return nil, nil // no part narrows: nothing to leap over
		}
		total += c.segs[i].GetCardinality()
	}
	if known < 2 {
		return nil, nil
	}
	smallest := uint64(0)
	for _, n := range partSize {
		if n > 0 && (smallest == 0 || n < smallest) {
			smallest = n
		}
	}
	if total*narrowEnough > smallest {
		return nil, nil
	}
	return c, nil
}

// conjuncts returns the parts every match of q matches: a Boolean query's
// required clauses and filter, a conjunction's children. Bleve treats a
// Boolean query without required clauses (or with one that matches
// nothing) otherwise, so those give none.
func conjuncts(q query.Query) []query.Query {
	switch q := q.(type) {
	case *query.BooleanQuery:
		if q.Must == nil {
			return nil
		}
		if _, none := q.Must.(*query.MatchNoneQuery); none {
			return nil
		}
		out := conjuncts(q.Must)
		if q.Filter != nil {
			out = append(out, conjuncts(q.Filter)...)
		}
		return out
	case *query.ConjunctionQuery:
		var out []query.Query
		for _, c := range q.Conjuncts {
			out = append(out, conjuncts(c)...)
		}
		return out
	}
	return []query.Query{q}
}

// superset returns a bitmap holding every document of seg that q can
// match (and perhaps more), or nil when it cannot tell.
func superset(q query.Query, seg segment.Segment, dicts map[string]segment.TermDictionary) (*roaring.Bitmap, error) {
	switch q := q.(type) {
	case *query.TermQuery:
		return postings(seg, dicts, q.FieldVal, []string{q.Term})
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) == 0 {
			// Bleve makes it a searcher that matches nothing, and a
			// Boolean query drops such a required clause: it cannot tell.
			return nil, nil
		}
		out := roaring.New()
		for _, d := range q.Disjuncts {
			bm, err := superset(d, seg, dicts)
			if bm == nil || err != nil {
				return nil, err
			}
			out.Or(bm)
		}
		return out, nil
	case *query.ConjunctionQuery:
		return intersect(seg, dicts, q.Conjuncts)
	case *notedQuery:
		out := roaring.New()
		for _, part := range []query.Query{q.main, q.note} {
			bm, err := superset(part, seg, dicts)
			if bm == nil || err != nil {
				return nil, err
			}
			out.Or(bm)
		}
		return out, nil
	case *proximityQuery:
		// Every term is in a match.
		return intersect(seg, dicts, q.termQueries())
	case *query.MultiPhraseQuery:
		if q.Fuzziness != 0 {
			return nil, nil // its terms are expanded (the plan makes none fuzzy)
		}
		// Every position's terms (any of them) are in a match.
		var out *roaring.Bitmap
		for _, terms := range q.Terms {
			terms = slices.DeleteFunc(slices.Clone(terms), func(t string) bool { return t == "" })
			if len(terms) == 0 {
				continue // a removed stop word, or a term Bleve's phrase skips
			}
			bm, err := postings(seg, dicts, q.FieldVal, terms)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = bm
			} else {
				out.And(bm)
			}
		}
		return out, nil
	}
	return nil, nil
}

// intersect returns the documents of seg in every known one of qs.
func intersect(seg segment.Segment, dicts map[string]segment.TermDictionary, qs []query.Query) (*roaring.Bitmap, error) {
	var out *roaring.Bitmap
	for _, c := range qs {
		bm, err := superset(c, seg, dicts)
		if err != nil {
			return nil, err
		}
		switch {
		case bm == nil:
		case out == nil:
			out = bm
		default:
			out.And(bm)
		}
	}
	return out, nil
}

// postings returns the documents of seg holding any of terms in field.
func postings(seg segment.Segment, dicts map[string]segment.TermDictionary, field string, terms []string) (*roaring.Bitmap, error) {
	if field == "" {
		return nil, nil // the mapping's default field: leave it to Bleve
	}
	d, ok := dicts[field]
	if !ok {
		var err error
		if d, err = seg.Dictionary(field); err != nil {
			return nil, err
		}
		dicts[field] = d
	}
	out := roaring.New()
	for _, t := range terms {
		pl, err := d.PostingsList([]byte(t), nil, nil)
		if err != nil {
			return nil, err
		}
		if err := orPostings(out, pl); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// orPostings adds the documents of a postings list to out.
func orPostings(out *roaring.Bitmap, pl segment.PostingsList) error {
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok { // zap's: its bitmap
		if n, one := o.DocNum1Hit(); one {
			out.Add(uint32(n))
		} else if bm := o.ActualBitmap(); bm != nil {
			out.Or(bm)
		}
		return nil
	}
	for {
		p, err := it.Next()
		if p == nil || err != nil {
			return err
		}
		out.Add(uint32(p.Number()))
	}
}

// next returns the first candidate at or after n, in the snapshot's
// numbering; n never decreases from one call to the next.
func (c *cursor) next(n uint64) (uint64, bool) {
	for ; c.seg < len(c.segs); c.seg++ {
		first, end := c.offsets[c.seg], c.offsets[c.seg+1]
		if n >= end {
			c.it = nil
			continue
		}
		if c.it == nil {
			c.it = c.segs[c.seg].Iterator()
		}
		if n > first {
			c.it.AdvanceIfNeeded(uint32(n - first))
		}
		if c.it.HasNext() {
			return first + uint64(c.it.Next()), true
		}
		c.it = nil
		n = end
	}
	return 0, false
}

// leapingReader is an index snapshot whose term readers visit only the
// candidates of a query: every searcher built on it, at any depth (the
// required parts, the words of a phrase, the optional clauses), leaps
// from one candidate to the next. Since every match of the query is a
// candidate, the matches are the same, and so are their scores: a term's
// score in a document reads that document's posting alone, and its
// frequency (for the idf) is the term reader's own count.
type leapingReader struct {
	*scorch.IndexSnapshot
	cands *candidates
}

func (r leapingReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm,
	includeTermVectors bool) (index.TermFieldReader, error) {
	inner, err := r.IndexSnapshot.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil || !(includeFreq || includeNorm || includeTermVectors) {
		// An unscored reader (a filter's) is left to Bleve, which may
		// optimize it into one over the terms' bitmaps.
		return inner, err
	}
	return &leapingTermReader{TermFieldReader: inner, at: cursor{candidates: r.cands}, id: index.NewIndexInternalID(nil, 0)}, nil
}

// leapingTermReader is a term reader that visits only candidates.
type leapingTermReader struct {
	index.TermFieldReader
	at   cursor
	from uint64 // the first document number not yet read
	id   index.IndexInternalID
	// spent says no document at or after spentAt holds the term among
	// the candidates: the reader came to its end there.
	spent   bool
	spentAt uint64
}

func (t *leapingTermReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	return t.leap(t.from, pre)
}

func (t *leapingTermReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	n := id.Value()
	switch {
	case t.spent && n >= t.spentAt:
		// Bleve's disjunction advances a part that has come to its end
		// again at each step: there is still nothing (without this, the
		// backward step below opened the term's postings anew each time).
		return nil, nil
	case n >= t.from:
		return t.leap(n, pre)
	}
	// Back to a document already passed: Bleve's searchers do not ask
	// this, but a term reader allows it. Start again from there.
	t.at = cursor{candidates: t.at.candidates}
	tfd, err := t.TermFieldReader.Advance(id, pre)
	t.read(tfd, n)
	return tfd, err
}

// leap reads the term's first document at or after the first candidate
// at or after n.
func (t *leapingTermReader) leap(n uint64, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	c, ok := t.at.next(n)
	if !ok {
		t.read(nil, n)
		return nil, nil
	}
	t.id.SetValue(c)
	tfd, err := t.TermFieldReader.Advance(t.id, pre)
	t.read(tfd, n)
	return tfd, err
}

// read notes the document just read when asked for the first at or after
// n (nil: none is left from n on).
func (t *leapingTermReader) read(tfd *index.TermFieldDoc, n uint64) {
	if tfd == nil {
		t.from = t.at.offsets[len(t.at.offsets)-1]
		if !t.spent || n < t.spentAt {
			t.spent, t.spentAt = true, n
		}
		return
	}
	t.from = tfd.ID.Value() + 1
	t.spent = false
}
