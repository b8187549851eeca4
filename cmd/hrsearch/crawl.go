package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/indexer/crawl"
	"github.com/hrsearch/hrsearch/indexer/fetch"
)

// fetchFlags are the fetcher's settings shared by crawl and index.
type fetchFlags struct {
	delay        time.Duration
	contact      string
	allowPrivate bool
	timeout      time.Duration
	maxBody      int64
}

func (ff *fetchFlags) register(fs interface {
	DurationVar(*time.Duration, string, time.Duration, string)
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	Int64Var(*int64, string, int64, string)
}) {
	fs.DurationVar(&ff.delay, "delay", time.Second, "least time between two requests to one host (0: none; a larger robots.txt Crawl-delay wins)")
	fs.StringVar(&ff.contact, "contact", "", "contact `URL` sent in the User-Agent: hrsearch/1.0 (+URL)")
	fs.BoolVar(&ff.allowPrivate, "allow-private", false, "allow loopback, private and link-local addresses")
	fs.DurationVar(&ff.timeout, "timeout", 2*time.Minute, "time limit of one request, body included")
	fs.Int64Var(&ff.maxBody, "max-body", 50<<20, "largest document in `BYTES`, after decompression")
}

// check reports a flag no fetcher can take, as a usage error.
func (ff *fetchFlags) check(name string, stderr io.Writer) error {
	if ff.delay < 0 {
		fmt.Fprintf(stderr, "hrsearch %s: --delay must not be negative (0: none)\n", name)
		return errUsage
	}
	return nil
}

func (ff *fetchFlags) config(log *slog.Logger) fetch.FetchConfig {
	delay := ff.delay
	if delay == 0 { // --delay 0s: none, where the fetcher takes 0 for its default
		delay = fetch.NoHostDelay
	}
	return fetch.FetchConfig{
		Contact:      ff.contact,
		HostDelay:    delay,
		Timeout:      ff.timeout,
		MaxBody:      ff.maxBody,
		AllowPrivate: ff.allowPrivate,
		Log:          log,
	}
}

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("crawl", stderr)
	var seeds, scopes multiFlag
	fs.Var(&seeds, "seed", "`URL` to start from (repeatable)")
	fs.Var(&scopes, "scope", "URL `PREFIX` links must start with to be followed (repeatable; default: each seed's directory)")
	depth := fs.Int("depth", 2, "how many links away from a seed to go")
	maxPages := fs.Int("max-pages", 1000, "most URLs to request")
	workers := fs.Int("workers", 4, "parallel requests (still one at a time per host)")
	data := fs.String("data", defaultData, "data `DIR`")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	maxPassages := maxPassagesFlag(fs)
	var ff fetchFlags
	ff.register(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := ff.check("crawl", stderr); err != nil {
		return err
	}
	if len(seeds) == 0 {
		fmt.Fprintln(stderr, "hrsearch crawl: --seed is required")
		return errUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fcfg := ff.config(log)
	fetcher := fetch.NewFetcher(fcfg)
	defer fetcher.Close()
	slog.New(slog.NewTextHandler(stderr, nil)).Info("crawl", "seeds", []string(seeds), "scope", []string(scopes),
		"depth", *depth, "max_pages", *maxPages, "data", *data, "delay", ff.delay, "user_agent", fetcher.UserAgent(),
		"allow_private", ff.allowPrivate, "max_body", ff.maxBody, "timeout", ff.timeout)

	lib, err := openLibrary(*data, log)
	if err != nil {
		return err
	}
	defer lib.Close()
	c := &crawl.Crawler{Fetcher: fetcher, Store: lib.store, Index: lib.index, Log: log, StateDir: *data, MaxPassages: *maxPassages}
	terminal := isTerminal(stderr)
	if terminal {
		start := time.Now()
		var last time.Time
		c.Progress = func(p crawl.CrawlProgress) {
			if time.Since(last) < 100*time.Millisecond {
				return
			}
			last = time.Now()
			fmt.Fprintf(stderr, "\r\033[Kcrawling depth %d: %d done, %d queued, %d indexed, %d unchanged, %d failed %s %.60s",
				p.Depth, p.Done, p.Queued, p.Indexed, p.Unchanged, p.Failed, time.Since(start).Round(time.Second), p.URL)
		}
	}
	rep, err := c.Crawl(ctx, crawl.CrawlConfig{
		Seeds: seeds, Scope: scopes, MaxDepth: *depth, MaxPages: *maxPages, Workers: *workers,
	})
	if terminal {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if rep != nil {
		if perr := printCrawlReport(stdout, stderr, rep, *asJSON); perr != nil && err == nil {
			err = perr
		}
	}
	return err
}

func printCrawlReport(stdout, stderr io.Writer, rep *crawl.CrawlReport, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "crawled %d URLs in %s: %d fetched (%d indexed, %d unchanged of which %d not modified), %d skipped by robots.txt, %d out of scope, %d duplicates, %d noindex, %d failed, %d removed, %d not visited; %d passages written\n",
		rep.Requested, rep.Elapsed.Round(time.Millisecond), rep.Fetched, rep.Indexed, rep.Unchanged, rep.NotModified,
		rep.SkippedRobots, rep.OutOfScope, rep.Duplicates, rep.NoIndex, rep.Failed, rep.Removed, rep.NotVisited, rep.Passages)
	if len(rep.RemovedDocuments) > 0 {
		fmt.Fprintf(stdout, "removed (page gone): %s\n", strings.Join(rep.RemovedDocuments, " "))
	}
	if rep.DeletedByLibrarian > 0 {
		fmt.Fprintf(stdout, "%d deleted by a librarian (kept out; restore them from the trash)\n", rep.DeletedByLibrarian)
	}
	for _, n := range rep.NearDuplicates {
		fmt.Fprintf(stdout, "near-duplicate: %s (%s) is like %s, similarity %.2f\n", n.ID, n.URL, n.Of, n.Similarity)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "%s: %s: %s\n", e.Reason, e.URL, e.Err)
	}
	return nil
}
