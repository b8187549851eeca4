package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS makes everything written to the file system holding dir durable:
// one syncfs(2) instead of an fsync per file and directory.
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
