package indexer_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/indexer/store"
)

func TestIngestIsIdempotent(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{
		"a": "Title of a\n\nFirst block about detention.\n\nSecond block.",
		"b": "Only block of b about asylum.",
	})
	rep := indexertest.Ingest(t, data, catalog)
	if rep.Added != 2 || rep.Failed != 0 {
		t.Fatalf("first ingest: %+v", rep)
	}
	d1, p1, c1 := indexertest.Counts(t, data)
	if d1 != 2 || p1 != 4 || c1 != 4 {
		t.Fatalf("after first ingest: %d docs, %d passages, %d in Bleve; want 2, 4, 4", d1, p1, c1)
	}
	rep = indexertest.Ingest(t, data, catalog)
	if rep.Unchanged != 2 || rep.Added+rep.Updated+rep.Removed != 0 || rep.Passages != 0 {
		t.Fatalf("second ingest changed something: %+v", rep)
	}
	if d2, p2, c2 := indexertest.Counts(t, data); d2 != d1 || p2 != p1 || c2 != c1 {
		t.Fatalf("counts moved: %d/%d/%d → %d/%d/%d", d1, p1, c1, d2, p2, c2)
	}

	// A changed file replaces its passages; a removed entry disappears.
	catalog = indexertest.WriteCatalog(t, src, map[string]string{"a": "Title of a\n\nNew text only."})
	os.Remove(filepath.Join(src, "b.txt"))
	rep = indexertest.Ingest(t, data, catalog)
	if rep.Updated != 1 || rep.Removed != 1 {
		t.Fatalf("third ingest: %+v", rep)
	}
	if d3, p3, c3 := indexertest.Counts(t, data); d3 != 1 || p3 != 2 || c3 != 2 {
		t.Fatalf("after change: %d docs, %d passages, %d in Bleve; want 1, 2, 2", d3, p3, c3)
	}
}

func TestIngestReportsBadDocumentsAndGoesOn(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "bad.pdf"), []byte("%PDF-1.4 not really a pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "good.txt"), []byte("Some good text."), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "catalog.jsonl")
	lines := `{"id":"bad","kind":"report","format":"pdf","file":"bad.pdf"}
not json at all
{"id":"good","kind":"article","format":"text","file":"good.txt"}
{"id":"missing","kind":"article","format":"text","file":"missing.txt"}
`
	if err := os.WriteFile(catalog, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) != 1 || cat.Errors[0].Line != 2 {
		t.Fatalf("catalog errors = %v, want line 2", cat.Errors)
	}
	rep := indexertest.Ingest(t, data, catalog)
	if rep.Added != 1 || rep.Failed != 2 || len(rep.Errors) != 2 {
		t.Fatalf("report = %+v", rep)
	}
}

func TestRebuildFromStore(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{"a": "One.\n\nTwo.\n\nThree."})
	indexertest.Ingest(t, data, catalog)
	_, p1, _ := indexertest.Counts(t, data)
	// Garbage in place of the index: opening rebuilds it from the store.
	ixDir := filepath.Join(data, "index")
	if err := os.WriteFile(filepath.Join(ixDir, "index_meta.json"), []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, p, c := indexertest.Counts(t, data); d != 1 || p != p1 || c != uint64(p1) {
		t.Fatalf("after rebuild: %d docs, %d passages, %d in Bleve; want 1, %d", d, p, c, p1)
	}
	n, passages, err := indexer.Rebuild(context.Background(), data, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || n != 1 || passages != p1 {
		t.Fatalf("Rebuild = %d, %d, %v", n, passages, err)
	}
}

// TestRebuildSaysWhatItSkipped: a stored document whose record cannot be
// read is not silently dropped: Rebuild indexes the others and names it.
func TestRebuildSaysWhatItSkipped(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{"a": "One.\n\nTwo.", "b": "Three."})
	indexertest.Ingest(t, data, catalog)
	if err := os.WriteFile(filepath.Join(data, "store", "b", "meta.json"), []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, _, err := indexer.Rebuild(context.Background(), data, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var skipped *indexer.SkippedError
	if n != 1 || !errors.As(err, &skipped) || len(skipped.IDs) != 1 || skipped.IDs[0] != "b" {
		t.Fatalf("Rebuild = %d documents, %v; want 1 and b named as skipped", n, err)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	data := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(context.Background(), data, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err = indexer.OpenIndex(filepath.Join(data, "index"))
	if err == nil {
		t.Fatal("second open of a held index succeeded")
	}
}

// A librarian's corrected states are set on every passage, beside the
// states each passage's own text names, and survive a re-import of the
// catalog.
func TestOverriddenStatesWinOverExtraction(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{"a": "A report on Switzerland.\n\nMore about Switzerland."})
	indexertest.Ingest(t, data, catalog)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	stateCount := func(code string) uint64 {
		t.Helper()
		d, err := indexer.OpenData(context.Background(), data, log)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		q := bleve.NewTermQuery(code)
		q.SetField(schema.FieldState)
		res, err := d.Index.Bleve().Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if n := stateCount("CH"); n != 2 {
		t.Fatalf("extraction gave CH to %d passages, want 2", n)
	}
	st, _ := store.OpenStore(filepath.Join(data, "store"))
	rec, err := st.Get("a")
	if err != nil {
		t.Fatal(err)
	}
	rec.Overrides = &corpus.Entry{States: []string{"SV"}}
	if err := st.PutRecord(rec); err != nil {
		t.Fatal(err)
	}
	// Opening the data brings the index up to date with the corrected record.
	if ch, sv := stateCount("CH"), stateCount("SV"); ch != 2 || sv != 2 {
		t.Fatalf("after the correction: CH on %d passages, SV on %d; want 2 (named in each) and 2", ch, sv)
	}
	indexertest.Ingest(t, data, catalog)
	if ch, sv := stateCount("CH"), stateCount("SV"); ch != 2 || sv != 2 {
		t.Fatalf("after a re-import: CH on %d passages, SV on %d; want 2 and 2", ch, sv)
	}
}

// TestIngestRemovesThroughAnotherPath: a catalog read once through a
// symbolic link and then through its real path is the same catalog: an
// entry it no longer lists is removed, and the index's origins follow.
func TestIngestRemovesThroughAnotherPath(t *testing.T) {
	base, data := t.TempDir(), t.TempDir()
	real := filepath.Join(base, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	indexertest.WriteCatalog(t, real, map[string]string{"a": "A title\n\nAbout asylum.", "b": "B title\n\nAbout return."})
	if rep := indexertest.Ingest(t, data, filepath.Join(link, "catalog.jsonl")); rep.Added != 2 {
		t.Fatalf("first import: %+v", rep)
	}
	// An index written before origins were canonical holds the path as given.
	legacyOrigin(t, data, "catalog:"+filepath.Join(link, "catalog.jsonl"), "a", "b")
	os.Remove(filepath.Join(real, "b.txt"))
	indexertest.WriteCatalog(t, real, map[string]string{"a": "A title\n\nAbout asylum."})
	rep := indexertest.Ingest(t, data, filepath.Join(real, "catalog.jsonl"))
	if rep.Removed != 1 || rep.Unchanged != 1 {
		t.Errorf("import through the real path: %+v, want b removed, a unchanged", rep)
	}
	d, err := indexer.OpenData(context.Background(), data, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, ok := d.Index.State("b"); ok {
		t.Error("b is still indexed")
	}
	if _, err := d.Store.Get("b"); err == nil {
		t.Error("b is still stored")
	}
	want := "catalog:" + filepath.Join(real, "catalog.jsonl")
	if r, err := filepath.EvalSymlinks(real); err == nil {
		want = "catalog:" + filepath.Join(r, "catalog.jsonl")
	}
	rec, err := d.Store.Get("a")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := d.Index.State("a"); st.Origin != want || rec.Origin != want {
		t.Errorf("a's origin: index %q, store %q, want %q", st.Origin, rec.Origin, want)
	}
}

// legacyOrigin rewrites the index's and the store's origin of ids.
func legacyOrigin(t *testing.T, data, origin string, ids ...string) {
	t.Helper()
	d, err := indexer.OpenData(context.Background(), data, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, id := range ids {
		rec, err := d.Store.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		rec.Origin = origin
		if err := d.Store.PutRecord(rec); err != nil {
			t.Fatal(err)
		}
		raw, err := d.Store.Raw(rec)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := reader.Derive(context.Background(), rec, raw, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Index.Apply([]indexer.Update{{Doc: doc, Key: indexer.Key(rec), Origin: origin}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIngestMemoryLimit: an import with a MemoryLimit runs under that soft
// limit and gives the process its own back when it ends.
func TestIngestMemoryLimit(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{"a": "Title of a\n\nA block about detention."})
	d, err := indexer.OpenData(context.Background(), data, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	before := debug.SetMemoryLimit(-1)
	const limit = 3 << 30
	var during int64
	ing := &indexer.Ingester{Store: d.Store, Index: d.Index, MemoryLimit: limit,
		Progress: func(done, total int) { during = debug.SetMemoryLimit(-1) }}
	if _, err := ing.IngestCatalog(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	if during != limit {
		t.Errorf("memory limit during the import %d, want %d", during, limit)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("memory limit after the import %d, want the process's %d back", after, before)
	}
}
