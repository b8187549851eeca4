package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rfcExample is the example of RFC 9309 §5.1, with a few lines added.
const rfcExample = `User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
`

func TestRobotsMatrix(t *testing.T) {
	cases := []struct {
		name, robots, agent, path string
		want                      bool
	}{
		// RFC 9309 §5.1: groups, agent matching, empty groups.
		{"star gif$", rfcExample, "hrsearch", "/img/a.gif", false},
		{"star gif$ with query is not at the end", rfcExample, "hrsearch", "/img/a.gif?x=1", true},
		{"star dir", rfcExample, "hrsearch", "/example/x.html", false},
		{"star longest allow beats gif$", rfcExample, "hrsearch", "/publications/a.gif", true},
		{"star unlisted", rfcExample, "hrsearch", "/other", true},
		{"foobot page allowed", rfcExample, "foobot", "/example/page.html", true},
		{"foobot gif allowed", rfcExample, "foobot", "/example/allowed.gif", true},
		{"foobot rest disallowed", rfcExample, "foobot", "/publications/", false},
		{"foobot version and case", rfcExample, "FooBot/2.1", "/x", false},
		{"barbot", rfcExample, "barbot", "/example/page.html", false},
		{"bazbot shares the group", rfcExample, "bazbot", "/example/page.html", false},
		{"bazbot other paths, * not applied", rfcExample, "bazbot", "/a.gif", true},
		{"quxbot empty group allows all", rfcExample, "quxbot", "/example/page.html", true},
		{"robots.txt always allowed", "User-agent: *\nDisallow: /", "hrsearch", "/robots.txt", true},

		// §5.2: the longest match wins.
		{"longest: disallowed file", "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif", "foobot", "/example/page/disallowed.gif", false},
		{"longest: allowed dir", "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif", "foobot", "/example/page/other.gif", true},
		{"longest regardless of order", "User-agent: *\nDisallow: /a/b\nAllow: /a", "x", "/a/b/c", false},
		// Ties: allow wins.
		{"tie allow wins", "User-agent: *\nDisallow: /page\nAllow: /page", "x", "/page", true},
		{"tie allow wins, other order", "User-agent: *\nAllow: /page\nDisallow: /page", "x", "/page", true},
		{"tie with wildcard", "User-agent: *\nDisallow: /pa\nAllow: /p*", "x", "/page", true},

		// Wildcards and $.
		{"star in middle", "User-agent: *\nDisallow: /this/*/exactly", "x", "/this/a/b/exactly/more", false},
		{"star in middle no match", "User-agent: *\nDisallow: /this/*/exactly", "x", "/this/exactly", true},
		{"dollar exact", "User-agent: *\nDisallow: /this/path/exactly$", "x", "/this/path/exactly", false},
		{"dollar longer path", "User-agent: *\nDisallow: /this/path/exactly$", "x", "/this/path/exactly/", true},
		{"star and dollar", "User-agent: *\nDisallow: /*.pdf$", "x", "/docs/a.pdf", false},
		{"star and dollar no", "User-agent: *\nDisallow: /*.pdf$", "x", "/docs/a.pdf.html", true},
		{"many stars", "User-agent: *\nDisallow: /**a**b**$", "x", "/xxaxxb", false},
		{"leading star", "User-agent: *\nDisallow: *private", "x", "/a/private/b", false},
		{"query", "User-agent: *\nDisallow: /search?q=", "x", "/search?q=torture", false},
		{"dollar in the middle is literal", "User-agent: *\nDisallow: /a$b", "x", "/a$b", false},

		// §2.2.2: percent-encoding.
		{"utf-8 pattern matches encoded path", "User-agent: *\nDisallow: /foo/bar/ツ", "x", "/foo/bar/%E3%83%84", false},
		{"encoded pattern", "User-agent: *\nDisallow: /foo/bar/%E3%83%84", "x", "/foo/bar/%e3%83%84", false},
		{"unreserved escapes decoded", "User-agent: *\nDisallow: /foo/bar/%62%61%7A", "x", "/foo/bar/baz", false},

		// Syntax: case, comments, spaces, BOM, rules outside groups, merging.
		{"keys case-insensitive", "USER-AGENT: *\nDISALLOW: /x", "x", "/x", false},
		{"comments", "# hi\nUser-agent: * # all\nDisallow: /x # no\n", "x", "/x", false},
		{"BOM", "\xef\xbb\xbfUser-agent: *\nDisallow: /x", "x", "/x", false},
		{"CR line ends", "User-agent: *\rDisallow: /x\r", "x", "/x", false},
		{"rule before any group ignored", "Disallow: /\nUser-agent: *\nAllow: /", "x", "/a", true},
		{"empty disallow", "User-agent: *\nDisallow:", "x", "/a", true},
		{"own groups merged", "User-agent: hrsearch\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n\nUser-agent: HRSearch\nDisallow: /c", "hrsearch/1.0 (+https://x)", "/c", false},
		{"own group replaces *", "User-agent: hrsearch\nDisallow: /a\n\nUser-agent: *\nDisallow: /b", "hrsearch", "/b", true},
		{"no groups", "Sitemap: https://x/s.xml", "x", "/a", true},
		{"garbage", "<html><body>not robots</body></html>", "x", "/a", true},
		{"sitemap does not end the agent list", "User-agent: a\nSitemap: /s\nUser-agent: hrsearch\nDisallow: /", "hrsearch", "/p", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parseRobots([]byte(c.robots)).AllowedPath(c.agent, c.path)
			if got != c.want {
				t.Errorf("%s %s: allowed = %v, want %v", c.agent, c.path, got, c.want)
			}
		})
	}
	t.Logf("RESULT C1 robots matrix: %d cases of RFC 9309 (groups, longest match, ties, *, $, percent-encoding) pass", len(cases))
}

func TestRobotsCrawlDelay(t *testing.T) {
	r := parseRobots([]byte("User-agent: *\nCrawl-delay: 2.5\n\nUser-agent: hrsearch\nCrawl-delay: 0.1\nDisallow: /x"))
	if d, ok := r.CrawlDelay("hrsearch"); !ok || d != 100*time.Millisecond {
		t.Errorf("crawl-delay for hrsearch = %v, %v", d, ok)
	}
	if d, ok := r.CrawlDelay("other"); !ok || d != 2500*time.Millisecond {
		t.Errorf("crawl-delay for others = %v, %v", d, ok)
	}
	if _, ok := parseRobots([]byte("User-agent: *\nCrawl-delay: soon")).CrawlDelay("x"); ok {
		t.Error("bad crawl-delay accepted")
	}
}

func TestRobotsBigFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for b.Len() < 490<<10 {
		b.WriteString("Disallow: /padding/" + strings.Repeat("p", 60) + "\n")
	}
	b.WriteString("Disallow: /deep-but-read\n")
	for b.Len() < 700<<10 {
		b.WriteString("# more padding " + strings.Repeat("q", 60) + "\n")
	}
	b.WriteString("Disallow: /beyond-the-limit\n")
	r := parseRobots([]byte(b.String()))
	if r.AllowedPath("x", "/deep-but-read") {
		t.Error("a rule at 490 KiB is not honoured")
	}
	if !r.AllowedPath("x", "/beyond-the-limit") {
		t.Error("a rule beyond 512 KiB is honoured")
	}
	if !r.AllowedPath("x", "/fine") {
		t.Error("an unlisted path is disallowed")
	}
	t.Logf("RESULT C1 big robots.txt: %d KiB file, rule at 490 KiB honoured, parse limit %d KiB", b.Len()>>10, robotsMaxBytes>>10)
}

func TestRobotsMatchIsNotExponential(t *testing.T) {
	pattern := "/" + strings.Repeat("*a", 200) + "$"
	path := "/" + strings.Repeat("a", 5000) + "b"
	start := time.Now()
	if robotsMatch(pattern, path) {
		t.Fatal("matched")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("pathological pattern took %s", d)
	}
}

// fakeClock is a settable clock for the robots.txt cache.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testFetchConfig is a fetcher configuration for httptest servers: private
// addresses allowed, short delays.
func testFetchConfig() FetchConfig {
	return FetchConfig{
		AllowPrivate:  true,
		HostDelay:     time.Millisecond,
		BackoffBase:   5 * time.Millisecond,
		MaxBackoff:    50 * time.Millisecond,
		HeaderTimeout: 5 * time.Second,
		Timeout:       10 * time.Second,
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRobotsFetchStatuses(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		allowed bool
	}{
		{"200 rules", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "User-agent: *\nDisallow: /page")
		}, false},
		{"404 allows all", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, true},
		{"401 allows all", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, true},
		{"410 allows all", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(410) }, true},
		{"429 disallows all", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(429) }, false},
		{"500 disallows all", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, false},
		{"503 disallows all", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }, false},
		{"gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, []byte("User-agent: *\nDisallow: /page")))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/robots.txt", c.handler)
			srv := httptest.NewServer(mux)
			defer srv.Close()
			f := NewFetcher(testFetchConfig())
			defer f.Close()
			rb, err := f.RobotsFor(context.Background(), mustURL(t, srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			if got := rb.AllowedPath("hrsearch", "/page"); got != c.allowed {
				t.Errorf("allowed = %v, want %v", got, c.allowed)
			}
		})
	}
}

func TestRobotsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: connection refused
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	_, err = f.Fetch(context.Background(), "http://"+addr+"/page", FetchOptions{})
	if !errors.Is(err, ErrDisallowed) {
		t.Fatalf("unreachable robots.txt: err = %v, want ErrDisallowed", err)
	}
	t.Logf("RESULT C1 robots.txt statuses: 2xx rules, 4xx allow all, 429/5xx and unreachable disallow all (%v)", err)
}

func TestRobotsRedirects(t *testing.T) {
	for _, hops := range []int{1, 5, 6} {
		t.Run(fmt.Sprint(hops), func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/r/1", http.StatusMovedPermanently)
			})
			mux.HandleFunc("/r/", func(w http.ResponseWriter, r *http.Request) {
				var n int
				fmt.Sscanf(r.URL.Path, "/r/%d", &n)
				if n < hops {
					http.Redirect(w, r, fmt.Sprintf("/r/%d", n+1), http.StatusFound)
					return
				}
				fmt.Fprint(w, "User-agent: *\nDisallow: /page")
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			f := NewFetcher(testFetchConfig())
			defer f.Close()
			rb, err := f.RobotsFor(context.Background(), mustURL(t, srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			// hops redirects in all: /robots.txt → /r/1 → … → /r/hops.
			followed := hops <= robotsMaxRedirects
			if got := rb.AllowedPath("hrsearch", "/page"); got == followed {
				t.Errorf("%d redirects: allowed = %v; the file should be %s", hops, got,
					map[bool]string{true: "read", false: "unavailable (allow all)"}[followed])
			}
		})
	}
	t.Logf("RESULT C1 robots.txt redirects: %d followed, more make the file unavailable", robotsMaxRedirects)
}

func TestRobotsCacheExpiry(t *testing.T) {
	var hits atomic.Int32
	status := atomic.Int32{}
	status.Store(200)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if s := int(status.Load()); s != 200 {
			w.WriteHeader(s)
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow: /private")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg := testFetchConfig()
	cfg.Now = clock.Now
	cfg.RobotsErrorTTL = 10 * time.Minute
	f := NewFetcher(cfg)
	defer f.Close()
	u := mustURL(t, srv.URL+"/page")
	check := func(step string, wantHits int32) {
		t.Helper()
		if _, err := f.RobotsFor(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		if got := hits.Load(); got != wantHits {
			t.Errorf("%s: robots.txt fetched %d times, want %d", step, got, wantHits)
		}
	}
	check("first", 1)
	check("again", 1)
	clock.Advance(23 * time.Hour)
	check("after 23h", 1)
	clock.Advance(90 * time.Minute)
	check("after 24.5h", 2)
	// A failed fetch is cached for RobotsErrorTTL only.
	status.Store(503)
	clock.Advance(25 * time.Hour)
	check("after expiry, 503", 2+int32(f.cfg.MaxAttempts))
	clock.Advance(5 * time.Minute)
	check("5 min after the 503", 2+int32(f.cfg.MaxAttempts))
	status.Store(200)
	clock.Advance(6 * time.Minute)
	check("11 min after the 503", 3+int32(f.cfg.MaxAttempts))
	t.Logf("RESULT C1 robots.txt cache: kept 23h, refetched after 24.5h; a 503 kept 10 min (fake clock), %d fetches", hits.Load())
}

// Concurrent requests for one origin fetch its robots.txt once.
func TestRobotsFetchedOnce(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			hits.Add(1)
			time.Sleep(20 * time.Millisecond)
			fmt.Fprint(w, "User-agent: *\nAllow: /")
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), fmt.Sprintf("%s/p%d.txt", srv.URL, i), FetchOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if hits.Load() != 1 {
		t.Errorf("robots.txt fetched %d times for 8 concurrent requests", hits.Load())
	}
}

func FuzzParseRobots(f *testing.F) {
	f.Add([]byte(rfcExample), "/example/page.html")
	f.Add([]byte("User-agent: *\nDisallow: /*.gif$\nAllow: /a%2"), "/a%2fb")
	f.Add([]byte("user-agent:\n\n\r\rallow:*$$"), "")
	f.Fuzz(func(t *testing.T, robots []byte, path string) {
		r := parseRobots(robots)
		r.AllowedPath("hrsearch", path)
		r.CrawlDelay("hrsearch")
		if !r.AllowedPath("hrsearch", "/robots.txt") {
			t.Fatal("/robots.txt disallowed")
		}
	})
}
