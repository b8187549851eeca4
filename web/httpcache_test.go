package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// genIndex is the fake index with a generation the test moves.
type genIndex struct {
	*fakeIndex
	gen atomic.Uint64
}

func (g *genIndex) Generation() (uint64, bool) { return g.gen.Load(), true }

func newGenHandler(t *testing.T, mod func(*Config)) (http.Handler, *genIndex) {
	t.Helper()
	g := &genIndex{fakeIndex: newFakeIndex()}
	g.gen.Store(7)
	cfg := fakeConfig(g.fakeIndex)
	cfg.Searcher = g
	if mod != nil {
		mod(&cfg)
	}
	h, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, g
}

// TestETag: public answers carry an ETag from the index generation; the
// same request with it is a 304 that runs no search; a change to the
// library changes it.
func TestETag(t *testing.T) {
	h, g := newGenHandler(t, nil)
	for _, target := range []string{"/api/search?q=torture", "/search?q=torture", "/doc/cat", "/api/passages/cat%23art-3", "/api/facets/state?q=torture"} {
		rec := do(h, "GET", target)
		etag := rec.Header().Get("ETag")
		if rec.Code != 200 || etag == "" || rec.Header().Get("Cache-Control") != publicCacheControl {
			t.Fatalf("%s: %d ETag %q Cache-Control %q", target, rec.Code, etag, rec.Header().Get("Cache-Control"))
		}
		before := len(g.reqs)
		rec = do(h, "GET", target, "If-None-Match", etag)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Fatalf("%s with If-None-Match: %d, body %d bytes", target, rec.Code, rec.Body.Len())
		}
		if len(g.reqs) != before {
			t.Errorf("%s: a 304 ran a search", target)
		}
		if other := do(h, "GET", target+"&x=1").Header().Get("ETag"); other == etag {
			t.Errorf("%s: another address has the same ETag", target)
		}
		g.gen.Add(1)
		rec = do(h, "GET", target, "If-None-Match", etag)
		if rec.Code != 200 || rec.Header().Get("ETag") == etag {
			t.Fatalf("%s after a change: %d ETag %q (was %q)", target, rec.Code, rec.Header().Get("ETag"), etag)
		}
	}
	// Errors carry none.
	if rec := do(h, "GET", "/api/documents/nope"); rec.Header().Get("ETag") != "" {
		t.Errorf("a 404 has an ETag")
	}
}

// TestNoStore: librarians' and operators' endpoints are never stored.
func TestNoStore(t *testing.T) {
	h, _ := newGenHandler(t, func(c *Config) {
		c.Health = func(context.Context) (Health, error) { return Health{Ready: true}, nil }
	})
	for _, target := range []string{"/librarian", "/librarian/edit/cat", "/api/audit", "/healthz", "/readyz", "/metrics",
		"/api/trash", "/api/tokens", "/api/documents/cat/versions", "/api/documents/cat/versions/1/restore"} {
		rec := do(h, "GET", target)
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" || rec.Header().Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q", target, cc, rec.Header().Get("ETag"))
		}
	}
	if rec := do(h, "PUT", "/api/documents/cat"); rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("PUT /api/documents/cat: Cache-Control %q", rec.Header().Get("Cache-Control"))
	}
}

// TestCompression: HTML and JSON go out in zstd or gzip as the client
// prefers, decoding to the identity's bytes; small bodies and clients that
// ask for neither get them as they are.
func TestCompression(t *testing.T) {
	h, _ := newGenHandler(t, nil)
	for _, target := range []string{"/api/openapi.json", "/search?q=torture", "/doc/cat"} {
		plain := do(h, "GET", target)
		if plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Header().Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s without Accept-Encoding: Content-Encoding %q, Vary %q", target, plain.Header().Get("Content-Encoding"), plain.Header().Get("Vary"))
		}
		if plain.Body.Len() < minCompressBytes {
			t.Fatalf("%s: %d bytes, too small to test", target, plain.Body.Len())
		}
		for _, tc := range []struct{ accept, want string }{
			{"gzip, deflate, br", "gzip"},
			{"gzip;q=0.5, zstd", "zstd"},
			{"zstd;q=0, gzip", "gzip"},
			{"identity", ""},
		} {
			rec := do(h, "GET", target, "Accept-Encoding", tc.accept)
			if got := rec.Header().Get("Content-Encoding"); got != tc.want {
				t.Fatalf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", target, tc.accept, got, tc.want)
			}
			if rec.Header().Get("Content-Length") != "" && tc.want != "" {
				t.Errorf("%s: compressed with the identity's Content-Length", target)
			}
			body := decodeBody(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes())
			if tc.want != "" && rec.Body.Len() >= plain.Body.Len() {
				t.Errorf("%s %s: %d bytes, identity %d", target, tc.want, rec.Body.Len(), plain.Body.Len())
			}
			if !strings.HasPrefix(target, "/search") && !strings.HasPrefix(target, "/doc") && !bytes.Equal(body, plain.Body.Bytes()) {
				t.Errorf("%s %s: decodes to other bytes", target, tc.want)
			}
			if len(body) == 0 {
				t.Errorf("%s %s: empty", target, tc.want)
			}
		}
	}
	if rec := do(h, "GET", "/healthz", "Accept-Encoding", "gzip"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("a %d-byte answer was compressed", rec.Body.Len())
	}
}

func decodeBody(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	default:
		t.Fatalf("encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return out
}

func TestChooseEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "gzip": "gzip", "GZIP": "gzip", "x-gzip": "gzip", "zstd": "zstd", "gzip, zstd": "zstd",
		"zstd;q=0.1, gzip;q=0.9": "gzip", "gzip;q=0": "", "br": "", "*": "", "gzip;q=abc": "",
	} {
		if got := chooseEncoding(in); got != want {
			t.Errorf("chooseEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCORS: the public API answers allowed origins' preflights and reads,
// refuses other origins, and the librarians' endpoints never answer CORS.
func TestCORS(t *testing.T) {
	const app = "https://app.example.org"
	h, _ := newGenHandler(t, func(c *Config) { c.CORSOrigins = []string{app} })
	pre := func(target, origin, method string, hdr ...string) *httptest.ResponseRecorder {
		return do(h, "OPTIONS", target, append([]string{"Origin", origin, "Access-Control-Request-Method", method}, hdr...)...)
	}
	rec := pre("/api/search?q=torture", app, "GET", "Access-Control-Request-Headers", "If-None-Match")
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != app ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") {
		t.Fatalf("allowed preflight: %d %v", rec.Code, rec.Header())
	}
	for _, tc := range []struct{ name, target, origin, method string }{
		{"other origin", "/api/search?q=torture", "https://evil.example", "GET"},
		{"a write", "/api/search", app, "POST"},
		{"librarian write API", "/api/documents/cat", app, "PUT"},
		{"librarian add", "/api/documents", app, "POST"},
		{"audit", "/api/audit", app, "GET"},
		{"trash", "/api/trash", app, "GET"},
		{"tokens", "/api/tokens", app, "GET"},
		{"versions", "/api/documents/cat/versions", app, "GET"},
		{"librarian pages", "/librarian", app, "GET"},
	} {
		rec := pre(tc.target, tc.origin, tc.method)
		if rec.Code != http.StatusForbidden || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: %d, Allow-Origin %q", tc.name, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	}
	if rec := pre("/api/search", app, "GET", "Access-Control-Request-Headers", "Authorization"); rec.Code != http.StatusForbidden {
		t.Errorf("preflight asking for Authorization: %d", rec.Code)
	}
	// Reads.
	if rec := do(h, "GET", "/api/search?q=torture", "Origin", app); rec.Header().Get("Access-Control-Allow-Origin") != app ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("allowed read: %v", rec.Header())
	}
	for _, tc := range []struct{ target, origin string }{
		{"/api/search?q=torture", "https://evil.example"},
		{"/api/audit", app},
		{"/search?q=torture", app},
	} {
		if rec := do(h, "GET", tc.target, "Origin", tc.origin); rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET %s from %s: Allow-Origin %q", tc.target, tc.origin, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	}
	// Off without --cors-origin.
	h2, _ := newGenHandler(t, nil)
	if rec := do(h2, "OPTIONS", "/api/search", "Origin", app, "Access-Control-Request-Method", "GET"); rec.Code != http.StatusForbidden {
		t.Errorf("no origins configured: preflight %d", rec.Code)
	}
}

// TestHealthAndReady: /healthz reports the counts and generation, /readyz
// is 503 while the index is not ready, and the metrics say the same.
func TestHealthAndReady(t *testing.T) {
	health := Health{Documents: 4, Passages: 10, Generation: 42}
	h, _ := newGenHandler(t, func(c *Config) {
		c.Health = func(context.Context) (Health, error) { return health, nil }
	})
	rec := do(h, "GET", "/healthz")
	m := decodeJSON(t, rec)
	if rec.Code != 200 || m["documents"] != 4.0 || m["passages"] != 10.0 || m["generation"] != 42.0 {
		t.Errorf("healthz: %d %v", rec.Code, m)
	}
	if rec := do(h, "GET", "/readyz"); rec.Code != http.StatusServiceUnavailable || decodeJSON(t, rec)["ready"] != false {
		t.Errorf("readyz while not ready: %d %s", rec.Code, rec.Body)
	}
	body := do(h, "GET", "/metrics").Body.String()
	for _, want := range []string{"hrsearch_index_passages 10", "hrsearch_index_documents 4", "hrsearch_index_generation 42", "hrsearch_ready 0",
		"hrsearch_index_size_bytes 10", "go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	health.Ready = true
	if rec := do(h, "GET", "/readyz"); rec.Code != 200 || decodeJSON(t, rec)["ready"] != true {
		t.Errorf("readyz when ready: %d %s", rec.Code, rec.Body)
	}
}

// BenchmarkCompress measures what compressing a large search answer costs
// the server: the load test's answers are 70–140 KB of JSON.
func BenchmarkCompress(b *testing.B) {
	body := bytes.Repeat([]byte(`{"id":"cat-c-38-d-300-2006#para-8.2","title":"A.B. v. Testland","snippet":"the <mark>torture</mark> risk was weighed","instrument":["CAT"],"state":["SV"]},`), 700)
	h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	}))
	for _, enc := range []string{"gzip", "zstd"} {
		b.Run(enc, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", "/api/search", nil)
				req.Header.Set("Accept-Encoding", enc)
				h.ServeHTTP(rec, req)
				_ = rec
			}
		})
	}
}
