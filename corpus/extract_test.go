package corpus_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

var (
	catDecision  = corpus.Context{DocumentID: "cat-c-1-d-1-2000", Kind: corpus.KindDecision, Instrument: "CAT", Body: "CAT", Language: "en"}
	ccprDecision = corpus.Context{DocumentID: "ccpr-c-1-d-1-2000", Kind: corpus.KindDecision, Instrument: "ICCPR", Body: "CCPR", Language: "en"}
	cerdDecision = corpus.Context{DocumentID: "cerd-c-1-d-1-2000", Kind: corpus.KindDecision, Instrument: "ICERD", Body: "CERD", Language: "en"}
	srReport     = corpus.Context{DocumentID: "a-1-1", Kind: corpus.KindReport, Body: "Special Rapporteur", Language: "en"}
	iccprES      = corpus.Context{DocumentID: "iccpr-es", Kind: corpus.KindTreaty, Instrument: "ICCPR", Language: "es"}
	smrText      = corpus.Context{DocumentID: "nelson-mandela-rules", Kind: corpus.KindRules, Instrument: "SMR", Language: "en"}
	opText       = corpus.Context{DocumentID: "iccpr", Kind: corpus.KindTreaty, Instrument: "ICCPR-OP1", Language: "en"}
	article      = corpus.Context{DocumentID: "blog", Kind: corpus.KindArticle, Language: "en"}
)

func TestExtractArticles(t *testing.T) {
	tests := []struct {
		name string
		c    corpus.Context
		text string
		want []string
	}{
		{"plain", catDecision, "a violation of article 3 of the Convention.", []string{"CAT 3"}},
		{"abbreviated", article, "the American Convention requires it (art. 5(6)).", []string{"ACHR 5", "ACHR 5(6)"}},
		{"abbreviated with space", article, "Under the American Convention, Art. 5 (6) applies.", []string{"ACHR 5", "ACHR 5(6)"}},
		{"list", catDecision, "a violation of articles 2, 11 and 16 of the Convention", []string{"CAT 11", "CAT 16", "CAT 2"}},
		{"chained", catDecision, "a violation of articles 2 (1) read in conjunction with article 1, 12, 13 and 15 of the Convention", []string{"CAT 1", "CAT 12", "CAT 13", "CAT 15", "CAT 2", "CAT 2(1)"}},
		{"paragraph after", catDecision, "inadmissible under article 22, paragraph 7, of the Convention", []string{"CAT 22", "CAT 22(7)"}},
		{"paragraphs list", opText, "set forth in article 10, paragraphs 2 and 3, of the Covenant", []string{"ICCPR 10", "ICCPR 10(2)"}},
		{"nested sub-paragraphs", catDecision, "as required by article 22 (5) (a) of the Convention", []string{"CAT 22", "CAT 22(5)"}},
		{"paragraph of article", catDecision, "within the meaning of paragraph 1 of article 3 of the Convention", []string{"CAT 3", "CAT 3(1)"}},
		{"letter suffix", catDecision, "the definition in article 1A of the 1951 Convention relating to the Status of Refugees", []string{"CSR 1", "CSR 1(A)"}},
		{"Spanish", iccprES, "conforme al artículo 28 del presente Pacto", []string{"ICCPR 28"}},
		{"Spanish list", iccprES, "los derechos reconocidos en los artículos 1 y 2", []string{"ICCPR 1", "ICCPR 2"}},
		{"Spanish dotted", article, "la Convención Americana (artículo 22.8)", []string{"ACHR 22", "ACHR 22(8)"}},
		{"rule of SMR by name", catDecision, "contrary to rule 43 of the Nelson Mandela Rules", []string{"SMR 43"}},
		{"rule in SMR text", smrText, "Subject to rule 43, paragraph 1, prisoners shall", []string{"SMR 43", "SMR 43(1)"}},
		{"rule after mention", article, "The Nelson Mandela Rules set limits. Rule 43 prohibits solitary confinement.", []string{"SMR 43"}},
		{"rules of procedure dropped", catDecision, "under rule 113 (b) of its rules of procedure", nil},
		{"Committee's rules dropped", catDecision, "under rule 114 (1) of the Committee’s rules of procedure", nil},
		{"bare rule in decision dropped", catDecision, "the Committee, under rule 115, requested", nil},
		{"parenthesised", article, "the American Convention on Human Rights (article 22(8)) and the Convention against Torture (article 3)", []string{"ACHR 22", "ACHR 22(8)", "CAT 3"}},
		{"instrument after chain", catDecision, "would violate article 13, in conjunction with article 3, of the European Convention on Human Rights", []string{"ECHR 13", "ECHR 3"}},
		{"national code dropped", catDecision, "The defence invoked article 721 of the Moroccan Code of Criminal Procedure.", nil},
		{"national act dropped", srReport, "According to article 109 of the Amparo, Habeas Corpus and Constitutionality Act of 1986, the court", nil},
		{"constitution dropped", catDecision, "as guaranteed by article 14 of the Constitution", nil},
		{"unregistered instrument dropped", srReport, "Article 7 (1) (f) of the Rome Statute lists torture.", nil},
		{"other named convention dropped", catDecision, "article 31 of the Vienna Convention on the Law of Treaties", nil},
		{"generic in report resolves to preceding", srReport, "The Convention against Torture entered into force in 1987. Article 20 of the Convention provides for inquiries.", []string{"CAT 20"}},
		{"generic unresolved dropped", srReport, "Article 12 (2) of the Declaration provides protection.", nil},
		{"covenant in protocol", opText, "any of the rights set forth in article 2 of the Covenant", []string{"ICCPR 2"}},
		{"own protocol", opText, "in accordance with article 5 of the present Protocol", []string{"ICCPR-OP1 5"}},
		{"context fallback", catDecision, "The complainant invokes article 16.", []string{"CAT 16"}},
		{"no context", srReport, "The complainant invokes article 16.", nil},
		{"paragraph list with subs", ccprDecision, "issues under articles 10, 14, paragraphs 1, 3(e) and 5, and 26, of the Covenant", []string{"ICCPR 10", "ICCPR 14", "ICCPR 14(1)", "ICCPR 26"}},
		{"footnotes in a chain", ccprDecision, "It referred to article 45, part 7;[[fn:6]] article 48, parts 9 and 10;[[fn:7]] and article 68, part 6,[[fn:8]] of the Electoral Code.", nil},
		{"anaphoric generic", catDecision, "a violation of the European Convention on Human Rights. The Court ruled that article 9 of that Convention was not violated, nor article 10 (freedom of expression).", []string{"ECHR 10", "ECHR 9"}},
		{"national law with letter", catDecision, "under article 125E/a of the Public Servants Law No. 657", nil},
		{"sub-paragraph lists", cerdDecision, "his rights under articles 1 (1), (2) and (4), 2 (1) (a) and (2), 5 (a) and (d) (iv), and 9 (1) of the Convention.[[fn:8]]", []string{"ICERD 1", "ICERD 1(1)", "ICERD 2", "ICERD 2(1)", "ICERD 5", "ICERD 5(a)", "ICERD 9", "ICERD 9(1)"}},
		{"thereof after a law", cerdDecision, "the rights enshrined in article 423 of the Constitution of the Republic of Ecuador, or the right established in article 67 thereof", nil},
		{"thereof after an instrument", srReport, "the Convention against Torture, in particular article 2 thereof", []string{"CAT 2"}},
		{"range", catDecision, "articles 1 to 4 of the Convention", []string{"CAT 1", "CAT 2", "CAT 3", "CAT 4"}},
		{"procedural formula", catDecision, "The Committee, acting under article 22 (7) of the Convention, decides that", nil},
		{"date is no article", catDecision, "article 3, 12 March 2003", []string{"CAT 3"}},
		{"ordinal is no article", catDecision, "the art 2nd edition", nil},
		{"abbreviation after", srReport, "torture is prohibited (article 7 ICCPR)", []string{"ICCPR 7"}},
		{"Optional Protocol to CAT", srReport, "article 17 of the Optional Protocol to the Convention against Torture", []string{"OPCAT 17"}},
		{"sentence end is no reference", catDecision, "the offences referred to in this article.\n2. Each State Party shall", nil},
		{"sentence end then reference", catDecision, "as provided in the present article.\n4. Nothing in article 16 of the Convention", []string{"CAT 16"}},
		{"Dutch sentence end", corpus.Context{DocumentID: "cat", Kind: corpus.KindTreaty, Instrument: "CAT", Language: "nl"}, "bedoeld in dit artikel.\n2. Iedere Staat", nil},
		{"Spanish sentence end", iccprES, "lo dispuesto en el presente artículo. 5. Toda persona", nil},
		{"abbreviation keeps its dot", catDecision, "as required by art.\n14 of the Convention", []string{"CAT 14"}},
		{"nearest preceding mention", article, "Article 5(6) of the American Convention on Human Rights declares it.", []string{"ACHR 5", "ACHR 5(6)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpus.Extract(tt.text, tt.c).Articles
			if !slices.Equal(got, tt.want) {
				t.Errorf("Extract(%q).Articles = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractStates(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"name", "his extradition to Tunisia", []string{"TN"}},
		{"official", "return to the Russian Federation", []string{"RU"}},
		{"Türkiye", "Türkiye and Turkey", []string{"TR"}},
		{"Congo", "Slovakia and the Congo joined", []string{"CG", "SK"}},
		{"Republic of the Congo", "deportation to the Republic of the Congo", []string{"CG"}},
		{"DRC", "expulsion to the Democratic Republic of the Congo", []string{"CD"}},
		{"Hong Kong", "detained in Hong Kong", []string{"HK"}},
		{"USA variants", "the United States of America, the U.S. and the USA", []string{"US"}},
		{"US", "The US and El Salvador have ratified", []string{"SV", "US"}},
		{"demonym", "transfer of US prisoners to Salvadoran jails", []string{"SV", "US"}},
		{"Salvadorian", "a Salvadorian national", []string{"SV"}},
		{"Spanish demonym", "los reclusos salvadoreños y la cárcel salvadoreña", []string{"SV"}},
		{"Ethiopian Swiss", "an Ethiopian national living under Swiss law", []string{"CH", "ET"}},
		{"Americans as people", "Americans deported abroad", []string{"US"}},
		{"American Convention is not US", "the American Convention on Human Rights", nil},
		{"Inter-American is not US", "the Inter-American Commission and Inter-American Court", nil},
		{"American adjective", "American citizens and American authorities", []string{"US"}},
		{"American adjective elsewhere", "American Declaration of the Rights and Duties of Man", nil},
		{"Georgia the state", "asylum in Georgia on 20 July 2017", []string{"GE"}},
		{"Georgia in the US", "born in Atlanta, Georgia, he", nil},
		{"Georgia person", "Ms. Georgia Brown testified", nil},
		{"Mexico City", "held in Mexico City", []string{"MX"}},
		{"New Mexico", "a prison in New Mexico", nil},
		{"Guinea family", "Guinea, Equatorial Guinea, Papua New Guinea and Guinea-Bissau", []string{"GN", "GQ", "GW", "PG"}},
		{"Niger Nigeria", "Niger borders Nigeria", []string{"NE", "NG"}},
		{"Dominica", "Dominica and the Dominican Republic", []string{"DM", "DO"}},
		{"Jordan person", "Mr. Jordan and Michael Jordan visited Jordan", []string{"JO"}},
		{"Chad person", "Chad Smith travelled to Chad", []string{"TD"}},
		{"Jersey", "New Jersey is not Jersey", []string{"JE"}},
		{"case-sensitive", "the turkey and the chad of a ballot", nil},
		{"language list", "[Adopted in English, French and Spanish. Subsequently to be issued also in Arabic, Chinese and Russian.]", nil},
		{"language", "interviewed in French, the Spanish text and a Russian-speaking interpreter", nil},
		{"demonym institution", "the French authorities and Swedish Migration Board", []string{"FR", "SE"}},
		{"Moroccan Code", "the Moroccan Code of Criminal Procedure", []string{"MA"}},
		{"symbol state", "see CAT/C/SLV/CO/3", []string{"SV"}},
		{"no state in symbol words", "CAT/C/USA/CO/3-5", []string{"US"}},
		{"Papua New Guinea", "only Jamaica and Papua New Guinea have not ratified", []string{"JM", "PG"}},
		{"ISO inverted name", "the Republic of Korea and the Democratic People's Republic of Korea", []string{"KP", "KR"}},
		{"Spanish name", "Estados Unidos y México", []string{"MX", "US"}},
		{"Sudan", "deport the complainant to the Sudan, not South Sudan", []string{"SD", "SS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpus.Extract(tt.text, article).States
			if !slices.Equal(got, tt.want) {
				t.Errorf("Extract(%q).States = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestExtractInstruments(t *testing.T) {
	tests := []struct {
		name string
		c    corpus.Context
		text string
		want []string
	}{
		{"generic in decision", catDecision, "obligations under the Convention", []string{"CAT"}},
		{"Committee alone", catDecision, "under rule 114 (1) of the Committee’s rules of procedure", nil},
		{"OPCAT not CAT", srReport, "joined the Optional Protocol to the Convention against Torture", []string{"OPCAT"}},
		{"several", catDecision, "provisions of the International Covenant on Civil and Political Rights and the Convention relating to the Status of Refugees are inadmissible under article 22 (1) of the Convention", []string{"CAT", "CSR", "ICCPR"}},
		{"short forms", article, "the Pact of San José, the Nelson Mandela Rules, the Refugee Convention and the ECHR", []string{"ACHR", "CSR", "ECHR", "SMR"}},
		{"Spanish", iccprES, "la Convención Americana y el Pacto de San José", []string{"ACHR"}},
		{"European Convention for the Prevention of Torture", catDecision, "the European Convention for the Prevention of Torture", nil},
		{"Juvenile rules are not SMR", srReport, "the United Nations Standard Minimum Rules for the Administration of Juvenile Justice", nil},
		{"Vienna Convention", catDecision, "the Vienna Convention on the Law of Treaties", nil},
		{"generic after unrelated", iccprES, "la Convención sobre los privilegios e inmunidades de las Naciones Unidas", nil},
		{"symbol words", srReport, "CAT/C/GC/4", nil},
		{"Optional Protocol to the Convention", catDecision, "It has not ratified the Optional Protocol to the Convention.", []string{"OPCAT"}},
		{"Optional Protocol in CCPR decision", ccprDecision, "inadmissible under article 2 of the Optional Protocol", []string{"ICCPR-OP1"}},
		{"Optional Protocol in CAT decision", catDecision, "under the Optional Protocol", nil},
		{"Convention for a state", catDecision, "The Convention entered into force for Canada in 1987.", []string{"CAT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpus.Extract(tt.text, tt.c).Instruments
			if !slices.Equal(got, tt.want) {
				t.Errorf("Extract(%q).Instruments = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestContextOf(t *testing.T) {
	tests := []struct {
		e    corpus.Entry
		want corpus.Context
	}{
		{corpus.Entry{ID: "cat-c-slv-co-3", Kind: "report", Body: "CAT", Symbol: "CAT/C/SLV/CO/3", Language: "en"},
			corpus.Context{DocumentID: "cat-c-slv-co-3", Kind: "report", Instrument: "CAT", Body: "CAT", Language: "en", Symbol: "CAT/C/SLV/CO/3", States: []string{"SV"}}},
		{corpus.Entry{ID: "ccpr-gc31", Kind: "general-comment", Body: "CCPR", Symbol: "CCPR/C/21/Rev.1/Add. 13", States: []string{"fr"}},
			corpus.Context{DocumentID: "ccpr-gc31", Kind: "general-comment", Instrument: "ICCPR", Body: "CCPR", Symbol: "CCPR/C/21/Rev.1/Add.13", States: []string{"FR"}}},
		{corpus.Entry{ID: "x", Kind: "decision", Symbol: "E/C.12/61/D/5/2015"},
			corpus.Context{DocumentID: "x", Kind: "decision", Instrument: "ICESCR", Body: "CESCR", Symbol: "E/C.12/61/D/5/2015"}},
	}
	for _, tt := range tests {
		got := corpus.ContextOf(&tt.e)
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
			t.Errorf("ContextOf(%s)\n got  %+v\n want %+v", tt.e.ID, got, tt.want)
		}
	}
}

func TestEnrich(t *testing.T) {
	treaty := &corpus.Document{
		Entry: corpus.Entry{ID: "cat", Kind: corpus.KindTreaty, Instrument: "CAT", Symbol: "A/RES/39/46", Language: "en"},
		Passages: []corpus.Passage{
			{ID: "cat#art-3", Unit: "art-3", Text: "Article 3 1. No State Party shall expel, return (\"refouler\") or extradite a person."},
			{ID: "cat#nl-art-3", Unit: "nl-art-3", Language: "nl", Text: "Artikel 3"},
			{ID: "cat#art-22", Unit: "art-22", Text: "Article 22 ... the provisions of article 3 ..."},
			{ID: "cat#preamble", Unit: "preamble", Text: "The States Parties to this Convention"},
		},
	}
	corpus.Enrich(treaty)
	check := func(p corpus.Passage, field string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s %s = %q, want %q", p.ID, field, got, want)
		}
	}
	check(treaty.Passages[0], "articles", treaty.Passages[0].Articles, []string{"CAT 3"})
	check(treaty.Passages[1], "articles", treaty.Passages[1].Articles, []string{"CAT 3"})
	check(treaty.Passages[2], "articles", treaty.Passages[2].Articles, []string{"CAT 22", "CAT 3"})
	check(treaty.Passages[3], "articles", treaty.Passages[3].Articles, nil)
	for _, p := range treaty.Passages {
		check(p, "instruments", p.Instruments, []string{"CAT"})
		check(p, "symbols", p.Symbols, []string{"A/RES/39/46"})
		if p.Instrument != "CAT" {
			t.Errorf("%s own instrument = %q", p.ID, p.Instrument)
		}
	}

	iccpr := &corpus.Document{
		Entry: corpus.Entry{ID: "iccpr", Kind: corpus.KindTreaty, Instrument: "ICCPR"},
		Passages: []corpus.Passage{
			{ID: "iccpr#op1-art-1", Unit: "op1-art-1", Text: "Article 1 A State Party to the Covenant that becomes a Party to the present Protocol recognizes the competence of the Committee. See article 2 of the Covenant."},
		},
	}
	corpus.Enrich(iccpr)
	p := iccpr.Passages[0]
	check(p, "articles", p.Articles, []string{"ICCPR 2", "ICCPR-OP1 1"})
	check(p, "instruments", p.Instruments, []string{"ICCPR", "ICCPR-OP1"})
	if p.Instrument != "ICCPR-OP1" {
		t.Errorf("%s own instrument = %q, want ICCPR-OP1", p.ID, p.Instrument)
	}

	smr := &corpus.Document{
		Entry:    corpus.Entry{ID: "nelson-mandela-rules", Kind: corpus.KindRules, Instrument: "SMR"},
		Passages: []corpus.Passage{{ID: "nelson-mandela-rules#rule-58", Unit: "rule-58", Text: "Rule 58 1. Prisoners shall be allowed ... subject to rule 43."}},
	}
	corpus.Enrich(smr)
	check(smr.Passages[0], "articles", smr.Passages[0].Articles, []string{"SMR 43", "SMR 58"})

	decision := &corpus.Document{
		Entry: corpus.Entry{ID: "cat-c-34-d-233-2003", Kind: corpus.KindDecision, Body: "CAT", Instrument: "CAT", Symbol: "CAT/C/34/D/233/2003"},
		Passages: []corpus.Passage{
			{ID: "d#para-1.1", Unit: "para-1.1", Text: "The complainant claims that his deportation to Sri Lanka would constitute a violation by Switzerland of article 3 of the Convention."},
			{ID: "d#para-2.1", Unit: "para-2.1", Text: "The complainant was arrested in 2001 and later travelled through Italy."},
			{ID: "d#para-9", Unit: "para-9", Text: "The Committee, acting under article 22 (7) of the Convention, concludes."},
		},
	}
	corpus.Enrich(decision)
	check(decision.Passages[0], "states", decision.Passages[0].States, []string{"CH", "LK"})
	check(decision.Passages[1], "states", decision.Passages[1].States, []string{"CH", "IT", "LK"})
	check(decision.Passages[2], "states", decision.Passages[2].States, []string{"CH", "LK"})
	check(decision.Passages[0], "articles", decision.Passages[0].Articles, []string{"CAT 3"})
	check(decision.Passages[1], "instruments", decision.Passages[1].Instruments, []string{"CAT"})
	check(decision.Passages[1], "symbols", decision.Passages[1].Symbols, []string{"CAT/C/34/D/233/2003"})

	nationality := &corpus.Document{
		Entry: corpus.Entry{ID: "cat-c-79-d-1013-2020", Kind: corpus.KindDecision, Body: "CAT", Instrument: "CAT"},
		Passages: []corpus.Passage{
			{ID: "n#para-1", Unit: "para-1", Text: "The complainant is A.A., a national of Kazakhstan born in 1978."},
			{ID: "n#para-2", Unit: "para-2", Text: "His wife, an Uzbek national, and a lawyer who studied in France."},
			{ID: "n#para-3", Unit: "para-3", Text: "He was sentenced to life in prison."},
		},
	}
	corpus.Enrich(nationality)
	check(nationality.Passages[2], "states", nationality.Passages[2].States, []string{"KZ", "UZ"})

	report := &corpus.Document{
		Entry:    corpus.Entry{ID: "cat-c-slv-co-3", Kind: corpus.KindReport, Body: "CAT", Symbol: "CAT/C/SLV/CO/3", States: []string{"SV"}},
		Passages: []corpus.Passage{{ID: "r#para-1", Unit: "para-1", Text: "The Committee welcomes the report."}},
	}
	corpus.Enrich(report)
	check(report.Passages[0], "states", report.Passages[0].States, []string{"SV"})
}

func TestExtractReferencesOffsets(t *testing.T) {
	text := "The US violated article 3 of the Convention (see CAT/C/USA/CO/3-5)."
	for _, r := range corpus.ExtractReferences(text, catDecision) {
		t.Logf("%s %q → %s %s", r.Kind, text[r.Start:r.End], r.Value, r.Fine)
	}
	refs := corpus.ExtractReferences(text, catDecision)
	var art *corpus.Reference
	for i := range refs {
		if refs[i].Kind == corpus.RefArticle {
			art = &refs[i]
		}
	}
	if art == nil || text[art.Start:art.End] != "article 3" || art.Value != "CAT 3" {
		t.Fatalf("article reference = %+v", art)
	}
}

func ExampleExtract() {
	c := corpus.Context{Kind: corpus.KindArticle, Language: "en"}
	x := corpus.Extract("The prohibition of refoulement is recognised in the American Convention on Human Rights (article 22(8)). The US and El Salvador have ratified the ICCPR.", c)
	fmt.Println(x.Instruments)
	fmt.Println(x.Articles)
	fmt.Println(x.States)

	decision := corpus.Context{Kind: corpus.KindDecision, Instrument: "CAT", Body: "CAT"}
	fmt.Println(corpus.Extract("His deportation to Sri Lanka would constitute a violation by Switzerland of article 3 of the Convention.", decision).Articles)
	// Output:
	// [ACHR ICCPR]
	// [ACHR 22 ACHR 22(8)]
	// [SV US]
	// [CAT 3]
}

func ExampleExtractReferences() {
	text := "contrary to rule 43 of the Nelson Mandela Rules"
	for _, r := range corpus.ExtractReferences(text, corpus.Context{}) {
		fmt.Printf("%s %q %s\n", r.Kind, text[r.Start:r.End], r.Value)
	}
	// Output:
	// article "rule 43" SMR 43
	// instrument "Nelson Mandela Rules" SMR
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"a violation by Switzerland of article 3 of the Convention",
		"articles 2 (1) read in conjunction with article 1, 12, 13 and 15 of the Convention",
		"the American Convention on Human Rights (article 22(8))",
		"artículos 1 y 2 del Pacto; artículo 22.8",
		"rule 43 of the Nelson Mandela Rules; rule 113 (b) of its rules of procedure",
		"CCPR/C/21/Rev.1/Add. 13 and CAT/C/SLV/CO/3.",
		"paragraph 1 of article 3, articles 1 to 16, art. 5 (6)",
		"Salvadoran, salvadoreña, the Democratic People’s Republic of Korea, Côte d’Ivoire",
		"A/RES/2200A(XXI) article 1A (F)(c), of the 1951 Convention",
		"article 9999999 art.(((( rule -1 paragraph of article",
	} {
		f.Add(s, "CAT", "decision")
	}
	f.Fuzz(func(t *testing.T, text, instrument, kind string) {
		c := corpus.Context{Instrument: instrument, Kind: kind}
		refs := corpus.ExtractReferences(text, c)
		for _, r := range refs {
			if r.Start < 0 || r.End > len(text) || r.Start > r.End {
				t.Fatalf("reference %+v outside the input (%d bytes)", r, len(text))
			}
			if r.Value == "" {
				t.Fatalf("empty value: %+v", r)
			}
			switch r.Kind {
			case corpus.RefArticle:
				in, num, ok := strings.Cut(r.Value, " ")
				if _, known := corpus.LookupInstrument(in); !ok || !known || num == "" {
					t.Fatalf("malformed article %q", r.Value)
				}
				if r.Fine != "" && (!strings.HasPrefix(r.Fine, r.Value+"(") || !strings.HasSuffix(r.Fine, ")")) {
					t.Fatalf("malformed fine value %q for %q", r.Fine, r.Value)
				}
			case corpus.RefInstrument:
				if _, ok := corpus.LookupInstrument(r.Value); !ok {
					t.Fatalf("unknown instrument %q", r.Value)
				}
			case corpus.RefState:
				if _, ok := corpus.LookupState(r.Value); !ok || len(r.Value) != 2 {
					t.Fatalf("unknown state %q", r.Value)
				}
			case corpus.RefSymbol:
				if !utf8.ValidString(r.Value) && utf8.ValidString(text) {
					t.Fatalf("invalid symbol %q", r.Value)
				}
			default:
				t.Fatalf("unknown kind %q", r.Kind)
			}
		}
		x := corpus.Extract(text, c)
		for _, l := range [][]string{x.Instruments, x.Articles, x.States, x.Symbols} {
			if !slices.IsSorted(l) || len(slices.Compact(slices.Clone(l))) != len(l) {
				t.Fatalf("not a sorted set: %q", l)
			}
		}
	})
}

func TestStateNames(t *testing.T) {
	got := corpus.StateNames("CH")
	for _, want := range []string{"Switzerland", "Suiza"} {
		if !slices.Contains(got, want) {
			t.Errorf("StateNames(CH) = %q, want %q among them", got, want)
		}
	}
	for _, demonym := range []string{"Swiss"} {
		if slices.Contains(got, demonym) {
			t.Errorf("StateNames(CH) = %q holds the demonym %q", got, demonym)
		}
	}
	if got := corpus.StateNames("XX"); len(got) != 0 {
		t.Errorf("StateNames(XX) = %q, want none", got)
	}
}
