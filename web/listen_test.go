package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeAndShutdown(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, nil)
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Fatalf("server lacks a timeout or limit: %+v", srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, srv) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
}

func TestListenAndServeBadAddr(t *testing.T) {
	if err := ListenAndServe(context.Background(), "256.0.0.1:bad", http.NotFoundHandler(), nil); err == nil {
		t.Error("want an error for a bad address")
	}
}

// TestSlowHeaders (S5): a client that never finishes its headers is cut off
// after ReadHeaderTimeout.
func TestSlowHeaders(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, nil)
	srv.ReadHeaderTimeout = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go serve(ctx, ln, srv)

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(c)
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("closed after %v", d)
	}
}

// TestAccessLog checks one line per request with the route template, and
// that the query string (the user's search) is never logged.
func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer // the handlers run synchronously under httptest
	h, _ := newTestHandler(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	do(h, "GET", "/doc/cat?token=SECRET", "Authorization", "Bearer SECRET")
	do(h, "GET", "/api/search?q=SECRETQUERY")
	do(h, "GET", "/api/search?q=boom")
	out := buf.String()
	for _, want := range []string{`"route":"/doc/{id}"`, `"route":"/api/search"`, `"status":200`, `"status":500`, `"method":"GET"`, `"bytes":`, `"duration":`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SECRET") {
		t.Errorf("log contains the query or a token:\n%s", out)
	}
}
