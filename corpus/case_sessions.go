package corpus

// sessionRun is a run of sessions held at a steady rate: session From was
// the first of year Year, and PerYear sessions were held each year after.
type sessionRun struct{ From, Year, PerYear int }

// sessionRuns are the sessions of the treaty bodies, as the decisions of
// the full catalog that state their adoption date show them (over 600 dated
// decisions: the year of each session, and how many sessions a year), and
// as the bodies' session lists on OHCHR's treaty-body database agree. The
// Committee against Torture met once in 1988, twice a year from 1989,
// three times a year from its 54th session (2015), once in 2020 (69th) and
// three times a year again from 2021 (70th). Bodies and years the dated
// decisions do not cover are left out. TestSessionYearAgreesWithDatedDecisions
// checks the table against the corpus.
var sessionRuns = map[string][]sessionRun{
	"CAT":   {{1, 1988, 1}, {2, 1989, 2}, {54, 2015, 3}, {69, 2020, 1}, {70, 2021, 3}},
	"CCPR":  {{29, 1987, 3}},
	"CESCR": {{54, 2015, 3}, {63, 2018, 2}},
	"CRC":   {{74, 2017, 3}},
}

// SessionYear returns the year in which a treaty body ("CAT") held a
// session, or 0 when it is not known.
func SessionYear(committee string, session int) int {
	runs := sessionRuns[committee]
	if session < 1 || len(runs) == 0 || session < runs[0].From {
		return 0
	}
	r := runs[0]
	for _, x := range runs[1:] {
		if session >= x.From {
			r = x
		}
	}
	return r.Year + (session-r.From)/r.PerYear
}
