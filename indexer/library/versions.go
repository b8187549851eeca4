package library

import (
	"context"
	"fmt"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// VersionInfo is one version of a document, numbered from 1, oldest
// first; the current version is the last.
type VersionInfo struct {
	N      int
	Record store.Record
	// By, At and Action are who made this version, when, and how (add,
	// import, edit, replace, restore-version).
	By      string
	At      time.Time
	Action  string
	Current bool
}

// Versions lists a stored document's versions, oldest first, the current
// one included (corpus.ErrNotFound for a document not stored).
func (l *Library) Versions(id string) ([]VersionInfo, error) {
	if !corpus.ValidID(id) {
		return nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	cur, err := l.store.Get(id)
	if err != nil {
		return nil, err
	}
	saved, err := l.store.Versions(id)
	if err != nil {
		return nil, err
	}
	// A crash after keeping the current version and before replacing it
	// leaves it saved twice; it is listed once.
	if n := len(saved); n > 0 && saved[n-1].Record.SHA256 == cur.SHA256 && store.SameRecord(&saved[n-1].Record, cur) {
		saved = saved[:n-1]
	}
	recs := make([]store.Record, 0, len(saved)+1)
	for _, v := range saved {
		recs = append(recs, v.Record)
	}
	recs = append(recs, *cur)
	out := make([]VersionInfo, len(recs))
	for i := range recs {
		vi := VersionInfo{N: i + 1, Record: recs[i], Current: i == len(recs)-1}
		if i == 0 {
			vi.By, vi.At, vi.Action = firstAuthor(&recs[0])
		} else {
			p := saved[i-1]
			vi.By, vi.At, vi.Action = p.SupersededBy, p.SupersededAt, p.Action
		}
		out[i] = vi
	}
	return out, nil
}

// firstAuthor is who made a document's first version: the librarian who
// added it, or the import or crawl that brought it.
func firstAuthor(rec *store.Record) (by string, at time.Time, action string) {
	if rec.Replaced != nil {
		return rec.Replaced.By, rec.Replaced.At, ActionAdd
	}
	return rec.Origin, rec.FetchedAt, "import"
}

// RestoreVersion makes version n of a document current again, as a new
// version: the current one is kept among the earlier versions, so the
// restore can be undone too. Restoring the current version changes
// nothing. It is corpus.ErrNotFound for a version that does not exist.
func (l *Library) RestoreVersion(ctx context.Context, who, id string, n int) (*store.Record, *corpus.Document, error) {
	if who == "" {
		return nil, nil, fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	if !corpus.ValidID(id) {
		return nil, nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	defer l.locks.lock(id)()
	old, err := l.store.Get(id)
	if err != nil {
		return nil, nil, err
	}
	versions, err := l.Versions(id)
	if err != nil {
		return nil, nil, err
	}
	if n < 1 || n > len(versions) {
		return nil, nil, fmt.Errorf("document %s has no version %d (it has %d): %w", id, n, len(versions), corpus.ErrNotFound)
	}
	if versions[n-1].Current {
		raw, err := l.store.Raw(old)
		if err != nil {
			return nil, nil, err
		}
		doc, err := rederive(ctx, old, raw)
		if err != nil {
			return nil, nil, &DocumentError{Reason: readReason(&old.Entry, err), Err: err}
		}
		return old, doc, nil
	}
	saved, err := l.store.Versions(id)
	if err != nil {
		return nil, nil, err
	}
	v := saved[n-1]
	raw, err := l.store.VersionRaw(&v)
	if err != nil {
		return nil, nil, err
	}
	rec := v.Record
	// The librarian chose these bytes: a re-import keeps them.
	rec.Replaced = &store.Replacement{By: who, At: l.now().UTC()}
	doc, err := rederive(ctx, &rec, raw)
	if err != nil {
		return nil, nil, &DocumentError{Reason: readReason(&rec.Entry, err), Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := l.store.SaveVersion(old, who, ActionRestoreVersion, l.now()); err != nil {
		return nil, nil, err
	}
	if _, err := l.store.Put(&rec, raw); err != nil {
		return nil, nil, err
	}
	err = l.commit(AuditEvent{Who: who, Action: ActionRestoreVersion, ID: id, Before: StateOf(old), After: StateOf(&rec)},
		indexer.Update{Doc: doc, Key: indexer.Key(&rec), Origin: rec.Origin})
	l.keepSignature(id, doc)
	return &rec, doc, err
}
