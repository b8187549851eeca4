package schema

import (
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestWordCountedFieldSize: a passage's analysed fields report the size
// Bleve's TextField.Size would, counted while Analyze walks the terms,
// for a field with term vectors (text), one without (title) and one of
// several values (note_text, whose locations carry array positions);
// their length counts the unmarked terms alone.
func TestWordCountedFieldSize(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	e := &corpus.Entry{ID: "d", Title: "Decision concerning the deported complainants", Kind: corpus.KindDecision, Language: "en"}
	p := &corpus.Passage{
		Unit: "para-1", Order: 1, Heading: "Merits",
		Text:  "The State party deported the complainants, and did not consider the risks they faced.",
		Notes: []corpus.Note{{N: "1", Text: "See the second report."}, {N: "2", Text: "Deportations were reported twice."}},
	}
	d, err := NewDocument(m, "d#para-1", Document(e, p))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range d.Fields {
		wf, ok := f.(*wordCountedField)
		if !ok {
			continue
		}
		wf.Analyze()
		name := wf.Name()
		seen[name] = true
		if got, want := wf.Size(), wf.TextField.Size(); got != want {
			t.Errorf("%s: Size %d, TextField.Size %d", name, got, want)
		}
		if name == FieldText {
			// The, State, party, deported, the, complainants, and, did, not,
			// consider, the, risks, they, faced: stop words are marked and
			// left out, the written forms of stemmed words too.
			if got, want := wf.AnalyzedLength(), 7; got != want {
				t.Errorf("text length %d, want %d", got, want)
			}
		}
	}
	for _, name := range []string{FieldText, FieldTitle, FieldNoteText, FieldHeading} {
		if !seen[name] {
			t.Errorf("no analysed field %s", name)
		}
	}
}
