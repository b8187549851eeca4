package web

import (
	"context"
	"net/http"
	"time"
)

// Health is what /healthz and /readyz report of the index.
type Health struct {
	Documents  int    // documents in the library
	Passages   int    // passages in the index
	Generation uint64 // the index's generation: it changes whenever the index does
	// Ready is false while the index cannot serve searches (being rebuilt,
	// not yet open); Reason then says why.
	Ready  bool
	Reason string
}

// healthTimeout bounds a health check: a probe must answer fast.
const healthTimeout = 2 * time.Second

type apiHealth struct {
	Status     string `json:"status"`
	Documents  int    `json:"documents"`
	Passages   int    `json:"passages"`
	Generation uint64 `json:"generation"`
}

type apiReady struct {
	Ready  bool   `json:"ready"`
	Reason string `json:"reason,omitempty"`
}

// health asks the configured Health, or says only that the process runs.
func (s *server) health(ctx context.Context) (Health, bool, error) {
	if s.healthFn == nil {
		return Health{Ready: true}, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	h, err := s.healthFn(ctx)
	return h, true, err
}

func (s *server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	h, known, err := s.health(r.Context())
	if err != nil {
		return err
	}
	if !known {
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}
	status := "ok"
	if !h.Ready {
		status = "starting"
	}
	return writeJSON(w, http.StatusOK, apiHealth{Status: status, Documents: h.Documents, Passages: h.Passages, Generation: h.Generation})
}

// handleReadyz answers 200 when the server can serve searches, else 503:
// what a load balancer routes by.
func (s *server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	h, _, err := s.health(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "readiness check failed", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, apiReady{Ready: false, Reason: "the index cannot be read"})
	}
	if !h.Ready {
		reason := h.Reason
		if reason == "" {
			reason = "the index is not ready"
		}
		return writeJSON(w, http.StatusServiceUnavailable, apiReady{Ready: false, Reason: reason})
	}
	return writeJSON(w, http.StatusOK, apiReady{Ready: true})
}
