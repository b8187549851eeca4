package corpus

import (
	"strings"
	"unicode"
)

// languageWords are frequent words that mostly belong to one language: the
// one list both guesses below use (a crawled page's language, a query's).
var languageWords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "that", "with", "shall", "which", "be", "by", "this", "are", "or"},
	"es": {"el", "los", "las", "del", "por", "con", "una", "se", "su", "al", "lo", "y"},
	"fr": {"le", "les", "des", "et", "du", "est", "dans", "pour", "une", "qui", "sur", "au"},
	"nl": {"het", "een", "van", "zijn", "dat", "op", "voor", "wordt", "niet", "met", "te", "worden"},
	"de": {"der", "die", "das", "und", "ist", "nicht", "mit", "von", "zu", "den", "dem", "wird"},
	"pt": {"os", "do", "da", "não", "uma", "em", "ao", "dos", "das", "pelo", "pela", "é"},
}

var languageOfWord = func() map[string]string {
	m := make(map[string]string)
	for lang, ws := range languageWords {
		for _, w := range ws {
			m[w] = lang
		}
	}
	return m
}()

// LanguageVotes counts, for each language, the words of text that mostly
// belong to it (case is ignored).
func LanguageVotes(text string) map[string]int {
	votes := make(map[string]int)
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if l, ok := languageOfWord[w]; ok {
			votes[l]++
		}
	}
	return votes
}

// GuessLanguage guesses the language of a text from LanguageVotes: the
// language with most votes, if it has at least minVotes and half again as
// many as the next. It returns "" when unsure.
func GuessLanguage(votes map[string]int, minVotes int) string {
	best, second, lang := 0, 0, ""
	for l, n := range votes {
		switch {
		case n > best || n == best && l < lang:
			second, best, lang = max(best, second), n, l
		case n > second:
			second = n
		}
	}
	if best < minVotes || 2*best < 3*second {
		return ""
	}
	return lang
}
