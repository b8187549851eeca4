package corpus

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words that open a reference to an article or a rule, or to a paragraph of
// an article ("paragraph 1 of article 3").
var (
	articleWords = map[string]bool{
		"article": true, "articles": true, "art": true, "arts": true, "artículo": true, "artículos": true,
		"articulo": true, "articulos": true, "artigo": true, "artigos": true, "artikel": true, "artikelen": true,
	}
	ruleWords = map[string]bool{
		"rule": true, "rules": true, "regla": true, "reglas": true, "règle": true, "règles": true,
	}
	paragraphWords = map[string]bool{
		"paragraph": true, "paragraphs": true, "para": true, "paras": true, "párrafo": true, "párrafos": true,
		"paragraphe": true, "paragraphes": true, "inciso": true, "apartado": true, "part": true, "parts": true,
	}
	// ofWords link a reference to the instrument it belongs to.
	ofWords = map[string]bool{"of": true, "de": true, "del": true, "du": true, "des": true, "do": true, "da": true}
	// connectorWords may join references into one chain ("article 2 (1), read in
	// conjunction with articles 1 and 16, of the Convention").
	connectorWords = map[string]bool{
		"and": true, "or": true, "with": true, "in": true, "conjunction": true, "read": true, "together": true,
		"taken": true, "alone": true, "as": true, "well": true, "also": true, "separately": true, "combined": true,
		"both": true, "either": true, "y": true, "o": true, "e": true, "en": true, "relación": true, "relacion": true,
		"con": true, "conjunto": true, "leído": true, "leido": true, "et": true, "ou": true, "avec": true, "lu": true,
		"conjointement": true, "and/or": true, "leídos": true, "juntamente": true,
	}
	months = map[string]bool{
		"January": true, "February": true, "March": true, "April": true, "May": true, "June": true, "July": true,
		"August": true, "September": true, "October": true, "November": true, "December": true,
		"enero": true, "febrero": true, "marzo": true, "abril": true, "mayo": true, "junio": true, "julio": true,
		"agosto": true, "septiembre": true, "octubre": true, "noviembre": true, "diciembre": true,
	}
	// abbreviations whose dot does not end a sentence.
	abbreviations = map[string]bool{
		"art": true, "arts": true, "para": true, "paras": true, "no": true, "nos": true, "mr": true, "ms": true,
		"mrs": true, "dr": true, "cf": true, "al": true, "v": true, "vs": true, "vol": true, "p": true, "pp": true,
		"rev": true, "add": true, "corr": true, "st": true, "op": true, "cit": true, "seq": true, "ibid": true,
		"e": true, "g": true, "i": true, "etc": true, "sr": true, "sra": true, "prof": true, "inc": true, "jr": true,
	}
)

// refItem is one article or rule number of a reference.
type refItem struct {
	num, sub   string
	start, end int
}

// refGroup is the references that one keyword opens: "articles 2, 11 and 16".
type refGroup struct {
	start, end int
	rule       bool
	items      []refItem
}

func (s *scan) findArticles() {
	toks := s.m.toks
	var groups []refGroup
	for i := 0; i < len(toks); i++ {
		w := s.m.word(i)
		switch w[0] {
		case 'a', 'A', 'r', 'R', 'p', 'P':
		default:
			continue
		}
		lw := s.m.folded(w)
		var g refGroup
		var ok bool
		switch {
		case articleWords[string(lw)]:
			g, ok = s.parseGroup(i, false)
		case ruleWords[string(lw)]:
			g, ok = s.parseGroup(i, true)
		case paragraphWords[string(lw)]:
			g, ok = s.parseParagraphOf(i)
		}
		if !ok {
			continue
		}
		groups = append(groups, g)
		for i+1 < len(toks) && toks[i+1].start < g.end {
			i++
		}
	}
	// Chain the groups that connectors join, and resolve each chain.
	for a := 0; a < len(groups); {
		b := a + 1
		for b < len(groups) && groups[b].rule == groups[a].rule && s.connector(groups[b-1].end, groups[b].start) {
			b++
		}
		inst := s.resolveChain(groups[a].start, groups[b-1].end, groups[a].rule)
		if inst != "" && !s.procedural(groups[a].start) {
			for _, g := range groups[a:b] {
				for _, it := range g.items {
					r := Reference{Kind: RefArticle, Start: it.start, End: it.end, Value: inst + " " + it.num}
					if it.sub != "" {
						r.Fine = inst + " " + it.num + "(" + it.sub + ")"
					}
					s.refs = append(s.refs, r)
				}
			}
		}
		a = b
	}
}

// afterKeyword returns where the number after the keyword at word i may
// start: past an abbreviation's dot and at least one space. A dot after a
// word written out ("… under this article.\n3. The …") ends its sentence:
// the number after it opens the next paragraph, and "this article" is the
// containing one, no reference of its own.
func (s *scan) afterKeyword(i int) (int, bool) {
	text := s.m.s
	p := s.m.toks[i].end
	moved := false
	if p < len(text) && text[p] == '.' {
		if !abbreviations[string(s.m.folded(s.m.word(i)))] {
			return 0, false
		}
		p++
		moved = true
	}
	q := skipSpaces(text, p, 3)
	return q, moved || q > p
}

func (s *scan) parseGroup(i int, rule bool) (refGroup, bool) {
	q, ok := s.afterKeyword(i)
	if !ok {
		return refGroup{}, false
	}
	items, end := s.parseList(q)
	if len(items) == 0 {
		return refGroup{}, false
	}
	items[0].start = s.m.toks[i].start
	return refGroup{start: s.m.toks[i].start, end: end, rule: rule, items: items}, true
}

// parseParagraphOf reads "paragraph 1 of article 3" and "paragraphs 1 and 2
// of article 3"; a bare "paragraph 8" is no reference.
func (s *scan) parseParagraphOf(i int) (refGroup, bool) {
	text := s.m.s
	q, ok := s.afterKeyword(i)
	if !ok {
		return refGroup{}, false
	}
	paras, end := s.parseList(q)
	if len(paras) == 0 {
		return refGroup{}, false
	}
	p := skipSpaces(text, end, 2)
	w := wordAt(text, p)
	if !ofWords[w] {
		return refGroup{}, false
	}
	p = skipSpaces(text, p+len(w), 2)
	kw := wordAt(text, p)
	j := s.tokenAt(p)
	if j < 0 || !articleWords[strings.ToLower(kw)] {
		return refGroup{}, false
	}
	q, ok = s.afterKeyword(j)
	if !ok {
		return refGroup{}, false
	}
	art, ok := s.parseItem(q)
	if !ok {
		return refGroup{}, false
	}
	g := refGroup{start: s.m.toks[i].start, end: art.end}
	for _, para := range paras {
		g.items = append(g.items, refItem{num: art.num, sub: para.num, start: g.start, end: art.end})
	}
	return g, true
}

// parseList reads "2, 11 and 16", "1 y 2", "2 to 16" (ranges of up to 30
// are expanded).
func (s *scan) parseList(q int) ([]refItem, int) {
	text := s.m.s
	it, ok := s.parseItem(q)
	if !ok {
		return nil, q
	}
	items := []refItem{it}
	end := it.end
	for len(items) < 64 {
		// A short aside between items: "articles 6, 7, 8 (paragraphs 1 and 2), 11".
		after := end
		if q := skipSpaces(text, end, 1); q < len(text) && text[q] == '(' {
			if e := strings.IndexByte(text[q:min(len(text), q+40)], ')'); e > 0 && !strings.ContainsAny(text[q+1:q+e], "(.;") {
				after = q + e + 1
			}
		}
		r, isRange := listSeparator(text, after)
		if r < 0 && after != end {
			r, isRange = listSeparator(text, end)
		}
		if r < 0 {
			break
		}
		// "1 (1), (2) and (4)": more sub-paragraphs of the same article.
		if r < len(text) && text[r] == '(' && !isRange {
			if e := skipSubs(text, r); e > r {
				end = e
				continue
			}
		}
		next, ok := s.parseItem(r)
		if !ok || months[wordAt(text, skipSpaces(text, next.end, 1))] {
			break
		}
		if isRange {
			lo, err1 := strconv.Atoi(items[len(items)-1].num)
			hi, err2 := strconv.Atoi(next.num)
			if err1 != nil || err2 != nil || hi <= lo || hi-lo > 30 {
				break
			}
			for n := lo + 1; n < hi; n++ {
				items = append(items, refItem{num: strconv.Itoa(n), start: next.start, end: next.end})
			}
		}
		items = append(items, next)
		end = next.end
	}
	return items, end
}

// listSeparator reads the separator after a number in a list and returns
// where the next number may start, or -1.
func listSeparator(text string, p int) (int, bool) {
	q := skipSpaces(text, p, 2)
	comma := false
	if q < len(text) && text[q] == ',' {
		comma = true
		q = skipSpaces(text, q+1, 2)
	}
	if comma && q < len(text) && (isDigit(text[q]) || text[q] == '(') {
		return q, false
	}
	w := wordAt(text, q)
	switch {
	case w == "and" || w == "or" || w == "y" || w == "e" || w == "o" || w == "et" || w == "ou":
		q += len(w)
		if strings.HasPrefix(text[q:], "/or") {
			q += 3
		}
		r := skipSpaces(text, q, 2)
		if r == q {
			return -1, false
		}
		return r, false
	case !comma && (w == "to" || w == "a" || w == "à" || w == "through"):
		r := skipSpaces(text, q+len(w), 2)
		if r == q+len(w) {
			return -1, false
		}
		return r, true
	case !comma && q == p && q < len(text) && (text[q] == '-' || strings.HasPrefix(text[q:], "–")):
		_, n := utf8.DecodeRuneInString(text[q:])
		return q + n, true
	}
	return -1, false
}

// parseItem reads an article number with its sub-paragraphs: "3", "1A",
// "22 (5) (a)", "5(6)", "22.8", "22, paragraph 7".
func (s *scan) parseItem(q int) (refItem, bool) {
	text := s.m.s
	p := q
	for p < len(text) && p-q < 4 && isDigit(text[p]) {
		p++
	}
	if p == q || p-q > 3 || p < len(text) && isDigit(text[p]) {
		return refItem{}, false
	}
	it := refItem{num: text[q:p], start: q}
	if p < len(text) && 'A' <= text[p] && text[p] <= 'Z' && !letterAt(text, p+1) {
		it.sub = text[p : p+1]
		p++
	}
	if letterAt(text, p) {
		return refItem{}, false // "3rd", "2nd"
	}
	if it.sub != "" && p+1 < len(text) && text[p] == '/' && isAlnumASCII(text[p+1]) { // "125E/a"
		p += 2
		for p < len(text) && p-it.start < 12 && isAlnumASCII(text[p]) {
			p++
		}
	}
	for k := 0; k < 3; k++ {
		// "(6)", " (a)"
		r := skipSpaces(text, p, 1)
		if r < len(text) && text[r] == '(' {
			e := strings.IndexByte(text[r:min(len(text), r+7)], ')')
			if e > 1 && subParagraph(text[r+1:r+e]) {
				if it.sub == "" {
					it.sub = text[r+1 : r+e]
				}
				p = r + e + 1
				continue
			}
		}
		// ".8" (Spanish style: artículo 22.8)
		if p+1 < len(text) && text[p] == '.' && isDigit(text[p+1]) {
			e := p + 1
			for e < len(text) && e-p <= 3 && isDigit(text[e]) {
				e++
			}
			if e-p <= 3 && !(e < len(text) && isDigit(text[e])) {
				if it.sub == "" {
					it.sub = text[p+1 : e]
				}
				p = e
				continue
			}
		}
		// ", paragraph 7"
		r = p
		if r < len(text) && text[r] == ',' {
			r++
		}
		r = skipSpaces(text, r, 2)
		if w := wordAt(text, r); w != "" && paragraphWords[strings.ToLower(w)] {
			e := r + len(w)
			if e < len(text) && text[e] == '.' {
				e++
			}
			e = skipSpaces(text, e, 2)
			d := e
			for d < len(text) && d-e < 4 && isDigit(text[d]) {
				d++
			}
			if d > e && d-e <= 3 && !letterAt(text, d) && !(d < len(text) && isDigit(text[d])) {
				if it.sub == "" {
					it.sub = text[e:d]
				}
				p = skipSubs(text, d)
				// "paragraphs 2 and 3": the list is of paragraphs, not articles.
				for {
					r, _ := listSeparator(text, p)
					if r < 0 || r >= len(text) || !isDigit(text[r]) {
						break
					}
					if sep := text[p:r]; strings.Contains(sep, ",") && strings.TrimFunc(sep, func(c rune) bool { return c == ',' || unicode.IsSpace(c) }) != "" {
						break // ", and 26": the list of articles resumes
					}
					d := r
					for d < len(text) && d-r < 4 && isDigit(text[d]) {
						d++
					}
					if d-r > 3 || letterAt(text, d) {
						break
					}
					p = skipSubs(text, d)
				}
				continue
			}
		}
		break
	}
	it.end = p
	return it, true
}

// skipSubs skips sub-paragraphs such as "(e)" or " (a)(ii)" after p.
func skipSubs(text string, p int) int {
	for {
		r := skipSpaces(text, p, 1)
		if r >= len(text) || text[r] != '(' {
			return p
		}
		e := strings.IndexByte(text[r:min(len(text), r+7)], ')')
		if e <= 1 || !subParagraph(text[r+1:r+e]) {
			return p
		}
		p = r + e + 1
	}
}

// skipFootnotes skips footnote markers ("[[fn:6]]") at p.
func skipFootnotes(text string, p int) int {
	for strings.HasPrefix(text[p:], "[[fn:") {
		e := strings.Index(text[p:], "]]")
		if e < 0 || e > 16 {
			return p
		}
		p += e + 2
	}
	return p
}

// subParagraph accepts "6", "a", "iv", "IV".
func subParagraph(x string) bool {
	if x == "" || len(x) > 4 {
		return false
	}
	if allDigits(x) {
		return len(x) <= 3
	}
	lower, roman := true, true
	for i := 0; i < len(x); i++ {
		c := x[i]
		if c < 'a' || c > 'z' {
			lower = false
		}
		if !strings.ContainsRune("IVX", rune(c)) {
			roman = false
		}
	}
	return lower || roman || len(x) == 1 && x[0] >= 'A' && x[0] <= 'Z'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func letterAt(text string, p int) bool {
	if p >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[p:])
	return unicode.IsLetter(r)
}

// skipSpaces skips at most max spaces (and no-break spaces) from p.
func skipSpaces(text string, p, max int) int {
	for n := 0; p < len(text) && n < max; n++ {
		switch {
		case text[p] == ' ' || text[p] == '\t' || text[p] == '\n':
			p++
		case strings.HasPrefix(text[p:], "\u00a0"):
			p += len("\u00a0")
		default:
			return p
		}
	}
	return p
}

// wordAt returns the word that starts at p, or "".
func wordAt(text string, p int) string {
	if p >= len(text) || !wordRuneAt(text, p) || p > 0 && wordRuneAt(text, prevRuneStart(text, p)) {
		return ""
	}
	e := p
	for e < len(text) && wordRuneAt(text, e) {
		e += runeLen(text, e)
	}
	return text[p:e]
}

func prevRuneStart(text string, p int) int {
	_, n := utf8.DecodeLastRuneInString(text[:p])
	return p - n
}

// tokenAt returns the index of the word starting at byte p, or -1.
func (s *scan) tokenAt(p int) int {
	toks := s.m.toks
	j := sort.Search(len(toks), func(k int) bool { return toks[k].start >= p })
	if j < len(toks) && toks[j].start == p {
		return j
	}
	return -1
}

// connector reports whether the text between two references joins them:
// punctuation and words such as "and", "read in conjunction with".
func (s *scan) connector(a, b int) bool {
	if b-a > 80 || b < a {
		return false
	}
	gap := s.m.s[a:b]
	for strings.Contains(gap, "[[fn:") {
		i := strings.Index(gap, "[[fn:")
		e := strings.Index(gap[i:], "]]")
		if e < 0 {
			return false
		}
		gap = gap[:i] + " " + gap[i+e+2:]
	}
	for _, r := range gap {
		if !(unicode.IsLetter(r) || unicode.IsSpace(r) || strings.ContainsRune(",;()/\u00a0", r)) {
			return false
		}
	}
	for _, w := range strings.FieldsFunc(gap, func(r rune) bool { return !unicode.IsLetter(r) && r != '/' }) {
		if !connectorWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// procedural reports whether the references at start are the procedural
// basis a treaty body states for its own act — "The Committee, acting under
// article 22 (7) of the Convention, decides" — rather than a provision the
// text discusses.
func (s *scan) procedural(start int) bool {
	j := s.tokenAt(start)
	return j >= 2 && s.m.word(j-1) == "under" && s.m.word(j-2) == "acting"
}

// resolveChain finds the instrument of the references between start and
// end, or "" where they belong to something outside the registry.
func (s *scan) resolveChain(start, end int, rule bool) string {
	text := s.m.s
	p := skipSpaces(text, skipFootnotes(text, end), 2)
	if p < len(text) && text[p] == ',' {
		p = skipSpaces(text, skipFootnotes(text, p+1), 2)
	}
	last := sort.Search(len(s.ms), func(k int) bool { return s.ms[k].end > start }) - 1
	if j := s.tokenAt(p); j >= 0 {
		if w := s.m.word(j); w == "thereof" || w == "thereto" {
			// "article 67 thereof": of the last thing named, law or instrument.
			if last >= 0 && s.instrumentMention(s.ms[last]) && s.compatible(s.ms[last].code, rule) {
				return s.ms[last].code
			}
			return ""
		}
		if ofWords[s.m.word(j)] {
			// "of the Convention", "de la Convención": the instrument named
			// there, or none at all ("of the Criminal Code", "of its rules of procedure").
			k := j + 1
			for n := 0; n < 4 && k < len(s.m.toks) && determiners[s.m.word(k)]; n++ {
				k++
			}
			if k < len(s.m.toks) {
				if mi := s.mentionAt(k); mi >= 0 {
					if code := s.ms[mi].code; s.instrumentMention(s.ms[mi]) && s.compatible(code, rule) {
						return code
					}
				}
			}
			return ""
		}
		// "article 3 CAT"
		if mi := s.mentionAt(j); mi >= 0 && s.ms[mi].kind == mentionInstrument && isSpaceGap(text[end:p]) {
			if s.compatible(s.ms[mi].code, rule) {
				return s.ms[mi].code
			}
		}
	}
	// The nearest preceding mention in the same sentence.
	for k := last; k >= 0; k-- {
		mt := s.ms[k]
		if s.sentenceBreak(mt.end, start) {
			break
		}
		switch {
		case s.instrumentMention(mt) && s.compatible(mt.code, rule):
			return mt.code
		case (mt.kind == mentionUnregistered || mt.kind == mentionLaw) && start-mt.end <= 40:
			return "" // "the Constitution (art. 5)"
		}
	}
	// The nearest preceding mention, then the context.
	for k := last; k >= 0; k-- {
		if mt := s.ms[k]; s.instrumentMention(mt) && s.compatible(mt.code, rule) {
			return mt.code
		}
	}
	if s.ctx != nil && s.compatible(s.ctx.Short, rule) {
		return s.ctx.Short
	}
	return ""
}

func (s *scan) instrumentMention(mt mention) bool {
	return (mt.kind == mentionInstrument || mt.kind == mentionGeneric) && mt.code != ""
}

// compatible reports whether references of this kind (rules or articles)
// can belong to the instrument.
func (s *scan) compatible(code string, rule bool) bool {
	in := s.x.instr.byShort[code]
	return in != nil && (in.Kind == InstrumentRules) == rule
}

// sentenceBreak reports whether a sentence ends between a and b.
func (s *scan) sentenceBreak(a, b int) bool {
	text := s.m.s
	for i := a; i < b; i++ {
		c := text[i]
		if c == '\n' {
			return true
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		n := skipSpaces(text, i+1, 3)
		if n == i+1 || n >= len(text) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[n:])
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			continue
		}
		if c == '.' {
			w := i
			for w > 0 && wordRuneAt(text, prevRuneStart(text, w)) {
				w = prevRuneStart(text, w)
			}
			prev := text[w:i]
			if abbreviations[strings.ToLower(prev)] || utf8.RuneCountInString(prev) == 1 {
				continue
			}
		}
		return true
	}
	return false
}
