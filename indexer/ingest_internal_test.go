package indexer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestReadFileLimited reads files up to the limit whole and refuses one
// past it, whatever their size against the buffer it starts with.
func TestReadFileLimited(t *testing.T) {
	dir := t.TempDir()
	const limit = 3000
	for _, tc := range []struct {
		name string
		size int
		ok   bool
	}{
		{"empty", 0, true},
		{"small", 10, true},
		{"at the limit", limit, true},
		{"one past", limit + 1, false},
		{"far past", 3 * limit, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := bytes.Repeat([]byte("abcdefg\n"), tc.size/8+1)[:tc.size]
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readFileLimited(path, limit)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("err = %v", err)
			case tc.ok && !bytes.Equal(got, want):
				t.Fatalf("read %d bytes, want the file's %d", len(got), len(want))
			case !tc.ok && !errors.Is(err, corpus.ErrTooLarge):
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
		})
	}
	if _, err := readFileLimited(filepath.Join(dir, "missing"), limit); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}
