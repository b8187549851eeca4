package schema

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/hrsearch/hrsearch/corpus"
)

// foldName is the token filter that folds each token with corpus.Fold, the
// one fold the query side uses too: it removes diacritics
// ("detención" → "detencion", "refoulement" unchanged). It works on tokens,
// not on the character stream, so the byte offsets the highlighter uses stay
// those of the original text (Bleve's asciifolding char filter shifts them).
const foldName = "hr_fold"

type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if !hasNonASCII(tok.Term) {
			continue
		}
		tok.Term = []byte(corpus.Fold(string(tok.Term)))
	}
	return input
}

func init() {
	// Registering a token filter type is how Bleve extends analysis; it does
	// no I/O. Indexes name the filter in their mapping.
	registry.RegisterTokenFilter(foldName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
