package schema

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/hrsearch/hrsearch/corpus"
)

// TestNewDocumentIsMapDocuments: NewDocument's plan makes the fields
// Bleve's MapDocument makes from the mapping, for passages of each
// analysis (English, Spanish, another language), with every field a
// passage can set: the same names, array positions, values and options,
// analysed to the same terms, frequencies and locations.
func TestNewDocumentIsMapDocuments(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	decision := &corpus.Entry{
		ID: "cat-c-1-2020", Title: "Decision on communication No. 1/2020", Kind: corpus.KindDecision,
		Language: "en", Symbol: "CAT/C/1/D/1/2020", Date: "2021-05-04", Body: "CAT",
		Case: &corpus.Case{Name: "A. v. Utopia", Communication: "1/2020", Party: "SE", Outcome: "violation", Groups: []string{"Children"}},
	}
	treaty := &corpus.Entry{ID: "tratado", Title: "Tratado de ejemplo", Kind: corpus.KindTreaty, Language: "es"}
	other := &corpus.Entry{ID: "traite", Title: "Traité d'exemple", Kind: corpus.KindTreaty, Language: "fr"}
	passages := []struct {
		e *corpus.Entry
		p *corpus.Passage
	}{
		{decision, &corpus.Passage{
			Unit: "para-1", Order: 0, Heading: "Facts as submitted", Section: "Facts › Background",
			Text:        "The complainants were deported to the requesting State, which did not assess the risks they faced.",
			Notes:       []corpus.Note{{N: "1", Text: "See the reports cited."}, {N: "2", Text: "Deportations were reported."}},
			Instruments: []string{"CAT"}, Articles: []string{"CAT 3", "CAT 22"}, States: []string{"SE", "UT"},
			Symbols: []string{"CAT/C/GC/4"}, Cites: []string{"CAT 16"}, Labels: []string{"Children"},
		}},
		{decision, &corpus.Passage{Unit: "para-2", Order: 1, Text: "Nothing further."}},
		{treaty, &corpus.Passage{Unit: "art-3", Order: 2, Instrument: "TE", Heading: "Artículo 3", Text: "Ningún Estado procederá a la expulsión de una persona.", Defines: []string{"tortura"}}},
		{other, &corpus.Passage{Unit: "art-1", Order: 0, Instrument: "TX", Text: "Aucun État n'expulsera une personne.", Language: "fr"}},
	}
	entered := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range passages {
		id := c.e.ID + "#" + c.p.Unit
		data := SetEntered(Document(c.e, c.p), entered)
		got, err := NewDocument(m, id, data)
		if err != nil {
			t.Fatal(err)
		}
		want, err := mapDocument(m, id, data)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := fieldsOf(got), fieldsOf(want); !slices.Equal(g, w) {
			t.Errorf("%s: NewDocument's fields\n%s\nMapDocument's\n%s", id, g, w)
		}
		if len(want.Fields) < 10 {
			t.Errorf("%s: MapDocument made %d fields: the comparison compares little", id, len(want.Fields))
		}
		if len(got.CompositeFields) != len(want.CompositeFields) {
			t.Errorf("%s: %d composite fields, MapDocument %d", id, len(got.CompositeFields), len(want.CompositeFields))
		}
	}
}

// fieldsOf describes d's fields, analysed, one line each, sorted.
func fieldsOf(d *document.Document) []string {
	var out []string
	for _, f := range d.Fields {
		f.Analyze()
		var b bytes.Buffer
		fmt.Fprintf(&b, "%T %s %v %q %v len=%d", f, f.Name(), f.ArrayPositions(), f.Value(), f.Options(), f.AnalyzedLength())
		freqs := f.AnalyzedTokenFrequencies()
		for _, term := range slices.Sorted(maps.Keys(freqs)) {
			tf := freqs[term]
			fmt.Fprintf(&b, " %s:%d", term, tf.Frequency())
			for _, l := range tf.Locations {
				fmt.Fprintf(&b, "@%d[%d-%d]%v", l.Position, l.Start, l.End, l.ArrayPositions)
			}
		}
		out = append(out, b.String())
	}
	slices.SortFunc(out, cmp.Compare)
	return out
}
