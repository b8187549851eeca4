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
