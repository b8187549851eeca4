package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// blocksText is a text document of n blocks, so n passages.
func blocksText(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Block %d of a long report on detention.\n\n", i)
	}
	return []byte(b.String())
}

// A delete removes every passage of a document, however many: none is
// found by document:ID or served by id, also after a restart.
func TestDeleteRemovesEveryPassage(t *testing.T) {
	if testing.Short() || raceEnabled {
		// About a minute and a half here; make test runs it without -race.
		t.Skip("indexes 120,000 passages: not in -short mode or under -race")
	}
	const n = 120_000
	src, dir := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "big.txt"), blocksText(n), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "catalog.jsonl")
	line := `{"id":"big","kind":"report","title":"Big","language":"en","format":"text","file":"big.txt"}` + "\n"
	if err := os.WriteFile(catalog, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := indexer.OpenData(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&indexer.Ingester{Store: d.Store, Index: d.Index, MaxPassages: 200_000}).IngestCatalog(context.Background(), cat)
	if err != nil || rep.Failed != 0 {
		t.Fatalf("ingest: %+v, %v", rep, err)
	}
	ids, err := d.Index.PassageIDs("big")
	if err != nil || len(ids) != n {
		t.Fatalf("%d passages indexed (%v), want %d", len(ids), err, n)
	}
	d.Close()

	t.Logf("indexed %d passages at %v", n, time.Now().Format("15:04:05"))
	d, l, closeAll := openTestLibraryCloser(t, dir)
	if _, err := l.Delete(context.Background(), "alice", "big"); err != nil {
		t.Fatal(err)
	}
	t.Logf("deleted at %v", time.Now().Format("15:04:05"))
	gone := func(d *indexer.Data) {
		t.Helper()
		if c := countField(t, d.Index, schema.FieldDocument, "big"); c != 0 {
			t.Errorf("%d passages of the deleted document still found", c)
		}
		for _, id := range []string{ids[0], ids[n/2], ids[99_999], ids[100_000], ids[n-1]} {
			if doc, err := d.Index.Bleve().Document(id); err != nil || doc != nil {
				t.Errorf("passage %s still served (%v)", id, err)
			}
		}
	}
	gone(d)
	closeAll()
	d, _ = openTestLibrary(t, dir)
	gone(d)
}

// A document of more passages than the limit is refused before anything of
// it is written, with an error naming the count and the limit.
func TestMaxPassagesRefusesBeforeWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, l := openTestLibrary(t, dir)
	l.MaxPassages = 10
	_, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "many", Kind: corpus.KindArticle, Language: "en"}, textUpload("many.txt", string(blocksText(11))))
	var de *DocumentError
	if !errors.As(err, &de) || !errors.Is(err, corpus.ErrInvalid) || !strings.Contains(de.Reason, "11 passages") || !strings.Contains(de.Reason, "10 passages") {
		t.Fatalf("add of 11 passages with a limit of 10: %v", err)
	}
	if _, err := d.Store.Get("many"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("refused document stored: %v", err)
	}
	if _, ok := d.Index.State("many"); ok {
		t.Error("refused document indexed")
	}
	if _, err := l.Preview(ctx, &corpus.Entry{ID: "many"}, textUpload("many.txt", string(blocksText(11)))); !errors.As(err, &de) {
		t.Errorf("preview of 11 passages: %v", err)
	}
	if _, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "few", Kind: corpus.KindArticle, Language: "en"}, textUpload("few.txt", string(blocksText(10)))); err != nil {
		t.Errorf("add of 10 passages: %v", err)
	}

	// A catalog import reports the document and writes nothing of it.
	src := t.TempDir()
	catalog := indexertest.WriteCatalog(t, src, map[string]string{"big": string(blocksText(11)), "small": "One block."})
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&indexer.Ingester{Store: d.Store, Index: d.Index, MaxPassages: 10}).IngestCatalog(ctx, cat)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Err, "11 passages") || !strings.Contains(rep.Errors[0].Err, "limit of 10") {
		t.Errorf("import report %+v", rep)
	}
	if _, err := d.Store.Get("big"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("refused catalog document stored: %v", err)
	}
	var many *reader.TooManyPassagesError
	if _, err := reader.Passages(ctx, &corpus.Entry{ID: "x", Format: corpus.FormatText}, blocksText(3)); errors.As(err, &many) {
		t.Error("Passages has no limit")
	}
}
