package corpus

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestDehyphenate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"line end", "en el te-\nrritorio de un Estado", "en el territorio de un Estado"},
		{"space after hyphen", "en el te- rritorio de un Estado", "en el territorio de un Estado"},
		{"indented continuation", "dere-\n   cho", "derecho"},
		{"no hyphen", "plain text\nover lines", "plain text\nover lines"},
		{"compound mid-line kept", "the non-refoulement principle", "the non-refoulement principle"},
		{"compound prefix at line end", "the principle of non-\nrefoulement", "the principle of non-refoulement"},
		{"compound seen elsewhere", "auto-incriminación y la auto-\nincriminación", "auto-incriminación y la auto-incriminación"},
		{"joined form seen elsewhere wins over prefix", "preservar; pre-\nservar", "preservar; preservar"},
		{"suspended compound", "pre- and post-trial detention", "pre- and post-trial detention"},
		{"suspended Spanish", "socio- y económico", "socio- y económico"},
		{"upper-case continuation", "anti-\nAmerican", "anti-\nAmerican"},
		{"digit continuation", "pre-\n1951 events", "pre-\n1951 events"},
		{"two line breaks are a paragraph", "te-\n\nrritorio", "te-\n\nrritorio"},
		{"dash between words", "rights - all of them", "rights - all of them"},
		{"trailing hyphen", "an unfinished line-", "an unfinished line-"},
		{"syllable to", "14 de agos-\nto de 1984", "14 de agosto de 1984"},
		{"two in a row", "con-\ntra-\nparte", "contraparte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Dehyphenate(tt.in); got != tt.want {
				t.Errorf("Dehyphenate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// stripHyphenSpace removes what Dehyphenate may remove: hyphens and white
// space.
func stripHyphenSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func FuzzDehyphenate(f *testing.F) {
	for _, s := range []string{
		"te-\nrritorio", "te- rritorio", "non-\nrefoulement", "pre- and post-", "a-\n\nb",
		"-", "--\n-", "x-\u00a0y", "é-\nñ", "\xff-\nab", "auto-\nincriminación autoincriminación",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Dehyphenate(s)
		if len(got) > len(s) {
			t.Fatalf("output longer than input: %q -> %q", s, got)
		}
		// Only hyphens and white space are ever removed.
		if stripHyphenSpace(got) != stripHyphenSpace(s) {
			t.Fatalf("changed more than hyphens and spaces: %q -> %q", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from valid input: %q -> %q", s, got)
		}
		if !strings.Contains(s, "-") && got != s {
			t.Fatalf("text without hyphens changed: %q -> %q", s, got)
		}
		if again := Dehyphenate(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
