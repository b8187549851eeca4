package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestStorePutGetDelete(t *testing.T) {
	st, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := &Record{Entry: corpus.Entry{ID: "doc-1", Title: "One", Format: "text"}, Provenance: Provenance{Source: "a.txt"}}
	changed, err := st.Put(rec, []byte("hello"))
	if err != nil || !changed {
		t.Fatalf("Put = %v, %v; want changed", changed, err)
	}
	if rec.SHA256 != SHA256([]byte("hello")) || rec.Size != 5 {
		t.Errorf("record digest %s size %d", rec.SHA256, rec.Size)
	}
	changed, err = st.Put(&Record{Entry: rec.Entry, Provenance: Provenance{Source: "a.txt"}}, []byte("hello"))
	if err != nil || changed {
		t.Errorf("second identical Put = %v, %v; want unchanged", changed, err)
	}
	got, err := st.Get("doc-1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.Raw(got)
	if err != nil || string(raw) != "hello" {
		t.Fatalf("Raw = %q, %v", raw, err)
	}
	ids, err := st.IDs()
	if err != nil || len(ids) != 1 || ids[0] != "doc-1" {
		t.Fatalf("IDs = %v, %v", ids, err)
	}
	if err := st.Delete("doc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get("doc-1"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := st.Delete("doc-1"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
}

func TestStoreRejectsEscapingIDs(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../../etc/passwd", "..", ".", "a/b", "A", "", "-x", "a..b", "x\x00"} {
		_, err := st.Put(&Record{Entry: corpus.Entry{ID: id}}, []byte("x"))
		if !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Put(%q) = %v, want ErrInvalid", id, err)
		}
		if _, err := st.Get(id); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Get(%q) = %v, want ErrInvalid", id, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files outside the store: %v", ents)
	}
}

func TestStoreDetectsCorruptRaw(t *testing.T) {
	dir := t.TempDir()
	st, _ := OpenStore(dir)
	rec := &Record{Entry: corpus.Entry{ID: "d"}}
	if _, err := st.Put(rec, []byte("original")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d", rawName(rec.SHA256)), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Raw(rec); err == nil {
		t.Error("Raw of changed bytes: no error")
	}
}

func TestOverridesWin(t *testing.T) {
	rec := &Record{Entry: corpus.Entry{ID: "d", Title: "T", States: []string{"US"}},
		Overrides: &corpus.Entry{States: []string{"SV"}}}
	e := rec.Effective()
	if len(e.States) != 1 || e.States[0] != "SV" || e.Title != "T" {
		t.Errorf("Effective = %+v", e)
	}
}

// A crash between the new bytes and the new record leaves the old record
// readable; after the record, only the new bytes remain.
func TestStoreReplaceKeepsOldVersionUntilRecord(t *testing.T) {
	dir := t.TempDir()
	st, _ := OpenStore(dir)
	old := &Record{Entry: corpus.Entry{ID: "d"}}
	if _, err := st.Put(old, []byte("version one")); err != nil {
		t.Fatal(err)
	}
	// The first half of a replacement: new bytes written, record not yet.
	if err := WriteFileAtomic(filepath.Join(dir, "d", rawName(SHA256([]byte("version two")))), []byte("version two")); err != nil {
		t.Fatal(err)
	}
	rec, err := st.Get("d")
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := st.Raw(rec); err != nil || string(raw) != "version one" {
		t.Fatalf("after a crash mid-replacement: %q, %v; want the old version", raw, err)
	}
	if _, err := st.Put(&Record{Entry: corpus.Entry{ID: "d"}}, []byte("version two")); err != nil {
		t.Fatal(err)
	}
	rec, _ = st.Get("d")
	if raw, err := st.Raw(rec); err != nil || string(raw) != "version two" {
		t.Fatalf("after the replacement: %q, %v", raw, err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "d"))
	if len(ents) != 2 {
		t.Errorf("files left: %v, want the record and one raw file", ents)
	}
}

// TestStoreBatch: staged documents are invisible until Commit, then read
// back as Store.Put would leave them; a replaced version's bytes go with the
// commit; Abort leaves nothing behind.
func TestStoreBatch(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	old := &Record{Entry: corpus.Entry{ID: "doc-0", Format: "text"}}
	if _, err := st.Put(old, []byte("first version")); err != nil {
		t.Fatal(err)
	}
	oldRaw := filepath.Join(dir, "doc-0", rawName(old.SHA256))

	b := st.NewBatch()
	put := func(id, text string) *Record {
		t.Helper()
		rec := &Record{Entry: corpus.Entry{ID: id, Format: "text"}}
		changed, err := b.Put(rec, []byte(text))
		if err != nil || !changed {
			t.Fatalf("Put %s = %v, %v", id, changed, err)
		}
		return rec
	}
	recs := []*Record{put("doc-0", "second version"), put("doc-1", "one"), put("doc-2", "two")}
	if _, err := st.Get("doc-1"); !errors.Is(err, corpus.ErrNotFound) {
		t.Fatalf("a staged document is visible before Commit: %v", err)
	}
	if got, err := st.Get("doc-0"); err != nil || got.SHA256 != old.SHA256 {
		t.Fatalf("before Commit doc-0 should be the first version: %+v, %v", got, err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"second version", "one", "two"} {
		got, err := st.Get(recs[i].Entry.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := st.Raw(got)
		if err != nil || string(raw) != want {
			t.Fatalf("%s reads %q, %v; want %q", got.Entry.ID, raw, err, want)
		}
	}
	if _, err := os.Stat(oldRaw); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the replaced version's bytes are still there: %v", err)
	}
	// A document staged twice in one commit is its last version, bytes
	// included.
	put("doc-4", "fourth, first draft")
	put("doc-4", "fourth, final")
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Get("doc-4"); err != nil {
		t.Fatal(err)
	} else if raw, err := st.Raw(got); err != nil || string(raw) != "fourth, final" {
		t.Fatalf("doc-4 reads %q, %v", raw, err)
	}
	// Unchanged documents are not staged again.
	if changed, err := b.Put(&Record{Entry: corpus.Entry{ID: "doc-1", Format: "text"}}, []byte("one")); err != nil || changed {
		t.Fatalf("re-putting the same document: changed %v, %v", changed, err)
	}
	// Abort drops what was staged, temporary files included.
	put("doc-3", "three")
	b.Abort()
	if _, err := st.Get("doc-3"); !errors.Is(err, corpus.ErrNotFound) {
		t.Fatalf("an aborted document is visible: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
