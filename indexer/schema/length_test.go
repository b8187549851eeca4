package schema

import (
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// TestTokenFrequenciesAsBleve: a field's terms are counted as Bleve counts
// them (frequencies, and locations in token order with term vectors), and
// its length leaves the marked terms out.
func TestTokenFrequenciesAsBleve(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"",
		"He was not deported, and he would not be deported: the State deports no one.",
		"No será expulsado ni devuelto; el Estado no expulsará a nadie que sea expulsado.",
		strings.Repeat("torture torture of the tortured ", 40),
	}
	for _, analyzer := range []string{AnalyzerEnglish, AnalyzerSpanish, AnalyzerFolded} {
		a := m.AnalyzerNamed(analyzer)
		for _, opts := range []index.FieldIndexingOptions{
			index.IndexField | index.StoreField | index.IncludeTermVectors,
			index.IndexField,
			index.IndexField | index.IncludeTermVectors | index.SkipFreqNorm,
		} {
			for _, text := range texts {
				tokens := a.Analyze([]byte(text))
				want := analysis.TokenFrequency(tokens, []uint64{2}, opts)
				got, words := tokenFrequencies(tokens, []uint64{2}, opts)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %v %q: the frequencies differ from Bleve's", analyzer, opts, text)
				}
				n := 0
				for term, tf := range want {
					if term[0] != ExactMark && term[0] != StopMark {
						n += tf.Frequency()
					}
				}
				if words != n {
					t.Errorf("%s %v %q: length %d, want %d", analyzer, opts, text, words, n)
				}
			}
		}
	}
}

// TestWordCountedFieldAllocations: counting a passage's terms takes an
// allocation a term (its key) and a few more, not a few per term (Bleve's
// TokenFrequency: a record and a slice of locations each, and their growth).
func TestWordCountedFieldAllocations(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("The Committee considers that the complainant's removal to the requesting State would not constitute a violation of article 3. ", 4)
	d, err := NewDocument(m, "x#1", map[string]interface{}{typeField: TypeEnglish, FieldText: text})
	if err != nil {
		t.Fatal(err)
	}
	var f *wordCountedField
	for _, field := range d.Fields {
		if wf, ok := field.(*wordCountedField); ok && wf.Name() == FieldText {
			f = wf
		}
	}
	if f == nil {
		t.Fatal("no word-counted text field")
	}
	a := f.Analyzer()
	f.Analyze() // the words' readings are kept from the first analysis on
	analysisOnly := testing.AllocsPerRun(20, func() { a.Analyze([]byte(text)) })
	field := testing.AllocsPerRun(20, func() { f.Analyze() })
	// A key for each term (the map holds its own string), and a few more:
	// the stored value's copy, the map, the records, the locations (Bleve's
	// took 131 for these 25 terms).
	terms := len(f.AnalyzedTokenFrequencies())
	if extra := field - analysisOnly; extra > float64(terms+8) {
		t.Errorf("counting %d distinct terms took %.0f allocations beyond the analysis, want at most %d", terms, extra, terms+8)
	}
}
