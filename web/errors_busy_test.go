package web

import (
	"net/http"
	"testing"
)

// A search turned away at capacity is a 503 with Retry-After, on the page
// and in the API, never a 413 or a 500.
func TestBusyIs503WithRetryAfter(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, path := range []string{"/api/search?q=busy", "/search?q=busy"} {
		rec := do(h, http.MethodGet, path)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: status %d, Retry-After %q; want 503 with Retry-After", path, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
}
