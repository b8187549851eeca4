package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/hrsearch/hrsearch/search"
)

// followup runs BulkBuilder settings against Index.Apply on the dump of an
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
		{"follow-up: Index.Apply, batches of 2,000", []string{"apply", dump, dir}},
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

// loadFollowup finds the rate the server sustains: attacks at several rates
// with the benchmark's classes, and at 200 req/s with the evaluation
// topics (researchers' queries), adding them to results.json:
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
	c := &config{demoCatalog: args[2], repo: ".."}
	ctx := context.Background()
	rs, err := loadTests(ctx, c, work, []int{25, 50, 100, 150}, 20*time.Second, "classes")
	if err != nil {
		return err
	}
	res.LoadExtra = append(res.LoadExtra, rs...)
	rs, err = loadTests(ctx, c, work, []int{200}, 60*time.Second, "topics")
	if err != nil {
		return err
	}
	res.LoadExtra = append(res.LoadExtra, rs...)
	res.note("The load-capacity rows were measured after the main run (`cd bench && go run . loadcap ../.cache/bench ../BENCHMARKS.md ../../shared/corpus/catalog.jsonl`), %s.", loadavg())
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
