package web

import (
	"context"
	"fmt"
	"log/slog"
)

// levelFor is the log level of a request that ended with status: a 503 is
// the server shedding load or a search running out of time, as designed,
// and a warning; other 5xx are errors.
func levelFor(status int) slog.Level {
	switch {
	case status == 503:
		return slog.LevelWarn
	case status >= 500:
		return slog.LevelError
	}
	return slog.LevelInfo
}

// slogPrintln adapts a *slog.Logger to promhttp's Println logger.
type slogPrintln struct{ log *slog.Logger }

func (l slogPrintln) Println(v ...any) {
	l.log.ErrorContext(context.Background(), "metrics", "err", fmt.Sprint(v...))
}
