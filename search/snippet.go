package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetMax is the length of a snippet made from a passage's opening when
// nothing is highlighted (browsing by filters).
const snippetMax = 300

// snippetFromFragments joins Bleve's highlighted fragments. Bleve's html
// highlighter escapes the passage text and adds only <mark> tags, so the
// result is safe to render as HTML.
func snippetFromFragments(frags []string) string {
	for i, f := range frags {
		frags[i] = wordBoundaries(strings.TrimSpace(f))
	}
	return strings.Join(frags, " ")
}

const ellipsis = "…"

// wordBoundaries trims the partial words Bleve's fragmenter leaves where it
// cut a fragment out of a longer text ("…ion of Expulsion" → "… of
// Expulsion"). It only cuts plain text, never inside a tag or an entity.
func wordBoundaries(f string) string {
	if rest, ok := strings.CutPrefix(f, ellipsis); ok && startsWord(rest) {
		if i := strings.IndexAny(rest, " \n<&"); i > 0 && (rest[i] == ' ' || rest[i] == '\n') {
			f = ellipsis + " " + strings.TrimLeft(rest[i:], " \n")
		}
	}
	if rest, ok := strings.CutSuffix(f, ellipsis); ok && endsWord(rest) {
		if i := strings.LastIndexAny(rest, " \n>;"); i > 0 && (rest[i] == ' ' || rest[i] == '\n') {
			f = strings.TrimRight(rest[:i], " \n,;:") + " " + ellipsis
		}
	}
	return f
}

func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func endsWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// leadSnippet is the escaped opening of text, cut at a word boundary.
func leadSnippet(text string) string {
	text = leadWords(text)
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

// leadWords is the opening of strings.Join(strings.Fields(text), " ") that
// leadSnippet reads: all of it up to snippetMax bytes, else at least the
// bytes it may look at past snippetMax (the rest of a character), without
// splitting the whole of a long passage.
func leadWords(text string) string {
	var b strings.Builder
	for w := range strings.FieldsSeq(text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if b.Len() > snippetMax+utf8.UTFMax {
			break
		}
	}
	return b.String()
}
