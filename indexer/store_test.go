package indexer

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
	if err := writeFileAtomic(filepath.Join(dir, "d", rawName(SHA256([]byte("version two")))), []byte("version two")); err != nil {
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
