//go:build !linux

package store

// syncFS is syncfs(2), which only Linux has: elsewhere StoreBatch syncs
// file by file.
func syncFS(dir string) error { return errNoSyncFS }
