package library

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

// zipOf builds a zip of name → content (in the given order).
func zipOf(t testing.TB, files ...[2]string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f[1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// A zip of a catalog and its files imports as `hrsearch index` would:
// each document added, updated, unchanged, kept deleted or failed with its
// reason; files the catalog does not name are reported and not written.
func TestImportZip(t *testing.T) {
	ctx := context.Background()
	d, l := openTestLibrary(t, t.TempDir())
	if _, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "gone", Kind: "report"}, textUpload("gone.txt", "Gone\n\nA report the librarian deleted.")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Delete(ctx, "alice", "gone"); err != nil {
		t.Fatal(err)
	}
	catalog := `{"id":"alpha","kind":"report","title":"Alpha","file":"files/alpha.txt"}
{"id":"beta","kind":"article","title":"Beta","file":"files/beta.md"}
{"id":"missing","kind":"report","file":"files/missing.txt"}
{"id":"escape","kind":"report","file":"../outside.txt"}
{"id":"gone","kind":"report","file":"files/gone.txt"}
{"id":"Bad Id","kind":"report","file":"files/alpha.txt"}
`
	zr := zipOf(t, [2]string{"catalog.jsonl", catalog},
		[2]string{"files/alpha.txt", "Alpha\n\nA paragraph about detention conditions."},
		[2]string{"files/beta.md", "# Beta\n\nA paragraph about asylum."},
		[2]string{"files/gone.txt", "Gone\n\nA report the librarian deleted."},
		[2]string{"files/extra.txt", "Not named by the catalog."})
	rep, err := l.ImportZip(ctx, "alice", "batch.zip", zr)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]string{}
	for _, r := range rep.Results {
		outcomes[r.ID] = r.Outcome
		if r.Outcome == indexer.OutcomeFailed && (r.Err == "" || strings.Contains(r.Err, os.TempDir())) {
			t.Errorf("%s failed with reason %q: want one in words, without server paths", r.ID, r.Err)
		}
	}
	want := map[string]string{"alpha": "added", "beta": "added", "missing": "failed", "escape": "failed", "gone": "deleted-by-librarian"}
	if !reflect.DeepEqual(outcomes, want) {
		t.Errorf("outcomes %v, want %v", outcomes, want)
	}
	if rep.Added != 2 || rep.Failed != 2 || rep.DeletedByLibrarian != 1 || len(rep.CatalogErrors) != 1 || !reflect.DeepEqual(rep.Unlisted, []string{"files/extra.txt"}) {
		t.Errorf("report %+v", rep)
	}
	for _, id := range []string{"alpha", "beta"} {
		if _, ok := d.Index.State(id); !ok {
			t.Errorf("%s is not indexed after the import", id)
		}
	}
	if _, ok := d.Index.State("gone"); ok {
		t.Error("the import brought back a document a librarian deleted")
	}
	if items, _ := l.Trash(); len(items) != 1 {
		t.Errorf("trash %+v, want gone still there", items)
	}
	// Nothing of the zip is left on disk.
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(d.Store.Dir()), ".import-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	// Again, with alpha changed: updated; beta unchanged; nothing removed
	// by a catalog that lists less.
	zr = zipOf(t, [2]string{"catalog.jsonl", `{"id":"alpha","kind":"report","title":"Alpha","file":"alpha.txt"}`},
		[2]string{"alpha.txt", "Alpha\n\nA new paragraph about detention conditions."})
	rep, err = l.ImportZip(ctx, "alice", "batch.zip", zr)
	if err != nil || rep.Updated != 1 || len(rep.Results) != 1 || rep.Results[0].Outcome != "updated" {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	if _, ok := d.Index.State("beta"); !ok {
		t.Error("a second import that does not list beta removed it")
	}
	if evs, _, _ := l.AuditMatching(AuditFilter{Action: ActionImport}, 0, 10); len(evs) != 3 {
		t.Errorf("audit has %d import events, want 3", len(evs))
	}
}

// Zips that cannot be imported at all: nothing is written.
func TestImportZipRefused(t *testing.T) {
	ctx := context.Background()
	d, l := openTestLibrary(t, t.TempDir())
	cat := `{"id":"a","kind":"report","file":"a.txt"}`
	bomb := func() *zip.Reader {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		io.WriteString(must(zw.Create("catalog.jsonl")), cat)
		w := must(zw.Create("a.txt"))
		zero := make([]byte, 1<<20)
		for range MaxImportFileBytes>>20 + 1 {
			w.Write(zero)
		}
		zw.Close()
		zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		return zr
	}
	for name, tc := range map[string]struct {
		zr   func() *zip.Reader
		want error
	}{
		"escaping path": {func() *zip.Reader {
			return zipOf(t, [2]string{"catalog.jsonl", cat}, [2]string{"a.txt", "x"}, [2]string{"../../evil.txt", "x"})
		}, corpus.ErrInvalid},
		"absolute path": {func() *zip.Reader { return zipOf(t, [2]string{"catalog.jsonl", cat}, [2]string{"/etc/evil", "x"}) }, corpus.ErrInvalid},
		"no catalog":    {func() *zip.Reader { return zipOf(t, [2]string{"a.txt", "x"}) }, corpus.ErrInvalid},
		"two catalogs": {func() *zip.Reader {
			return zipOf(t, [2]string{"catalog.jsonl", cat}, [2]string{"more.jsonl", cat})
		}, corpus.ErrInvalid},
		"zip bomb": {bomb, corpus.ErrTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := l.ImportZip(ctx, "alice", "x.zip", tc.zr())
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v (report %+v)", err, tc.want, rep)
			}
			if _, ok := d.Index.State("a"); ok {
				t.Error("a was imported")
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(d.Store.Dir()), ".import-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
