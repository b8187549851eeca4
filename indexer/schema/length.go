package schema

import (
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
)

// NewDocument maps a passage (Document's fields) to the Bleve document the
// index takes. BM25 weighs a term against the length of its field; the
// fields analysed by a stemmed language hold their stop words and the
// written forms of stemmed words too (stems.go), marked, and their length
// counts the other terms alone: a passage is as long as the words that
// carry its meaning, as when ranking was measured without the marked ones.
func NewDocument(m mapping.IndexMapping, id string, data map[string]interface{}) (*document.Document, error) {
	d := document.NewDocument(id)
	if err := m.MapDocument(d, data); err != nil {
		return nil, err
	}
	for i, f := range d.Fields {
		if tf, ok := f.(*document.TextField); ok && analysedFields[tf.Name()] {
			d.Fields[i] = &wordCountedField{TextField: tf}
		}
	}
	return d, nil
}

// analysedFields are the fields analysed by the passage's language.
var analysedFields = map[string]bool{FieldText: true, FieldHeading: true, FieldTitle: true, FieldNoteText: true}

// wordCountedField is an analysed field whose length leaves out marked
// terms.
type wordCountedField struct {
	*document.TextField
	length int
}

func (f *wordCountedField) Analyze() {
	f.TextField.Analyze()
	n := 0
	for term, tf := range f.TextField.AnalyzedTokenFrequencies() {
		if term[0] != ExactMark && term[0] != StopMark {
			n += tf.Frequency()
		}
	}
	f.length = max(n, 1) // Bleve's norm divides by the length
}

func (f *wordCountedField) AnalyzedLength() int { return f.length }
