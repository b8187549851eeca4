package web

// The audit log, filtered by document, librarian and action, and exported
// as JSON Lines: GET /api/audit?id=&who=&action=&format=jsonl.

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// AuditFilter selects audit events: each field set must match.
type AuditFilter struct {
	ID, Who, Action string
}

func (f AuditFilter) empty() bool { return f == AuditFilter{} }

// query is f as query-string parameters.
func (f AuditFilter) query() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"id": f.ID, "who": f.Who, "action": f.Action} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// AuditMatcher is a Library that filters its audit log.
type AuditMatcher interface {
	AuditMatching(ctx context.Context, f AuditFilter, skip, limit int) ([]AuditEvent, bool, error)
}

// auditActions are the actions the log records.
var auditActions = []string{"add", "import", "replace", "edit", "delete", "restore", "restore-version", "purge", "expire"}

// maxAuditExport bounds one export.
const maxAuditExport = 1_000_000

// auditFilter reads the filter parameters.
func auditFilter(v url.Values) (AuditFilter, error) {
	f := AuditFilter{ID: v.Get("id"), Who: v.Get("who"), Action: v.Get("action")}
	if f.ID != "" && !validDocumentID(f.ID) {
		return f, errBadRequest("id must be a document id.")
	}
	if len(f.Who) > 64 {
		return f, errBadRequest("who must be a token name (at most 64 bytes).")
	}
	if f.Action != "" && !slices.Contains(auditActions, f.Action) {
		return f, errBadRequest("action must be one of %v.", auditActions)
	}
	return f, nil
}

// auditEvents returns the events f selects.
func (s *server) auditEvents(ctx context.Context, f AuditFilter, skip, limit int) ([]AuditEvent, bool, error) {
	if f.empty() {
		return s.lib.lib.Audit(ctx, skip, limit)
	}
	m, ok := s.lib.lib.(AuditMatcher)
	if !ok {
		return nil, false, &httpError{status: http.StatusNotImplemented, code: "not_implemented", msg: "This server cannot filter its audit log."}
	}
	return m.AuditMatching(ctx, f, skip, limit)
}

func (s *server) handleAPIAudit(w http.ResponseWriter, r *http.Request, who string) error {
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	if err := onlyParams(v, "page", "size", "id", "who", "action", "format"); err != nil {
		return err
	}
	f, err := auditFilter(v)
	if err != nil {
		return err
	}
	switch v.Get("format") {
	case "", "json":
	case "jsonl":
		return s.exportAudit(w, r, f)
	default:
		return errBadRequest("format must be json or jsonl.")
	}
	page, size, err := auditPaging(v)
	if err != nil {
		return err
	}
	evs, more, err := s.auditEvents(r.Context(), f, (page-1)*size, size)
	if err != nil {
		return err
	}
	out := apiAuditResponse{Page: page, Size: size, More: more, Events: make([]apiAuditEvent, 0, len(evs))}
	for _, ev := range evs {
		out.Events = append(out.Events, toAPIAudit(ev))
	}
	return writeJSON(w, http.StatusOK, out)
}

// exportAudit streams every event f selects, newest first, one JSON
// object a line.
func (s *server) exportAudit(w http.ResponseWriter, r *http.Request, f AuditFilter) error {
	// The first page before any byte: an error is still an error page.
	evs, more, err := s.auditEvents(r.Context(), f, 0, maxAuditSize)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit.jsonl"`)
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	n := 0
	for {
		for _, ev := range evs {
			if err := enc.Encode(toAPIAudit(ev)); err != nil {
				return nil // the client went away; the status is sent
			}
		}
		n += len(evs)
		if !more || n >= maxAuditExport || r.Context().Err() != nil {
			break
		}
		if evs, more, err = s.auditEvents(r.Context(), f, n, maxAuditSize); err != nil {
			s.log.ErrorContext(r.Context(), "exporting the audit log", "err", err)
			break
		}
	}
	return bw.Flush()
}

// auditPageURL is the audit page's address for a page of f.
func auditPageURL(path string, f AuditFilter, page, size int) string {
	v := f.query()
	v.Set("page", strconv.Itoa(page))
	v.Set("size", strconv.Itoa(size))
	return path + "?" + v.Encode()
}
