package search_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/search"
)

// passageTexts returns the stored heading and text of the given passages,
// by id, apart (headingSep between them).
func passageTexts(t *testing.T, ids []string) map[string]string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{schema.FieldHeading, schema.FieldText}
	res, err := indexertest.Demo(t).Index.Bleve().SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range res.Hits {
		heading, _ := h.Fields[schema.FieldHeading].(string)
		text, _ := h.Fields[schema.FieldText].(string)
		out[h.ID] = heading + headingSep + text
	}
	return out
}

// headingSep parts a passage's heading from its text in passageTexts: a
// phrase is held by one or the other, never across.
const headingSep = "\x1e"

// holds reports whether text (or its heading) holds phrase's words in
// order, case and accents aside.
func holds(text, phrase string) bool {
	for _, part := range strings.Split(text, headingSep) {
		if strings.Contains(" "+strings.Join(corpus.FoldedWords(part), " ")+" ",
			" "+strings.Join(corpus.FoldedWords(phrase), " ")+" ") {
			return true
		}
	}
	return false
}

// TestPhraseKeepsStopWords: a quoted phrase matches its words in order,
// stop words included, so that a negation is never dropped: every one of
// the first 100 hits holds the phrase as typed.
func TestPhraseKeepsStopWords(t *testing.T) {
	s := patient(t)
	for _, phrase := range []string{
		"would not constitute", "in no case", "shall not be", "no substantial grounds", "did not exhaust",
		"is not a party", "has not been", "no longer", "at any time", "not to be", "no podrá",
	} {
		t.Run(phrase, func(t *testing.T) {
			res := run(t, s, search.Request{Query: `"` + phrase + `"`, Size: search.MaxSize, NoSnippets: true})
			if len(res.Hits) == 0 {
				t.Fatalf("%q: no hits; the demo corpus holds it", phrase)
			}
			texts := passageTexts(t, ids(res.Hits))
			for _, h := range res.Hits {
				if !holds(texts[h.ID], phrase) {
					t.Errorf("%q: hit %s does not hold the phrase: %.200q", phrase, h.ID, texts[h.ID])
				}
			}
		})
	}
	// The negation tells a finding from its opposite.
	pos := total(t, s, search.Request{Query: `"would constitute a violation of article 3"`})
	neg := total(t, s, search.Request{Query: `"would not constitute a violation of article 3"`})
	if pos == 0 || neg == 0 || pos == neg {
		t.Errorf("with and without not: %d and %d passages", pos, neg)
	}
	// A phrase of stop words alone is a phrase too.
	if n := total(t, s, search.Request{Query: `"in no"`}); n == 0 {
		t.Error(`"in no": no passages`)
	}
}

// TestPhraseRequired: a quoted phrase is required whatever else the query
// holds; the other words rank.
func TestPhraseRequired(t *testing.T) {
	s := patient(t)
	for _, q := range []string{
		`"would constitute a violation of article 3" Honduras OR Guatemala`,
		`"no substantial grounds" deportation extradition`,
		`torture "in no case"`,
		`(torture "shall not be") OR "in no case"`,
	} {
		res := run(t, s, search.Request{Query: q, Size: 50, NoSnippets: true})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits", q)
			continue
		}
		phrases := strings.Split(q, `"`)
		texts := passageTexts(t, ids(res.Hits))
		for _, h := range res.Hits {
			ok := false
			for i := 1; i < len(phrases); i += 2 {
				ok = ok || holds(texts[h.ID], phrases[i])
			}
			if !ok {
				t.Errorf("%s: hit %s holds no phrase of the query", q, h.ID)
			}
		}
	}
}

// TestExactWords: Exact searches the words as typed, without stemming or
// the lexicon's equivalents.
func TestExactWords(t *testing.T) {
	s := patient(t)
	loose := run(t, s, search.Request{Query: "tortured", NoSnippets: true})
	exact := run(t, s, search.Request{Query: "tortured", Exact: true, Size: search.MaxSize, NoSnippets: true})
	if exact.Total == 0 || exact.Total >= loose.Total {
		t.Fatalf("tortured: %d passages exact, %d stemmed", exact.Total, loose.Total)
	}
	texts := passageTexts(t, ids(exact.Hits))
	for _, h := range exact.Hits {
		if !holds(texts[h.ID], "tortured") {
			t.Errorf("exact tortured: %s does not hold the word", h.ID)
		}
	}
	if eq := run(t, s, search.Request{Query: "deprivation of liberty", Exact: true, NoSnippets: true}); len(eq.Expanded) != 0 {
		t.Errorf("exact deprivation of liberty searched equivalents %q", eq.Expanded)
	}
	// A phrase in exact mode keeps its word forms: "deprived of liberty"
	// is not "deprivation of liberty".
	a := total(t, s, search.Request{Query: `"deprived of liberty"`, Exact: true})
	b := total(t, s, search.Request{Query: `"deprived of liberty"`})
	if a == 0 || a > b {
		t.Errorf(`"deprived of liberty": %d exact, %d stemmed`, a, b)
	}
}
