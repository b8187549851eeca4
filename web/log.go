package web

import (
	"context"
	"fmt"
	"log/slog"
)

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// slogPrintln adapts a *slog.Logger to promhttp's Println logger.
type slogPrintln struct{ log *slog.Logger }

func (l slogPrintln) Println(v ...any) {
	l.log.ErrorContext(context.Background(), "metrics", "err", fmt.Sprint(v...))
}
