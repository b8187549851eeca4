package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// httpError is an error a handler means to show: its message is written for
// the user and never holds internal detail.
type httpError struct {
	status int
	code   string
	msg    string
	err    error // the cause, for the log only
}

func (e *httpError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%d %s: %v", e.status, e.msg, e.err)
	}
	return fmt.Sprintf("%d %s", e.status, e.msg)
}

func (e *httpError) Unwrap() error { return e.err }

func errBadRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, code: "bad_request", msg: fmt.Sprintf(format, args...)}
}

func errNotFound(msg string) error {
	return &httpError{status: http.StatusNotFound, code: "not_found", msg: msg}
}

// userReasoner is an error that carries a reason written for the user who
// caused it, such as why an uploaded document cannot be read.
type userReasoner interface{ UserReason() string }

// errorResponse is the one place errors become HTTP statuses, codes and the
// messages users see. Only httpError carries its own message; every other
// error gets a generic one, so internal text never leaks.
func errorResponse(err error) (status int, code, msg string) {
	var he *httpError
	var ur userReasoner
	switch {
	case errors.As(err, &he):
		return he.status, he.code, he.msg
	case errors.As(err, &ur):
		switch {
		case errors.Is(err, corpus.ErrUnsupported):
			return http.StatusUnsupportedMediaType, "unsupported_media_type", ur.UserReason()
		case errors.Is(err, corpus.ErrTooLarge):
			return http.StatusRequestEntityTooLarge, "too_large", ur.UserReason()
		}
		return http.StatusUnprocessableEntity, "unprocessable", ur.UserReason()
	case errors.Is(err, corpus.ErrNotIndexed): // first: whatever else the index said, the change is stored
		return http.StatusInternalServerError, "not_indexed",
			"The change was saved, but the search index could not take it: search results will reflect it once hrsearch is restarted. The server log says why."
	case errors.Is(err, corpus.ErrConflict):
		return http.StatusConflict, "conflict", "A document with that id exists: replace it (PUT /api/documents/{id}) or choose another id."
	case errors.Is(err, corpus.ErrNotFound):
		return http.StatusNotFound, "not_found", "Nothing was found at this address."
	case errors.Is(err, corpus.ErrInvalid):
		return http.StatusBadRequest, "bad_request", "The request is not valid. Check the query syntax on the help page."
	case errors.Is(err, corpus.ErrUnsupported):
		return http.StatusBadRequest, "bad_request", "The request asks for something that is not supported."
	case errors.Is(err, corpus.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "too_large", "The request is too large."
	case errors.Is(err, corpus.ErrBusy):
		return http.StatusServiceUnavailable, "unavailable", "The server is busy. Please try again in a moment."
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "unavailable", "The search took too long. Try a narrower query."
	case errors.Is(err, context.Canceled):
		return 499, "canceled", "The request was canceled."
	}
	return http.StatusInternalServerError, "internal", "Something went wrong on our side. Please try again later."
}

// responseKind says how a handler's errors are written.
type responseKind int

const (
	kindHTML responseKind = iota
	kindJSON
	kindAuto // JSON under /api/, HTML elsewhere
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a handlerFunc into an http.Handler that writes errors as HTML
// pages or JSON objects ({"error":"not_found","message":"…"}) and logs those
// that are the server's fault.
func (s *server) adapt(kind responseKind, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		s.writeError(w, r, kind, err)
	})
}

func (s *server) writeError(w http.ResponseWriter, r *http.Request, kind responseKind, err error) {
	status, code, msg := errorResponse(err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "route", routeOf(r), "status", status, "err", err)
	} else if status == 499 {
		s.log.DebugContext(r.Context(), "request canceled", "route", routeOf(r))
		return
	}
	if kind == kindAuto {
		kind = kindHTML
		if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			kind = kindJSON
		}
	}
	if kind == kindJSON {
		_ = writeJSON(w, status, apiError{Error: code, Message: msg})
		return
	}
	if rerr := s.render(w, status, "error", errorPage{
		Layout:  Layout{Title: http.StatusText(status), Query: queryOf(r), Librarian: s.signedIn(r)},
		Status:  status,
		Heading: http.StatusText(status),
		Message: msg,
	}); rerr != nil {
		s.log.ErrorContext(r.Context(), "rendering error page", "err", rerr)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintln(w, msg)
	}
}

// apiError is the body of every JSON error.
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}
