package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/store"
	"github.com/hrsearch/hrsearch/search"
	"github.com/hrsearch/hrsearch/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `ADDRESS`")
	rate := fs.Float64("rate-limit", 20, "API requests per second per client (0: off)")
	maxUpload := fs.Int64("max-upload", web.DefaultMaxUpload, "largest document librarians may upload, in `BYTES`")
	trashDays := fs.Int("trash-days", library.DefaultTrashDays, "days the trash keeps a deleted document before it is purged")
	cache := fs.Int("cache", search.DefaultWindowCache, "ranked result windows kept for repeated searches and paging, until the index changes (0: off)")
	publicURL := fs.String("public-url", "", "the `URL` readers reach this server at, behind a proxy (https://search.example.org): absolute links use it, and the session cookie is Secure when it is https")
	var cors originList
	fs.Var(&cors, "cors-origin", "an `ORIGIN` (https://app.example.org, or * for any) whose browser applications may read the public API; repeatable")
	maxPassages := maxPassagesFlag(fs)
	var ff fetchFlags
	ff.register(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := ff.check("serve", stderr); err != nil {
		return err
	}
	if *maxUpload <= 0 {
		fmt.Fprintln(stderr, "hrsearch serve: --max-upload must be positive")
		return errUsage
	}
	if *trashDays < 1 {
		fmt.Fprintln(stderr, "hrsearch serve: --trash-days must be at least 1")
		return errUsage
	}
	if *cache < 0 {
		fmt.Fprintln(stderr, "hrsearch serve: --cache must not be negative")
		return errUsage
	}
	if *maxPassages <= 0 {
		fmt.Fprintln(stderr, "hrsearch serve: --max-passages must be positive")
		return errUsage
	}
	if *publicURL != "" {
		p, err := web.CheckPublicURL(*publicURL)
		if err != nil {
			fmt.Fprintf(stderr, "hrsearch serve: --public-url %q: %v\n", *publicURL, err)
			return errUsage
		}
		*publicURL = p
	}
	if err := needLibrary(*data); err != nil {
		return err
	}
	return serve(ctx, appConfig{data: *data, rate: *rate, maxUpload: *maxUpload, fetch: ff.config(nil), cache: *cache, cors: cors, maxPassages: *maxPassages, trashDays: *trashDays,
		publicURL: *publicURL}, *addr, stderr)
}

// originList is a repeatable flag of CORS origins.
type originList []string

func (o *originList) String() string { return strings.Join(*o, ",") }

func (o *originList) Set(v string) error {
	v = strings.TrimRight(strings.TrimSpace(v), "/")
	if u, err := url.Parse(v); v != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "") {
		return fmt.Errorf("%q is not an origin: give scheme and host, as https://app.example.org, or *", v)
	}
	*o = append(*o, v)
	return nil
}

// runDemo builds the demo index if it is missing, then serves it.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `ADDRESS`")
	catalog := fs.String("catalog", "", "catalog `FILE` (default: ../shared/corpus/catalog.jsonl)")
	rate := fs.Float64("rate-limit", 20, "API requests per second per client (0: off)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *catalog == "" {
		*catalog = filepath.Join("..", "shared", "corpus", "catalog.jsonl")
	}
	if _, err := statData(*data); err != nil { // a missing one is built
		return err
	}
	cfg := appConfig{data: *data, rate: *rate, maxUpload: web.DefaultMaxUpload, cache: search.DefaultWindowCache,
		maxPassages: defaultMaxPassages}
	if _, err := os.Stat(filepath.Join(*data, "index", "index_meta.json")); err == nil {
		return serve(ctx, cfg, *addr, stderr)
	}
	if _, err := os.Stat(*catalog); err != nil {
		return fmt.Errorf("the demo catalog is not at %s (the shared corpus lives in ../shared beside the repository; pass --catalog)", *catalog)
	}
	// The server listens while the index is built: /readyz says it is
	// not ready until it can search.
	return serveAfter(ctx, cfg, *addr, stderr, func(ctx context.Context, reason func(string)) error {
		reason("building the demo index from " + *catalog)
		fmt.Fprintf(stderr, "building the demo index from %s into %s …\n", *catalog, *data)
		rep, cat, err := indexCatalog(ctx, *catalog, *data, stderr)
		if err != nil {
			return err
		}
		return printReport(stderr, stderr, cat, rep, false)
	})
}

func serve(ctx context.Context, cfg appConfig, addr string, stderr io.Writer) error {
	return serveAfter(ctx, cfg, addr, stderr, nil)
}

// serveAfter serves the library of cfg on addr: it listens at once and
// is ready (/readyz) once before (if any) has run and the index is open,
// which rebuilds it from the store when it is missing, outdated or
// damaged, and brings it up to date with the store.
func serveAfter(ctx context.Context, cfg appConfig, addr string, stderr io.Writer, before func(ctx context.Context, reason func(string)) error) error {
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	log.Info("starting", "data", cfg.data, "addr", addr, "rate_limit", cfg.rate, "max_upload", cfg.maxUpload, "cache", cfg.cache,
		"fetch_allow_private", cfg.fetch.AllowPrivate, "cors_origins", cfg.cors, "public_url", cfg.publicURL)
	cfg.fetch.Log = log
	var a *app
	defer func() {
		if a != nil {
			a.Close()
		}
	}()
	return web.ListenAndServeWhenReady(ctx, addr, log, func(ctx context.Context, reason func(string)) (http.Handler, error) {
		if before != nil {
			if err := before(ctx, reason); err != nil {
				return nil, err
			}
		}
		reason("opening the index (rebuilt from the store when it is missing, outdated or damaged)")
		var err error
		if a, err = openApp(cfg, log); err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "hrsearch is serving on http://%s/\n", addr)
		return a.handler, nil
	})
}

// webConfig is the server's configuration over an opened library; openApp
// adds the librarians' side.
func webConfig(lib *dataDir, data string, rate float64, log *slog.Logger) web.Config {
	return web.Config{
		Sessions:  stateFile(filepath.Join(data, "sessions.json")),
		Searcher:  lib.searcher,
		Documents: storeDocuments{lib},
		Logger:    log,
		RateLimit: rate,
		Metrics:   true,
		IndexSize: func() int64 { return dirSize(filepath.Join(data, "index")) },
		Health: func(ctx context.Context) (web.Health, error) {
			ids, passages := lib.index.Documents()
			gen, _ := lib.searcher.Generation()
			// Until the index is open (built, rebuilt or brought up to
			// date) the server answers as not ready (serveAfter); hrsearch
			// reindex runs with the server stopped: an open index is ready.
			return web.Health{Documents: len(ids), Passages: passages, Generation: gen, Ready: true}, nil
		},
		Provisions: func(article string) (string, string, bool) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			return provisionAnchor(ctx, lib.searcher.Provision, article)
		},
		Names: displayName,
	}
}

// storeDocuments gives the web layer documents' metadata and provenance.
type storeDocuments struct{ lib *dataDir }

func (d storeDocuments) Document(ctx context.Context, id string) (*web.DocInfo, error) {
	if !corpus.ValidID(id) {
		return nil, fmt.Errorf("document %q: %w", id, corpus.ErrNotFound)
	}
	rec, err := d.lib.store.Get(id)
	if err != nil {
		return nil, err
	}
	e := rec.Effective()
	e.Title = corpus.DisplayTitle(&e)
	return &web.DocInfo{Entry: e, Source: rec.Source, FinalURL: rec.FinalURL,
		ContentType: rec.ContentType, SHA256: rec.SHA256, FetchedAt: rec.FetchedAt, Status: rec.Status}, nil
}

// displayName is a facet value's full name: a state's or an instrument's.
func displayName(field, code string) string {
	switch field {
	case search.FilterState:
		if s, ok := corpus.LookupState(code); ok {
			return s.Name("en")
		}
	case search.FilterInstrument:
		if in, ok := corpus.LookupInstrument(code); ok {
			return in.Title("en")
		}
	case search.FilterArticle:
		return code
	}
	return code
}

// stateFile is a small file of the data directory that the server keeps
// (web.Persister): written atomically and durably, owner-only.
type stateFile string

func (f stateFile) Load() ([]byte, error) {
	b, err := os.ReadFile(string(f))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func (f stateFile) Save(b []byte) error { return store.WriteFileAtomic(string(f), b) }

// provisionAnchor finds where an article value ("CAT 3", "ACHR 22(8)")
// is in the document view: its provision's passage, or, for a value naming
// a paragraph that is no passage of its own, the anchor of that paragraph
// in its article ("art-22-8"), or the article where it has none.
func provisionAnchor(ctx context.Context, find func(context.Context, string) (*search.Passage, error), article string) (doc, unit string, ok bool) {
	p, err := find(ctx, article)
	if err == nil {
		return p.Document, p.Unit, true
	}
	base, para, ok := provisionParagraph(article)
	if !ok {
		return "", "", false
	}
	if p, err = find(ctx, base); err != nil {
		return "", "", false
	}
	if a, ok := corpus.ParagraphAnchor(p.Unit, p.Text, para); ok {
		return p.Document, a, true
	}
	return p.Document, p.Unit, true
}

// provisionParagraphRe reads an article value naming a paragraph: "ACHR
// 22(8)", "IACPPT 13(4)".
var provisionParagraphRe = regexp.MustCompile(`^(.+?\s\d+[a-z]*)\s*\((\d{1,2})\)$`)

// provisionParagraph splits an article value naming a paragraph into the
// article's value and the paragraph's number.
func provisionParagraph(article string) (base, para string, ok bool) {
	m := provisionParagraphRe.FindStringSubmatch(strings.TrimSpace(article))
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
