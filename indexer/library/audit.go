package library

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// AuditFile is the librarians' audit log in the data directory: JSON
// Lines, one change a line, only ever appended to.
const AuditFile = "audit.jsonl"

// Audit actions.
const (
	ActionAdd     = "add"     // a new document
	ActionReplace = "replace" // new bytes, and maybe new metadata
	ActionEdit    = "edit"    // new metadata only
	ActionDelete  = "delete"
)

// AuditEvent is one change a librarian made.
type AuditEvent struct {
	Time   time.Time   `json:"time"`
	Who    string      `json:"who"` // the token's name
	Action string      `json:"action"`
	ID     string      `json:"id"`
	Before *AuditState `json:"before,omitempty"`
	After  *AuditState `json:"after,omitempty"`
}

// AuditState is a document's metadata at one moment.
type AuditState struct {
	// Entry is the effective metadata: the catalog entry with the
	// overrides applied.
	Entry     corpus.Entry  `json:"entry"`
	Overrides *corpus.Entry `json:"overrides,omitempty"`
	Source    string        `json:"source,omitempty"`
	Origin    string        `json:"origin,omitempty"`
	SHA256    string        `json:"sha256"`
	Size      int64         `json:"size"`
}

// StateOf is a record's state, or nil for none.
func StateOf(rec *store.Record) *AuditState {
	if rec == nil {
		return nil
	}
	return &AuditState{Entry: rec.Effective(), Overrides: rec.Overrides, Source: rec.Source, Origin: rec.Origin,
		SHA256: rec.SHA256, Size: rec.Size}
}

// AuditLog appends events to the audit file, each written in one write
// and fsynced before Append returns.
type AuditLog struct {
	path string

	mu sync.Mutex
	f  *os.File
}

// maxAuditRead bounds how much of the log Events reads: the newest events
// are at its end.
const maxAuditRead = 32 << 20

// OpenAuditLog opens (creating it if needed) the audit log of the data
// directory dir. A last line cut short by a crash is closed with a newline
// so that the next event starts a line of its own; readers skip it.
func OpenAuditLog(dir string) (*AuditLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, AuditFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if err := closeTornLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if err := store.SyncDir(dir); err != nil {
		f.Close()
		return nil, err
	}
	return &AuditLog{path: path, f: f}, nil
}

func closeTornLine(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	if _, err := f.Write([]byte{'\n'}); err != nil {
		return err
	}
	return f.Sync()
}

// Append writes ev and fsyncs the log.
func (a *AuditLog) Append(ev AuditEvent) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("audit log is closed")
	}
	if _, err := a.f.Write(b); err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("syncing audit log: %w", err)
	}
	return nil
}

// Events returns up to limit events, newest first, skipping the first skip
// of them (paging), and whether older ones remain. Lines that do not parse
// (a torn write) are skipped.
func (a *AuditLog) Events(skip, limit int) (events []AuditEvent, more bool, err error) {
	return a.Matching(nil, skip, limit)
}

// Close closes the log.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
