package corpus

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Context is what extraction knows about the document a text comes from. It
// resolves what the text leaves implicit: "the Convention" in a CAT decision
// is CAT; "article 42" in the ICCPR is ICCPR 42.
type Context struct {
	DocumentID string
	Kind       string
	// Instrument is the document's own instrument (for a treaty passage, the
	// passage's: ICCPR-OP1 for the ICCPR file's protocol).
	Instrument string
	Body       string
	Language   string
	// Symbol is the document's UN symbol, normalised.
	Symbol string
	// States are the states the document concerns: catalog states and the
	// state of a country symbol (CAT/C/SLV/CO/3 → SV).
	States []string
}

// ContextOf builds the extraction context of a catalog entry. The instrument
// comes from the entry, else from its body or symbol (CCPR → ICCPR).
func ContextOf(e *Entry) Context {
	c := Context{DocumentID: e.ID, Kind: e.Kind, Body: e.Body, Language: e.Language}
	if in, ok := LookupInstrument(e.Instrument); ok {
		c.Instrument = in.Short
	}
	var sym Symbol
	if e.Symbol != "" {
		c.Symbol = NormalizeSymbol(e.Symbol)
		if s, err := ParseSymbol(e.Symbol); err == nil {
			sym = s
		}
	}
	if c.Body == "" {
		c.Body = sym.Committee
	}
	if c.Instrument == "" {
		if in, ok := InstrumentOfBody(c.Body); ok {
			c.Instrument = in.Short
		} else if in, ok := InstrumentOfBody(sym.Committee); ok {
			c.Instrument = in.Short
		}
	}
	for _, s := range e.States {
		if st, ok := LookupState(s); ok {
			c.States = append(c.States, st.Alpha2)
		}
	}
	if sym.State != "" {
		c.States = append(c.States, sym.State)
	}
	c.States = sortedSet(c.States)
	return c
}

// Extraction holds the facet values extracted from a text. Each list is
// sorted and free of duplicates.
type Extraction struct {
	Instruments []string `json:"instruments"`
	// Articles are "INSTRUMENT N" and, where a reference names a
	// sub-paragraph, "INSTRUMENT N(x)" as well.
	Articles []string `json:"articles"`
	States   []string `json:"states"`
	Symbols  []string `json:"symbols"`
}

// Kinds of reference.
const (
	RefArticle    = "article"    // an article or rule: Value "CAT 3", Fine "CAT 3(1)"
	RefInstrument = "instrument" // a registered instrument, named or meant ("the Convention"): Value "CAT"
	RefState      = "state"      // a state, by name, demonym or country symbol: Value "SV"
	RefSymbol     = "symbol"     // a UN document symbol: Value its normal form
)

// Reference is something a text refers to, with the byte offsets of the
// words that say so.
type Reference struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value"`
	// Fine is an article reference to a sub-paragraph: "ACHR 22(8)".
	Fine string `json:"fine,omitempty"`
}

// ExtractReferences returns what text refers to — instruments, articles,
// states, UN symbols — in order of their offsets. References to articles
// are resolved to their instrument (the one named in the same phrase or
// sentence, else the nearest preceding mention, else the context's);
// references to rules of procedure, national laws and instruments outside
// the registry are left out.
func ExtractReferences(text string, c Context) []Reference {
	return extractor().references(text, c)
}

// Extract returns the facet values of text.
func Extract(text string, c Context) Extraction {
	return extractionOf(ExtractReferences(text, c))
}

func extractionOf(refs []Reference) Extraction {
	var x Extraction
	for _, r := range refs {
		switch r.Kind {
		case RefInstrument:
			x.Instruments = append(x.Instruments, r.Value)
		case RefArticle:
			x.Articles = append(x.Articles, r.Value)
			if r.Fine != "" {
				x.Articles = append(x.Articles, r.Fine)
			}
			if in, _, ok := strings.Cut(r.Value, " "); ok {
				x.Instruments = append(x.Instruments, in)
			}
		case RefState:
			x.States = append(x.States, r.Value)
		case RefSymbol:
			x.Symbols = append(x.Symbols, r.Value)
		}
	}
	x.Instruments = sortedSet(x.Instruments)
	x.Articles = sortedSet(x.Articles)
	x.States = sortedSet(x.States)
	x.Symbols = sortedSet(x.Symbols)
	return x
}

// sortedSet sorts s and drops duplicates and empty strings, in place.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return s
	}
	slices.Sort(s)
	s = slices.Compact(s)
	if s[0] == "" {
		s = s[1:]
	}
	return s
}

// --- The extractor -------------------------------------------------------

type extractorData struct {
	gaz    *gazetteer
	instr  *instrumentRegistry
	states *stateRegistry
}

var extractor = sync.OnceValue(func() *extractorData {
	x := &extractorData{gaz: newGazetteer(), instr: instrumentsOnce(), states: statesOnce()}
	// Instruments first: on a tie, an instrument's name wins over a state's.
	for _, in := range x.instr.list {
		v := &gazValue{kind: gazInstrument, code: in.Short}
		for _, n := range append([]string{in.Titles["en"], in.Titles["es"], in.Titles["fr"]}, in.Names...) {
			if n == "" || strings.Contains(n, "(") {
				continue
			}
			x.gaz.add(n, strings.ContainsAny(strings.TrimSpace(n), " -"), v)
		}
	}
	unreg := &gazValue{kind: gazUnregistered}
	for _, n := range x.instr.unregistered {
		x.gaz.add(n, true, unreg)
	}
	merged := map[string]*gazValue{}
	for _, e := range x.states.entries {
		if v, ok := merged[e.Form]; ok {
			if v.code == e.State {
				v.flags |= e.Flags
			}
			continue
		}
		v := &gazValue{kind: gazState, code: e.State, flags: e.Flags}
		if e.State == "" {
			v.kind = gazBlock
		}
		merged[e.Form] = v
		x.gaz.add(e.Form, false, v)
	}
	x.gaz.finish()
	return x
})

type mentionKind uint8

const (
	mentionState mentionKind = iota
	mentionInstrument
	mentionGeneric      // "the Convention": code is what it resolved to, or ""
	mentionUnregistered // a named instrument outside the registry
	mentionLaw          // a national law: "Criminal Code", "Constitution", "Aliens Act"
)

type mention struct {
	start, end int // bytes
	tok        int // index of the first word
	kind       mentionKind
	code       string
	word       string // generic word
}

// scan is one text under extraction.
type scan struct {
	x    *extractorData
	m    matcher
	c    Context
	ctx  *Instrument // the context's instrument
	ms   []mention
	syms []SymbolMatch
	refs []Reference
	// pooled holds the word list's backing array, from tokenPool.
	pooled *[]token
}

func (x *extractorData) references(text string, c Context) []Reference {
	s := x.scan(text, c)
	defer s.release()
	return s.refs
}

// tokenPool recycles the word lists of scans.
var tokenPool = sync.Pool{New: func() any { return new([]token) }}

// release returns the scan's scratch space; the scan must not be used after.
func (s *scan) release() {
	if s.pooled != nil {
		*s.pooled = s.m.toks[:0]
		tokenPool.Put(s.pooled)
		s.pooled = nil
		s.m.toks = nil
	}
}

// scan runs the extraction over text.
func (x *extractorData) scan(text string, c Context) *scan {
	s := &scan{x: x, c: c}
	s.pooled = tokenPool.Get().(*[]token)
	s.m = matcher{g: x.gaz, s: text, toks: tokenize(text, *s.pooled)}
	if in, ok := x.instr.byShort[c.Instrument]; ok {
		s.ctx = in
	}
	s.syms = FindSymbols(text)
	s.findMentions()
	s.findArticles()
	for _, sm := range s.syms {
		s.refs = append(s.refs, Reference{Kind: RefSymbol, Start: sm.Start, End: sm.End, Value: sm.Symbol.Normalized})
		if sm.Symbol.State != "" {
			s.refs = append(s.refs, Reference{Kind: RefState, Start: sm.Start, End: sm.End, Value: sm.Symbol.State})
		}
	}
	for _, mt := range s.ms {
		switch {
		case mt.kind == mentionState:
			s.refs = append(s.refs, Reference{Kind: RefState, Start: mt.start, End: mt.end, Value: mt.code})
		case (mt.kind == mentionInstrument || mt.kind == mentionGeneric) && mt.code != "":
			s.refs = append(s.refs, Reference{Kind: RefInstrument, Start: mt.start, End: mt.end, Value: mt.code})
		}
	}
	slices.SortStableFunc(s.refs, func(a, b Reference) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return s
}

// findMentions for extractor's helpers outside a scan (NormalizeInstrument).
func (x *extractorData) findMentions(text string, c *Context) []mention {
	s := &scan{x: x}
	if c != nil {
		s.c = *c
	}
	s.m = matcher{g: x.gaz, s: text, toks: tokenize(text, nil)}
	s.findMentions()
	return s.ms
}

// mentionAt returns the index of the mention that starts at word k, or -1.
func (s *scan) mentionAt(k int) int {
	j := sort.Search(len(s.ms), func(i int) bool { return s.ms[i].tok >= k })
	if j < len(s.ms) && s.ms[j].tok == k {
		return j
	}
	return -1
}

func (s *scan) word(i int) string {
	if i < 0 || i >= len(s.m.toks) {
		return ""
	}
	return s.m.word(i)
}

// gapBefore is the text between word i-1 and word i.
func (s *scan) gapBefore(i int) string {
	if i <= 0 || i >= len(s.m.toks) {
		return ""
	}
	return s.m.s[s.m.toks[i-1].end:s.m.toks[i].start]
}

func isSpaceGap(g string) bool {
	return g != "" && strings.Trim(g, " \u00a0\t\n") == ""
}

func capitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func (s *scan) findMentions() {
	toks := s.m.toks
	si := 0 // next symbol
	for i := 0; i < len(toks); {
		t := toks[i]
		for si < len(s.syms) && s.syms[si].End <= t.start {
			si++
		}
		if si < len(s.syms) && s.syms[si].Start <= t.start {
			i++ // words of a UN symbol ("CAT" in CAT/C/…) name nothing
			continue
		}
		if p, n := s.m.longest(i); p != nil {
			end := toks[i+n-1].end
			switch p.val.kind {
			case gazState:
				if s.stateCounts(i, n, p.val.flags) {
					s.add(mention{start: t.start, end: end, tok: i, kind: mentionState, code: p.val.code})
				}
			case gazInstrument:
				s.add(mention{start: t.start, end: end, tok: i, kind: mentionInstrument, code: p.val.code})
			case gazUnregistered:
				s.add(mention{start: t.start, end: end, tok: i, kind: mentionUnregistered})
			}
			i += n
			continue
		}
		w := s.m.word(i)
		if !maybeSpecial(w) {
			i++
			continue
		}
		if g, n := s.genericAt(i); g != "" {
			end := toks[i+n-1].end
			// "the Optional Protocol to the Convention": the protocol of the
			// instrument the second generic word means.
			if g == "Protocol" && s.word(i+n) == "to" && s.word(i+n+1) == "the" && genericWords[s.word(i+n+2)] &&
				isSpaceGap(s.gapBefore(i+n)) && !s.namedUnknown(i+n+2, 1) {
				code := ""
				if parent := s.resolveGeneric(s.word(i + n + 2)); parent != "" {
					if child := s.childOf(parent, g); child != nil {
						code = child.Short
					}
				}
				s.add(mention{start: t.start, end: toks[i+n+2].end, tok: i, kind: mentionGeneric, word: g, code: code})
				i += n + 3
				continue
			}
			if s.namedUnknown(i, n) {
				s.add(mention{start: t.start, end: end, tok: i, kind: mentionUnregistered})
			} else {
				code := ""
				if anaphoric[s.word(i-1)] && isSpaceGap(s.gapBefore(i)) {
					code = s.precedingWithGeneric(g) // "article 9 of that Convention"
				}
				if code == "" {
					code = s.resolveGeneric(g)
				}
				s.add(mention{start: t.start, end: end, tok: i, kind: mentionGeneric, word: g, code: code})
			}
			i += n
			continue
		}
		if lawWords[w] {
			s.add(mention{start: t.start, end: t.end, tok: i, kind: mentionLaw})
		}
		i++
	}
}

func (s *scan) add(mt mention) {
	s.ms = append(s.ms, mt)
}

// maybeSpecial filters the words that may be generic words or law words:
// capitalised ones and "constitution".
func maybeSpecial(w string) bool {
	c := w[0]
	return c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c == 'c'
}

// genericWords are the words a text uses for an instrument it does not name.
var genericWords = map[string]bool{
	"Convention": true, "Covenant": true, "Protocol": true, "Rules": true, "Declaration": true,
	"Convención": true, "Pacto": true, "Convenio": true, "Protocolo": true, "Reglas": true, "Declaración": true,
	"Pacte": true, "Déclaration": true,
}

// genericAt returns the generic word at word i and how many words it takes
// ("Optional Protocol" is two).
func (s *scan) genericAt(i int) (string, int) {
	w := s.m.word(i)
	switch {
	case w == "Optional" && s.word(i+1) == "Protocol" && isSpaceGap(s.gapBefore(i+1)):
		return "Protocol", 2
	case w == "Protocolo" && s.word(i+1) == "Facultativo" && isSpaceGap(s.gapBefore(i+1)):
		return "Protocolo", 2
	case genericWords[w]:
		return w, 1
	}
	return "", 0
}

// determiners may stand between a capitalised word and a generic one, or
// between "of" and an instrument's name.
var determiners = map[string]bool{
	"the": true, "The": true, "this": true, "This": true, "that": true, "That": true, "said": true, "present": true,
	"Present": true, "same": true, "aforementioned": true, "above": true, "mentioned": true, "UN": true, "U": true, "N": true,
	"United": true, "Nations": true, "la": true, "La": true, "el": true, "El": true, "los": true, "las": true, "esta": true,
	"este": true, "Esta": true, "Este": true, "dicha": true, "dicho": true, "presente": true, "misma": true, "mismo": true,
	"le": true, "Le": true, "les": true, "cette": true, "Cette": true, "ce": true, "l": true, "L": true, "such": true, "Such": true,
	"whole": true, "entire": true,
}

// namedUnknown reports whether the generic word at i (n words) is part of the
// name of an instrument outside the registry: "Vienna Convention", "1967
// Protocol", "Convention on the Law of the Sea", "Rules of Procedure".
func (s *scan) namedUnknown(i, n int) bool {
	if i > 0 && isSpaceGap(s.gapBefore(i)) {
		pw := s.word(i - 1)
		if allDigits(pw) || capitalized(pw) && !determiners[pw] {
			return true
		}
	}
	j := i + n
	if j >= len(s.m.toks) || !isSpaceGap(s.gapBefore(j)) {
		return false
	}
	nw := s.word(j)
	switch nw {
	case "sobre", "contra", "para", "relativa", "relativo", "relative", "relatif", "contre", "pour", "Interamericana", "Europea", "Internacional":
		return true
	case "de", "del":
		w := s.word(j + 1)
		return w != "" && (capitalized(w) || allDigits(w))
	case "on", "against", "relating", "concerning", "of":
		k := j + 1
		for s.word(k) == "the" || s.word(k) == "to" {
			k++
		}
		w := s.word(k)
		if w == "" || !capitalized(w) && !(nw == "of" && allDigits(w)) {
			return false
		}
		return !s.notATitleWord(k)
	case "for":
		if s.word(j+1) != "the" {
			return false
		}
		w := s.word(j + 2)
		return capitalized(w) && (strings.HasSuffix(w, "ion") || strings.HasSuffix(w, "ions"))
	}
	return false
}

// notATitleWord reports whether the capitalised word at k is a state or an
// institution rather than the start of an instrument's title.
func (s *scan) notATitleWord(k int) bool {
	switch s.word(k) {
	case "State", "States", "Government", "Committee", "Court", "Article", "Special", "Secretary":
		return true
	}
	p, _ := s.m.longest(k)
	return p != nil && p.val.kind == gazState
}

// lawWords mark national laws; references to their articles are dropped.
var lawWords = map[string]bool{
	"Code": true, "Act": true, "Constitution": true, "constitution": true, "Law": true, "Decree": true, "Ordinance": true,
	"Statute": true, "Bill": true, "Regulations": true, "Charter": true, "Constitución": true, "Ley": true, "Código": true,
	"Decreto": true, "Reglamento": true, "Loi": true, "Codex": true,
}

// resolveGeneric finds the instrument a generic word means: the context's
// (or, for a protocol, its parent's), else the nearest preceding named
// instrument a text may call so.
func (s *scan) resolveGeneric(g string) string {
	if in := s.ctx; in != nil {
		if in.hasGeneric(g) {
			return in.Short
		}
		if p := s.x.instr.byShort[in.Parent]; p != nil && p.hasGeneric(g) {
			return p.Short
		}
	}
	if code := s.precedingWithGeneric(g); code != "" {
		return code
	}
	if s.ctx != nil {
		if child := s.childOf(s.ctx.Short, g); child != nil && child.ParentCallsIt {
			return child.Short
		}
	}
	return ""
}

// anaphoric words point a generic word back to the instrument last named.
var anaphoric = map[string]bool{
	"that": true, "said": true, "same": true, "latter": true, "aforementioned": true, "dicha": true, "dicho": true,
	"esa": true, "ese": true, "misma": true, "mismo": true, "cette": true,
}

// precedingWithGeneric returns the nearest preceding named instrument that a
// text may call g.
func (s *scan) precedingWithGeneric(g string) string {
	for k := len(s.ms) - 1; k >= 0; k-- {
		mt := s.ms[k]
		if mt.kind != mentionInstrument {
			continue
		}
		if in := s.x.instr.byShort[mt.code]; in != nil && in.hasGeneric(g) {
			return in.Short
		}
	}
	return ""
}

// childOf returns the protocol to parent that a text may call by g.
func (s *scan) childOf(parent, g string) *Instrument {
	for _, in := range s.x.instr.list {
		if in.Parent == parent && in.hasGeneric(g) {
			return in
		}
	}
	return nil
}

// Words after a strict demonym that make it name a state ("American citizens").
var strictNouns = map[string]bool{
	"citizen": true, "citizens": true, "citizenship": true, "national": true, "nationals": true, "nationality": true,
	"authorities": true, "authority": true, "government": true, "courts": true, "court": true, "police": true,
	"army": true, "forces": true, "military": true, "officials": true, "official": true, "soldiers": true, "troops": true,
	"security": true, "intelligence": true, "embassy": true, "consulate": true, "prison": true, "prisons": true,
	"prisoners": true, "jails": true, "jail": true, "detention": true, "territory": true, "soil": true, "border": true,
	"legislation": true, "law": true, "laws": true, "constitution": true, "supreme": true, "federal": true,
	"ministry": true, "state": true, "immigration": true, "administration": true, "president": true,
	"judiciary": true, "justice": true, "passport": true, "agents": true, "officers": true, "deportation": true,
	"deportations": true, "custody": true, "congress": true, "senate": true, "department": true,
}

// Words around a demonym that make it name a language ("in French", "the Spanish text").
var languageBefore = map[string]bool{
	"in": true, "into": true, "speaks": true, "speak": true, "spoke": true, "speaking": true, "spoken": true, "translated": true,
	"en": true,
}
var languageAfter = map[string]bool{
	"language": true, "languages": true, "text": true, "texts": true, "version": true, "versions": true,
	"translation": true, "translations": true, "translator": true, "translators": true, "speaker": true,
	"speakers": true, "speaking": true, "interpreter": true, "interpreters": true, "interpretation": true,
	"dialect": true, "original": true, "lessons": true, "course": true, "courses": true, "language-speaking": true,
}

// titles before a person's name.
var personTitles = map[string]bool{
	"Mr": true, "Ms": true, "Mrs": true, "Miss": true, "Dr": true, "Judge": true, "Mister": true, "Sr": true,
	"Sra": true, "Señor": true, "Señora": true, "Mme": true, "M": true, "Prof": true, "Professor": true,
}

// Capitalised words that may stand beside a state's name without making it a
// person's ("In Jordan", "Israel Defense Forces").
var functionCaps = map[string]bool{
	"The": true, "In": true, "And": true, "To": true, "For": true, "From": true, "Of": true, "On": true, "At": true,
	"By": true, "With": true, "Both": true, "Neither": true, "Between": true, "Against": true, "Including": true,
	"Like": true, "Unlike": true, "Only": true, "Also": true, "But": true, "While": true, "Whereas": true,
	"Although": true, "When": true, "If": true, "Since": true, "As": true, "Until": true, "Under": true,
	"Within": true, "Then": true, "Before": true, "After": true, "During": true, "Thus": true, "However": true,
	"Moreover": true, "En": true, "Y": true, "De": true, "Del": true, "La": true, "El": true, "Visit": true, "Mission": true,
	"Government": true, "Police": true, "Army": true, "Armed": true, "Court": true, "Courts": true, "Supreme": true,
	"Ministry": true, "Parliament": true, "National": true, "State": true, "Defense": true, "Defence": true,
	"Forces": true, "Security": true, "Embassy": true, "Constitution": true, "Code": true, "Republic": true,
	"High": true, "Commission": true, "Office": true, "Department": true, "Service": true, "Authorities": true,
	"Intelligence": true, "Immigration": true, "Human": true, "Civil": true, "Penal": true, "Criminal": true,
	"Law": true, "Act": true, "Prison": true, "Prisons": true, "Federal": true, "Central": true, "Independent": true,
	"Public": true, "Penitentiary": true, "Border": true, "Interior": true, "Foreign": true, "General": true,
	"Bar": true, "Ombudsman": true, "Migration": true, "Refugee": true, "President": true, "Prime": true,
	"Kingdom": true, "Special": true, "Rapporteur": true, "Committee": true, "Report": true, "Country": true,
}

// inLanguageList reports whether word i continues a list of capitalised
// words that "in" opens: "in English, French and Spanish".
func (s *scan) inLanguageList(i int) bool {
	k := i
	for n := 0; n < 8 && k > 0; n++ {
		gap := strings.TrimSpace(s.gapBefore(k))
		switch w := s.word(k - 1); {
		case gap == "," && capitalized(w):
			k--
			continue
		case (w == "and" || w == "or") && (gap == "") && k >= 2 && capitalized(s.word(k-2)):
			k -= 2
			continue
		}
		break
	}
	return k < i && languageBefore[s.word(k-1)] && isSpaceGap(s.gapBefore(k))
}

// stateCounts applies a state name's flags at word i (n words).
func (s *scan) stateCounts(i, n int, f stateFlags) bool {
	prev, next := "", ""
	if i > 0 {
		prev = s.word(i - 1)
	}
	if i+n < len(s.m.toks) {
		next = s.word(i + n)
	}
	nextGap := s.gapBefore(i + n)
	if f&flagStrict != 0 && !(isSpaceGap(nextGap) && strictNouns[lowerWord(next)]) {
		return false
	}
	if f&flagDemonym != 0 {
		if languageBefore[prev] && isSpaceGap(s.gapBefore(i)) || languageAfter[lowerWord(next)] || s.inLanguageList(i) {
			return false
		}
	}
	if f&flagPerson != 0 {
		pg := s.gapBefore(i)
		if personTitles[prev] && (isSpaceGap(pg) || strings.TrimSpace(pg) == ".") {
			return false
		}
		if prev != "" && isSpaceGap(pg) && capitalized(prev) && !functionCaps[prev] {
			if p, _ := s.m.longest(i - 1); p == nil || p.val.kind != gazState {
				return false
			}
		}
		if next != "" && isSpaceGap(nextGap) && capitalized(next) && !functionCaps[next] {
			return false
		}
	}
	return true
}
