package corpus_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestParseSymbol(t *testing.T) {
	tests := []struct {
		in   string
		want corpus.Symbol
	}{
		{"CAT/C/SLV/CO/3", corpus.Symbol{Normalized: "CAT/C/SLV/CO/3", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolConcludingObservations, State: "SV", Cycle: "3"}},
		{"CAT/C/34/D/233/2003", corpus.Symbol{Normalized: "CAT/C/34/D/233/2003", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolDecision, Session: 34, Communication: "233/2003", Year: 2003}},
		{"CAT/C/24/D/130/131/1999", corpus.Symbol{Normalized: "CAT/C/24/D/130/131/1999", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolDecision, Session: 24, Communication: "130/1999 and 131/1999", Year: 1999}},
		{"CAT/C/41/D/270/271/272/2005", corpus.Symbol{Normalized: "CAT/C/41/D/270/271/272/2005", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolDecision, Session: 41, Communication: "270/2005, 271/2005 and 272/2005", Year: 2005}},
		{"CCPR/C/90/D/1017/2001/1066/2002", corpus.Symbol{Normalized: "CCPR/C/90/D/1017/2001/1066/2002", Series: "CCPR/C", Committee: "CCPR", Type: corpus.SymbolDecision, Session: 90, Communication: "1017/2001 and 1066/2002", Year: 2001}},
		{"CCPR/C/101/D/1867/2009/1936/1981/2010", corpus.Symbol{Normalized: "CCPR/C/101/D/1867/2009/1936/1981/2010", Series: "CCPR/C", Committee: "CCPR", Type: corpus.SymbolDecision, Session: 101, Communication: "1867/2009, 1936/2010 and 1981/2010", Year: 2009}},
		{"CRC/C/80/D/12/2017/CRC/C/80/D/13/2017", corpus.Symbol{Normalized: "CRC/C/80/D/12/2017/CRC/C/80/D/13/2017", Series: "CRC/C", Committee: "CRC", Type: corpus.SymbolDecision, Session: 80, Communication: "12/2017 and 13/2017", Year: 2017}},
		{"CRC/C/81/D/R/75/2019", corpus.Symbol{Normalized: "CRC/C/81/D/R/75/2019", Series: "CRC/C", Committee: "CRC", Type: corpus.SymbolDecision, Session: 81, Communication: "75/2019", Year: 2019}},
		{"CAT/C/GC/4", corpus.Symbol{Normalized: "CAT/C/GC/4", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolGeneralComment, Number: "4"}},
		{"CCPR/C/21/Rev.1/Add.13", corpus.Symbol{Normalized: "CCPR/C/21/Rev.1/Add.13", Series: "CCPR/C", Committee: "CCPR", Type: corpus.SymbolDocument, Session: 21, Rev: "1", Add: "13"}},
		{"CCPR/C/21/Rev.1/Add. 13", corpus.Symbol{Normalized: "CCPR/C/21/Rev.1/Add.13", Series: "CCPR/C", Committee: "CCPR", Type: corpus.SymbolDocument, Session: 21, Rev: "1", Add: "13"}},
		{"E/C.12/GC/24", corpus.Symbol{Normalized: "E/C.12/GC/24", Series: "E/C.12", Committee: "CESCR", Type: corpus.SymbolGeneralComment, Number: "24"}},
		{"E/C.12/SLV/CO/3-5", corpus.Symbol{Normalized: "E/C.12/SLV/CO/3-5", Series: "E/C.12", Committee: "CESCR", Type: corpus.SymbolConcludingObservations, State: "SV", Cycle: "3-5"}},
		{"A/RES/70/175", corpus.Symbol{Normalized: "A/RES/70/175", Series: "A", Type: corpus.SymbolResolution, Session: 70, Number: "175"}},
		{"A/RES/2200A(XXI)", corpus.Symbol{Normalized: "A/RES/2200A(XXI)", Series: "A", Type: corpus.SymbolResolution, Session: 21, Number: "2200A"}},
		{"A/HRC/40/59", corpus.Symbol{Normalized: "A/HRC/40/59", Series: "A/HRC", Type: corpus.SymbolDocument, Session: 40, Number: "59"}},
		{"A/HRC/RES/40/16", corpus.Symbol{Normalized: "A/HRC/RES/40/16", Series: "A/HRC", Type: corpus.SymbolResolution, Session: 40, Number: "16"}},
		{"A/60/316", corpus.Symbol{Normalized: "A/60/316", Series: "A", Type: corpus.SymbolDocument, Session: 60, Number: "316"}},
		{"E/CN.4/1993/26", corpus.Symbol{Normalized: "E/CN.4/1993/26", Series: "E/CN.4", Type: corpus.SymbolDocument, Year: 1993, Number: "26"}},
		{"CAT/OP/MEX/1", corpus.Symbol{Normalized: "CAT/OP/MEX/1", Series: "CAT/OP", Committee: "SPT", Type: corpus.SymbolVisitReport, State: "MX", Cycle: "1"}},
		{"CCPR/C/USA/4", corpus.Symbol{Normalized: "CCPR/C/USA/4", Series: "CCPR/C", Committee: "CCPR", Type: corpus.SymbolStateReport, State: "US", Cycle: "4"}},
		{" cat/C/SLV/Q/2 ", corpus.Symbol{Normalized: "CAT/C/SLV/Q/2", Series: "CAT/C", Committee: "CAT", Type: corpus.SymbolListOfIssues, State: "SV", Cycle: "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := corpus.ParseSymbol(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ParseSymbol(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "CAT", "12/03/2005", "and/or", "XYZ/C/1", "CAT//3", "http://example.org/a"} {
		if _, err := corpus.ParseSymbol(bad); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("ParseSymbol(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestFindSymbols(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"See its concluding observations (CAT/C/SLV/CO/3), para. 12.", []string{"CAT/C/SLV/CO/3"}},
		{"(A/47/40, annex VI) and CCPR/C/21/Rev.1/Add. 13.", []string{"A/47/40", "CCPR/C/21/Rev.1/Add.13"}},
		{"Resolution A/RES/2200A(XXI) of 1966; see E/CN.4/1993/26, para. 583.", []string{"A/RES/2200A(XXI)", "E/CN.4/1993/26"}},
		{"He or she, on 12/03/2005, and/or the Committee; https://docs.un.org/en/A/60/316", nil},
		{"communication No. 233/2003 (CAT/C/34/D/233/2003)", []string{"CAT/C/34/D/233/2003"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range corpus.FindSymbols(tt.text) {
			got = append(got, m.Symbol.Normalized)
			if m.Start < 0 || m.End > len(tt.text) || m.Start >= m.End {
				t.Errorf("%q: bad offsets %d..%d", tt.text, m.Start, m.End)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("FindSymbols(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func ExampleParseSymbol() {
	s, _ := corpus.ParseSymbol("CAT/C/SLV/CO/3")
	fmt.Println(s.Committee, s.Type, s.State, s.Cycle)
	d, _ := corpus.ParseSymbol("CAT/C/34/D/233/2003")
	fmt.Println(d.Type, d.Session, d.Communication)
	g, _ := corpus.ParseSymbol("CCPR/C/21/Rev.1/Add. 13")
	fmt.Println(g.Normalized)
	// Output:
	// CAT concluding-observations SV 3
	// decision 34 233/2003
	// CCPR/C/21/Rev.1/Add.13
}
