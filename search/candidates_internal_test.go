package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

// leapDoc is a decision whose passages hold two words apart, both, or
// both side by side, in proportions that make their intersection narrow;
// in a few, one word is only in the heading, or in Spanish.
func leapDoc(id string, n int) *corpus.Document {
	d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: "decision", Language: "en", Year: 2020}}
	for i := range n {
		text, heading, lang := "The committee heard the parties.", "", "en"
		switch {
		case i%14 == 4:
			text, heading = "The polygraph was examined.", "Electroshock"
		case i%14 == 11:
			text, lang = "El polígrafo y el electroshock fueron usados.", "es"
		case i%15 == 5:
			text = "A polygraph electroshock session was held."
		case i%10 == 2:
			text = "A polygraph and then electroshock were used."
		case i%3 == 0:
			text = "The polygraph was used on the complainant."
		case i%3 == 1:
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
	for i := range 6 { // a batch each: six segments until a merge
		id := fmt.Sprintf("d%d", i)
		if err := ix.Apply([]indexer.Update{{Doc: leapDoc(id, 60+i), Key: id}}); err != nil {
			t.Fatal(err)
		}
	}
	// Replaced and removed passages stay in their segments, deleted.
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
	leaps := func(q string) bool {
		t.Helper()
		adv, err := ix.Bleve().Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		offsets := []uint64{0}
		var segs []segment.Segment
		for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
			segs = append(segs, ss.Segment())
			offsets = append(offsets, offsets[len(offsets)-1]+ss.Segment().Count())
		}
		c, err := candidatesOf(walk.plan(Request{Query: q}).query, segs, offsets)
		if err != nil {
			t.Fatal(err)
		}
		return c != nil
	}
	for _, q := range []string{"polygraph AND electroshock", "+polygraph +electroshock -session", "polygraph AND electroshock kind:decision",
		"polygraph AND electroshock session", `"electroshock were used" AND polygraph`, `+"electroshock were used" +polygraph -session`} {
		if !leaps(q) {
			t.Errorf("%q is not searched by leaping; the test needs it to be", q)
		}
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
			if got.Total == 0 && page == 1 {
				t.Errorf("%q: no hits", q)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q page %d: %d hits %v\nBleve's collector: %d hits %v", q, page, got.Total, hitIDs(got.Hits), want.Total, hitIDs(want.Hits))
			}
		}
	}
	if leaps("polygraph electroshock") {
		t.Error("polygraph electroshock (either word) is searched by leaping: every match of either word is a match")
	}
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%s %.4f", h.ID, h.Score)
	}
	return out
}
