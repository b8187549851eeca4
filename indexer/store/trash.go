package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// The trash keeps deleted documents whole (bytes, record with its
// corrections, earlier versions) until they are restored or purged:
//
//	dir/.trash/<id>/             the document's directory, moved there as it was
//	dir/.trash/<id>/trashed.json who deleted it, and when
//
// Moving a document in or out is one rename of its directory, with both
// parent directories fsynced: a crash leaves it in one place or the other,
// never half in each. The trash's name is not a valid id, so the store does
// not list it as a document.
const trashDir = ".trash"

// trashedFile records, inside a trashed document's directory, its deletion.
const trashedFile = "trashed.json"

// Trashed says who deleted a document and when.
type Trashed struct {
	ID string    `json:"id"`
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// TrashItem is a document in the trash.
type TrashItem struct {
	Trashed
	Record Record
}

func (s *Store) trashPath(id string) (string, error) {
	if !corpus.ValidID(id) {
		return "", fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	return filepath.Join(s.dir, trashDir, id), nil
}

// Trash moves a stored document, with its earlier versions, into the
// trash, durably. An earlier deletion of the same id still in the trash is
// purged: the trash keeps the latest.
func (s *Store) Trash(t Trashed) error {
	dir, err := s.docDir(t.ID)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "meta.json")); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("document %s: %w", t.ID, corpus.ErrNotFound)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	// Inside the document's directory first: if the rename below does
	// not happen, the live document carries a file nothing reads.
	if err := WriteFileAtomic(filepath.Join(dir, trashedFile), b); err != nil {
		return fmt.Errorf("moving %s to the trash: %w", t.ID, err)
	}
	if err := s.ensureTrashDir(); err != nil {
		return fmt.Errorf("moving %s to the trash: %w", t.ID, err)
	}
	dst, _ := s.trashPath(t.ID)
	if err := s.purgeTrashed(t.ID); err != nil {
		return fmt.Errorf("moving %s to the trash: %w", t.ID, err)
	}
	if err := os.Rename(dir, dst); err != nil {
		return fmt.Errorf("moving %s to the trash: %w", t.ID, err)
	}
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("moving %s to the trash: %w", t.ID, err)
	}
	return SyncDir(s.dir)
}

func (s *Store) ensureTrashDir() error {
	td := filepath.Join(s.dir, trashDir)
	if _, err := os.Stat(td); err == nil {
		return nil
	}
	if err := os.MkdirAll(td, 0o755); err != nil {
		return err
	}
	return SyncDir(s.dir)
}

// Untrash moves a document out of the trash, back among the stored
// documents, durably, and returns its record. It is corpus.ErrNotFound if
// the trash does not hold it and corpus.ErrConflict if a document of that
// id is stored now.
func (s *Store) Untrash(id string) (*Record, error) {
	src, err := s.trashPath(id)
	if err != nil {
		return nil, err
	}
	item, err := s.TrashGet(id)
	if err != nil {
		return nil, err
	}
	dir, _ := s.docDir(id)
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "meta.json")); err == nil {
			return nil, fmt.Errorf("%w: a document %s is in the library now: delete it first, or add the trashed one under another id", corpus.ErrConflict, id)
		}
		// A directory without a record is what a crash between bytes
		// and record leaves: nothing to keep.
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("restoring %s: %w", id, err)
		}
	}
	if err := os.Rename(src, dir); err != nil {
		return nil, fmt.Errorf("restoring %s: %w", id, err)
	}
	if err := SyncDir(s.dir); err != nil {
		return nil, fmt.Errorf("restoring %s: %w", id, err)
	}
	if err := SyncDir(filepath.Dir(src)); err != nil {
		return nil, fmt.Errorf("restoring %s: %w", id, err)
	}
	// The note of the deletion goes; a crash before that leaves a file
	// nothing reads in a live document.
	_ = os.Remove(filepath.Join(dir, trashedFile))
	return &item.Record, nil
}

// TrashGet returns a trashed document (corpus.ErrNotFound if the trash
// does not hold it).
func (s *Store) TrashGet(id string) (*TrashItem, error) {
	dir, err := s.trashPath(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("document %s in the trash: %w", id, corpus.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	item := &TrashItem{}
	if err := json.Unmarshal(b, &item.Record); err != nil {
		return nil, fmt.Errorf("reading the trashed record of %s: %w", id, err)
	}
	item.ID = id
	if b, err := os.ReadFile(filepath.Join(dir, trashedFile)); err == nil {
		_ = json.Unmarshal(b, &item.Trashed)
	}
	if item.At.IsZero() {
		if fi, err := os.Stat(dir); err == nil {
			item.At = fi.ModTime().UTC()
		}
	}
	item.ID = id
	return item, nil
}

// TrashList lists the trash, the latest deletion first.
func (s *Store) TrashList() ([]TrashItem, error) {
	ents, err := os.ReadDir(filepath.Join(s.dir, trashDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []TrashItem
	for _, e := range ents {
		if !e.IsDir() || !corpus.ValidID(e.Name()) {
			continue
		}
		item, err := s.TrashGet(e.Name())
		if err != nil {
			continue // not a whole document: nothing to restore
		}
		out = append(out, *item)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Purge removes a document from the trash for good.
func (s *Store) Purge(id string) error {
	if _, err := s.TrashGet(id); err != nil {
		return err
	}
	return s.purgeTrashed(id)
}

// purgeTrashed removes the trashed document id, if any: renamed out of
// the trash (fsynced) before its files go, as Remove does.
func (s *Store) purgeTrashed(id string) error {
	src, err := s.trashPath(id)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	gone := filepath.Join(s.dir, removingPrefix+id+"-trash-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.Rename(src, gone); err != nil {
		return fmt.Errorf("purging %s: %w", id, err)
	}
	if err := SyncDir(filepath.Dir(src)); err != nil {
		return fmt.Errorf("purging %s: %w", id, err)
	}
	if err := SyncDir(s.dir); err != nil {
		return fmt.Errorf("purging %s: %w", id, err)
	}
	_ = os.RemoveAll(gone)
	return nil
}

// TrashRaw reads a trashed document's bytes and checks them.
func (s *Store) TrashRaw(rec *Record) ([]byte, error) {
	dir, err := s.trashPath(rec.Entry.ID)
	if err != nil {
		return nil, err
	}
	return readRaw(dir, rec, "reading "+rec.Entry.ID+" in the trash")
}
