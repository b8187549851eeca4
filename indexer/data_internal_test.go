package indexer

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// TestFromEnvironment: the errors that leave a sound index unopened (the
// process's rights or resources) are told from the rest, which OpenData
// takes for corruption and mends by a rebuild.
func TestFromEnvironment(t *testing.T) {
	path := func(err error) error { return &fs.PathError{Op: "open", Path: "/data/index/store/root.bolt", Err: err} }
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"permission denied", path(syscall.EACCES), true},
		{"operation not permitted", path(syscall.EPERM), true},
		{"too many open files", path(syscall.EMFILE), true},
		{"too many open files in system", path(syscall.ENFILE), true},
		{"no space left", fmt.Errorf("opening index /data/index: %w", path(syscall.ENOSPC)), true},
		{"disk quota exceeded", path(syscall.EDQUOT), true},
		{"read-only file system", path(syscall.EROFS), true},
		{"bolt: invalid database", errors.New("opening index /data/index: invalid database"), false},
		{"missing segment", path(syscall.ENOENT), false},
		{"garbage meta", errors.New("cannot open index, metadata corrupt"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fromEnvironment(tc.err); got != tc.want {
				t.Errorf("fromEnvironment(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
