package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

const testLexicon = `{
  "_comment": "a small lexicon for tests",
  "groups": [
    {"es": ["detención"], "en": ["detention", "Detention"]},
    {"en": ["fair trial", "due process"], "es": ["juicio justo"]},
    {"en": ["trial"], "es": ["juicio"]},
    {"en": ["ill-treatment"], "es": ["malos tratos"]},
    {"en": ["torture"], "es": ["tortura"]},
    {"en": ["torture victim"], "es": ["víctima de tortura"]}
  ]
}`

func TestParseLexiconExpand(t *testing.T) {
	lx, err := ParseLexicon([]byte(testLexicon))
	if err != nil {
		t.Fatal(err)
	}
	fair := []string{"due process", "juicio justo"}
	tests := []struct {
		name  string
		query string // normalised by corpus.FoldedWords, as the searcher does
		want  []Expansion
	}{
		{"one word", "torture", []Expansion{{Matched: "torture", Language: "en", Start: 0, End: 1, Alternatives: []string{"tortura"}}}},
		{"other language", "tortura", []Expansion{{Matched: "tortura", Language: "es", Start: 0, End: 1, Alternatives: []string{"torture"}}}},
		{"accent folded query", "detención", []Expansion{{Matched: "detencion", Language: "es", Start: 0, End: 1, Alternatives: []string{"detention"}}}},
		{"accent-free query meets accented term", "detencion", []Expansion{{Matched: "detencion", Language: "es", Start: 0, End: 1, Alternatives: []string{"detention"}}}},
		{"case folded, duplicate dropped", "DETENTION", []Expansion{{Matched: "detention", Language: "en", Start: 0, End: 1, Alternatives: []string{"detencion"}}}},
		{"multi-word span", "fair trial", []Expansion{{Matched: "fair trial", Language: "en", Start: 0, End: 2, Alternatives: fair}}},
		{"longest match first", "torture victim", []Expansion{{Matched: "torture victim", Language: "en", Start: 0, End: 2, Alternatives: []string{"victima de tortura"}}}},
		{"shorter entry inside a longer one", "trial", []Expansion{{Matched: "trial", Language: "en", Start: 0, End: 1, Alternatives: []string{"juicio"}}}},
		{"hyphen is a word break", "ill-treatment", []Expansion{{Matched: "ill treatment", Language: "en", Start: 0, End: 2, Alternatives: []string{"malos tratos"}}}},
		{"spans in context", "the fair trial of a torture victim in detention", []Expansion{
			{Matched: "fair trial", Language: "en", Start: 1, End: 3, Alternatives: fair},
			{Matched: "torture victim", Language: "en", Start: 5, End: 7, Alternatives: []string{"victima de tortura"}},
			{Matched: "detention", Language: "en", Start: 8, End: 9, Alternatives: []string{"detencion"}},
		}},
		{"a span is not restarted inside", "fair fair trial", []Expansion{{Matched: "fair trial", Language: "en", Start: 1, End: 3, Alternatives: fair}}},
		{"prefix of a phrase only", "fair", nil},
		{"longer entry cut short at the end", "victim torture", []Expansion{{Matched: "torture", Language: "en", Start: 1, End: 2, Alternatives: []string{"tortura"}}}},
		{"unknown words", "solitary confinement", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lx.Expand(corpus.FoldedWords(tt.query))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Expand(%q) =\n  %+v\nwant\n  %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseLexiconErrors(t *testing.T) {
	for _, doc := range []string{
		``,
		`{`,
		`{"groups": "torture"}`,
		`{"groups": [["torture", "tortura"]]}`, // the old format, without languages
		`{"groups": [{"en": ["torture", ""]}]}`,
		`{"groups": [{"en": ["torture"], "es": [" -, "]}]}`,
	} {
		if _, err := ParseLexicon([]byte(doc)); err == nil {
			t.Errorf("ParseLexicon(%q) = nil error, want one", doc)
		}
	}
	// A document without groups is an empty lexicon, which expands nothing.
	lx, err := ParseLexicon([]byte(`{"groups": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := lx.Expand([]string{"torture"}); got != nil {
		t.Errorf("empty lexicon expands: %+v", got)
	}
}

// TestEmbeddedLexicon checks the shipped lexicon: it loads, no term belongs to two groups (the first group would
// silently win), and every term is found as itself.
func TestEmbeddedLexicon(t *testing.T) {
	lx, err := LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if len(lx.groups) < 10 {
		t.Fatalf("embedded lexicon has %d groups", len(lx.groups))
	}
	groupOf := map[string]int{}
	for gi, g := range lx.groups {
		if len(g) < 2 {
			// Harmless (it expands to nothing) but probably not meant:
			// its spellings fold to one term.
			t.Logf("group %d %q has no alternative once accents are folded", gi, g)
		}
		for _, term := range g {
			if prev, ok := groupOf[term]; ok && prev != gi {
				t.Errorf("term %q is in group %d %q and group %d %q", term, prev, lx.groups[prev], gi, g)
			}
			groupOf[term] = gi
		}
	}
	for term, gi := range groupOf {
		words := strings.Fields(term)
		exps := lx.Expand(words)
		if len(exps) != 1 || exps[0].Start != 0 || exps[0].End != len(words) {
			t.Errorf("Expand(%q) = %+v, want one span over all of it", term, exps)
			continue
		}
		if len(exps[0].Alternatives) != len(lx.groups[gi])-1 {
			t.Errorf("Expand(%q) gives %d alternatives, want the %d others of its group", term, len(exps[0].Alternatives), len(lx.groups[gi])-1)
		}
		for _, a := range exps[0].Alternatives {
			if a == term {
				t.Errorf("Expand(%q) lists the term itself among its alternatives", term)
			}
		}
	}
	// The cross-lingual pairs the ranking relies on.
	for _, pair := range [][2]string{{"tortura", "torture"}, {"detencion", "detention"}, {"non refoulement", "no devolucion"}, {"fair trial", "garantias judiciales"}} {
		exps := lx.Expand(strings.Fields(pair[0]))
		if len(exps) != 1 || !lexContains(exps[0].Alternatives, pair[1]) {
			t.Errorf("Expand(%q) = %+v, want %q among the alternatives", pair[0], exps, pair[1])
		}
	}
}

func lexContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
