package search

import (
	"html"
	"strings"
	"testing"
	"unicode"
)

func TestWordBoundaries(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"…ion of <mark>Expulsion</mark> or Return", "… of <mark>Expulsion</mark> or Return"},
		{"Party shall <mark>expel</mark> a pers…", "Party shall <mark>expel</mark> a …"},
		{"…<mark>refouler</mark> or extra…", "…<mark>refouler</mark> or …"},
		{"…&#34;quoted&#34; text", "…&#34;quoted&#34; text"},
		{"whole text", "whole text"},
		{"…word", "…word"},
	} {
		if got := wordBoundaries(tc.in); got != tc.want {
			t.Errorf("wordBoundaries(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLeadSnippetEscapesAndCuts(t *testing.T) {
	long := "<b>x</b> & " + string(make([]byte, 0))
	for len(long) < 2*snippetMax {
		long += "word "
	}
	got := leadSnippet(long)
	if got[:len("&lt;b&gt;")] != "&lt;b&gt;" {
		t.Errorf("not escaped: %q", got[:20])
	}
	if len(got) > snippetMax+40 || got[len(got)-len("…"):] != "…" {
		t.Errorf("not cut at a word with an ellipsis: %q", got[len(got)-20:])
	}
}

// leadSnippetOfAllWords is leadSnippet as it was written first: on the
// whole text's words.
func leadSnippetOfAllWords(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= snippetMax {
		return html.EscapeString(text)
	}
	cut := snippetMax
	for cut > 0 && !unicode.IsSpace(rune(text[cut])) {
		cut--
	}
	if cut == 0 {
		cut = snippetMax
		for cut < len(text) && text[cut]&0xC0 == 0x80 {
			cut++
		}
	}
	return html.EscapeString(strings.TrimSpace(text[:cut])) + " …"
}

// FuzzLeadSnippet holds leadSnippet, which splits only the opening of a
// text into words, to the snippet of all its words.
func FuzzLeadSnippet(f *testing.F) {
	for _, s := range []string{"", "a b", strings.Repeat("word ", 80), strings.Repeat("é", 400), strings.Repeat("x", 298) + " ñññ yyy",
		strings.Repeat("ab\t\n ", 70) + strings.Repeat("€", 10), strings.Repeat("a", 299) + "\u00a0" + strings.Repeat("b", 10),
		strings.Repeat("z", 301) + "\xff\xfe " + "tail", strings.Repeat("q ", 149) + "日本語の文章です"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := leadSnippet(s), leadSnippetOfAllWords(s); got != want {
			t.Errorf("leadSnippet(%q) = %q, want %q", s, got, want)
		}
	})
}
