package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// FuzzTokenizerIsUnicode: the analyzers' tokenizer makes the tokens
// Bleve's unicode tokenizer makes, term, offsets, position and type, for
// any text: prose, numbers, abbreviations, apostrophes, diacritics,
// scripts without spaces, and text long enough to outgrow the first guess.
func FuzzTokenizerIsUnicode(f *testing.F) {
	for _, s := range []string{
		"", " ", "The State party's obligations under article 3(1) of the Convention, para. 2.2.",
		"U.S. e-mail 3.1415 1,000 O'Brien l'État aujourd'hui ¿Qué? Detención—arbitraria…",
		"日本語のテキスト 中文 한국어 ไทย", "a" + strings.Repeat("b", 300), "🙂 x\u200dy \t\n\r",
		strings.Repeat("word ", 500), strings.Repeat("x", 5) + strings.Repeat(" 1", 800),
	} {
		f.Add(s)
	}
	ours, bleves := wordTokenizer{}, unicode.NewUnicodeTokenizer()
	f.Fuzz(func(t *testing.T, s string) {
		got, want := describeTokens(ours.Tokenize([]byte(s))), describeTokens(bleves.Tokenize([]byte(s)))
		if got != want {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

func describeTokens(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%q %d-%d @%d t%d k%v|", t.Term, t.Start, t.End, t.Position, t.Type, t.KeyWord)
	}
	return b.String()
}
