package corpus_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestExtractCase(t *testing.T) {
	catCtx := corpus.Context{Instrument: "CAT", Body: "CAT", Kind: corpus.KindDecision}
	tests := []struct {
		name   string
		symbol string
		paras  []string
		want   corpus.Case
	}{{
		name:   "violation by the State party, full name",
		symbol: "CAT/C/40/D/301/2006",
		paras: []string{
			"The complainant is Mr. Jonas Brekke Olafsen, a national of Ruritania born in 1970. He claims that his deportation to Peru would constitute a violation by Norway of article 3 of the Convention.",
			"The State party contests the admissibility of the complaint.",
			"The Committee against Torture, acting under article 22, paragraph 7, of the Convention, concludes that the return of the complainant to Peru would constitute a breach of articles 3 and 22 of the Convention.",
		},
		want: corpus.Case{Name: "Olafsen v. Norway", Communication: "301/2006", Complainant: "Jonas Brekke Olafsen", Party: "NO",
			Outcome: corpus.OutcomeViolation, Violations: []string{"CAT 22", "CAT 3"}, Destination: []string{"PE"}, Session: 40},
	}, {
		name:   "no breach, initials, older wording",
		symbol: "CAT/C/20/D/77/1997",
		paras: []string{
			"The author of the communication is K. L. M., a Chilean citizen residing in Denmark, where he awaits removal. He claims that his expulsion to Chile would be a violation by Denmark of article 3.",
			"The Committee against Torture, acting under article 22, paragraph 7, of the Convention, is of the view that the facts as found by the Committee do not reveal a breach of article 3 of the Convention.",
		},
		want: corpus.Case{Name: "K.L.M. v. Denmark", Communication: "77/1997", Complainant: "K. L. M.", Party: "DK",
			Outcome: corpus.OutcomeNoViolation, Destination: []string{"CL"}, Session: 20},
	}, {
		name:   "would not constitute, party named only in a removal from",
		symbol: "CAT/C/60/D/700/2015",
		paras: []string{
			"The complainants are Ms. Ana Torvik and her two sons, nationals of Ghana. They claim that their removal from Finland to Ghana would breach article 3.",
			"In the light of the above, the Committee, acting under article 22 (7) of the Convention, concludes that the return of the complainants to Ghana would not constitute a violation of article 3 of the Convention by the State party.",
		},
		want: corpus.Case{Name: "Torvik et al. v. Finland", Communication: "700/2015", Complainant: "Ana Torvik", Party: "FI",
			Outcome: corpus.OutcomeNoViolation, Destination: []string{"GH"}, Session: 60},
	}, {
		name:   "inadmissible",
		symbol: "CAT/C/30/D/200/2001",
		paras: []string{
			"The complainant, B.C.**, is a national of Peru. He claims to be a victim of a violation by Spain of articles 2 and 16 of the Convention.",
			"The State party submits that the complaint should be declared inadmissible.",
			"The Committee therefore decides: (a) That the communication is inadmissible under article 22, paragraph 5 (b), of the Convention;",
		},
		want: corpus.Case{Name: "B.C. v. Spain", Communication: "200/2001", Complainant: "B.C.", Party: "ES",
			Outcome: corpus.OutcomeInadmissible, Session: 30},
	}, {
		name:   "discontinued, with the meeting's date",
		symbol: "CAT/C/65/D/800/2016",
		paras: []string{
			"At its meeting on 3 December 2018, the Committee, having been informed that the complainant had been granted a residence permit in Denmark, decided to discontinue the consideration of communication No. 800/2016.",
		},
		want: corpus.Case{Communication: "800/2016", Party: "DK", Adopted: "2018-12-03", Outcome: corpus.OutcomeDiscontinued, Session: 65},
	}, {
		name:   "a date in a citation or the languages note is no adoption",
		symbol: "",
		paras: []string{
			"The author of the communication is Pedro Alves, a national of Brazil. He claims a violation by Portugal of article 7 of the Covenant (see Smith v. Portugal, Views adopted on 5 May 2001).",
			"The Committee, acting under article 5 (4) of the Optional Protocol, is of the view that the facts before it disclose a violation by the State party of article 7 of the Covenant. [Adopted in English, French and Spanish, on 2 April 2009.]",
		},
		want: corpus.Case{Name: "Alves v. Portugal", Complainant: "Pedro Alves", Party: "PT",
			Outcome: corpus.OutcomeViolation, Violations: []string{"ICCPR 7"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := catCtx
			if tt.symbol == "" {
				c = corpus.Context{Instrument: "ICCPR", Body: "CCPR", Kind: corpus.KindDecision}
			}
			c.Symbol = tt.symbol
			got := corpus.ExtractCase(tt.paras, c)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tt.want)
			if string(g) != string(w) {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func TestDeriveCaseYearAndKind(t *testing.T) {
	para := func(s string) []corpus.Passage { return []corpus.Passage{{Text: s}} }
	t.Run("year from the session", func(t *testing.T) {
		d := corpus.Document{Entry: corpus.Entry{ID: "d", Kind: corpus.KindDecision, Symbol: "CAT/C/38/D/300/2006"},
			Passages: para("The Committee, acting under article 22, paragraph 7, concludes that the expulsion would constitute a violation of article 3.")}
		corpus.DeriveCase(&d)
		if d.Year != 2007 || d.Case == nil || d.Case.YearSource != corpus.YearFromSession {
			t.Errorf("year %d, case %+v; want 2007 from the session", d.Year, d.Case)
		}
	})
	t.Run("year from the text beats the session", func(t *testing.T) {
		d := corpus.Document{Entry: corpus.Entry{ID: "d", Kind: corpus.KindDecision, Symbol: "CAT/C/72/D/900/2018"},
			Passages: para("At its meeting on 30 December 2022, the Committee decided to discontinue the consideration of communication No. 900/2018.")}
		corpus.DeriveCase(&d)
		if d.Year != 2022 || d.Case.YearSource != corpus.YearFromText || d.Case.Outcome != corpus.OutcomeDiscontinued {
			t.Errorf("year %d, case %+v; want 2022 from the text", d.Year, d.Case)
		}
	})
	t.Run("a catalog year is kept", func(t *testing.T) {
		d := corpus.Document{Entry: corpus.Entry{ID: "d", Kind: corpus.KindDecision, Symbol: "CAT/C/38/D/300/2006", Year: 2008}, Passages: para("x")}
		corpus.DeriveCase(&d)
		if d.Year != 2008 {
			t.Errorf("year %d, want the catalog's 2008", d.Year)
		}
	})
	t.Run("follow-up report", func(t *testing.T) {
		d := corpus.Document{Entry: corpus.Entry{ID: "f", Kind: corpus.KindDecision, Symbol: "CAT/C/64/2"},
			Passages: para("The present report is a compilation of information received in the framework of the Committee's follow-up procedure on decisions.")}
		corpus.DeriveCase(&d)
		if d.Kind != corpus.KindFollowUp || d.Case.IsCase() {
			t.Errorf("kind %q, case %+v; want follow-up and no case", d.Kind, d.Case)
		}
	})
	t.Run("concluding observations get their party", func(t *testing.T) {
		d := corpus.Document{Entry: corpus.Entry{ID: "co", Kind: corpus.KindReport, Symbol: "CAT/C/SLV/CO/3"}, Passages: para("x")}
		corpus.DeriveCase(&d)
		if d.Case == nil || d.Case.Party != "SV" {
			t.Errorf("case %+v, want party SV", d.Case)
		}
	})
}

func TestSessionYear(t *testing.T) {
	for _, tt := range []struct {
		committee string
		session   int
		want      int
	}{{"CAT", 1, 1988}, {"CAT", 19, 1997}, {"CAT", 35, 2005}, {"CAT", 53, 2014}, {"CAT", 54, 2015}, {"CAT", 56, 2015},
		{"CAT", 57, 2016}, {"CAT", 69, 2020}, {"CAT", 70, 2021}, {"CAT", 74, 2022}, {"CAT", 79, 2024},
		{"CAT", 0, 0}, {"CEDAW", 70, 0}, {"CCPR", 10, 0}, {"CCPR", 101, 2011}} {
		if got := corpus.SessionYear(tt.committee, tt.session); got != tt.want {
			t.Errorf("SessionYear(%s, %d) = %d, want %d", tt.committee, tt.session, got, tt.want)
		}
	}
}

func TestCaseJSONAdoptedNull(t *testing.T) {
	b, _ := json.Marshal(corpus.Case{Name: "A v. B"})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if v, ok := m["adopted"]; !ok || v != nil {
		t.Errorf("adopted = %v (present %v), want null: %s", v, ok, b)
	}
	var back corpus.Case
	if err := json.Unmarshal([]byte(`{"name":"A v. B","adopted":"2020-01-02","violations":["CAT 3"]}`), &back); err != nil ||
		back.Adopted != "2020-01-02" || !slices.Equal(back.Violations, []string{"CAT 3"}) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func TestDeriveCaseGroups(t *testing.T) {
	d := corpus.Document{Entry: corpus.Entry{ID: "gc", Kind: corpus.KindGeneralComment}, Passages: []corpus.Passage{
		{Text: "a", Labels: []string{"Women/girls", "Children"}}, {Text: "b"}, {Text: "c", Labels: []string{"Children"}}}}
	corpus.DeriveCase(&d)
	if d.Case == nil || !slices.Equal(d.Case.Groups, []string{"Children", "Women/girls"}) || d.Case.IsCase() {
		t.Errorf("case %+v: want the union of the labels and no case of its own", d.Case)
	}
}

func TestDeriveCaseKeepsGivenFields(t *testing.T) {
	d := corpus.Document{Entry: corpus.Entry{ID: "d", Kind: corpus.KindDecision, Symbol: "CAT/C/38/D/300/2006",
		Case: &corpus.Case{Name: "Corrected v. France", Outcome: corpus.OutcomeNoViolation}},
		Passages: []corpus.Passage{{Text: "The Committee, acting under article 22, paragraph 7, concludes that the expulsion would constitute a violation by France of article 3."}}}
	corpus.DeriveCase(&d)
	if d.Case.Name != "Corrected v. France" || d.Case.Outcome != corpus.OutcomeNoViolation || d.Case.Communication != "300/2006" {
		t.Errorf("case %+v: the given name and outcome win, the rest is derived", d.Case)
	}
}

func TestComplainantForms(t *testing.T) {
	c := corpus.Context{Instrument: "CAT", Body: "CAT", Kind: corpus.KindDecision}
	for _, tt := range []struct{ text, want string }{
		{"The author of the communication is Y, a Zairian citizen, currently residing in Switzerland.", "Y"},
		{"The author of the communication, dated 22 July 1998, is Mr. Radivoje Ristic, a citizen of Yugoslavia.", "Radivoje Ristic"},
		{"The complainant is Mr. S.S. a Sri Lankan national, born in 1956.", "S.S."},
		{"The complainant is Danilo Dimitrijevic a Serbian citizen of Roma origin.", "Danilo Dimitrijevic"},
		{"Having concluded its consideration of communication No. 15/1994, submitted to the Committee against Torture by Mr. Tahir Hussain Khan under article 22", "Tahir Hussain Khan"},
		{"The author of the communication is a national of Ghana, who arrived in Canada.", ""},
	} {
		if got := corpus.ExtractCase([]string{tt.text}, c).Complainant; got != tt.want {
			t.Errorf("%q: complainant %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestComplainantStatedOtherwise: the ways a decision names its
// complainant beyond "The complainant is …": a name right after the noun,
// "The claimant is …", "The communication was submitted by …" (by counsel
// on someone's behalf; two people), and a "Submitted by:" line after the
// short lines of a scanned header.
func TestComplainantStatedOtherwise(t *testing.T) {
	c := corpus.Context{Instrument: "CAT", Body: "CAT", Kind: corpus.KindDecision, Symbol: "CAT/C/70/D/901/2018"}
	for _, tt := range []struct {
		paras  []string
		want   string
		plural bool
	}{
		{[]string{"1.1 The complainant Oksana Melnyk, a national of Ukraine born in 1980, is subject to removal to Ukraine."}, "Oksana Melnyk", false},
		{[]string{"The claimant is P.T.R., a national of Nepal born in 1990. He faces removal to Nepal."}, "P.T.R.", false},
		{[]string{"The communication was submitted by D.F., a national of Peru, on behalf of his brother, G.F. He alleges a breach of article 16."}, "D.F.", false},
		{[]string{"The communication is submitted by counsel on behalf of Ivana Horvat, a national of Croatia born in 1975."}, "Ivana Horvat", false},
		{[]string{"The complaint was submitted by B.N. and K.W., nationals of Ghana. They allege that they were ill-treated."}, "B.N.", true},
		{[]string{"Convention against Torture Distr.", "GENERAL", "COMMITTEE AGAINST TORTURE Twentieth session", "Communication No. 901/2018",
			"Submitted by: Mr. Arman Petrosyan [represented by counsel]", "State party: Norway"}, "Arman Petrosyan", false},
		{[]string{"The complainant claims that his return would expose him to torture."}, "", false},
	} {
		got := corpus.ExtractCase(append(tt.paras, "State party: Norway"), c)
		if got.Complainant != tt.want {
			t.Errorf("%q: complainant %q, want %q", tt.paras, got.Complainant, tt.want)
		}
		if (got.Name != "") != (tt.want != "") || tt.want != "" && (len(got.Name) > len(" et al. v. Norway") && got.Name[len(got.Name)-len(" et al. v. Norway"):] == " et al. v. Norway") != tt.plural {
			t.Errorf("%q: name %q, several complainants %v", tt.paras, got.Name, tt.plural)
		}
	}
}

// TestViolationsOfTheQuestion: a finding that the State party "has an
// obligation to refrain from" returning someone names no article; the
// violation is of the article the Committee put itself as the question on
// the merits (not the admissibility one).
func TestViolationsOfTheQuestion(t *testing.T) {
	c := corpus.Context{Instrument: "CAT", Body: "CAT", Kind: corpus.KindDecision, Symbol: "CAT/C/20/D/77/1997"}
	paras := []string{
		"1. The author of the communication is Mr. Omar Jalloh, a citizen of Guinea, residing in Norway.",
		"6.1 Before considering any claims contained in a communication, the Committee must decide whether or not it is admissible under article 22 of the Convention.",
		"7.1 The question before the Committee is whether the forced return of the author to Guinea would violate the obligation of Norway under article 3 of the Convention.",
		"7.5 In the light of the above, the Committee is of the view that the State party has an obligation to refrain from forcibly returning the author to Guinea.",
	}
	got := corpus.ExtractCase(paras, c)
	if got.Outcome != corpus.OutcomeViolation || !slices.Equal(got.Violations, []string{"CAT 3"}) {
		t.Errorf("outcome %q, violations %q; want violation of CAT 3", got.Outcome, got.Violations)
	}
	paras[2] = "7.1 The Committee has to determine, pursuant to paragraph 1 of article 3, whether there are substantial grounds for believing that the author would be in danger."
	if got := corpus.ExtractCase(paras, c); !slices.Equal(got.Violations, []string{"CAT 3"}) {
		t.Errorf("violations %q; want CAT 3", got.Violations)
	}
}
