package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// Data is an opened data directory: the store (source of truth) and the
// index derived from it.
type Data struct {
	Dir   string
	Store *store.Store
	Index *Index
}

// OpenData opens dir's store and index. An index that is missing is built
// from the store; one that fails to open (corrupt) is moved aside and
// rebuilt, with a log line; one that disagrees with the store is brought up
// to date. An index held by another process, or one that fails to open for
// want of permission, file descriptors or disk space, is an error, never a
// rebuild. PDFium's compiled code is kept in DATA/cache/pdfium unless the
// process chose a cache directory (reader.SetPDFCacheDir) before.
func OpenData(ctx context.Context, dir string, log *slog.Logger) (*Data, error) {
	return openData(ctx, dir, log, false)
}

// OpenDataForImport is OpenData for a bulk import that ends with
// Index.Compact, as `hrsearch index` and Rebuild do: until the index is
// closed, Bleve leaves the segments the import writes for Compact to merge
// into one, instead of merging them as they come and then again (see
// bulkMergeTier). Every write is as durable as with OpenData; a server
// opens the data directory with OpenData.
func OpenDataForImport(ctx context.Context, dir string, log *slog.Logger) (*Data, error) {
	return openData(ctx, dir, log, true)
}

func openData(ctx context.Context, dir string, log *slog.Logger, bulk bool) (*Data, error) {
	reader.DefaultPDFCacheDir(filepath.Join(dir, "cache", "pdfium"))
	st, err := store.OpenStore(filepath.Join(dir, "store"))
	if err != nil {
		return nil, err
	}
	ixDir := filepath.Join(dir, "index")
	ix, err := openIndex(ixDir, bulk)
	if errors.Is(err, ErrIndexLocked) {
		return nil, fmt.Errorf("%w: another hrsearch process is using %s", err, dir)
	}
	if err != nil {
		// Only corruption is mended by a rebuild. A file the user may not
		// read, too many open files or a full disk leave a healthy index
		// that a rebuild would not open either: say so, and touch nothing.
		if env := environmentError(ixDir, err); env != nil {
			return nil, env
		}
		aside := fmt.Sprintf("%s.broken-%d", ixDir, time.Now().Unix())
		log.Error("index does not open; rebuilding it from the store", "index", ixDir, "moved_to", aside, "err", err)
		if rerr := os.Rename(ixDir, aside); rerr != nil {
			return nil, fmt.Errorf("moving broken index aside: %w", rerr)
		}
		if ix, err = openIndex(ixDir, bulk); err != nil {
			return nil, err
		}
	}
	// An index built with another version's mapping is rebuilt from the
	// store: Bleve keeps the mapping an index was created with, and the
	// passages of this version would not fit it.
	var outdated string
	if current, err := ix.mappingCurrent(); err != nil {
		ix.Close()
		return nil, err
	} else if !current {
		ix.Close()
		outdated = fmt.Sprintf("%s.outdated-%d", ixDir, time.Now().Unix())
		log.Info("index was built with another version's mapping; rebuilding it from the store", "index", ixDir, "moved_to", outdated)
		if err := os.Rename(ixDir, outdated); err != nil {
			return nil, fmt.Errorf("moving outdated index aside: %w", err)
		}
		if ix, err = openIndex(ixDir, bulk); err != nil {
			return nil, err
		}
	}
	d := &Data{Dir: dir, Store: st, Index: ix}
	n, err := d.Sync(ctx, log)
	if err != nil {
		ix.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("index brought up to date with the store", "documents", n)
	}
	// The store holds everything an outdated index did: remove the one
	// moved aside now, and any an earlier start left when it stopped
	// before removing its own.
	left, _ := filepath.Glob(ixDir + ".outdated-*")
	for _, old := range left {
		if err := os.RemoveAll(old); err != nil {
			log.Error("removing the outdated index", "dir", old, "err", err)
		} else if old != outdated {
			log.Info("removed an outdated index an earlier start left", "dir", old)
		}
	}
	return d, nil
}

// environmentError returns openErr, the error opening the index ixDir, if
// the environment rather than the index is at fault (see fromEnvironment).
// Bleve keeps the cause of some failures to itself (an index_meta.json it
// may not read is "metadata missing"; a segment, a mapping it cannot parse):
// the index's files are then opened for reading, and the first such error
// doing so is returned, with its path.
func environmentError(ixDir string, openErr error) error {
	if fromEnvironment(openErr) {
		return openErr
	}
	var found error
	filepath.WalkDir(ixDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			var f *os.File
			if f, err = os.Open(p); err == nil {
				f.Close()
			}
		}
		if err != nil && fromEnvironment(err) {
			found = fmt.Errorf("opening index %s: %w", ixDir, err)
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// fromEnvironment reports whether err says the process may not, or cannot
// now, use a file that may well be sound: no permission, too many open
// files, no space left, a read-only file system.
func fromEnvironment(err error) bool {
	for _, target := range []error{fs.ErrPermission, syscall.EMFILE, syscall.ENFILE, syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Close closes the index.
func (d *Data) Close() error { return d.Index.Close() }

// Sync makes the index agree with the store: documents stored but not
// indexed (or indexed from other bytes or metadata) are indexed, documents
// indexed but no longer stored are removed. It returns how many changed.
func (d *Data) Sync(ctx context.Context, log *slog.Logger) (int, error) {
	ids, err := d.Store.IDs()
	if err != nil {
		return 0, err
	}
	stored := make(map[string]bool, len(ids))
	w := d.Index.NewBatchWriter()
	// On an early return: wait for the batches in flight, and write what
	// was queued.
	defer w.Flush()
	changed := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		stored[id] = true
		rec, err := d.Store.Get(id)
		if err != nil {
			log.Error("unreadable store record", "id", id, "err", err)
			continue
		}
		key := Key(rec)
		if st, ok := d.Index.State(id); ok && st.Key == key {
			continue
		}
		raw, err := d.Store.Raw(rec)
		if err != nil {
			log.Error("unreadable stored document", "id", id, "err", err)
			continue
		}
		doc, err := reader.Derive(ctx, rec, raw, 0) // the store holds what was accepted
		if err != nil {
			log.Error("stored document does not read", "id", id, "err", err)
			continue
		}
		if err := w.Add(Update{Doc: doc, Key: key, Origin: rec.Origin}); err != nil {
			return changed, err
		}
		changed++
	}
	indexed, _ := d.Index.Documents()
	for _, id := range indexed {
		if !stored[id] {
			if err := w.Add(Update{ID: id, Remove: true}); err != nil {
				return changed, err
			}
			changed++
		}
	}
	return changed, w.Flush()
}

// Rebuild discards dir's index and builds it anew from the store.
func Rebuild(ctx context.Context, dir string, log *slog.Logger) (docs, passages int, err error) {
	ixDir := filepath.Join(dir, "index")
	// Opening first proves no other process holds it.
	ix, err := OpenIndex(ixDir)
	if err == nil {
		ix.Close()
	} else if errors.Is(err, ErrIndexLocked) {
		return 0, 0, err
	}
	if err := os.RemoveAll(ixDir); err != nil {
		return 0, 0, err
	}
	d, err := OpenDataForImport(ctx, dir, log)
	if err != nil {
		return 0, 0, err
	}
	defer d.Close()
	if err := d.Index.Compact(ctx); err != nil {
		return 0, 0, err
	}
	ids, n := d.Index.Documents()
	stored, err := d.Store.IDs()
	if err != nil {
		return len(ids), n, err
	}
	indexed := make(map[string]bool, len(ids))
	for _, id := range ids {
		indexed[id] = true
	}
	var skipped []string
	for _, id := range stored {
		if !indexed[id] {
			skipped = append(skipped, id)
		}
	}
	if len(skipped) > 0 {
		return len(ids), n, &SkippedError{IDs: skipped}
	}
	return len(ids), n, nil
}

// SkippedError says which stored documents a rebuild could not read (the
// log says why): the index holds the others.
type SkippedError struct{ IDs []string }

func (e *SkippedError) Error() string {
	const show = 10
	ids := e.IDs
	more := ""
	if len(ids) > show {
		ids, more = ids[:show], fmt.Sprintf(" and %d more", len(e.IDs)-show)
	}
	return fmt.Sprintf("%d stored documents could not be read and are not in the index (the log says why): %s%s",
		len(e.IDs), strings.Join(ids, ", "), more)
}
