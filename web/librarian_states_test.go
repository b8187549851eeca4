package web

import (
	"slices"
	"strings"
	"testing"
)

func TestStatesFromFields(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want []string
		err  string
	}{
		{[]string{"SV"}, []string{"SV"}, ""},
		{[]string{"Switzerland"}, []string{"CH"}, ""},
		{[]string{"El Salvador, fr"}, []string{"SV", "FR"}, ""},
		{[]string{"sv ch"}, []string{"SV", "CH"}, ""},
		{[]string{"CHE; Suiza"}, []string{"CH"}, ""},
		{[]string{"SV", "GT"}, []string{"SV", "GT"}, ""},
		{[]string{""}, nil, ""},
		{[]string{"Narnia"}, nil, `"Narnia" is not a state`},
		{[]string{"Switzerlandia"}, nil, `"Switzerlandia"`},
	} {
		got, err := statesFromFields(tt.in)
		if tt.err != "" {
			_, _, msg := errorResponse(err)
			if err == nil || !strings.Contains(msg, tt.err) {
				t.Errorf("%q: %v, want an error with %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v %v, want %v", tt.in, got, err, tt.want)
		}
	}
}
