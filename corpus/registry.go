package corpus

import (
	"embed"
	"sort"
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
		if !wordRuneAt(s, i) {
			i += runeLen(s, i)
			continue
		}
		j := i
		for j < len(s) && wordRuneAt(s, j) {
			j += runeLen(s, j)
		}
		out = append(out, token{i, j})
		i = j
	}
	return out
}

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
	exact map[string][]*phrase
	fold  map[string][]*phrase
}

func newGazetteer() *gazetteer {
	return &gazetteer{exact: map[string][]*phrase{}, fold: map[string][]*phrase{}}
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
	m := g.exact
	if fold {
		m = g.fold
	}
	for _, q := range m[p.words[0]] {
		if equalStrings(q.words, p.words) && equalStrings(q.gaps, p.gaps) {
			return false
		}
	}
	m[p.words[0]] = append(m[p.words[0]], p)
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
	for _, m := range []map[string][]*phrase{g.exact, g.fold} {
		for _, ps := range m {
			sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
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
	g     *gazetteer
	s     string
	toks  []token
	lower []string // lower-cased words, filled lazily
}

func (m *matcher) lowerAt(i int) string {
	if m.lower == nil {
		m.lower = make([]string, len(m.toks))
	}
	if m.lower[i] == "" {
		m.lower[i] = lowerWord(m.word(i))
	}
	return m.lower[i]
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
	if first := m.word(i); len(m.g.fold) > 0 {
		if ps, ok := m.g.fold[first]; ok {
			try(ps)
		} else if lw := m.lowerAt(i); lw != first {
			try(m.g.fold[lw])
		}
	}
	try(m.g.exact[m.word(i)])
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
			if w != p.words[k] && m.lowerAt(i+k) != p.words[k] {
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
