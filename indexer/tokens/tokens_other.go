//go:build !unix

package tokens

import "os"

// lockFile is a no-op where flock is not available: token changes from two
// processes at the same moment may then lose one of them.
func lockFile(path string) (unlock func(), err error) { return func() {}, nil }

func statFile(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{ok: true, mod: fi.ModTime().UnixNano(), size: fi.Size()}
}
