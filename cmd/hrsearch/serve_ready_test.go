package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadyzDuringRebuild: a server whose index must be rebuilt from the
// store listens at once and says it is not ready (/readyz 503 with the
// reason, searches 503, /healthz alive) until the rebuild is done, then
// ready (200) with the rebuilt library searchable.
func TestReadyzDuringRebuild(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("A title\n\nA fixture block about polygraphs."), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "c.jsonl")
	if err := os.WriteFile(catalog, []byte(`{"id":"a","kind":"article","language":"en","format":"text","file":"a.txt"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "index", "--catalog", catalog, "--data", data); err != nil {
		t.Fatal(err)
	}
	// The index is gone: serving it means rebuilding it from the store.
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs lockedBuffer
	hold := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- serveAfter(ctx, appConfig{data: data, maxUpload: 1 << 20, maxPassages: defaultMaxPassages}, "127.0.0.1:0", &logs,
			func(ctx context.Context, reason func(string)) error {
				<-hold // the test looks while the server is not ready
				return nil
			})
	}()
	addrRe := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("the server did not listen:\n%s", logs.String())
		}
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, `"ready":false`) || !strings.Contains(body, "reason") {
		t.Errorf("readyz before the index is open: %d %s", code, body)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, "starting") {
		t.Errorf("healthz before the index is open: %d %s", code, body)
	}
	if code, _ := get("/api/search?q=polygraphs"); code != 503 {
		t.Errorf("a search before the index is open: %d", code)
	}
	close(hold)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, body := get("/readyz")
		if code == 200 {
			break
		}
		if code != 503 || time.Now().After(deadline) {
			t.Fatalf("readyz while rebuilding: %d %s\n%s", code, body, logs.String())
		}
	}
	code, body := get("/api/search?q=polygraphs")
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(body), &res); code != 200 || err != nil || res.Total != 1 {
		t.Errorf("a search once ready: %d %s", code, body)
	}
	if !strings.Contains(logs.String(), `"msg":"serving"`) {
		t.Errorf("no serving line once ready:\n%s", logs.String())
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}
