package corpus

import "testing"

// FuzzMayHoldFinding holds mayHoldFinding to findingRe: a text the pattern
// matches may hold a finding.
func FuzzMayHoldFinding(f *testing.F) {
	for _, s := range []string{
		"", "the facts before it reveal a violation of article 3", "There has been no BREACH", "has not violated",
		"failed to comply with its obligations under", "an Obligation to refrain from returning", "VIOLATED",
		"is a breach", "amounts to a further violation", "vi\u0131olation", "obligatıon", "Violat", "bReAcH",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if findingRe.MatchString(s) && !mayHoldFinding(s) {
			t.Errorf("mayHoldFinding(%q) = false, yet findingRe matches", s)
		}
	})
}
