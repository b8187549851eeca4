package indexertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

// WriteCatalog writes text documents and a catalog listing them.
func WriteCatalog(t testing.TB, dir string, docs map[string]string) string {
	t.Helper()
	var lines []string
	for id, text := range docs {
		name := id + ".txt"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf(`{"id":%q,"kind":"article","title":"Doc %s","language":"en","format":"text","file":%q}`, id, id, name))
	}
	path := filepath.Join(dir, "catalog.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Ingest ingests catalog into the data directory data.
func Ingest(t testing.TB, data, catalog string) *indexer.Report {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(context.Background(), data, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&indexer.Ingester{Store: d.Store, Index: d.Index}).IngestCatalog(context.Background(), cat)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Counts opens data and counts its documents, passages and Bleve documents.
func Counts(t testing.TB, data string) (docs int, passages int, indexed uint64) {
	t.Helper()
	d, err := indexer.OpenData(context.Background(), data, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ids, n := d.Index.Documents()
	c, err := d.Index.Bleve().DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return len(ids), n, c
}
