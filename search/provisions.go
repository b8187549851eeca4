package search

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/hrsearch/hrsearch/corpus"
)

// A provision typed by a lawyer names an instrument (by its short name, a
// treaty body's code, a title or an alias: "CAT", "CCPR", "Mandela Rules",
// "Pact of San José", "Convención Americana") and a number, in either
// order, perhaps with a word for article or rule between: "CAT 3",
// "ACHR 22(8)", "Torture Convention art 3", "article 3 of the CAT". The
// extractor reads the forms texts use; these are the forms queries use.

// provisionWords may stand between an instrument's name and its number.
var provisionWords = map[string]bool{
	"art": true, "arts": true, "article": true, "articles": true, "articulo": true, "articulos": true,
	"rule": true, "rules": true, "regla": true, "reglas": true, "para": true, "paragraph": true,
}

// ofWords may stand between a number and the instrument it is of.
var ofWords = map[string]bool{"of": true, "the": true, "de": true, "la": true, "del": true, "el": true}

// provisionNumber is an article's number with its paragraphs: 3, 22(8),
// 11(d), 5bis.
var provisionNumber = regexp.MustCompile(`^\(?(\d{1,3}[a-z]?)((?:\(\w{1,4}\))*)[.,;:)]?$`)

// instrumentName is one name of an instrument, as folded words.
type instrumentName struct {
	words []string
	short string
}

var instrumentNames = sync.OnceValue(func() map[string][]instrumentName {
	byFirst := map[string][]instrumentName{}
	add := func(name, short string) {
		words := corpus.FoldedWords(name)
		if len(words) == 0 {
			return
		}
		for _, n := range byFirst[words[0]] {
			if slices.Equal(n.words, words) {
				return
			}
		}
		byFirst[words[0]] = append(byFirst[words[0]], instrumentName{words, short})
	}
	for _, in := range corpus.Instruments() {
		add(in.Short, in.Short)
		if in.Body != "" {
			if b, ok := corpus.InstrumentOfBody(in.Body); ok && b.Short == in.Short {
				add(in.Body, in.Short)
			}
		}
		for _, n := range in.Names {
			add(n, in.Short)
		}
		for _, t := range in.Titles {
			add(t, in.Short)
		}
	}
	for _, ns := range byFirst {
		slices.SortFunc(ns, func(a, b instrumentName) int { return len(b.words) - len(a.words) }) // longest first
	}
	return byFirst
})

// provToken is a word of a query read for provisions: a folded word, or a
// number with its paragraphs.
type provToken struct {
	word     string
	num, sub string // "22", "(8)"
}

func provTokens(words []string) []provToken {
	var out []provToken
	for _, w := range words {
		if m := provisionNumber.FindStringSubmatch(strings.ToLower(w)); m != nil {
			out = append(out, provToken{num: m[1], sub: m[2]})
			continue
		}
		for _, f := range corpus.FoldedWords(w) {
			out = append(out, provToken{word: f})
		}
	}
	return out
}

// nameAt returns the instrument whose name starts at toks[i], and the
// tokens it spans (the longest name).
func nameAt(toks []provToken, i int) (string, int) {
	if toks[i].word == "" {
		return "", 0
	}
	for _, n := range instrumentNames()[toks[i].word] {
		if i+len(n.words) > len(toks) {
			continue
		}
		ok := true
		for k, w := range n.words {
			if toks[i+k].word != w {
				ok = false
				break
			}
		}
		if ok {
			return n.short, len(n.words)
		}
	}
	return "", 0
}

// queryProvisions returns the provisions the query's words name in the
// forms above ("CAT 3", "ACHR 22(8)"), and their instruments.
func queryProvisions(words []string) (articles, instruments []string) {
	toks := provTokens(words)
	add := func(short string, t provToken) {
		a := short + " " + strings.ToUpper(t.num) + t.sub
		if !slices.Contains(articles, a) {
			articles = append(articles, a)
		}
		if !slices.Contains(instruments, short) {
			instruments = append(instruments, short)
		}
	}
	for i := 0; i < len(toks); i++ {
		// NAME [article] NUMBER
		if short, n := nameAt(toks, i); n > 0 {
			j := i + n
			for j < len(toks) && provisionWords[toks[j].word] {
				j++
			}
			if j < len(toks) && toks[j].num != "" {
				add(short, toks[j])
				i = j
				continue
			}
			i += n - 1
			continue
		}
		// article NUMBER [of the] NAME
		if provisionWords[toks[i].word] && i+1 < len(toks) && toks[i+1].num != "" {
			j := i + 2
			for j < len(toks) && ofWords[toks[j].word] {
				j++
			}
			if j < len(toks) {
				if short, n := nameAt(toks, j); n > 0 {
					add(short, toks[i+1])
					i = j + n - 1
				}
			}
		}
	}
	return articles, instruments
}

// instrumentOf reads an instrument filter value: a short name, a treaty
// body's code, a name or alias ("Mandela Rules", "Pacto de San José"), or
// words of the names of one instrument alone ("Mandela").
func instrumentOf(v string) (string, bool) {
	if in, ok := corpus.LookupInstrument(v); ok {
		return in.Short, true
	}
	if in, ok := corpus.InstrumentOfBody(v); ok {
		return in.Short, true
	}
	words := corpus.FoldedWords(v)
	if len(words) == 0 {
		return "", false
	}
	toks := provTokens([]string{v})
	if short, n := nameAt(toks, 0); n > 0 && n == len(toks) {
		return short, true
	}
	found := ""
	for _, ns := range instrumentNames() {
		for _, n := range ns {
			if !containsRun(n.words, words) {
				continue
			}
			if found != "" && found != n.short {
				return "", false // words of several instruments' names
			}
			found = n.short
		}
	}
	if found == "" || isGenericWord(found, words) {
		return "", false
	}
	return found, true
}

// containsRun reports whether words holds run, contiguous.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// isGenericWord reports whether words are only a generic word of the
// instrument ("Convention"), which names none by itself.
func isGenericWord(short string, words []string) bool {
	in, ok := corpus.LookupInstrument(short)
	if !ok {
		return false
	}
	for _, g := range in.Generic {
		if slices.Equal(corpus.FoldedWords(g), words) {
			return true
		}
	}
	return false
}
