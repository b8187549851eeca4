package indexer_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

func bulkDocs() []indexer.Update {
	mk := func(id, kind, lang string, texts ...string) indexer.Update {
		d := &corpus.Document{Entry: corpus.Entry{ID: id, Kind: kind, Language: lang, Title: id + " title"}}
		for i, t := range texts {
			u := "p-" + string(rune('1'+i))
			d.Passages = append(d.Passages, corpus.Passage{ID: id + "#" + u, Document: id, Unit: u, Order: i, Text: t, Language: lang})
		}
		return indexer.Update{Doc: d, Key: "k-" + id, Origin: "test"}
	}
	return []indexer.Update{
		mk("a", "treaty", "en", "No State Party shall expel, return or extradite a person.", "Torture is prohibited."),
		mk("b", "decision", "en", "The complainant was detained and tortured by the police."),
		mk("c", "decision", "es", "La tortura está prohibida en toda circunstancia."),
	}
}

// ids returns the passages matching term in the text field, sorted.
func ids(t *testing.T, idx bleve.Index, term string) []string {
	t.Helper()
	q := query.NewTermQuery(term)
	q.SetField(schema.FieldText)
	res, err := idx.Search(bleve.NewSearchRequestOptions(q, 100, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func TestBulkBuilderMatchesApply(t *testing.T) {
	dir := t.TempDir()
	bulkDir, applyDir := filepath.Join(dir, "bulk"), filepath.Join(dir, "apply")

	bb, err := indexer.NewBulkBuilder(bulkDir, indexer.BulkOptions{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range bulkDocs() {
		if err := bb.Add(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := bb.Add(bulkDocs()[0]); err == nil {
		t.Error("adding a document twice: no error")
	}
	if err := bb.Finish(); err != nil {
		t.Fatal(err)
	}

	ap, err := indexer.OpenIndex(applyDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ap.Close()
	if err := ap.Apply(bulkDocs()); err != nil {
		t.Fatal(err)
	}

	bi, err := indexer.OpenIndex(bulkDir)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	for _, ix := range []*indexer.Index{bi, ap} {
		n, err := ix.Bleve().DocCount()
		if err != nil || n != 4 {
			t.Errorf("doc count %d, %v; want 4", n, err)
		}
		st, ok := ix.State("a")
		if !ok || st.Key != "k-a" || st.Passages != 2 {
			t.Errorf("manifest of a: %+v %v", st, ok)
		}
	}
	for _, term := range []string{"tortur", "expel", "extradit", "polic"} {
		if b, a := ids(t, bi.Bleve(), term), ids(t, ap.Bleve(), term); !slices.Equal(b, a) || len(a) == 0 {
			t.Errorf("%q: bulk %v, apply %v", term, b, a)
		}
	}
	// The built index takes ordinary writes afterwards.
	if err := bi.Apply([]indexer.Update{{ID: "b", Remove: true}}); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, bi.Bleve(), "polic"); len(got) != 0 {
		t.Errorf("after removing b: %v", got)
	}
}

func TestBulkBuilderRefuses(t *testing.T) {
	dir := t.TempDir()
	if _, err := indexer.NewBulkBuilder(dir, indexer.BulkOptions{}); err == nil {
		t.Error("existing directory: no error")
	}
	bb, err := indexer.NewBulkBuilder(filepath.Join(dir, "x"), indexer.BulkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := bb.Add(indexer.Update{ID: "a", Remove: true}); err == nil {
		t.Error("removal: no error")
	}
	if err := bb.Finish(); err == nil {
		t.Error("empty build: no error")
	}
}
