package corpus

import (
	"regexp"
	"slices"
	"strings"
)

// A treaty defines its central terms in a provision of its own ("for the
// purposes of this Convention, the term … means …"). That provision is
// what a researcher who types the term alone needs first, although it is
// long and, by term frequency, ranks below shorter articles that merely
// use the word. DefinedTerms finds the terms a provision defines.

// quote matches the quotation marks treaties print around a defined term.
const quote = `["“”«»‘’']`

// term is a defined term printed without quotation marks: one to four
// words (letters, hyphens, apostrophes).
const term = `(\p{L}[\p{L}'’-]*(?:\s+\p{L}[\p{L}'’-]*){0,3}?)`

// definitionPatterns each capture a defined term in group 1. A pattern
// with needs runs only over text that holds one of them
// (containsFoldASCII): every match holds one, and looking for them costs
// less than the pattern.
var definitionPatterns = []struct {
	re    *regexp.Regexp
	needs []string
}{
	// the term "X" means / shall apply to …; le terme « X » désigne …
	{re: regexp.MustCompile(`(?i)\b(?:the\s+(?:term|expression)s?|le\s+terme|l['’]expression|el\s+t[ée]rmino|la\s+expresi[óo]n)\s*` +
		quote + `\s*([^"“”«»]{1,60}?)\s*` + quote), needs: []string{"term", "rmino", "expre"}},
	// "X" means / is considered to be / se entenderá …
	{re: regexp.MustCompile(`(?i)` + quote + `\s*([^"“”«»]{1,60}?)\s*` + quote +
		`\s*,?\s+(?:means|mean|shall\s+mean|is\s+considered\s+to\s+be|shall\s+be\s+understood|refers\s+to|désigne|s['’]entend|significa|designa|comprende)\b`)},
	// for the purposes of this Convention, X means …
	{re: regexp.MustCompile(`(?i)\bfor\s+the\s+purposes?\s+of\s+(?:this|the\s+present)\s+\p{L}+(?:\s+\p{L}+)?\s*,\s*(?:an?\s+|the\s+)?` +
		term + `\s+(?:means|shall\s+mean|shall\s+apply\s+to)\b`), needs: []string{"purpo"}},
	// se entenderá por X todo acto …; on entend par X tout …
	{re: regexp.MustCompile(`(?i)\b(?:se\s+entender[áa]n?\s+por|on\s+entend\s+par)\s+` + term +
		`\s+(?:todo|toda|todos|todas|cualquier|el|la|los|las|un|una|aquel|aquella|tout|toute|tous|toutes|le|la|les|un|une)\b`), needs: []string{"entend"}},
}

// definitionSpan bounds the text searched: definitions open their
// provision, or one of its first paragraphs.
const definitionSpan = 3000

// DefinedTerms returns the terms text defines, as printed (trimmed), in
// the order found and each once.
func DefinedTerms(text string) []string {
	if len(text) > definitionSpan {
		text = text[:definitionSpan]
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range definitionPatterns {
		if p.needs != nil && !slices.ContainsFunc(p.needs, func(w string) bool { return containsFoldASCII(text, w) }) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatch(text, -1) {
			t := strings.Trim(strings.Join(strings.Fields(m[1]), " "), ",;:.")
			k := DefinitionKey(t)
			if k == "" || seen[k] || len(strings.Fields(t)) > 4 {
				continue
			}
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// DefinitionKey is the form in which a defined term and a query are
// compared: words lower-cased, without accents, a final "s" of a word of
// more than three letters dropped ("torturas" and "tortura", "refugees" and
// "refugee" meet), separated by one space.
func DefinitionKey(s string) string {
	words := FoldedWords(s)
	for i, w := range words {
		if len(w) > 3 && strings.HasSuffix(w, "s") {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}
