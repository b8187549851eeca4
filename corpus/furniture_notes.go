package corpus

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Footnotes and running lines inside paragraphs. A UN document converted
// page by page into paragraphs carries, inside the paragraph that spans a
// page break, the page's footnotes ("… the removal decision and 37 The
// term … 41 Committee against Torture, …, para. 25. to seek …") and its
// running header or footer ("A/77/502 22-22673 4/17", "Annex English
// Page 3", "GE.12-10513"). CleanParagraphs takes both out of the body:
// footnotes become the Notes of the block whose text carries their marker,
// running lines are dropped.

// A UN document symbol as printed in running lines: "A/61/259",
// "A/HRC/13/39", "E/CN.4/1988/17", "CAT/C/13/D/15/1994".
const unSymbol = `[A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.()-]*){1,7}`

var (
	// Running lines: the symbol with the job number and page ("A/77/502
	// 22-22673 4/17", "22-22673 4/17 A/77/502"), the symbol with "Page N",
	// "Annex English Page 3", "Page 4 of 4", a Geneva job number
	// ("GE.10-10042", "GE.12-10513 (E) 010212 020212").
	runningLineRes = []*regexp.Regexp{
		regexp.MustCompile(`(?:\b\d{1,3}/\d{1,3}\s+)?\b` + unSymbol + `\s+\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{1,3}/\d{1,3}\b)?`),
		regexp.MustCompile(`\b\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{1,3}/\d{1,3})?\s+` + unSymbol + `(?:\s+\d{1,3}/\d{1,3}\b)?`),
		regexp.MustCompile(`(?:\b` + unSymbol + `\.?\s+)?(?:\bAnnex(?:\s+[IVX]+)?\s+)?\bEnglish\s+Page\s+\d{1,3}\b`),
		regexp.MustCompile(`\b` + unSymbol + `\s+Page\s+\d{1,3}\b`),
		regexp.MustCompile(`\bPage\s+\d{1,3}\s+of\s+\d{1,3}\b`),
		regexp.MustCompile(`\bGE\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\d{6}\s+\d{6})?(?:\s*\*\d{7,}\*)?`),
	}
	// The rule printed above a page's footnotes.
	noteRuleRe = regexp.MustCompile(`_{4,}`)
)

// StripRunningLines removes UN running headers and footers from a
// paragraph's text, wherever in it they stand, leaving a line break where
// each stood: a page ended there.
func StripRunningLines(text string) string {
	hasJob, hasPage, hasGE := hasJobNumber(text), strings.Contains(text, "Page"), strings.Contains(text, "GE.")
	if !hasJob && !hasPage && !hasGE {
		return text
	}
	changed := false
	for i, re := range runningLineRes {
		if i < 2 && !hasJob || (i >= 2 && i < 5) && !hasPage || i == 5 && !hasGE {
			continue
		}
		// One pass finds the lines (a test with MatchString, then
		// ReplaceAllString, read a text that holds one twice).
		if locs := re.FindAllStringIndex(text, -1); locs != nil {
			text = replaceRanges(text, locs, "\n")
			changed = true
		}
	}
	if !changed {
		return text
	}
	text = collapseSpaces(text)
	text = strings.ReplaceAll(strings.ReplaceAll(text, " \n", "\n"), "\n ", "\n")
	return strings.TrimSpace(text)
}

// replaceRanges replaces the byte ranges locs of s (in order, apart) with
// repl.
func replaceRanges(s string, locs [][]int, repl string) string {
	var b strings.Builder
	b.Grow(len(s))
	prev := 0
	for _, l := range locs {
		b.WriteString(s[prev:l[0]])
		b.WriteString(repl)
		prev = l[1]
	}
	b.WriteString(s[prev:])
	return b.String()
}

// hasJobNumber reports whether text holds a UN job number's shape,
// two digits, a hyphen and five digits ("22-22673").
func hasJobNumber(text string) bool {
	for i := strings.IndexByte(text, '-'); i >= 0; {
		if i >= 2 && i+5 < len(text) && isDigitByte(text[i-1]) && isDigitByte(text[i-2]) &&
			isDigitByte(text[i+1]) && isDigitByte(text[i+5]) {
			return true
		}
		j := strings.IndexByte(text[i+1:], '-')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// Note is a footnote of a passage: its number as printed and its text.
type Note struct {
	N    string `json:"n"`
	Text string `json:"text"`
}

var (
	// What a citation note is made of.
	citationRe = regexp.MustCompile(`\b(?:See|see|Ibid|ibid|Cf|cf|Available|available|supra|infra)\b|\b(?:para|paras|art|arts|No|Nos|vol|p|pp|op|cit|ed|eds)\.(?:\s|$)|\sv\.?\s|\(\d{4}\)|` + unSymbol + `|https?://|www\.`)
	// A marker glued to a word inside a note's text: the "note" is body.
	innerMarkerRe = regexp.MustCompile(`[\p{Ll}.,;:”)](\d{1,3})(?:\s|$)`)
)

// numberWords are the words before a number that make it a reference, not
// a note: "article 3 1", "para. 12".
var numberWords = []string{
	"art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs", "no", "nos", "rule", "rules",
	"chapter", "section", "page", "pages", "p", "pp", "vol", "volume", "annex", "resolution", "decision", "item",
	"session", "table", "figure", "step", "level", "grade", "class", "phase",
}

// numberWordBefore reports whether s ends with one of numberWords (in any
// case, with or without a dot) or with a hyphen, dash or slash, and then
// white space: the number after s is a reference, not a note. A word
// counts from a word boundary; the start of s is one.
func numberWordBefore(s string) bool {
	s = strings.TrimRight(s, "\t\n\f\r ")
	if strings.HasSuffix(s, "-") || strings.HasSuffix(s, "–") || strings.HasSuffix(s, "/") {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	words := numberWords
	if s != "" && s[len(s)-1] < utf8.RuneSelf {
		// An ASCII last letter folds only to its own two cases: only
		// the words ending with it may match.
		words = numberWordsByLast[s[len(s)-1]|0x20]
	}
	for _, w := range words {
		if endsWithWordFold(s, w) {
			return true
		}
	}
	return false
}

// numberWordsByLast holds numberWords by their last letter.
var numberWordsByLast = func() map[byte][]string {
	m := map[byte][]string{}
	for _, w := range numberWords {
		m[w[len(w)-1]] = append(m[w[len(w)-1]], w)
	}
	return m
}()

// endsWithWordFold reports whether s ends with w, compared as
// strings.EqualFold does (rune by rune under simple case folding), and
// a word boundary (as regexp's \b: ASCII letters, digits and "_" are word
// characters) stands before it.
func endsWithWordFold(s, w string) bool {
	start := len(s)
	for range utf8.RuneCountInString(w) {
		if start == 0 {
			return false
		}
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	if !strings.EqualFold(s[start:], w) {
		return false
	}
	if start == 0 {
		return isASCIIWordByte(s[0])
	}
	return isASCIIWordByte(s[start-1]) != isASCIIWordByte(s[start])
}

// isASCIIWordByte reports whether c is a word character of regexp's \b.
func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// noteAbbreviations end in a dot without ending a sentence.
var noteAbbreviations = map[string]bool{
	"no": true, "nos": true, "art": true, "arts": true, "para": true, "paras": true, "p": true, "pp": true,
	"vol": true, "v": true, "vs": true, "al": true, "e.g": true, "i.e": true, "mr": true, "ms": true, "mrs": true,
	"dr": true, "prof": true, "rev": true, "add": true, "corr": true, "suppl": true, "ser": true, "ed": true,
	"eds": true, "op": true, "cit": true, "cf": true, "inc": true, "co": true, "ltd": true, "st": true, "jr": true,
	"gen": true, "doc": true, "ch": true, "chap": true, "sect": true, "fn": true, "jan": true, "feb": true,
	"aug": true, "sept": true, "oct": true, "nov": true, "dec": true, "u.n": true, "u.s": true, "etc": true,
}

// noteReader follows a document's footnote counter: footnote texts appear
// in order (1, 2, 3, …) through a document, each after its marker.
type noteReader struct {
	next   int // the number of the next footnote text expected
	marker int // the last marker seen in the body
}

// noteStart is a number that may open a footnote.
type noteStart struct {
	n          int
	start, end int // the number's bytes
}

// numberRuns returns the byte ranges of the numbers of one to three
// digits that stand alone before a word: after the start, a space or "(",
// and followed by white space and more text.
func numberRuns(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); i++ {
		if !isDigitByte(text[i]) {
			continue
		}
		start := i
		for i < len(text) && isDigitByte(text[i]) {
			i++
		}
		if i-start > 3 || start > 0 && !strings.ContainsRune(" \t\n(", rune(text[start-1])) {
			continue
		}
		j := i
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n') {
			j++
		}
		if j > i && j < len(text) {
			out = append(out, [2]int{start, i})
		}
	}
	return out
}

// split takes the footnote blocks out of a paragraph's text. It returns
// the body and the notes found in the text.
func (r *noteReader) split(text string) (body string, notes []Note) {
	var starts []noteStart
	for _, m := range numberRuns(text) {
		r, _ := utf8.DecodeRuneInString(text[m[1]:][strings.IndexFunc(text[m[1]:], func(r rune) bool { return !unicode.IsSpace(r) }):])
		if !unicode.IsUpper(r) && !strings.ContainsRune("“\"‘'«(", r) && !strings.HasPrefix(text[m[1]:], " ibid") && !strings.HasPrefix(text[m[1]:], " see ") {
			continue
		}
		n, _ := strconv.Atoi(text[m[0]:m[1]])
		if n == 0 || numberWordBefore(text[max(0, m[0]-24):m[0]]) {
			continue
		}
		if monthWords[strings.ToLower(strings.TrimRight(wordAfter(text, m[1]+1), ".,"))] {
			continue // "3 May 2004": a date
		}
		starts = append(starts, noteStart{n: n, start: m[0], end: m[1]})
	}
	// A rule of underscores opens a page's footnotes.
	rules := noteRuleRe.FindAllStringIndex(text, -1)
	forced := func(s noteStart) bool {
		for _, m := range rules {
			if m[1] <= s.start && strings.TrimSpace(text[m[1]:s.start]) == "" {
				return true
			}
		}
		return false
	}
	var cut [][2]int // byte ranges of footnote blocks
	for _, m := range rules {
		cut = append(cut, [2]int{m[0], m[1]})
	}
	for i := 0; i < len(starts); i++ {
		s := starts[i]
		if s.n+5 < r.next {
			continue // behind the counter: a number in the body
		}
		// The run of consecutive numbers from s.
		run := []noteStart{s}
		for j := i + 1; j < len(starts); j++ {
			if starts[j].n == run[len(run)-1].n+1 {
				run = append(run, starts[j])
			}
		}
		// A note whose text carries markers of later notes is body text
		// after spaced markers: the run stops before it.
		for k := range run {
			var e int
			if k+1 < len(run) {
				e = run[k+1].start
			} else {
				e = noteEnd(text, run[k].end)
			}
			if hasLaterMarker(text[run[k].end:e], run[k].n) {
				run = run[:k]
				break
			}
		}
		if len(run) == 0 {
			continue
		}
		// The last note ends at its first sentence end, and takes the
		// citations that follow it ("See …", "Ibid.").
		last := run[len(run)-1]
		end := noteEnd(text, last.end)
		var found []Note
		for k, ns := range run {
			e := end
			if k+1 < len(run) {
				e = run[k+1].start
			}
			found = append(found, Note{N: strconv.Itoa(ns.n), Text: strings.TrimSpace(text[ns.end:e])})
		}
		if !forced(s) && !notesCite(found, s.n, r.next) {
			continue
		}
		notes = append(notes, found...)
		cut = append(cut, [2]int{s.start, end})
		r.next = last.n + 1
		for i+1 < len(starts) && starts[i+1].start < end {
			i++
		}
	}
	if len(cut) == 0 {
		return strings.TrimSpace(collapseSpaces(text)), notes // nothing cut: no copy
	}
	sort.Slice(cut, func(i, j int) bool { return cut[i][0] < cut[j][0] })
	var b strings.Builder
	prev := 0
	for _, c := range cut {
		if c[0] < prev {
			prev = max(prev, c[1])
			continue
		}
		b.WriteString(text[prev:c[0]])
		b.WriteByte(' ')
		prev = c[1]
	}
	b.WriteString(text[prev:])
	body = collapseSpaces(b.String())
	return strings.TrimSpace(body), notes
}

// notesCite reports whether a run of notes, the first numbered first while
// the counter expects next, reads as footnotes: most notes of a block hold
// a citation (a run of numbered sentences that do not is body text after
// markers), and a lone note continues the counter closely. It stops at the
// note that decides: citationRe is costly.
func notesCite(found []Note, first, next int) bool {
	if len(found) == 1 && (first < next || first > next+3) {
		return false
	}
	cites := 0
	for k, n := range found {
		if citationRe.MatchString(n.Text) {
			cites++
		}
		if cites*2 >= len(found) {
			return true
		}
		if rest := len(found) - k - 1; (cites+rest)*2 < len(found) {
			return false
		}
	}
	return false
}

// hasLaterMarker reports whether text holds a glued marker of a note
// after n.
func hasLaterMarker(text string, n int) bool {
	for _, m := range innerMarkerRe.FindAllStringSubmatch(text, -1) {
		if k, _ := strconv.Atoi(m[1]); k > n && k <= n+10 {
			return true
		}
	}
	return false
}

// markers removes note markers from body text: numbers glued to a word or
// standing after punctuation that continue the document's marker counter.
func (r *noteReader) markers(body string, known map[int]bool) (string, []int) {
	var markers []int
	accept := func(n int, glued bool, start int) bool {
		ok := n > r.marker && n <= r.marker+5
		if glued {
			ok = ok || known[n] && n > r.marker-3 && n <= r.marker+20 || sentenceMarker(body, start, n, r.marker)
		} else {
			ok = ok && (len(known) == 0 || known[n])
		}
		if ok {
			r.marker = max(r.marker, n)
			markers = append(markers, n)
			return true
		}
		return false
	}
	var b strings.Builder
	prev := 0
	for i := 1; i < len(body); i++ {
		if !isDigitByte(body[i]) || isDigitByte(body[i-1]) {
			continue
		}
		j := i
		for j < len(body) && isDigitByte(body[j]) {
			j++
		}
		start := i
		i = j
		if j-start > 3 || j < len(body) && strings.IndexByte(" \n\t,;:.)", body[j]) < 0 {
			continue
		}
		// Glued to a word or its punctuation ("refoulement.44"), or after
		// punctuation and a space ("appeal. 43 ").
		before, size := utf8.DecodeLastRuneInString(body[:start])
		glued := unicode.IsLetter(before) || strings.ContainsRune(".,;:”\"’)]", before)
		tokenEnd := start
		if !glued {
			if before != ' ' || start-size < 1 || j < len(body) && body[j] != ' ' && body[j] != '\n' {
				continue
			}
			p, _ := utf8.DecodeLastRuneInString(body[:start-size])
			if !strings.ContainsRune(".,;:”\"’)", p) {
				continue
			}
			tokenEnd = start - size
		}
		// A number after a digit-bearing word is part of it
		// ("CCPR/C/21", "A4").
		if w := strings.TrimRight(tokenBefore(body, tokenEnd), ".,;:”\"’)]"); strings.ContainsAny(w, "0123456789/") {
			continue
		}
		n, _ := strconv.Atoi(body[start:j])
		if !accept(n, glued, start) {
			continue
		}
		b.WriteString(body[prev:start])
		prev = j
	}
	if prev == 0 {
		return body, markers // nothing removed: no copy
	}
	b.WriteString(body[prev:])
	return b.String(), markers
}

// sentenceMarker reports whether the number n at body[start:] is a note
// marker glued to the end of a clause, "refoulement.44" or "rights,45":
// a word of three or more letters that is not an abbreviation, then
// punctuation, then the number; not far behind the marker counter.
func sentenceMarker(body string, start, n, marker int) bool {
	p, size := utf8.DecodeLastRuneInString(body[:start])
	if !strings.ContainsRune(".,;:”\"’)", p) || n+10 < marker || n > marker+40 {
		return false
	}
	w := wordBefore(body, start-size)
	return utf8.RuneCountInString(w) >= 3 && !noteAbbreviations[strings.ToLower(w)]
}

// noteEnd returns where the footnote whose text starts at from ends: after
// its first sentence, and after each following sentence that is a
// citation of its own ("See …", "Ibid.", a symbol or a link); at the end
// of text if no sentence ends.
func noteEnd(text string, from int) int {
	end := sentenceEnd(text, from)
	for end < len(text) {
		rest := strings.TrimLeft(text[end:], " ")
		if !(strings.HasPrefix(rest, "See ") || strings.HasPrefix(rest, "Ibid") || strings.HasPrefix(rest, "Cf.") ||
			strings.HasPrefix(rest, "Available ") || strings.HasPrefix(rest, "http") || strings.HasPrefix(rest, "www.")) {
			break
		}
		end = sentenceEnd(text, end+1)
	}
	return end
}

// sentenceEnd returns the index after the first sentence end at or after
// from: a full stop, question or exclamation mark (with any closing quote
// or bracket) followed by a space, where the word before the stop is not an
// abbreviation or an initial.
func sentenceEnd(text string, from int) int {
	for i := from; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			return i // a page ended: so did the note
		}
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(text) && strings.IndexByte(")]\"'", text[j]) >= 0 {
			j++
		}
		if strings.HasPrefix(text[j:], "”") || strings.HasPrefix(text[j:], "’") {
			j += len("”")
		}
		if j < len(text) && text[j] != ' ' && text[j] != '\n' {
			continue
		}
		if c == '.' {
			w := strings.ToLower(strings.TrimLeft(wordBefore(text, i), "(“\"'"))
			if noteAbbreviations[w] || utf8.RuneCountInString(w) == 1 && w != "" && !unicode.IsDigit(rune(w[0])) {
				continue
			}
			// A number before the stop followed by a number after it is
			// a list ("paras. 11, 30."), not an end, only inside a
			// citation; a lower-case word after the stop still ends the
			// note: the body resumes mid-sentence.
		}
		return j
	}
	return len(text)
}

// trailingHeadingRe is a section heading printed at the end of the
// paragraph before it: "II. Forty years of the mandate", "E. Torture of
// human rights defenders", "Torture in the context of counter-terrorism".
var trailingHeadingRe = regexp.MustCompile(`[.;:!?”)]\s+((?:[IVXLC]{1,6}|[A-Z]|\d{1,2})\.\s+[A-Z][^.;:!?]{2,200}|[A-Z][a-z][^.;:!?“”]{8,90})$`)

var enumeratedHeadingRe = regexp.MustCompile(`^(?:[IVXLC]{1,6}|[A-Z]|\d{1,2})\.\s`)

// trailingHeading splits a heading printed at the end of a paragraph from
// it. A heading is short, starts with a capital (after an optional "II."
// or "E."), ends with no punctuation and follows a sentence end.
func trailingHeading(text string) (body, heading string) {
	if text == "" || strings.ContainsAny(text[len(text)-1:], ".;:!?,”\")") {
		return text, "" // the paragraph ends a sentence
	}
	off := max(0, len(text)-320)
	for off > 0 && !utf8.RuneStart(text[off]) {
		off--
	}
	m := trailingHeadingRe.FindStringSubmatchIndex(text[off:])
	if m == nil {
		return text, ""
	}
	m[2], m[3] = m[2]+off, m[3]+off
	if len(strings.Fields(text[:m[2]])) < 4 {
		return text, "" // a heading of its own ("A. Prisoners under sentence")
	}
	h := text[m[2]:m[3]]
	words := strings.Fields(h)
	limit := 14
	if enumeratedHeadingRe.MatchString(h) {
		limit = 30
	}
	if len(words) > limit || len(words) < 2 || strings.HasSuffix(h, ",") {
		return text, ""
	}
	// A heading's words after its first are mostly lower case or
	// capitalised nouns; a sentence cut short ends with a small word.
	switch strings.ToLower(words[len(words)-1]) {
	case "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "that", "which":
		return text, ""
	}
	return strings.TrimSpace(text[:m[2]]), h
}

// CleanParagraphs takes running headers and footers and footnotes out of
// the paragraphs of a document read page by page (paragraph JSON of UN
// reports and decisions): running lines are dropped; footnote blocks (runs
// of notes numbered in the document's footnote sequence) and note markers
// leave the body, and each note is attached to the paragraph that carries
// its marker (or, without one, to the paragraph it was found in); a
// section heading printed at the end of a paragraph becomes a heading
// block before the next one. Blocks are returned in order; headings and
// paragraphs keep their Number, Section and Labels.
func CleanParagraphs(blocks []Block) []Block {
	running := runningSymbol(blocks)
	r := noteReader{next: 1}
	// First pass: running lines and footnote blocks out of the text.
	type cleaned struct {
		b     Block
		notes []Note
	}
	all := make([]cleaned, len(blocks))
	known := map[int]bool{}
	for i, b := range blocks {
		if b.Heading {
			all[i] = cleaned{b: b}
			continue
		}
		text := StripRunningLines(b.Text)
		if running != "" && strings.Contains(text, "/") {
			text = strings.TrimSpace(collapseSpaces(removeBareSymbol(text, running)))
		}
		body, notes := r.split(text)
		for _, n := range notes {
			k, _ := strconv.Atoi(n.N)
			known[k] = true
		}
		b.Text = body
		all[i] = cleaned{b: b, notes: notes}
	}
	// Second pass: markers out of the body, notes to their markers'
	// paragraphs, trailing headings before the paragraph they head.
	out := make([]Block, 0, len(blocks))
	owner := map[int]int{} // note number → index in out of its marker's block
	for _, c := range all {
		b := c.b
		if b.Heading {
			out = append(out, b)
			continue
		}
		body, markers := r.markers(b.Text, known)
		body = strings.TrimSpace(collapseSpaces(strings.ReplaceAll(body, "\n", " ")))
		body, heading := trailingHeading(body)
		b.Text = body
		idx := len(out)
		if body != "" {
			for _, n := range markers {
				owner[n] = idx
			}
			out = append(out, b)
		} else {
			idx = len(out) - 1
		}
		for _, n := range c.notes {
			k, _ := strconv.Atoi(n.N)
			at, ok := owner[k]
			if !ok {
				at = idx
			}
			if at >= 0 && at < len(out) {
				out[at].Notes = append(out[at].Notes, n)
			}
		}
		if heading != "" {
			out = append(out, Block{Text: heading, Heading: true, Level: 2, Recovered: true})
		}
	}
	return out
}

// tokenBefore returns the run of non-space bytes that ends at byte index h.
func tokenBefore(s string, h int) string {
	start := strings.LastIndexAny(s[:h], " \n\t") + 1
	return s[start:h]
}

// runningSymbol finds the symbol a document prints as its running header
// ("A/59/324" between two words of a sentence, or at a paragraph's end),
// or returns "". A symbol is running when it stands bare (bareSymbols) in
// at least three paragraphs.
func runningSymbol(blocks []Block) string {
	count := map[string]int{}
	for _, b := range blocks {
		if !strings.Contains(b.Text, "/") {
			continue
		}
		seen := map[string]bool{}
		for _, sym := range bareSymbols(b.Text) {
			if !seen[sym] {
				seen[sym] = true
				count[sym]++
			}
		}
	}
	best, n := "", 0
	for sym, c := range count {
		if c > n || c == n && sym < best {
			best, n = sym, c
		}
	}
	if n < 3 {
		return ""
	}
	return best
}

// bareSymbols returns the symbols that stand bare in text, in order: a
// word between white space (isPatternSpace) that is a whole symbol
// (unSymbol), at the start of text or after a word that ends in a letter,
// a digit or punctuation (not in brackets), and not right after another
// bare symbol. It finds what the pattern
//
//	(^|[\p{L}\d.,;:”’"]\s+)(SYMBOL)(?:\s+|$)
//
// finds (the tests hold it to that; the white space after a symbol is the
// pattern's, so the word after it is not bare), in one pass over the words.
func bareSymbols(text string) []string {
	var out []string
	prev, prevBare := "", false
	for i := 0; i < len(text); {
		start := i
		for start < len(text) && isPatternSpace(text[start]) {
			start++
		}
		end := start
		for end < len(text) && !isPatternSpace(text[end]) {
			end++
		}
		if start == end {
			break
		}
		w := text[start:end]
		bare := false
		if isWholeSymbol(w) {
			if start == 0 {
				bare = true
			} else if prev != "" && !prevBare {
				x, _ := utf8.DecodeLastRuneInString(prev)
				bare = unicode.IsLetter(x) || '0' <= x && x <= '9' || strings.ContainsRune(".,;:”’\"", x)
			}
		}
		if bare {
			out = append(out, w)
		}
		prev, prevBare, i = w, bare, end
	}
	return out
}

// isWholeSymbol reports whether w is a UN symbol as unSymbol spells it,
// from its first byte to its last: one to six capitals, then one to seven
// parts after a slash, each opening with a capital or a digit and going on
// with letters, digits and ".()-".
func isWholeSymbol(w string) bool {
	head, rest, ok := strings.Cut(w, "/")
	if !ok || len(head) < 1 || len(head) > 6 || strings.IndexFunc(head, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return false
	}
	for parts := 1; ; parts++ {
		part, more, cut := strings.Cut(rest, "/")
		if parts > 7 || part == "" || !('A' <= part[0] && part[0] <= 'Z' || '0' <= part[0] && part[0] <= '9') {
			return false
		}
		for i := 1; i < len(part); i++ {
			if c := part[i]; !(c < utf8.RuneSelf && asciiWord[c]) && strings.IndexByte(".()-", c) < 0 {
				return false
			}
		}
		if !cut {
			return true
		}
		rest = more
	}
}

// removeBareSymbol removes symbol from text where it stands bare, with the
// white space around it, leaving one space: after a letter, a digit or
// punctuation and white space, before white space or the end of text, or
// at the start of text before white space. It is the pattern
//
//	(^|[\p{L}\d.,;:”’"])\s+SYMBOL(?:\s+|$)|^SYMBOL\s+
//
// replaced by "$1 " (the tests hold it to that), in a pass over the
// symbol's occurrences rather than a pattern's run over every byte.
func removeBareSymbol(text, symbol string) string {
	var b strings.Builder
	copied, pos := 0, 0 // text[:copied] is written; no match starts before pos
	for from := 0; ; {
		j := strings.Index(text[from:], symbol)
		if j < 0 {
			break
		}
		k, end := from+j, from+j+len(symbol)
		from = k + 1
		// The white space before the symbol (back to pos), and what
		// stands before that.
		ws := k
		for ws > pos && isPatternSpace(text[ws-1]) {
			ws--
		}
		start, lead := -1, ""
		switch {
		case ws < k && ws == 0, k == 0:
			start = 0
		case ws < k && ws > pos:
			x, size := utf8.DecodeLastRuneInString(text[pos:ws])
			if unicode.IsLetter(x) || '0' <= x && x <= '9' || strings.ContainsRune(".,;:”’\"", x) {
				start, lead = ws-size, text[ws-size:ws]
			}
		}
		after := end
		for after < len(text) && isPatternSpace(text[after]) {
			after++
		}
		if start < 0 || after == end && (ws == k || end < len(text)) {
			continue
		}
		b.WriteString(text[copied:start])
		b.WriteString(lead)
		b.WriteByte(' ')
		copied, pos, from = after, after, after
	}
	if copied == 0 && b.Len() == 0 {
		return text
	}
	b.WriteString(text[copied:])
	return b.String()
}

// isPatternSpace reports whether c is what \s matches in a pattern (a
// switch: it runs on every byte of some texts).
func isPatternSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return false
}

// collapseSpaces turns runs of two or more spaces and tabs into one space.
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ' ' && c != '\t' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j-i >= 2 {
			c = ' '
		}
		b.WriteByte(c)
		i = j - 1
	}
	return b.String()
}
