package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
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

// A change the store took but the index did not says so, without the
// cause's text: the librarian must not add it again.
func TestNotIndexedSaysTheChangeWasSaved(t *testing.T) {
	err := fmt.Errorf("%w: indexing a (the index catches up when reopened): %w", corpus.ErrNotIndexed,
		errors.New("write /data/index/store/x.zap: no space left on device"))
	status, code, msg := errorResponse(errors.Join(err, nil))
	if status != http.StatusInternalServerError || code != "not_indexed" {
		t.Errorf("status %d, code %q; want 500 not_indexed", status, code)
	}
	if !strings.Contains(msg, "saved") || strings.Contains(msg, "space") {
		t.Errorf("message %q: want one saying the change was saved, without the cause", msg)
	}
}

func TestLevelFor(t *testing.T) {
	for status, want := range map[int]slog.Level{200: slog.LevelInfo, 404: slog.LevelInfo, 429: slog.LevelInfo,
		500: slog.LevelError, 503: slog.LevelWarn} {
		if got := levelFor(status); got != want {
			t.Errorf("levelFor(%d) = %s, want %s", status, got, want)
		}
	}
}
