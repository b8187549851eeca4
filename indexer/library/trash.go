package library

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// More audit actions.
const (
	ActionRestore        = "restore"         // a document brought back from the trash
	ActionPurge          = "purge"           // a trashed document removed for good, by a librarian
	ActionExpire         = "expire"          // a trashed document removed for good, its time in the trash over
	ActionRestoreVersion = "restore-version" // an earlier version made current
)

// DefaultTrashDays is how long the trash keeps a deleted document.
const DefaultTrashDays = 30

// SetTrashDays sets how many days the trash keeps a deleted document
// before it is purged (at least 1).
func (l *Library) SetTrashDays(days int) {
	if days < 1 {
		days = 1
	}
	l.trashTTL.Store(int64(days) * int64(24*time.Hour))
}

func (l *Library) trashKeep() time.Duration {
	if d := l.trashTTL.Load(); d > 0 {
		return time.Duration(d)
	}
	return DefaultTrashDays * 24 * time.Hour
}

// TrashItem is a document in the trash and when it will be purged.
type TrashItem struct {
	store.TrashItem
	Expires time.Time
}

// Trash lists the trash, the latest deletion first, after purging what
// has expired.
func (l *Library) Trash() ([]TrashItem, error) {
	l.PurgeExpired()
	items, err := l.store.TrashList()
	if err != nil {
		return nil, err
	}
	out := make([]TrashItem, 0, len(items))
	for _, it := range items {
		out = append(out, TrashItem{TrashItem: it, Expires: it.At.Add(l.trashKeep())})
	}
	return out, nil
}

// PurgeExpired removes for good the trashed documents whose time is over,
// recording each in the audit log. Errors are logged: the next call tries
// again.
func (l *Library) PurgeExpired() {
	items, err := l.store.TrashList()
	if err != nil {
		l.log.Warn("listing the trash", "err", err)
		return
	}
	now := l.now()
	for _, it := range items {
		if now.Before(it.At.Add(l.trashKeep())) {
			continue
		}
		unlock := l.locks.lock(it.ID)
		err := l.store.Purge(it.ID)
		unlock()
		if errors.Is(err, corpus.ErrNotFound) {
			continue
		}
		if err != nil {
			l.log.Warn("purging an expired document from the trash", "id", it.ID, "err", err)
			continue
		}
		if err := l.audit.Append(AuditEvent{Time: now.UTC(), Who: "hrsearch", Action: ActionExpire, ID: it.ID,
			Before: StateOf(&it.Record)}); err != nil {
			l.log.Error("audit log write failed", "id", it.ID, "action", ActionExpire, "err", err)
		}
	}
}

// Restore brings a document back from the trash, with its corrections and
// versions, clears its tombstone (imports and crawls may touch it again)
// and indexes it: when Restore returns, it is searchable. It is
// corpus.ErrNotFound if the trash does not hold it, corpus.ErrConflict if a
// document of that id is in the library now.
func (l *Library) Restore(ctx context.Context, who, id string) (*store.Record, *corpus.Document, error) {
	if who == "" {
		return nil, nil, fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	if !corpus.ValidID(id) {
		return nil, nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	defer l.locks.lock(id)()
	item, err := l.store.TrashGet(id)
	if err != nil {
		return nil, nil, err
	}
	raw, err := l.trashedRaw(item)
	if err != nil {
		return nil, nil, err
	}
	doc, err := rederive(ctx, &item.Record, raw)
	if err != nil {
		return nil, nil, &DocumentError{Reason: readReason(&item.Record.Entry, err), Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	rec, err := l.store.Untrash(id)
	if err != nil {
		return nil, nil, err
	}
	// Out of the trash first, then the tombstone: a crash between leaves
	// a stored document that imports leave alone, which a retried delete
	// or a restore finds in place.
	if err := l.store.ClearTombstone(id); err != nil {
		return nil, nil, err
	}
	err = l.commit(AuditEvent{Who: who, Action: ActionRestore, ID: id, After: StateOf(rec)},
		indexer.Update{Doc: doc, Key: indexer.Key(rec), Origin: rec.Origin})
	l.keepSignature(id, doc)
	return rec, doc, err
}

// trashedRaw reads a trashed document's bytes, checked.
func (l *Library) trashedRaw(item *store.TrashItem) ([]byte, error) {
	return l.store.TrashRaw(&item.Record)
}

// Purge removes a document from the trash for good; its tombstone stays,
// so imports and crawls do not bring it back.
func (l *Library) Purge(ctx context.Context, who, id string) error {
	if who == "" {
		return fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	if !corpus.ValidID(id) {
		return fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	defer l.locks.lock(id)()
	item, err := l.store.TrashGet(id)
	if err != nil {
		return err
	}
	if err := l.store.Purge(id); err != nil {
		return err
	}
	ev := AuditEvent{Time: l.now().UTC(), Who: who, Action: ActionPurge, ID: id, Before: StateOf(&item.Record)}
	if err := l.audit.Append(ev); err != nil {
		l.log.Error("audit log write failed", "id", id, "action", ActionPurge, "err", err)
		return err
	}
	return nil
}

// TrashDays is how many days the trash keeps a deleted document.
func (l *Library) TrashDays() int { return int(l.trashKeep() / (24 * time.Hour)) }

// rederive reads a stored version's bytes as its record says (the one
// derivation every path uses).
func rederive(ctx context.Context, rec *store.Record, raw []byte) (*corpus.Document, error) {
	return reader.Derive(ctx, rec, raw, 0) // a version the library accepted
}
