package indexer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// FoldName is the token filter that removes diacritics from each token
// ("detención" → "detencion", "refoulement" unchanged). It works on tokens,
// not on the character stream, so the byte offsets the highlighter uses stay
// those of the original text (Bleve's asciifolding char filter shifts them).
const FoldName = "hr_fold"

type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if isASCII(tok.Term) {
			continue
		}
		tok.Term = fold(tok.Term)
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fold decomposes b and drops combining marks; a few letters that do not
// decompose are mapped by hand.
func fold(b []byte) []byte {
	d := norm.NFD.Bytes(b)
	out := make([]byte, 0, len(d))
	for len(d) > 0 {
		r, n := utf8.DecodeRune(d)
		d = d[n:]
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'ß':
			out = append(out, 's', 's')
			continue
		case r == 'ø':
			r = 'o'
		case r == 'ł':
			r = 'l'
		case r == 'đ':
			r = 'd'
		case r == 'æ':
			out = append(out, 'a', 'e')
			continue
		case r == 'œ':
			out = append(out, 'o', 'e')
			continue
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}

func init() {
	// Registering a token filter type is how Bleve extends analysis; it does
	// no I/O. Indexes name the filter in their mapping.
	registry.RegisterTokenFilter(FoldName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
}
