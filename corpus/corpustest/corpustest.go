// Package corpustest locates the shared corpus and evaluation data for
// tests. The texts are not part of the repository: they live in ../shared
// beside the repository root (or where HRSEARCH_SHARED points).
package corpustest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// SharedDir returns the absolute path of the shared data directory, or
// fails the test with a message saying where it was looked for.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := sharedDir()
	if err != nil {
		tb.Fatalf("shared data not found: %v (the corpus lives in ../shared beside the repository root; set HRSEARCH_SHARED to override)", err)
	}
	return dir
}

// CatalogPath returns the path of the demo catalog.
func CatalogPath(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(SharedDir(tb), "corpus", "catalog.jsonl")
}

func sharedDir() (string, error) {
	if d := os.Getenv("HRSEARCH_SHARED"); d != "" {
		return checkDir(d)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return checkDir(filepath.Join(root, "..", "shared"))
}

func checkDir(d string) (string, error) {
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(abs, "corpus", "catalog.jsonl")); err != nil {
		return "", err
	}
	return abs, nil
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// WithoutPdftotext strips from PATH every directory holding poppler's
// pdftotext, so that a test proves PDFs are read with nothing installed.
func WithoutPdftotext(t testing.TB) {
	t.Helper()
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "pdftotext")); err == nil {
			continue
		}
		keep = append(keep, dir)
	}
	t.Setenv("PATH", strings.Join(keep, string(filepath.ListSeparator)))
	if p, err := exec.LookPath("pdftotext"); err == nil {
		t.Fatalf("pdftotext still found at %s", p)
	}
}
