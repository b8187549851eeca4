package fetch

import (
	"context"
	"errors"
	"fmt"

	"github.com/hrsearch/hrsearch/corpus"
)

// ErrorReason names the kind of a fetch error for reports.
func ErrorReason(err error) string {
	var he *HTTPError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrDisallowed):
		return "robots"
	case errors.Is(err, ErrOffScope):
		return "off-scope"
	case errors.Is(err, ErrBlockedAddress):
		return "blocked-address"
	case errors.Is(err, corpus.ErrTooLarge):
		return "too-large"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrRedirect):
		return "redirect"
	case errors.As(err, &he):
		return fmt.Sprintf("http-%d", he.Status)
	case errors.Is(err, corpus.ErrUnsupported):
		return "unsupported"
	case errors.Is(err, corpus.ErrInvalid):
		return "unreadable"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "network"
}
