package search

import (
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// definitionPrefixes are the words asking for a term's definition
// ("definition of torture", "qué es la tortura"), after corpus.FoldedWords.
var definitionPrefixes = [][]string{
	{"definition", "of"}, {"definition", "de"}, {"definicion", "de"}, {"meaning", "of"},
	{"concept", "of"}, {"concepto", "de"}, {"notion", "of"}, {"notion", "de"},
	{"what", "is"}, {"que", "es"}, {"qu", "est", "ce", "que"},
}

// definiteArticles may stand between such words and the term.
var definiteArticles = map[string]bool{"the": true, "a": true, "an": true, "el": true, "la": true, "los": true,
	"las": true, "le": true, "l": true, "les": true}

// definitionKeys returns the keys (corpus.DefinitionKey) of the term that
// nodes name, when they are plain words or one phrase naming a term of a
// few words ("torture", "deprivation of liberty", "definition of
// torture"), with its lexicon equivalents; nil otherwise.
func (s *Searcher) definitionKeys(nodes []Node) []string {
	var words []string
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Prefix {
			return nil
		}
		words = append(words, corpus.FoldedWords(t.Text)...)
	}
	for _, pre := range definitionPrefixes {
		if len(words) > len(pre) && slices.Equal(words[:len(pre)], pre) {
			words = words[len(pre):]
			break
		}
	}
	if len(words) > 1 && definiteArticles[words[0]] {
		words = words[1:]
	}
	if len(words) == 0 || len(words) > 4 {
		return nil
	}
	keys := []string{corpus.DefinitionKey(strings.Join(words, " "))}
	if exps := s.lex.Expand(words); len(exps) == 1 && exps[0].Start == 0 && exps[0].End == len(words) {
		for _, alt := range exps[0].Alternatives {
			if k := corpus.DefinitionKey(alt); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}
