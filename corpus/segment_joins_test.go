package corpus

import "testing"

func TestRepairJoins(t *testing.T) {
	for in, want := range map[string]string{
		"members of the family,Recognizing that those rights": "members of the family, Recognizing that those rights",
		"under this Convention.Such requests may":             "under this Convention. Such requests may",
		"shall ensure that:(a)When a person":                  "shall ensure that: (a) When a person",
		"PreambleThe High Contracting Parties":                "Preamble The High Contracting Parties",
		"observers:CubaIranPursuant to the request":           "observers: Cuba Iran Pursuant to the request",
		"See www.example.org/Default.aspx?NewsID=1 today.":    "See www.example.org/Default.aspx?NewsID=1 today.",
		"as argued by McArthur and the U.S.Army, e.g.The":     "as argued by McArthur and the U.S.Army, e.g.The",
		"the keepers (a) shall":                               "the keepers (a) shall",
	} {
		if got := RepairJoins(in); got != want {
			t.Errorf("RepairJoins(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// FuzzGluedShapes holds gluedShapes to what it stands for: a text that one
// of the join patterns matches has that shape.
func FuzzGluedShapes(f *testing.F) {
	for _, s := range []string{
		"family,Recognizing", "Convention.Such", "that:(a)When", "PreambleThe", "CubaIranPursuant", "U.S.Army",
		"“The", "éÉé", "deÉtat", "fin.Été", "ſſſKelvin", "a.B", "the (a) shall", "çãoÁrea",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		punct, marker, kase := gluedShapes(s)
		if !punct && gluedPunctRe.MatchString(s) {
			t.Errorf("gluedShapes(%q): no punctuation join, yet gluedPunctRe matches", s)
		}
		if !marker && gluedMarkerJoinRe.MatchString(s) {
			t.Errorf("gluedShapes(%q): no marker join, yet gluedMarkerJoinRe matches", s)
		}
		if !kase && gluedCaseRe.MatchString(s) {
			t.Errorf("gluedShapes(%q): no case join, yet gluedCaseRe matches", s)
		}
	})
}

// TestGluedShapesCase checks that gluedShapes reports a case join wherever
// gluedCaseRe matches, and not for names with a capital inside.
func TestGluedShapesCase(t *testing.T) {
	for s, want := range map[string]bool{
		"PreambleThe": true, "the CubaIranPursuant": true, "añoÉste": true, "abcDef": true,
		"McArthur": false, "iPhone": false, "abcDe": false, "abCdef": false, "NATO": false, "": false,
	} {
		_, _, kase := gluedShapes(s)
		if kase != want {
			t.Errorf("gluedShapes(%q) case = %v, want %v", s, kase, want)
		}
		if gluedCaseRe.MatchString(s) && !kase {
			t.Errorf("%q: gluedCaseRe matches, gluedShapes rules it out", s)
		}
	}
}
