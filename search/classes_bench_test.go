package search_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/search"
)

// BenchmarkDeepPageClass is the "deep page (50)" class of bench-report: a
// common word's 50th page of ten, beyond the reranked window.
func BenchmarkDeepPageClass(b *testing.B) {
	for _, q := range []string{"torture", "detention", "state", "committee"} {
		b.Run(q, func(b *testing.B) {
			benchSearch(b, search.Request{Query: q, Page: 50, Size: 10, Facets: []string{}, NoSnippets: true})
		})
	}
}

// BenchmarkRareTermClass is the "rare term" class of bench-report: words
// found in tens of passages, where the fixed cost of a search shows.
func BenchmarkRareTermClass(b *testing.B) {
	benchClass(b, "polygraph", "electroshock", "incommunicado", "falanga", "haemorrhage", "sodomy", "asphyxiation", "stateless")
}

// BenchmarkTopics is the evaluation topics as the load test's "topics" mix
// asks them of /api/search: the query alone, with every facet and
// snippets, first page.
func BenchmarkTopics(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join(corpustest.SharedDir(b), "eval", "topics.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		id, q, ok := strings.Cut(l, "\t")
		if q = strings.TrimSpace(q); !ok || q == "" {
			continue
		}
		b.Run(id, func(b *testing.B) {
			benchSearch(b, search.Request{Query: q})
		})
	}
}
