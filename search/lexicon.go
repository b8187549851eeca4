package search

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

//go:embed data/lexicon.json
var lexiconJSON []byte

// Lexicon holds groups of equivalent legal terms across English, Spanish
// and French. A query containing one term of a group also searches for the
// others, at a lower weight than what was typed: "tortura" reaches English
// passages, "fair trial" reaches "garantías judiciales".
type Lexicon struct {
	groups [][]string // normalised terms, each a space-joined word sequence
	byWord map[string][]entry
}

type entry struct {
	group int
	words []string
	lang  string
}

// Expansion is a span of the query recognised in the lexicon, and its
// equivalents.
type Expansion struct {
	Matched      string   // the normalised words of the query
	Language     string   // the language the matched term belongs to
	Start, End   int      // word positions in the query
	Alternatives []string // other terms of the group, normalised
}

// LoadLexicon parses the embedded lexicon.
func LoadLexicon() (*Lexicon, error) { return ParseLexicon(lexiconJSON) }

// ParseLexicon parses a lexicon document:
// {"groups": [{"en": ["torture"], "es": ["tortura"]}, …]}.
func ParseLexicon(b []byte) (*Lexicon, error) {
	var doc struct {
		Groups []map[string][]string `json:"groups"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx := &Lexicon{byWord: make(map[string][]entry)}
	for gi, g := range doc.Groups {
		var terms []string
		seen := map[string]bool{}
		langs := make([]string, 0, len(g))
		for lang := range g {
			langs = append(langs, lang)
		}
		sort.Strings(langs)
		for _, lang := range langs {
			for _, t := range g[lang] {
				words := corpus.FoldedWords(t)
				if len(words) == 0 {
					return nil, fmt.Errorf("lexicon: empty term in group %d", gi)
				}
				key := strings.Join(words, " ")
				if seen[key] {
					continue
				}
				seen[key] = true
				terms = append(terms, key)
				lx.byWord[words[0]] = append(lx.byWord[words[0]], entry{group: len(lx.groups), words: words, lang: lang})
			}
		}
		lx.groups = append(lx.groups, terms)
	}
	return lx, nil
}

// Expand finds, left to right and longest first, the lexicon terms among
// the query words (already normalised) and returns their equivalents.
func (lx *Lexicon) Expand(words []string) []Expansion {
	var out []Expansion
	for i := 0; i < len(words); {
		best := -1
		bestLen := 0
		lang := ""
		for _, e := range lx.byWord[words[i]] {
			if len(e.words) > bestLen && i+len(e.words) <= len(words) && equalWords(words[i:i+len(e.words)], e.words) {
				best, bestLen, lang = e.group, len(e.words), e.lang
			}
		}
		if best < 0 {
			i++
			continue
		}
		matched := strings.Join(words[i:i+bestLen], " ")
		var alts []string
		for _, t := range lx.groups[best] {
			if t != matched {
				alts = append(alts, t)
			}
		}
		out = append(out, Expansion{Matched: matched, Language: lang, Start: i, End: i + bestLen, Alternatives: alts})
		i += bestLen
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
