package web

import (
	"net/http"
	"slices"
	"strings"
)

// CORS for the read-only public API: a browser application served from
// an origin the operator allows (hrsearch serve --cors-origin) may read
// /api/ answers and the feed. A preflight from an allowed origin for GET
// or HEAD is answered 204; any other preflight is refused (403, without
// CORS headers). The librarians' pages and write API never answer CORS:
// their cookies and tokens stay same-origin.

// corsMaxAge is how long, in seconds, a browser may keep a preflight's answer.
const corsMaxAge = "600"

// corsAllowedHeaders are the request headers a cross-origin reader may send.
var corsAllowedHeaders = []string{"accept", "accept-language", "if-none-match", "cache-control"}

// corsExposed are the response headers a cross-origin reader may see.
const corsExposed = "ETag, Retry-After, Content-Disposition, Link"

// corsPath reports whether r is for the public read API.
func corsPath(r *http.Request) bool {
	if isLibrarianPath(r) {
		return false
	}
	p := r.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/feed.atom" || p == "/opensearch.xml"
}

// corsAllowed reports whether origin is on the allow-list ("*" allows any).
func (s *server) corsAllowed(origin string) bool {
	return origin != "" && (slices.Contains(s.corsOrigins, origin) || slices.Contains(s.corsOrigins, "*"))
}

// cors answers preflights and marks the public API's answers readable by
// allowed origins.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
		if !preflight {
			if origin != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && corsPath(r) && s.corsAllowed(origin) {
				h := w.Header()
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Expose-Headers", corsExposed)
			}
			if corsPath(r) && len(s.corsOrigins) > 0 {
				w.Header().Add("Vary", "Origin")
			}
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Origin")
		method := r.Header.Get("Access-Control-Request-Method")
		if !corsPath(r) || !s.corsAllowed(origin) || (method != http.MethodGet && method != http.MethodHead) || !corsHeadersAllowed(r) {
			s.writeError(w, r, kindAuto, &httpError{status: http.StatusForbidden, code: "cors_refused",
				msg: "Cross-origin requests are allowed only from the origins this server names, and only to read the public API."})
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "GET, HEAD")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}

// corsHeadersAllowed reports whether a preflight asks only for headers a
// reader needs.
func corsHeadersAllowed(r *http.Request) bool {
	for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "" && !slices.Contains(corsAllowedHeaders, name) {
			return false
		}
	}
	return true
}
