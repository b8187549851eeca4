package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/hrsearch/hrsearch/search"
)

// loadResult is the vegeta run against `hrsearch serve`.
type loadResult struct {
	Rate       int            `json:"rate"`
	Seconds    float64        `json:"seconds"`
	Requests   uint64         `json:"requests"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Mean       float64        `json:"mean_ms"`
	Success    float64        `json:"success"`
	Errors     int            `json:"errors"`
	Statuses   map[string]int `json:"statuses"`
	PeakRSS    int64          `json:"peak_rss"`
	Passages   int            `json:"passages"`
	Throughput float64        `json:"throughput"`
	Targets    int            `json:"targets"`
	Mix        string         `json:"mix,omitempty"`
	// Cache is the server's --cache (ranked windows kept; 0: off).
	Cache int `json:"cache"`
}

func hrsearchBinary(c *config, work string) (string, error) {
	bin := filepath.Join(work, "hrsearch")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/hrsearch")
	cmd.Dir = abs(c.repo)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v: %s", err, out)
	}
	return bin, nil
}

// demoData builds the demo index with `hrsearch index` if it is missing.
func demoData(c *config, work, bin string) (string, error) {
	// Built afresh each run: the store's layout belongs to the binary that
	// wrote it.
	data := filepath.Join(work, "demo")
	os.RemoveAll(data)
	out, err := exec.Command(bin, "index", "--catalog", abs(c.demoCatalog), "--data", data).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("hrsearch index: %v: %s", err, out)
	}
	logf("%s", strings.TrimSpace(string(out)))
	return data, nil
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// loadTest runs `hrsearch serve --rate-limit 0` on the demo index and
// attacks it with vegeta at a constant rate of mixed API searches.
// It runs twice: as served (the window cache on, as `hrsearch serve`
// defaults) and with the cache off, where every request is a full search.
func loadTest(ctx context.Context, c *config, work string) (served, uncached *loadResult, err error) {
	rs, err := loadTests(ctx, c, work, []int{c.loadRate}, c.loadDur, "classes", search.DefaultWindowCache)
	if len(rs) == 0 {
		return nil, nil, err
	}
	served = rs[0]
	rs, err = loadTests(ctx, c, work, []int{c.loadRate}, c.loadDur, "classes", 0)
	if len(rs) == 0 {
		return served, nil, err
	}
	return served, rs[0], err
}

// loadProbe runs one attack and prints its figures:
// `bench load RATE SECONDS MIX CACHE` (MIX: classes or topics).
func loadProbe(args []string) error {
	if len(args) < 4 {
		return fmt.Errorf("usage: bench load RATE SECONDS MIX CACHE")
	}
	var rate, secs, cache int
	fmt.Sscan(args[0], &rate)
	fmt.Sscan(args[1], &secs)
	fmt.Sscan(args[3], &cache)
	c := &config{demoCatalog: "../../shared/corpus/catalog.jsonl", repo: ".."}
	rs, err := loadTests(context.Background(), c, abs("../.cache/bench"), []int{rate}, time.Duration(secs)*time.Second, args[2], cache)
	for _, r := range rs {
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
	}
	return err
}

// topicQueries are the evaluation topics' queries (researchers' own), for a
// lighter, realistic mix.
func topicQueries(c *config) []string {
	shared := filepath.Dir(filepath.Dir(abs(c.demoCatalog)))
	b, err := os.ReadFile(filepath.Join(shared, "eval", "topics.tsv"))
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.SplitN(l, "\t", 2); len(f) == 2 && strings.TrimSpace(f[1]) != "" {
			out = append(out, strings.TrimSpace(f[1]))
		}
	}
	return out
}

// loadTests runs one attack per rate against one server.
func loadTests(ctx context.Context, c *config, work string, rates []int, dur time.Duration, mix string, cache int) ([]*loadResult, error) {
	bin, err := hrsearchBinary(c, work)
	if err != nil {
		return nil, err
	}
	data, err := demoData(c, work, bin)
	if err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	logf("load test: %d req/s for %s against hrsearch serve on %s", c.loadRate, c.loadDur, addr)
	srv := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--rate-limit", "0", "--cache", strconv.Itoa(cache))
	logFile, _ := os.Create(filepath.Join(work, "serve.log"))
	defer logFile.Close()
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		return nil, err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	base := "http://" + addr
	up := false
	for range 300 {
		if resp, err := http.Get(base + "/readyz"); err == nil { // 503 until the index is open
			resp.Body.Close()
			up = resp.StatusCode == 200
			if up {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !up {
		return nil, fmt.Errorf("hrsearch serve did not come up on %s (see %s)", addr, logFile.Name())
	}
	var targets []vegeta.Target
	if mix == "topics" {
		for _, q := range topicQueries(c) {
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/api/search?" + url.Values{"q": {q}}.Encode()})
		}
	} else {
		for _, cl := range classOrder {
			for _, q := range queryClasses()[cl] {
				targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/api/search?" + apiQuery(q).Encode()})
			}
		}
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("no targets for mix %q", mix)
	}
	// Warm up: each target once.
	for _, t := range targets {
		if resp, err := http.Get(t.URL); err == nil {
			resp.Body.Close()
		}
	}
	var out []*loadResult
	for _, rate := range rates {
		// Sample the server's RSS while the attack runs; VmHWM is its peak.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var peak int64
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if v := procStatus(srv.Process.Pid, "VmHWM"); v > peak {
					peak = v
				}
				select {
				case <-stop:
					return
				case <-time.After(500 * time.Millisecond):
				}
			}
		}()
		logf("load test: %d req/s for %s (%s mix)", rate, dur, mix)
		attacker := vegeta.NewAttacker(vegeta.Timeout(10*time.Second), vegeta.KeepAlive(true), vegeta.Workers(8))
		var m vegeta.Metrics
		for r := range attacker.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, dur, "hrsearch") {
			m.Add(r)
			if ctx.Err() != nil {
				attacker.Stop()
			}
		}
		m.Close()
		close(stop)
		wg.Wait()
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		ok := 0
		for code, n := range m.StatusCodes {
			if strings.HasPrefix(code, "2") {
				ok += n
			}
		}
		lr := &loadResult{Rate: rate, Seconds: m.Duration.Seconds(), Requests: m.Requests,
			P50: ms(m.Latencies.P50), P90: ms(m.Latencies.P90), P99: ms(m.Latencies.P99), Max: ms(m.Latencies.Max),
			Mean: ms(m.Latencies.Mean), Success: m.Success, Errors: int(m.Requests) - ok, Statuses: m.StatusCodes,
			PeakRSS: peak, Throughput: m.Throughput, Targets: len(targets), Mix: mix, Cache: cache}
		logf("load: p50 %.1f ms p99 %.1f ms success %.4f failed %d peak RSS %d MB", lr.P50, lr.P99, lr.Success, lr.Errors, lr.PeakRSS>>20)
		out = append(out, lr)
		// Let the server drain its queue before the next rate.
		time.Sleep(5 * time.Second)
	}
	return out, nil
}

// evalDemo runs `hrsearch eval` on the demo index (after the server has
// let go of it).
func evalDemo(ctx context.Context, c *config, work string) string {
	bin := filepath.Join(work, "hrsearch")
	shared := filepath.Dir(filepath.Dir(abs(c.demoCatalog)))
	cmd := exec.CommandContext(ctx, bin, "eval", "--data", filepath.Join(work, "demo"),
		"--topics", filepath.Join(shared, "eval", "topics.tsv"), "--qrels", filepath.Join(shared, "eval", "qrels.txt"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Sprintf("eval failed: %v: %s %s", err, out, stderr.String())
	}
	return strings.TrimSpace(string(out))
}
