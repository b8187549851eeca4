package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/web"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/hrsearch/hrsearch/search"
)

// followup runs BulkBuilder settings against BatchWriter on the dump of an
// earlier run, adds them to its results.json as extra ingest rows (marked
// as a follow-up) and re-renders the report:
//
//	bench followup WORKDIR REPORT REPS
func followup(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: bench followup WORKDIR REPORT REPS")
	}
	work, out := abs(args[0]), args[1]
	var reps int
	fmt.Sscan(args[2], &reps)
	path := filepath.Join(work, "results.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	res := &results{}
	if err := json.Unmarshal(b, res); err != nil {
		return err
	}
	dump := filepath.Join(work, "docs.jsonl")
	dir := filepath.Join(work, "idx", "followup")
	jobs := []struct {
		name string
		argv []string
	}{
		{"follow-up: BatchWriter, batches of " + thousands(indexer.BatchPassages), []string{"apply", dump, dir}},
		{"follow-up: BulkBuilder batch 1,000, mergeMax 10 (Bleve's defaults)", []string{"bulk", dump, dir, "1000", "10"}},
		{"follow-up: BulkBuilder batch 5,000, mergeMax 50", []string{"bulk", dump, dir, "5000", "50"}},
		{"follow-up: BulkBuilder batch 10,000, mergeMax 30", []string{"bulk", dump, dir, "10000", "30"}},
	}
	ctx := context.Background()
	for rep := range reps {
		for _, j := range jobs {
			freshDir(dir)
			os.RemoveAll(dir)
			logf("%s (rep %d)", j.name, rep+1)
			r, err := runChild(ctx, j.name, j.argv...)
			if err != nil {
				return err
			}
			r.TextBytes = res.TextBytes
			logf("  %.1f s, %.0f passages/s, CPU %.1f s, RSS %d MB, index %d MB", r.Seconds, rate(*r), r.CPU, r.PeakRSS>>20, r.IndexBytes>>20)
			res.Ingest[j.name] = append(res.Ingest[j.name], *r)
		}
	}
	os.RemoveAll(dir)
	res.note("Rows marked follow-up were measured after the main run (`cd bench && go run . followup ../.cache/bench ../BENCHMARKS.md %d`), %s, to tune BulkBuilder; they compare with each other, and with the main rows only roughly.", reps, loadavg())
	b, _ = json.MarshalIndent(res, "", " ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	return writeReport(out, res)
}

// loadCapacity attacks a server without the window cache with the
// evaluation topics (researchers' queries) at the load test's rate, and
// with the benchmark's classes at 1.5 and 2 times that rate: how far the
// server is from its limit when every request is computed.
func loadCapacity(ctx context.Context, c *config, work string) ([]*loadResult, error) {
	out, err := loadTests(ctx, c, work, []int{c.loadRate}, c.loadDur, "topics", 0)
	if err != nil {
		return out, err
	}
	rs, err := loadTests(ctx, c, work, []int{c.loadRate * 3 / 2, c.loadRate * 2}, 20*time.Second, "classes", 0)
	return append(out, rs...), err
}

// loadFollowup runs loadCapacity again after a run, replacing its rows in
// results.json:
//
//	bench loadcap WORKDIR REPORT DEMO_CATALOG
func loadFollowup(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: bench loadcap WORKDIR REPORT DEMO_CATALOG")
	}
	work, out := abs(args[0]), args[1]
	path := filepath.Join(work, "results.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	res := &results{}
	if err := json.Unmarshal(b, res); err != nil {
		return err
	}
	c := &config{demoCatalog: args[2], repo: "..", loadRate: 200, loadDur: 60 * time.Second}
	rs, err := loadCapacity(context.Background(), c, work)
	if err != nil {
		return err
	}
	res.LoadExtra = rs
	res.note("The load-capacity rows were measured again after the run, at commit %s (`cd bench && go run . loadcap ../.cache/bench ../BENCHMARKS.md ../../shared/corpus/catalog.jsonl`), %s.", headCommit(), loadavg())
	b, _ = json.MarshalIndent(res, "", " ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	return writeReport(out, res)
}

// shardEval builds the demo catalog's passages into 1, 2 and 4 shards and
// scores the evaluation topics through the IndexAlias, as `hrsearch eval`
// does on one index: BM25 statistics are per shard, so ranking may move.
//
//	bench shardeval WORKDIR REPORT DEMO_CATALOG
func shardEval(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: bench shardeval WORKDIR REPORT DEMO_CATALOG")
	}
	work, out, catalog := abs(args[0]), args[1], abs(args[2])
	path := filepath.Join(work, "results.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	res := &results{}
	if err := json.Unmarshal(b, res); err != nil {
		return err
	}
	ctx := context.Background()
	dump := filepath.Join(work, "demo-docs.jsonl")
	if err := dumpPassages(ctx, catalog, dump, 0); err != nil {
		return err
	}
	shared := filepath.Dir(filepath.Dir(catalog))
	tf, err := os.Open(filepath.Join(shared, "eval", "topics.tsv"))
	if err != nil {
		return err
	}
	topics, err := search.ReadTopics(tf)
	tf.Close()
	if err != nil {
		return err
	}
	qf, err := os.Open(filepath.Join(shared, "eval", "qrels.txt"))
	if err != nil {
		return err
	}
	qrels, err := search.ReadQrels(qf)
	qf.Close()
	if err != nil {
		return err
	}
	res.ShardEval = map[int]string{}
	// n < 0: -n shards with Bleve's global BM25 scoring (statistics
	// gathered from every shard in a pre-search), asked for through the
	// context, as Bleve's alias reads it.
	for _, n := range []int{1, 2, 4, -2, -4} {
		shards := max(n, -n)
		dir := filepath.Join(work, "idx", fmt.Sprintf("demo-shards-%d", n))
		freshDir(dir)
		if _, err := childShards(dump, dir, shards); err != nil {
			return err
		}
		e, err := openShards("eval", dir, shards)
		if err != nil {
			return err
		}
		qctx := ctx
		if n < 0 {
			qctx = context.WithValue(ctx, bsearch.SearchTypeKey, bsearch.GlobalScoring)
		}
		var mean search.Scores
		k := 0
		for _, t := range topics {
			r, err := e.s.Search(qctx, search.Request{Query: t.Query, Size: 10, NoSnippets: true})
			if err != nil {
				e.Close()
				return err
			}
			var ranked []string
			for _, h := range r.Hits {
				ranked = append(ranked, h.ID)
			}
			judged, ok := qrels[t.ID]
			if !ok {
				continue
			}
			s := search.Evaluate(ranked, judged, 10)
			mean.NDCG += s.NDCG
			mean.MRR += s.MRR
			mean.Recall += s.Recall
			k++
		}
		e.Close()
		os.RemoveAll(dir)
		res.ShardEval[n] = fmt.Sprintf("nDCG@10 %.3f  MRR@10 %.3f  R@10 %.3f  (%d topics)", mean.NDCG/float64(k), mean.MRR/float64(k), mean.Recall/float64(k), k)
		logf("%d shards: %s", n, res.ShardEval[n])
	}
	b, _ = json.MarshalIndent(res, "", " ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	return writeReport(out, res)
}

// admission measures a proposed product change without making it: the JSON
// API (web.NewServer on the demo index) behind a limit of `limit` searches
// in flight, each further request answered 503 with Retry-After at once,
// attacked like the load test:
//
//	bench admission WORKDIR REPORT LIMIT RATE
func admission(args []string) error {
	if len(args) < 4 {
		return fmt.Errorf("usage: bench admission WORKDIR REPORT LIMIT RATE")
	}
	work, out := abs(args[0]), args[1]
	var limit, rate int
	fmt.Sscan(args[2], &limit)
	fmt.Sscan(args[3], &rate)
	path := filepath.Join(work, "results.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	res := &results{}
	if err := json.Unmarshal(b, res); err != nil {
		return err
	}
	h, err := openHrsearch(eHrsearch, filepath.Join(work, "demo", "index"))
	if err != nil {
		return err
	}
	defer h.Close()
	api, err := web.NewServer(web.Config{Searcher: h.s, RateLimit: 0})
	if err != nil {
		return err
	}
	sem := make(chan struct{}, limit)
	limited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
			api.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	})
	srv := httptest.NewServer(limited)
	defer srv.Close()
	var targets []vegeta.Target
	for _, cl := range classOrder {
		for _, q := range queryClasses()[cl] {
			targets = append(targets, vegeta.Target{Method: "GET", URL: srv.URL + "/api/search?" + apiQuery(q).Encode()})
		}
	}
	for _, t := range targets {
		if resp, err := http.Get(t.URL); err == nil {
			resp.Body.Close()
		}
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	logf("admission: limit %d, %d req/s for 60 s", limit, rate)
	attacker := vegeta.NewAttacker(vegeta.Timeout(10*time.Second), vegeta.KeepAlive(true), vegeta.Workers(8))
	var m vegeta.Metrics
	var okLat []time.Duration
	for r := range attacker.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, 60*time.Second, "admission") {
		m.Add(r)
		if r.Code == 200 {
			okLat = append(okLat, r.Latency)
		}
	}
	m.Close()
	ok := summarise(okLat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	lr := &loadResult{Rate: rate, Seconds: m.Duration.Seconds(), Requests: m.Requests,
		P50: ms(m.Latencies.P50), P90: ms(m.Latencies.P90), P99: ms(m.Latencies.P99), Max: ms(m.Latencies.Max),
		Mean: ms(m.Latencies.Mean), Success: m.Success, Statuses: m.StatusCodes, PeakRSS: procStatus(os.Getpid(), "VmHWM"),
		Targets: len(targets), Mix: fmt.Sprintf("classes, in-process API behind at most %d searches in flight (503 beyond); answered requests p50 %.1f / p99 %.1f ms", limit, ok.P50, ok.P99)}
	lr.Errors = failed(lr)
	logf("admission: all p50 %.1f p99 %.1f; answered p50 %.1f p99 %.1f; statuses %v", lr.P50, lr.P99, ok.P50, ok.P99, m.StatusCodes)
	res.LoadExtra = append(res.LoadExtra, lr)
	res.note("The admission-limit row emulates a proposed change outside the product (a wrapper around web.NewServer in the harness: `cd bench && go run . admission ../.cache/bench ../BENCHMARKS.md %d %d`); its peak RSS is the harness process's, server and load generator together.", limit, rate)
	b, _ = json.MarshalIndent(res, "", " ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	return writeReport(out, res)
}

// render writes the report again from a run's results.json, as the
// report's code renders it now:
//
//	bench render WORKDIR REPORT
func render(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: bench render WORKDIR REPORT")
	}
	b, err := os.ReadFile(filepath.Join(args[0], "results.json"))
	if err != nil {
		return err
	}
	res := &results{}
	if err := json.Unmarshal(b, res); err != nil {
		return err
	}
	return writeReport(args[1], res)
}

// headCommit names the repository's checked-out commit (with "+changes"
// when the tree differs from it), or "unknown".
func headCommit() string {
	out, err := exec.Command("git", "-C", "..", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", "..", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += "+changes"
	}
	return c
}
