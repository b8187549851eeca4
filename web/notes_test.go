package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/search"
)

// TestDocPageShowsSectionAndNotes: the document view shows the section a
// passage sits in above its text and its footnotes folded under it, escaped.
func TestDocPageShowsSectionAndNotes(t *testing.T) {
	s := testServer(t)
	info := &DocInfo{}
	info.Entry.ID, info.Entry.Title, info.Entry.Kind = "smr", "Rules", "rules"
	page := s.buildDocPage(info, []search.Passage{{ID: "smr#rule-7", Document: "smr", Unit: "rule-7",
		Section: "Rules of general application › Prisoner file management", Text: "No person shall be received.",
		Notes: []search.Note{{N: "3", Text: "See <rule> 6."}}}}, nil)
	rec := httptest.NewRecorder()
	if err := s.render(rec, 200, "doc", page); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, want := range []string{`<p class="section-path">Rules of general application › Prisoner file management</p>`,
		`<summary>Notes (1)</summary>`, `<span class="note-n">3</span> See &lt;rule&gt; 6.`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "See <rule>") {
		t.Error("a note's text reached the page unescaped")
	}
}
