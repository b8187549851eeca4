package schema

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestExactFieldPositionsOnly: FieldExact keeps every word at its position
// (a phrase with stop words matches in order, and only in order) but no
// byte offsets, which only the highlighter reads, and from FieldText.
func TestExactFieldPositionsOnly(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	exact := m.AnalyzerNamed(AnalyzerExact)
	if exact == nil {
		t.Fatalf("no analyzer %s", AnalyzerExact)
	}
	folded := m.AnalyzerNamed(AnalyzerFolded)
	text := []byte("His return would not constitute a violation in no case.")
	got, want := exact.Analyze(text), folded.Analyze(text)
	if len(got) != len(want) {
		t.Fatalf("%d tokens, the folded analyzer gives %d", len(got), len(want))
	}
	for i, tok := range got {
		if string(tok.Term) != string(want[i].Term) || tok.Position != want[i].Position {
			t.Errorf("token %d: %q at %d, want %q at %d", i, tok.Term, tok.Position, want[i].Term, want[i].Position)
		}
		if tok.Start != 0 || tok.End != 0 {
			t.Errorf("token %q keeps offsets %d-%d", tok.Term, tok.Start, tok.End)
		}
	}

	// Phrases still match by position on an index of this mapping.
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	docs := map[string]string{
		"neg": "His return would not constitute a violation of article 3.",
		"pos": "His return would constitute a violation, not of article 3.",
	}
	for id, body := range docs {
		if err := idx.Index(id, map[string]interface{}{typeField: TypeEnglish, FieldText: body}); err != nil {
			t.Fatal(err)
		}
	}
	q := query.NewMultiPhraseQuery([][]string{{"would"}, {"not"}, {"constitute"}}, FieldExact)
	res, err := idx.Search(bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != "neg" {
		t.Errorf("phrase on %s: %d hits, want only neg", FieldExact, res.Total)
	}
}
