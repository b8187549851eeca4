package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// OriginCrawl is the origin of crawled documents in the store and index.
const OriginCrawl = "crawl"

// AuditWho names the crawler in the audit log and on tombstones.
const AuditWho = "crawl"

// CrawlConfig says what to crawl.
type CrawlConfig struct {
	// Seeds are the URLs the crawl starts from.
	Seeds []string
	// Scope are URL prefixes a link must start with (after normalisation)
	// to be followed; by default each seed's scheme, host and path up to
	// its last "/" (http://h/docs/index.html → http://h/docs/).
	Scope []string
	// MaxDepth is how many links away from a seed the crawl goes (0: the
	// seeds only).
	MaxDepth int
	// MaxPages bounds the URLs requested (0: 1000).
	MaxPages int
	// Workers fetch in parallel (0: 4). Requests to one host are still one
	// at a time: more workers help crawls of several hosts.
	Workers int
}

// Crawler fetches pages breadth-first from seeds within a scope and puts
// every document it finds into the store and the index, as IngestCatalog
// does for a catalog's files. Fetching (Fetcher), reading (Read, metadata)
// and indexing (Index.Apply through one batch writer) are separate steps;
// one goroutine writes the index.
type Crawler struct {
	Fetcher indexer.URLFetcher
	Store   *store.Store
	Index   *indexer.Index
	Log     *slog.Logger
	// Agent is the product token for <meta name="…"> robots directives
	// (default "hrsearch").
	Agent string
	// Progress, if set, is called after each URL.
	Progress func(CrawlProgress)
	// StateDir holds the crawler's own files: crawl-missing.json, the
	// crawled pages that answered 404 when last requested (a second 404
	// removes the document). Default: the directory holding the store's
	// directory (the data directory).
	StateDir string
	// MaxPassages, if positive, refuses a page of more passages.
	MaxPassages int
}

// missingFile is the crawler's record of pages found missing, in StateDir.
const missingFile = "crawl-missing.json"

// crawlMiss is a crawled page that answered 404 (once): the document it
// had, and when.
type crawlMiss struct {
	ID    string    `json:"id"`
	Since time.Time `json:"since"`
}

// CrawlProgress is the state of a running crawl.
type CrawlProgress struct {
	Done, Queued               int // URLs finished, URLs waiting
	Depth                      int
	Indexed, Unchanged, Failed int
	URL                        string // the URL just finished
}

// CrawlError is one URL that gave no document.
type CrawlError struct {
	URL    string `json:"url"`
	Reason string `json:"reason"` // robots, off-scope, blocked-address, too-large, timeout, redirect, http-404, unsupported, unreadable, network, …
	Err    string `json:"error"`
}

// CrawlReport says what a crawl did. Every requested URL ends in exactly
// one of Indexed, Unchanged, SkippedRobots, Redirected off scope
// (counted in OutOfScope), Duplicates, NoIndex or Failed.
type CrawlReport struct {
	Seeds     int `json:"seeds"`
	Requested int `json:"requested"` // URLs the crawl asked for
	// Fetched are the documents received (200) or confirmed (304).
	Fetched int `json:"fetched"`
	// Indexed are new or changed documents written to the store and index.
	Indexed int `json:"indexed"`
	// Unchanged were answered 304 (NotModified of them) or came back with
	// the bytes and metadata already indexed.
	Unchanged   int `json:"unchanged"`
	NotModified int `json:"not_modified"`
	// SkippedRobots were never requested: robots.txt forbids them.
	SkippedRobots int `json:"skipped_robots"`
	// OutOfScope are links not followed (distinct URLs) and redirects
	// refused for leaving the scope.
	OutOfScope int `json:"out_of_scope"`
	// Duplicates are new URLs that redirected to a URL this crawl had
	// already fetched, came with the bytes (SHA-256) of a document this
	// crawl already had, or named another URL in scope as canonical (that
	// URL is fetched instead). They are not stored; their links are
	// followed.
	Duplicates int `json:"duplicates"`
	// NoIndex pages asked not to be indexed (their links are followed).
	NoIndex int `json:"noindex"`
	Failed  int `json:"failed"`
	// Removed are documents this crawler had stored whose URL now answers
	// 410 Gone, or 404 on this crawl and the one before (RemovedDocuments
	// lists their ids, sorted).
	Removed          int      `json:"removed"`
	RemovedDocuments []string `json:"removed_documents,omitempty"`
	// DeletedByLibrarian are pages whose document a librarian deleted
	// (its tombstone stands, the document may be in the trash): not
	// stored again, as a catalog import does not bring it back; their
	// links are followed. Restoring the document, or adding its id again,
	// clears the tombstone.
	DeletedByLibrarian int `json:"deleted_by_librarian"`
	// NearDuplicates are the documents this crawl indexed whose text is
	// like a document the library holds (or this crawl indexed before):
	// a republication, reworded or paginated differently. Both are kept;
	// the figure is their estimated similarity (0–1).
	NearDuplicates []NearDuplicate `json:"near_duplicates,omitempty"`
	// NotVisited are links left when MaxPages was reached.
	NotVisited int           `json:"not_visited"`
	Passages   int           `json:"passages_written"`
	Documents  []string      `json:"documents,omitempty"` // ids indexed or unchanged, sorted
	Errors     []CrawlError  `json:"errors,omitempty"`
	Elapsed    time.Duration `json:"elapsed_ns"`
}

// NearDuplicate is a crawled document whose text is like another's.
type NearDuplicate struct {
	ID         string  `json:"id"`
	URL        string  `json:"url"`
	Of         string  `json:"of"` // the document it is like (the most similar)
	Similarity float64 `json:"similarity"`
}

// outcome of one URL.
type outcome int

const (
	outIndexed outcome = iota
	outUnchanged
	outRobots
	outOffScope
	outDuplicate
	outNoIndex
	outFailed
	outRemoved
	outTrashed
)

type crawlJob struct {
	url   string
	depth int
}

type crawlResult struct {
	job         crawlJob
	out         outcome
	notModified bool
	id          string
	update      *indexer.Update
	links       []string
	canonical   string        // a canonical URL to fetch instead of this one
	near        *library.Near // the stored document most like this one
	err         error
}

// crawl is the state of one Crawl call.
type crawl struct {
	*Crawler
	maxDepth, workers int
	scope             []string

	mu    sync.Mutex
	known map[string]string // URL → id of documents an earlier crawl stored
	// librarians' are the URLs of documents a librarian added (or
	// replaced) by URL: the crawl never overwrites or removes them.
	librarians map[string]string
	audit      *library.AuditLog
	claimed    map[string]string // id → URL, this crawl
	finals     map[string]string // final URL → URL that reached it, this crawl
	content    map[string]string // SHA-256 of a document's bytes → its URL, this crawl
	// missing are crawled pages that answered 404 on the last request
	// (URL → miss), read from and written back to StateDir.
	missing      map[string]crawlMiss
	missingDirty bool
	// sigs are the text signatures of the stored documents, for
	// near-duplicates (those this crawl indexes are added).
	sigs *library.Signatures
}

// Crawl runs a crawl to its end (or ctx's). Errors of single URLs are
// reported, never fatal; only a bad configuration or a failing index
// write stops the crawl. What was written stays written.
func (c *Crawler) Crawl(ctx context.Context, cfg CrawlConfig) (*CrawlReport, error) {
	start := time.Now()
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Agent == "" {
		c.Agent = "hrsearch"
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 1000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	rep := &CrawlReport{}
	seen := make(map[string]bool)
	seeds, err := normalizedSeeds(cfg.Seeds, seen)
	if err != nil {
		return rep, err
	}
	rep.Seeds = len(seeds)
	// Documents an import brought have no signature yet: made once, from
	// the index, so that a republication of one of them is recognised.
	if n, err := library.SignStored(ctx, c.Store, c.Index); err != nil {
		c.Log.Warn("crawl: signing the library's documents for near-duplicates", "err", err)
	} else if n > 0 {
		c.Log.Info("crawl: signed the library's documents for near-duplicates", "documents", n)
	}
	cr, err := c.newCrawl(cfg, seeds)
	if err != nil {
		return rep, err
	}
	defer cr.audit.Close()

	w := c.Index.NewBatchWriter()
	docs := make(map[string]bool)
	level := seeds
	budget := cfg.MaxPages
	done := 0
	for depth := 0; len(level) > 0; depth++ {
		if budget <= 0 {
			rep.NotVisited += len(level)
			break
		}
		if len(level) > budget {
			rep.NotVisited += len(level) - budget
			level = level[:budget]
		}
		budget -= len(level)
		results, err := cr.runLevel(ctx, level, depth, w, rep, docs, &done)
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return c.finish(rep, docs, start), err
		}
		level = cr.nextLevel(results, depth, seen, rep)
	}
	return c.finish(rep, docs, start), nil
}

// normalizedSeeds parses and normalises the seeds, without duplicates,
// marking them seen.
func normalizedSeeds(raw []string, seen map[string]bool) ([]string, error) {
	var seeds []string
	for _, s := range raw {
		u, err := fetch.ParseURL(s)
		if err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		k := reader.NormalizeURL(u).String()
		if !seen[k] {
			seen[k] = true
			seeds = append(seeds, k)
		}
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("%w: no seed to crawl", corpus.ErrInvalid)
	}
	return seeds, nil
}

// newCrawl starts a crawl's state: its scope, what earlier crawls stored
// and found missing, and the audit log its removals go to.
func (c *Crawler) newCrawl(cfg CrawlConfig, seeds []string) (*crawl, error) {
	scope, err := crawlScope(cfg.Scope, seeds)
	if err != nil {
		return nil, err
	}
	cr := &crawl{Crawler: c, maxDepth: cfg.MaxDepth, workers: cfg.Workers, scope: scope, claimed: make(map[string]string),
		finals: make(map[string]string), content: make(map[string]string)}
	if cr.known, cr.librarians, err = c.crawledURLs(); err != nil {
		return nil, err
	}
	if cr.audit, err = library.OpenAuditLog(c.stateDir()); err != nil {
		return nil, err
	}
	cr.missing, cr.missingDirty = c.readMissing(cr.known)
	cr.sigs = library.LoadSignatures(c.Store)
	return cr, nil
}

// runLevel fetches the URLs of one depth with the crawl's workers,
// accounts for each result as it comes, and writes the documents found;
// the level is durable when it returns. The results are in level order (nil
// for URLs not fetched when ctx ended).
func (cr *crawl) runLevel(ctx context.Context, level []string, depth int, w *indexer.BatchWriter, rep *CrawlReport,
	docs map[string]bool, done *int) ([]*crawlResult, error) {
	results := make([]*crawlResult, len(level))
	jobs := make(chan int)
	out := make(chan int)
	var wg sync.WaitGroup
	for range min(cr.workers, len(level)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = cr.one(ctx, crawlJob{url: level[i], depth: depth})
				out <- i
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range level {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()

	var writeErr error
	levelDone := 0
	for i := range out {
		levelDone++
		r := results[i]
		*done++
		rep.Requested++
		cr.account(rep, r, docs)
		if r.update != nil && writeErr == nil {
			if r.update.Doc != nil {
				rep.Passages += len(r.update.Doc.Passages)
			}
			writeErr = w.Add(*r.update)
		}
		if cr.Progress != nil {
			cr.Progress(CrawlProgress{Done: *done, Queued: len(level) - levelDone, Depth: depth,
				Indexed: rep.Indexed, Unchanged: rep.Unchanged, Failed: rep.Failed, URL: r.job.url})
		}
	}
	// Each level is durable before the next starts; after a failure,
	// Flush waits for the batches in flight.
	if err := w.Flush(); writeErr == nil {
		writeErr = err
	}
	if err := cr.writeMissing(); writeErr == nil {
		writeErr = err
	}
	return results, writeErr
}

// nextLevel returns the next depth's URLs: the links of this one's pages,
// in page order, new and in scope (a canonical URL stands for a page of
// this depth).
func (cr *crawl) nextLevel(results []*crawlResult, depth int, seen map[string]bool, rep *CrawlReport) []string {
	var next []string
	for _, r := range results {
		if r == nil {
			continue
		}
		var links []string
		if depth < cr.maxDepth {
			links = r.links
		}
		if r.canonical != "" {
			links = append([]string{r.canonical}, links...)
		}
		for _, l := range links {
			if seen[l] {
				continue
			}
			seen[l] = true
			u, err := url.Parse(l)
			if err != nil || !worthFetching(u) {
				continue
			}
			if !cr.inScope(u) {
				rep.OutOfScope++
				continue
			}
			next = append(next, l)
		}
	}
	return next
}

func (c *Crawler) finish(rep *CrawlReport, docs map[string]bool, start time.Time) *CrawlReport {
	for id := range docs {
		rep.Documents = append(rep.Documents, id)
	}
	sort.Strings(rep.Documents)
	sort.Strings(rep.RemovedDocuments)
	sort.Slice(rep.NearDuplicates, func(i, j int) bool { return rep.NearDuplicates[i].ID < rep.NearDuplicates[j].ID })
	sort.Slice(rep.Errors, func(i, j int) bool { return rep.Errors[i].URL < rep.Errors[j].URL })
	rep.Elapsed = time.Since(start)
	return rep
}

// account adds one URL's outcome to the report.
func (cr *crawl) account(rep *CrawlReport, r *crawlResult, docs map[string]bool) {
	switch r.out {
	case outIndexed:
		rep.Fetched++
		rep.Indexed++
		docs[r.id] = true
		if r.near != nil {
			rep.NearDuplicates = append(rep.NearDuplicates, NearDuplicate{ID: r.id, URL: r.job.url, Of: r.near.ID,
				Similarity: float64(int(r.near.Similarity*100+0.5)) / 100})
			cr.Log.Info("crawl: near-duplicate", "url", r.job.url, "id", r.id, "of", r.near.ID, "similarity", r.near.Similarity)
		}
	case outTrashed:
		rep.Fetched++
		rep.DeletedByLibrarian++
	case outUnchanged:
		rep.Fetched++
		rep.Unchanged++
		if r.notModified {
			rep.NotModified++
		}
		docs[r.id] = true
	case outRobots:
		rep.SkippedRobots++
	case outOffScope:
		rep.OutOfScope++
	case outDuplicate:
		rep.Fetched++
		rep.Duplicates++
	case outNoIndex:
		rep.Fetched++
		rep.NoIndex++
	case outFailed:
		rep.Failed++
	case outRemoved:
		rep.Removed++
		rep.RemovedDocuments = append(rep.RemovedDocuments, r.id)
		cr.Log.Info("crawl: document removed", "url", r.job.url, "id", r.id)
	}
	if r.err != nil {
		msg := errorText(r.job.url, r.err)
		rep.Errors = append(rep.Errors, CrawlError{URL: r.job.url, Reason: fetch.ErrorReason(r.err), Err: msg})
		cr.Log.Info("crawl: no document", "url", r.job.url, "reason", fetch.ErrorReason(r.err), "err", msg)
	}
}

// errorText is err's message without the URL it starts with when that is
// the one reported beside it (fetch errors name their URL).
func errorText(u string, err error) string {
	return strings.TrimPrefix(err.Error(), u+": ")
}

// crawlScope normalises the scope prefixes, or derives them from the seeds.
func crawlScope(prefixes, seeds []string) ([]string, error) {
	var out []string
	for _, p := range prefixes {
		u, err := fetch.ParseURL(p)
		if err != nil {
			return nil, fmt.Errorf("scope: %w", err)
		}
		out = append(out, reader.NormalizeURL(u).String())
	}
	if len(out) > 0 {
		return out, nil
	}
	for _, s := range seeds {
		u, _ := url.Parse(s)
		d := *u
		d.RawQuery = ""
		d.Path = d.Path[:strings.LastIndexByte(d.Path, '/')+1]
		d.RawPath = ""
		out = append(out, d.String())
	}
	return out, nil
}

func (cr *crawl) inScope(u *url.URL) bool {
	s := reader.NormalizeURL(u).String()
	for _, p := range cr.scope {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// crawledURLs maps the URLs of stored crawled documents to their ids, so
// that a re-crawl finds a page's earlier copy (and validators) and keeps
// its id; and the URLs of documents a librarian added or replaced, which
// are not the crawl's even when their bytes came from a URL.
func (c *Crawler) crawledURLs() (crawled, librarians map[string]string, err error) {
	ids, err := c.Store.IDs()
	if err != nil {
		return nil, nil, err
	}
	crawled, librarians = make(map[string]string), make(map[string]string)
	for _, id := range ids {
		rec, err := c.Store.Get(id)
		switch {
		case err != nil:
		case crawledRecord(rec):
			crawled[rec.Source] = id
		case rec.Replaced != nil:
			librarians[rec.Source] = id
		}
	}
	return crawled, librarians, nil
}

// crawledRecord reports whether the crawl stored rec and owns it: not a
// librarian's document (a data directory of an earlier version stored a
// librarian's URL with the crawl's origin; its Replaced says whose it is).
func crawledRecord(rec *store.Record) bool {
	return rec.Origin == OriginCrawl && rec.Replaced == nil
}

// one fetches, reads and stores one URL; the index write is left to the
// caller (result.update).
func (cr *crawl) one(ctx context.Context, job crawlJob) *crawlResult {
	r := &crawlResult{job: job}
	var old *store.Record
	cr.mu.Lock()
	oldID, ok := cr.known[job.url]
	cr.mu.Unlock()
	if ok {
		old, _ = cr.Store.Get(oldID)
	}
	opt := fetch.FetchOptions{InScope: cr.inScope}
	if old != nil {
		opt.ETag, opt.Modified = old.ETag, old.Modified
	}
	f, err := cr.Fetcher.Fetch(ctx, job.url, opt)
	if err != nil {
		if gone, rerr := cr.vanished(job.url, old, err); rerr != nil {
			return r.fail(rerr)
		} else if gone {
			r.out, r.id = outRemoved, old.Entry.ID
			r.update = &indexer.Update{ID: old.Entry.ID, Remove: true}
			return r
		}
		return r.fail(err)
	}
	cr.found(job.url)
	pageURL, err := url.Parse(f.FinalURL)
	if err != nil {
		return r.fail(fmt.Errorf("%w: final url %q", corpus.ErrInvalid, f.FinalURL))
	}
	if f.NotModified {
		return cr.notModified(r, old, pageURL)
	}
	page := cr.readLinks(r, f, pageURL)
	if cr.skip(r, f, page, old, pageURL) {
		return r
	}
	return cr.store(ctx, r, f, page, old)
}

// fail records err as the result's: a failure, or a URL robots.txt or the
// scope kept the crawl from.
func (r *crawlResult) fail(err error) *crawlResult {
	r.out, r.err = outFailed, err
	switch {
	case errors.Is(err, fetch.ErrDisallowed):
		r.out, r.err = outRobots, nil
	case errors.Is(err, fetch.ErrOffScope):
		r.out = outOffScope
	}
	return r
}

// notModified is the result of a 304: the stored copy stays, and its links
// still lead on.
func (cr *crawl) notModified(r *crawlResult, old *store.Record, pageURL *url.URL) *crawlResult {
	if old == nil {
		return r.fail(fmt.Errorf("%s: 304 Not Modified to an unconditional request", r.job.url))
	}
	r.out, r.notModified, r.id = outUnchanged, true, old.Entry.ID
	cr.claimContent(old.SHA256, r.job.url, false)
	if raw, err := cr.Store.Raw(old); err == nil {
		if base, err := url.Parse(old.FinalURL); err == nil && old.FinalURL != "" {
			pageURL = base
		}
		r.links, _ = reader.PageLinks(old.Entry.Format, raw, pageURL, cr.Agent)
	}
	return r
}

// readLinks sets the result's links (none when the page or the response
// says nofollow) and f.NoIndex from the page; it returns an HTML page's
// metadata, or nil.
func (cr *crawl) readLinks(r *crawlResult, f *fetch.Fetched, pageURL *url.URL) *reader.Page {
	var page *reader.Page
	noFollow := f.NoFollow
	switch f.Format {
	case corpus.FormatHTML:
		p := reader.ParsePage(f.Body, pageURL, cr.Agent)
		page = &p
		r.links = p.Links
		noFollow = noFollow || p.NoFollow
		f.NoIndex = f.NoIndex || p.NoIndex
	case corpus.FormatMarkdown:
		r.links = reader.MarkdownLinks(f.Body, pageURL)
	}
	if noFollow {
		r.links = nil
	}
	return page
}

// skip reports whether the fetched page is not to be stored, with the
// result's outcome set: it asks not to be indexed, a librarian holds its
// document, or it duplicates another page of this crawl (the same final
// URL, the same bytes, or a canonical URL in scope).
func (cr *crawl) skip(r *crawlResult, f *fetch.Fetched, page *reader.Page, old *store.Record, pageURL *url.URL) bool {
	cr.mu.Lock()
	first, dup := cr.finals[f.FinalURL]
	if !dup {
		cr.finals[f.FinalURL] = r.job.url
	}
	_, librarians := cr.librarians[r.job.url]
	cr.mu.Unlock()
	switch {
	case dup && first != r.job.url:
		r.out, r.links = outDuplicate, nil // the first URL follows them
	case f.NoIndex:
		r.out = outNoIndex
	case librarians:
		// A librarian added this URL's document: it stays as the
		// librarian left it, and its links still lead on.
		r.out = outDuplicate
	case page != nil && page.Canonical != "" && old == nil && cr.canonicalElsewhere(r.job.url, page.Canonical, pageURL):
		// A URL that has a document of its own keeps it.
		r.out, r.canonical = outDuplicate, page.Canonical
	case !cr.claimContent(store.SHA256(f.Raw), r.job.url, old == nil):
		r.out = outDuplicate
	default:
		return false
	}
	return true
}

// canonicalElsewhere reports whether a page names another URL in scope as
// its canonical one, which can stand for it.
func (cr *crawl) canonicalElsewhere(rawURL, canonical string, pageURL *url.URL) bool {
	cu, err := url.Parse(canonical)
	return err == nil && cr.inScope(cu) && canonical != rawURL && canonical != reader.NormalizeURL(pageURL).String() &&
		cr.canonicalHolds(canonical)
}

// store describes, derives and stores a fetched page (the store written
// and fsynced before the index), leaving the index write in r.update; a
// page whose passages the index holds already is unchanged.
func (cr *crawl) store(ctx context.Context, r *crawlResult, f *fetch.Fetched, page *reader.Page, old *store.Record) *crawlResult {
	blocks, err := reader.Read(ctx, f.Format, f.Body)
	if err != nil {
		return r.fail(fmt.Errorf("%s: reading %s: %w", r.job.url, f.Format, err))
	}
	entry, symbolInTitle := reader.Describe(reader.Source{URL: f.URL, Format: f.Format, ContentLanguage: f.ContentLanguage}, page, blocks)
	entry.URL = r.job.url
	entry.ID = cr.assignID(r.job.url, &entry, symbolInTitle, old)
	rec := &store.Record{Entry: entry, Provenance: f.Provenance()}
	rec.Origin = OriginCrawl
	if old != nil {
		rec.Overrides = old.Overrides
	}
	rec.SHA256 = store.SHA256(f.Raw)
	r.id = entry.ID
	// A document a librarian deleted stays deleted (in the trash, until
	// restored or purged): the crawl stores nothing over it.
	if ts, err := cr.Store.Tombstone(entry.ID); err != nil {
		return r.fail(err)
	} else if ts != nil && ts.By != AuditWho {
		r.out = outTrashed
		return r
	}
	key := indexer.Key(rec)
	if st, ok := cr.Index.State(entry.ID); ok && st.Key == key {
		changed, err := cr.Store.Put(rec, f.Raw) // repairs a store that lost it
		if err == nil && !changed && old != nil && (old.ETag != rec.ETag || old.Modified != rec.Modified) {
			err = cr.Store.PutRecord(rec) // fresh validators for the next conditional request
		}
		if err != nil {
			return r.fail(err)
		}
		r.out = outUnchanged
		return r
	}
	doc, err := reader.Derive(ctx, rec, f.Raw, cr.MaxPassages)
	if err != nil {
		return r.fail(fmt.Errorf("%s: %w", r.job.url, err))
	}
	// A page that comes back after the crawl removed it is new again.
	if ts, _ := cr.Store.Tombstone(entry.ID); ts != nil && ts.By == AuditWho {
		if err := cr.Store.ClearTombstone(entry.ID); err != nil {
			return r.fail(err)
		}
	}
	if _, err := cr.Store.Put(rec, f.Raw); err != nil {
		return r.fail(err)
	}
	cr.mu.Lock()
	cr.known[r.job.url] = entry.ID
	cr.mu.Unlock()
	if near, ok := cr.sigs.Add(cr.Store, entry.ID, doc); ok {
		r.near = &near
	}
	r.out = outIndexed
	r.update = &indexer.Update{Doc: doc, Key: key, Origin: OriginCrawl}
	return r
}

// canonicalHolds reports whether a canonical URL can stand for a page: it
// is yet to be fetched, or has a document. (Two pages naming each other
// keep the second one fetched.)
func (cr *crawl) canonicalHolds(canonical string) bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	_, fetched := cr.finals[canonical]
	_, stored := cr.known[canonical]
	return !fetched || stored
}

// claimContent records that this crawl has a document with the digest sha
// at rawURL. It reports false, recording nothing, when another URL has it
// and dup allows this one to be a duplicate.
func (cr *crawl) claimContent(sha, rawURL string, dup bool) bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if other, ok := cr.content[sha]; ok && other != rawURL {
		return !dup
	}
	cr.content[sha] = rawURL
	return true
}

// vanished removes from the store the document this crawler stored from
// rawURL (old) when the fetch error says the page is gone: 410, or 404 when
// it was missing on the previous request too (a first 404 is recorded).
// The caller removes it from the index. Catalog documents and uploads are
// never touched: old is the crawl's own record of this URL.
func (cr *crawl) vanished(rawURL string, old *store.Record, err error) (bool, error) {
	var he *fetch.HTTPError
	if old == nil || !crawledRecord(old) || old.Source != rawURL || !errors.As(err, &he) {
		return false, nil
	}
	id := old.Entry.ID
	cr.mu.Lock()
	defer cr.mu.Unlock()
	switch he.Status {
	case http.StatusGone:
	case http.StatusNotFound:
		if m, ok := cr.missing[rawURL]; !ok || m.ID != id {
			cr.missing[rawURL] = crawlMiss{ID: id, Since: time.Now().UTC()}
			cr.missingDirty = true
			return false, nil
		}
	default:
		return false, nil
	}
	// As a librarian's delete: the tombstone first (a catalog import does
	// not bring the document back), then the store (should the index write
	// not happen, the index is brought in line with the store when the data
	// directory is opened), and an audit entry.
	now := time.Now().UTC()
	if err := cr.Store.PutTombstone(store.Tombstone{ID: id, By: AuditWho, At: now}); err != nil {
		return false, fmt.Errorf("removing %s: %w", id, err)
	}
	if err := cr.Store.Remove(id); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("removing %s: %w", id, err)
	}
	ev := library.AuditEvent{Time: now, Who: AuditWho, Action: library.ActionDelete, ID: id, Before: library.StateOf(old)}
	if err := cr.audit.Append(ev); err != nil {
		return false, fmt.Errorf("removing %s: %w", id, err)
	}
	delete(cr.known, rawURL)
	if _, ok := cr.missing[rawURL]; ok {
		delete(cr.missing, rawURL)
		cr.missingDirty = true
	}
	return true, nil
}

// found forgets an earlier 404 of a URL that answered again.
func (cr *crawl) found(rawURL string) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if _, ok := cr.missing[rawURL]; ok {
		delete(cr.missing, rawURL)
		cr.missingDirty = true
	}
}

func (c *Crawler) missingPath() string { return filepath.Join(c.stateDir(), missingFile) }

// stateDir is StateDir, by default the data directory.
func (c *Crawler) stateDir() string {
	if c.StateDir != "" {
		return c.StateDir
	}
	return filepath.Dir(c.Store.Dir())
}

// readMissing reads the record of missing pages, keeping the entries whose
// document is still the crawl's of that URL (pruned: some were dropped). A file that does not read is
// logged and taken as empty: the worst outcome is one more crawl before a
// 404 page's document goes.
func (c *Crawler) readMissing(known map[string]string) (m map[string]crawlMiss, pruned bool) {
	m = make(map[string]crawlMiss)
	b, err := os.ReadFile(c.missingPath())
	if errors.Is(err, fs.ErrNotExist) {
		return m, false
	}
	var file struct {
		Missing map[string]crawlMiss `json:"missing"`
	}
	if err == nil {
		err = json.Unmarshal(b, &file)
	}
	if err != nil {
		c.Log.Warn("crawl: record of missing pages unreadable; starting afresh", "file", c.missingPath(), "err", err)
		return m, true
	}
	for u, miss := range file.Missing {
		if known[u] == miss.ID {
			m[u] = miss
		}
	}
	return m, len(m) != len(file.Missing)
}

// writeMissing writes the record of missing pages, atomically, if it
// changed.
func (cr *crawl) writeMissing() error {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if !cr.missingDirty {
		return nil
	}
	b, err := json.MarshalIndent(struct {
		Missing map[string]crawlMiss `json:"missing"`
	}{cr.missing}, "", "  ")
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(cr.missingPath(), append(b, '\n')); err != nil {
		return fmt.Errorf("recording missing pages: %w", err)
	}
	cr.missingDirty = false
	return nil
}

// assignID picks a new document's id: the one an earlier crawl gave the
// URL; else the UN symbol of its title, where no other document holds that
// id; else one derived from the URL (with a hash of the URL where that is
// taken by another URL's document).
func (cr *crawl) assignID(rawURL string, e *corpus.Entry, symbolInTitle bool, old *store.Record) string {
	if old != nil {
		return old.Entry.ID
	}
	u, _ := url.Parse(rawURL)
	var cands []string
	if symbolInTitle && e.Symbol != "" {
		cands = append(cands, symbolDocumentID(e.Symbol))
	}
	byURL := urlDocumentID(u)
	cands = append(cands, byURL)
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, id := range cands {
		if !corpus.ValidID(id) {
			continue
		}
		if other, ok := cr.claimed[id]; ok && other != rawURL {
			continue
		}
		if rec, err := cr.Store.Get(id); err == nil && rec.Source != rawURL {
			continue
		}
		if _, ok := cr.Index.State(id); ok {
			if rec, err := cr.Store.Get(id); err != nil || rec.Source != rawURL {
				continue // indexed from elsewhere
			}
		}
		cr.claimed[id] = rawURL
		return id
	}
	id := strings.TrimRight(byURL[:min(len(byURL), maxCrawlIDLength-9)], "-.") + "-" + shortHash(rawURL)
	cr.claimed[id] = rawURL
	return id
}
