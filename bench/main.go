// Command bench measures hrsearch's ingest and search against SQLite FTS5,
// PostgreSQL full-text search, Xapian and ripgrep on the same passages and
// the same queries, and writes BENCHMARKS.md.
//
//	cd bench && go run . -out ../BENCHMARKS.md            # the full report (make bench-report)
//	cd bench && go run . -smoke -out ../.cache/bench/SMOKE.md  # one minute (make bench-smoke)
//
// It is its own module (replace github.com/hrsearch/hrsearch => ../) so
// that the peers' drivers and vegeta stay out of hrsearch's go.mod and
// `go test ./...` in the repository never builds or runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ingestResult is one ingest run of one engine.
type ingestResult struct {
	Engine     string  `json:"engine"`
	Docs       int     `json:"docs"`
	Passages   int     `json:"passages"`
	TextBytes  int64   `json:"text_bytes"`
	Seconds    float64 `json:"seconds"`
	CPU        float64 `json:"cpu_seconds"` // the child's, plus a server's
	ServerCPU  float64 `json:"server_cpu_seconds,omitempty"`
	PeakRSS    int64   `json:"peak_rss"` // the child's; a server's is added where there is one
	ServerRSS  int64   `json:"server_rss,omitempty"`
	IndexBytes int64   `json:"index_bytes"`
	StoreBytes int64   `json:"store_bytes,omitempty"`
	Note       string  `json:"note,omitempty"`
}

type config struct {
	catalog, demoCatalog, work, out, repo string
	reps, samples, limit, tier            int
	shardReps                             int
	render                                string
	budget                                time.Duration
	smoke, wait, skipLoad                 bool
	engines                               map[string]bool
	loadRate                              int
	loadDur                               time.Duration
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child(os.Args[2:])
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "admission" {
		if err := admission(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "shardeval" {
		if err := shardEval(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "load" {
		if err := loadProbe(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "loadcap" {
		if err := loadFollowup(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "followup" {
		if err := followup(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "render" {
		if err := render(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "profile" {
		if err := profileQueries(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	var c config
	var engines string
	flag.StringVar(&c.catalog, "catalog", "../../shared/corpus/catalog-full.jsonl", "catalog to segment and index")
	flag.StringVar(&c.demoCatalog, "demo-catalog", "../../shared/corpus/catalog.jsonl", "catalog of the load test's demo index")
	flag.StringVar(&c.work, "work", "../.cache/bench", "work directory (passage dumps, indexes); gitignored")
	flag.StringVar(&c.out, "out", "../BENCHMARKS.md", "report to write")
	flag.StringVar(&c.repo, "repo", "..", "the hrsearch repository (for the hrsearch binary)")
	flag.IntVar(&c.reps, "reps", 3, "repetitions; the report gives medians")
	flag.IntVar(&c.samples, "samples", 80, "queries per class per repetition (one client)")
	flag.DurationVar(&c.budget, "budget", 6*time.Second, "time cap per class, engine and repetition")
	flag.IntVar(&c.limit, "limit", 0, "index only the first N catalog entries (0: all)")
	flag.IntVar(&c.tier, "tier", 0, "also run a resampled tier of this many passages (e.g. 1000000)")
	flag.BoolVar(&c.smoke, "smoke", false, "the one-minute smoke run: 150 documents, hrsearch and SQLite, one repetition, short load test")
	flag.BoolVar(&c.wait, "wait", true, "wait (up to 20 min) for a 1-minute load below 1.0 before measuring")
	flag.BoolVar(&c.skipLoad, "no-loadtest", false, "skip the vegeta load test")
	flag.StringVar(&engines, "engines", "default", "engines to run, comma-separated: hrsearch,http,sqlite,postgres,xapian,rg,shards (default: all; smoke: hrsearch,http,sqlite)")
	flag.IntVar(&c.loadRate, "load-rate", 200, "load test requests per second")
	flag.StringVar(&c.render, "render", "", "only render the report from a results.json of an earlier run")
	flag.IntVar(&c.shardReps, "shard-reps", 1, "repetitions of the shard ingests")
	flag.DurationVar(&c.loadDur, "load-duration", 60*time.Second, "load test duration")
	flag.Parse()
	if c.smoke {
		c.limit, c.reps, c.samples, c.budget, c.wait = 150, 1, 20, 2*time.Second, false
		c.loadDur, c.loadRate = 5*time.Second, 50
		if engines == "default" {
			engines = "hrsearch,http,sqlite"
		}
	}
	if engines == "default" {
		engines = "hrsearch,http,sqlite,postgres,xapian,rg,shards"
	}
	c.engines = map[string]bool{}
	for _, e := range strings.Split(engines, ",") {
		c.engines[strings.TrimSpace(e)] = true
	}
	if c.render != "" {
		b, err := os.ReadFile(c.render)
		if err == nil {
			res := &results{}
			if err = json.Unmarshal(b, res); err == nil {
				err = writeReport(c.out, res)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, &c, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// child runs one ingest in this process and prints its result as JSON, so
// that the parent reads its CPU time and peak RSS from the kernel.
func child(args []string) {
	ctx := context.Background()
	if p := os.Getenv("BENCH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	var r *ingestResult
	var err error
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch args[0] {
	case "catalog":
		r, err = childIngestCatalog(ctx, args[1], args[2], atoi(args[3]))
	case "apply":
		r, err = childApply(args[1], args[2])
	case "compact":
		r, err = childCompact(args[1])
	case "bulk":
		mergeMax := 0
		if len(args) > 4 {
			mergeMax = atoi(args[4])
		}
		r, err = childBulk(args[1], args[2], atoi(args[3]), mergeMax)
	case "shards":
		r, err = childShards(args[1], args[2], atoi(args[3]))
	case "sqlite":
		r, err = childSQLite(args[1], args[2])
	case "postgres":
		r, err = childPostgres(args[1], args[2], args[3])
	default:
		err = fmt.Errorf("unknown child %q", args[0])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	// The child's own peak RSS: rusage's maxrss of a child started with
	// vfork counts the parent's memory too.
	r.PeakRSS = procStatus(os.Getpid(), "VmHWM")
	json.NewEncoder(os.Stdout).Encode(r)
}

// runChild runs an ingest child (this binary, or argv[0] if given) and adds
// its CPU time and peak RSS.
func runChild(ctx context.Context, name string, argv ...string) (*ingestResult, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	if strings.HasSuffix(argv[0], ".py") {
		cmd = exec.CommandContext(ctx, "/usr/bin/python3", argv...)
	} else {
		cmd = exec.CommandContext(ctx, self, append([]string{"child"}, argv...)...)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := &ingestResult{}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), r); err != nil {
		return nil, fmt.Errorf("%s: %w (%q)", name, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPU = tv(ru.Utime) + tv(ru.Stime) + r.ServerCPU
		if r.PeakRSS == 0 {
			r.PeakRSS = ru.Maxrss << 10
		}
		r.PeakRSS += r.ServerRSS
	}
	r.Engine = name
	return r, nil
}

func freshDir(p string) string {
	os.RemoveAll(p)
	os.MkdirAll(filepath.Dir(p), 0o755)
	return p
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
