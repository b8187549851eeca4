package search

import (
	"regexp"
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

var refWords = map[string]bool{
	"article": true, "articles": true, "art": true, "arts": true, "artículo": true, "articulo": true,
	"artículos": true, "articulos": true, "rule": true, "rules": true, "regla": true, "reglas": true,
	"of": true, "the": true, "de": true, "la": true, "del": true, "paragraph": true, "para": true,
}

var articleNumber = regexp.MustCompile(`^\(?\d+[a-z]?(\(\w+\))*[.,;:)]?$`)

// referenceText is the query's words as the extractor should read them
// for references: instrument abbreviations and treaty-body codes as they
// are printed ("iccpr article 7", "CCPR art. 7" → "ICCPR article 7"), and
// UN symbols upper-cased ("cat/c/gc/4"). The words searched are unchanged.
func referenceText(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		trimmed := strings.Trim(w, ".,;:")
		switch {
		case strings.Contains(w, "/"):
			out[i] = strings.ToUpper(w)
		case trimmed == "":
		default:
			if in, ok := corpus.LookupInstrument(trimmed); ok {
				out[i] = in.Short
			} else if in, ok := corpus.InstrumentOfBody(trimmed); ok {
				out[i] = in.Short
			}
		}
	}
	return strings.Join(out, " ")
}

// dropSymbolWords removes the words that are the symbols the query names:
// the symbol clause searches them.
func dropSymbolWords(nodes []Node, symbols []string) []Node {
	var out []Node
	for _, n := range nodes {
		if t, ok := n.(Term); ok && !t.Phrase && !t.Prefix {
			if sym, err := corpus.ParseSymbol(strings.ToUpper(strings.Trim(t.Text, ".,;:"))); err == nil && slices.Contains(symbols, sym.Normalized) {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// dropReferenceWords removes from a query that names a provision the words
// that only name it ("CAT", "article", "3"), so that they do not match every
// passage containing "article".
func dropReferenceWords(nodes []Node, instruments []string) []Node {
	names := map[string]bool{}
	for _, in := range instruments {
		names[strings.ToLower(in)] = true
		if inst, ok := corpus.LookupInstrument(in); ok {
			for _, n := range inst.Names {
				for _, w := range strings.Fields(n) {
					names[strings.ToLower(strings.Trim(w, ".,;:()"))] = true
				}
			}
			for _, t := range inst.Titles {
				for _, w := range strings.Fields(t) {
					names[strings.ToLower(strings.Trim(w, ".,;:()"))] = true
				}
			}
		}
	}
	var out []Node
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Phrase {
			out = append(out, n)
			continue
		}
		w := strings.ToLower(strings.Trim(t.Text, ".,;:"))
		if t.Prefix {
			out = append(out, n)
			continue
		}
		if refWords[w] || names[w] || articleNumber.MatchString(w) || strings.HasPrefix(w, "art.") {
			continue
		}
		out = append(out, n)
	}
	return out
}
