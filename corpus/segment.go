package corpus

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment splits a document's blocks into passages with ids as DESIGN.md
// fixes them ("Passages and their ids"). It is pure: it reads only its
// arguments.
//
// How the blocks are cut depends on the entry:
//   - treaties, declarations and rules are cut at their unit headings
//     ("Article 3", "Artículo 3", "Rule 58", "Paragraph 2" of a schedule):
//     art-N, rule-N, para-N; text before the first unit is the preamble;
//     text after a structural heading (PART, ANNEX, …) that no unit
//     follows is p-N. A second language version gets its code as prefix
//     (nl-art-3) and an optional protocol appended to the treaty op1-
//     (op1-art-1, instrument "<INSTRUMENT>-OP1").
//   - decisions, general comments and reports (and any blocks that carry
//     paragraph numbers) become one passage per block: para-X where the
//     block has a number (its own or one that opens its text), p-N where
//     not.
//   - anything else becomes one passage per block, p-N with N the block's
//     position in blocks counting from 1.
//
// Furniture blocks are dropped in every mode, and a newsletter box ends the
// document. Repeated units get -2, -3, … in order of appearance.
func Segment(e *Entry, blocks []Block) []Passage {
	s := &segmenter{e: e, seen: make(map[string]int)}
	switch {
	case e.Kind == KindTreaty || e.Kind == KindDeclaration || e.Kind == KindRules:
		if hasUnitHeadings(blocks) {
			s.articles(blocks)
			break
		}
		s.plain(blocks)
	case e.Kind == KindDecision || e.Kind == KindGeneralComment || e.Kind == KindReport ||
		e.Format == FormatParagraphJSON || hasNumbers(blocks):
		// A passage a paragraph, mostly: room for them once, rather than
		// growing the slice of large structs in copies.
		s.out = make([]Passage, 0, len(blocks))
		s.paragraphs(blocks)
	default:
		s.plain(blocks)
	}
	if len(s.out) == 0 {
		return nil // none, whether room was made or not
	}
	return s.out
}

// UnitHeading is a heading that opens a unit: "Article 3", "Artículo 1.
// Obligación de respetar los derechos", "Rule 58".
type UnitHeading struct {
	// Kind is the unit's name in ids: "art", "rule" or "para".
	Kind string
	// Number is the unit's number as printed, with "bis"/"ter" appended.
	Number string
	// Lang is the language the heading word belongs to ("en", "es",
	// "nl"), or "" where the word does not tell ("Art.").
	Lang string
	// Label is the heading as it should be shown: "Article 3".
	Label string
	// Title is the text after the number ("Obligación de respetar los
	// derechos"), if any.
	Title string
}

// N is the unit's number without a "bis" or "ter" suffix.
func (u UnitHeading) N() int {
	end := 0
	for end < len(u.Number) && u.Number[end] >= '0' && u.Number[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(u.Number[:end])
	return n
}

var unitHeadingRe = regexp.MustCompile(`^(?i:(article|art[íi]culo|art\.|artikel|rule|regla|paragraph|paragraaf))\s*(\d{1,3})(?i:\s*(bis|ter|quater))?(?:\s*[.:\-–—]\s*(.*)|\s*)$`)

var unitWords = map[string]struct{ kind, lang string }{
	"article":   {"art", "en"},
	"artículo":  {"art", "es"},
	"articulo":  {"art", "es"},
	"art.":      {"art", ""},
	"artikel":   {"art", "nl"},
	"rule":      {"rule", "en"},
	"regla":     {"rule", "es"},
	"paragraph": {"para", "en"},
	"paragraaf": {"para", "nl"},
}

// ParseUnitHeading parses a line that opens a unit. A line that goes on
// after the number without punctuation ("Article 3 of the Convention") is
// not a heading.
func ParseUnitHeading(line string) (UnitHeading, bool) {
	line = collapseSpace(strings.Trim(strings.TrimSpace(line), "*_"))
	m := unitHeadingRe.FindStringSubmatch(line)
	if m == nil {
		return UnitHeading{}, false
	}
	w, ok := unitWords[strings.ToLower(m[1])]
	if !ok {
		return UnitHeading{}, false
	}
	num := strings.TrimLeft(m[2], "0")
	if num == "" {
		num = "0"
	}
	label := m[1] + " " + m[2]
	if m[3] != "" {
		num += strings.ToLower(m[3])
		label += " " + m[3]
	}
	title := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(m[4]), "-–— "))
	return UnitHeading{Kind: w.kind, Number: num, Lang: w.lang, Label: label, Title: title}, true
}

var (
	structuralRe = regexp.MustCompile(`^(?:(?i:part|parte|deel|chapter|chapitre|cap[íi]tulo|hoofdstuk|section|secci[óo]n|titel|title|t[íi]tulo|book|libro|boek))\s+(?:[IVXLC]+|\d{1,3})\b\.?(?:\s*[.:\-–—]?\s*\S.*)?$`)
	annexRe      = regexp.MustCompile(`^(?i:schedule|annex|anexo|bijlage|appendix|ap[ée]ndice)(?:\s+(?:[IVXLC]+|\d{1,3}))?\.?$`)
	preambleRe   = regexp.MustCompile(`^(?i:pre[áa]mbulo|preamble|pr[ée]ambule|pre[áa]mbulo|considerans)[.:]?$`)
	protocolRe   = regexp.MustCompile(`(?i)\b(?:optional protocol|facultatief protocol|protocolo facultativo|protocole facultatif)\b`)
	// A part numbered in Roman numerals: "I. Rules of general application".
	romanPartRe = regexp.MustCompile(`^[IVXL]{1,5}\.\s+\p{Lu}[^.;:!?]{2,90}$`)
	// Observations printed before the units ("Preliminary observation 2").
	observationRe = regexp.MustCompile(`^(?i:preliminary observations?|observaciones? preliminar(?:es)?|observations? préliminaires?)(?:\s+\d{1,2})?$`)
	titleRe       = regexp.MustCompile(`(?i)\b(?:verdrag|protocol|protocolo|convention|convenci[óo]n|covenant|pacto|declaration|declaraci[óo]n|verklaring|charter|handvest)\b`)
)

// IsStructuralHeading reports whether line is a heading that groups units
// ("PART I", "Capítulo II. Derechos Civiles y Políticos", "ANNEX").
func IsStructuralHeading(line string) bool {
	line = collapseSpace(strings.Trim(strings.TrimSpace(line), "*_"))
	return structuralRe.MatchString(line) || annexRe.MatchString(line) || romanPartRe.MatchString(line) ||
		observationRe.MatchString(line)
}

// sectionLevel is the depth of a heading in a document's outline: 0 for
// parts and annexes, 1 for chapters and titles, 2 for sections, 3 for any
// other title over units ("Prisoner file management").
func sectionLevel(head string) int {
	switch {
	case annexRe.MatchString(head) || romanPartRe.MatchString(head):
		return 0
	case structuralRe.MatchString(head):
		w := strings.ToLower(strings.Fields(head)[0])
		switch w {
		case "part", "parte", "deel", "book", "libro", "boek":
			return 0
		case "section", "sección", "seccion":
			return 2
		}
		return 1
	}
	return 3
}

// romanEnumRe is the Roman number before a part's title.
var romanEnumRe = regexp.MustCompile(`^[IVXL]{1,5}\.\s+`)

// outline is the titles of the parts a passage sits in, outermost first,
// each with its level.
type outline []outlineEntry

type outlineEntry struct {
	level int
	title string
}

// enter returns the outline after a heading of the given level: headings
// of that level or deeper are left.
func (o outline) enter(level int, head string) outline {
	head = romanEnumRe.ReplaceAllString(head, "")
	keep := 0
	for keep < len(o) && o[keep].level < level {
		keep++
	}
	return append(slices.Clone(o[:keep]), outlineEntry{level, head})
}

func (o outline) String() string {
	titles := make([]string, len(o))
	for i, e := range o {
		titles[i] = e.title
	}
	return strings.Join(titles, " › ")
}

func isPreambleHeading(line string) bool {
	return preambleRe.MatchString(collapseSpace(strings.Trim(strings.TrimSpace(line), "*_")))
}

// ParagraphNumber normalises a paragraph number as a format carries it
// ("2.1.", " 3", "12\u00a0") to its form in ids ("2.1", "3", "12"): letters
// and digits are kept; white space (including no-break spaces) and dots at
// either end are trimmed; within, a run of other characters becomes its
// first dot or hyphen, or a hyphen ("A 1" → "A-1"). The result is "" when
// nothing is left.
func ParagraphNumber(id string) string {
	var b strings.Builder
	var sep byte // separator waiting for the next letter or digit
	for _, r := range id {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			if sep != 0 && b.Len() > 0 {
				b.WriteByte(sep)
			}
			sep = 0
			b.WriteRune(r)
		case r == '.' || r == '-':
			if sep == 0 {
				sep = byte(r)
			}
		default:
			if sep == 0 {
				sep = '-'
			}
		}
	}
	s := b.String()
	if len(s) > maxParagraphNumber {
		s = strings.Trim(s[:maxParagraphNumber], ".-")
	}
	return s
}

const maxParagraphNumber = 40

var (
	leadingNumberRe = regexp.MustCompile(`^\s*(\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:\s*\|\s*|\s+)(\S+)`)
	monthWords      = map[string]bool{
		"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
		"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
		"enero": true, "febrero": true, "marzo": true, "abril": true, "mayo": true, "junio": true, "julio": true,
		"agosto": true, "septiembre": true, "setiembre": true, "octubre": true, "noviembre": true, "diciembre": true,
		"janvier": true, "février": true, "mars": true, "avril": true, "mai": true, "juin": true, "juillet": true,
		"août": true, "septembre": true, "octobre": true, "novembre": true, "décembre": true,
	}
)

// LeadingNumber returns the paragraph number that opens text as printed
// ("12.6 The Committee…" → "12.6", "10. In reaction…" → "10"), or "" if
// text does not open with one. A number must be followed by a word that
// starts with an upper-case letter, a quote or a parenthesis, and not by a
// month ("15 November 1994" is a date).
func LeadingNumber(text string) string {
	m := leadingNumberRe.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	next := m[2]
	r, _ := utf8.DecodeRuneInString(next)
	if !(unicode.IsUpper(r) || strings.ContainsRune("\"“‘'(«[", r)) {
		return ""
	}
	if monthWords[strings.ToLower(strings.TrimRight(next, ",.;:"))] {
		return ""
	}
	return m[1]
}

func hasUnitHeadings(blocks []Block) bool {
	for _, b := range blocks {
		if b.Heading {
			if _, ok := ParseUnitHeading(b.Text); ok {
				return true
			}
		}
	}
	return false
}

func hasNumbers(blocks []Block) bool {
	for _, b := range blocks {
		if ParagraphNumber(b.Number) != "" {
			return true
		}
	}
	return false
}

type segmenter struct {
	e    *Entry
	out  []Passage
	seen map[string]int
}

// emit appends a passage, making its unit unique.
func (s *segmenter) emit(unit, heading, text, lang, instrument string, labels []string) {
	text = strings.TrimSpace(RepairJoins(text))
	if text == "" {
		return
	}
	s.seen[unit]++
	if n := s.seen[unit]; n > 1 {
		base := unit
		for {
			unit = base + "-" + strconv.Itoa(n)
			if s.seen[unit] == 0 {
				break
			}
			n++
		}
		s.seen[unit]++
	}
	if lang == "" {
		lang = s.e.Language
	}
	s.out = append(s.out, Passage{
		ID:         s.e.ID + "#" + unit,
		Document:   s.e.ID,
		Unit:       unit,
		Order:      len(s.out),
		Heading:    heading,
		Text:       text,
		Language:   lang,
		Instrument: instrument,
		Labels:     labels,
	})
}

// plain makes one passage per block, p-N with N the block's position.
func (s *segmenter) plain(blocks []Block) {
	heading := ""
	for i, b := range blocks {
		if StartsNewsletter(b.Text) {
			return
		}
		if IsFurnitureBlock(b.Text) {
			continue
		}
		if b.Heading {
			heading = collapseSpace(b.Text)
			continue
		}
		h := b.Section
		if h == "" {
			h = heading
		}
		s.emit("p-"+strconv.Itoa(i+1), h, b.Text, "", "", b.Labels)
		s.notes(b.Notes)
	}
}

// paragraphs makes one passage per numbered paragraph. A block that holds
// the next number of the document's paragraph counter at a sentence start
// (decision 237/2003's "2.1 … 2.2. On 11 November 1989 …") is split there,
// unless another block carries that number.
func (s *segmenter) paragraphs(blocks []Block) {
	taken := map[string]bool{}
	for _, b := range blocks {
		num := ParagraphNumber(b.Number)
		if num == "" && !b.Heading {
			num = LeadingNumber(strings.TrimSpace(b.Text))
		}
		if num != "" {
			taken[num] = true
		}
	}
	var split []Block
	last := ""
	for _, b := range blocks {
		if b.Heading {
			split = append(split, b)
			continue
		}
		num := ParagraphNumber(b.Number)
		if num == "" {
			num = LeadingNumber(strings.TrimSpace(b.Text))
		}
		if num != "" {
			last = num
		}
		pieces := innerParagraphs(b.Text, last, taken)
		for i, p := range pieces {
			nb := b
			nb.Text = p.text
			if i > 0 {
				nb.Number, nb.Notes = "", nil
				last = p.num
			}
			split = append(split, nb)
		}
	}
	s.paragraphBlocks(split)
}

// cutMidSentence reports whether text stops where no sentence ends.
func cutMidSentence(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(text))
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',' || r == '-'
}

type innerPiece struct{ text, num string }

// innerStartRe finds a paragraph number opening a sentence inside a
// paragraph: after a sentence's end, a number and a capital.
var innerStartRe = regexp.MustCompile(`[.!?:;]["”’)\]]*\s+(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s+["“‘(]?\p{Lu}`)

// mayStartInner reports whether text holds what every innerStartRe match
// starts with: a sentence's end, closing marks, white space and a digit.
// Few paragraphs do, and the test costs less than the expression's.
func mayStartInner(text string) bool {
	for i := 0; i < len(text); i++ {
		if strings.IndexByte(".!?:;", text[i]) < 0 {
			continue
		}
		j := i + 1
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune(`"”’)]`, r) {
				break
			}
			j += size
		}
		k := j
		for k < len(text) && isPatternSpace(text[k]) {
			k++
		}
		if k > j && k < len(text) && isDigitByte(text[k]) {
			return true
		}
	}
	return false
}

// innerParagraphs cuts text where the paragraph counter's next number
// (after last) opens a sentence and no other paragraph of the document
// carries it; it returns the pieces, the first with last's number (or
// none), the others each with the number it opens with.
func innerParagraphs(text, last string, taken map[string]bool) []innerPiece {
	if last == "" {
		return []innerPiece{{text: text}}
	}
	var out []innerPiece
	cur, from, num := last, 0, ""
	for mayHoldNext(text[from:], cur) && mayStartInner(text[from:]) {
		cut, next := -1, ""
		for _, m := range innerStartRe.FindAllStringSubmatchIndex(text[from:], -1) {
			n := text[from+m[2] : from+m[3]]
			if taken[n] || !nextNumber(cur, n) {
				continue
			}
			at := from + m[2]
			if LeadingNumber(text[at:]) != n {
				continue // "15 November"
			}
			cut, next = at, n
			break
		}
		if cut < 0 {
			break
		}
		out = append(out, innerPiece{text: strings.TrimSpace(text[from:cut]), num: num})
		taken[next] = true
		from, cur, num = cut, next, next
	}
	return append(out, innerPiece{text: strings.TrimSpace(text[from:]), num: num})
}

// mayHoldNext reports, cheaply, whether text may hold a number that
// follows cur after a space: the regular expression runs only then.
func mayHoldNext(text, cur string) bool {
	c := strings.Split(cur, ".")
	top, err := strconv.Atoi(c[0])
	if err != nil {
		return false
	}
	// " 4.", " 4 ", " 3.1", and for "2.1" " 2.2".
	if containsSpaced(text, strconv.Itoa(top+1), ". ") || containsSpaced(text, cur+".1", "") {
		return true
	}
	if len(c) > 1 {
		if n, err := strconv.Atoi(c[len(c)-1]); err == nil {
			return containsSpaced(text, strings.Join(c[:len(c)-1], ".")+"."+strconv.Itoa(n+1), "")
		}
	}
	return false
}

// containsSpaced reports whether text holds " "+w followed by one of the
// bytes of after (by anything, when after is ""). It looks for w, a number
// (a space, what a plain search would look for first, is in every word).
func containsSpaced(text, w, after string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if j > 0 && text[j-1] == ' ' && (after == "" || end < len(text) && strings.IndexByte(after, text[end]) >= 0) {
			return true
		}
		i = j + 1
	}
}

// nextNumber reports whether n follows cur in a paragraph counter: "2.1" →
// "2.2", "3" or "3.1"; "5" → "6", "5.1" or "6.1".
func nextNumber(cur, n string) bool {
	c := strings.Split(cur, ".")
	m := strings.Split(n, ".")
	atoi := func(x string) int {
		v, err := strconv.Atoi(x)
		if err != nil {
			return -1
		}
		return v
	}
	// The same depth, the last part one more.
	if len(m) == len(c) && atoi(m[len(m)-1]) == atoi(c[len(c)-1])+1 && slices.Equal(m[:len(m)-1], c[:len(c)-1]) {
		return true
	}
	// A first sub-paragraph: "5" → "5.1".
	if len(m) == len(c)+1 && slices.Equal(m[:len(c)], c) && m[len(c)] == "1" {
		return true
	}
	// The next top-level paragraph, alone or with its first sub-paragraph:
	// "2.1" → "3", "3.1".
	if atoi(m[0]) == atoi(c[0])+1 && atoi(m[0]) > 0 {
		for _, x := range m[1:] {
			if x != "1" {
				return false
			}
		}
		return true
	}
	return false
}

func (s *segmenter) paragraphBlocks(blocks []Block) {
	section := ""
	recovered := "" // a heading recovered from the text: the passages' section
	for _, b := range blocks {
		if StartsNewsletter(b.Text) {
			return
		}
		text := strings.TrimSpace(b.Text)
		if text == "" || IsFurnitureBlock(text) {
			continue
		}
		if b.Heading && b.Recovered {
			recovered = collapseSpace(text)
			continue
		}
		if b.Heading {
			section = collapseSpace(text)
			continue
		}
		h := b.Section
		if h == "" {
			h = section
		}
		num := ParagraphNumber(b.Number)
		if num == "" {
			num = LeadingNumber(text)
		}
		if num == "" && len(s.out) > 0 {
			// A paragraph broken across pages continues in lower case,
			// or after a paragraph cut off mid-sentence (its last
			// character a letter, a digit, a comma or a hyphen) unless it
			// opens with a bracket ("[Done in English…]"): it belongs to
			// the numbered paragraph before it.
			prev := &s.out[len(s.out)-1]
			r, _ := utf8.DecodeRuneInString(text)
			if (unicode.IsLower(r) || cutMidSentence(prev.Text) && !strings.ContainsRune("[{", r)) && strings.HasPrefix(prev.Unit, "para-") && prev.Heading == h {
				prev.Text += "\n" + text
				prev.Notes = append(prev.Notes, b.Notes...)
				continue
			}
		}
		unit := "p-" + strconv.Itoa(len(s.out)+1)
		if num != "" {
			unit = "para-" + num
		}
		n := len(s.out)
		s.emit(unit, h, text, "", "", b.Labels)
		if len(s.out) > n {
			s.out[n].Section = recovered
		}
		s.notes(b.Notes)
	}
}

// notes gives the passage just emitted its block's notes.
func (s *segmenter) notes(notes []Note) {
	if len(notes) > 0 && len(s.out) > 0 {
		p := &s.out[len(s.out)-1]
		p.Notes = append(p.Notes, notes...)
	}
}

// section is a language version or an instrument within one file.
type section struct {
	prefix     string // "", "nl-", "op1-", "nl-op1-"
	lang       string
	instrument string
	units      int            // units seen in this section
	last       map[string]int // last number per unit kind
}

// articles cuts a treaty, declaration or rules instrument at its unit
// headings.
func (s *segmenter) articles(blocks []Block) {
	switchAt, otherLang := languageSwitch(s.e, blocks)
	sec := &section{lang: s.e.Language, instrument: s.e.Instrument, last: map[string]int{}}
	ops := 0

	type pending struct {
		unit, heading string
		kind          string // "preamble", "unit", "p"
		text          []string
		lang, instr   string
		section       string
		notes         []Note
	}
	var cur *pending
	var pendingHeading string
	var path outline
	preambleDone := false // a division heading ended the preamble
	flush := func() {
		if cur == nil {
			return
		}
		unit := cur.unit
		if cur.kind == "p" {
			unit = sec.prefix + "p-" + strconv.Itoa(len(s.out)+1)
		}
		text := strings.Join(cur.text, "\n")
		if cur.kind == "unit" {
			text = dropTrailingResidue(text)
		}
		if cur.kind == "unit" && strings.TrimSpace(text) == "" {
			text = cur.heading
		}
		n := len(s.out)
		s.emit(unit, cur.heading, text, cur.lang, cur.instr, nil)
		if len(s.out) > n {
			s.out[n].Section = cur.section
			s.out[n].Notes = cur.notes
		}
		cur = nil
	}

	// accept reports whether a unit heading continues its sequence: the
	// first of its kind, a number after the last one (gaps allowed), or 1
	// (a new sequence).
	accept := func(u UnitHeading) bool {
		n := u.N()
		last, ok := sec.last[u.Kind]
		return !ok || n == 1 || (n > last && n <= last+20) || (n == last && u.Number != strconv.Itoa(n))
	}
	isUnit := func(b Block) (UnitHeading, bool) {
		if !b.Heading {
			return UnitHeading{}, false
		}
		u, ok := ParseUnitHeading(b.Text)
		if !ok || !accept(u) {
			return UnitHeading{}, false
		}
		return u, true
	}
	// nextIsUnit reports whether, after the headings that follow i, a unit
	// heading comes.
	nextIsUnit := func(i int) bool {
		for j := i + 1; j < len(blocks); j++ {
			if !blocks[j].Heading {
				return false
			}
			if j == switchAt {
				return false
			}
			if _, ok := isUnit(blocks[j]); ok {
				return true
			}
		}
		return false
	}

	for i, b := range blocks {
		text := strings.TrimSpace(b.Text)
		if StartsNewsletter(text) {
			break
		}
		if text == "" || IsFurnitureBlock(text) {
			continue
		}
		if i == switchAt {
			flush()
			sec = &section{prefix: otherLang + "-", lang: otherLang, instrument: s.e.Instrument, last: map[string]int{}}
			ops = 0
			pendingHeading = ""
			path, preambleDone = nil, false
			if !b.Heading {
				cur = &pending{unit: sec.prefix + "preamble", heading: "Preamble", kind: "preamble", lang: sec.lang, instr: sec.instrument}
			}
		}
		if !b.Heading {
			if cur != nil && cur.kind == "unit" {
				if body, record, ok := splitStateRecord(text); ok {
					// An edition's record of one State's acts on the
					// instrument, printed after its last article: a
					// passage of its own, not the article's text.
					if body != "" {
						cur.text = append(cur.text, body)
					}
					flush()
					cur = &pending{kind: "p", lang: sec.lang, instr: sec.instrument, section: path.String()}
					text = record
				}
			}
			if cur == nil {
				if sec.units == 0 && !preambleDone {
					cur = &pending{unit: sec.prefix + "preamble", heading: "Preamble", kind: "preamble", lang: sec.lang, instr: sec.instrument}
				} else {
					cur = &pending{kind: "p", heading: pendingHeading, lang: sec.lang, instr: sec.instrument, section: path.String()}
				}
			}
			cur.text = append(cur.text, text)
			cur.notes = append(cur.notes, b.Notes...)
			continue
		}
		head := collapseSpace(strings.Trim(text, "*_ "))
		if u, ok := isUnit(b); ok {
			flush()
			sec.last[u.Kind] = u.N()
			sec.units++
			cur = &pending{unit: sec.prefix + u.Kind + "-" + u.Number, heading: u.Label, kind: "unit", lang: sec.lang, instr: sec.instrument, section: path.String()}
			if u.Title != "" {
				cur.text = append(cur.text, u.Title)
			}
			pendingHeading = ""
			continue
		}
		switch {
		case i != switchAt && sec.units > 0 && protocolRe.MatchString(head):
			// An optional protocol printed after the treaty.
			flush()
			ops++
			instr := ""
			if s.e.Instrument != "" {
				instr = s.e.Instrument + "-OP" + strconv.Itoa(ops)
			}
			base := strings.TrimSuffix(sec.prefix, opPrefix(ops-1))
			sec = &section{prefix: base + opPrefix(ops), lang: sec.lang, instrument: instr, last: map[string]int{}}
			pendingHeading = ""
		case isPreambleHeading(head):
			if sec.units == 0 {
				// What came before the preamble is a title page.
				cur = &pending{unit: sec.prefix + "preamble", heading: head, kind: "preamble", lang: sec.lang, instr: sec.instrument}
			} else {
				flush()
				cur = &pending{kind: "p", heading: head, lang: sec.lang, instr: sec.instrument}
			}
		case cur != nil && cur.kind == "preamble" && sec.units == 0 && (annexRe.MatchString(head) || observationRe.MatchString(head)):
			// The instrument annexed to a resolution, or observations
			// before the units: the preamble (the resolution) ends.
			flush()
			preambleDone = true
			pendingHeading = head
			if annexRe.MatchString(head) {
				path = outline(nil).enter(0, head)
			}
		case cur != nil && cur.kind == "preamble":
			// Titles and part headings before the first unit.
			if IsStructuralHeading(head) {
				path = path.enter(sectionLevel(head), head)
			}
		case observationRe.MatchString(head):
			flush()
			pendingHeading = head
		case IsStructuralHeading(head):
			if cur != nil {
				flush()
			}
			pendingHeading = head
			path = path.enter(sectionLevel(head), head)
		case cur != nil && cur.kind == "unit" && len(cur.text) == 0:
			// The unit's own title ("- Right to life").
			cur.text = append(cur.text, strings.TrimSpace(strings.TrimLeft(head, "-–— ")))
		case nextIsUnit(i):
			// A section title over the next unit.
			flush()
			pendingHeading = head
			path = path.enter(3, head)
		case cur != nil && cur.kind == "unit":
			cur.text = append(cur.text, head)
		default:
			flush()
			pendingHeading = head
		}
	}
	flush()
}

// stateActRe reads a line that opens with a State's own act on an
// instrument: "La Argentina aprobó la Convención …", "Peru ratified the
// Covenant …". Group 1 is the State's name, checked against the registry.
var stateActRe = regexp.MustCompile(`^(?:(?:La|El|The|Le|L')\s+)?(\p{Lu}[\p{L}'’ -]{1,50}?)\s+` +
	`(?:aprobó|ratificó|adhirió|approved|ratified|acceded|a ratifié|a approuvé|a adhéré)\s`)

// splitStateRecord finds, in a unit's block, the line where an edition
// begins its record of a State's approval, ratification, reservations and
// declarations (national editions print it after the last article). It
// returns the lines before it and the record from it on. A treaty's own
// text speaks of States Parties and "this Convention", never of one named
// State's past act, so such a line ends the article.
func splitStateRecord(text string) (body, record string, ok bool) {
	at := 0
	for line := range strings.Lines(text) {
		if m := stateActRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if _, known := StateByName(m[1]); known {
				return strings.TrimSpace(text[:at]), text[at:], true
			}
		}
		at += len(line)
	}
	return "", "", false
}

// residueTailRe finds what follows a provision's last sentence: a capital
// and then no sentence's end.
var residueTailRe = regexp.MustCompile(`[.;:!?]["”’»)\]]*\s*(\p{Lu}[^.;:!?"”’»)\]\n]*)$`)

// dropTrailingResidue removes from a provision's text a short tail after
// its last sentence that ends no sentence itself: the label of a link the
// web page printed after the article ("…tal suspensión. Observación general
// sobre su aplicación"), not the instrument's text. A provision ends with
// its sentence (or a list item's punctuation); a tail of at most eight words
// without it is a site's link or menu.
func dropTrailingResidue(text string) string {
	t := strings.TrimRightFunc(text, unicode.IsSpace)
	m := residueTailRe.FindStringSubmatchIndex(t)
	if m == nil {
		return text
	}
	tail := t[m[2]:m[3]]
	if len(strings.Fields(tail)) > 8 || utf8.RuneCountInString(tail) > 80 {
		return text
	}
	return strings.TrimRightFunc(t[:m[2]], unicode.IsSpace)
}

func opPrefix(n int) string {
	if n == 0 {
		return ""
	}
	return "op" + strconv.Itoa(n) + "-"
}

// languageSwitch finds where a second language version begins: at the
// title heading before its first unit heading whose word is of another
// language than the entry's ("Artikel 1" in an English treaty), once a unit
// of the entry's language has been seen. It returns -1 if there is none.
func languageSwitch(e *Entry, blocks []Block) (int, string) {
	main := e.Language
	seenMain := false
	for i, b := range blocks {
		if !b.Heading {
			continue
		}
		u, ok := ParseUnitHeading(b.Text)
		if !ok || u.Lang == "" {
			continue
		}
		if main == "" {
			main = u.Lang
		}
		if u.Lang == main {
			seenMain = true
			continue
		}
		if !seenMain {
			continue
		}
		start := i
		for j := i - 1; j >= 0; j-- {
			bj := blocks[j]
			if !bj.Heading {
				continue
			}
			if uj, ok := ParseUnitHeading(bj.Text); ok && uj.Lang == main {
				break
			}
			if titleRe.MatchString(bj.Text) {
				start = j
				break
			}
		}
		return start, u.Lang
	}
	return -1, ""
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
