package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// engine answers benchmark queries.
type engine interface {
	Name() string
	// Query runs q and returns its total hit count.
	Query(ctx context.Context, q benchQuery) (int, error)
	Close() error
}

// lat summarises latencies in milliseconds.
type lat struct {
	N      int     `json:"n"`
	P50    float64 `json:"p50"`
	P90    float64 `json:"p90"`
	P99    float64 `json:"p99"`
	QPS    float64 `json:"qps,omitempty"`
	Errors int     `json:"errors,omitempty"`
}

func summarise(ds []time.Duration) lat {
	if len(ds) == 0 {
		return lat{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		i = min(max(i, 0), len(s)-1)
		return float64(s[i].Microseconds()) / 1000
	}
	return lat{N: len(s), P50: q(0.50), P90: q(0.90), P99: q(0.99)}
}

// medianLat is the per-field median of repetitions.
func medianLat(ls []lat) lat {
	if len(ls) == 0 {
		return lat{}
	}
	f := func(get func(lat) float64) float64 {
		v := make([]float64, len(ls))
		for i, l := range ls {
			v[i] = get(l)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	out := lat{N: ls[0].N}
	out.P50 = f(func(l lat) float64 { return l.P50 })
	out.P90 = f(func(l lat) float64 { return l.P90 })
	out.P99 = f(func(l lat) float64 { return l.P99 })
	out.QPS = f(func(l lat) float64 { return l.QPS })
	for _, l := range ls {
		out.Errors += l.Errors
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// runClients runs qs round-robin from clients goroutines until each has
// done perClient queries or the budget is spent; it returns the
// latencies, QPS over the wall time, and the errors.
func runClients(ctx context.Context, e engine, qs []benchQuery, clients, perClient int, budget time.Duration) (lat, error) {
	if len(qs) == 0 {
		// An engine whose every query failed (a missing python3-xapian)
		// leaves none to run: an error, not a division by zero that ends
		// the whole report.
		return lat{}, errors.New("no queries to run")
	}
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	errs := 0
	deadline := time.Now().Add(budget)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds := make([]time.Duration, 0, perClient)
			for i := 0; i < perClient && time.Now().Before(deadline); i++ {
				q := qs[(i*clients+c)%len(qs)]
				t := time.Now()
				_, err := e.Query(ctx, q)
				d := time.Since(t)
				if err != nil {
					mu.Lock()
					errs++
					if firstErr == nil {
						firstErr = fmt.Errorf("%s %q: %w", e.Name(), q.Words, err)
					}
					mu.Unlock()
					continue
				}
				ds = append(ds, d)
			}
			mu.Lock()
			all = append(all, ds...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	l := summarise(all)
	l.QPS = float64(len(all)) / wall.Seconds()
	l.Errors = errs
	if errs > 0 && len(all) == 0 {
		return l, firstErr
	}
	if firstErr != nil {
		logf("warning: %d errors, first: %v", errs, firstErr)
	}
	return l, nil
}

// dirSize is the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// procStatus reads a field (in kB) of /proc/PID/status, in bytes.
func procStatus(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// procCPU is the user+system CPU seconds of pid (from /proc/PID/stat).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

func selfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return tv(ru.Utime) + tv(ru.Stime)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}

func load1() float64 {
	f := strings.Fields(loadavg())
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// waitQuiet waits until the 1-minute load is below 1.0, polling every 30 s
// for up to max; it returns what it saw.
func waitQuiet(maxWait time.Duration) string {
	start := time.Now()
	for {
		l := load1()
		if l < 1.0 {
			return fmt.Sprintf("1-minute load %.2f after waiting %s", l, time.Since(start).Round(time.Second))
		}
		if time.Since(start) >= maxWait {
			return fmt.Sprintf("1-minute load still %.2f after waiting %s: ran anyway", l, time.Since(start).Round(time.Second))
		}
		logf("load %.2f ≥ 1.0, waiting (%s so far)", l, time.Since(start).Round(time.Second))
		time.Sleep(30 * time.Second)
	}
}
