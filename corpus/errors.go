package corpus

import "errors"

// The error vocabulary shared by every package. Callers test with errors.Is;
// only the web layer maps these to HTTP statuses.
var (
	ErrNotFound    = errors.New("not found")
	ErrInvalid     = errors.New("invalid")
	ErrConflict    = errors.New("conflict")
	ErrUnsupported = errors.New("unsupported")
	ErrTooLarge    = errors.New("too large")
	// ErrBusy means the server is at capacity: try again shortly.
	ErrBusy = errors.New("busy")
	// ErrNotIndexed means a change was stored but the index could not take
	// it: it becomes searchable when the index is reopened.
	ErrNotIndexed = errors.New("stored but not indexed")
)
