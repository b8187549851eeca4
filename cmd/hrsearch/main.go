// Command hrsearch indexes human-rights documents and serves a search UI and
// JSON API over their passages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `hrsearch: search human-rights documents by passage

Usage:
  hrsearch demo     [--data DIR] [--addr HOST:PORT]   build the demo index if missing, then serve
  hrsearch index    --catalog FILE [--data DIR] [--allow-private] [--delay 1s] [--contact URL]
                                                      ingest a catalog (idempotent; entries with a url and no file are fetched)
  hrsearch crawl    --seed URL [--seed URL]… [--scope PREFIX]… [--depth N] [--max-pages N] [--data DIR]
                    [--delay 1s] [--contact URL] [--allow-private] [--json]
                                                      crawl from the seeds within scope and index what is found
  hrsearch search   [--data DIR] [--json] [--size N] [--exact] [--instrument X]… [--article A]… [--state S]… [--kind K]… QUERY
  hrsearch passages --catalog FILE --document ID      a document's passages as JSON lines, without an index
  hrsearch extract  --catalog FILE --document ID      instruments, articles, states, symbols of stdin's text
  hrsearch stats    [--data DIR] [--json]
  hrsearch eval     [--data DIR] --topics FILE --qrels FILE [--cases FILE] [--run OUT] [-v]
  hrsearch serve    [--data DIR] [--addr 127.0.0.1:8080] [--rate-limit N] [--max-upload BYTES] [--allow-private]
                                                      serve the UI, the API and the librarian pages (/librarian)
  hrsearch token    create --name NAME | list | revoke NAME  [--data DIR]
                                                      librarians' API tokens (only their SHA-256 is stored)
  hrsearch reindex  [--data DIR]                      rebuild the index from the store
  hrsearch mapping                                    print the index mapping as Bleve JSON
`

// errUsage marks a command-line mistake: usage is printed, exit status 2.
var errUsage = errors.New("usage")

type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

func commands() map[string]command {
	return map[string]command{
		"index":    runIndex,
		"crawl":    runCrawl,
		"search":   runSearch,
		"passages": runPassages,
		"extract":  runExtract,
		"stats":    runStats,
		"eval":     runEval,
		"serve":    runServe,
		"demo":     runDemo,
		"reindex":  runReindex,
		"mapping":  runMapping,
		"token":    runToken,
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	usePDFCache()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "hrsearch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hrsearch: unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

// newFlags returns a flag set that reports errors to stderr without exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hrsearch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses flags placed before or after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint([]string(*m)) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
