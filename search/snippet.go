package search

import (
	"html"
	"strings"
	"unicode"
)

// snippetMax is the length of a snippet made from a passage's opening when
// nothing is highlighted (browsing by filters).
const snippetMax = 300

// snippetFromFragments joins Bleve's highlighted fragments. Bleve's html
// highlighter escapes the passage text and adds only <mark> tags, so the
// result is safe to render as HTML.
func snippetFromFragments(frags []string) string {
	for i, f := range frags {
		frags[i] = strings.TrimSpace(f)
	}
	return strings.Join(frags, " … ")
}

// leadSnippet is the escaped opening of text, cut at a word boundary.
func leadSnippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= snippetMax {
		return html.EscapeString(text)
	}
	cut := snippetMax
	for cut > 0 && !unicode.IsSpace(rune(text[cut])) {
		cut--
	}
	if cut == 0 {
		cut = snippetMax
		for cut < len(text) && text[cut]&0xC0 == 0x80 {
			cut++
		}
	}
	return html.EscapeString(strings.TrimSpace(text[:cut])) + " …"
}
