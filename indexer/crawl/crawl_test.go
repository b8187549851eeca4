package crawl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

func TestURLDocumentID(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"https://www.ohchr.org/en/documents/report.pdf", "ohchr.org-en-documents-report.pdf"},
		{"http://127.0.0.1:8080/docs/cat.md", "127.0.0.1-8080-docs-cat.md"},
		{"https://example.org/", "example.org"},
		{"https://example.org", "example.org"},
		{"https://Example.ORG:443/x?y=1&z=2", "example.org-x-y-1-z-2"},
		{"https://example.org/a/../b/./c.html#frag", "example.org-b-c.html"},
		{"https://example.org/..%2F..%2Fetc/passwd", "example.org-etc-passwd"},
		{"https://example.org/art%C3%ADculo", "example.org-art-culo"},
		{"https://example.org/a...b/.hidden", "example.org-a.b-hidden"},
		{"http://[::1]:8080/x", "1-8080-x"},
	} {
		got := urlDocumentID(mustURL(t, c.url))
		if got != c.want || !corpus.ValidID(got) {
			t.Errorf("urlDocumentID(%s) = %q (valid %v), want %q", c.url, got, corpus.ValidID(got), c.want)
		}
	}
	long1 := "https://example.org/" + strings.Repeat("very-long-segment/", 20) + "one"
	long2 := "https://example.org/" + strings.Repeat("very-long-segment/", 20) + "two"
	a, b := urlDocumentID(mustURL(t, long1)), urlDocumentID(mustURL(t, long2))
	if len(a) > maxCrawlIDLength || a == b || !corpus.ValidID(a) || !corpus.ValidID(b) {
		t.Errorf("long URLs: %q, %q", a, b)
	}
	for sym, want := range map[string]string{
		"CAT/C/34/D/233/2003":     "cat-c-34-d-233-2003",
		"A/RES/217(III)":          "a-res-217-iii",
		"CCPR/C/21/Rev.1/Add. 13": "ccpr-c-21-rev.1-add.13",
	} {
		if got := symbolDocumentID(sym); got != want || !corpus.ValidID(got) {
			t.Errorf("symbolDocumentID(%s) = %q, want %q", sym, got, want)
		}
	}
}

// testSite serves pages with ETag and Last-Modified (answering conditional
// requests with 304) and logs every request.
type testSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]testPage
	log   []siteRequest
}

type testPage struct {
	contentType string
	body        []byte
	handler     http.HandlerFunc // instead of body
}

type siteRequest struct {
	Path        string
	At          time.Time
	IfNoneMatch string
	IfModified  string
	Status      int
}

func newTestSite(t testing.TB, pages map[string]testPage) *testSite {
	s := &testSite{pages: pages}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
	r.ResponseWriter.WriteHeader(s)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	arrived := time.Now()
	defer func() {
		s.mu.Lock()
		s.log = append(s.log, siteRequest{Path: r.URL.RequestURI(), At: arrived, IfNoneMatch: r.Header.Get("If-None-Match"),
			IfModified: r.Header.Get("If-Modified-Since"), Status: rec.status})
		s.mu.Unlock()
	}()
	s.mu.Lock()
	p, ok := s.pages[r.URL.RequestURI()]
	s.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(rec, r)
	case p.handler != nil:
		p.handler(rec, r)
	default:
		sum := sha256.Sum256(p.body)
		rec.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
		if p.contentType != "" {
			rec.Header().Set("Content-Type", p.contentType)
		}
		http.ServeContent(rec, r, "", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), bytes.NewReader(p.body))
	}
}

func (s *testSite) set(path string, p testPage) {
	s.mu.Lock()
	s.pages[path] = p
	s.mu.Unlock()
}

func (s *testSite) requests() []siteRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func (s *testSite) resetLog() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

func openTestData(t testing.TB, dir string) *indexer.Data {
	t.Helper()
	d, err := indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func crawlOnce(t testing.TB, d *indexer.Data, fcfg fetch.FetchConfig, cfg CrawlConfig) *CrawlReport {
	t.Helper()
	f := fetch.NewFetcher(fcfg)
	defer f.Close()
	c := &Crawler{Fetcher: f, Store: d.Store, Index: d.Index}
	rep, err := c.Crawl(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// C11: a second crawl sends conditional requests; 304s re-index nothing.
func TestCrawlConditional(t *testing.T) {
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":      {contentType: "text/plain", body: []byte("User-agent: *\nAllow: /\n")},
		"/docs/index.html": {contentType: "text/html", body: []byte(`<h1>Index of documents</h1><p>See <a href="a.md">A</a> and <a href="b.txt">B</a>.</p>`)},
		"/docs/a.md":       {contentType: "text/markdown", body: []byte("# Document A\n\nFirst paragraph about detention.\n\nSecond paragraph about asylum.\n")},
		"/docs/b.txt":      {contentType: "text/plain", body: []byte("Document B\n\nA paragraph about refoulement.\n")},
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	cfg := CrawlConfig{Seeds: []string{site.URL + "/docs/index.html"}, MaxDepth: 2}
	rep1 := crawlOnce(t, d, testFetchConfig(), cfg)
	if rep1.Indexed != 3 || rep1.Failed != 0 || rep1.Unchanged != 0 {
		t.Fatalf("first crawl: %+v", rep1)
	}
	before, _ := d.Index.Documents()
	slices.Sort(before)
	states := map[string]indexer.DocState{}
	for _, id := range before {
		states[id], _ = d.Index.State(id)
	}

	site.resetLog()
	rep2 := crawlOnce(t, d, testFetchConfig(), cfg)
	conditional, notModified := 0, 0
	for _, r := range site.requests() {
		if r.Path == "/robots.txt" {
			continue
		}
		if r.IfNoneMatch != "" && r.IfModified != "" {
			conditional++
		}
		if r.Status == http.StatusNotModified {
			notModified++
		}
	}
	if rep2.Indexed != 0 || rep2.Unchanged != 3 || rep2.NotModified != 3 || rep2.Passages != 0 || conditional != 3 || notModified != 3 {
		t.Errorf("second crawl: %+v; %d conditional requests, %d answered 304", rep2, conditional, notModified)
	}
	after, _ := d.Index.Documents()
	slices.Sort(after)
	for _, id := range after {
		if st, _ := d.Index.State(id); !reflect.DeepEqual(st, states[id]) {
			t.Errorf("%s changed in the index", id)
		}
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("documents %v became %v", before, after)
	}

	second := len(site.requests())
	// A changed page is fetched (200) and re-indexed; the rest stay.
	site.set("/docs/a.md", testPage{contentType: "text/markdown", body: []byte("# Document A\n\nFirst paragraph, revised, about detention.\n")})
	rep3 := crawlOnce(t, d, testFetchConfig(), cfg)
	if rep3.Indexed != 1 || rep3.NotModified != 2 {
		t.Errorf("third crawl after a change: %+v", rep3)
	}
	t.Logf("RESULT C11 conditional GET: second crawl %d/%d page requests conditional, %d answered 304, %d re-indexed, %d passages written; a changed page → %d re-indexed",
		conditional, second-1, notModified, rep2.Indexed, rep2.Passages, rep3.Indexed)
}

// C12: malformed HTML neither crashes the crawl nor stops it.
func TestCrawlMalformedHTML(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "<p>deep text</p>"
	pages := map[string]testPage{
		"/robots.txt": {contentType: "text/plain", body: []byte("")},
		"/m/index.html": {contentType: "text/html", body: []byte(`<html><body><h1>Broken pages<p>unclosed
			<a href="unclosed.html">1</a><a href="deep.html">2</a><a href="tables.html">3</a><a href="binary.html">4</a>
			<a href="attr.html">5</a><a href="empty.html">6</a><a href="nul.html">7</a><a href=broken.html>8`)},
		"/m/unclosed.html": {contentType: "text/html", body: []byte("<html><body><h1>Title<h2>Article 1<p>text <b><i>nested</b></i><li>x<table><tr><td>cell")},
		"/m/deep.html":     {contentType: "text/html", body: []byte(deep)},
		"/m/tables.html":   {contentType: "text/html", body: []byte(strings.Repeat("<table><tr><td><table><caption><tr><td>", 2000) + "text")},
		"/m/binary.html":   {contentType: "text/html", body: []byte("\xff\xfe\x00<p>\x80\x81\x82 invalid \xc3\x28</p>")},
		"/m/attr.html":     {contentType: "text/html", body: []byte(`<p title="` + strings.Repeat("x", 1<<20) + `">big attribute</p><a href="` + strings.Repeat("y", 5000) + `">long link</a>`)},
		"/m/empty.html":    {contentType: "text/html", body: []byte("")},
		"/m/nul.html":      {contentType: "text/html", body: []byte("<p>a\x00b</p><script>document.write('<a href=/m/in-script>')</script>")},
		"/m/broken.html":   {contentType: "text/html", body: []byte("<<<>>><p>ok</p></</<!--")},
	}
	site := newTestSite(t, pages)
	d := openTestData(t, t.TempDir())
	defer d.Close()
	rep := crawlOnce(t, d, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/m/index.html"}, MaxDepth: 1})
	if rep.Requested != 9 || rep.Indexed+rep.Failed != 9 {
		t.Errorf("report %+v", rep)
	}
	for _, e := range rep.Errors {
		t.Logf("%s: %s", e.URL, e.Err)
	}
	for _, r := range site.requests() {
		if strings.Contains(r.Path, "in-script") {
			t.Error("a link inside a script was followed")
		}
	}
	docs, passages := d.Index.Documents()
	t.Logf("RESULT C12 malformed HTML: %d pages (unclosed tags, 100k nesting, nested tables, invalid bytes, 1 MiB attribute, empty, NUL, garbage) → %d indexed, %d failed, %d documents, %d passages, no panic in %s",
		rep.Requested, rep.Indexed, rep.Failed, len(docs), passages, rep.Elapsed.Round(time.Millisecond))
}

// Crawling follows links breadth-first within scope, to a depth, and
// counts what it leaves out.
func TestCrawlScopeDepthAndBudget(t *testing.T) {
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":    {contentType: "text/plain", body: []byte("User-agent: *\nDisallow: /d/secret\n")},
		"/d/start.html":  {contentType: "text/html", body: []byte(`<a href="l1.html">1</a><a href="/outside.html">o</a><a href="secret.html">s</a><a href="pic.png">p</a><a href="https://elsewhere.example/x">e</a>`)},
		"/d/l1.html":     {contentType: "text/html", body: []byte(`<p>level one</p><a href="l2.html">2</a><a href="start.html">back</a>`)},
		"/d/l2.html":     {contentType: "text/html", body: []byte(`<p>level two</p><a href="l3.html">3</a>`)},
		"/d/l3.html":     {contentType: "text/html", body: []byte(`<p>level three</p>`)},
		"/outside.html":  {contentType: "text/html", body: []byte(`<p>outside</p>`)},
		"/d/secret.html": {contentType: "text/html", body: []byte(`<p>secret</p>`)},
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	rep := crawlOnce(t, d, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/d/start.html"}, MaxDepth: 2})
	if rep.Indexed != 3 || rep.SkippedRobots != 1 || rep.OutOfScope != 2 || rep.Requested != 4 {
		t.Errorf("depth 2: %+v", rep)
	}
	for _, r := range site.requests() {
		switch r.Path {
		case "/outside.html", "/d/secret.html", "/d/l3.html", "/d/pic.png":
			t.Errorf("%s was requested", r.Path)
		}
	}
	d2 := openTestData(t, t.TempDir())
	defer d2.Close()
	rep = crawlOnce(t, d2, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/d/start.html"}, MaxDepth: 5, MaxPages: 2})
	if rep.Requested != 2 || rep.NotVisited == 0 {
		t.Errorf("max pages 2: %+v", rep)
	}
	// An explicit scope lets the crawl out of the seed's directory.
	d3 := openTestData(t, t.TempDir())
	defer d3.Close()
	rep = crawlOnce(t, d3, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/d/start.html"}, Scope: []string{site.URL + "/"}, MaxDepth: 1})
	if rep.Indexed != 3 { // start, l1, outside
		t.Errorf("scope /: %+v", rep)
	}
	if _, err := (&Crawler{Fetcher: fetch.NewFetcher(testFetchConfig()), Store: d3.Store, Index: d3.Index}).Crawl(context.Background(), CrawlConfig{Seeds: []string{"ftp://x/"}}); !errors.Is(err, corpus.ErrInvalid) {
		t.Errorf("bad seed: %v", err)
	}
}

// Catalog entries with a url and no file are fetched by the ingester's
// fetcher, conditionally on a re-import.
func TestIngestURLEntries(t *testing.T) {
	site := newTestSite(t, map[string]testPage{
		"/robots.txt": {contentType: "text/plain", body: []byte("User-agent: *\nDisallow: /private/\n")},
		"/gc.html":    {contentType: "text/html; charset=windows-1252", body: []byte("<h1>General comment</h1><p>1. Ning\xfan Estado.</p><p>2. Second paragraph.</p>")},
		"/notes.md":   {contentType: "text/markdown", body: []byte("# Notes\n\nA note about detention.\n")},
	})
	dir := t.TempDir()
	lines := []string{
		fmt.Sprintf(`{"id":"gc-x","kind":"general-comment","language":"es","url":%q}`, site.URL+"/gc.html"),
		fmt.Sprintf(`{"id":"notes","kind":"article","language":"en","url":%q}`, site.URL+"/notes.md"),
		fmt.Sprintf(`{"id":"missing","kind":"article","url":%q}`, site.URL+"/missing.html"),
		fmt.Sprintf(`{"id":"private","kind":"article","url":%q}`, site.URL+"/private/x.html"),
	}
	catPath := filepath.Join(dir, "catalog.jsonl")
	if err := os.WriteFile(catPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := openTestData(t, t.TempDir())
	defer d.Close()
	ingestOnce := func() *indexer.Report {
		cat, err := corpus.ReadCatalogFile(catPath)
		if err != nil {
			t.Fatal(err)
		}
		f := fetch.NewFetcher(testFetchConfig())
		defer f.Close()
		ing := &indexer.Ingester{Store: d.Store, Index: d.Index, Fetcher: f}
		rep, err := ing.IngestCatalog(context.Background(), cat)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := ingestOnce()
	if rep.Added != 2 || rep.Failed != 2 {
		t.Fatalf("first import: %+v", rep)
	}
	rec, err := d.Store.Get("gc-x")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Source != site.URL+"/gc.html" || rec.Status != 200 || rec.ETag == "" || rec.Entry.Format != corpus.FormatHTML ||
		!strings.HasPrefix(rec.Origin, "catalog:") || rec.ContentType != "text/html; charset=windows-1252" {
		t.Errorf("record %+v", rec)
	}
	if ids, err := d.Index.PassageIDs("gc-x"); err != nil || !reflect.DeepEqual(ids, []string{"gc-x#para-1", "gc-x#para-2"}) {
		t.Errorf("passages %v, %v", ids, err)
	}
	raw, _ := d.Store.Raw(rec)
	if !strings.Contains(string(raw), "Ning\xfan") {
		t.Errorf("stored bytes are not as sent: %q", raw)
	}
	mq := bleve.NewMatchQuery("ningún")
	mq.SetField(schema.FieldText)
	mq.Analyzer = schema.AnalyzerSpanish
	hits, err := d.Index.Bleve().Search(bleve.NewSearchRequest(mq))
	if err != nil || hits.Total == 0 {
		t.Errorf("decoded text not searchable: %v, %v", hits, err)
	}
	reasons := map[string]string{}
	for _, e := range rep.Errors {
		reasons[e.ID] = e.Err
	}
	if !strings.Contains(reasons["missing"], "404") || !strings.Contains(reasons["private"], "robots") {
		t.Errorf("errors %v", reasons)
	}
	site.resetLog()
	rep = ingestOnce()
	if rep.Unchanged != 2 || rep.Added+rep.Updated != 0 {
		t.Errorf("second import: %+v", rep)
	}
	n304 := 0
	for _, r := range site.requests() {
		if r.Status == http.StatusNotModified && r.IfNoneMatch != "" {
			n304++
		}
	}
	if n304 != 2 {
		t.Errorf("%d conditional 304s on re-import, want 2: %+v", n304, site.requests())
	}
	t.Logf("RESULT C11 catalog url entries: 2 fetched and indexed (404 and robots-disallowed reported); re-import: %d answered 304, %d unchanged", n304, rep.Unchanged)
}

// A page that answers 410 Gone loses its crawled document at once; one that
// answers 404 loses it when it was missing on the previous crawl too. A
// catalog document fetched from such a URL stays; a page that comes back
// is indexed again as new.
func TestCrawlRemovesVanished(t *testing.T) {
	page := func(ct, body string) testPage { return testPage{contentType: ct, body: []byte(body)} }
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":      page("text/plain", "User-agent: *\nAllow: /\n"),
		"/docs/index.html": page("text/html", `<h1>Index</h1><a href="a.md">A</a> <a href="b.txt">B</a> <a href="c.txt">C</a>`),
		"/docs/a.md":       page("text/markdown", "# Document A\n\nA paragraph about zqxgone detention.\n"),
		"/docs/b.txt":      page("text/plain", "Document B\n\nA paragraph about zqxmissing asylum.\n"),
		"/docs/c.txt":      page("text/plain", "Document C\n\nA paragraph about zqxcatalog refoulement.\n"),
	})
	dataDir := t.TempDir()
	d := openTestData(t, dataDir)
	defer d.Close()
	catPath := filepath.Join(t.TempDir(), "catalog.jsonl")
	line := fmt.Sprintf(`{"id":"cat-c","kind":"article","language":"en","url":%q}`+"\n", site.URL+"/docs/c.txt")
	if err := os.WriteFile(catPath, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := corpus.ReadCatalogFile(catPath)
	if err != nil {
		t.Fatal(err)
	}
	f := fetch.NewFetcher(testFetchConfig())
	ing := &indexer.Ingester{Store: d.Store, Index: d.Index, Fetcher: f}
	if rep, err := ing.IngestCatalog(context.Background(), cat); err != nil || rep.Added != 1 {
		t.Fatalf("catalog import: %+v, %v", rep, err)
	}
	f.Close()

	cfg := CrawlConfig{Seeds: []string{site.URL + "/docs/index.html"}, MaxDepth: 1}
	rep := crawlOnce(t, d, testFetchConfig(), cfg)
	if rep.Indexed != 4 || rep.Failed != 0 {
		t.Fatalf("first crawl: %+v", rep)
	}
	idOf := map[string]string{}
	for _, id := range rep.Documents {
		rec, err := d.Store.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		idOf[strings.TrimPrefix(rec.Source, site.URL)] = id
	}
	searchable := func(id string) bool {
		_, indexed := d.Index.State(id)
		_, err := d.Store.Get(id)
		return indexed || err == nil
	}

	site.set("/docs/a.md", testPage{handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) }})
	site.set("/docs/c.txt", testPage{handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) }})
	site.mu.Lock()
	delete(site.pages, "/docs/b.txt") // 404
	site.mu.Unlock()
	rep = crawlOnce(t, d, testFetchConfig(), cfg)
	if rep.Removed != 2 || !reflect.DeepEqual(rep.RemovedDocuments, []string{idOf["/docs/a.md"], idOf["/docs/c.txt"]}) || rep.Failed != 1 {
		t.Errorf("crawl after a 410 and a 404: removed %d %v, failed %d; want a.md's and c.txt's crawled documents removed, b.txt failed once: %+v",
			rep.Removed, rep.RemovedDocuments, rep.Failed, rep)
	}
	if searchable(idOf["/docs/a.md"]) || searchable(idOf["/docs/c.txt"]) {
		t.Error("documents of 410 pages are still stored or indexed")
	}
	if !searchable(idOf["/docs/b.txt"]) {
		t.Error("a page missing once (404) lost its document")
	}
	if !searchable("cat-c") {
		t.Error("the catalog document fetched from a 410 URL was removed")
	}

	// Fresh crawlers read the record of misses from the data directory.
	rep = crawlOnce(t, d, testFetchConfig(), cfg)
	if rep.Removed != 1 || !reflect.DeepEqual(rep.RemovedDocuments, []string{idOf["/docs/b.txt"]}) || searchable(idOf["/docs/b.txt"]) {
		t.Errorf("crawl after a second 404: removed %d %v: %+v", rep.Removed, rep.RemovedDocuments, rep)
	}
	if !searchable("cat-c") {
		t.Error("the catalog document was removed")
	}

	// A page that comes back is new again.
	site.set("/docs/a.md", page("text/markdown", "# Document A\n\nA paragraph about zqxgone detention.\n"))
	rep = crawlOnce(t, d, testFetchConfig(), cfg)
	if rep.Indexed != 1 || rep.Removed != 0 || !searchable(idOf["/docs/a.md"]) {
		t.Errorf("crawl after a.md came back: %+v", rep)
	}
	t.Logf("RESULT crawl removals: 410 → removed at once, 404 → removed on the second miss, catalog document kept, returning page indexed as new")
}

// Within one crawl, a page with the bytes of a document the crawl already
// stored (/ and /index.html) is a duplicate, not a second document, and its
// links are followed; a page naming another URL in scope as canonical is a
// duplicate of that URL, which is fetched instead. A re-crawl keeps the
// same documents.
func TestCrawlDuplicateContent(t *testing.T) {
	page := func(ct, body string) testPage { return testPage{contentType: ct, body: []byte(body)} }
	home := `<h1>Documents</h1><a href="index.html">home</a> <a href="a.md">A</a> <a href="b.html?ref=home">B</a> <a href="c.html">C</a>`
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":      page("text/plain", "User-agent: *\nAllow: /\n"),
		"/docs/":           page("text/html", home),
		"/docs/index.html": page("text/html", home),
		"/docs/a.md":       page("text/markdown", "# Document A\n\nA paragraph about detention.\n"),
		// A tracking copy naming the plain URL as canonical, with a link of its own.
		"/docs/b.html?ref=home": page("text/html", `<link rel="canonical" href="/docs/b.html"><h1>B</h1><p>Report B, seen from home.</p><a href="d.md">D</a>`),
		"/docs/b.html":          page("text/html", `<link rel="canonical" href="/docs/b.html"><h1>B</h1><p>Report B.</p>`),
		"/docs/d.md":            page("text/markdown", "# Document D\n\nA paragraph about asylum.\n"),
		// A canonical out of scope is not followed.
		"/docs/c.html": page("text/html", `<link rel="canonical" href="http://elsewhere.example/c.html"><h1>C</h1><p>Report C.</p>`),
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	cfg := CrawlConfig{Seeds: []string{site.URL + "/docs/"}, MaxDepth: 2}
	rep := crawlOnce(t, d, testFetchConfig(), cfg)
	sources := func() []string {
		var out []string
		for _, id := range rep.Documents {
			rec, err := d.Store.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.TrimPrefix(rec.Source, site.URL))
		}
		slices.Sort(out)
		return out
	}
	want := []string{"/docs/", "/docs/a.md", "/docs/b.html", "/docs/c.html", "/docs/d.md"}
	if got := sources(); !reflect.DeepEqual(got, want) || rep.Indexed != 5 || rep.Duplicates != 2 {
		t.Errorf("first crawl stored %v (want %v), %d indexed, %d duplicates (want 5, 2): %+v", got, want, rep.Indexed, rep.Duplicates, rep)
	}
	if ids, _ := d.Index.Documents(); len(ids) != 5 {
		t.Errorf("index holds %d documents, want 5: %v", len(ids), ids)
	}
	rep = crawlOnce(t, d, testFetchConfig(), cfg)
	if got := sources(); !reflect.DeepEqual(got, want) || rep.Indexed != 0 || rep.Unchanged != 5 || rep.Duplicates != 2 {
		t.Errorf("second crawl: %v, %+v", got, rep)
	}
	if ids, _ := d.Index.Documents(); len(ids) != 5 {
		t.Errorf("index holds %d documents after a re-crawl, want 5: %v", len(ids), ids)
	}
}

// Two pages that name each other as canonical do not both go.
func TestCrawlCanonicalCycle(t *testing.T) {
	page := func(body string) testPage { return testPage{contentType: "text/html", body: []byte(body)} }
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":  {contentType: "text/plain", body: []byte("User-agent: *\nAllow: /\n")},
		"/docs/p.html": page(`<link rel="canonical" href="q.html"><h1>P</h1><p>Report P.</p>`),
		"/docs/q.html": page(`<link rel="canonical" href="p.html"><h1>Q</h1><p>Report Q.</p>`),
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	rep := crawlOnce(t, d, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/docs/p.html"}, MaxDepth: 0})
	if rep.Indexed != 1 || rep.Duplicates != 1 {
		t.Errorf("pages naming each other canonical: %+v", rep)
	}
}

func testFetchConfig() fetch.FetchConfig {
	return fetch.FetchConfig{
		AllowPrivate:  true,
		HostDelay:     time.Millisecond,
		BackoffBase:   5 * time.Millisecond,
		MaxBackoff:    50 * time.Millisecond,
		HeaderTimeout: 5 * time.Second,
		Timeout:       10 * time.Second,
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// FuzzDocumentIDs: whatever a page says, the ids the crawler derives from
// its links and its symbol are valid document ids.
func FuzzDocumentIDs(f *testing.F) {
	f.Add([]byte(`<base href="//x"><a href="../a">x</a><a href="http://[::1]:80/">y</a>`))
	f.Add([]byte(`<title>CAT/C/47/D/312/2007</title><a href="` + strings.Repeat("a", 3000) + `">`))
	base, _ := url.Parse("http://example.org/dir/page.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		page := reader.ParsePage(body, base, "hrsearch")
		if blocks, err := reader.Read(context.Background(), corpus.FormatHTML, body); err == nil {
			e, _ := reader.Describe(reader.Source{URL: base.String(), Format: corpus.FormatHTML}, &page, blocks)
			if e.Symbol != "" && !corpus.ValidID(symbolDocumentID(e.Symbol)) {
				t.Fatalf("symbol %q gives invalid id %q", e.Symbol, symbolDocumentID(e.Symbol))
			}
		}
		for _, l := range page.Links {
			u, err := url.Parse(l)
			if err != nil {
				t.Fatal(err)
			}
			if id := urlDocumentID(u); !corpus.ValidID(id) {
				t.Fatalf("link %q gives invalid id %q", l, id)
			}
		}
	})
}
