package library

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// openTestLibrary opens dir's data and library; closeAll closes both (also
// at the end of the test, if not before).
func openTestLibrary(t *testing.T, dir string) (*indexer.Data, *Library) {
	t.Helper()
	d, l, _ := openTestLibraryCloser(t, dir)
	return d, l
}

func openTestLibraryCloser(t *testing.T, dir string) (*indexer.Data, *Library, func()) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(context.Background(), dir, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := OpenLibrary(d, log)
	if err != nil {
		d.Close()
		t.Fatal(err)
	}
	var once sync.Once
	closeAll := func() { once.Do(func() { l.Close(); d.Close() }) }
	t.Cleanup(closeAll)
	return d, l, closeAll
}

// countField counts the passages whose field holds value.
func countField(t *testing.T, ix *indexer.Index, field, value string) uint64 {
	t.Helper()
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	res, err := ix.Bleve().Search(bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func textUpload(name, text string) *Upload {
	return &Upload{Raw: []byte(text), Filename: name}
}

func TestLibraryAddUpdateDelete(t *testing.T) {
	ctx := context.Background()
	d, l := openTestLibrary(t, t.TempDir())
	e := corpus.Entry{ID: "note-1", Kind: corpus.KindArticle, Language: "en", States: []string{"SV"}}
	rec, doc, err := l.Add(ctx, "alice", e, textUpload("note.txt", "A title\n\nA first block on asylum.\n\nA second block."))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Passages) != 3 || rec.Entry.Format != corpus.FormatText || rec.Origin != "upload" {
		t.Fatalf("added %d passages, format %q, origin %q", len(doc.Passages), rec.Entry.Format, rec.Origin)
	}
	if st, ok := d.Index.State("note-1"); !ok || st.Key != indexer.Key(rec) || st.Passages != 3 {
		t.Fatalf("index state %+v %v", st, ok)
	}
	if n := countField(t, d.Index, schema.FieldState, "SV"); n != 3 {
		t.Errorf("%d passages with state SV, want 3", n)
	}

	// A retry of the same add succeeds; another document under the id is a conflict.
	if _, _, err := l.Add(ctx, "alice", e, textUpload("note.txt", "A title\n\nA first block on asylum.\n\nA second block.")); err != nil {
		t.Errorf("retried add: %v", err)
	}
	if _, _, err := l.Add(ctx, "alice", e, textUpload("note.txt", "Other text.")); !errors.Is(err, corpus.ErrConflict) {
		t.Errorf("add over another document: %v, want ErrConflict", err)
	}

	// Corrections become overrides and are indexed.
	rec, _, err = l.Update(ctx, "bob", "note-1", Change{Overrides: &corpus.Entry{States: []string{"GT"}, Title: "Corrected"}})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Overrides == nil || !slices.Equal(rec.Overrides.States, []string{"GT"}) || rec.Effective().Title != "Corrected" || !slices.Equal(rec.Entry.States, []string{"SV"}) {
		t.Errorf("after correction: entry %+v overrides %+v", rec.Entry, rec.Overrides)
	}
	if n := countField(t, d.Index, schema.FieldState, "SV"); n != 0 {
		t.Errorf("%d passages still with state SV", n)
	}
	if n := countField(t, d.Index, schema.FieldState, "GT"); n != 3 {
		t.Errorf("%d passages with state GT, want 3", n)
	}

	// New bytes replace the passages.
	rec, doc, err = l.Update(ctx, "bob", "note-1", Change{Upload: textUpload("new.md", "# Heading\n\nOnly one paragraph now.")})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Entry.Format != corpus.FormatMarkdown || rec.Effective().Title != "Corrected" {
		t.Errorf("after replacing: format %q, title %q", rec.Entry.Format, rec.Effective().Title)
	}
	if st, _ := d.Index.State("note-1"); st.Passages != len(doc.Passages) || st.Key != indexer.Key(rec) {
		t.Errorf("index holds %d passages, want %d", st.Passages, len(doc.Passages))
	}
	if ids, err := d.Index.PassageIDs("note-1"); err != nil || len(ids) != len(doc.Passages) {
		t.Errorf("index holds passages %v (%v), want %d", ids, err, len(doc.Passages))
	}
	if got, err := l.Get("note-1"); err != nil || got.SHA256 != rec.SHA256 {
		t.Errorf("store: %v %v", got, err)
	}

	// Nothing to change, and unknown documents.
	if _, _, err := l.Update(ctx, "bob", "note-1", Change{}); !errors.Is(err, corpus.ErrInvalid) {
		t.Errorf("empty change: %v", err)
	}
	if _, _, err := l.Update(ctx, "bob", "nope", Change{Overrides: &corpus.Entry{Title: "x"}}); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("update of an unknown document: %v", err)
	}

	if _, err := l.Delete(ctx, "carol", "note-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Get("note-1"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("deleted document still stored: %v", err)
	}
	if _, ok := d.Index.State("note-1"); ok {
		t.Error("deleted document still indexed")
	}
	if n := countField(t, d.Index, schema.FieldDocument, "note-1"); n != 0 {
		t.Errorf("%d passages of the deleted document remain", n)
	}
	if _, err := l.Delete(ctx, "carol", "note-1"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}

	evs, _, err := l.Audit(0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Who+":"+ev.Action)
	}
	want := []string{"carol:delete", "bob:replace", "bob:edit", "alice:add"}
	if !slices.Equal(got, want) {
		t.Errorf("audit = %v, want %v", got, want)
	}
	if evs[2].Before == nil || !slices.Equal(evs[2].Before.Entry.States, []string{"SV"}) || !slices.Equal(evs[2].After.Entry.States, []string{"GT"}) {
		t.Errorf("edit event before/after: %+v → %+v", evs[2].Before, evs[2].After)
	}
}

func TestLibraryRefusesUnreadableDocuments(t *testing.T) {
	corpustest.WithoutPdftotext(t)
	ctx := context.Background()
	dir := t.TempDir()
	d, l := openTestLibrary(t, dir)
	for _, tc := range []struct {
		name, format string
		raw          string
	}{
		{"fake.pdf", "", "this is not a PDF"},
		{"broken.pdf", corpus.FormatPDF, "%PDF-1.4\n garbage garbage\n%%EOF"},
		{"empty.txt", "", "   \n\n  "},
	} {
		_, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "bad", Format: tc.format}, textUpload(tc.name, tc.raw))
		var de *DocumentError
		if !errors.As(err, &de) || !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("%s: %v, want a DocumentError wrapping ErrInvalid", tc.name, err)
			continue
		}
		if de.UserReason() == "" || filepath.IsAbs(de.UserReason()) {
			t.Errorf("%s: reason %q", tc.name, de.UserReason())
		}
		t.Logf("%s: %s", tc.name, de.UserReason())
	}
	if _, err := l.Get("bad"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("an unreadable document was stored: %v", err)
	}
	if ids, _ := d.Store.IDs(); len(ids) != 0 {
		t.Errorf("store holds %v", ids)
	}
	if evs, _, _ := l.Audit(0, 10); len(evs) != 0 {
		t.Errorf("audit records refused documents: %+v", evs)
	}
}

func TestLibraryRefusesEscapingIDs(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	_, l := openTestLibrary(t, data)
	for _, id := range []string{"../../etc/passwd", "../outside", "a/../../b", ".", "..", "/abs", "UPPER"} {
		if _, _, err := l.Add(ctx, "alice", corpus.Entry{ID: id}, textUpload("x.txt", "Text.")); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Add(%q): %v, want ErrInvalid", id, err)
		}
		if _, err := l.Delete(ctx, "alice", id); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Delete(%q): %v, want ErrInvalid", id, err)
		}
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("files beside the data directory: %v", ents)
	}
}

// A librarian's corrections survive a re-import of the catalog, even when
// the catalog's file changed.
func TestOverridesSurviveReimport(t *testing.T) {
	ctx := context.Background()
	src, data := t.TempDir(), t.TempDir()
	cat := indexertest.WriteCatalog(t, src, map[string]string{"a": "A title\n\nAbout asylum.", "b": "B title\n\nAbout return."})
	indexertest.Ingest(t, data, cat)
	{
		_, l, closeAll := openTestLibraryCloser(t, data)
		if _, _, err := l.Update(ctx, "alice", "a", Change{Overrides: &corpus.Entry{States: []string{"SV"}, Kind: corpus.KindReport}}); err != nil {
			t.Fatal(err)
		}
		closeAll()
	}
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("A title\n\nAbout asylum, changed.\n\nAnd more."), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := indexertest.Ingest(t, data, cat)
	if rep.Updated != 1 || rep.Unchanged != 1 {
		t.Errorf("re-import: %+v", rep)
	}
	d, l := openTestLibrary(t, data)
	rec, err := l.Get("a")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Overrides == nil || !slices.Equal(rec.Effective().States, []string{"SV"}) || rec.Effective().Kind != corpus.KindReport {
		t.Fatalf("overrides lost: %+v", rec.Overrides)
	}
	if st, _ := d.Index.State("a"); st.Key != indexer.Key(rec) || st.Passages != 3 {
		t.Errorf("index %+v, want the new bytes with the overrides", st)
	}
	if n := countField(t, d.Index, schema.FieldState, "SV"); n != 3 {
		t.Errorf("%d passages with the corrected state, want 3", n)
	}
}

func TestLibraryFinishesInterruptedDeletes(t *testing.T) {
	dir := t.TempDir()
	tomb := filepath.Join(dir, "store", ".deleted-x-1")
	if err := os.MkdirAll(tomb, 0o755); err != nil {
		t.Fatal(err)
	}
	openTestLibrary(t, dir)
	if _, err := os.Stat(tomb); !os.IsNotExist(err) {
		t.Errorf("tombstone left: %v", err)
	}
}

// TestLibraryChangeTheIndexCannotTake: when the index fails under a
// librarian's change, the change is stored and says so (ErrNotIndexed),
// and the index takes it when it is reopened.
func TestLibraryChangeTheIndexCannotTake(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := OpenLibrary(d, log)
	if err != nil {
		t.Fatal(err)
	}
	e := corpus.Entry{ID: "note-1", Kind: corpus.KindArticle, Language: "en"}
	if _, _, err := l.Add(ctx, "alice", e, textUpload("a.txt", "A title\n\nA block on asylum.")); err != nil {
		t.Fatal(err)
	}
	d.Index.Bleve().Close() // the index's next write fails (and it cannot be closed again)
	e.ID = "note-2"
	_, _, err = l.Add(ctx, "alice", e, textUpload("b.txt", "Another title\n\nA block on polygraphs."))
	if !errors.Is(err, corpus.ErrNotIndexed) {
		t.Fatalf("add with a failing index: %v, want ErrNotIndexed", err)
	}
	if _, err := l.Get("note-2"); err != nil {
		t.Fatalf("the change was not stored: %v", err)
	}
	// The librarian retries (the same bytes): still stored, still not indexed.
	if _, _, err := l.Add(ctx, "alice", e, textUpload("b.txt", "Another title\n\nA block on polygraphs.")); !errors.Is(err, corpus.ErrNotIndexed) {
		t.Fatalf("a retry with a failing index: %v, want ErrNotIndexed", err)
	}
	if _, err := l.Delete(ctx, "alice", "note-1"); !errors.Is(err, corpus.ErrNotIndexed) {
		t.Fatalf("delete after a failed write: %v, want ErrNotIndexed", err)
	}
	l.Close()
	d, _ = openTestLibrary(t, dir)
	if st, ok := d.Index.State("note-2"); !ok || st.Passages == 0 {
		t.Errorf("note-2 after reopening: %+v %v, want it indexed", st, ok)
	}
	if _, ok := d.Index.State("note-1"); ok {
		t.Error("note-1 is still indexed after its deletion and a reopen")
	}
}

// TestLibrarianReplaceAndDeleteSurviveReimport: a re-import of the catalog
// keeps a file a librarian replaced and does not bring back a document a
// librarian deleted; re-adding the id clears the deletion.
func TestLibrarianReplaceAndDeleteSurviveReimport(t *testing.T) {
	ctx := context.Background()
	src, data := t.TempDir(), t.TempDir()
	cat := indexertest.WriteCatalog(t, src, map[string]string{"a": "A title\n\nAbout asylum.", "b": "B title\n\nAbout return.", "c": "C title\n\nAbout torture."})
	indexertest.Ingest(t, data, cat)
	librarians := "A title\n\nThe librarian's version, about refoulement.\n\nWith a second block."
	{
		_, l, closeAll := openTestLibraryCloser(t, data)
		if _, _, err := l.Update(ctx, "alice", "a", Change{Upload: textUpload("a.txt", librarians)}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Delete(ctx, "alice", "b"); err != nil {
			t.Fatal(err)
		}
		closeAll()
	}
	rep := indexertest.Ingest(t, data, cat)
	if rep.Added != 0 || rep.Updated != 0 || rep.Unchanged != 1 || rep.Kept != 1 || rep.DeletedByLibrarian != 1 {
		t.Errorf("re-import: %+v, want a kept, b deleted by a librarian, c unchanged", rep)
	}
	{
		d, l, closeAll := openTestLibraryCloser(t, data)
		rec, err := l.Get("a")
		if err != nil {
			t.Fatal(err)
		}
		if raw, err := d.Store.Raw(rec); err != nil || string(raw) != librarians || rec.Replaced == nil || rec.Replaced.By != "alice" {
			t.Errorf("a after re-import: %q, %v, replaced %+v; want the librarian's bytes", raw, err, rec.Replaced)
		}
		if st, _ := d.Index.State("a"); st.Key != indexer.Key(rec) || st.Passages != 3 {
			t.Errorf("a indexed as %+v, want the librarian's version", st)
		}
		if _, err := l.Get("b"); !errors.Is(err, corpus.ErrNotFound) {
			t.Errorf("b after re-import: %v, want not found", err)
		}
		if _, ok := d.Index.State("b"); ok {
			t.Error("b is indexed again")
		}
		evs, _, err := l.Audit(0, 1)
		if err != nil || len(evs) != 1 || evs[0].Action != ActionDelete || evs[0].ID != "b" {
			t.Errorf("last audit event %+v, %v", evs, err)
		}
		// Re-adding b clears its tombstone: the librarian's b stays.
		if _, _, err := l.Add(ctx, "bob", corpus.Entry{ID: "b", Kind: corpus.KindArticle, Language: "en"}, textUpload("b.txt", "B again\n\nBob's text.")); err != nil {
			t.Fatal(err)
		}
		if ts, err := d.Store.Tombstone("b"); err != nil || ts != nil {
			t.Errorf("tombstone of b after a re-add: %+v, %v", ts, err)
		}
		closeAll()
	}
	rep = indexertest.Ingest(t, data, cat)
	if rep.DeletedByLibrarian != 0 || rep.Kept != 2 {
		t.Errorf("re-import after re-adding b: %+v", rep)
	}
	d, l := openTestLibrary(t, data)
	rec, err := l.Get("b")
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := d.Store.Raw(rec); string(raw) != "B again\n\nBob's text." {
		t.Errorf("b is %q, want bob's", raw)
	}
}

// TestLibraryClearsOverrides: clearing a corrected field makes the document
// fall back to the catalog's value; clearing the last correction leaves
// none. The clear comes as Change.Clear or, from the web, in the
// overrides' Extra under ClearOverridesKey.
func TestLibraryClearsOverrides(t *testing.T) {
	ctx := context.Background()
	src, data := t.TempDir(), t.TempDir()
	cat := indexertest.WriteCatalog(t, src, map[string]string{"a": "A title\n\nAbout asylum."})
	indexertest.Ingest(t, data, cat)
	d, l := openTestLibrary(t, data)
	if _, _, err := l.Update(ctx, "alice", "a", Change{Overrides: &corpus.Entry{States: []string{"SV"}, Date: "2001-02-03", Title: "Corrected"}}); err != nil {
		t.Fatal(err)
	}
	rec, _, err := l.Update(ctx, "alice", "a", Change{Clear: []string{"states", "date"}})
	if err != nil {
		t.Fatal(err)
	}
	if eff := rec.Effective(); eff.States != nil || eff.Date != "" || eff.Title != "Corrected" {
		t.Errorf("after clearing states and date: %+v (overrides %+v)", eff, rec.Overrides)
	}
	if n := countField(t, d.Index, schema.FieldState, "SV"); n != 0 {
		t.Errorf("%d passages keep the cleared state", n)
	}
	web := &corpus.Entry{Extra: map[string]json.RawMessage{ClearOverridesKey: json.RawMessage(`["title"]`)}}
	if rec, _, err = l.Update(ctx, "alice", "a", Change{Overrides: web}); err != nil {
		t.Fatal(err)
	}
	if rec.Overrides != nil || rec.Effective().Title != "Doc a" {
		t.Errorf("after clearing the title: overrides %+v, title %q", rec.Overrides, rec.Effective().Title)
	}
	stored, err := l.Get("a")
	if err != nil || stored.Overrides != nil {
		t.Errorf("stored overrides %+v, %v", stored.Overrides, err)
	}
	if _, _, err := l.Update(ctx, "alice", "a", Change{Clear: []string{"id"}}); !errors.Is(err, corpus.ErrInvalid) {
		t.Errorf("clearing the id: %v", err)
	}
}

// TestPreviewNamesAnHTMLPage: an HTML upload without a title or language
// takes the page's own (<h1>/<title>, <html lang>); given ones win.
func TestPreviewNamesAnHTMLPage(t *testing.T) {
	page := []byte(`<!doctype html><html lang="es-ES"><head><title>Informe sobre prisiones | Sitio</title></head>` +
		`<body><h1>Informe sobre las prisiones</h1><p>Las condiciones de detención fueron examinadas.</p></body></html>`)
	e := corpus.Entry{ID: "informe"}
	doc, err := (&Library{}).Preview(context.Background(), &e, &Upload{Raw: page, Filename: "informe.html"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != "Informe sobre las prisiones" || e.Language != "es" || doc.Passages[0].Language != "es" {
		t.Errorf("title %q, language %q (passage %q); want the page's h1 and es", e.Title, e.Language, doc.Passages[0].Language)
	}
	given := corpus.Entry{ID: "informe", Title: "Mi título", Language: "en"}
	if _, err := (&Library{}).Preview(context.Background(), &given, &Upload{Raw: page, Filename: "informe.html"}); err != nil {
		t.Fatal(err)
	}
	if given.Title != "Mi título" || given.Language != "en" {
		t.Errorf("given title and language replaced: %q %q", given.Title, given.Language)
	}
}

// TestPreviewNamesAnUpload: an upload of any format left without a title or
// language takes its own: a Markdown "#" heading, the language of its words.
func TestPreviewNamesAnUpload(t *testing.T) {
	md := []byte("# Quixotl briefing on detention\n\nThe delegation visited the detention centres and met the detainees held there. " +
		"It found that the persons deprived of their liberty were not informed of their rights and that the conditions of detention were poor. " +
		"The report of the delegation was sent to the authorities, who were asked to reply within six months and to say which of its recommendations they would follow.\n")
	e := corpus.Entry{ID: "briefing"}
	doc, err := (&Library{}).Preview(context.Background(), &e, &Upload{Raw: md, Filename: "briefing.md"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != "Quixotl briefing on detention" || e.Language != "en" || doc.Title != e.Title {
		t.Errorf("title %q (document %q), language %q; want the heading and en", e.Title, doc.Title, e.Language)
	}
}
