package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/search"
)

// profileQueries runs one class's queries on an hrsearch index under the
// CPU profiler: `bench profile INDEXDIR CLASS|all|topics|q:TEXT N OUT [plain|http]`.
func profileQueries(args []string) error {
	if len(args) < 4 {
		return fmt.Errorf("usage: bench profile INDEXDIR CLASS N OUT")
	}
	// Opening a directory that holds no index would create one there.
	if _, err := os.Stat(filepath.Join(args[0], "index_meta.json")); err != nil {
		return fmt.Errorf("%s holds no index (a data directory's is its index/): %w", args[0], err)
	}
	e, err := openHrsearch(eHrsearch, args[0])
	if err != nil {
		return err
	}
	defer e.Close()
	var eng engine = e
	if len(args) > 4 && args[4] == "plain" {
		eng = &blevePlain{e: e}
	}
	if len(args) > 4 && args[4] == "http" {
		h, err := newHTTPEngine(e.s)
		if err != nil {
			return err
		}
		defer h.Close()
		eng = h
	}
	qs := queryClasses()[args[1]]
	if args[1] == "topics" { // the evaluation topics, as the load test's topics mix
		for _, t := range topicQueries(&config{demoCatalog: "../../shared/corpus/catalog.jsonl"}) {
			qs = append(qs, benchQuery{Typed: t, Highlight: true, Facets: search.FacetNames})
		}
	}
	if t, ok := strings.CutPrefix(args[1], "q:"); ok { // one query, as typed
		qs = []benchQuery{{Typed: t, Highlight: true, Facets: search.FacetNames}}
	}
	if args[1] == "all" { // the load test's mix
		qs = nil
		for _, cl := range classOrder {
			qs = append(qs, queryClasses()[cl]...)
		}
	}
	if len(qs) == 0 {
		return fmt.Errorf("no class %q", args[1])
	}
	var n int
	fmt.Sscan(args[2], &n)
	ctx := context.Background()
	for _, q := range qs {
		eng.Query(ctx, q)
	}
	f, err := os.Create(args[3])
	if err != nil {
		return err
	}
	defer f.Close()
	pprof.StartCPUProfile(f)
	start := time.Now()
	took := make([]time.Duration, 0, n)
	for i := range n {
		t := time.Now()
		if _, err := eng.Query(ctx, qs[i%len(qs)]); err != nil {
			return err
		}
		took = append(took, time.Since(t))
	}
	pprof.StopCPUProfile()
	l := summarise(took)
	fmt.Printf("%d queries in %s: %.2f ms each; p50 %.2f, p90 %.2f, p99 %.2f ms\n", n, time.Since(start),
		float64(time.Since(start).Microseconds())/1000/float64(n), l.P50, l.P90, l.P99)
	if os.Getenv("BENCH_EACH") != "" { // each query's median
		for k, q := range qs[:min(len(qs), n)] {
			var own []time.Duration
			for i := k; i < len(took); i += len(qs) {
				own = append(own, took[i])
			}
			fmt.Printf("  %7.2f ms  %s\n", summarise(own).P50, q.hrsearchText())
		}
	}
	return nil
}
