package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noRobots answers /robots.txt with 404 and the rest with h.
func noRobots(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	})
}

func TestFetchUserAgentAndBasics(t *testing.T) {
	var ua atomic.Value
	srv := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.Header.Get("User-Agent"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Language", "es")
		fmt.Fprint(w, "<html><body><p>Hola</p></body></html>")
	}))
	defer srv.Close()
	cfg := testFetchConfig()
	cfg.Contact = "https://example.org/contact"
	f := NewFetcher(cfg)
	defer f.Close()
	res, err := f.Fetch(context.Background(), srv.URL+"/a#frag", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ua.Load(); got != "hrsearch/1.0 (+https://example.org/contact)" {
		t.Errorf("User-Agent %q", got)
	}
	if res.Status != 200 || res.Format != corpus.FormatHTML || res.ETag != `"v1"` || res.ContentLanguage != "es" ||
		res.Charset != "utf-8" || res.URL != srv.URL+"/a" || res.FinalURL != srv.URL+"/a" {
		t.Errorf("fetched %+v", res)
	}
}

func TestFetchRejectsBadURLs(t *testing.T) {
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	for _, u := range []string{"ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)", "http://", "http://:80/", "http://user:pw@example.org/", "::"} {
		if _, err := f.Fetch(context.Background(), u, FetchOptions{}); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", u, err)
		}
	}
}

// C3: requests to one host are one at a time, over one connection, spaced
// by the host delay.
func TestFetchPerHostDelayAndOneConnection(t *testing.T) {
	const delay = 50 * time.Millisecond
	var (
		mu                   sync.Mutex
		arrivals             []time.Time
		inFlight, maxFlight  int
		openConns, maxConns  int
		connectionsSeen      = map[string]bool{}
		secondHostConcurrent atomic.Int32
	)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		inFlight++
		maxFlight = max(maxFlight, inFlight)
		connectionsSeen[r.RemoteAddr] = true
		mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "page")
	})
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch s {
		case http.StateNew:
			openConns++
			maxConns = max(maxConns, openConns)
		case http.StateClosed, http.StateHijacked:
			openConns--
		}
	}
	srv.Start()
	defer srv.Close()
	// A second host is served concurrently with the first.
	srv2 := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		secondHostConcurrent.Add(1)
		fmt.Fprint(w, "other")
	}))
	defer srv2.Close()

	cfg := testFetchConfig()
	cfg.HostDelay = delay
	f := NewFetcher(cfg)
	defer f.Close()
	const n = 8
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), fmt.Sprintf("%s/p%d.txt", srv.URL, i), FetchOptions{}); err != nil {
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), fmt.Sprintf("%s/q%d.txt", srv2.URL, i), FetchOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	minGap := time.Hour
	for i := 1; i < len(arrivals); i++ {
		minGap = min(minGap, arrivals[i].Sub(arrivals[i-1]))
	}
	if len(arrivals) != n+1 {
		t.Errorf("%d requests, want %d (robots.txt + %d pages)", len(arrivals), n+1, n)
	}
	if maxFlight != 1 {
		t.Errorf("%d requests in flight at once, want 1", maxFlight)
	}
	if maxConns != 1 {
		t.Errorf("%d connections open at once, want 1", maxConns)
	}
	if minGap < delay {
		t.Errorf("smallest gap between requests %s, want ≥ %s", minGap, delay)
	}
	// Both hosts take ~n·delay each; done in parallel, the whole is far
	// below 2·n·delay.
	if elapsed > time.Duration(2*n)*delay+time.Second {
		t.Errorf("two hosts took %s: not served in parallel?", elapsed)
	}
	t.Logf("RESULT C3 per-host politeness: %d requests, max in flight %d, max open connections %d (%d used), smallest gap %s (delay %s); 2 hosts in %s",
		len(arrivals), maxFlight, maxConns, len(connectionsSeen), minGap.Round(time.Millisecond), delay, elapsed.Round(time.Millisecond))
}

// requestGaps fetches four pages of a server answering robots with the
// fetcher of cfg, and returns the gaps between the server's requests
// (robots.txt first).
func requestGaps(t *testing.T, cfg FetchConfig, robots string) []time.Duration {
	t.Helper()
	var mu sync.Mutex
	var arrivals []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, robots)
			return
		}
		fmt.Fprint(w, "page")
	}))
	defer srv.Close()
	f := NewFetcher(cfg)
	defer f.Close()
	for i := range 4 {
		if _, err := f.Fetch(context.Background(), fmt.Sprintf("%s/p%d.txt", srv.URL, i), FetchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(arrivals); i++ {
		gaps = append(gaps, arrivals[i].Sub(arrivals[i-1]))
	}
	return gaps
}

// C3: robots.txt Crawl-delay is honoured when larger than the host delay.
func TestFetchCrawlDelay(t *testing.T) {
	gaps := requestGaps(t, testFetchConfig(), "User-agent: *\nCrawl-delay: 0.15\n") // host delay 1ms
	minGap := slices.Min(gaps)
	if minGap < 150*time.Millisecond {
		t.Errorf("smallest gap %s, want ≥ 150ms (Crawl-delay)", minGap)
	}
	t.Logf("RESULT C3 crawl-delay: 0.15s asked, smallest gap between %d requests %s", len(gaps)+1, minGap.Round(time.Millisecond))
}

// An explicit NoHostDelay spaces nothing out (a robots.txt Crawl-delay
// still does); a configuration that leaves HostDelay unset waits 1s.
func TestFetchNoHostDelay(t *testing.T) {
	if got := NewFetcher(FetchConfig{}).cfg.HostDelay; got != time.Second {
		t.Errorf("unset HostDelay = %s, want the 1s default", got)
	}
	cfg := testFetchConfig()
	cfg.HostDelay = NoHostDelay
	t.Run("no delay", func(t *testing.T) {
		gaps := requestGaps(t, cfg, "User-agent: *\nDisallow: /private/\n")
		if len(gaps) != 4 || slices.Max(gaps) >= 500*time.Millisecond {
			t.Errorf("gaps between robots.txt and 4 pages %v, want 4 well under the 1s default", gaps)
		}
	})
	t.Run("crawl-delay", func(t *testing.T) {
		gaps := requestGaps(t, cfg, "User-agent: *\nCrawl-delay: 0.15\n")
		if len(gaps) != 4 || slices.Min(gaps) < 150*time.Millisecond {
			t.Errorf("gaps %v, want ≥ 150ms (Crawl-delay)", gaps)
		}
	})
}

// C4: servers that send headers or bodies slowly are abandoned.
func TestFetchSlowloris(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	trickle := func(w io.Writer, b []byte) {
		for i := range b {
			if _, err := w.Write(b[i : i+1]); err != nil {
				return
			}
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			select {
			case <-time.After(50 * time.Millisecond):
			case <-done:
				return
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		trickle(conn, []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: "+strings.Repeat("x", 200)+"\r\nContent-Length: 2\r\n\r\nok"))
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(200)
		trickle(w, bytes.Repeat([]byte("a"), 1000))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := testFetchConfig()
	cfg.HeaderTimeout = 300 * time.Millisecond
	cfg.Timeout = 800 * time.Millisecond
	f := NewFetcher(cfg)
	defer f.Close()
	for _, c := range []struct {
		path  string
		limit time.Duration
	}{{"/slow-headers", cfg.HeaderTimeout}, {"/slow-body", cfg.Timeout}} {
		start := time.Now()
		_, err := f.Fetch(context.Background(), srv.URL+c.path, FetchOptions{})
		d := time.Since(start)
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: err = %v, want ErrTimeout", c.path, err)
		}
		if d > c.limit+700*time.Millisecond {
			t.Errorf("%s abandoned after %s, limit %s", c.path, d, c.limit)
		}
		t.Logf("RESULT C4 slowloris %s: abandoned after %s (timeout %s): %v", c.path, d.Round(time.Millisecond), c.limit, err)
	}
}

// C5: a 1 GiB body, generated as it is sent, stops at the limit.
func TestFetchHugeBody(t *testing.T) {
	const size = 1 << 30
	var written atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	serve := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("human rights "), 32<<10/13)
		for written.Load() < size {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
	mux.HandleFunc("/chunked", serve)
	mux.HandleFunc("/declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		serve(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := testFetchConfig()
	cfg.MaxBody = 1 << 20
	f := NewFetcher(cfg)
	defer f.Close()
	for _, path := range []string{"/chunked", "/declared"} {
		written.Store(0)
		start := time.Now()
		_, err := f.Fetch(context.Background(), srv.URL+path, FetchOptions{})
		if !errors.Is(err, corpus.ErrTooLarge) {
			t.Fatalf("%s: err = %v, want ErrTooLarge", path, err)
		}
		time.Sleep(50 * time.Millisecond) // let the handler notice
		w := written.Load()
		if w > 64<<20 {
			t.Errorf("%s: server sent %d MiB before the fetcher stopped", path, w>>20)
		}
		t.Logf("RESULT C5 1 GiB body %s: stopped at limit %d KiB after %s, server wrote %.1f MiB of 1024: %v",
			path, cfg.MaxBody>>10, time.Since(start).Round(time.Millisecond), float64(w)/(1<<20), err)
	}
}

// gzipBomb returns gzip members, each of 1 MiB of zeros, concatenated:
// n MiB once decompressed.
func gzipBomb(t testing.TB, n int) []byte {
	member := gzipBytes(t, make([]byte, 1<<20))
	return bytes.Repeat(member, n)
}

// C6: a gzip bomb stops at the limit after decompression.
func TestFetchGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, 1024) // 1 GiB of zeros
	var sent atomic.Int64
	srv := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "gzip")
		for off := 0; off < len(bomb); off += 16 << 10 {
			n, err := w.Write(bomb[off:min(off+16<<10, len(bomb))])
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	cfg := testFetchConfig()
	cfg.MaxBody = 4 << 20
	f := NewFetcher(cfg)
	defer f.Close()
	start := time.Now()
	_, err := f.Fetch(context.Background(), srv.URL+"/bomb.txt", FetchOptions{})
	if !errors.Is(err, corpus.ErrTooLarge) || !strings.Contains(err.Error(), "after decompression") {
		t.Fatalf("err = %v, want ErrTooLarge after decompression", err)
	}
	t.Logf("RESULT C6 gzip bomb: %d KiB compressed = 1024 MiB, stopped at %d MiB decompressed after %s (%d KiB sent): %v",
		len(bomb)>>10, cfg.MaxBody>>20, time.Since(start).Round(time.Millisecond), sent.Load()>>10, err)

	// A small gzip body is decoded.
	srv2 := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBytes(t, []byte("Article 3\n\nNo State Party shall expel.")))
	}))
	defer srv2.Close()
	res, err := f.Fetch(context.Background(), srv2.URL+"/ok.txt", FetchOptions{})
	if err != nil || string(res.Body) != "Article 3\n\nNo State Party shall expel." {
		t.Errorf("gzip body: %v %+v", err, res)
	}
}

// C7: redirect loops, long chains, off-site and non-http(s) redirects.
func TestFetchRedirects(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		fmt.Fprint(w, "off-site")
	}))
	defer other.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	redirect := func(path, to string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", to)
			w.WriteHeader(http.StatusFound)
		})
	}
	redirect("/loop-a", "/loop-b")
	redirect("/loop-b", "/loop-a")
	redirect("/self", "/self")
	redirect("/offsite", other.URL+"/x")
	redirect("/ftp", "ftp://example.org/x")
	redirect("/file", "file:///etc/passwd")
	redirect("/js", "javascript:alert(1)")
	redirect("/data", "data:text/html,<p>hi")
	redirect("/dir/rel", "../target.txt")
	redirect("/empty", "")
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n, stop int
		fmt.Sscanf(r.URL.Path, "/chain/%d/%d", &stop, &n)
		if n < stop {
			http.Redirect(w, r, fmt.Sprintf("/chain/%d/%d", stop, n+1), http.StatusMovedPermanently)
			return
		}
		fmt.Fprint(w, "end of chain")
	})
	mux.HandleFunc("/target.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "target") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	sameHost := func(u *url.URL) bool { return u.Host == mustURL(t, srv.URL).Host }
	cases := []struct {
		path string
		want error
	}{
		{"/loop-a", ErrRedirect},
		{"/self", ErrRedirect},
		{"/chain/11/0", ErrRedirect},
		{"/chain/10/0", nil},
		{"/offsite", ErrOffScope},
		{"/ftp", ErrRedirect},
		{"/file", ErrRedirect},
		{"/js", ErrRedirect},
		{"/data", ErrRedirect},
		{"/dir/rel", nil},
	}
	for _, c := range cases {
		res, err := f.Fetch(context.Background(), srv.URL+c.path, FetchOptions{InScope: sameHost})
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v", c.path, err)
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%s: err = %v, want %v", c.path, err, c.want)
		case c.want == nil && res.Redirects == 0:
			t.Errorf("%s: no redirect followed", c.path)
		}
	}
	var he *HTTPError
	if _, err := f.Fetch(context.Background(), srv.URL+"/empty", FetchOptions{}); !errors.As(err, &he) {
		t.Errorf("redirect without Location: %v", err)
	}
	if otherHits.Load() != 0 {
		t.Errorf("the off-site server got %d requests", otherHits.Load())
	}
	t.Logf("RESULT C7 redirects: loops, >10 hops, off-site (0 requests reached it), ftp:/file:/javascript:/data: refused; 10 hops and relative followed")
}

// C7: loopback and private addresses are refused unless allowed; the check
// is on the dialled address, so names (localhost) do not get around it.
func TestFetchPrivateAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "secret")
	}))
	defer srv.Close()
	port := mustURL(t, srv.URL).Port()
	cfg := testFetchConfig()
	cfg.AllowPrivate = false
	f := NewFetcher(cfg)
	defer f.Close()
	urls := []string{srv.URL + "/", "http://localhost:" + port + "/"}
	if l, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		srv6 := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Config.Handler}}
		srv6.Start()
		defer srv6.Close()
		urls = append(urls, srv6.URL+"/")
	}
	for _, u := range urls {
		_, err := f.Fetch(context.Background(), u, FetchOptions{})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: err = %v, want ErrBlockedAddress", u, err)
		}
		if ErrorReason(err) != "blocked-address" {
			t.Errorf("%s: reason %q", u, ErrorReason(err))
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the private server got %d requests", hits.Load())
	}
	// Allowed, it is reached.
	f2 := NewFetcher(testFetchConfig())
	defer f2.Close()
	if _, err := f2.Fetch(context.Background(), srv.URL+"/", FetchOptions{}); err != nil {
		t.Errorf("with AllowPrivate: %v", err)
	}

	for _, c := range []struct {
		ip     string
		public bool
	}{
		{"127.0.0.1", false}, {"127.8.9.10", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"0.0.0.0", false}, {"100.64.0.1", false}, {"224.0.0.1", false}, {"255.255.255.255", false},
		{"::1", false}, {"::", false}, {"fe80::1", false}, {"fc00::1", false}, {"ff02::1", false}, {"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false}, {"2002:7f00:1::", false}, {"198.18.0.1", false},
		{"8.8.8.8", true}, {"93.184.216.34", true}, {"2606:4700:4700::1111", true}, {"::ffff:8.8.8.8", true},
	} {
		if got := publicAddr(netip.MustParseAddr(c.ip)); got != c.public {
			t.Errorf("publicAddr(%s) = %v", c.ip, got)
		}
	}
	t.Logf("RESULT C7 private addresses: %d loopback URLs (IP, localhost, ::1) refused at dial time, 0 requests reached the server; 23 address classes checked", len(urls))
}

// C8: the format comes from the Content-Type, corrected by the bytes.
func TestFetchSniffing(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
	html := []byte("<!DOCTYPE html><html><body><p>x</p></body></html>")
	cases := []struct {
		ct, path string
		body     []byte
		want     string
	}{
		{"text/html; charset=utf-8", "/a", html, corpus.FormatHTML},
		{"application/xhtml+xml", "/a", html, corpus.FormatHTML},
		{"text/markdown", "/a", []byte("# T"), corpus.FormatMarkdown},
		{"text/x-markdown", "/a", []byte("# T"), corpus.FormatMarkdown},
		{"text/plain", "/a.md", []byte("# T"), corpus.FormatMarkdown},
		{"text/plain", "/a.txt", []byte("plain"), corpus.FormatText},
		{"text/plain", "/a", html, corpus.FormatText}, // never promoted to HTML
		{"application/pdf", "/a", pdf, corpus.FormatPDF},
		{"text/html", "/a.html", pdf, corpus.FormatPDF}, // the bytes win
		{"application/pdf", "/a.pdf", html, corpus.FormatHTML},
		{"", "/a", html, corpus.FormatHTML},
		{"", "/a", pdf, corpus.FormatPDF},
		{"", "/a", []byte("just words"), corpus.FormatText},
		{"application/octet-stream", "/a.md", []byte("# T"), corpus.FormatMarkdown},
		{"application/octet-stream", "/a.pdf", pdf, corpus.FormatPDF},
		{"application/octet-stream", "/a", html, corpus.FormatHTML},
		{"TEXT/HTML", "/a", html, corpus.FormatHTML},
		{"text/csv", "/a.csv", []byte("a,b"), ""},
		{"image/png", "/a.png", []byte("\x89PNG\r\n\x1a\n"), ""},
		{"application/json", "/a", []byte("[]"), ""},
		{"", "/a", []byte("\x89PNG\r\n\x1a\n\x00\x00"), ""},
	}
	for _, c := range cases {
		got, err := reader.FormatOfResponse(c.ct, mustURL(t, "http://h"+c.path), c.body)
		if c.want == "" {
			if !errors.Is(err, corpus.ErrUnsupported) {
				t.Errorf("%q %s: format %q, err %v; want unsupported", c.ct, c.path, got, err)
			}
			continue
		}
		if got != c.want || err != nil {
			t.Errorf("%q %s: format %q, err %v; want %q", c.ct, c.path, got, err, c.want)
		}
	}

	// Over HTTP: no Content-Type at all, and an image whose body is never read.
	var imageSent atomic.Int64
	srv := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/none":
			w.Header()["Content-Type"] = nil
			w.Write(html)
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			for range 1000 {
				n, err := w.Write(make([]byte, 32<<10))
				imageSent.Add(int64(n))
				if err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	res, err := f.Fetch(context.Background(), srv.URL+"/none", FetchOptions{})
	if err != nil || res.Format != corpus.FormatHTML || res.ContentType != "" {
		t.Errorf("no Content-Type: %v %+v", err, res)
	}
	_, err = f.Fetch(context.Background(), srv.URL+"/image", FetchOptions{})
	if !errors.Is(err, corpus.ErrUnsupported) {
		t.Errorf("image: %v", err)
	}
	time.Sleep(20 * time.Millisecond)
	if imageSent.Load() > 8<<20 {
		t.Errorf("image body read: %d bytes sent", imageSent.Load())
	}
	t.Logf("RESULT C8 content sniffing: %d type/extension/bytes cases; no Content-Type sniffed as HTML; image/png refused before its body (%d KiB of 31250 sent)",
		len(cases), imageSent.Load()>>10)
}

// C10: 429 and 503 are retried with backoff, honouring Retry-After;
// attempts are bounded.
func TestFetchRetry(t *testing.T) {
	var mu sync.Mutex
	times := map[string][]time.Time{}
	var failures atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	record := func(r *http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		times[r.URL.Path] = append(times[r.URL.Path], time.Now())
		return len(times[r.URL.Path])
	}
	mux.HandleFunc("/retry-after-seconds", func(w http.ResponseWriter, r *http.Request) {
		if record(r) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/retry-after-date", func(w http.ResponseWriter, r *http.Request) {
		if record(r) == 1 {
			// An HTTP-date has second precision: 2s ahead is 1–2s.
			w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(429)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/backoff", func(w http.ResponseWriter, r *http.Request) {
		if record(r) <= 3 {
			w.WriteHeader(429)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/always-503", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.WriteHeader(503)
	})
	mux.HandleFunc("/too-long", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(503)
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		if record(r) <= 2 {
			failures.Add(1)
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close() // no response at all
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := testFetchConfig()
	cfg.BackoffBase = 40 * time.Millisecond
	cfg.MaxBackoff = time.Second
	cfg.MaxAttempts = 4
	cfg.MaxRetryAfter = 10 * time.Second
	f := NewFetcher(cfg)
	defer f.Close()
	gaps := func(path string) []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		var g []time.Duration
		ts := times[path]
		for i := 1; i < len(ts); i++ {
			g = append(g, ts[i].Sub(ts[i-1]).Round(time.Millisecond))
		}
		return g
	}
	get := func(path string) (*Fetched, error) {
		return f.Fetch(context.Background(), srv.URL+path, FetchOptions{})
	}

	if res, err := get("/retry-after-seconds"); err != nil || res.Attempts != 2 {
		t.Errorf("Retry-After seconds: %v %+v", err, res)
	} else if g := gaps("/retry-after-seconds"); g[0] < time.Second {
		t.Errorf("Retry-After: 1 waited %s", g[0])
	}
	if res, err := get("/retry-after-date"); err != nil || res.Attempts != 2 {
		t.Errorf("Retry-After date: %v %+v", err, res)
	} else if g := gaps("/retry-after-date"); g[0] < 900*time.Millisecond {
		t.Errorf("Retry-After date 2s ahead waited %s", g[0])
	}
	if res, err := get("/backoff"); err != nil || res.Attempts != 4 {
		t.Errorf("backoff: %v %+v", err, res)
	}
	bg := gaps("/backoff")
	// Equal jitter: attempt n waits between half and all of base·2^(n-1).
	for i, g := range bg {
		lo := cfg.BackoffBase << i / 2
		if g < lo {
			t.Errorf("backoff gap %d = %s, want ≥ %s", i+1, g, lo)
		}
	}
	_, err := get("/always-503")
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 503 || len(times["/always-503"]) != cfg.MaxAttempts {
		t.Errorf("always 503: %v after %d attempts", err, len(times["/always-503"]))
	}
	start := time.Now()
	_, err = get("/too-long")
	if !errors.As(err, &he) || he.RetryAfter != time.Hour || len(times["/too-long"]) != 1 || time.Since(start) > time.Second {
		t.Errorf("Retry-After 3600: %v after %d attempts", err, len(times["/too-long"]))
	}
	// (net/http itself retries a GET once when a reused connection drops
	// before answering; the fetcher retries the rest.)
	if res, err := get("/drop"); err != nil || res.Status != 200 || len(times["/drop"]) != 3 {
		t.Errorf("dropped connections: %v %+v after %d requests", err, res, len(times["/drop"]))
	}
	if _, err := get("/404"); !errors.As(err, &he) || he.Status != 404 || len(times["/404"]) != 1 {
		t.Errorf("404 retried or not an HTTPError: %v", err)
	}
	t.Logf("RESULT C10 retries: Retry-After 1 → waited %v; HTTP-date → %v; 429×3 backoff gaps %v (base %s, equal jitter); 503 always → %d attempts; Retry-After 3600 > max → no wait; 2 dropped connections → success on attempt 3; 404 not retried",
		gaps("/retry-after-seconds"), gaps("/retry-after-date"), bg, cfg.BackoffBase, cfg.MaxAttempts)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{"0", 0, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"Sun, 01 Jun 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 01-Jun-25 12:01:00 GMT", time.Minute, true},
		{"Sun Jun  1 12:00:10 2025", 10 * time.Second, true},
		{"Sun, 01 Jun 2025 11:00:00 GMT", 0, true}, // past
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfter(c.v, now)
		if got != c.want || ok != c.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", c.v, got, ok, c.want, c.ok)
		}
	}
}

// C11 (fetcher): validators make the request conditional.
func TestFetchConditional(t *testing.T) {
	var inm, ims atomic.Value
	srv := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		inm.Store(r.Header.Get("If-None-Match"))
		ims.Store(r.Header.Get("If-Modified-Since"))
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "text")
	}))
	defer srv.Close()
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	res, err := f.Fetch(context.Background(), srv.URL+"/a.txt", FetchOptions{})
	if err != nil || res.NotModified || res.ETag != `"v1"` {
		t.Fatalf("first: %v %+v", err, res)
	}
	res, err = f.Fetch(context.Background(), srv.URL+"/a.txt", FetchOptions{ETag: res.ETag, Modified: res.Modified})
	if err != nil || !res.NotModified || res.Status != 304 || len(res.Body) != 0 {
		t.Fatalf("second: %v %+v", err, res)
	}
	if inm.Load() != `"v1"` || ims.Load() != "Mon, 02 Jan 2006 15:04:05 GMT" {
		t.Errorf("sent If-None-Match %q, If-Modified-Since %q", inm.Load(), ims.Load())
	}
}

func TestRobotsTagHeader(t *testing.T) {
	for _, c := range []struct {
		values     []string
		ni, nf     bool
		agentMatch string
	}{
		{[]string{"noindex"}, true, false, ""},
		{[]string{"nofollow, noarchive"}, false, true, ""},
		{[]string{"none"}, true, true, ""},
		{[]string{"otherbot: noindex"}, false, false, ""},
		{[]string{"hrsearch: noindex", "nofollow"}, true, true, ""},
		{[]string{"unavailable_after: 25 Jun 2010 15:00:00 PST"}, false, false, ""},
	} {
		ni, nf := reader.RobotsTag(c.values, "hrsearch")
		if ni != c.ni || nf != c.nf {
			t.Errorf("%q: noindex %v nofollow %v", c.values, ni, nf)
		}
	}
}
