package indexer_test

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/indexer"
)

// TestOpenDataPermissionIsNotCorruption: an index whose files the user
// cannot read is healthy, not corrupt. OpenData reports the permission
// error with the file's path and leaves the index where it is, instead of
// moving it aside and rebuilding it from the store (which a read-only
// command such as stats would otherwise do); once the mode is put back it
// opens as it was.
func TestOpenDataPermissionIsNotCorruption(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not stop reading on Windows")
	}
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	base, docs, passages, _ := buildData(t, 10)
	segment := func(dir string) string {
		m, _ := filepath.Glob(filepath.Join(dir, "index", "store", "*.zap"))
		if len(m) == 0 {
			t.Fatal("no segment file")
		}
		return m[0]
	}
	cases := []struct {
		name string
		path func(dir string) string
		mode fs.FileMode
		was  fs.FileMode
	}{
		{"unreadable root.bolt", func(dir string) string { return filepath.Join(dir, "index", "store", "root.bolt") }, 0, 0o644},
		{"unreadable index_meta.json", func(dir string) string { return filepath.Join(dir, "index", "index_meta.json") }, 0, 0o644},
		{"unreadable segment", segment, 0, 0o644},
		{"unreadable index directory", func(dir string) string { return filepath.Join(dir, "index", "store") }, 0, 0o755},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, base, dir)
			p := tc.path(dir)
			if err := os.Chmod(p, tc.mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(p, tc.was) }) // for TempDir's removal
			var logs syncBuffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			d, err := indexer.OpenData(context.Background(), dir, log)
			if err == nil {
				d.Close()
				t.Fatalf("OpenData with %s: no error; log:\n%s", tc.name, logs.String())
			}
			if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), p) {
				t.Errorf("OpenData with %s: %v, want a permission error naming %s", tc.name, err, p)
			}
			if aside, _ := filepath.Glob(filepath.Join(dir, "index.*")); len(aside) > 0 {
				t.Errorf("the index was moved aside: %v; log:\n%s", aside, logs.String())
			}
			if strings.Contains(logs.String(), "rebuilding") {
				t.Errorf("a permission error was logged as a rebuild:\n%s", logs.String())
			}

			// The mode put back, the same index opens, untouched.
			if err := os.Chmod(p, tc.was); err != nil {
				t.Fatal(err)
			}
			logs = syncBuffer{}
			d, err = indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ids, n := d.Index.Documents()
			if len(ids) != docs || n != passages || logs.String() != "" {
				t.Errorf("after the mode is put back: %d documents, %d passages (want %d, %d); log:\n%s", len(ids), n, docs, passages, logs.String())
			}
		})
	}
}
