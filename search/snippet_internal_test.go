package search

import "testing"

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
