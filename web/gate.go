package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
)

// Readiness while the index is opened or rebuilt: a server listens at
// once, and until its handler is ready /healthz says "starting" (the
// process is alive), /readyz is a 503 with the reason (a load balancer
// sends it nothing yet), and every other request is a 503 with
// Retry-After. Opening the index may take minutes: building the demo
// index, or rebuilding one that is missing, outdated (another version's
// mapping) or damaged from the store.

// gate serves the starting answers until open hands it the handler.
type gate struct {
	h      atomic.Pointer[http.Handler]
	reason atomic.Pointer[string]
}

func (g *gate) setReason(r string) { g.reason.Store(&r) }

func (g *gate) open(h http.Handler) { g.h.Store(&h) }

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := g.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	reason := "the server is starting"
	if p := g.reason.Load(); p != nil {
		reason = *p
	}
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/healthz":
		_ = writeJSON(w, http.StatusOK, apiHealth{Status: "starting"})
	case "/readyz":
		_ = writeJSON(w, http.StatusServiceUnavailable, apiReady{Ready: false, Reason: reason})
	default:
		w.Header().Set("Retry-After", "5")
		_ = writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "The server is starting (" + reason + "). Please try again in a moment."})
	}
}

// Opener prepares the server's handler (opening, and if need be
// rebuilding, the index), saying what it does through reason.
type Opener func(ctx context.Context, reason func(string)) (http.Handler, error)

// ListenAndServeWhenReady listens on addr at once, answers as not ready
// while open runs, then serves the handler open returns until ctx is
// done. It logs "listening" when it has the address and "serving" when
// the handler is ready. An error of open stops the server and is
// returned.
func ListenAndServeWhenReady(ctx context.Context, addr string, log *slog.Logger, open Opener) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	log.InfoContext(ctx, "listening", "addr", ln.Addr().String())
	g := &gate{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, newHTTPServer(g, log)) }()
	h, err := open(ctx, g.setReason)
	if err != nil {
		cancel()
		<-done
		return err
	}
	g.open(h)
	log.InfoContext(ctx, "serving", "addr", ln.Addr().String())
	return <-done
}
