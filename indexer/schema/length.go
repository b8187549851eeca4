package schema

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
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
// terms. It counts its terms as Bleve's TextField does (the same
// frequencies and locations), with a few allocations a field instead of a
// few a term.
type wordCountedField struct {
	*document.TextField
	length      int
	frequencies index.TokenFrequencies
}

func (f *wordCountedField) Analyze() {
	a := f.Analyzer()
	if a == nil { // not a text field Bleve analyses: as Bleve does
		f.TextField.Analyze()
		f.frequencies = f.TextField.AnalyzedTokenFrequencies()
		f.length = max(f.TextField.AnalyzedLength(), 1)
		return
	}
	b := f.Value()
	if f.Options().IsStored() {
		b = append(make([]byte, 0, len(b)), b...) // the stored value keeps its own bytes
	}
	var words int
	f.frequencies, words = tokenFrequencies(a.Analyze(b), f.ArrayPositions(), f.Options())
	f.length = max(words, 1) // Bleve's norm divides by the length
}

func (f *wordCountedField) AnalyzedLength() int { return f.length }

func (f *wordCountedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.frequencies }

func (f *wordCountedField) Size() int { return f.TextField.Size() + f.frequencies.Size() }

// tokenFrequencies is analysis.TokenFrequency (each term's frequency and,
// with term vectors, its locations in the order of the tokens) with every
// term's record taken from one slice and its locations from another, and
// the count of the tokens that are no marked terms (the field's length).
func tokenFrequencies(tokens analysis.TokenStream, arrayPositions []uint64, options index.FieldIndexingOptions) (index.TokenFrequencies, int) {
	rv := make(index.TokenFrequencies, len(tokens))
	freqs := make([]index.TokenFreq, 0, len(tokens)) // never grown: its records stay where they are
	owner := make([]*index.TokenFreq, len(tokens))
	words := 0
	for i, tok := range tokens {
		tf, ok := rv[string(tok.Term)]
		if !ok {
			freqs = append(freqs, index.TokenFreq{Term: tok.Term})
			tf = &freqs[len(freqs)-1]
			rv[string(tok.Term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		owner[i] = tf
		if len(tok.Term) > 0 && tok.Term[0] != ExactMark && tok.Term[0] != StopMark {
			words++
		}
	}
	if options.IncludeTermVectors() {
		locs := make([]index.TokenLocation, len(tokens))
		ptrs := make([]*index.TokenLocation, len(tokens))
		for j := range freqs { // each term's locations, of its exact capacity
			n := freqs[j].Frequency()
			freqs[j].Locations, ptrs = ptrs[:0:n], ptrs[n:]
		}
		for i, tok := range tokens {
			locs[i] = index.TokenLocation{ArrayPositions: arrayPositions, Start: tok.Start, End: tok.End, Position: tok.Position}
			owner[i].Locations = append(owner[i].Locations, &locs[i])
		}
	}
	if options.SkipFreqNorm() {
		for j := range freqs {
			freqs[j].SetFrequency(0)
		}
		words = 0
	}
	return rv, words
}
