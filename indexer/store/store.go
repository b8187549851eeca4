package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// Record is what the store keeps about one document beside its raw bytes:
// the catalog entry and where the bytes came from. The store is the source
// of truth; the index is derived from it.
type Record struct {
	Entry corpus.Entry `json:"entry"`
	// Overrides are a librarian's corrections; they win over the catalog
	// and survive a re-import.
	Overrides *corpus.Entry `json:"overrides,omitempty"`
	// Replaced, if set, says the bytes are a librarian's (an upload or a
	// fetch that replaced the catalog's file, or a document a librarian
	// added): a re-import of a catalog keeps them.
	Replaced *Replacement `json:"replaced,omitempty"`
	Provenance
}

// Replacement records who gave a document its bytes, and when.
type Replacement struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Tombstone records that a librarian deleted a document: a re-import of a
// catalog that lists it does not bring it back. Adding the id again
// clears it.
type Tombstone struct {
	ID string    `json:"id"`
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Provenance records how the raw bytes were obtained.
type Provenance struct {
	Source      string    `json:"source"`              // file path or URL as requested
	FinalURL    string    `json:"final_url,omitempty"` // after redirects
	Origin      string    `json:"origin,omitempty"`    // "catalog:<path>", "upload", "crawl"
	FetchedAt   time.Time `json:"fetched_at"`
	Status      int       `json:"status,omitempty"` // HTTP status, for fetched documents
	ContentType string    `json:"content_type,omitempty"`
	ETag        string    `json:"etag,omitempty"`
	Modified    string    `json:"last_modified,omitempty"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
}

// Effective is the entry with the librarian's overrides applied.
func (r *Record) Effective() corpus.Entry {
	e := r.Entry
	if r.Overrides != nil {
		corpus.Overlay(&e, r.Overrides)
	}
	return e
}

// Store keeps raw documents and their records under dir:
//
//	dir/<id>/raw-<sha256>  the bytes as read or fetched, named by their digest
//	dir/<id>/meta.json     the Record, which names the digest
//
// Every write goes to a temporary file that is fsynced and renamed, and the
// directory is fsynced. New bytes go to a file of their own before the
// record that points at them replaces the old one, and the old bytes are
// removed only after that: a crash at any point leaves a record whose bytes
// are on disk, the old version or the new.
type Store struct {
	dir string
}

// OpenStore opens (creating if needed) the store in dir.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating store: %w", err)
	}
	return &Store{dir: dir}, nil
}

func (s *Store) docDir(id string) (string, error) {
	if !corpus.ValidID(id) {
		return "", fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	return filepath.Join(s.dir, id), nil
}

// SHA256 returns the hex digest of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Put writes raw bytes and the record, raw first: a record never points at
// bytes that are not on disk. It fills the record's SHA256 and Size.
// It reports whether anything changed.
func (s *Store) Put(rec *Record, raw []byte) (changed bool, err error) {
	dir, err := s.docDir(rec.Entry.ID)
	if err != nil {
		return false, err
	}
	rec.SHA256 = SHA256(raw)
	rec.Size = int64(len(raw))
	if old, err := s.Get(rec.Entry.ID); err == nil && old.SHA256 == rec.SHA256 && SameRecord(old, rec) {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, rawName(rec.SHA256)), raw); err != nil {
		return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	if err := s.PutRecord(rec); err != nil {
		return false, err
	}
	if err := removeOtherRaw(dir, rawName(rec.SHA256)); err != nil {
		return false, fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	return true, SyncDir(s.dir)
}

// PutRecord rewrites only the record (metadata changes, overrides).
func (s *Store) PutRecord(rec *Record) error {
	dir, err := s.docDir(rec.Entry.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, "meta.json"), b); err != nil {
		return fmt.Errorf("storing %s: %w", rec.Entry.ID, err)
	}
	return nil
}

// SameRecord compares what matters for re-indexing and for a later
// import: the entry, overrides, source and origin, not the fetch time.
func SameRecord(a, b *Record) bool {
	type compared struct {
		E    corpus.Entry
		O    *corpus.Entry
		S, R string
	}
	ja, _ := json.Marshal(compared{a.Entry, a.Overrides, a.Source, a.Origin})
	jb, _ := json.Marshal(compared{b.Entry, b.Overrides, b.Source, b.Origin})
	return string(ja) == string(jb)
}

// Get reads a document's record.
func (s *Store) Get(id string) (*Record, error) {
	dir, err := s.docDir(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("document %s: %w", id, corpus.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var rec Record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("reading record of %s: %w", id, err)
	}
	return &rec, nil
}

// Raw reads a document's raw bytes and checks them against the record.
func (s *Store) Raw(rec *Record) ([]byte, error) {
	dir, err := s.docDir(rec.Entry.ID)
	if err != nil {
		return nil, err
	}
	return readRaw(dir, rec, "reading "+rec.Entry.ID)
}

// readRaw reads the bytes rec names in dir and checks them against its
// SHA-256; errors start with what.
func readRaw(dir string, rec *Record, what string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, rawName(rec.SHA256)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if got := SHA256(b); got != rec.SHA256 {
		return nil, fmt.Errorf("%s: checksum %s, record says %s", what, got[:12], rec.SHA256[:12])
	}
	return b, nil
}

// Delete removes a document from the store.
func (s *Store) Delete(id string) error {
	dir, err := s.docDir(id)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("document %s: %w", id, corpus.ErrNotFound)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return SyncDir(s.dir)
}

// tombstoneDir holds the tombstones, one <id>.json each; its name is not
// a valid id, so the store does not list it as a document.
const tombstoneDir = ".tombstones"

func (s *Store) tombstonePath(id string) (string, error) {
	if !corpus.ValidID(id) {
		return "", fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	return filepath.Join(s.dir, tombstoneDir, id+".json"), nil
}

// PutTombstone records, durably, that a librarian deleted a document.
func (s *Store) PutTombstone(ts Tombstone) error {
	path, err := s.tombstonePath(ts.ID)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("recording the deletion of %s: %w", ts.ID, err)
		}
		if err := SyncDir(s.dir); err != nil {
			return fmt.Errorf("recording the deletion of %s: %w", ts.ID, err)
		}
	}
	b, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(path, b); err != nil {
		return fmt.Errorf("recording the deletion of %s: %w", ts.ID, err)
	}
	return nil
}

// Tombstone returns a document's tombstone, or nil if it has none.
func (s *Store) Tombstone(id string) (*Tombstone, error) {
	path, err := s.tombstonePath(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ts Tombstone
	if err := json.Unmarshal(b, &ts); err != nil {
		return nil, fmt.Errorf("reading the tombstone of %s: %w", id, err)
	}
	return &ts, nil
}

// ClearTombstone removes a document's tombstone, durably; none is fine.
func (s *Store) ClearTombstone(id string) error {
	path, err := s.tombstonePath(id)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("clearing the deletion of %s: %w", id, err)
	}
	return SyncDir(filepath.Dir(path))
}

// IDs lists the stored documents, sorted. A directory without a record
// (a crash between raw and record) is not a document.
func (s *Store) IDs() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range ents {
		if !e.IsDir() || !corpus.ValidID(e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.dir, e.Name(), "meta.json")); err == nil {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// rawName is the file holding the bytes with the given digest.
func rawName(sha string) string {
	if len(sha) != 64 || strings.ContainsAny(sha, "/\\.") {
		return "raw-invalid"
	}
	return "raw-" + sha
}

// removeOtherRaw removes the raw files of earlier versions.
func removeOtherRaw(dir, keep string) error {
	removed, err := removeRaw(dir, keep)
	if err == nil && removed {
		return SyncDir(dir)
	}
	return err
}

// removeOtherRawNoSync removes them and leaves the sync to the caller.
func removeOtherRawNoSync(dir, keep string) error {
	_, err := removeRaw(dir, keep)
	return err
}

func removeRaw(dir, keep string) (removed bool, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "raw-") && e.Name() != keep {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
			removed = true
		}
	}
	return removed, nil
}

// WriteFileAtomic replaces path with b, readable by its owner only: a
// fsynced temporary file renamed over it, the directory fsynced. A reader
// sees the old bytes or the new, never a part.
func WriteFileAtomic(path string, b []byte) error { return writeFileMode(path, b, 0o600) }

// writeFileMode writes b to path through a fsynced temporary file with the
// given mode, renamed into place, and fsyncs the directory.
func writeFileMode(path string, b []byte, mode os.FileMode) error {
	tmp, err := writeTemp(filepath.Dir(path), b, mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // no-op after a successful rename
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removingPrefix names a document directory being removed: it is not a
// valid id, so the store does not list it.
const removingPrefix = ".deleted-"

// Remove removes a document's directory atomically: it is renamed out of
// the way (and the store directory fsynced) before its files go, so a
// crash never leaves half a document. FinishRemovals ends what a crash
// interrupted.
func (s *Store) Remove(id string) error {
	dir, err := s.docDir(id)
	if err != nil {
		return err
	}
	gone := filepath.Join(s.dir, removingPrefix+id+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.Rename(dir, gone); err != nil {
		return fmt.Errorf("removing %s: %w", id, err)
	}
	if err := SyncDir(s.dir); err != nil {
		return fmt.Errorf("removing %s: %w", id, err)
	}
	// The document is gone once renamed; what is left is litter that
	// FinishRemovals clears.
	_ = os.RemoveAll(gone)
	return nil
}

// FinishRemovals removes what interrupted removals left behind.
func (s *Store) FinishRemovals() error {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil
	}
	var errs []error
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), removingPrefix) {
			errs = append(errs, os.RemoveAll(filepath.Join(s.dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }
