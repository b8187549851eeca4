package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// StoreBatch writes many documents to the store and makes them durable
// together, for bulk imports: Put writes each document's files under
// temporary names, and Commit syncs the file system once, renames every
// file into place and syncs again. A document's files are renamed only once
// their bytes are durable, as Store.Put guarantees one document at a time,
// at two file-system syncs per batch instead of five per document.
//
// Until Commit returns, the batch's documents may be lost to a crash (never
// a document stored earlier): commit before indexing what was staged.
type StoreBatch struct {
	s  *Store
	mu sync.Mutex
	// staged are the written, not yet renamed files, in order.
	staged []stagedDoc
}

type stagedDoc struct {
	dir      string
	sha      string     // of the staged version's bytes
	raw, rec stagedFile // raw.tmp is empty when the bytes are already stored
}

type stagedFile struct{ tmp, final string }

// NewBatch starts a batch of writes to s.
func (s *Store) NewBatch() *StoreBatch { return &StoreBatch{s: s} }

// Put stages rec and raw, as Store.Put stores them. It may be called from
// several goroutines; changed is false when the store already holds them.
func (b *StoreBatch) Put(rec *Record, raw []byte) (changed bool, err error) {
	dir, err := b.s.docDir(rec.Entry.ID)
	if err != nil {
		return false, err
	}
	rec.SHA256 = SHA256(raw)
	rec.Size = int64(len(raw))
	old, err := b.s.Get(rec.Entry.ID)
	if err == nil && old.SHA256 == rec.SHA256 && SameRecord(old, rec) {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	sd := stagedDoc{dir: dir, sha: rec.SHA256}
	rawPath := filepath.Join(dir, rawName(rec.SHA256))
	if old == nil || old.SHA256 != rec.SHA256 {
		if sd.raw.tmp, err = writeTemp(dir, raw, 0o600); err != nil {
			return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
		}
		sd.raw.final = rawPath
	} else if _, err := os.Stat(rawPath); err != nil {
		if sd.raw.tmp, err = writeTemp(dir, raw, 0o600); err != nil { // the bytes were lost: write them again
			return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
		}
		sd.raw.final = rawPath
	}
	meta, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		os.Remove(sd.raw.tmp)
		return false, err
	}
	if sd.rec.tmp, err = writeTemp(dir, meta, 0o600); err != nil {
		os.Remove(sd.raw.tmp)
		return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	sd.rec.final = filepath.Join(dir, "meta.json")
	b.mu.Lock()
	b.staged = append(b.staged, sd)
	b.mu.Unlock()
	return true, nil
}

// Commit makes every document staged so far durable and visible. The
// batch can go on staging documents afterwards.
func (b *StoreBatch) Commit() error {
	b.mu.Lock()
	staged := b.staged
	b.staged = nil
	b.mu.Unlock()
	if len(staged) == 0 {
		return nil
	}
	// The bytes first, then the names: a crash never leaves a name over
	// bytes that were not written.
	if err := b.sync(staged, false); err != nil {
		return err
	}
	for _, sd := range staged {
		for _, f := range []stagedFile{sd.raw, sd.rec} {
			if f.tmp == "" {
				continue
			}
			if err := os.Rename(f.tmp, f.final); err != nil {
				return fmt.Errorf("storing %s: %w", filepath.Base(sd.dir), err)
			}
		}
	}
	// Earlier versions' bytes go only once the new record is in place.
	// A document staged twice keeps the bytes of its last version.
	keep := make(map[string]string, len(staged))
	for _, sd := range staged {
		keep[sd.dir] = sd.sha
	}
	for dir, sha := range keep {
		if err := removeOtherRawNoSync(dir, rawName(sha)); err != nil {
			return fmt.Errorf("storing %s: %w", filepath.Base(dir), err)
		}
	}
	return b.sync(staged, true)
}

// errNoSyncFS says the platform has no syncfs(2).
var errNoSyncFS = errors.New("no syncfs")

// sync makes the staged files' bytes (renamed false) or names (renamed
// true) durable: with one syncfs, or else file by file.
func (b *StoreBatch) sync(staged []stagedDoc, renamed bool) error {
	err := syncFS(b.s.dir)
	if !errors.Is(err, errNoSyncFS) {
		if err != nil {
			return fmt.Errorf("syncing the store: %w", err)
		}
		return nil
	}
	for _, sd := range staged {
		if renamed {
			if err := SyncDir(sd.dir); err != nil {
				return err
			}
			continue
		}
		for _, f := range []stagedFile{sd.raw, sd.rec} {
			if f.tmp != "" {
				if err := syncFile(f.tmp); err != nil {
					return err
				}
			}
		}
	}
	if renamed {
		return SyncDir(b.s.dir)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Abort removes the staged files that were not committed.
func (b *StoreBatch) Abort() {
	b.mu.Lock()
	staged := b.staged
	b.staged = nil
	b.mu.Unlock()
	for _, sd := range staged {
		os.Remove(sd.raw.tmp)
		os.Remove(sd.rec.tmp)
	}
}

// writeTemp writes b to a new temporary file in dir, without syncing.
func writeTemp(dir string, b []byte, mode os.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
