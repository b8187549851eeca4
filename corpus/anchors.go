package corpus

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	provisionUnitRe = regexp.MustCompile(`^(?:[a-z]{2}-)?(?:op\d-)?(?:art|rule)-\d+[a-z]*$`)
	// A paragraph number opening a line: "8. En ningún caso…", or the
	// number alone on its line before the list it introduces ("2.").
	paraNumberRe = regexp.MustCompile(`^(\d{1,2})[.)](?:\s|$)`)
	anchorItemRe = regexp.MustCompile(`^(?:\(?[a-zA-Z]{1,4}\)|[a-z]\.|[•·▪–—-])\s`)
)

// ParagraphAnchors returns the anchor of each paragraph (line) of a
// provision's text, unit-N ("art-22-8"), or "" for a line without one:
// numbered paragraphs by their number ("8. En ningún caso…"); in a
// provision whose paragraphs carry no numbers, the paragraphs that are not
// list items by their position, when there are two or more, not counting a
// title line that opens the text ("Derecho al nombre"). Units that are not
// articles or rules get no anchors.
func ParagraphAnchors(unit string, paragraphs []string) []string {
	out := make([]string, len(paragraphs))
	if !provisionUnitRe.MatchString(unit) {
		return out
	}
	seen := map[string]bool{}
	numbered := false
	for i, p := range paragraphs {
		if m := paraNumberRe.FindStringSubmatch(strings.TrimSpace(p)); m != nil && !seen[m[1]] {
			seen[m[1]] = true
			out[i] = unit + "-" + m[1]
			numbered = true
		}
	}
	if numbered {
		return out
	}
	var idx []int
	for i, p := range paragraphs {
		p = strings.TrimSpace(p)
		if p == "" || anchorItemRe.MatchString(p) || i == 0 && len(paragraphs) > 1 && isTitleLine(p) {
			continue
		}
		idx = append(idx, i)
	}
	if len(idx) < 2 {
		return out
	}
	for n, i := range idx {
		out[i] = unit + "-" + strconv.Itoa(n+1)
	}
	return out
}

// isTitleLine reports whether a line reads as a provision's title: short,
// and ending without a sentence's punctuation.
func isTitleLine(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return utf8.RuneCountInString(l) <= 120 && !strings.ContainsRune(".;:!?,”\"»)", r)
}

// ParagraphAnchor returns the anchor of paragraph n ("8") of a provision's
// text, and whether the text has it.
func ParagraphAnchor(unit, text, n string) (string, bool) {
	want := unit + "-" + n
	for _, a := range ParagraphAnchors(unit, strings.Split(text, "\n")) {
		if a == want {
			return a, true
		}
	}
	return "", false
}
