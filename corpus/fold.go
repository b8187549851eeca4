package corpus

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold removes the accents of s ("detención" → "detencion"): it decomposes
// s and drops the combining marks.
func Fold(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FoldedWords lower-cases s, folds its accents and splits it on anything
// that is not a letter or digit.
func FoldedWords(s string) []string {
	return strings.FieldsFunc(Fold(strings.ToLower(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
