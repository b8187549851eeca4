package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lines joined without their space by a converter: "Convention,Considering",
// "Convention.Such", "(a)When", "PreambleThe High Contracting Parties",
// "CubaIranPursuant".
var (
	// A word of two or more letters, sentence punctuation, and a
	// capitalised word: the punctuation ended a line. A token that holds
	// other punctuation (a URL, "e.g.The", "U.S.Army") is left alone.
	gluedPunctRe = regexp.MustCompile(`(^|[\s(“"‘\[])(\p{L}{2,}[”"’)]?[.,;:!?])(\p{Lu}\p{Ll})`)
	// A list marker glued to its text: "(a)When".
	gluedMarkerJoinRe = regexp.MustCompile(`(^|\s|\p{L}[:;,])(\((?:[a-z]|[ivx]{1,4}|\d{1,2})\))(\p{Lu})`)
	// Two words glued at a case change: three lower-case letters, then a
	// capitalised word ("PreambleThe"). "McArthur", "iPhone" and acronyms
	// do not match.
	gluedCaseRe = regexp.MustCompile(`(\p{Ll}{3})(\p{Lu}\p{Ll}{2,})`)
)

// RepairJoins puts back the space between words that a converter joined
// when it removed a line break.
func RepairJoins(text string) string {
	punct, marker, kase := gluedShapes(text)
	if punct && gluedPunctRe.MatchString(text) {
		text = gluedPunctRe.ReplaceAllString(text, "$1$2 $3")
	}
	if marker && gluedMarkerJoinRe.MatchString(text) {
		text = gluedMarkerJoinRe.ReplaceAllStringFunc(text, func(m string) string {
			sm := gluedMarkerJoinRe.FindStringSubmatch(m)
			lead := sm[1]
			if strings.TrimSpace(lead) != "" {
				lead += " "
			}
			return lead + sm[2] + " " + sm[3]
		})
	}
	// Matches overlap in a run of glued words ("CubaIranPursuant").
	for range 4 {
		if !kase || !gluedCaseRe.MatchString(text) {
			break
		}
		text = replaceOutsideURLs(text, gluedCaseRe, "$1 $2")
	}
	return text
}

// replaceOutsideURLs replaces re's matches in the words of text that are
// not links or e-mail addresses.
func replaceOutsideURLs(text string, re *regexp.Regexp, repl string) string {
	words := strings.SplitAfter(text, " ")
	for i, w := range words {
		if strings.Contains(w, "://") || strings.Contains(w, "www.") || strings.Contains(w, "@") || strings.Contains(w, "/") {
			continue
		}
		if re.MatchString(w) {
			words[i] = re.ReplaceAllString(w, repl)
		}
	}
	return strings.Join(words, "")
}

// lowerBefore reports whether the last n runes of s are lower-case letters.
func lowerBefore(s string, n int) bool {
	for range n {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsLower(r) {
			return false
		}
		s = s[:len(s)-size]
	}
	return true
}

// lowerAfter reports whether the first n runes of s are lower-case letters.
func lowerAfter(s string, n int) bool {
	for range n {
		r, size := utf8.DecodeRuneInString(s)
		if !unicode.IsLower(r) {
			return false
		}
		s = s[size:]
	}
	return true
}

// gluedShapes reports, in one pass over text, whether it may hold each
// kind of glued join: sentence punctuation directly before a capital and a
// lower-case letter (gluedPunctRe), ")" directly before a capital
// (gluedMarkerJoinRe), or a capital between lower-case letters
// (gluedCaseRe).
func gluedShapes(text string) (punct, marker, kase bool) {
	for i := 1; i < len(text); i++ {
		c := text[i]
		if !(c >= 'A' && c <= 'Z' || c >= 0xC0) {
			continue
		}
		size := 1
		if c >= 0xC0 {
			var r rune
			if r, size = utf8.DecodeRuneInString(text[i:]); !unicode.IsUpper(r) {
				continue
			}
		}
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		switch p := text[i-1]; {
		case strings.IndexByte(".,;:!?", p) >= 0:
			punct = punct || unicode.IsLower(next)
		case p == ')':
			marker = true
		case p >= 'a' && p <= 'z' || p >= 0x80:
			// gluedCaseRe wants three lower-case letters before and two
			// after: names such as "McArthur" are ruled out here, not by
			// the expression over the whole text.
			if !kase && unicode.IsLower(next) {
				kase = lowerBefore(text[:i], 3) && lowerAfter(text[i+size:], 2)
			}
		}
	}
	return punct, marker, kase
}
