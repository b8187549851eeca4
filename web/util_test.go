package web

import (
	"os"
	"time"
)

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

func timeZero() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
