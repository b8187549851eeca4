package library

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// AuditFilter selects audit events: each field set must match (empty:
// any).
type AuditFilter struct {
	ID, Who, Action string
}

func (f AuditFilter) match(ev *AuditEvent) bool {
	return (f.ID == "" || ev.ID == f.ID) && (f.Who == "" || ev.Who == f.Who) && (f.Action == "" || ev.Action == f.Action)
}

// AuditMatching returns the audit events f selects, newest first; see
// AuditLog.Events.
func (l *Library) AuditMatching(f AuditFilter, skip, limit int) ([]AuditEvent, bool, error) {
	return l.audit.Matching(f.match, skip, limit)
}

// Matching is Events of the events match accepts (nil: all).
func (a *AuditLog) Matching(match func(*AuditEvent) bool, skip, limit int) (events []AuditEvent, more bool, err error) {
	f, err := os.Open(a.path)
	if err != nil {
		return nil, false, fmt.Errorf("reading audit log: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	var r io.Reader = f
	if fi.Size() > maxAuditRead {
		if _, err := f.Seek(fi.Size()-maxAuditRead, io.SeekStart); err != nil {
			return nil, false, err
		}
		br := bufio.NewReader(f)
		if _, err := br.ReadBytes('\n'); err != nil { // a partial first line
			return nil, false, nil
		}
		r = br
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, false, fmt.Errorf("reading audit log: %w", err)
	}
	lines := bytes.Split(b, []byte{'\n'})
	for i := len(lines) - 1; i >= 0; i-- {
		line := bytes.TrimSpace(lines[i])
		if len(line) == 0 {
			continue
		}
		var ev AuditEvent
		if json.Unmarshal(line, &ev) != nil {
			continue
		}
		if match != nil && !match(&ev) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(events) == limit {
			return events, true, nil
		}
		events = append(events, ev)
	}
	return events, false, nil
}
