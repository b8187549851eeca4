package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
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
	if _, err := os.Stat(filepath.Join(*data, "index", "index_meta.json")); err != nil {
		if _, err := os.Stat(*catalog); err != nil {
			return fmt.Errorf("the demo catalog is not at %s (the shared corpus lives in ../shared beside the repository; pass --catalog)", *catalog)
		}
		fmt.Fprintf(stderr, "building the demo index from %s into %s …\n", *catalog, *data)
		rep, cat, err := indexCatalog(ctx, *catalog, *data, stderr)
		if err != nil {
			return err
		}
		if err := printReport(stderr, stderr, cat, rep, false); err != nil {
			return err
		}
	}
	return serve(ctx, appConfig{data: *data, rate: *rate, maxUpload: web.DefaultMaxUpload, cache: search.DefaultWindowCache,
		maxPassages: defaultMaxPassages}, *addr, stderr)
}

func serve(ctx context.Context, cfg appConfig, addr string, stderr io.Writer) error {
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	log.Info("starting", "data", cfg.data, "addr", addr, "rate_limit", cfg.rate, "max_upload", cfg.maxUpload, "cache", cfg.cache,
		"fetch_allow_private", cfg.fetch.AllowPrivate, "cors_origins", cfg.cors, "public_url", cfg.publicURL)
	cfg.fetch.Log = log
	a, err := openApp(cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stderr, "hrsearch is serving on http://%s/\n", addr)
	return web.ListenAndServe(ctx, addr, a.handler, log)
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
			// The server opens the index before it listens, and a rebuild
			// (hrsearch reindex) runs with the server stopped: an open
			// index is ready.
			return web.Health{Documents: len(ids), Passages: passages, Generation: gen, Ready: true}, nil
		},
		Provisions: func(article string) (string, string, bool) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			p, err := lib.searcher.Provision(ctx, article)
			if err != nil {
				return "", "", false
			}
			return p.Document, p.Unit, true
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
