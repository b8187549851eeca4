package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold removes the accents of s ("detención" → "detencion", "Łódź" →
// "Lodz"): it decomposes s, drops the combining marks, and spells the
// letters that do not decompose (ß, ø, ł, đ, æ, œ and their capitals) in
// plain Latin letters. It is the one fold: the index's analyzer folds each
// token with it, and the query side (prefixes, wildcards, facets) folds
// what the user typed with it, so both meet on the same terms.
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if sub, ok := foldLetters[r]; ok {
			b.WriteString(sub)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldLetters are the letters that NFD leaves whole.
var foldLetters = map[rune]string{
	'ß': "ss", 'ẞ': "SS",
	'ø': "o", 'Ø': "O",
	'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D",
	'æ': "ae", 'Æ': "AE",
	'œ': "oe", 'Œ': "OE",
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FoldedWords lower-cases s, folds its accents and splits it on anything
// that is not a letter or digit.
func FoldedWords(s string) []string {
	return strings.FieldsFunc(Fold(strings.ToLower(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
