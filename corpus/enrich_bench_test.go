package corpus_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

// benchDocuments reads the demo catalog's paragraph-JSON documents (decisions,
// general comments, reports) as Documents, one passage per paragraph.
func benchDocuments(b testing.TB) ([]corpus.Document, int, int64) {
	b.Helper()
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(b))
	if err != nil {
		b.Fatal(err)
	}
	var docs []corpus.Document
	n, size := 0, int64(0)
	for _, e := range cat.Entries {
		if e.Format != corpus.FormatParagraphJSON || e.Path == "" {
			continue
		}
		raw, err := os.ReadFile(e.Path)
		if err != nil {
			b.Fatal(err)
		}
		var paras []struct {
			ID   any    `json:"ID"`
			Text string `json:"Text"`
		}
		if err := json.Unmarshal(raw, &paras); err != nil {
			b.Fatalf("%s: %v", e.Path, err)
		}
		d := corpus.Document{Entry: e}
		for i, p := range paras {
			unit := fmt.Sprintf("para-%s", strings.TrimSuffix(strings.TrimSpace(fmt.Sprint(p.ID)), "."))
			d.Passages = append(d.Passages, corpus.Passage{ID: e.ID + "#" + unit, Document: e.ID, Unit: unit, Order: i, Text: p.Text})
			size += int64(len(p.Text))
		}
		n += len(d.Passages)
		docs = append(docs, d)
	}
	return docs, n, size
}

// BenchmarkEnrich enriches every paragraph of the demo catalog's
// paragraph-JSON documents per iteration.
func BenchmarkEnrich(b *testing.B) {
	docs, n, size := benchDocuments(b)
	corpus.Enrich(&docs[0]) // load the registries outside the timing
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range docs {
			corpus.Enrich(&docs[i])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
	b.ReportMetric(float64(n), "passages")
}
