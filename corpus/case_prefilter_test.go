package corpus

import (
	"regexp"
	"strings"
	"testing"
)

// TestCasePrefilters checks that each cheap test run before a regular
// expression of case derivation holds wherever the expression matches
// (else it would hide a match), and rules texts out.
func TestCasePrefilters(t *testing.T) {
	tests := []struct {
		re     *regexp.Regexp
		filter func(string) bool
		texts  []string
	}{
		{removalWordRe, func(s string) bool { return wordStartsFoldASCII(s, removalPrefixes) }, []string{
			"his deportation to Ethiopia", "DEPORTED", "Expulsion", "the expelled man", "(extradition)", "removal",
			"refoulement", "if Returned", "non-refoulement", "the_return", "report", "the return2", "éreturn",
			"nothing to see", "a redeportation", "",
		}},
		{respondentBeforeRe, endsRespondentWord, []string{
			"a violation by ", "a violation by the ", "violations BY THE\t", "State party: ", "State Party:\n",
			"complaint against ", "claims against the  ", "a violation by", "a violation by the", "breach by them ",
			"the complaint against Sweden ", "the ", " ", "",
		}},
		{discontinueRe, func(s string) bool { return containsFoldASCII(s, "continu") }, []string{
			"The Committee decided to discontinue", "decides to DISCONTINUE the", "discontinued the consideration of the communication",
			"continue the examination", "nothing",
		}},
		{rulingInadmissibleRe, func(s string) bool { return containsFoldASCII(s, "inadmi") }, []string{
			"decides: (a) That the communication is inadmissible", "Decides that the complaint be declared INADMISSIBLE",
			"the communication is admissible", "",
		}},
		{inadmissibleRe, func(s string) bool { return containsFoldASCII(s, "inadmi") || containsFoldASCII(s, "been") }, []string{
			"the communication is therefore inadmissible", "declares the complaint inadmissible",
			"domestic remedies have not been exhausted", "the requirements have not BEEN met", "it is admissible", "",
		}},
		{operativeRe, func(s string) bool { return wordStartsFoldASCII(s, actingWord) }, []string{
			"The Committee, acting under article 22, paragraph 7", "ACTING UNDER ARTICLE 22", "(acting in accordance with rule 118)",
			"protecting under article 3", "",
		}},
		{complainantRe, func(s string) bool { return containsAny(s, complainantWords) }, []string{
			"The complainant is Mr. X", "1.1 The author of the communication, dated 1 May 2004, is X", "The complainants are A and B",
			"The petitioner, A.M., is", "the victims are", "Distr.: General", "",
		}},
		{complainantApposedRe, func(s string) bool { return strings.Contains(s, "complainant") }, []string{
			"The complainant Mükerrem Güclü, a Turkish national,", "The complainants A and B,", "The author X,",
		}},
		{submittedByRe, func(s string) bool { return strings.Contains(s, "ubmitted") }, []string{
			"Submitted by: X", "submitted to the Committee against Torture by X", "The complaint was submitted by counsel on behalf of X",
			"Communication No. 41/1996", "",
		}},
		{adoptionRe, containsMonth, []string{
			"At its meeting on 26 April 2018, the Committee", "Meeting on 15 November 1994", "Adopted by the Committee on 12 May 2008",
			"at its 1234th meetings, held on 3 December 2010", "at its meeting on Tuesday", "",
		}},
	}
	for _, tt := range tests {
		matched, ruledOut := 0, 0
		for _, s := range tt.texts {
			switch {
			case tt.re.MatchString(s) && !tt.filter(s):
				t.Errorf("%q: %v matches, but its prefilter rules it out", s, tt.re)
			case tt.re.MatchString(s):
				matched++
			case !tt.filter(s):
				ruledOut++
			}
		}
		if matched == 0 || ruledOut == 0 {
			t.Errorf("%v: the texts should include matches (%d) and texts ruled out (%d)", tt.re, matched, ruledOut)
		}
	}
	for s, want := range map[string]bool{"nothing to see": false, "a report": false, "areturn": false, "the return2": true, "éreturn": true} {
		if got := wordStartsFoldASCII(s, removalPrefixes); got != want {
			t.Errorf("wordStartsFoldASCII(%q) = %v, want %v", s, got, want)
		}
	}
	if endsRespondentWord("a violation by") || endsRespondentWord("violation by them ") || !endsRespondentWord("violation by the ") {
		t.Error("endsRespondentWord: ends wrong")
	}
}
