package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// routesForHeaders exercises every kind of response: pages, JSON, errors,
// static files, metrics.
var routesForHeaders = []struct {
	method, target string
	status         int
}{
	{"GET", "/", 200},
	{"GET", "/search?q=torture", 200},
	{"GET", "/search?q=zzzznothing", 200},
	{"GET", "/search?page=abc&q=x", 400},
	{"GET", "/search?q=boom", 500},
	{"GET", "/doc/cat", 200},
	{"GET", "/doc/nope", 404},
	{"GET", "/doc/Bad..ID", 400},
	{"GET", "/facets/state?q=torture", 200},
	{"GET", "/help", 200},
	{"GET", "/healthz", 200},
	{"GET", "/metrics", 200},
	{"GET", "/static/style.css", 200},
	{"GET", "/static/app.js", 200},
	{"GET", "/static/nope.css", 404},
	{"GET", "/api/search?q=torture", 200},
	{"GET", "/api/search?q=boom", 500},
	{"GET", "/api/documents/cat", 200},
	{"GET", "/api/passages/cat%23art-3", 200},
	{"GET", "/api/facets/state?q=torture", 200},
	{"GET", "/api/openapi.json", 200},
	{"GET", "/nope", 404},
	{"GET", "/api/nope", 404},
	{"POST", "/search", 405},
	{"DELETE", "/api/search", 405},
	{"POST", "/api/search", 403}, // cross-site, see below
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, rt := range routesForHeaders {
		t.Run(rt.method+" "+rt.target, func(t *testing.T) {
			var rec *httptest.ResponseRecorder
			if rt.status == 403 {
				rec = do(h, rt.method, rt.target, "Sec-Fetch-Site", "cross-site")
			} else {
				rec = do(h, rt.method, rt.target)
			}
			if rec.Code != rt.status {
				t.Fatalf("status %d, want %d", rec.Code, rt.status)
			}
			hd := rec.Header()
			if got := hd.Get("Content-Security-Policy"); got != contentSecurityPolicy {
				t.Errorf("CSP = %q", got)
			}
			csp := hd.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP lacks %q", want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Error("CSP allows unsafe code")
			}
			if got := hd.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := hd.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" && got != "same-origin" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			if ct := hd.Get("Content-Type"); !strings.Contains(ct, "charset=utf-8") {
				t.Errorf("Content-Type = %q, want a charset", ct)
			}
			body := rec.Body.String()
			if rec.Code >= 500 && (strings.Contains(body, "bleve") || strings.Contains(body, "secret")) {
				t.Errorf("error body leaks internal text: %s", body)
			}
		})
	}
}

// TestNoInlineScriptOrStyle checks that the pages hold under the CSP: no
// inline script, no style attribute or element, no event handler.
func TestNoInlineScriptOrStyle(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, target := range []string{"/", "/search?q=non-refoulement&state=SV", "/doc/cat", "/doc/evil", "/facets/state?q=torture", "/help", "/nope"} {
		rec := do(h, "GET", target)
		walkHTML(t, rec.Body.Bytes(), func(n *html.Node) {
			switch n.Data {
			case "script":
				if attr(n, "src") == "" || n.FirstChild != nil {
					t.Errorf("%s: inline script", target)
				}
			case "style":
				t.Errorf("%s: <style> element", target)
			}
			for _, a := range n.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: attribute %s on <%s>", target, a.Key, n.Data)
				}
			}
		})
	}
}

func walkHTML(t *testing.T, b []byte, fn func(*html.Node)) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			fn(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestXSS (S1): hostile titles, text, URLs, symbols and facet values are
// escaped on every page, and a javascript: URL never becomes a link.
func TestXSS(t *testing.T) {
	h, f := newTestHandler(t, func(c *Config) {
		c.Names = func(field, code string) string {
			if code == "SV" {
				return xssScript // a hostile registry name too
			}
			return ""
		}
	})
	targets := []string{
		"/search?q=hostile",
		"/search?q=" + urlQuery(xssScript),
		"/search?q=evil&state=" + urlQuery(xssImg) + "&article=" + urlQuery(xssScript),
		"/search?q=zzzz&state=" + urlQuery(xssImg),
		"/search?q=non-refoulement",
		"/doc/evil",
		"/doc/cat",
		"/facets/article?q=evil",
		"/facets/state?q=evil&instrument=" + urlQuery(xssJS),
		"/" + urlQuery(xssScript),
	}
	check := func(target string) {
		rec := do(h, "GET", target)
		body := rec.Body.String()
		for _, bad := range []string{"<script>alert", "<img", `href="javascript:`, "href='javascript:"} {
			if strings.Contains(strings.ToLower(body), bad) {
				t.Errorf("%s: output contains %q", target, bad)
			}
		}
		walkHTML(t, rec.Body.Bytes(), func(n *html.Node) {
			if n.Data == "img" || n.Data == "iframe" || n.Data == "object" {
				t.Errorf("%s: <%s> element", target, n.Data)
			}
			if n.Data == "script" && !strings.HasPrefix(attr(n, "src"), "/static/") {
				t.Errorf("%s: script %q", target, attr(n, "src"))
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: event handler %s", target, a.Key)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: %s=%q", target, a.Key, a.Val)
				}
			}
		})
	}
	for _, target := range targets {
		check(target)
	}
	// The hostile document's source URL is shown as text, not a link.
	body := do(h, "GET", "/doc/evil").Body.String()
	if !strings.Contains(body, "javascript:alert(1)") {
		t.Error("the source URL should still be shown as text")
	}
	// A highlighter that breaks its contract cannot inject markup.
	f.snippetOverride = "before " + xssScript + " <mark>torture</mark> " + xssImg
	check("/search?q=torture")
	if body := do(h, "GET", "/search?q=torture").Body.String(); !strings.Contains(body, "<mark>torture</mark>") {
		t.Error("marks should survive the fallback escaping")
	}
}

func urlQuery(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", " ", "+", "<", "%3C", ">", "%3E", `"`, "%22")
	return r.Replace(s)
}

func TestSnippetIsTheOnlyTemplateHTML(t *testing.T) {
	n := 0
	for _, f := range []string{"api.go", "errors.go", "labels.go", "listen.go", "log.go", "middleware.go", "pages.go", "params.go", "server.go", "views.go"} {
		b, err := readFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += bytes.Count(b, []byte("template.HTML("))
	}
	if n != 2 { // the two returns of safeSnippet
		t.Errorf("template.HTML( appears %d times, want only in safeSnippet", n)
	}
}

func TestRateLimit(t *testing.T) {
	h, _ := newTestHandler(t, func(c *Config) { c.RateLimit = 1 }) // burst 2
	var last *httptest.ResponseRecorder
	for i := 0; i < 5; i++ {
		req := httptest.NewRequest("GET", "/api/search?q=torture", nil)
		req.RemoteAddr = "192.0.2.1:1234"
		last = httptest.NewRecorder()
		h.ServeHTTP(last, req)
	}
	if last.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", last.Code)
	}
	ra, err := strconv.Atoi(last.Header().Get("Retry-After"))
	if err != nil || ra < 1 {
		t.Errorf("Retry-After = %q", last.Header().Get("Retry-After"))
	}
	if m := decodeJSON(t, last); m["error"] != "too_many_requests" {
		t.Errorf("error = %v", m["error"])
	}
	if last.Header().Get("Content-Security-Policy") == "" {
		t.Error("429 without security headers")
	}
	// Another client is not limited; nor are the HTML pages.
	req := httptest.NewRequest("GET", "/api/search?q=torture", nil)
	req.RemoteAddr = "192.0.2.2:1234"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("other client: status %d", rec.Code)
	}
	req = httptest.NewRequest("GET", "/search?q=torture", nil)
	req.RemoteAddr = "192.0.2.1:1234"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("HTML page: status %d", rec.Code)
	}
}

func TestLimiterSweeps(t *testing.T) {
	l := newLimiter(1)
	now := timeZero()
	for i := 0; i < 10; i++ {
		l.allow("10.0.0."+strconv.Itoa(i), now)
	}
	l.allow("x", now.Add(limiterIdle+2*60e9))
	if len(l.clients) != 1 {
		t.Errorf("clients = %d after sweep, want 1", len(l.clients))
	}
}

func TestOversizedBody(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	req := httptest.NewRequest("POST", "/api/search", bytes.NewReader(make([]byte, maxBodyBytes+1)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", rec.Code)
	}
}

func TestHTMLErrorPages(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, tt := range []struct {
		target string
		status int
		want   string
	}{
		{"/doc/nope", 404, "Not Found"},
		{"/search?q=x&size=1000", 400, "size must be between 1 and 100"},
		{"/search?q=boom", 500, "Something went wrong"},
		{"/facets/bogus", 404, "no facet"},
	} {
		rec := do(h, "GET", tt.target)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d", tt.target, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tt.target, ct)
		}
		if !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: body lacks %q", tt.target, tt.want)
		}
	}
}
