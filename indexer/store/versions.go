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
	"strings"
	"time"
)

// Earlier versions of a document live in its directory, so that they move
// with it into the trash and back:
//
//	dir/<id>/versions/<n>.json    the Record of version n (from 1), and who replaced it
//	dir/<id>/versions/raw-<sha>   the bytes of the versions that had them
//
// The current version is the document's own record; it is not among the
// saved ones. A version's bytes are written (fsynced) before its record,
// and the record before the change that supersedes it.
const versionsDir = "versions"

// Version is an earlier version of a document: its record as it was, and
// the change that superseded it.
type Version struct {
	N      int    `json:"n"`
	Record Record `json:"record"`
	// SupersededBy and SupersededAt are who made the next version, and
	// when.
	SupersededBy string    `json:"superseded_by"`
	SupersededAt time.Time `json:"superseded_at"`
	// Action is the change that superseded it (edit, replace, restore).
	Action string `json:"action,omitempty"`
}

// SaveVersion keeps rec, the current version of its document, as the
// latest earlier version before a change by who replaces it. Saving the
// same record twice in a row (a retry after a crash) saves it once.
func (s *Store) SaveVersion(rec *Record, by, action string, at time.Time) error {
	dir, err := s.docDir(rec.Entry.ID)
	if err != nil {
		return err
	}
	vdir := filepath.Join(dir, versionsDir)
	saved, err := s.Versions(rec.Entry.ID)
	if err != nil {
		return err
	}
	if n := len(saved); n > 0 && saved[n-1].Record.SHA256 == rec.SHA256 && SameRecord(&saved[n-1].Record, rec) &&
		saved[n-1].Record.FetchedAt.Equal(rec.FetchedAt) {
		return nil
	}
	if _, err := os.Stat(vdir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
		}
		if err := SyncDir(dir); err != nil {
			return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
		}
	}
	raw := filepath.Join(vdir, rawName(rec.SHA256))
	if _, err := os.Stat(raw); errors.Is(err, fs.ErrNotExist) {
		// A second name for the bytes: removing the document's own
		// copy later leaves this one.
		if err := os.Link(filepath.Join(dir, rawName(rec.SHA256)), raw); err != nil {
			b, rerr := s.Raw(rec)
			if rerr != nil {
				return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, rerr)
			}
			if err := WriteFileAtomic(raw, b); err != nil {
				return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
			}
		} else {
			if err := syncFile(raw); err != nil {
				return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
			}
			if err := SyncDir(vdir); err != nil {
				return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
			}
		}
	}
	v := Version{N: len(saved) + 1, Record: *rec, SupersededBy: by, SupersededAt: at.UTC(), Action: action}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(vdir, strconv.Itoa(v.N)+".json"), b); err != nil {
		return fmt.Errorf("keeping a version of %s: %w", rec.Entry.ID, err)
	}
	return nil
}

// Versions lists a stored document's earlier versions, oldest first (none
// is an empty list).
func (s *Store) Versions(id string) ([]Version, error) {
	dir, err := s.docDir(id)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(filepath.Join(dir, versionsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Version
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		n, err := strconv.Atoi(name)
		if !ok || err != nil || n < 1 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, versionsDir, e.Name()))
		if err != nil {
			return nil, err
		}
		var v Version
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("reading version %d of %s: %w", n, id, err)
		}
		v.N = n
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out, nil
}

// VersionRaw reads the bytes of an earlier version and checks them.
func (s *Store) VersionRaw(v *Version) ([]byte, error) {
	dir, err := s.docDir(v.Record.Entry.ID)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, versionsDir, rawName(v.Record.SHA256)))
	if err != nil {
		return nil, fmt.Errorf("reading version %d of %s: %w", v.N, v.Record.Entry.ID, err)
	}
	if got := SHA256(b); got != v.Record.SHA256 {
		return nil, fmt.Errorf("reading version %d of %s: checksum %s, record says %s", v.N, v.Record.Entry.ID, got[:12], v.Record.SHA256[:12])
	}
	return b, nil
}
