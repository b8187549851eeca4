package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hyphenPrefixes are word beginnings that are written with a hyphen, so a
// hyphen after them at a line end is part of the word ("non-refoulement",
// "self-incrimination", "auto-incriminación"), unless the document spells
// the joined word elsewhere.
var hyphenPrefixes = map[string]bool{
	"non": true, "self": true, "ex": true, "quasi": true, "anti": true,
	"cross": true, "post": true, "pre": true, "semi": true, "well": true,
	"ill": true, "multi": true, "socio": true, "auto": true, "counter": true,
	"extra": true, "ultra": true, "neo": true, "vice": true, "mini": true,
}

// suspended are the words after which a hyphen closes a suspended compound
// ("pre- and post-trial", "socio- y económico"): the hyphen stays.
var suspended = map[string]bool{
	"and": true, "or": true, "nor": true, "y": true, "e": true, "o": true,
	"u": true, "ni": true, "und": true, "oder": true, "et": true, "ou": true,
}

// Dehyphenate repairs words split by a hyphen at a line end, as PDF text
// carries them: "te-\nrritorio" and "te- rritorio" become "territorio". A
// candidate is a letter, a hyphen, white space (at most one line break) and
// a lower-case letter. Real compounds keep their hyphen (the white space is
// dropped): when the hyphenated form occurs elsewhere in s and the joined
// form does not, or when the first part is a prefix written with a hyphen
// ("non-refoulement") and s does not spell the joined word. A hyphen before
// "and", "or", "y", … (a suspended compound) is left as it is, and so is one
// before an upper-case letter or a digit.
func Dehyphenate(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	var vocab map[string]int // lazily built word counts of s
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	last := 0 // bytes of s already copied to b
	for i < len(s) {
		j := strings.IndexByte(s[i:], '-')
		if j < 0 {
			break
		}
		h := i + j // index of the hyphen
		i = h + 1
		left := wordBefore(s, h)
		if left == "" || !endsLower(left) {
			continue
		}
		// White space after the hyphen: at least one character, at most
		// one line break.
		k := h + 1
		breaks := 0
		for k < len(s) {
			r, n := utf8.DecodeRuneInString(s[k:])
			if r == '\n' {
				breaks++
			} else if !isBlank(r) {
				break
			}
			k += n
		}
		if k == h+1 || breaks > 1 || k >= len(s) {
			continue
		}
		right := wordAfter(s, k)
		if right == "" {
			continue
		}
		r0, _ := utf8.DecodeRuneInString(right)
		if !unicode.IsLower(r0) || suspended[strings.ToLower(right)] {
			continue
		}
		if vocab == nil {
			vocab = wordCounts(s)
		}
		lowL, lowR := strings.ToLower(left), strings.ToLower(right)
		joined := vocab[lowL+lowR]
		hyphened := vocab[lowL+"-"+lowR]
		keep := (hyphened > 0 && joined == 0) || (hyphenPrefixes[lowL] && joined == 0)
		b.WriteString(s[last:h])
		if keep {
			b.WriteByte('-')
		}
		last = k
		i = k
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isBlank(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\u00a0'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// wordBefore returns the letters immediately before byte index h.
func wordBefore(s string, h int) string {
	start := h
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if !isWordRune(r) {
			break
		}
		start -= n
	}
	return s[start:h]
}

// wordAfter returns the letters starting at byte index k.
func wordAfter(s string, k int) string {
	end := k
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(r) {
			break
		}
		end += n
	}
	return s[k:end]
}

func endsLower(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return unicode.IsLower(r)
}

// wordCounts counts the lower-cased words of s, where a word is letters
// joined by single hyphens ("non-refoulement" counts as itself).
func wordCounts(s string) map[string]int {
	m := make(map[string]int)
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) && r != '-' }) {
		f = strings.Trim(f, "-")
		if f == "" {
			continue
		}
		m[strings.ToLower(f)]++
	}
	return m
}
