package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

var errUnsupported = errors.New("not expressible")

// rgEngine is the brute-force floor: ripgrep counting matching passages
// (one a line) in a plain-text file, a process per query, no index, no
// stemming (case-insensitive whole words; prefixes as \w*).
type rgEngine struct{ file string }

func (e *rgEngine) Name() string { return eRg }
func (e *rgEngine) Close() error { return nil }

func (e *rgEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	if len(q.Facets) > 0 || q.Page > 1 || q.Article != "" {
		return 0, errUnsupported
	}
	args := []string{"--count", "--ignore-case", "--no-filename", "--no-config"}
	switch q.Op {
	case opTerm:
		args = append(args, "--word-regexp", "--fixed-strings", "-e", q.Words[0])
	case opPhrase:
		var parts []string
		for _, w := range q.Words {
			parts = append(parts, regexp.QuoteMeta(w))
		}
		args = append(args, "--word-regexp", "-e", strings.Join(parts, `\s+`))
	case opOr:
		args = append(args, "--word-regexp", "--fixed-strings")
		for _, w := range q.Words {
			args = append(args, "-e", w)
		}
	case opPrefix:
		args = append(args, "-e", `\b`+regexp.QuoteMeta(q.Words[0])+`\w*`)
	default:
		return 0, errUnsupported
	}
	out, err := exec.CommandContext(ctx, "rg", append(args, e.file)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			return 0, nil // no match
		}
		return 0, err
	}
	return strconv.Atoi(string(bytes.TrimSpace(out)))
}

func rgVersion() string {
	out, err := exec.Command("rg", "--version").Output()
	if err != nil {
		return "not installed"
	}
	return strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
}
