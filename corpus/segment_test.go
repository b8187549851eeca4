package corpus

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestParseUnitHeading(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
		want UnitHeading
	}{
		{"Article 3", true, UnitHeading{Kind: "art", Number: "3", Lang: "en", Label: "Article 3"}},
		{"Article  3  ", true, UnitHeading{Kind: "art", Number: "3", Lang: "en", Label: "Article 3"}},
		{"ARTICLE 3", true, UnitHeading{Kind: "art", Number: "3", Lang: "en", Label: "ARTICLE 3"}},
		{"Artículo 1. Obligación de respetar los derechos", true, UnitHeading{Kind: "art", Number: "1", Lang: "es", Label: "Artículo 1", Title: "Obligación de respetar los derechos"}},
		{"Art. 3", true, UnitHeading{Kind: "art", Number: "3", Label: "Art. 3"}},
		{"Artikel 3", true, UnitHeading{Kind: "art", Number: "3", Lang: "nl", Label: "Artikel 3"}},
		{"Rule 58", true, UnitHeading{Kind: "rule", Number: "58", Lang: "en", Label: "Rule 58"}},
		{"Regla 58", true, UnitHeading{Kind: "rule", Number: "58", Lang: "es", Label: "Regla 58"}},
		{"Paragraph 2", true, UnitHeading{Kind: "para", Number: "2", Lang: "en", Label: "Paragraph 2"}},
		{"Article 2 – Right to life", true, UnitHeading{Kind: "art", Number: "2", Lang: "en", Label: "Article 2", Title: "Right to life"}},
		{"Article 1 bis", true, UnitHeading{Kind: "art", Number: "1bis", Lang: "en", Label: "Article 1 bis"}},
		{"Article 3 of the Convention provides", false, UnitHeading{}},
		{"artículo 46;", false, UnitHeading{}},
		{"Articles 3", false, UnitHeading{}},
		{"Rules of general application", false, UnitHeading{}},
		{"", false, UnitHeading{}},
	}
	for _, tt := range tests {
		got, ok := ParseUnitHeading(tt.line)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseUnitHeading(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsStructuralHeading(t *testing.T) {
	for line, want := range map[string]bool{
		"PART I":                          true,
		"PART  II  ":                      true,
		"Parte I. Deberes de los Estados": true,
		"Capítulo II. Derechos Civiles y Políticos": true,
		"SECTION III":              true,
		"HOOFDSTUK I":              true,
		"ANNEX":                    true,
		"SCHEDULE":                 true,
		"Parte en virtud de leyes": false,
		"Section 3 of the Act applies to the complaint and more": true, // structural form; readers check length
		"Article 3":                false,
		"Particular circumstances": false,
	} {
		if got := IsStructuralHeading(line); got != want {
			t.Errorf("IsStructuralHeading(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestParagraphNumber(t *testing.T) {
	tests := map[string]string{
		"2.1.":      "2.1",
		"3":         "3",
		" 12\u00a0": "12",
		"9. ":       "9",
		"OP1-1.":    "OP1-1",
		"OP2-U3.":   "OP2-U3",
		"":          "",
		"...":       "",
		"1.2.3.":    "1.2.3",
		"A 1":       "A-1",
		"#x":        "x",
	}
	for in, want := range tests {
		if got := ParagraphNumber(in); got != want {
			t.Errorf("ParagraphNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLeadingNumber(t *testing.T) {
	tests := map[string]string{
		"12.6 The Committee therefore concludes":  "12.6",
		"10. In reaction to counsel's submission": "10",
		"7.5 | On 27 October 1992, the author":    "7.5",
		"1. The author of the communication":      "1",
		"15 November 1994, the Committee":         "",
		"3 October the State party":               "",
		"\"1. No State party shall expel":         "",
		"2 or more persons":                       "",
		"The Committee notes":                     "",
		"1994 The year":                           "",
		"":                                        "",
	}
	for in, want := range tests {
		if got := LeadingNumber(in); got != want {
			t.Errorf("LeadingNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func units(ps []Passage) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Unit)
	}
	return out
}

func TestSegment(t *testing.T) {
	h := func(s string) Block { return Block{Text: s, Heading: true, Level: 3} }
	p := func(s string) Block { return Block{Text: s} }
	treaty := &Entry{ID: "t", Kind: KindTreaty, Instrument: "TT", Language: "en"}
	tests := []struct {
		name   string
		e      *Entry
		blocks []Block
		want   []string
	}{
		{
			name:   "articles with preamble and sub-paragraphs",
			e:      treaty,
			blocks: []Block{h("Test Convention"), p("The States Parties,"), h("PART I"), h("Article 1"), p("1. First."), p("2. Second."), h("Article 2"), p("Text.")},
			want:   []string{"preamble", "art-1", "art-2"},
		},
		{
			name:   "second language and optional protocol",
			e:      treaty,
			blocks: []Block{h("Article 1"), p("a"), h("Article 2"), p("b"), h("Optional Protocol to the Test Convention"), p("The States Parties to the Protocol,"), h("Article 1"), p("c"), h("Verdrag inzake tests"), p("De Staten,"), h("Artikel 1"), p("d"), h("Artikel 2"), p("e")},
			want:   []string{"art-1", "art-2", "op1-preamble", "op1-art-1", "nl-preamble", "nl-art-1", "nl-art-2"},
		},
		{
			name:   "annex after the last article is p-N",
			e:      treaty,
			blocks: []Block{h("Article 1"), p("a"), h("ANNEX"), h("Specimen"), p("The document"), h("Final Act"), p("The Conference")},
			want:   []string{"art-1", "p-2", "p-3"},
		},
		{
			name:   "out of sequence heading stays inside",
			e:      treaty,
			blocks: []Block{h("Article 1"), p("a"), h("Article 2"), p("b"), h("Article 7"), p("c"), h("Article 5"), p("quoted")},
			want:   []string{"art-1", "art-2", "art-7"},
		},
		{
			name:   "rules",
			e:      &Entry{ID: "r", Kind: KindRules, Language: "en"},
			blocks: []Block{h("Preliminary observations"), p("These rules…"), h("Rule 1"), p("a"), h("Contact with the outside world"), h("Rule 2"), p("b")},
			want:   []string{"preamble", "rule-1", "rule-2"},
		},
		{
			name:   "paragraph numbers from ID and text, repeats and continuations",
			e:      &Entry{ID: "d", Kind: KindDecision, Language: "en"},
			blocks: []Block{{Text: "COMMITTEE"}, {Text: "x", Number: "1."}, {Text: "12.6 The Committee concludes that"}, {Text: "continued on the next page."}, {Text: "y", Number: "1. "}, {Text: "z", Number: "OP1-1."}},
			want:   []string{"p-1", "para-1", "para-12.6", "para-1-2", "para-OP1-1"},
		},
		{
			name:   "plain text keeps block positions and drops the newsletter",
			e:      &Entry{ID: "a", Kind: KindArticle, Language: "en"},
			blocks: []Block{p("Title"), p("First."), p("Print Friendly, PDF & Email\nLogo-favicon"), p("Second."), p("Sign up to receive the news."), p("We don't spam!")},
			want:   []string{"p-1", "p-2", "p-4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Segment(tt.e, tt.blocks)
			if got := units(ps); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("units = %q, want %q", got, tt.want)
			}
			for i, p := range ps {
				if p.Order != i || p.Document != tt.e.ID || p.ID != tt.e.ID+"#"+p.Unit || strings.TrimSpace(p.Text) == "" {
					t.Errorf("passage %d malformed: %+v", i, p)
				}
			}
		})
	}
}

func TestSegmentFields(t *testing.T) {
	e := &Entry{ID: "iccpr", Kind: KindTreaty, Instrument: "ICCPR", Language: "en"}
	ps := Segment(e, []Block{
		{Text: "Article 1", Heading: true}, {Text: "All peoples."},
		{Text: "Optional Protocol to the International Covenant", Heading: true},
		{Text: "Article 1", Heading: true}, {Text: "A State Party."},
		{Text: "Internationaal Verdrag", Heading: true},
		{Text: "Artikel 1", Heading: true}, {Text: "Alle volken."},
	})
	type fields struct{ Unit, Heading, Language, Instrument string }
	var got []fields
	for _, p := range ps {
		got = append(got, fields{p.Unit, p.Heading, p.Language, p.Instrument})
	}
	want := []fields{
		{"art-1", "Article 1", "en", "ICCPR"},
		{"op1-art-1", "Article 1", "en", "ICCPR-OP1"},
		{"nl-art-1", "Artikel 1", "nl", "ICCPR"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	d := Segment(&Entry{ID: "d", Kind: KindDecision, Language: "en"}, []Block{{Text: "x", Number: "2.1.", Section: "The facts", Labels: []string{"Refugees"}}})
	if d[0].Heading != "The facts" || !reflect.DeepEqual(d[0].Labels, []string{"Refugees"}) || d[0].Instrument != "" {
		t.Errorf("paragraph passage = %+v", d[0])
	}
}

func ExampleSegment() {
	e := &Entry{ID: "cat", Kind: KindTreaty, Instrument: "CAT", Language: "en"}
	blocks := []Block{
		{Text: "Convention against Torture", Heading: true, Level: 2},
		{Text: "The States Parties to this Convention, …"},
		{Text: "PART I", Heading: true, Level: 3},
		{Text: "Article 1", Heading: true, Level: 3},
		{Text: "1. For the purposes of this Convention, …"},
		{Text: "2. This article is without prejudice …"},
		{Text: "Article 3", Heading: true, Level: 3},
		{Text: "1. No State Party shall expel, return (\"refouler\") or extradite …"},
	}
	for _, p := range Segment(e, blocks) {
		fmt.Printf("%s %q %s\n", p.ID, p.Heading, p.Instrument)
	}
	// Output:
	// cat#preamble "Preamble" CAT
	// cat#art-1 "Article 1" CAT
	// cat#art-3 "Article 3" CAT
}

var unitNumberRe = regexp.MustCompile(`^[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*$`)

func FuzzParagraphNumber(f *testing.F) {
	for _, s := range []string{"2.1.", "3", "12\u00a0", "OP1-1.", "", "..", "A 1", "\xff", "1.-.2", "12.6 The Committee"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParagraphNumber(s)
		if n != "" && !unitNumberRe.MatchString(n) {
			t.Fatalf("ParagraphNumber(%q) = %q: not a well-formed unit number", s, n)
		}
		if len(n) > maxParagraphNumber {
			t.Fatalf("ParagraphNumber(%q) = %q: longer than %d", s, n, maxParagraphNumber)
		}
		if again := ParagraphNumber(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		if l := LeadingNumber(s); l != "" {
			if !unitNumberRe.MatchString(l) || !strings.Contains(s, l) {
				t.Fatalf("LeadingNumber(%q) = %q", s, l)
			}
		}
		// Any paragraph number makes a unique, well-formed passage id.
		ps := Segment(&Entry{ID: "d", Kind: KindDecision}, []Block{{Text: "a", Number: s}, {Text: "b", Number: s}, {Text: s}})
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p.ID] || strings.ContainsAny(p.Unit, " #\t\n") {
				t.Fatalf("bad or repeated unit %q from %q", p.Unit, s)
			}
			seen[p.ID] = true
		}
	})
}

// TestSegmentInnerParagraphs: the next number of the paragraph counter at a
// sentence start inside a paragraph begins a paragraph of its own, unless
// another paragraph carries it or it is a date; a paragraph cut off
// mid-sentence takes the unnumbered block that continues it.
func TestSegmentInnerParagraphs(t *testing.T) {
	e := &Entry{ID: "d", Kind: KindDecision, Language: "en"}
	units := func(ps []Passage) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Unit+": "+p.Text)
		}
		return out
	}
	for _, c := range []struct {
		name   string
		blocks []Block
		want   []string
	}{
		{"split", []Block{
			{Text: "The petitioner left her country in 1990.", Number: "3.1"},
			{Text: "She was questioned twice. 3.3. On 2 May 1991, she was detained. 4. The State party contests.", Number: "3.2."},
		}, []string{"para-3.1: The petitioner left her country in 1990.", "para-3.2: She was questioned twice.",
			"para-3.3: 3.3. On 2 May 1991, she was detained.", "para-4: 4. The State party contests."}},
		{"taken elsewhere", []Block{
			{Text: "As stated in paragraph 5. 6. The complainant says so.", Number: "5"},
			{Text: "The complainant says so again.", Number: "6"},
		}, []string{"para-5: As stated in paragraph 5. 6. The complainant says so.", "para-6: The complainant says so again."}},
		{"date", []Block{
			{Text: "She arrived. 8 March 1995 was the date of the hearing.", Number: "7"},
		}, []string{"para-7: She arrived. 8 March 1995 was the date of the hearing."}},
		{"not the next number", []Block{
			{Text: "The author was heard. 9. The Committee notes.", Number: "2.1"},
		}, []string{"para-2.1: The author was heard. 9. The Committee notes."}},
		{"fragment", []Block{
			{Text: "A letter from a doctor at the hospital", Number: "3.4"},
			{Text: "Saint-Luc confirms the scars."},
			{Text: "Observations of the State party:"},
		}, []string{"para-3.4: A letter from a doctor at the hospital\nSaint-Luc confirms the scars.", "p-2: Observations of the State party:"}},
	} {
		if got := units(Segment(e, c.blocks)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestSegmentDropsLinkResidue: a short tail after a provision's last
// sentence that ends no sentence (a web page's link label printed after the
// article) is not the provision's text; a list item or a title is kept.
func TestSegmentDropsLinkResidue(t *testing.T) {
	e := &Entry{ID: "t", Kind: KindTreaty, Language: "en"}
	blocks := []Block{
		{Text: "Article 1", Heading: true},
		{Text: "Everyone has the right to a fair hearing. Read the commentary on this article"},
		{Text: "Article 2", Heading: true},
		{Text: "The States shall respect:\n(a) the right to life;\n(b) Freedom of movement"},
		{Text: "Article 3", Heading: true},
		{Text: "Right to a name"},
		{Text: "Article 4", Heading: true},
		{Text: "This Convention enters into force. Its Parties notify the depositary of every reservation, declaration, withdrawal and objection made under it"},
	}
	want := map[string]string{
		"art-1": "Everyone has the right to a fair hearing.",
		"art-2": "The States shall respect:\n(a) the right to life;\n(b) Freedom of movement",
		"art-3": "Right to a name",
		"art-4": "This Convention enters into force. Its Parties notify the depositary of every reservation, declaration, withdrawal and objection made under it",
	}
	for _, p := range Segment(e, blocks) {
		if w, ok := want[p.Unit]; ok && p.Text != w {
			t.Errorf("%s: %q, want %q", p.Unit, p.Text, w)
		}
	}
}

// TestSegmentSplitsStateRecord: an edition's record of one State's approval,
// reservations and declarations, printed after the last article, is a
// passage of its own, not the article's text; a State named inside an article's own text leaves the article whole.
func TestSegmentSplitsStateRecord(t *testing.T) {
	for _, c := range []struct {
		name     string
		lang     string
		blocks   []Block
		lastUnit string // the last article's text
		record   string // the record passage's text, "" for none
	}{
		{"spanish, own block", "es", []Block{
			{Text: "Artículo 1", Heading: true},
			{Text: "Los Estados partes se comprometen a respetar los derechos."},
			{Text: "Artículo 2", Heading: true},
			{Text: "Esta Convención entrará en vigor al depositarse el undécimo instrumento."},
			{Text: "El Uruguay aprobó la Convención por Ley No 1, del 2 de enero de 1990.\nI. Reserva:\nEl artículo 1 queda sometido a una reserva."},
		}, "Esta Convención entrará en vigor al depositarse el undécimo instrumento.",
			"El Uruguay aprobó la Convención por Ley No 1, del 2 de enero de 1990.\nI. Reserva:\nEl artículo 1 queda sometido a una reserva."},
		{"english, same block", "en", []Block{
			{Text: "Article 1", Heading: true},
			{Text: "Each State Party shall respect the rights."},
			{Text: "Article 2", Heading: true},
			{Text: "This Convention shall enter into force on the thirtieth day.\nPeru ratified the Convention on 2 January 1990, with one declaration."},
		}, "This Convention shall enter into force on the thirtieth day.",
			"Peru ratified the Convention on 2 January 1990, with one declaration."},
		{"a State in the article's own text", "es", []Block{
			{Text: "Artículo 1", Heading: true},
			{Text: "EN FE DE LO CUAL, los plenipotenciarios firman esta Convención en la ciudad de San José, Costa Rica.\nLos Estados que ratificaron el Protocolo informarán al Secretario General."},
		}, "EN FE DE LO CUAL, los plenipotenciarios firman esta Convención en la ciudad de San José, Costa Rica.\nLos Estados que ratificaron el Protocolo informarán al Secretario General.", ""},
	} {
		e := &Entry{ID: "t", Kind: KindTreaty, Language: c.lang, Instrument: "T"}
		ps := Segment(e, c.blocks)
		var last, record *Passage
		for i := range ps {
			if strings.Contains(ps[i].Unit, "art-") {
				last, record = &ps[i], nil
			} else if last != nil {
				record = &ps[i]
			}
		}
		if last == nil || last.Text != c.lastUnit {
			t.Errorf("%s: last article %+v, want text %q", c.name, last, c.lastUnit)
			continue
		}
		switch {
		case c.record == "" && record != nil:
			t.Errorf("%s: unexpected passage after the last article: %+v", c.name, record)
		case c.record != "" && record == nil:
			t.Errorf("%s: no record passage; got %q", c.name, units(ps))
		case record != nil && record.Text != c.record:
			t.Errorf("%s: record %q, want %q", c.name, record.Text, c.record)
		}
	}
}

// TestMayStartInner checks that mayStartInner holds wherever innerStartRe
// matches, and rules out paragraphs with no number after a sentence's end
// and white space.
func TestMayStartInner(t *testing.T) {
	for s, want := range map[string]bool{
		"ends here. 2.2 On 11 November":    true,
		"the decision.” 12. The Committee": true,
		"as follows:\n(a) 3 The":           false,
		"rejected.) \t4 Counsel":           true,
		"article 3 of the Convention.":     false,
		"in 2004. On 5 May":                false,
		"paras. 12, 30":                    true, // a candidate the expression rejects
		"":                                 false,
	} {
		if got := mayStartInner(s); got != want {
			t.Errorf("mayStartInner(%q) = %v, want %v", s, got, want)
		}
		if innerStartRe.MatchString(s) && !mayStartInner(s) {
			t.Errorf("%q: innerStartRe matches, mayStartInner rules it out", s)
		}
	}
}

// TestContainsSpaced compares containsSpaced with searching for the text
// it stands for.
func TestContainsSpaced(t *testing.T) {
	texts := []string{"", "4", " 4", " 4.", "a 4 b", "x4. 4", "14. 4.", " 3.1 and", "3.1", "no 3.12", " 44.", "4.  4"}
	for _, text := range texts {
		for _, w := range []string{"4", "3.1", "44"} {
			want := strings.Contains(text, " "+w+".") || strings.Contains(text, " "+w+" ")
			if got := containsSpaced(text, w, ". "); got != want {
				t.Errorf("containsSpaced(%q, %q, \". \") = %v, want %v", text, w, got, want)
			}
			if got, want := containsSpaced(text, w, ""), strings.Contains(text, " "+w); got != want {
				t.Errorf("containsSpaced(%q, %q, \"\") = %v, want %v", text, w, got, want)
			}
		}
	}
}
