package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page furniture: what a printed or web page carries around the text
// (running headers and footers, page numbers, browser-print date and URL
// lines, site menus, newsletter boxes). It is never a passage.

var (
	pageNumberRe = regexp.MustCompile(`(?i)^(?:page\s+|p\.\s*|página\s+)?\d{1,3}(?:\s*(?:/|of|de|sur)\s*\d{1,4})?$`)
	// A browser print starts each page with "9/3/23, 9:24" (then the
	// page title) and ends it with the URL and "1/5".
	printDateRe = regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s|$)`)
	urlLineRe   = regexp.MustCompile(`^(?:https?://|www\.)\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$`)
	// Sharing and newsletter widgets of republishing sites.
	widgetLineRe = regexp.MustCompile(`(?i)^(?:print friendly(?:, pdf & email)?|logo-favicon|share this(?: article)?:?|we don[’']t spam!.*)$`)
	// A line of bracketed site links: "[Estado de Firmas y Ratificaciones] [English]".
	linkMenuRe = regexp.MustCompile(`^(?:\[[^\[\]]{1,60}\]\s*)+$`)
	// A UN document's job number and recycling note: "15-16929 (E)",
	// "*1516929* Please recycle".
	jobNumberRe = regexp.MustCompile(`(?i)^(?:\d{2}-\d{5}\s*\([A-Z]\)|\*\d{7}\*(?:\s+please recycle)?|please recycle)$`)
	// The start of a newsletter box: it and everything after it is furniture.
	newsletterRe = regexp.MustCompile(`(?i)^(?:sign up (?:today )?to receive|subscribe to (?:our|the) newsletter)`)
)

// IsPageNumberLine reports whether line is only a page number: "8",
// "8/33", "Page 8 of 33".
func IsPageNumberLine(line string) bool {
	return pageNumberRe.MatchString(strings.TrimSpace(line))
}

// IsBrowserPrintLine reports whether line is a browser's print furniture:
// the date-and-time line that heads each page or the URL line that ends it.
func IsBrowserPrintLine(line string) bool {
	line = strings.TrimSpace(line)
	return printDateRe.MatchString(line) || urlLineRe.MatchString(line)
}

// IsFurnitureLine reports whether line, standing alone, is furniture: a
// page number, a browser-print line, a sharing widget, a line of bracketed
// site links or a UN job number.
func IsFurnitureLine(line string) bool {
	line = strings.TrimSpace(line)
	return line != "" && (IsPageNumberLine(line) || anywhereFurniture(line))
}

// anywhereFurniture reports whether line is furniture wherever it stands
// on a page (a page number is furniture only at the top or bottom).
func anywhereFurniture(line string) bool {
	return IsBrowserPrintLine(line) || widgetLineRe.MatchString(line) ||
		linkMenuRe.MatchString(line) || jobNumberRe.MatchString(line)
}

// IsFurnitureBlock reports whether every non-blank line of text is
// furniture.
func IsFurnitureBlock(text string) bool {
	seen := false
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if !IsFurnitureLine(l) {
			return false
		}
		seen = true
	}
	return seen
}

// StartsNewsletter reports whether text opens a newsletter box ("Sign up to
// receive…"), which with everything after it is not part of the document.
func StartsNewsletter(text string) bool {
	return newsletterRe.MatchString(strings.TrimSpace(text))
}

// furnitureKey normalises a line for comparison across pages: digits become
// '#', white space is collapsed, case is folded.
func furnitureKey(line string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(line) {
		switch {
		case unicode.IsDigit(r):
			if !space && b.Len() > 0 && strings.HasSuffix(b.String(), "#") {
				continue
			}
			b.WriteByte('#')
			space = false
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// pageZone is how many non-blank lines at the top and at the bottom of a
// page are searched for running headers and footers.
const pageZone = 6

// RemovePageFurniture drops running headers and footers from pages of text
// lines: lines near the top or bottom of a page that recur (digits aside)
// on at least two pages in five (and on three or more), page numbers and
// browser-print lines there, and browser-print lines anywhere. Blank lines
// are kept. The pages are not modified; the result holds new slices.
func RemovePageFurniture(pages [][]string) [][]string {
	counts := make(map[string]int)
	for _, p := range pages {
		seen := make(map[string]bool)
		for _, i := range zoneIndexes(p) {
			k := furnitureKey(p[i])
			if k != "" && !seen[k] && !contentLine(p[i]) {
				seen[k] = true
				counts[k]++
			}
		}
	}
	min := len(pages) * 2 / 5
	if min < 3 {
		min = 3
	}
	out := make([][]string, len(pages))
	for pi, p := range pages {
		drop := make(map[int]bool)
		for _, i := range zoneIndexes(p) {
			if (counts[furnitureKey(p[i])] >= min && !contentLine(p[i])) || IsPageNumberLine(p[i]) {
				drop[i] = true
			}
		}
		kept := make([]string, 0, len(p))
		for i, l := range p {
			if drop[i] || anywhereFurniture(strings.TrimSpace(l)) {
				continue
			}
			kept = append(kept, l)
		}
		out[pi] = kept
	}
	return out
}

// contentLine reports whether a line is text that may recur at the top of
// pages without being a running header: a unit heading or a list item.
func contentLine(l string) bool {
	l = strings.TrimSpace(l)
	if _, ok := ParseUnitHeading(l); ok {
		return true
	}
	return listItemRe.MatchString(l)
}

// zoneIndexes returns the indexes of the first and last pageZone non-blank
// lines of a page.
func zoneIndexes(p []string) []int {
	var idx []int
	n := 0
	for i := 0; i < len(p) && n < pageZone; i++ {
		if strings.TrimSpace(p[i]) != "" {
			idx = append(idx, i)
			n++
		}
	}
	first := len(idx)
	n = 0
	for i := len(p) - 1; i >= 0 && n < pageZone; i-- {
		if strings.TrimSpace(p[i]) != "" {
			if first > 0 && i <= idx[first-1] {
				break
			}
			idx = append(idx, i)
			n++
		}
	}
	return idx
}

// RemoveMenuRuns drops runs of at least minRun consecutive short lines that
// read like a site menu or a title page: each at most maxMenuLine
// characters, none ending a sentence or opening a list item, none a unit
// heading. It returns the kept lines.
func RemoveMenuRuns(lines []string) []string {
	const minRun = 3
	keep := make([]bool, len(lines))
	for i := range keep {
		keep[i] = true
	}
	start, run := -1, 0
	flush := func(end int) {
		if start >= 0 && run >= minRun {
			for j := start; j < end; j++ {
				keep[j] = false
			}
		}
		start, run = -1, 0
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue // blank lines neither break nor extend a run
		}
		if menuLike(l) {
			if start < 0 {
				start = i
			}
			run++
			continue
		}
		flush(i)
	}
	flush(len(lines))
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		if keep[i] {
			out = append(out, l)
		}
	}
	return out
}

const maxMenuLine = 40

var listItemRe = regexp.MustCompile(`^(?:\(?[0-9]{1,3}[.)]|\(?[a-z]{1,4}\)|[a-z]\.|\([ivx]+\)|[•·\-–—*])\s`)

func menuLike(l string) bool {
	l = strings.TrimSpace(l)
	if utf8.RuneCountInString(l) > maxMenuLine || listItemRe.MatchString(l) {
		return false
	}
	if _, ok := ParseUnitHeading(l); ok || IsStructuralHeading(l) || isPreambleHeading(l) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(l)
	return !strings.ContainsRune(".;,)", r)
}
