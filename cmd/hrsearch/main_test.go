package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	indexertest.Cleanup()
	os.Exit(code)
}

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestSearchJSONOnDemo(t *testing.T) {
	data := indexertest.DemoData(t)
	out, _, err := runCLI(t, "search", "--data", data, "--json", "refouler")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID, Document, Unit, Snippet string
			Instrument, Article, State  []string
		} `json:"hits"`
		Facets map[string][]struct {
			Value string
			Count int
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json is not JSON: %v\n%.300s", err, out)
	}
	found := false
	for _, h := range res.Hits {
		found = found || h.ID == "cat#art-3"
	}
	if !found || res.Total == 0 || len(res.Facets["instrument"]) == 0 {
		t.Errorf("search --json refouler: total %d, cat#art-3 among hits: %v, facets %v", res.Total, found, res.Facets)
	}

	out, _, err = runCLI(t, "stats", "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Documents, Passages int }
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Documents != 923 || st.Passages < 30000 {
		t.Errorf("stats = %s (%v), want 923 documents", out, err)
	}
}

func TestIndexTwiceAndPassages(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("A title\n\nA block about asylum."), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "c.jsonl")
	if err := os.WriteFile(catalog, []byte(`{"id":"a","kind":"article","language":"en","format":"text","file":"a.txt"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "index", "--catalog", catalog, "--data", data)
	if err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("first index: %q %v", out, err)
	}
	out, _, err = runCLI(t, "index", "--catalog", catalog, "--data", data)
	if err != nil || !strings.Contains(out, "1 unchanged") || !strings.Contains(out, "0 passages written") {
		t.Fatalf("second index: %q %v", out, err)
	}
	out, _, err = runCLI(t, "passages", "--catalog", catalog, "--document", "a")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"id":"a#p-2"`) {
		t.Errorf("passages = %q", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"index"}, {"search", "--data", t.TempDir()}, {"passages", "--catalog", "x"}} {
		if _, _, err := runCLI(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("hrsearch %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestExtractUsesDocumentContext(t *testing.T) {
	catalog := corpustest.CatalogPath(t)
	old := os.Stdin
	r, w, _ := os.Pipe()
	os.Stdin = r
	defer func() { os.Stdin = old }()
	w.WriteString("The complainant claims that his deportation to El Salvador would violate article 3 of the Convention.")
	w.Close()
	out, _, err := runCLI(t, "extract", "--catalog", catalog, "--document", "cat-c-35-d-237-2003")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"articles":["CAT 3"]`) || !strings.Contains(out, `"states":["SV"]`) {
		t.Errorf("extract = %s", out)
	}
}

// TestReadCommandsNeedData: search and eval on a data directory that does
// not exist say so, and create nothing there (an empty index would answer
// every query with nothing, and eval would score that).
func TestReadCommandsNeedData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	f := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"search", "--data", dir, "torture"}, {"eval", "--data", dir, "--topics", f, "--qrels", f}} {
		_, _, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "run hrsearch index first") {
			t.Errorf("hrsearch %v: err = %v, want one naming hrsearch index", args, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("hrsearch %v left %s behind (%v)", args, dir, err)
		}
	}
}
