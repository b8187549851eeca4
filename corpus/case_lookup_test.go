package corpus_test

import (
	"slices"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestLookupKeysMeetCaseKeys(t *testing.T) {
	cases := []struct {
		c      corpus.Case
		symbol string
		finds  []string // queries that open on it
		misses []string // queries that do not
	}{{
		c:      corpus.Case{Name: "Tebourski v. France", Communication: "300/2006", Complainant: "Adel Tebourski"},
		symbol: "CAT/C/38/D/300/2006",
		finds: []string{"Tebourski v. France", "tebourski v france", "Tebourski", "Adel Tebourski", "Adel Tebourski v. France",
			"300/2006", "No. 300/2006", "communication 300/2006", "communication No. 300/2006", "CAT/C/38/D/300/2006", "Tebourski vs. France"},
		misses: []string{"France", "300/2007", "Tebourski France torture", "v. France", "CAT/C/38/D/301/2006"},
	}, {
		c:      corpus.Case{Name: "M.C.M.V.F. v. Sweden", Communication: "237/2003", Complainant: "M. C. M. V. F."},
		symbol: "CAT/C/35/D/237/2003",
		finds:  []string{"M.C.M.V.F. v. Sweden", "M. C. M. V. F. v. Sweden", "M.C.M.V.F.", "communication No. 237/2003"},
		misses: []string{"Sweden", "M.C.M. v. Sweden"},
	}, {
		c:      corpus.Case{Name: "Singh Khalsa et al. v. Switzerland", Communication: "336/2008", Complainant: "Harminder Singh Khalsa"},
		symbol: "CAT/C/46/D/336/2008",
		finds:  []string{"Singh Khalsa et al. v. Switzerland", "Singh Khalsa v. Switzerland", "Harminder Singh Khalsa", "Singh Khalsa"},
		misses: []string{"Switzerland"},
	}, {
		c:      corpus.Case{Name: "X v. Switzerland", Communication: "900/2018", Complainant: "X"},
		symbol: "CAT/C/71/D/900/2018",
		finds:  []string{"X v. Switzerland", "900/2018"},
		misses: []string{"X", "x"},
	}}
	for _, tc := range cases {
		keys := corpus.CaseKeys(&tc.c, tc.symbol)
		opens := func(q string) bool {
			for _, k := range corpus.LookupKeys(q) {
				if slices.Contains(keys, k) {
					return true
				}
			}
			return false
		}
		for _, q := range tc.finds {
			if !opens(q) {
				t.Errorf("%q does not open %s (keys %v, query keys %v)", q, tc.c.Name, keys, corpus.LookupKeys(q))
			}
		}
		for _, q := range tc.misses {
			if opens(q) {
				t.Errorf("%q opens %s (keys %v, query keys %v)", q, tc.c.Name, keys, corpus.LookupKeys(q))
			}
		}
	}
}

func TestJointDecisionKeys(t *testing.T) {
	c := corpus.ExtractCase([]string{"The authors of the communications are Mr. V.X.N. and Mr. H.N., nationals of Viet Nam."},
		corpus.Context{Symbol: "CAT/C/24/D/130/131/1999", Instrument: "CAT"})
	if c.Communication != "130/1999 and 131/1999" {
		t.Errorf("communication %q, want 130/1999 and 131/1999", c.Communication)
	}
	keys := corpus.CaseKeys(c, "CAT/C/24/D/130/131/1999")
	for _, q := range []string{"130/1999", "131/1999", "CAT/C/24/D/130/131/1999"} {
		if k := corpus.LookupKeys(q); len(k) != 1 || !slices.Contains(keys, k[0]) {
			t.Errorf("%q (keys %v) does not open the joint decision (keys %v)", q, k, keys)
		}
	}
}

func TestFindCaseMentions(t *testing.T) {
	text := "As it held in Okafor v. Norway and in S.T.K. et al. v. Republic of Moldova, and unlike Reyes v. Annex, the Committee recalls"
	ms := corpus.FindCaseMentions(text)
	if len(ms) != 2 {
		t.Fatalf("%d mentions: %+v", len(ms), ms)
	}
	if ms[0].Party != "NO" || !slices.ContainsFunc(ms[0].Names, func(n corpus.CaseName) bool {
		return n.Name == "Okafor v. Norway" && text[n.Start:ms[0].End] == "Okafor v. Norway"
	}) {
		t.Errorf("first mention %+v", ms[0])
	}
	if ms[1].Party != "MD" || ms[1].Names[0].Name != "S.T.K. et al. v. Republic of Moldova" || ms[1].Names[len(ms[1].Names)-1].Name != "S.T.K. et al. v. Republic of Moldova" {
		t.Errorf("second mention %+v", ms[1])
	}
	if ms[0].Names[0].Name != "As it held in Okafor v. Norway" && ms[0].Names[0].Name != "As v. Norway" {
		// the longest reading comes first
		if len(ms[0].Names[0].Name) < len(ms[0].Names[len(ms[0].Names)-1].Name) {
			t.Errorf("readings not longest first: %+v", ms[0].Names)
		}
	}
}

// TestFindCaseMentionsJoinedComplainants: the last of several complainants
// ("X, Y and Z v. Sweden") is no case name of its own, while two cases
// in a list are two mentions.
func TestFindCaseMentionsJoinedComplainants(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // the shortest reading of each mention
	}{
		{"the Committee's views in X, Y and Z v. Sweden, adopted in 1998", nil},
		{"as in Alpha and Beta v. Norway", nil},
		{"Committee against Torture, Arana v. France", []string{"Arana v. France"}},
		{"as in Agiza v. Sweden, Tebourski v. France", []string{"Agiza v. Sweden", "Tebourski v. France"}},
		{"communications I.A.O. v. Sweden (65/1997) and X, Y and Z v. Sweden", []string{"I.A.O. v. Sweden"}},
	} {
		var got []string
		for _, m := range corpus.FindCaseMentions(tc.text) {
			got = append(got, m.Names[len(m.Names)-1].Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: mentions %q, want %q", tc.text, got, tc.want)
		}
	}
}
