package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/search"
)

// benchSearch runs req b.N times on the demo index and reports, besides
// ns/op, the median and 95th percentile of the per-search durations.
//
// The window cache is off: every iteration repeats the same search, which
// would otherwise be a cache hit from the second on.
func benchSearch(b *testing.B, req search.Request) {
	s, err := search.New(indexertest.Demo(b).Index.Bleve(), search.WithWindowCache(0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// Warm the index's caches and check the request works.
	res, err := s.Search(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	if res.Total == 0 {
		b.Fatalf("%+v: no hits", req)
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := s.Search(ctx, req); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(durs[len(durs)*95/100].Nanoseconds()), "p95-ns")
	b.ReportMetric(float64(res.Total), "hits")
}

func BenchmarkTerm(b *testing.B) {
	benchSearch(b, search.Request{Query: "torture"})
}

func BenchmarkPhrase(b *testing.B) {
	benchSearch(b, search.Request{Query: `"diplomatic assurances"`})
}

func BenchmarkFilteredFacetedHighlighted(b *testing.B) {
	benchSearch(b, search.Request{
		Query:   "detention",
		Filters: map[string][]string{search.FilterKind: {"decision"}, search.FilterState: {"CH"}},
		Facets:  search.FacetNames, // all six
	})
}

func BenchmarkRequiredTerms(b *testing.B) {
	benchSearch(b, search.Request{Query: "torture AND police AND custody"})
}

// BenchmarkCachedPage is a results page whose ranked window is cached, as
// a researcher paging through results, or a repeated search, gets it.
func BenchmarkCachedPage(b *testing.B) {
	s := demo(b)
	ctx := context.Background()
	req := search.Request{Query: "torture", Page: 2}
	if _, err := s.Search(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Search(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	if st := s.CacheStats(); st.WindowHits == 0 {
		b.Fatalf("no cache hits: %+v", st)
	}
}

func BenchmarkArticleReference(b *testing.B) {
	benchSearch(b, search.Request{Query: "CAT article 3"})
}

func BenchmarkBrowse(b *testing.B) {
	benchSearch(b, search.Request{Filters: map[string][]string{search.FilterArticle: {"CAT 3"}}})
}

// BenchmarkStopWordPhrase is a phrase holding stop words, which keeps them.
func BenchmarkStopWordPhrase(b *testing.B) {
	benchSearch(b, search.Request{Query: `"would not constitute a violation"`})
}

// BenchmarkPlainWords is plain words, which count those holding all of
// them besides any.
func BenchmarkPlainWords(b *testing.B) {
	benchSearch(b, search.Request{Query: "deportation extradition"})
}

// BenchmarkSelectedFacet is a search with a facet value selected, whose
// facet is counted without it.
func BenchmarkSelectedFacet(b *testing.B) {
	benchSearch(b, search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {"SV"}}})
}

// BenchmarkFilteredFourFacets is the "filtered + 4 facets" class of
// bench-report: a filter on a field whose facet is not asked for.
func BenchmarkFilteredFourFacets(b *testing.B) {
	benchSearch(b, search.Request{Query: "detention", Filters: map[string][]string{search.FilterKind: {"decision"}},
		Facets: []string{search.FilterInstrument, search.FilterArticle, search.FilterState, search.FilterYear}})
}

// benchClass runs the queries of one class of bench-report as the harness
// asks them of hrsearch (no facets, no snippets, ten hits), in turn, each
// a sub-benchmark.
func benchClass(b *testing.B, queries ...string) {
	for _, q := range queries {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			benchSearch(b, search.Request{Query: q, Size: 10, Facets: []string{}, NoSnippets: true})
		})
	}
}

// BenchmarkAnd3Class is the "3-word AND" class of bench-report.
func BenchmarkAnd3Class(b *testing.B) {
	benchClass(b, "torture AND police AND custody", "risk AND return AND country",
		"detention AND conditions AND overcrowding", "interrogation AND confession AND evidence",
		"women AND violence AND prison", "complainant AND asylum AND switzerland",
		"investigation AND prompt AND impartial", "family AND visits AND prisoners")
}

// BenchmarkStopWordPhraseClass is the phrases holding stop words of the
// "phrase" class of bench-report.
func BenchmarkStopWordPhraseClass(b *testing.B) {
	benchClass(b, `"would not constitute"`, `"in no case"`, `"no substantial grounds"`)
}
