package search_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// TestPassageKeepsSectionAndNotes: a passage's section, footnotes and the
// references only its notes make come back from the index apart from its
// text, and the notes' references are not its articles.
func TestPassageKeepsSectionAndNotes(t *testing.T) {
	ix, err := indexer.NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	doc := &corpus.Document{Entry: corpus.Entry{ID: "rep", Kind: corpus.KindReport, Language: "en", Title: "A report"}}
	doc.Passages = []corpus.Passage{{
		ID: "rep#para-4", Document: "rep", Unit: "para-4", Order: 0, Language: "en",
		Section: "Activities › Visits to countries",
		Text:    "The mandate holder visited two places of detention.",
		Notes:   []corpus.Note{{N: "12", Text: "See general comment No. 4, para. 9."}},
		Cites:   []string{"CAT 3"},
	}}
	if err := ix.Apply([]indexer.Update{{Doc: doc, Key: "k"}}); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Passage(context.Background(), "rep#para-4")
	if err != nil {
		t.Fatal(err)
	}
	if p.Section != "Activities › Visits to countries" {
		t.Errorf("section %q", p.Section)
	}
	if want := []search.Note{{N: "12", Text: "See general comment No. 4, para. 9."}}; !reflect.DeepEqual(p.Notes, want) {
		t.Errorf("notes %+v, want %+v", p.Notes, want)
	}
	if !reflect.DeepEqual(p.Cites, []string{"CAT 3"}) || len(p.Article) != 0 {
		t.Errorf("cites %v, articles %v: a note's reference is not the passage's article", p.Cites, p.Article)
	}
	if p.Text != "The mandate holder visited two places of detention." {
		t.Errorf("text %q", p.Text)
	}
}

// notesFixture indexes passages of one report: words in their bodies, in
// their headings and in their footnotes.
func notesFixture(t *testing.T, passages ...corpus.Passage) *search.Searcher {
	t.Helper()
	ix, err := indexer.NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	doc := &corpus.Document{Entry: corpus.Entry{ID: "rep", Kind: corpus.KindReport, Language: "en", Title: "A report"}}
	for i := range passages {
		p := &passages[i]
		p.Document, p.Order, p.Language = "rep", i, "en"
		p.ID = "rep#" + p.Unit
	}
	doc.Passages = passages
	if err := ix.Apply([]indexer.Update{{Doc: doc, Key: "k"}}); err != nil {
		t.Fatal(err)
	}
	s, err := search.New(ix.Bleve())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestNotesSearchedLow: a word found only in a passage's footnote finds
// the passage, ranked below the passages whose own text says it.
func TestNotesSearchedLow(t *testing.T) {
	s := notesFixture(t,
		corpus.Passage{Unit: "para-1", Text: "The mandate holder visited two places of detention in the north.",
			Notes: []corpus.Note{{N: "3", Text: "Quixotl protocol on inspections, quixotl annex, quixotl rules."}}},
		corpus.Passage{Unit: "para-2", Text: "Inspections followed the quixotl protocol adopted by the ministry in a long process of consultation with many partners."},
		corpus.Passage{Unit: "para-3", Text: "Nothing here names it."},
	)
	res, err := s.Search(context.Background(), search.Request{Query: "quixotl"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID)
	}
	if want := []string{"rep#para-2", "rep#para-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("quixotl: hits %v, want %v (the body first, then the note)", got, want)
	}
	// Required words leap through the notes too.
	for q, want := range map[string]string{"quixotl AND mandate": "rep#para-1", "+ministry +quixotl": "rep#para-2"} {
		res, err := s.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != want {
			t.Errorf("%s: %d hits, want only %s", q, len(res.Hits), want)
		}
	}
}

// TestPhraseWithStopWordsMatchesHeading: a quoted phrase holding stop
// words finds a passage by its heading, and never runs from the heading
// into the text.
func TestPhraseWithStopWordsMatchesHeading(t *testing.T) {
	s := notesFixture(t,
		corpus.Passage{Unit: "art-5", Heading: "Article 5 No one shall be held in slavery",
			Text: "Slavery and the slave trade shall be prohibited in all their forms."},
		// Without positions of its own, the heading's "shall" (position 1)
		// would run into the text's "not be" (positions 2 and 3).
		corpus.Passage{Unit: "art-6", Heading: "Shall",
			Text: "They not be subjected to arbitrary interference."},
	)
	for q, want := range map[string][]string{
		`"no one shall be held"`: {"rep#art-5"},
		`"shall not be"`:         nil,
	} {
		res, err := s.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: hits %v, want %v", q, got, want)
		}
	}
}
