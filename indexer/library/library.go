package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// Library is the write side of a data directory, for librarians: adding,
// replacing, correcting and removing single documents. A change is written
// to the store (fsynced), then to the audit log (fsynced), then to the
// index (a durable batch), so when a call returns the change is on disk
// and searchable. If the process dies in between, the store has the change
// and the next OpenData brings the index up to date; a retried call
// overwrites.
//
// Changes to one document are serialised; changes to different documents
// run concurrently (the index serialises its batches).
type Library struct {
	store *store.Store
	index *indexer.Index
	audit *AuditLog
	log   *slog.Logger
	locks keyedMutex
	now   func() time.Time
	// MaxPassages, if positive, refuses a document of more passages
	// before anything of it is stored.
	MaxPassages int
	// trashTTL is how long the trash keeps a document (SetTrashDays).
	trashTTL atomic.Int64
	// sigs are the documents' text signatures in memory (signatures()).
	sigsOnce sync.Once
	sigs     *Signatures
}

// OpenLibrary returns the library of an opened data directory, with its
// audit log. Close closes the audit log, not the data.
func OpenLibrary(d *indexer.Data, log *slog.Logger) (*Library, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	audit, err := OpenAuditLog(d.Dir)
	if err != nil {
		return nil, err
	}
	l := &Library{store: d.Store, index: d.Index, audit: audit, log: log, now: time.Now}
	if err := l.store.FinishRemovals(); err != nil {
		l.log.Warn("removing a deleted document's files", "err", err)
	}
	return l, nil
}

// Close closes the audit log.
func (l *Library) Close() error { return l.audit.Close() }

// Upload is a document's bytes as a librarian uploaded them or as they were
// fetched from a URL.
type Upload struct {
	Raw []byte
	// Filename is the uploaded file's name; it helps guess the format.
	Filename string
	// Format is the format the bytes were found to be (a fetch sniffs
	// it), used when the entry names none; empty: guessed from Filename
	// and the bytes.
	Format string
	// Provenance says where the bytes came from; the store fills in SHA256
	// and Size, FetchedAt defaults to now. Origin is always OriginUpload.
	store.Provenance
}

// Change is a librarian's edit of a stored document.
type Change struct {
	// Overrides are corrections of the metadata: every field set here
	// replaces the catalog's (and an earlier correction of the same field);
	// they survive a re-import of the catalog. Nil changes none.
	Overrides *corpus.Entry
	// Upload, if set, replaces the document's bytes. Without an explicit
	// format among the overrides, the new bytes' format is detected.
	Upload *Upload
	// Clear names corrected fields whose correction goes ("title",
	// "kind", "instrument", "body", "symbol", "date", "year", "language",
	// "states", "format"): the document falls back to the catalog's value
	// (and what extraction finds). Overrides.Extra[ClearOverridesKey], a
	// JSON list of such names, adds to it; a field also set in Overrides
	// takes the new value.
	Clear []string
}

// ClearOverridesKey is the key, in the Extra of a Change's Overrides, of a
// JSON list of fields whose corrections to clear (see Change.Clear): the
// way a caller that passes only an entry (the web server) asks for it.
const ClearOverridesKey = "hrsearch:clear"

// clearable are the fields whose correction a librarian may clear.
var clearable = map[string]func(e *corpus.Entry){
	"title":      func(e *corpus.Entry) { e.Title = "" },
	"kind":       func(e *corpus.Entry) { e.Kind = "" },
	"instrument": func(e *corpus.Entry) { e.Instrument = "" },
	"body":       func(e *corpus.Entry) { e.Body = "" },
	"symbol":     func(e *corpus.Entry) { e.Symbol = "" },
	"date":       func(e *corpus.Entry) { e.Date = "" },
	"year":       func(e *corpus.Entry) { e.Year = 0 },
	"language":   func(e *corpus.Entry) { e.Language = "" },
	"states":     func(e *corpus.Entry) { e.States = nil },
	"format":     func(e *corpus.Entry) { e.Format = "" },
	// A decision's case fields (corpus.Case), named as the API names them.
	"case.name":          clearCase(func(c *corpus.Case) { c.Name = "" }),
	"case.communication": clearCase(func(c *corpus.Case) { c.Communication = "" }),
	"case.complainant":   clearCase(func(c *corpus.Case) { c.Complainant = "" }),
	"case.party":         clearCase(func(c *corpus.Case) { c.Party = "" }),
	"case.adopted":       clearCase(func(c *corpus.Case) { c.Adopted = "" }),
	"case.outcome":       clearCase(func(c *corpus.Case) { c.Outcome = "" }),
	"case.violations":    clearCase(func(c *corpus.Case) { c.Violations = nil }),
	"case.destination":   clearCase(func(c *corpus.Case) { c.Destination = nil }),
}

// clearCase clears one field of an entry's case correction, and the case
// when no field of it is left.
func clearCase(f func(c *corpus.Case)) func(e *corpus.Entry) {
	return func(e *corpus.Entry) {
		if e.Case == nil {
			return
		}
		f(e.Case)
		if !e.Case.IsCorrection() {
			e.Case = nil
		}
	}
}

// clearedFields is the change's list of fields to clear, checked.
func (ch *Change) clearedFields() ([]string, error) {
	fields := append([]string(nil), ch.Clear...)
	if ch.Overrides != nil {
		if raw, ok := ch.Overrides.Extra[ClearOverridesKey]; ok {
			var more []string
			if err := json.Unmarshal(raw, &more); err != nil {
				return nil, fmt.Errorf("%w: the fields to clear: %v", corpus.ErrInvalid, err)
			}
			fields = append(fields, more...)
		}
	}
	for _, f := range fields {
		if clearable[f] == nil {
			return nil, fmt.Errorf("%w: the field %q has no correction to clear", corpus.ErrInvalid, f)
		}
	}
	return fields, nil
}

// DocumentError is a document that cannot be read: Reason says why, in
// words for the librarian who gave it (no file paths, no internals).
type DocumentError struct {
	Reason string
	Err    error // wraps corpus.ErrInvalid, ErrUnsupported or ErrTooLarge
}

func (e *DocumentError) Error() string { return e.Reason }
func (e *DocumentError) Unwrap() error { return e.Err }

// UserReason is the message to show the librarian.
func (e *DocumentError) UserReason() string { return e.Reason }

// Preview reads an upload as entry e would be read and indexed, without
// storing anything: the passages and their extracted facets. e.Format is
// filled in when it was empty.
func (l *Library) Preview(ctx context.Context, e *corpus.Entry, up *Upload) (*corpus.Document, error) {
	if !corpus.ValidID(e.ID) {
		return nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, e.ID)
	}
	if e.Format == "" {
		e.Format = up.format()
	}
	if e.Title == "" || e.Language == "" {
		// A document names itself: what the librarian left empty, its
		// bytes say (an HTML page's title and lang, a PDF's metadata
		// title, a Markdown "# …" heading, the language of its words), as
		// they do for a crawled page.
		title, lang, err := reader.NameOf(ctx, e.Format, up.Raw, up.Provenance.ContentType)
		if err != nil {
			return l.derive(ctx, &store.Record{Entry: *e, Provenance: up.Provenance}, up.Raw) // says why it cannot be read
		}
		if e.Title == "" {
			e.Title = title
		}
		if e.Language == "" {
			e.Language = lang
		}
	}
	return l.derive(ctx, &store.Record{Entry: *e, Provenance: up.Provenance}, up.Raw)
}

func (up *Upload) format() string {
	if up.Format != "" {
		return up.Format
	}
	return reader.FormatOf(up.Filename, up.Raw)
}

// OriginUpload is the origin of the documents librarians add, by upload
// or by URL: no crawl or catalog import removes or overwrites them.
const OriginUpload = "upload"

// UploadFromFetched is a fetched document as an upload, with the
// fetch's provenance.
func UploadFromFetched(f *fetch.Fetched) *Upload {
	p := f.Provenance()
	p.Origin = OriginUpload // the librarian's, not the crawl's
	return &Upload{Raw: f.Raw, Format: f.Format, Provenance: p}
}

// Get returns a stored document's record.
func (l *Library) Get(id string) (*store.Record, error) { return l.store.Get(id) }

// Audit returns audit events, newest first; see AuditLog.Events.
func (l *Library) Audit(skip, limit int) ([]AuditEvent, bool, error) {
	return l.audit.Events(skip, limit)
}

// Add stores and indexes a new document under e.ID. A document of that id
// already stored is a conflict (corpus.ErrConflict), unless it is the same
// bytes and metadata: a retry after a lost response succeeds and makes sure
// the document is indexed.
func (l *Library) Add(ctx context.Context, who string, e corpus.Entry, up *Upload) (*store.Record, *corpus.Document, error) {
	if who == "" {
		return nil, nil, fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	e.File, e.Path = "", "" // the bytes are in the store, not in a catalog's directory
	doc, err := l.Preview(ctx, &e, up)
	if err != nil {
		return nil, nil, err
	}
	rec := &store.Record{Entry: e, Provenance: l.provenance(up), Replaced: &store.Replacement{By: who, At: l.now().UTC()}}
	rec.SHA256, rec.Size = store.SHA256(up.Raw), int64(len(up.Raw))

	defer l.locks.lock(e.ID)()
	old, err := l.store.Get(e.ID)
	switch {
	case err == nil:
		if old.SHA256 != rec.SHA256 || !store.SameRecord(old, rec) {
			return nil, nil, fmt.Errorf("%w: document %s exists", corpus.ErrConflict, e.ID)
		}
		// A retry after a crash between storing and clearing the
		// tombstone clears it now.
		if err := l.store.ClearTombstone(e.ID); err != nil {
			return nil, nil, err
		}
		// A retry: the store has it; make sure the index does.
		key := indexer.Key(old)
		if st, ok := l.index.State(e.ID); ok && st.Key == key {
			return old, doc, nil
		}
		if err := l.index.Apply([]indexer.Update{{Doc: doc, Key: key, Origin: old.Origin}}); err != nil {
			return nil, nil, fmt.Errorf("%w: indexing %s: %w", corpus.ErrNotIndexed, e.ID, err)
		}
		return old, doc, nil
	case !errors.Is(err, corpus.ErrNotFound):
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if _, err := l.store.Put(rec, up.Raw); err != nil {
		return nil, nil, err
	}
	// Re-adding a document a librarian deleted: a re-import keeps it now.
	if err := l.store.ClearTombstone(e.ID); err != nil {
		return nil, nil, err
	}
	err = l.commit(AuditEvent{Who: who, Action: ActionAdd, ID: e.ID, After: StateOf(rec)},
		indexer.Update{Doc: doc, Key: indexer.Key(rec), Origin: rec.Origin})
	l.keepSignature(e.ID, doc)
	return rec, doc, err
}

// Update changes a stored document's bytes, its metadata overrides, or
// both, and re-indexes it. A change that changes nothing is not recorded.
func (l *Library) Update(ctx context.Context, who, id string, ch Change) (*store.Record, *corpus.Document, error) {
	if who == "" {
		return nil, nil, fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	clear, err := ch.clearedFields()
	if err != nil {
		return nil, nil, err
	}
	if ch.Overrides == nil && ch.Upload == nil && len(clear) == 0 {
		return nil, nil, fmt.Errorf("%w: nothing to change", corpus.ErrInvalid)
	}
	if !corpus.ValidID(id) {
		return nil, nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	defer l.locks.lock(id)()
	old, err := l.store.Get(id)
	if err != nil {
		return nil, nil, err
	}
	rec := *old
	rec.Overrides = cloneEntry(old.Overrides)
	var raw []byte
	if up := ch.Upload; up != nil {
		raw = up.Raw
		rec.Provenance = l.provenance(up)
		rec.SHA256, rec.Size = store.SHA256(raw), int64(len(raw))
		// The librarian's bytes: a re-import of the catalog keeps them.
		rec.Replaced = &store.Replacement{By: who, At: l.now().UTC()}
		if ch.Overrides == nil || ch.Overrides.Format == "" {
			// New bytes, maybe of another format: detect it, and drop an
			// earlier correction of the format that would misread them.
			rec.Entry.Format = up.format()
			if rec.Overrides != nil {
				rec.Overrides.Format = ""
			}
		}
	} else if raw, err = l.store.Raw(old); err != nil {
		return nil, nil, err
	}
	if ch.Overrides != nil || len(clear) > 0 {
		rec.Overrides = mergeOverrides(rec.Overrides, ch.Overrides, clear)
	}
	doc, err := l.derive(ctx, &rec, raw)
	if err != nil {
		return nil, nil, err
	}
	key := indexer.Key(&rec)
	if old.SHA256 == rec.SHA256 && store.SameRecord(old, &rec) {
		if st, ok := l.index.State(id); ok && st.Key == key {
			return old, doc, nil // nothing changed
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	action := ActionEdit
	if ch.Upload != nil {
		action = ActionReplace
	}
	// The version this change supersedes is kept first (Versions).
	if err := l.store.SaveVersion(old, who, action, l.now()); err != nil {
		return nil, nil, err
	}
	if ch.Upload != nil {
		_, err = l.store.Put(&rec, raw)
	} else {
		err = l.store.PutRecord(&rec)
	}
	if err != nil {
		return nil, nil, err
	}
	err = l.commit(AuditEvent{Who: who, Action: action, ID: id, Before: StateOf(old), After: StateOf(&rec)},
		indexer.Update{Doc: doc, Key: key, Origin: rec.Origin})
	if ch.Upload != nil {
		l.keepSignature(id, doc)
	}
	return &rec, doc, err
}

// Delete moves a document from the store to the trash and removes it from
// the index, and leaves a tombstone so that a re-import of a catalog
// listing it does not bring it back (Add and Restore clear it).
func (l *Library) Delete(ctx context.Context, who, id string) (*store.Record, error) {
	if who == "" {
		return nil, fmt.Errorf("%w: no librarian named", corpus.ErrInvalid)
	}
	if !corpus.ValidID(id) {
		return nil, fmt.Errorf("%w: document id %q", corpus.ErrInvalid, id)
	}
	defer l.locks.lock(id)()
	old, err := l.store.Get(id)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The tombstone first: a crash before the removal leaves a document
	// that a re-import does not touch and a retried delete removes;
	// the other order could leave nothing to stop a re-import.
	if err := l.store.PutTombstone(store.Tombstone{ID: id, By: who, At: l.now().UTC()}); err != nil {
		return nil, err
	}
	// Into the trash, whole: Restore brings it back until it expires.
	if err := l.store.Trash(store.Trashed{ID: id, By: who, At: l.now().UTC()}); err != nil {
		return nil, err
	}
	err = l.commit(AuditEvent{Who: who, Action: ActionDelete, ID: id, Before: StateOf(old)},
		indexer.Update{ID: id, Remove: true})
	return old, err
}

// commit records a change already in the store and writes it to the index.
// The index is written even if the audit log is not, so that it agrees with
// the store; both errors are returned.
func (l *Library) commit(ev AuditEvent, u indexer.Update) error {
	ev.Time = l.now().UTC()
	auditErr := l.audit.Append(ev)
	if auditErr != nil {
		l.log.Error("audit log write failed", "id", ev.ID, "action", ev.Action, "err", auditErr)
	}
	var indexErr error
	if err := l.index.Apply([]indexer.Update{u}); err != nil {
		indexErr = fmt.Errorf("%w: indexing %s (the index catches up when reopened): %w", corpus.ErrNotIndexed, ev.ID, err)
	}
	return errors.Join(indexErr, auditErr)
}

func (l *Library) provenance(up *Upload) store.Provenance {
	p := up.Provenance
	p.Origin = OriginUpload // by file or by URL: the librarian's document
	if p.FetchedAt.IsZero() {
		p.FetchedAt = l.now().UTC()
	}
	if p.Source == "" {
		p.Source = "upload:" + up.Filename
	}
	return p
}

// derive is reader.Derive for a librarian: a document that cannot be
// read, has too many passages, or holds no text, is a DocumentError.
func (l *Library) derive(ctx context.Context, rec *store.Record, raw []byte) (*corpus.Document, error) {
	doc, err := reader.Derive(ctx, rec, raw, l.MaxPassages)
	var many *reader.TooManyPassagesError
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.As(err, &many):
		return nil, &DocumentError{Reason: fmt.Sprintf("The document has %d passages, more than the %d passages a document may have on this server.", many.Count, many.Limit), Err: err}
	case err != nil:
		e := rec.Effective()
		return nil, &DocumentError{Reason: readReason(&e, err), Err: err}
	}
	e := rec.Effective()
	if len(doc.Passages) == 0 {
		return nil, &DocumentError{Reason: fmt.Sprintf("No text was found in the file (read as %s).", e.Format), Err: corpus.ErrInvalid}
	}
	return doc, nil
}

var (
	tempPath   = regexp.MustCompile(`\S*hrsearch-[^\s'"]*`)
	errorWords = strings.NewReplacer(corpus.ErrInvalid.Error()+": ", "", corpus.ErrUnsupported.Error()+": ", "",
		corpus.ErrTooLarge.Error()+": ", "")
)

// readReason turns a reader's error into a sentence for the librarian.
func readReason(e *corpus.Entry, err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, fmt.Sprintf("reading %s as %s: ", e.ID, e.Format))
	msg = strings.TrimPrefix(msg, e.Format+": ")
	msg = errorWords.Replace(msg)
	msg = tempPath.ReplaceAllString(msg, "the file")
	msg = plainReason(msg)
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	switch {
	case errors.Is(err, corpus.ErrUnsupported):
		return fmt.Sprintf("The file cannot be read as %q: %s.", e.Format, msg)
	case errors.Is(err, corpus.ErrTooLarge):
		return fmt.Sprintf("The file is too large to read: %s.", msg)
	}
	return fmt.Sprintf("The file could not be read as %s: %s.", e.Format, msg)
}

// mergeOverrides clears the corrections of the fields named in clear, and
// sets the fields given in o over old: the fields that Record.Effective
// applies (not the id, url, file or note). No correction left is nil.
func mergeOverrides(old, o *corpus.Entry, clear []string) *corpus.Entry {
	out := cloneEntry(old)
	if out == nil {
		out = &corpus.Entry{}
	}
	for _, f := range clear {
		clearable[f](out)
	}
	if o != nil {
		corpus.Overlay(out, o)
	}
	out.ID = ""
	out.Extra = nil
	if noOverrides(out) {
		return nil
	}
	return out
}

// noOverrides reports whether o corrects none of the fields overlay applies.
func noOverrides(o *corpus.Entry) bool {
	return o.Title == "" && o.Kind == "" && o.Instrument == "" && o.Body == "" && o.Symbol == "" &&
		o.Date == "" && o.Year == 0 && o.Language == "" && o.Format == "" && o.States == nil && !o.Case.IsCorrection()
}

func cloneEntry(e *corpus.Entry) *corpus.Entry {
	if e == nil {
		return nil
	}
	c := *e
	c.States = append([]string(nil), e.States...)
	if e.States == nil {
		c.States = nil
	}
	if e.Case != nil {
		cs := *e.Case
		cs.Violations, cs.Destination = slices.Clone(e.Case.Violations), slices.Clone(e.Case.Destination)
		c.Case = &cs
	}
	return &c
}

// keyedMutex is a mutex per key, kept only while in use.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*refMutex
}

type refMutex struct {
	sync.Mutex
	n int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = make(map[string]*refMutex)
	}
	m, ok := k.m[key]
	if !ok {
		m = &refMutex{}
		k.m[key] = m
	}
	m.n++
	k.mu.Unlock()
	m.Lock()
	return func() {
		m.Unlock()
		k.mu.Lock()
		if m.n--; m.n == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
