// Package indexertest gives tests a data directory holding the demo corpus,
// indexed. Building it takes seconds (a minute under -race), so a test
// process builds it once; CI builds it once with a plain binary and points
// HRSEARCH_DEMO_DATA at it, and each test process works on its own copy
// (an index has one owner at a time).
package indexertest

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
)

var (
	once    sync.Once
	demoDir string
	demoErr error
)

// DemoData returns a data directory (store and index) of the demo catalog,
// shared by the tests of one process: they must not write to it, and must
// close what they open before another test opens it. Use Demo for an open
// one.
func DemoData(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("needs the demo index; not in -short mode")
	}
	catalog := corpustest.CatalogPath(tb)
	once.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "hrsearch-demo-")
		if demoErr != nil {
			return
		}
		if src := os.Getenv("HRSEARCH_DEMO_DATA"); src != "" {
			demoErr = copyDir(src, demoDir)
			return
		}
		demoErr = build(catalog, demoDir)
	})
	if demoErr != nil {
		tb.Fatalf("building the demo data: %v", demoErr)
	}
	return demoDir
}

var (
	openOnce sync.Once
	opened   *indexer.Data
	openErr  error
)

// Demo returns the demo data, opened once per process and shared: tests
// may search it concurrently but must not write to it or close it.
func Demo(tb testing.TB) *indexer.Data {
	tb.Helper()
	dir := DemoData(tb)
	openOnce.Do(func() {
		opened, openErr = indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	if openErr != nil {
		tb.Fatalf("opening the demo data: %v", openErr)
	}
	return opened
}

func build(catalog, dir string) error {
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenDataForImport(context.Background(), dir, log) // as hrsearch index does
	if err != nil {
		return err
	}
	defer d.Close()
	ing := &indexer.Ingester{Store: d.Store, Index: d.Index}
	if _, err = ing.IngestCatalog(context.Background(), cat); err != nil {
		return err
	}
	return d.Index.Compact(context.Background()) // as hrsearch index does
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// Cleanup closes the shared demo data and removes its directory; call it
// from TestMain after m.Run.
func Cleanup() {
	if opened != nil {
		opened.Close()
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
}
