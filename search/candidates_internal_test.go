package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// leapDoc is a decision whose passages hold two words apart, both, or
// both side by side, in proportions that make their intersection narrow;
// in a few, one word is only in the heading, or in Spanish.
func leapDoc(id string, n int) *corpus.Document {
	d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: "decision", Language: "en", Year: 2020}}
	for i := range n {
		text, heading, lang := "", "", "en"
		switch {
		case i%14 == 4:
			text, heading = "The polygraph was examined.", "Electroshock"
		case i%14 == 11:
			text, lang = "El polígrafo y el electroshock fueron usados.", "es"
		case i%15 == 5:
			text = "A polygraph electroshock session was held."
		case i%30 == 7:
			text = "A polygraph machine electroshock session followed."
		case i%10 == 2:
			text = "A polygraph and then electroshock was used."
		case i%2 == 0:
			text = "The polygraph was used on the complainant."
		default:
			text = "The electroshock was used in detention."
		}
		d.Passages = append(d.Passages, corpus.Passage{ID: fmt.Sprintf("%s#para-%d", id, i+1), Document: id,
			Unit: fmt.Sprintf("para-%d", i+1), Order: i, Heading: heading, Text: text, Language: lang})
	}
	return d
}

// TestLeapingMatchesBleve: queries whose required parts intersect narrowly
// are searched by leaping over their candidates, and on an index of
// several segments, some of whose passages were replaced or removed, they
// return exactly what Bleve's own collector returns.
func TestLeapingMatchesBleve(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// One segment, then a second that replaces a document of the first and
	// removes another: their passages stay in the first, deleted (two
	// segments are too few for Bleve to merge).
	var batch []indexer.Update
	for i := range 6 {
		id := fmt.Sprintf("d%d", i)
		batch = append(batch, indexer.Update{Doc: leapDoc(id, 60+i), Key: id})
	}
	if err := ix.Apply(batch); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply([]indexer.Update{{Doc: leapDoc("d3", 20), Key: "d3b"}, {Remove: true, ID: "d2"}}); err != nil {
		t.Fatal(err)
	}
	walk, err := New(ix.Bleve(), WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	reference, err := New(ix.Bleve(), WithWindowCache(0), WithBleveCollector())
	if err != nil {
		t.Fatal(err)
	}
	segs, offsets, deleted := snapshotSegments(t, ix)
	if len(segs) < 2 || deleted == 0 {
		t.Fatalf("%d segments, %d deleted passages: the test needs several and some", len(segs), deleted)
	}
	leaps := func(q string) bool {
		t.Helper()
		c, err := candidatesOf(walk.plan(Request{Query: q}).query, segs, offsets)
		if err != nil {
			t.Fatal(err)
		}
		return c != nil
	}
	for _, q := range []string{"polygraph AND electroshock", "+polygraph +electroshock -session", "polygraph AND electroshock kind:decision",
		"polygraph AND electroshock session", `"electroshock was used" AND polygraph`, `+"electroshock was used" +polygraph -session`} {
		t.Run(q, func(t *testing.T) {
			if !leaps(q) {
				t.Errorf("not searched by leaping; the test needs it to be")
			}
			sameAsCollector(t, walk, reference, q)
			// The proximity clauses read the postings' bitmaps, which
			// hold the deleted passages too: the same matches and
			// scores as Bleve's phrases.
			p := walk.plan(Request{Query: q})
			n := 0
			got, _ := allHits(t, ix.Bleve(), p.query)
			want, _ := allHits(t, ix.Bleve(), withBlevePhrases(t, p.query, &n))
			sameHits(t, q, got, want)
		})
	}
	// U+1885 folds to an empty term, which Bleve's phrase skips (TestSuperset
	// checks the candidates of such a phrase).
	sameAsCollector(t, walk, reference, "\"polygraph \u1885 electroshock\" AND session")
	if leaps("polygraph electroshock") {
		t.Error("polygraph electroshock (either word) is searched by leaping: every match of either word is a match")
	}
}

// TestLeapingUnscoredFilters: a filter is searched unscored, which Bleve
// may only do over its own term readers (more than 1,024 years in a range
// must be): a leaping query leaves them to it.
func TestLeapingUnscoredFilters(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var ups []indexer.Update
	for y := range 1100 {
		id := fmt.Sprintf("d%d", y)
		d := leapDoc(id, 15)
		d.Year = 1000 + y
		ups = append(ups, indexer.Update{Doc: d, Key: id})
	}
	if err := ix.Apply(ups); err != nil {
		t.Fatal(err)
	}
	walk, err := New(ix.Bleve(), WithWindowCache(0))
	if err != nil {
		t.Fatal(err)
	}
	// Bleve's collector refuses it (too many clauses): compare with the
	// same query without the filter, which keeps every passage.
	ctx := context.Background()
	got, err := walk.Search(ctx, Request{Query: "polygraph AND electroshock year:1000..2100", NoSnippets: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := walk.Search(ctx, Request{Query: "polygraph AND electroshock", NoSnippets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total == 0 || got.Total != want.Total || !reflect.DeepEqual(hitIDs(got.Hits), hitIDs(want.Hits)) {
		t.Errorf("with the range: %d hits %v; without: %d hits %v", got.Total, hitIDs(got.Hits), want.Total, hitIDs(want.Hits))
	}
}

// sameAsCollector fails when the walk's results for q differ from Bleve's
// collector's, on a few pages.
func sameAsCollector(t *testing.T, walk, reference *Searcher, q string) {
	t.Helper()
	for _, page := range []int{1, 2, 7} {
		req := Request{Query: q, Page: page, NoSnippets: true}
		got, err := walk.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := reference.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got.Took, want.Took = 0, 0
		got.Next, want.Next = "", "" // each Searcher's cursors are its own
		if got.Total == 0 && page == 1 {
			t.Errorf("%q: no hits", q)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q page %d: %d hits %v\nBleve's collector: %d hits %v", q, page, got.Total, hitIDs(got.Hits), want.Total, hitIDs(want.Hits))
		}
	}
}

// snapshotSegments returns the segments of ix's current snapshot, the
// first document number of each (then the end), and how many of their
// documents are deleted. The snapshot stays open until the test ends: a
// merge may close its segments' files once it is not.
func snapshotSegments(t *testing.T, ix *indexer.Index) (segs []segment.Segment, offsets []uint64, deleted uint64) {
	t.Helper()
	adv, err := ix.Bleve().Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	offsets = []uint64{0}
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		segs = append(segs, ss.Segment())
		offsets = append(offsets, offsets[len(offsets)-1]+ss.Segment().Count())
		if d := ss.Deleted(); d != nil {
			deleted += d.GetCardinality()
		}
	}
	return segs, offsets, deleted
}

// TestCursorNext: a cursor passes empty segments, starts in the segment of
// its first number, and ends.
func TestCursorNext(t *testing.T) {
	bm := func(xs ...uint32) *roaring.Bitmap { return roaring.BitmapOf(xs...) }
	// Segments of 10, 0, 4 and 6 documents.
	c := &candidates{segs: []*roaring.Bitmap{bm(1, 5), bm(), bm(), bm(0, 2)}, offsets: []uint64{0, 10, 10, 14, 20}}
	type step struct {
		n    uint64
		want uint64
		ok   bool
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"each in turn", []step{{0, 1, true}, {2, 5, true}, {6, 14, true}, {15, 16, true}, {17, 0, false}}},
		{"from a segment's first document", []step{{14, 14, true}}},
		{"from inside a segment", []step{{5, 5, true}, {6, 14, true}}},
		{"across empty segments", []step{{10, 14, true}}},
		{"past the end", []step{{20, 0, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur := cursor{candidates: c}
			for _, s := range tc.steps {
				got, ok := cur.next(s.n)
				if got != s.want || ok != s.ok {
					t.Fatalf("next(%d) = %d, %v; want %d, %v", s.n, got, ok, s.want, s.ok)
				}
			}
		})
	}
}

// TestSuperset: each kind of clause gives every document it matches (the
// exact set for terms and their conjunctions), or nothing when it cannot
// tell.
func TestSuperset(t *testing.T) {
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Apply([]indexer.Update{{Doc: leapDoc("d", 90), Key: "d"}}); err != nil { // one segment
		t.Fatal(err)
	}
	segs, _, _ := snapshotSegments(t, ix)
	if len(segs) != 1 {
		t.Fatalf("%d segments, want 1", len(segs))
	}
	term := func(field, t string) query.Query { return termQ(field, t, 1) }
	phrase := func(terms ...[]string) *query.MultiPhraseQuery {
		return query.NewMultiPhraseQuery(terms, schema.FieldText)
	}
	fuzzy := phrase([]string{"polygraph"}, []string{"electroshock"})
	fuzzy.SetFuzziness(1)
	noField := query.NewTermQuery("polygraph")
	for _, tc := range []struct {
		name  string
		q     query.Query
		exact bool // else a superset
		tells bool
	}{
		{"term", term(schema.FieldText, "polygraph"), true, true},
		{"terms of a conjunction", query.NewConjunctionQuery([]query.Query{term(schema.FieldText, "polygraph"),
			term(schema.FieldText, "electroshock")}), true, true},
		{"terms of a disjunction", query.NewDisjunctionQuery([]query.Query{term(schema.FieldText, "polygraph"),
			term(schema.FieldHeading, "electroshock")}), true, true},
		{"phrase", phrase([]string{"polygraph"}, []string{"electroshock"}), false, true},
		{"phrase with a gap", phrase([]string{"polygraph"}, nil, []string{"electroshock"}), false, true},
		{"phrase with an empty term", phrase([]string{"polygraph"}, []string{""}, []string{"electroshock"}), false, true},
		{"fuzzy phrase", fuzzy, false, false},
		{"empty disjunction", query.NewDisjunctionQuery(nil), false, false},
		{"term of the default field", noField, false, false},
		{"prefix", query.NewPrefixQuery("polyg"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := superset(tc.q, segs[0], map[string]segment.TermDictionary{})
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tc.tells {
				t.Fatalf("superset %v, want one: %v", got, tc.tells)
			}
			if got == nil {
				return
			}
			res, err := ix.Bleve().Search(bleve.NewSearchRequestOptions(tc.q, 0, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			if n := got.GetCardinality(); n < res.Total || (tc.exact && n != res.Total) || res.Total == 0 {
				t.Errorf("%d documents, Bleve matches %d (exact: %v)", n, res.Total, tc.exact)
			}
		})
	}
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%s %.4f", h.ID, h.Score)
	}
	return out
}

// fakeTermReader holds a term in the documents docs (in order) and
// records the documents it is advanced to.
type fakeTermReader struct {
	index.TermFieldReader
	docs     []uint64
	advanced []uint64
}

func (f *fakeTermReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	f.advanced = append(f.advanced, id.Value())
	for _, d := range f.docs {
		if d >= id.Value() {
			pre.ID = index.NewIndexInternalID(nil, d)
			return pre, nil
		}
	}
	return nil, nil
}

// TestLeapingReaderSpent: a leaping term reader that has come to its end
// stays there when advanced further, as Bleve's disjunction does to its
// spent parts at each step, without reading the term's postings again
// (which meant opening them anew, the reader having passed those
// documents); advanced back before its end, it reads them again.
func TestLeapingReaderSpent(t *testing.T) {
	c := &candidates{segs: []*roaring.Bitmap{roaring.BitmapOf(1, 4, 6, 8)}, offsets: []uint64{0, 10}}
	f := &fakeTermReader{docs: []uint64{1, 7}}
	r := &leapingTermReader{TermFieldReader: f, at: cursor{candidates: c}, id: index.NewIndexInternalID(nil, 0)}
	at := func(n uint64) index.IndexInternalID { return index.NewIndexInternalID(nil, n) }
	read := func(what string, tfd *index.TermFieldDoc, err error, want uint64, found bool) {
		t.Helper()
		switch {
		case err != nil:
			t.Fatalf("%s: %v", what, err)
		case found && (tfd == nil || tfd.ID.Value() != want):
			t.Fatalf("%s: %v, want document %d", what, tfd, want)
		case !found && tfd != nil:
			t.Fatalf("%s: document %d, want none", what, tfd.ID.Value())
		}
	}
	tfd, err := r.Advance(at(0), &index.TermFieldDoc{})
	read("advance to 0", tfd, err, 1, true)
	tfd, err = r.Advance(at(8), &index.TermFieldDoc{})
	read("advance to 8", tfd, err, 0, false)
	calls := len(f.advanced)
	for _, n := range []uint64{8, 9, 12} {
		tfd, err = r.Advance(at(n), &index.TermFieldDoc{})
		read(fmt.Sprintf("advance to %d when spent", n), tfd, err, 0, false)
	}
	if len(f.advanced) != calls {
		t.Errorf("a spent reader was advanced to %v again", f.advanced[calls:])
	}
	tfd, err = r.Advance(at(5), &index.TermFieldDoc{})
	read("advance back to 5", tfd, err, 7, true)
	tfd, err = r.Next(&index.TermFieldDoc{})
	read("next after 7", tfd, err, 0, false)
}
