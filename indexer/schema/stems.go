package schema

import (
	"bytes"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/registry"
)

// One text field answers plain words, phrases that keep their stop words,
// and exact words. The analyzer of a stemmed language (English, Spanish)
// keeps every word at its position:
//
//   - a stop word as itself, marked (StopMark): "not" gives "~not", so a
//     quoted "would not constitute" tells "not" from its absence, while a
//     plain word of another language's analysis ("el" of "El Salvador",
//     read in English) never meets the Spanish article;
//   - any other word by its stem, and when its stem changes it, as written
//     too, marked (ExactMark), at the same position: "deported" gives
//     "deport" and "=deported", "deport" gives "deport" alone.
//
// A plain word is searched by its stem (stop words left out, as before
// they were indexed); a quoted phrase holding stop words, and an exact
// word, as written: "=deported" finds that form only, "~not" the negation.
// An exact search for a word that is its own stem ("deport", "state")
// finds the stem's term, which the word's other forms share: exact mode is
// exact for every word that stemming changes and for stop words, and as
// loose as stemming for the others. Indexing every word a second time as
// written would make it exact for those too, at a cost measured on the
// demo import of 18.6 s and 120 MB against 13.3–14.4 s and 104 MB (README,
// Figures).
//
// Languages without a stemmer (AnalyzerFolded) keep every word as it is:
// their readings are one.

// ExactMark opens the term of a word indexed as written beside its stem,
// and StopMark the term of a stop word. The tokenizer emits neither: they
// are no letters or digits.
const (
	ExactMark = '='
	StopMark  = '~'
)

// marking reads a token stream in one of the ways the index and the query
// readings need, for one language's stop words and stemmer: every one
// marks stop words.
type marking struct {
	stop analysis.TokenMap
	stem analysis.TokenFilter
	// exact: any other word becomes its exact term (the query's exact
	// reading); else its stem and, when that changes it, its marked
	// written form (the index).
	exact bool
}

func (m marking) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)+len(input)/2)
	var scratch analysis.Token
	one := analysis.TokenStream{&scratch}
	for _, tok := range input {
		written := tok.Term
		if m.stop[string(written)] {
			tok.Term = mark(StopMark, written)
			out = append(out, tok)
			continue
		}
		// Bleve's stemmers give a token a new term, leaving written's.
		scratch.Term = written
		stem := m.stem.Filter(one)[0].Term
		switch {
		case bytes.Equal(stem, written):
			out = append(out, tok)
		case m.exact:
			tok.Term = mark(ExactMark, written)
			out = append(out, tok)
		default:
			tok.Term = stem
			asWritten := *tok
			asWritten.Term = mark(ExactMark, written)
			out = append(out, tok, &asWritten)
		}
	}
	return out
}

func mark(m byte, word []byte) []byte {
	return append([]byte{m}, word...)
}

// Filter names, for each stemmed language: the index's and the exact
// reading's.
const (
	indexEnglish = "hr_index_en"
	indexSpanish = "hr_index_es"
	exactEnglish = "hr_exact_en"
	exactSpanish = "hr_exact_es"
)

func init() {
	// As foldName: registering a filter type does no I/O.
	for _, l := range []struct {
		stopList, stemmer string
		names             map[bool]string // by marking.exact
	}{
		{en.StopName, en.SnowballStemmerName, map[bool]string{false: indexEnglish, true: exactEnglish}},
		{es.StopName, es.LightStemmerName, map[bool]string{false: indexSpanish, true: exactSpanish}},
	} {
		for exact, name := range l.names {
			registry.RegisterTokenFilter(name, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
				stop, err := cache.TokenMapNamed(l.stopList)
				if err != nil {
					return nil, err
				}
				stem, err := cache.TokenFilterNamed(l.stemmer)
				if err != nil {
					return nil, err
				}
				return marking{stop: stop, stem: stem, exact: exact}, nil
			})
		}
	}
}
