package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/indexer"
)

// Engine names as the report shows them.
const (
	eHrsearch = "hrsearch"
	eHTTP     = "hrsearch HTTP"
	eBulkIdx  = "hrsearch (bulk-built index)"
	eSQLite   = "SQLite FTS5"
	ePG       = "PostgreSQL"
	eXapian   = "Xapian"
	eRg       = "rg"
	eBleve    = "Bleve, one plain query"
)

// Ingest runs as the report shows them.
const (
	iCatalog = "hrsearch IngestCatalog (read+segment+store+index)"
	iApply   = "hrsearch BatchWriter (same dump as peers)"
	iBulk    = "hrsearch BulkBuilder (offline builder)"
)

type writerResult struct {
	Base    lat `json:"base"`
	During  lat `json:"during"`
	Batches int `json:"batches"`
	Seconds float64
}

type shardResult struct {
	Ingest  []ingestResult `json:"ingest"`
	Classes map[string]lat `json:"classes"`
	Mixed   map[int]lat    `json:"mixed"`
}

type tierResult struct {
	Passages  int                       `json:"passages"`
	TextBytes int64                     `json:"text_bytes"`
	Ingest    map[string][]ingestResult `json:"ingest"`
	Classes   map[string]map[string]lat `json:"classes"`
}

type results struct {
	Command string `json:"command"`
	Started string `json:"started"`
	Commit  string `json:"commit,omitempty"` // the repository's, when the run started
	// Compact is the compaction of the last IngestCatalog index before the
	// queries, as `hrsearch index` runs it after an import.
	Compact   *ingestResult           `json:"compact,omitempty"`
	Finished  string                  `json:"finished"`
	Machine   [][2]string             `json:"machine"`
	LoadNote  string                  `json:"load_note"`
	Smoke     bool                    `json:"smoke"`
	Reps      int                     `json:"reps"`
	Samples   int                     `json:"samples"`
	Catalog   string                  `json:"catalog"`
	Docs      int                     `json:"docs"`
	Passages  int                     `json:"passages"`
	TextBytes int64                   `json:"text_bytes"`
	DumpBytes int64                   `json:"dump_bytes"`
	Queries   map[string][]benchQuery `json:"queries"`

	Ingest      map[string][]ingestResult   `json:"ingest"`
	Floors      []floor                     `json:"floors"`
	Classes     map[string]map[string][]lat `json:"classes"` // engine → class → reps
	Hits        map[string]map[string][]int `json:"hits"`    // engine → class → per query
	Mixed       map[string]map[int][]lat    `json:"mixed"`   // engine → clients → reps
	Writer      map[string]*writerResult    `json:"writer"`
	Sizes       []sizeVariant               `json:"sizes"`
	Experiments []experiment                `json:"experiments"`
	Shards      map[int]*shardResult        `json:"shards"`
	Tier        *tierResult                 `json:"tier,omitempty"`
	Load        *loadResult                 `json:"load,omitempty"`
	// LoadUncached is the same attack on a server without the window cache.
	LoadUncached *loadResult    `json:"load_uncached,omitempty"`
	LoadExtra    []*loadResult  `json:"load_extra,omitempty"`
	ShardEval    map[int]string `json:"shard_eval,omitempty"`
	Eval         string         `json:"eval,omitempty"`
	Notes        []string       `json:"notes"`
}

func (r *results) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	logf("note: %s", s)
	r.Notes = append(r.Notes, s)
}

func run(ctx context.Context, c *config, args []string) error {
	res := &results{Started: time.Now().UTC().Format(time.RFC3339), Commit: headCommit(), Smoke: c.smoke, Reps: c.reps, Samples: c.samples,
		Ingest: map[string][]ingestResult{}, Classes: map[string]map[string][]lat{}, Hits: map[string]map[string][]int{},
		Mixed: map[string]map[int][]lat{}, Writer: map[string]*writerResult{}, Shards: map[int]*shardResult{}}
	res.Command = "cd bench && go run . " + strings.Join(args, " ")
	res.Machine = machineFacts()
	work := abs(c.work)
	if c.smoke {
		work = filepath.Join(work, "smoke")
	}
	os.MkdirAll(work, 0o755)
	// Results so far are saved after each phase, so a report can be
	// rendered from a run cut short.
	// save writes the results so far; once the run is interrupted it says
	// so, and the run stops there (a report of some phases would read as
	// a whole one).
	save := func() error {
		b, _ := json.MarshalIndent(res, "", " ")
		os.WriteFile(filepath.Join(work, "results.json"), b, 0o644)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted (the results so far are in %s): %w", filepath.Join(work, "results.json"), err)
		}
		return nil
	}

	// The workload: hrsearch's own segmentation of the catalog.
	dump := filepath.Join(work, "docs.jsonl")
	logf("segmenting %s into %s", c.catalog, dump)
	if err := dumpPassages(ctx, c.catalog, dump, c.limit); err != nil {
		return err
	}
	docs, err := loadDocs(dump)
	if err != nil {
		return err
	}
	res.Catalog = c.catalog
	res.Docs = len(docs)
	res.Passages, res.TextBytes = countPassages(docs)
	if fi, err := os.Stat(dump); err == nil {
		res.DumpBytes = fi.Size()
	}
	lines := filepath.Join(work, "passages.txt")
	if err := writeLines(docs, lines); err != nil {
		return err
	}
	// Documents for the writer test: copies under new ids.
	var extra []*docRecord
	for i, d := range docs {
		if i%7 == 0 {
			extra = append(extra, renamed(d, d.Entry.ID+"-w"))
		}
	}
	logf("workload: %d documents, %d passages, %.1f MB of text", res.Docs, res.Passages, float64(res.TextBytes)/1e6)
	classes := queryClasses()
	if c.smoke {
		classes = smokeClasses()
	}
	res.Queries = classes

	if c.wait {
		res.LoadNote = waitQuiet(20 * time.Minute)
	} else {
		res.LoadNote = "no wait (" + loadavg() + ")"
	}
	res.Machine = append(res.Machine, [2]string{"load before measuring", loadavg()})
	logf("%s", res.LoadNote)

	res.Floors = floors(ctx, dump, lines, docs)
	if err := save(); err != nil {
		return err
	}

	// Ingest, each run in a child process into a fresh directory.
	idx := func(name string) string { return filepath.Join(work, "idx", name) }
	var pg *pgCluster
	if c.engines["postgres"] {
		pg, err = startPostgres(filepath.Join(work, "pg"))
		if err != nil {
			res.note("PostgreSQL did not start: %v", err)
			delete(c.engines, "postgres")
		} else {
			defer pg.stop()
		}
	}
	type ingestJob struct {
		name string
		on   bool
		argv func() []string
	}
	lim := fmt.Sprint(c.limit)
	jobs := []ingestJob{
		{iCatalog, c.engines["hrsearch"], func() []string { return []string{"catalog", abs(c.catalog), freshDir(idx("catalog")), lim} }},
		{iApply, c.engines["hrsearch"], func() []string { return []string{"apply", dump, freshDir(idx("apply"))} }},
		{iBulk, c.engines["hrsearch"], func() []string { return []string{"bulk", dump, freshDir(idx("bulk")), "0"} }},
		{eSQLite, c.engines["sqlite"], func() []string { return []string{"sqlite", dump, freshDir(idx("fts5.db"))} }},
		{ePG, c.engines["postgres"], func() []string { return []string{"postgres", dump, pg.dsn(), pg.dir} }},
		{eXapian, c.engines["xapian"], func() []string {
			return []string{writeXapianScript(work), "index", dump, freshDir(idx("xapian")), strconv.Itoa(indexer.BatchPassages)}
		}},
	}
	for rep := range c.reps {
		for _, j := range jobs {
			if !j.on {
				continue
			}
			logf("ingest %s (rep %d)", j.name, rep+1)
			r, err := runChild(ctx, j.name, j.argv()...)
			if err != nil {
				res.note("ingest %s failed: %v", j.name, err)
				continue
			}
			r.TextBytes = res.TextBytes
			logf("  %.1f s, %.0f passages/s, CPU %.1f s, RSS %d MB, index %d MB", r.Seconds, float64(r.Passages)/r.Seconds, r.CPU, r.PeakRSS>>20, r.IndexBytes>>20)
			res.Ingest[j.name] = append(res.Ingest[j.name], *r)
			if err := save(); err != nil {
				return err
			}
		}
	}

	if c.engines["hrsearch"] {
		// Queries run on the IngestCatalog index as `hrsearch index` leaves
		// it: compacted into one segment after the import. The acceptance
		// table adds the compaction to the ingest time, as FTS5's figure
		// includes its 'optimize'.
		logf("compacting the IngestCatalog index")
		if r, err := runChild(ctx, "compact", "compact", filepath.Join(idx("catalog"), "index")); err != nil {
			res.note("compacting the IngestCatalog index failed: %v", err)
		} else {
			res.Compact = r
			res.note("The IngestCatalog index was compacted before the queries, as `hrsearch index` does after an import: %.1f s, CPU %.1f s (%s), %d MB after.",
				r.Seconds, r.CPU, r.Note, r.IndexBytes>>20)
		}
		res.Sizes = sizeVariants(docs, work, min(60000, res.Passages))
		if err := save(); err != nil {
			return err
		}
	}

	// The queries measure the engines, not the harness: the parsed
	// workload (a 245 MB live heap the in-process engines' garbage
	// collector would mark at every cycle, which no server of theirs
	// holds) is dropped until the tier needs it. A smaller heap also makes
	// the collector run more often: in-process p99s are those of Go's
	// default GOGC on a heap the size of the engine's own.
	docs = nil
	runtime.GC()
	debug.FreeOSMemory()

	// Queries: one engine at a time, on the indexes of the last repetition.
	open := []struct {
		name string
		on   bool
		fn   func() (engine, error)
	}{
		{eHrsearch, c.engines["hrsearch"], func() (engine, error) {
			return openHrsearch(eHrsearch, filepath.Join(idx("catalog"), "index"))
		}},
		{eHTTP, c.engines["http"], func() (engine, error) {
			h, err := openHrsearch(eHrsearch, filepath.Join(idx("catalog"), "index"))
			if err != nil {
				return nil, err
			}
			he, err := newHTTPEngine(h.s)
			if err != nil {
				return nil, err
			}
			return closing{he, h.Close}, nil
		}},
		{eBulkIdx, c.engines["hrsearch"], func() (engine, error) { return openHrsearch(eBulkIdx, idx("bulk")) }},
		{eBleve, c.engines["hrsearch"], func() (engine, error) {
			h, err := openHrsearch(eBleve, filepath.Join(idx("catalog"), "index"))
			if err != nil {
				return nil, err
			}
			return &blevePlain{e: h}, nil
		}},
		{eSQLite, c.engines["sqlite"], func() (engine, error) { return openSQLiteEngine(idx("fts5.db"), 4) }},
		{ePG, c.engines["postgres"], func() (engine, error) { return openPGEngine(pg.dsn(), 4) }},
		{eXapian, c.engines["xapian"], func() (engine, error) { return openXapian(writeXapianScript(work), idx("xapian"), 4) }},
		{eRg, c.engines["rg"], func() (engine, error) { return &rgEngine{file: lines}, nil }},
	}
	for _, o := range open {
		if !o.on {
			continue
		}
		e, err := o.fn()
		if err != nil {
			res.note("%s did not open: %v", o.name, err)
			continue
		}
		res.Classes[o.name] = map[string][]lat{}
		res.Hits[o.name] = map[string][]int{}
		// Hit counts once, which also warms the caches.
		for _, cl := range classOrder {
			for _, q := range classes[cl] {
				n, err := e.Query(ctx, q)
				if err != nil {
					if err != errUnsupported {
						res.note("%s %s %v: %v", o.name, cl, q.Words, err)
					}
					n = -1
				}
				res.Hits[o.name][cl] = append(res.Hits[o.name][cl], n)
			}
		}
		for rep := range c.reps {
			for _, cl := range classOrder {
				qs := supported(res.Hits[o.name][cl], classes[cl])
				if len(qs) == 0 {
					continue
				}
				l, err := runClients(ctx, e, qs, 1, c.samples, c.budget)
				if err != nil {
					res.note("%s %s: %v", o.name, cl, err)
					continue
				}
				res.Classes[o.name][cl] = append(res.Classes[o.name][cl], l)
			}
			logf("queries %s rep %d done", o.name, rep+1)
		}
		if o.name == eHrsearch {
			res.Experiments = runExperiments(ctx, e.(*hrsearchEngine).ix.Bleve(), classes, c)
		}
		// Mixed classes at 1, 2 and 4 clients (rg: a floor, not a server).
		if o.name != eRg && o.name != eBulkIdx && o.name != eBleve {
			mixed := mixedQueries(classes, res.Hits[o.name])
			res.Mixed[o.name] = map[int][]lat{}
			for rep := range c.reps {
				for _, n := range []int{1, 2, 4} {
					l, err := runClients(ctx, e, mixed, n, c.samples*2, c.budget*2)
					if err != nil {
						res.note("%s mixed ×%d: %v", o.name, n, err)
						continue
					}
					res.Mixed[o.name][n] = append(res.Mixed[o.name][n], l)
				}
				_ = rep
			}
		}
		// p99 while a writer adds batches (last: it changes the index).
		// hrsearch's writer test runs on the Apply index afterwards, so
		// that the engines after it search the same passages.
		if w, ok := e.(writerEngine); ok && o.name != eBulkIdx && o.name != eHrsearch {
			wr, err := writerTest(ctx, e, w, mixedQueries(classes, res.Hits[o.name]), extra, c)
			if err != nil {
				res.note("%s writer test: %v", o.name, err)
			} else {
				res.Writer[o.name] = wr
			}
		}
		e.Close()
		if err := save(); err != nil {
			return err
		}
	}

	if c.engines["hrsearch"] {
		if h, err := openHrsearch(eHrsearch, idx("apply")); err != nil {
			res.note("hrsearch writer test: %v", err)
		} else {
			hits := res.Hits[eHrsearch]
			wr, err := writerTest(ctx, h, h, mixedQueries(classes, hits), extra, c)
			if err != nil {
				res.note("hrsearch writer test: %v", err)
			} else {
				res.Writer[eHrsearch] = wr
			}
			h.Close()
			if err := save(); err != nil {
				return err
			}
		}
	}

	// Local shards behind one IndexAlias.
	if c.engines["shards"] {
		for _, n := range []int{1, 2, 4} {
			sr := &shardResult{Classes: map[string]lat{}, Mixed: map[int]lat{}}
			res.Shards[n] = sr
			dir := idx(fmt.Sprintf("shards-%d", n))
			for rep := range c.shardReps {
				logf("ingest %d shards (rep %d)", n, rep+1)
				r, err := runChild(ctx, fmt.Sprintf("%d shards", n), "shards", dump, freshDir(dir), fmt.Sprint(n))
				if err != nil {
					res.note("shards %d: %v", n, err)
					break
				}
				sr.Ingest = append(sr.Ingest, *r)
			}
			e, err := openShards(fmt.Sprintf("hrsearch %d shards", n), dir, n)
			if err != nil {
				res.note("shards %d: %v", n, err)
				continue
			}
			for _, cl := range classOrder {
				var ls []lat
				for range c.reps {
					l, err := runClients(ctx, e, classes[cl], 1, c.samples, c.budget)
					if err == nil {
						ls = append(ls, l)
					}
				}
				sr.Classes[cl] = medianLat(ls)
			}
			mixed := mixedQueries(classes, nil)
			for _, k := range []int{1, 2, 4} {
				var ls []lat
				for range c.reps {
					l, err := runClients(ctx, e, mixed, k, c.samples*2, c.budget*2)
					if err == nil {
						ls = append(ls, l)
					}
				}
				sr.Mixed[k] = medianLat(ls)
			}
			e.Close()
			if err := save(); err != nil {
				return err
			}
		}
	}

	if c.tier > 0 {
		if docs, err = loadDocs(dump); err != nil {
			return err
		}
		if err := runTier(ctx, c, res, docs, work, pg); err != nil {
			res.note("tier: %v", err)
		}
		if err := save(); err != nil {
			return err
		}
	}

	if !c.skipLoad {
		lr, uncached, err := loadTest(ctx, c, work)
		if err != nil {
			res.note("load test: %v", err)
		}
		res.Load, res.LoadUncached = lr, uncached
		if err := save(); err != nil {
			return err
		}
		if !c.smoke {
			extra, err := loadCapacity(ctx, c, work)
			if err != nil {
				res.note("load capacity: %v", err)
			}
			res.LoadExtra = extra
			if err := save(); err != nil {
				return err
			}
		}
		res.Eval = evalDemo(ctx, c, work)
	}
	res.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := save(); err != nil {
		return err
	}
	return writeReport(c.out, res)
}

// closing closes extra resources after an engine.
type closing struct {
	engine
	after func() error
}

func (c closing) Close() error { c.engine.Close(); return c.after() }

// supported drops the queries an engine could not run (hit count -1).
func supported(hits []int, qs []benchQuery) []benchQuery {
	var out []benchQuery
	for i, q := range qs {
		if i < len(hits) && hits[i] < 0 {
			continue
		}
		out = append(out, q)
	}
	return out
}

// mixedQueries interleaves the classes' queries.
func mixedQueries(classes map[string][]benchQuery, hits map[string][]int) []benchQuery {
	var out []benchQuery
	for i := 0; ; i++ {
		added := false
		for _, cl := range classOrder {
			qs := classes[cl]
			if hits != nil {
				qs = supported(hits[cl], qs)
			}
			if i < len(qs) {
				out = append(out, qs[i])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

type writerEngine interface {
	write(ctx context.Context, docs []*docRecord, batch int) (int, error)
}

// writerTest measures one client's mixed-query latency alone, then while a
// writer adds batches of 1,000 passages back to back.
func writerTest(ctx context.Context, e engine, w writerEngine, qs []benchQuery, extra []*docRecord, c *config) (*writerResult, error) {
	logf("writer test %s", e.Name())
	base, err := runClients(ctx, e, qs, 1, c.samples*2, c.budget*2)
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithCancel(ctx)
	type wres struct {
		n   int
		err error
	}
	done := make(chan wres, 1)
	start := time.Now()
	go func() {
		n, err := w.write(wctx, extra, 1000)
		done <- wres{n, err}
	}()
	during, err := runClients(ctx, e, qs, 1, c.samples*2, c.budget*2)
	cancel()
	wr := <-done
	if err != nil {
		return nil, err
	}
	if wr.err != nil {
		return nil, wr.err
	}
	return &writerResult{Base: base, During: during, Batches: wr.n, Seconds: time.Since(start).Seconds()}, nil
}

// runTier indexes a resampled tier with hrsearch (Apply) and SQLite (and
// the other peers if on) once, and runs the classes once.
func runTier(ctx context.Context, c *config, res *results, docs []*docRecord, work string, pg *pgCluster) error {
	tdocs := resample(docs, c.tier, 42)
	dump := filepath.Join(work, fmt.Sprintf("tier-%d.jsonl", c.tier))
	if err := writeDocs(tdocs, dump); err != nil {
		return err
	}
	defer os.Remove(dump)
	tr := &tierResult{Ingest: map[string][]ingestResult{}, Classes: map[string]map[string]lat{}}
	tr.Passages, tr.TextBytes = countPassages(tdocs)
	res.Tier = tr
	tdocs = nil
	runtime.GC()
	dir := func(n string) string { return filepath.Join(work, "tier", n) }
	type job struct {
		name string
		argv []string
		open func() (engine, error)
	}
	jobs := []job{
		{eHrsearch, []string{"apply", dump, freshDir(dir("hrsearch"))}, func() (engine, error) { return openHrsearch(eHrsearch, dir("hrsearch")) }},
		{eSQLite, []string{"sqlite", dump, freshDir(dir("fts5.db"))}, func() (engine, error) { return openSQLiteEngine(dir("fts5.db"), 1) }},
	}
	if c.engines["postgres"] && pg != nil {
		jobs = append(jobs, job{ePG, []string{"postgres", dump, pg.dsn(), pg.dir}, func() (engine, error) { return openPGEngine(pg.dsn(), 1) }})
	}
	if c.engines["xapian"] {
		jobs = append(jobs, job{eXapian, []string{writeXapianScript(work), "index", dump, freshDir(dir("xapian")), strconv.Itoa(indexer.BatchPassages)},
			func() (engine, error) { return openXapian(writeXapianScript(work), dir("xapian"), 1) }})
	}
	classes := queryClasses()
	for _, j := range jobs {
		logf("tier %d: ingest %s", c.tier, j.name)
		r, err := runChild(ctx, j.name, j.argv...)
		if err != nil {
			res.note("tier ingest %s: %v", j.name, err)
			continue
		}
		r.TextBytes = tr.TextBytes
		tr.Ingest[j.name] = append(tr.Ingest[j.name], *r)
		e, err := j.open()
		if err != nil {
			res.note("tier open %s: %v", j.name, err)
			continue
		}
		tr.Classes[j.name] = map[string]lat{}
		for _, cl := range classOrder {
			for _, q := range classes[cl] { // warm
				e.Query(ctx, q)
			}
			l, err := runClients(ctx, e, classes[cl], 1, c.samples/2, c.budget)
			if err == nil {
				tr.Classes[j.name][cl] = l
			}
		}
		e.Close()
		if j.name != eHrsearch {
			os.RemoveAll(dir(filepath.Base(j.argv[len(j.argv)-1])))
		}
	}
	return nil
}

func sortedKeys[K ~string | ~int, V any](m map[K]V) []K {
	var ks []K
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
