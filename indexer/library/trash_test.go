package library

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// TestTrashAndRestore: a deleted document goes to the trash whole (bytes,
// corrections, versions); a re-import does not bring it back; a restore
// makes it searchable again with all of it and clears the tombstone; a
// purge removes it for good (the tombstone stays); the trash expires.
func TestTrashAndRestore(t *testing.T) {
	ctx := context.Background()
	src, data := t.TempDir(), t.TempDir()
	cat := indexertest.WriteCatalog(t, src, map[string]string{"a": "A title\n\nAbout asylum.", "b": "B title\n\nAbout return."})
	indexertest.Ingest(t, data, cat)
	librarians := "A title\n\nThe librarian's zorblatt version.\n\nWith a second block."
	{
		d, l, closeAll := openTestLibraryCloser(t, data)
		if _, _, err := l.Update(ctx, "alice", "a", Change{Overrides: &corpus.Entry{Title: "Corrected A", States: []string{"SV"}}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.Update(ctx, "alice", "a", Change{Upload: textUpload("a.txt", librarians)}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Delete(ctx, "bob", "a"); err != nil {
			t.Fatal(err)
		}
		if _, ok := d.Index.State("a"); ok {
			t.Error("a is indexed after its deletion")
		}
		items, err := l.Trash()
		if err != nil || len(items) != 1 || items[0].ID != "a" || items[0].By != "bob" ||
			items[0].Record.Effective().Title != "Corrected A" || !items[0].Expires.After(time.Now().Add(29*24*time.Hour)) {
			t.Fatalf("trash = %+v, %v", items, err)
		}
		closeAll()
	}
	if rep := indexertest.Ingest(t, data, cat); rep.DeletedByLibrarian != 1 {
		t.Errorf("re-import: %+v, want a kept deleted", rep)
	}
	d, l := openTestLibrary(t, data)
	if _, ok := d.Index.State("a"); ok {
		t.Fatal("the re-import brought a back")
	}
	rec, doc, err := l.Restore(ctx, "carol", "a")
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := d.Index.State("a"); !ok || st.Key != indexer.Key(rec) || st.Passages != len(doc.Passages) {
		t.Errorf("restored a indexed as %+v %v", st, ok)
	}
	if n := countField(t, d.Index, schema.FieldState, "SV"); n != uint64(len(doc.Passages)) {
		t.Errorf("%d passages with the corrected state, want %d", n, len(doc.Passages))
	}
	if raw, err := d.Store.Raw(rec); err != nil || string(raw) != librarians || rec.Effective().Title != "Corrected A" {
		t.Errorf("restored a: %q %v, title %q", raw, err, rec.Effective().Title)
	}
	if ts, err := d.Store.Tombstone("a"); err != nil || ts != nil {
		t.Errorf("tombstone after restore: %+v %v", ts, err)
	}
	if vs, err := l.Versions("a"); err != nil || len(vs) != 3 {
		t.Errorf("versions after restore: %d %v, want 3", len(vs), err)
	}
	if _, _, err := l.Restore(ctx, "carol", "a"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("second restore: %v, want not found", err)
	}
	if items, _ := l.Trash(); len(items) != 0 {
		t.Errorf("trash after restore: %+v", items)
	}

	// A trashed id taken by a new document: the restore is a conflict.
	if _, err := l.Delete(ctx, "bob", "b"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Add(ctx, "bob", corpus.Entry{ID: "b", Kind: corpus.KindArticle, Language: "en"}, textUpload("b.txt", "New b\n\nOther text.")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Restore(ctx, "carol", "b"); !errors.Is(err, corpus.ErrConflict) {
		t.Errorf("restore over a new b: %v, want conflict", err)
	}
	// Purge.
	if _, err := l.Delete(ctx, "bob", "b"); err != nil {
		t.Fatal(err)
	}
	if err := l.Purge(ctx, "admin", "b"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Restore(ctx, "carol", "b"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("restore after purge: %v", err)
	}
	if ts, _ := d.Store.Tombstone("b"); ts == nil {
		t.Error("the purge removed the tombstone")
	}
	// Expiry.
	if _, err := l.Delete(ctx, "bob", "a"); err != nil {
		t.Fatal(err)
	}
	l.SetTrashDays(2)
	l.now = func() time.Time { return time.Now().Add(24 * time.Hour) }
	if items, _ := l.Trash(); len(items) != 1 {
		t.Fatalf("trash a day later: %+v", items)
	}
	l.now = func() time.Time { return time.Now().Add(49 * time.Hour) }
	if items, _ := l.Trash(); len(items) != 0 {
		t.Fatalf("trash after two days: %+v", items)
	}
	evs, _, _ := l.Audit(0, 10)
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Who+":"+ev.Action+":"+ev.ID)
	}
	want := []string{"hrsearch:expire:a", "bob:delete:a", "admin:purge:b", "bob:delete:b", "bob:add:b", "bob:delete:b", "carol:restore:a"}
	if !slices.Equal(got[:len(want)], want) {
		t.Errorf("audit = %v, want %v first", got, want)
	}
}

// TestVersions: every edit and replacement keeps the version it
// supersedes; versions are listed oldest first with the current last;
// restoring version 1 brings back its bytes and metadata as a new version.
func TestVersions(t *testing.T) {
	ctx := context.Background()
	d, l := openTestLibrary(t, t.TempDir())
	first := "First title\n\nThe quibbleton doctrine on returns."
	if _, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "v", Kind: corpus.KindArticle, Language: "en", Title: "First"}, textUpload("v.txt", first)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Update(ctx, "bob", "v", Change{Overrides: &corpus.Entry{Title: "Second"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Update(ctx, "carol", "v", Change{Upload: textUpload("v.txt", "Third\n\nThe frobnitz rule instead.")}); err != nil {
		t.Fatal(err)
	}
	vs, err := l.Versions("v")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.By+":"+v.Action+":"+v.Record.Effective().Title)
		if v.Current != (v.N == len(vs)) {
			t.Errorf("version %d current=%v", v.N, v.Current)
		}
	}
	if want := []string{"alice:add:First", "bob:edit:Second", "carol:replace:Second"}; !slices.Equal(got, want) {
		t.Fatalf("versions = %v, want %v", got, want)
	}
	if _, _, err := l.RestoreVersion(ctx, "dave", "v", 9); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("version 9: %v", err)
	}
	rec, _, err := l.RestoreVersion(ctx, "dave", "v", 1)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := d.Store.Raw(rec); err != nil || string(raw) != first || rec.Effective().Title != "First" {
		t.Errorf("after restoring version 1: %q %v, title %q", raw, err, rec.Effective().Title)
	}
	if st, _ := d.Index.State("v"); st.Key != indexer.Key(rec) {
		t.Error("the index does not hold the restored version")
	}
	if n := countField(t, d.Index, schema.FieldText, "quibbleton"); n != 1 {
		t.Errorf("%d passages with version 1's word, want 1", n)
	}
	vs, _ = l.Versions("v")
	if len(vs) != 4 || vs[3].Action != ActionRestoreVersion || vs[3].By != "dave" || vs[2].Record.Effective().Title != "Second" {
		t.Errorf("versions after the restore: %+v", vs)
	}
	// The restore is undone like any change.
	if _, _, err := l.RestoreVersion(ctx, "dave", "v", 3); err != nil {
		t.Fatal(err)
	}
	if n := countField(t, d.Index, schema.FieldText, "frobnitz"); n != 1 {
		t.Errorf("%d passages with version 3's word, want 1", n)
	}
}
