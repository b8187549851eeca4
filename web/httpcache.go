package web

import (
	"crypto/rand"
	"encoding/hex"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
)

// HTTP caching. The public pages and API answers are a function of the
// address and the index, so their validator is derived from the index's
// generation (its snapshot epoch), this process's start and a hash of the
// address: a change to the library changes every ETag, a repeated request
// with If-None-Match is answered 304 without running the search, and
// Cache-Control tells caches to revalidate each time ("public, no-cache").
// The librarians' pages and endpoints, the health and metrics endpoints,
// and every page asked for with a librarian's session cookie are
// "no-store".

// publicCacheControl lets any cache keep a public answer but revalidate it
// on every use: the 304 costs nothing, and a change is seen at once.
const publicCacheControl = "public, no-cache"

// generationer is what the server reads the index generation from: the
// Searcher, when it can say.
type generationer interface {
	Generation() (uint64, bool)
}

// newBootID is a random tag of this process, so that a new binary (new
// templates, a new API) never matches an old ETag.
func newBootID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails
	return hex.EncodeToString(b[:])
}

// cachePolicy says how a request's answer may be cached.
type cachePolicy int

const (
	cacheNone    cachePolicy = iota // the handler decides (static files set their own)
	cachePublic                     // generation ETag, public, revalidated
	cacheNoStore                    // never stored: librarians' and operators' endpoints
)

// policyFor classifies a request by its path and method, before routing.
func policyFor(r *http.Request) cachePolicy {
	p := r.URL.Path
	if isLibrarianPath(r) {
		return cacheNoStore
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		// A signed-in librarian's pages carry Edit links and their name:
		// never stored, never answered 304 from a signed-out copy.
		return cacheNoStore
	}
	switch p {
	case "/healthz", "/readyz", "/metrics":
		return cacheNoStore
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return cacheNone
	}
	switch p {
	case "/", "/search", "/help", "/api/search", "/api/export", "/feed.atom", "/opensearch.xml":
		return cachePublic
	}
	for _, prefix := range []string{"/doc/", "/facets/", "/api/documents/", "/api/passages/", "/api/facets/", "/api/cite/"} {
		if strings.HasPrefix(p, prefix) {
			return cachePublic
		}
	}
	return cacheNone
}

// isLibrarianPath reports whether r is for the librarians' pages or write
// API: never cached, never answered to another origin.
func isLibrarianPath(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case p == "/librarian" || strings.HasPrefix(p, "/librarian/"):
		return true
	case p == "/api/audit", p == "/api/documents", p == "/api/trash", p == "/api/tokens", p == "/api/catalog",
		strings.HasPrefix(p, "/api/trash/"), strings.HasPrefix(p, "/api/tokens/"):
		return true
	case strings.HasPrefix(p, "/api/documents/") && strings.Contains(strings.TrimPrefix(p, "/api/documents/"), "/"):
		return true // a document's versions and their restore
	case strings.HasPrefix(p, "/api/documents/"):
		return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions ||
			r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != http.MethodGet &&
				r.Header.Get("Access-Control-Request-Method") != http.MethodHead
	}
	return false
}

// etagFor is the validator of r's answer at generation gen.
func (s *server) etagFor(r *http.Request, gen uint64) string {
	h := fnv.New64a()
	h.Write([]byte(r.URL.EscapedPath()))
	h.Write([]byte{'?'})
	h.Write([]byte(r.URL.RawQuery))
	return `W/"` + s.bootID + "-" + strconv.FormatUint(gen, 36) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// etagMatch reports whether an If-None-Match header names etag (weakly,
// as RFC 9110 says If-None-Match compares).
func etagMatch(header, etag string) bool {
	weak := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == weak {
			return true
		}
	}
	return false
}

// httpCache sets Cache-Control and ETag by policy and answers a matching
// If-None-Match with 304.
func (s *server) httpCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch policyFor(r) {
		case cacheNoStore:
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r)
			return
		case cacheNone:
			next.ServeHTTP(w, r)
			return
		}
		if s.generation == nil {
			next.ServeHTTP(w, r)
			return
		}
		gen, ok := s.generation()
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		etag := s.etagFor(r, gen)
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			h := w.Header()
			h.Set("ETag", etag)
			h.Set("Cache-Control", publicCacheControl)
			h.Add("Vary", "Accept-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		next.ServeHTTP(&etagWriter{ResponseWriter: w, etag: etag}, r)
	})
}

// etagWriter adds the validator to a 200 answer whose handler set none.
type etagWriter struct {
	http.ResponseWriter
	etag    string
	written bool
}

func (w *etagWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		h := w.Header()
		if code == http.StatusOK && h.Get("ETag") == "" {
			h.Set("ETag", w.etag)
			if h.Get("Cache-Control") == "" {
				h.Set("Cache-Control", publicCacheControl)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *etagWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *etagWriter) Flush() {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush() // through the writers that wrap it
}

func (w *etagWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
