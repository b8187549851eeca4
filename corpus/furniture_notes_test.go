package corpus

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCleanParagraphsFootnotes(t *testing.T) {
	blocks := []Block{
		{Number: "7.", Text: "States must hear every applicant in person before removal.6 Hearings shall be public."},
		{Number: "8.", Text: "Consequently, authorities must allow the person to contest the order and 6 The word “removal” covers here any transfer of a person out of the territory. See also Committee against Torture, general comment No. 4, para. 9. 7 Convention against Torture, art. 3 (1); see also Human Rights Committee, general comment No. 20 (1992), para. 9. 8 See X v. Country (CAT/C/99/D/1/2020), para. 7.4. 9 Committee against Torture, general comment No. 4, para. 12. to seek “protection” 10 before the envisaged transfer. Group removals without individual examination are unlawful.11 The same holds for summary screenings at sea."},
		{Number: "9.", Text: "Authorities shall weigh every relevant factor, including the general situation in the country.12 10 Committee against Torture, general comment No. 4, para. 13. 11 Ibid., para. 14. 12 See A/HRC/99/1, para. 3."},
	}
	got := CleanParagraphs(blocks)
	wantText := []string{
		"States must hear every applicant in person before removal. Hearings shall be public.",
		"Consequently, authorities must allow the person to contest the order and to seek “protection” before the envisaged transfer. Group removals without individual examination are unlawful. The same holds for summary screenings at sea.",
		"Authorities shall weigh every relevant factor, including the general situation in the country.",
	}
	for i, b := range got {
		if i >= len(wantText) || b.Text != wantText[i] {
			t.Errorf("block %d:\n got %q", i, b.Text)
			continue
		}
	}
	var ns [][]string
	for _, b := range got {
		var n []string
		for _, x := range b.Notes {
			n = append(n, x.N)
		}
		ns = append(ns, n)
	}
	want := [][]string{{"6"}, {"7", "8", "9", "10", "11"}, {"12"}}
	if !reflect.DeepEqual(ns, want) {
		t.Errorf("notes by block %v, want %v", ns, want)
	}
	if len(got) > 1 && len(got[1].Notes) > 2 && !strings.HasSuffix(got[1].Notes[2].Text, "para. 12.") {
		t.Errorf("note 9 = %q", got[1].Notes[2].Text)
	}
}

// TestNotesKeptApartFromFacets: an article cited only in a note is a cite
// of the passage, not one of its facets.
func TestNotesKeptApartFromFacets(t *testing.T) {
	doc := &Document{Entry: Entry{ID: "r", Kind: KindReport, Language: "en"}}
	doc.Passages = []Passage{{ID: "r#para-1", Document: "r", Unit: "para-1",
		Text:  "States must examine every claim individually.",
		Notes: []Note{{N: "3", Text: "Convention against Torture, art. 3."}}}}
	Enrich(doc)
	p := doc.Passages[0]
	if slices.Contains(p.Articles, "CAT 3") || slices.Contains(p.Instruments, "CAT") {
		t.Errorf("facets from a note: %v %v", p.Instruments, p.Articles)
	}
	if !slices.Contains(p.Cites, "CAT 3") {
		t.Errorf("cites %v, want CAT 3", p.Cites)
	}
}

// TestRunningLinesAndHeadings: running headers and footers of a UN
// document leave the paragraph they interrupt, wherever they stand, and a
// section heading printed at a paragraph's end moves before the next one.
func TestRunningLinesAndHeadings(t *testing.T) {
	blocks := []Block{
		{Number: "1.", Text: "The mission visited four places of detention in the A/99/100 31-12345 3/20 capital and two in the provinces."},
		{Number: "2.", Text: "Annex English Page 2 The authorities cooperated fully with the mission A/99/100 throughout."},
		{Number: "3.", Text: "Access was granted to every cell. GE.31-12345 Access to records was A/99/100 partial."},
		{Number: "4.", Text: "The mission thanks the Government. A/99/100 III. Conditions of detention in police custody"},
		{Number: "5.", Text: "Cells were overcrowded. Page 4 of 9"},
	}
	got := CleanParagraphs(blocks)
	var texts []string
	for _, b := range got {
		if b.Heading {
			texts = append(texts, "# "+b.Text)
			continue
		}
		texts = append(texts, b.Text)
	}
	want := []string{
		"The mission visited four places of detention in the capital and two in the provinces.",
		"The authorities cooperated fully with the mission throughout.",
		"Access was granted to every cell. Access to records was partial.",
		"The mission thanks the Government.",
		"# III. Conditions of detention in police custody",
		"Cells were overcrowded.",
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got\n%q\nwant\n%q", texts, want)
	}
	// A symbol cited in the text stays.
	cited := []Block{{Number: "1.", Text: "See the previous report (A/99/100), paras. 3-5."}}
	if got := CleanParagraphs(cited); got[0].Text != cited[0].Text {
		t.Errorf("citation changed: %q", got[0].Text)
	}
}

// numberWordRe is what numberWordBefore does, as a pattern: the tests hold
// the function to it.
var numberWordRe = regexp.MustCompile(`(?i)(?:\b(?:` + strings.Join(numberWords, "|") + `)\.?|[-–/])\s*$`)

var numberWordSeeds = []string{
	"", " ", "article ", "Article 3 ", "see articles ", "paras. ", "para.", "the para ", "separa ", "xpara ",
	"in para", "pp. ", "pp ", "p.", "ap ", "No. ", "nos ", "Nº ", "page\t", "Pages\n", "2010-", "2010– ", "CAT/C/ ",
	"rule  ", "Rules. ", "chapter. . ", "section", "ſection ", "xſection ", "ſtep", "tabLE ", "tablé ",
	"K ", "class ", "claſs ", "figure_ ", "_figure ", "9figure ", "é figure ", "\x9dart ", "art\x9d ", "\u00a0art ",
	"resolution\u00a0", "of the decision ", "grade. ", "levels ", "a phase.", "item.. ", "vol ", "volume", "annex ",
}

func TestNumberWordBefore(t *testing.T) {
	for _, s := range numberWordSeeds {
		if got, want := numberWordBefore(s), numberWordRe.MatchString(s); got != want {
			t.Errorf("numberWordBefore(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzNumberWordBefore(f *testing.F) {
	for _, s := range numberWordSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := numberWordBefore(s), numberWordRe.MatchString(s); got != want {
			t.Errorf("numberWordBefore(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

var symbolSeeds = []string{
	"", "A/59/324", "see A/59/324 and", "the report A/59/324 22-22673 4/17 of", "(CAT/C/38/D/300/2006)",
	"CAT/C/GC/4.", "E/CN.4/1988/17, para. 3", "and/or", "1/2", "ABCDEFG/1 x", "x\tA/HRC/13/39\n", "é A/1 B/2 C/3",
	"a\u00a0A/1 b", "A/1", " A/1", "A/1 ", "Ó/1 x", "x A/b_c y", "x A/1 A/2 A/3 A/4", "1. A/HRC/13/39 x",
	"x A/1/2/3/4/5/6/7 y", "x A/1/2/3/4/5/6/7/8 y", "x A//1 y", "x A/1/ y", "x A/a y", "x A/1a(b).- y", "x ABCDEF/1",
	"é\tA/1\fB/2\rC/3", "” A/1", "\xe2\x80 A/1",
}

var wholeSymbolRe = regexp.MustCompile(`^` + unSymbol + `$`)

// bareSymbolRe is what bareSymbols finds, as a pattern.
var bareSymbolRe = regexp.MustCompile(`(^|[\p{L}\d.,;:”’"]\s+)(` + unSymbol + `)(?:\s+|$)`)

// FuzzSymbolShapes holds the functions that find and remove running
// symbols to the patterns they stand for.
func FuzzSymbolShapes(f *testing.F) {
	for _, s := range symbolSeeds {
		f.Add(s, "A/59/324")
	}
	for _, s := range []string{
		"A/1 A/1 x", "  A/1\tA/1", "A/1A/1 A/1", "é\u00a0A/1 x", "see, A/1", "A/1 ", "A/1", "x A/1", "”  A/1  \n",
		"x A/1/2 y", "1 A/1, A/1.", "\xe2\x80 A/1 x", "(A/1) A/1 (x", "A/1\f", "x\rA/1\r",
	} {
		f.Add(s, "A/1")
	}
	f.Fuzz(func(t *testing.T, text, symbol string) {
		var want []string
		for _, m := range bareSymbolRe.FindAllStringSubmatch(text, -1) {
			want = append(want, m[2])
		}
		if got := bareSymbols(text); !slices.Equal(got, want) {
			t.Errorf("bareSymbols(%q) = %q, the pattern finds %q", text, got, want)
		}
		if !wholeSymbolRe.MatchString(symbol) {
			return // runningSymbol returns what bareSymbolRe found
		}
		re := regexp.MustCompile(`(^|[\p{L}\d.,;:”’"])\s+` + regexp.QuoteMeta(symbol) + `(?:\s+|$)|^` + regexp.QuoteMeta(symbol) + `\s+`)
		if got, want := removeBareSymbol(text, symbol), re.ReplaceAllString(text, "$1 "); got != want {
			t.Errorf("removeBareSymbol(%q, %q)\n got %q\nwant %q (the pattern's)", text, symbol, got, want)
		}
	})
}

// FuzzCollapseSpaces holds collapseSpaces to the pattern it stands for.
func FuzzCollapseSpaces(f *testing.F) {
	spaceRunRe := regexp.MustCompile(`[ \t]{2,}`)
	for _, s := range []string{"", " ", "a  b", "a\tb", "a \t b", "  a  ", "\t\t", "a\u00a0 b", "é  \tè\n  x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpaces(s), spaceRunRe.ReplaceAllString(s, " "); got != want {
			t.Errorf("collapseSpaces(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestNotesCite compares notesCite, which stops at the note that decides,
// with counting every note's citation: for runs of one to five notes, every
// pattern of citing notes, and first numbers around the counter.
func TestNotesCite(t *testing.T) {
	const cite, plain = "See A/HRC/37/50, para. 3.", "The term refers here to removal"
	if !citationRe.MatchString(cite) || citationRe.MatchString(plain) {
		t.Fatal("the fixtures do not cite as meant")
	}
	for n := 1; n <= 5; n++ {
		for mask := range 1 << n {
			found := make([]Note, n)
			cites := 0
			for k := range found {
				found[k].Text = plain
				if mask&(1<<k) != 0 {
					found[k].Text = cite
					cites++
				}
			}
			for first := 1; first <= 8; first++ {
				const next = 3
				want := !(cites*2 < n || n == 1 && (cites == 0 || first < next || first > next+3))
				if got := notesCite(found, first, next); got != want {
					t.Errorf("%d notes, citing %b, first %d: notesCite = %v, want %v", n, mask, first, got, want)
				}
			}
		}
	}
}

// TestNumberWordBeforeByLast compares numberWordBefore, which tries only
// the words ending with the text's last letter, with trying them all.
func TestNumberWordBeforeByLast(t *testing.T) {
	all := func(s string) bool {
		s = strings.TrimRight(s, "\t\n\f\r ")
		if strings.HasSuffix(s, "-") || strings.HasSuffix(s, "–") || strings.HasSuffix(s, "/") {
			return true
		}
		s = strings.TrimSuffix(s, ".")
		for _, w := range numberWords {
			if endsWithWordFold(s, w) {
				return true
			}
		}
		return false
	}
	found := 0
	for _, s := range []string{"", "see article ", "ARTICLES ", "para. ", "Paras.\n", "in 2004 ", "the artſ ", "Rule ", "K ",
		"subparagraph ", "paragraph", "the decision ", "Page ", "pp. ", "a ", "(", "x-", "figure ", "Sessión ", "vol.", "no "} {
		want := all(s)
		if got := numberWordBefore(s); got != want {
			t.Errorf("numberWordBefore(%q) = %v, want %v", s, got, want)
		}
		if want {
			found++
		}
	}
	if found == 0 {
		t.Error("no text ends with a number word")
	}
}

// TestLoneNoteAtParagraphEnd: a paragraph that ends inside a footnote (the
// source cut it after "para.") loses the note from its body; the note goes
// to the paragraph holding its marker.
func TestLoneNoteAtParagraphEnd(t *testing.T) {
	blocks := []Block{
		{Number: "3.", Text: "Pushbacks deny the right to seek asylum.4 They also expose people to harm."},
		{Number: "4.", Text: "Such operations are portrayed as rescues at sea, to 4 Office of the High Commissioner, opinion on extraterritorial obligations, 26 January 2007, para."},
	}
	got := CleanParagraphs(blocks)
	if len(got) != 2 {
		t.Fatalf("%d blocks", len(got))
	}
	if want := "Such operations are portrayed as rescues at sea, to"; got[1].Text != want {
		t.Errorf("block 2: %q, want %q", got[1].Text, want)
	}
	if len(got[0].Notes) != 1 || got[0].Notes[0].N != "4" || !strings.HasSuffix(got[0].Notes[0].Text, "2007, para.") {
		t.Errorf("block 1's notes %+v, want note 4 whole", got[0].Notes)
	}
}
