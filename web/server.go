// Package web serves hrsearch's HTML user interface and its JSON API.
//
// NewServer returns an http.Handler with every route, the security headers,
// request limits, rate limiting, access logging and metrics; ListenAndServe
// runs it behind an http.Server with all its timeouts.
package web

import (
	"context"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// Searcher is what the server needs from the search engine.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Results, error)
	// Document returns a document's passages in order (corpus.ErrNotFound if none).
	Passages(ctx context.Context, documentID string) ([]search.Passage, error)
	Passage(ctx context.Context, id string) (*search.Passage, error)
	// CitedBy lists passages whose article facet includes article ("CAT 3"), excluding the provision itself, grouped by
	// document, in order (search.CitedByDate or search.CitedByRelevance); limit bounds the passages read (0: all).
	CitedBy(ctx context.Context, article string, limit int, order string) (*search.CitedBy, error)
}

// Documents is what the server needs from the document store.
type Documents interface {
	// Document returns catalog metadata and provenance (corpus.ErrNotFound if unknown).
	Document(ctx context.Context, id string) (*DocInfo, error)
}

// DocInfo is a document's catalog entry with the provenance of its raw bytes.
type DocInfo struct {
	Entry       corpus.Entry
	Source      string // where the bytes came from: a URL or a file path
	FinalURL    string // the URL after redirects, for crawled documents
	ContentType string
	SHA256      string
	FetchedAt   time.Time
	Status      int // HTTP status of the fetch; 0 for files
}

// Config configures NewServer. Searcher is required.
type Config struct {
	Searcher  Searcher
	Documents Documents
	Logger    *slog.Logger
	// RateLimit is the requests per second each client (by remote IP) may
	// make to /api/; 0 turns rate limiting off.
	RateLimit float64
	// Metrics serves Prometheus metrics at /metrics.
	Metrics bool
	// IndexSize reports the size of the index for the metrics (optional).
	IndexSize func() int64
	// Provisions maps an article value ("CAT 3") to the passage that is that
	// provision (document "cat", unit "art-3"), if the corpus holds it, or
	// a value naming a paragraph ("ACHR 22(8)") to that paragraph's anchor
	// in its article (unit "art-22-8") (optional: without it, article links
	// go to a search).
	Provisions func(article string) (docID, unit string, ok bool)
	// Names gives the display name of a facet value: a state's or an
	// instrument's full name for its code (optional: the code itself).
	Names func(field, code string) string

	// Library, if set, serves the librarians' write API and pages
	// (librarian.go); Tokens is then required.
	Library Library
	Tokens  Tokens
	// Fetcher fetches documents librarians give by URL (optional: without
	// it, adding by URL answers 501).
	Fetcher Fetcher
	// MaxUpload bounds an uploaded file in bytes (0: DefaultMaxUpload).
	MaxUpload int64
	// Sessions, if set, keeps librarians' sessions across restarts (the
	// SHA-256 of each session id, never the id); else they live in memory.
	Sessions Persister

	// CORSOrigins are the origins whose browser applications may read the
	// public API ("*": any); none by default (cors.go).
	CORSOrigins []string
	// PublicURL is the address the public reaches this server at, behind
	// a proxy ("https://hrsearch.example.org", no trailing slash; see
	// CheckPublicURL): absolute links (citations' permalinks, feeds,
	// OpenSearch, exports) are made from it instead of the request's Host,
	// and the session cookie is Secure when it is https. Empty: the
	// request's own address.
	PublicURL string
	// Health reports the index's counts, generation and readiness for
	// /healthz, /readyz and the metrics (optional).
	Health func(ctx context.Context) (Health, error)
}

// Persister keeps one small file's bytes: Load returns what Save stored
// last (nil and no error when nothing was), Save replaces it atomically
// and durably.
type Persister interface {
	Load() ([]byte, error)
	Save(b []byte) error
}

// server holds what the handlers share. It is immutable after NewServer.
type server struct {
	search    Searcher
	docs      Documents
	log       *slog.Logger
	pages     map[string]*template.Template
	static    map[string]staticFile
	openapi   []byte
	provision func(article string) (docID, unit string, ok bool)
	names     func(field, code string) string
	metrics   *metrics
	registry  *prometheus.Registry
	lib       *librarian // nil without a Library

	bootID      string                // this process, in ETags
	generation  func() (uint64, bool) // the index generation, if the Searcher says
	corsOrigins []string              // origins allowed to read the API
	publicURL   string                // Config.PublicURL, without a trailing slash
	healthFn    func(context.Context) (Health, error)
	exports     chan struct{} // exports streaming at once (export.go)
}

// NewServer builds the handler for the UI and the API. Templates and static
// files are parsed and loaded once, here.
func NewServer(cfg Config) (http.Handler, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return s.handler(cfg), nil
}

// newServer is the server's state: templates, assets, the librarians'.
func newServer(cfg Config) (*server, error) {
	if cfg.Searcher == nil {
		return nil, errors.New("web: Config.Searcher is required")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{
		search:    cfg.Searcher,
		docs:      cfg.Documents,
		log:       log,
		provision: cfg.Provisions,
		names:     cfg.Names,

		bootID:      newBootID(),
		corsOrigins: cfg.CORSOrigins,
		publicURL:   strings.TrimRight(cfg.PublicURL, "/"),
		healthFn:    cfg.Health,
		exports:     make(chan struct{}, maxExports),
	}
	if g, ok := cfg.Searcher.(generationer); ok {
		s.generation = g.Generation
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.openapi, err = fs.ReadFile(assets, "static/openapi.json"); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if cfg.Library != nil {
		if s.lib, err = newLibrarian(cfg); err != nil {
			return nil, err
		}
		if err := s.parseLibrarianTemplates(); err != nil {
			return nil, err
		}
	}
	if cfg.Metrics {
		s.registry = prometheus.NewRegistry()
		s.metrics = newMetrics(s.registry, cfg.IndexSize, s.health)
	}
	return s, nil
}

// handler is the server's routes behind its middleware.
func (s *server) handler(cfg Config) http.Handler {
	r := mux.NewRouter()
	r.UseEncodedPath() // ids are unescaped and validated by the handlers
	r.NotFoundHandler = s.adapt(kindAuto, func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound("No page here.")
	})
	r.MethodNotAllowedHandler = s.adapt(kindAuto, func(w http.ResponseWriter, req *http.Request) error {
		allowed := allowedMethods(r, req)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return &httpError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
			msg: "This address only answers " + joinAnd(allowed) + "."}
	})
	r.Use(routeRecorder)
	s.registerPageRoutes(r)
	s.registerAPIRoutes(r)
	s.registerOpsRoutes(r)
	s.registerLibrarianRoutes(r)

	var h http.Handler = s.httpCache(r)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(s.adapt(kindAuto, func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{status: http.StatusForbidden, code: "forbidden", msg: "Cross-origin requests are not allowed."}
	}))
	h = cop.Handler(h)
	if cfg.RateLimit > 0 {
		h = s.rateLimit(newLimiter(cfg.RateLimit), h)
	}
	h = s.cors(h)
	h = s.limitBodies(h) // limitRequest, with room for uploads
	h = compress(h)
	h = s.accessLog(h)
	h = s.recoverPanics(h)
	h = securityHeaders(h)
	h = s.withPublicURL(h)
	return h
}

// methodOrder is the order in which Allow lists methods.
var methodOrder = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// allowedMethods lists the methods of the routes whose path matches req's,
// whatever its method: what a 405 answer's Allow header says.
func allowedMethods(router *mux.Router, req *http.Request) []string {
	var allowed []string
	_ = router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		methods, err := route.GetMethods()
		if err != nil || len(methods) == 0 {
			return nil
		}
		probe := req.WithContext(req.Context()) // a shallow copy
		probe.Method = methods[0]
		if route.Match(probe, &mux.RouteMatch{}) {
			for _, m := range methods {
				if !slices.Contains(allowed, m) {
					allowed = append(allowed, m)
				}
			}
		}
		return nil
	})
	if len(allowed) == 0 { // not reached: the router found a route for the path
		return []string{http.MethodGet, http.MethodHead}
	}
	slices.SortStableFunc(allowed, func(a, b string) int { return methodRank(a) - methodRank(b) })
	return allowed
}

func methodRank(m string) int {
	if i := slices.Index(methodOrder, m); i >= 0 {
		return i
	}
	return len(methodOrder)
}

// joinAnd joins words as a sentence does: "GET, HEAD and PUT".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func get(r *mux.Router, path string, h http.Handler) {
	r.Handle(path, h).Methods(http.MethodGet, http.MethodHead)
}

func (s *server) registerPageRoutes(r *mux.Router) {
	get(r, "/", s.adapt(kindHTML, s.handleSearchPage))
	get(r, "/search", s.adapt(kindHTML, s.handleSearchPage))
	get(r, "/doc/{id}", s.adapt(kindHTML, s.handleDocPage))
	get(r, "/documents", s.adapt(kindHTML, s.handleDocumentsPage))
	get(r, "/facets/{field}", s.adapt(kindHTML, s.handleFacetsPage))
	get(r, "/help", s.adapt(kindHTML, s.handleHelpPage))
	get(r, "/feed.atom", s.adapt(kindHTML, s.handleFeed))
	get(r, "/opensearch.xml", s.adapt(kindHTML, s.handleOpenSearch))
	get(r, "/static/{file}", s.adapt(kindHTML, s.handleStatic))
	get(r, "/favicon.ico", s.adapt(kindHTML, s.handleFavicon))
}

func (s *server) registerAPIRoutes(r *mux.Router) {
	get(r, "/api/search", s.adapt(kindJSON, s.handleAPISearch))
	get(r, "/api/documents", s.adapt(kindJSON, s.handleAPIDocuments))
	get(r, "/api/documents/{id}", s.adapt(kindJSON, s.handleAPIDocument))
	get(r, "/api/passages/{id}", s.adapt(kindJSON, s.handleAPIPassage))
	get(r, "/api/facets/{field}", s.adapt(kindJSON, s.handleAPIFacets))
	get(r, "/api/openapi.json", s.adapt(kindJSON, s.handleOpenAPI))
	get(r, "/api/export", s.adapt(kindJSON, s.handleAPIExport))
	get(r, "/api/cite/{id}", s.adapt(kindJSON, s.handleAPICite))
}

func (s *server) registerOpsRoutes(r *mux.Router) {
	get(r, "/healthz", s.adapt(kindJSON, s.handleHealthz))
	get(r, "/readyz", s.adapt(kindJSON, s.handleReadyz))
	if s.registry != nil {
		get(r, "/metrics", s.metricsHandler())
	}
}
