package corpus

import (
	"embed"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The registries are data, embedded from corpus/data:
//
//	instruments.json  the instrument registry (hand-written)
//	iso3166.tsv       ISO 3166-1 codes and names (generated from Debian iso-codes by internal/isogen)
//	states.tsv        alternative state names, demonyms and blockers (hand-written)
//
//go:generate go run ./internal/isogen -o data/iso3166.tsv
//go:embed data/instruments.json data/iso3166.tsv data/states.tsv
var dataFS embed.FS

// token is a word of a text: a maximal run of letters, digits and combining
// marks, as byte offsets.
type token struct{ start, end int }

// tokenize appends the words of s to out[:0].
func tokenize(s string, out []token) []token {
	out = out[:0]
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !asciiWord[c] {
			i++
			continue
		}
		if !wordRuneAt(s, i) {
			i += runeLen(s, i)
			continue
		}
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if !asciiWord[c] {
					break
				}
				j++
				continue
			}
			if !wordRuneAt(s, j) {
				break
			}
			j += runeLen(s, j)
		}
		out = append(out, token{i, j})
		i = j
	}
	return out
}

// asciiWord marks the ASCII bytes that belong to words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func runeLen(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

func wordRuneAt(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// softGap reports whether the text between two words of a phrase may be
// written freely: spaces, hyphens, apostrophes and commas.
func softGap(g string) bool {
	if g == "" {
		return false
	}
	for _, r := range g {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00a0', '\u202f', '-', '\u2010', '\u2011', '\u2013', '\'', '\u2019', ',':
		default:
			return false
		}
	}
	return true
}

// phrase is one name in a gazetteer.
type phrase struct {
	words []string
	// gaps[i] is the text required between words i and i+1, or "" where any
	// soft gap will do.
	gaps []string
	fold bool
	val  *gazValue
}

// gazValue is what a phrase stands for.
type gazValue struct {
	kind  gazKind
	code  string // state alpha-2 or instrument short name
	flags stateFlags
}

type gazKind uint8

const (
	gazBlock        gazKind = iota // names nothing; its words are not matched otherwise
	gazState                       // a state's name or demonym
	gazInstrument                  // a registered instrument
	gazUnregistered                // a named instrument outside the registry
)

type stateFlags uint8

const (
	flagDemonym stateFlags = 1 << iota
	flagStrict             // counts only before an allowed noun ("American citizens")
	flagPerson             // also a given or family name ("Chad", "Jordan")
)

// gazetteer matches phrases over a text's words, leftmost-longest, in one
// pass. Phrases are keyed by their first word (lower-cased for folded ones).
type gazetteer struct {
	// first maps a phrase's lower-cased first word to the phrases it opens.
	first map[string]*firstWord
	// shapes marks the shapes (wordShape) of first's keys: most words of
	// a text have a shape no key has, and are ruled out without folding
	// them and looking them up.
	shapes *[1 << 19 / 64]uint64
}

// wordShape sums up a word in 19 bits: its length (up to 15) and the low
// five bits of its first, second and last bytes, which are the same for an
// ASCII letter's two cases. An ASCII word lower-cased keeps its shape.
func wordShape(w string) uint32 {
	second := byte(0)
	if len(w) > 1 {
		second = w[1]
	}
	return uint32(min(len(w), 15))<<15 | uint32(w[0]&31)<<10 | uint32(second&31)<<5 | uint32(w[len(w)-1]&31)
}

// mayOpen reports whether w may be a key of first once lower-cased: false
// for an ASCII word whose shape no key has.
func (g *gazetteer) mayOpen(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return true // lower-casing may change its bytes and length
		}
	}
	sh := wordShape(w)
	return g.shapes[sh/64]&(1<<(sh%64)) != 0
}

// firstWord holds the phrases that open with one word: folded ones, which
// match in any case, and exact ones, keyed by the word as written.
type firstWord struct {
	fold  []*phrase
	exact map[string][]*phrase
}

func newGazetteer() *gazetteer {
	return &gazetteer{first: map[string]*firstWord{}, shapes: new([1 << 19 / 64]uint64)}
}

// add registers name. It reports false if the name has no words or was
// already present (the first registration wins).
func (g *gazetteer) add(name string, fold bool, v *gazValue) bool {
	toks := tokenize(name, nil)
	if len(toks) == 0 {
		return false
	}
	p := &phrase{fold: fold, val: v}
	for i, t := range toks {
		w := name[t.start:t.end]
		if fold {
			w = lowerWord(w)
		}
		p.words = append(p.words, w)
		if i > 0 {
			gap := name[toks[i-1].end:t.start]
			if softGap(gap) {
				gap = ""
			}
			p.gaps = append(p.gaps, gap)
		}
	}
	key := lowerWord(p.words[0])
	fw := g.first[key]
	if fw == nil {
		fw = &firstWord{exact: map[string][]*phrase{}}
		g.first[key] = fw
		sh := wordShape(key)
		g.shapes[sh/64] |= 1 << (sh % 64)
	}
	list := &fw.fold
	if !fold {
		l := fw.exact[p.words[0]]
		list = &l
		defer func() { fw.exact[p.words[0]] = l }()
	}
	for _, q := range *list {
		if equalStrings(q.words, p.words) && equalStrings(q.gaps, p.gaps) {
			return false
		}
	}
	*list = append(*list, p)
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// finish orders each word's phrases longest first.
func (g *gazetteer) finish() {
	byLength := func(ps []*phrase) {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
	}
	for _, fw := range g.first {
		byLength(fw.fold)
		for _, ps := range fw.exact {
			byLength(ps)
		}
	}
}

// lowerWord lower-cases a word; ASCII words without upper case are returned
// as they are.
func lowerWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return toLower(w)
		}
	}
	return w
}

func toLower(w string) string {
	b := make([]byte, 0, len(w))
	for _, r := range w {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return string(b)
}

// matcher holds the scratch space of one matching pass.
type matcher struct {
	g    *gazetteer
	s    string
	toks []token
	buf  []byte // scratch space for folded
}

// folded returns w lower-cased in scratch space that the next call reuses.
// Callers index maps with string(m.folded(w)), which does not allocate.
func (m *matcher) folded(w string) []byte {
	m.buf = m.buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			m.buf = append(m.buf[:0], lowerWord(w)...)
			return m.buf
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		m.buf = append(m.buf, c)
	}
	return m.buf
}

func (m *matcher) word(i int) string { return m.s[m.toks[i].start:m.toks[i].end] }

// longest returns the longest phrase starting at word i and its length in words.
func (m *matcher) longest(i int) (*phrase, int) {
	var best *phrase
	n := 0
	try := func(ps []*phrase) {
		for _, p := range ps {
			if len(p.words) <= n {
				return
			}
			if m.matches(p, i) {
				best, n = p, len(p.words)
				return
			}
		}
	}
	// Folded phrases (instrument names) first: on a tie they win.
	first := m.word(i)
	if !m.g.mayOpen(first) {
		return nil, 0
	}
	fw, ok := m.g.first[string(m.folded(first))]
	if !ok {
		return nil, 0
	}
	try(fw.fold)
	if len(fw.exact) > 0 {
		try(fw.exact[first])
	}
	return best, n
}

func (m *matcher) matches(p *phrase, i int) bool {
	if i+len(p.words) > len(m.toks) {
		return false
	}
	for k := 1; k < len(p.words); k++ {
		t := m.toks[i+k]
		w := m.s[t.start:t.end]
		if p.fold {
			if w != p.words[k] && !strings.EqualFold(w, p.words[k]) {
				return false
			}
		} else if w != p.words[k] {
			return false
		}
		gap := m.s[m.toks[i+k-1].end:t.start]
		if want := p.gaps[k-1]; want == "" && !softGap(gap) || want != "" && gap != want {
			return false
		}
	}
	return true
}
