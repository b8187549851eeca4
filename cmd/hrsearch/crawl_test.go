package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// site serves a small library: an index page linking to a Markdown and a
// text document, and a robots.txt that keeps /private/ out.
func site(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var privateHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /lib/private/\n")
	})
	mux.HandleFunc("/lib/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html lang="en"><h1>Library index</h1><a href="note.md">note</a> <a href="plain.txt">plain</a> <a href="private/x.html">x</a>`)
	})
	mux.HandleFunc("/lib/note.md", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown")
		w.Header().Set("ETag", `"n1"`)
		if r.Header.Get("If-None-Match") == `"n1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "# A note on non-refoulement\n\nThe principle of zqxnonrefoulement forbids returning a person to torture.\n")
	})
	mux.HandleFunc("/lib/plain.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
		w.Write([]byte("Plain text\n\nDetenci\xf3n arbitraria y zqxplainword.\n"))
	})
	mux.HandleFunc("/lib/private/", func(w http.ResponseWriter, r *http.Request) {
		privateHits.Add(1)
		fmt.Fprint(w, "secret")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &privateHits
}

func TestCrawlCommand(t *testing.T) {
	srv, privateHits := site(t)
	data := t.TempDir()
	args := []string{"crawl", "--seed", srv.URL + "/lib/index.html", "--data", data, "--delay", "10ms", "--allow-private", "--depth", "1", "--json"}
	out, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Indexed       int      `json:"indexed"`
		SkippedRobots int      `json:"skipped_robots"`
		Failed        int      `json:"failed"`
		Documents     []string `json:"documents"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("crawl --json: %v\n%s", err, out)
	}
	if rep.Indexed != 3 || rep.SkippedRobots != 1 || rep.Failed != 0 || privateHits.Load() != 0 {
		t.Errorf("crawl report %s; private requests %d", out, privateHits.Load())
	}
	for word, doc := range map[string]string{"zqxnonrefoulement": "lib-note.md", "zqxplainword": "lib-plain.txt"} {
		out, _, err = runCLI(t, "search", "--data", data, "--json", word)
		if err != nil || !strings.Contains(out, doc) {
			t.Errorf("search %s after the crawl: %v\n%.400s", word, err, out)
		}
	}
	// Again: the note is not modified, nothing is re-indexed.
	out, _, err = runCLI(t, append(args[:len(args)-1:len(args)-1], "--max-pages", "10")...)
	if err != nil || !strings.Contains(out, "0 indexed, 3 unchanged of which 1 not modified") {
		t.Errorf("second crawl: %v\n%s", err, out)
	}
	// Without --allow-private the loopback server is refused, per URL.
	out, errOut, err := runCLI(t, "crawl", "--seed", srv.URL+"/lib/index.html", "--data", t.TempDir(), "--delay", "10ms")
	if err != nil || !strings.Contains(out, "1 failed") || !strings.Contains(errOut, "blocked-address") {
		t.Errorf("crawl of a private address: %v\n%s\n%s", err, out, errOut)
	}
	if _, _, err := runCLI(t, "crawl", "--data", data); !errors.Is(err, errUsage) {
		t.Errorf("crawl without --seed: %v", err)
	}
	if _, _, err := runCLI(t, "crawl", "--seed", "ftp://example.org/", "--data", t.TempDir()); err == nil {
		t.Error("crawl of an ftp: seed succeeded")
	}
}

func TestIndexFetchesURLEntries(t *testing.T) {
	srv, _ := site(t)
	src, data := t.TempDir(), t.TempDir()
	catalog := filepath.Join(src, "c.jsonl")
	line := fmt.Sprintf(`{"id":"note","kind":"article","language":"en","url":%q}`+"\n", srv.URL+"/lib/note.md")
	if err := os.WriteFile(catalog, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "index", "--catalog", catalog, "--data", data, "--allow-private", "--delay", "10ms")
	if err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("index: %q %q %v", out, errOut, err)
	}
	out, _, err = runCLI(t, "index", "--catalog", catalog, "--data", data, "--allow-private", "--delay", "10ms")
	if err != nil || !strings.Contains(out, "1 unchanged") {
		t.Fatalf("second index: %q %v", out, err)
	}
	out, _, err = runCLI(t, "search", "--data", data, "--json", "zqxnonrefoulement")
	if err != nil || !strings.Contains(out, `"note#`) {
		t.Errorf("search: %v\n%.300s", err, out)
	}
	// Without --allow-private the entry fails, and is reported.
	data2 := t.TempDir()
	out, errOut, err = runCLI(t, "index", "--catalog", catalog, "--data", data2, "--delay", "10ms")
	if err != nil || !strings.Contains(out, "1 failed") || !strings.Contains(errOut, "address not allowed") {
		t.Errorf("index of a private url: %v\n%s\n%s", err, out, errOut)
	}
}

// TestDelayZero: --delay 0s means no delay between requests to a host, for
// crawl and for index's URL entries (it was taken as unset: 1s); a negative
// delay is a usage error.
func TestDelayZero(t *testing.T) {
	var mu sync.Mutex
	var arrivals []time.Time
	srv, _ := site(t)
	timed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(timed.Close)
	largestGap := func() (time.Duration, int) {
		mu.Lock()
		defer mu.Unlock()
		var largest time.Duration
		for i := 1; i < len(arrivals); i++ {
			largest = max(largest, arrivals[i].Sub(arrivals[i-1]))
		}
		n := len(arrivals)
		arrivals = nil
		return largest, n
	}

	out, errOut, err := runCLI(t, "crawl", "--seed", timed.URL+"/lib/index.html", "--data", t.TempDir(), "--delay", "0s", "--allow-private", "--depth", "1")
	if err != nil || !strings.Contains(out, "3 indexed") {
		t.Fatalf("crawl --delay 0s: %v\n%s\n%s", err, out, errOut)
	}
	if gap, n := largestGap(); n != 4 || gap >= 500*time.Millisecond {
		t.Errorf("crawl --delay 0s: %d requests, largest gap %s; want 4 (robots.txt, 3 pages) without the 1s default between them", n, gap)
	}

	src := t.TempDir()
	catalog := filepath.Join(src, "c.jsonl")
	lines := fmt.Sprintf(`{"id":"note","kind":"article","language":"en","url":%q}`+"\n"+`{"id":"plain","kind":"article","language":"en","url":%q}`+"\n",
		timed.URL+"/lib/note.md", timed.URL+"/lib/plain.txt")
	if err := os.WriteFile(catalog, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err = runCLI(t, "index", "--catalog", catalog, "--data", t.TempDir(), "--allow-private", "--delay", "0s")
	if err != nil || !strings.Contains(out, "2 added") {
		t.Fatalf("index --delay 0s: %v\n%s\n%s", err, out, errOut)
	}
	if gap, n := largestGap(); n != 3 || gap >= 500*time.Millisecond {
		t.Errorf("index --delay 0s: %d requests, largest gap %s; want 3 (robots.txt, 2 documents) without the 1s default between them", n, gap)
	}

	for _, args := range [][]string{
		{"crawl", "--seed", timed.URL + "/lib/index.html", "--data", t.TempDir(), "--delay", "-1s"},
		{"index", "--catalog", catalog, "--data", t.TempDir(), "--delay", "-1s"},
		{"serve", "--data", t.TempDir(), "--delay", "-1s"},
	} {
		if _, _, err := runBounded(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("hrsearch %v: %v, want a usage error", args, err)
		}
	}
}

// TestCrawlErrorLine: a URL that gave no document is reported once per
// line ("http-410: URL: HTTP 410 Gone"), not as "URL: URL: …".
func TestCrawlErrorLine(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/lib/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<h1>Library index</h1><a href="gone.html">gone</a>`)
	})
	mux.HandleFunc("/lib/gone.html", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	out, errOut, err := runCLI(t, "crawl", "--seed", srv.URL+"/lib/index.html", "--data", t.TempDir(), "--delay", "10ms", "--allow-private", "--depth", "1")
	if err != nil || !strings.Contains(out, "1 failed") {
		t.Fatalf("crawl: %v\n%s\n%s", err, out, errOut)
	}
	gone := srv.URL + "/lib/gone.html"
	var line string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, "http-410") {
			line = l
		}
	}
	if want := "http-410: " + gone + ": HTTP 410 Gone"; line != want {
		t.Errorf("error line %q, want %q\n%s", line, want, errOut)
	}
}

// TestCrawlRemovedSummary: the summary counts documents removed because
// their page answered 410 Gone, and names them.
func TestCrawlRemovedSummary(t *testing.T) {
	var gone atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/lib/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<h1>Library index</h1><a href="old.txt">old</a>`)
	})
	mux.HandleFunc("/lib/old.txt", func(w http.ResponseWriter, r *http.Request) {
		if gone.Load() {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		fmt.Fprint(w, "Old report\n\nA paragraph about zqxoldreport.\n")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	data := t.TempDir()
	args := []string{"crawl", "--seed", srv.URL + "/lib/index.html", "--data", data, "--delay", "10ms", "--allow-private", "--depth", "1"}
	if out, errOut, err := runCLI(t, args...); err != nil || !strings.Contains(out, "2 indexed") {
		t.Fatalf("crawl: %v\n%s\n%s", err, out, errOut)
	}
	gone.Store(true)
	out, errOut, err := runCLI(t, args...)
	if err != nil || !strings.Contains(out, "0 failed, 1 removed") || !strings.Contains(out, "removed (page gone): ") || !strings.Contains(out, "-lib-old.txt") {
		t.Errorf("crawl after a 410: %v\n%s\n%s", err, out, errOut)
	}
	out, _, err = runCLI(t, append(args, "--json")...)
	if err != nil || !strings.Contains(out, `"removed": 0`) {
		t.Errorf("crawl --json: %v\n%s", err, out)
	}
}
