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
