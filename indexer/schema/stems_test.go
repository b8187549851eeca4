package schema

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// analysed returns the analyzer's tokens of text as "term@position".
func analysed(t *testing.T, analyzer, text string) []string {
	t.Helper()
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		t.Fatalf("no analyzer %s", analyzer)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	return out
}

// TestStemKeep: the index keeps every word at its position: a stop word
// marked, any other by its stem and, when its stem changes it, as written
// too.
func TestStemKeep(t *testing.T) {
	for _, c := range []struct {
		analyzer, text, want string
	}{
		{AnalyzerEnglish, "He was not deported", "[~he@1 ~was@2 ~not@3 deport@4 =deported@4]"},
		{AnalyzerEnglish, "deport the State's", "[deport@1 ~the@2 state@3]"},
		{AnalyzerSpanish, "No será expulsado", "[~no@1 sera@2 expulsad@3 =expulsado@3]"},
		{AnalyzerFolded, "Ne sera pas expulsé", "[ne@1 sera@2 pas@3 expulse@4]"},
		// The query's readings: plain words leave stop words out, exact
		// words are the index's terms as written.
		{analyzerEnglishWords, "not deported", "[deport@2]"},
		{analyzerEnglishExact, "not deported deport", "[~not@1 =deported@2 deport@3]"},
		{analyzerSpanishExact, "no expulsado", "[~no@1 =expulsado@2]"},
	} {
		if got := fmt.Sprint(analysed(t, c.analyzer, c.text)); got != c.want {
			t.Errorf("%s(%q) = %s, want %s", c.analyzer, c.text, got, c.want)
		}
	}
}

// TestReadingsOnIndex: on an index of this mapping, a phrase read with its
// stop words tells a negation from its absence, and an exact word finds
// only that form.
func TestReadingsOnIndex(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	docs := map[string]string{
		"neg":  "His return would not constitute a violation of article 3.",
		"pos":  "His return would constitute a violation, not of article 3.",
		"root": "The State may deport him.",
		"es":   "El Estado no podrá expulsar a la persona.",
	}
	for id, body := range docs {
		typ := TypeEnglish
		if id == "es" {
			typ = TypeSpanish
		}
		if err := idx.Index(id, map[string]interface{}{typeField: typ, FieldText: body}); err != nil {
			t.Fatal(err)
		}
	}
	search := func(analyzer, text string) []string {
		t.Helper()
		var pos [][]string
		for _, tok := range m.AnalyzerNamed(analyzer).Analyze([]byte(text)) {
			pos = append(pos, []string{string(tok.Term)})
		}
		res, err := idx.Search(bleve.NewSearchRequest(query.NewMultiPhraseQuery(pos, FieldText)))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	for _, c := range []struct {
		analyzer, text, want string
	}{
		{analyzerEnglishExact, "would not constitute", "[neg]"},
		{analyzerEnglishExact, "would constitute", "[pos]"},
		{analyzerEnglishExact, "returning", "[]"},
		{analyzerEnglishExact, "return would", "[neg pos]"},
		{analyzerEnglishExact, "constitute", "[neg pos]"},
		{analyzerEnglishExact, "constitutes", "[]"},
		// A stop word of one language is a word of the other: "the" read
		// as Spanish, "el" read as English, match no stop word.
		{analyzerSpanishWords, "the", "[]"},
		{analyzerEnglishWords, "el", "[]"},
		{analyzerSpanishWords, "persona", "[es]"},
		{analyzerSpanishExact, "no podrá", "[es]"},
	} {
		got := search(c.analyzer, c.text)
		slices.Sort(got)
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s %q: %v, want %s", c.analyzer, c.text, got, c.want)
		}
	}
}

// TestMarkingReadsAWordOnce: the index's analysis stems a word once and
// keeps its reading, so that a word read again costs no stemming (the
// stemmer allocates a few times a word): 50 tokens of a word whose stem
// changes it allocate the output stream and each one's written-form token,
// and nothing more.
func TestMarkingReadsAWordOnce(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	a, ok := m.AnalyzerNamed(AnalyzerEnglish).(*analysis.DefaultAnalyzer)
	if !ok {
		t.Fatalf("the English analyzer is a %T", m.AnalyzerNamed(AnalyzerEnglish))
	}
	var f marking
	for _, tf := range a.TokenFilters {
		if mf, ok := tf.(marking); ok {
			f = mf
		}
	}
	if f.stem == nil {
		t.Fatal("the English analyzer has no marking filter")
	}
	const n = 50
	word := []byte("deported")
	stream := make(analysis.TokenStream, n)
	for i := range stream {
		stream[i] = &analysis.Token{Position: i + 1}
	}
	read := func() analysis.TokenStream {
		for _, tok := range stream {
			tok.Term = word
		}
		return f.Filter(stream)
	}
	if got := read(); len(got) != 2*n || string(got[0].Term) != "deport" || string(got[1].Term) != "=deported" {
		t.Fatalf("read %d tokens, first %q %q", len(got), got[0].Term, got[1].Term)
	}
	// The output stream (grown once: every word here has two terms) and
	// the written forms' tokens; the stemmer alone allocated 354 here.
	if allocs := testing.AllocsPerRun(20, func() { read() }); allocs > n+2 {
		t.Errorf("%d tokens of a word read before: %.0f allocations, want at most %d", n, allocs, n+2)
	}
}

// TestReadingCacheConcurrent: analyses running at once on one cache, as
// Bleve's analysis workers do, read every word as one analysis alone does,
// while the cache publishes the words it learns (run with -race).
func TestReadingCacheConcurrent(t *testing.T) {
	words := make([]string, 5000)
	for i := range words {
		words[i] = fmt.Sprintf("report%ding deported%d the of not %dations", i, i, i)
	}
	text := []byte(strings.Join(words, " "))
	terms := func(ts analysis.TokenStream) string {
		var b strings.Builder
		for _, tok := range ts {
			fmt.Fprintf(&b, "%d:%s ", tok.Position, tok.Term)
		}
		return b.String()
	}
	analyzer := func() analysis.Analyzer {
		m, err := NewMapping() // a mapping of its own: a cache of its own
		if err != nil {
			t.Fatal(err)
		}
		return m.AnalyzerNamed(AnalyzerEnglish)
	}
	want := terms(analyzer().Analyze(text))
	if !strings.Contains(want, " =deported1 ") && !strings.Contains(want, ":=report1ing ") {
		t.Fatalf("no written forms in the analysis: %.200s", want)
	}
	shared := analyzer()
	var wg sync.WaitGroup
	got := make([]string, 4)
	for i := range got {
		wg.Go(func() { got[i] = terms(shared.Analyze(text)) })
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("analysis %d read the text otherwise than one alone", i)
		}
	}
}
