package search

import "testing"

func TestParsePrefix(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Term
	}{
		{"detent*", Term{Text: "detent", Prefix: true}},
		{"ab*", Term{Text: "ab*"}},         // too short: a plain word
		{"*tion", Term{Text: "*tion"}},     // leading wildcards are never wildcards
		{"de*ten*", Term{Text: "de*ten*"}}, // neither are inner ones
	} {
		got, ok := Parse(tc.in).(Term)
		if !ok || got != tc.want {
			t.Errorf("Parse(%q) = %#v, want %#v", tc.in, Parse(tc.in), tc.want)
		}
		if s := String(Parse(tc.in)); Parse(s) != Parse(tc.in) {
			t.Errorf("round trip of %q through %q changes it", tc.in, s)
		}
	}
}
