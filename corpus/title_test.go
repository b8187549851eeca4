package corpus

import "testing"

func TestDisplayTitle(t *testing.T) {
	for _, tc := range []struct {
		e    Entry
		want string
	}{
		{Entry{ID: "x", Title: "Given"}, "Given"},
		{Entry{ID: "cat-c-12-d-13-1993", Body: "CAT", Symbol: "CAT/C/12/D/13/1993"},
			"Committee against Torture, communication No. 13/1993 (CAT/C/12/D/13/1993)"},
		{Entry{ID: "r", Body: "CCPR", Symbol: "CCPR/C/21/Rev.1/Add. 13"}, "Human Rights Committee, CCPR/C/21/Rev.1/Add. 13"},
		{Entry{ID: "s", Symbol: "A/54/426"}, "A/54/426"},
		{Entry{ID: "only-id"}, "only-id"},
	} {
		if got := DisplayTitle(&tc.e); got != tc.want {
			t.Errorf("DisplayTitle(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}
