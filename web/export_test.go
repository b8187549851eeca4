package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

// realLibrary is a small on-disk index searched by the real Searcher, for
// what the fake cannot do: cursors, exports, citations of real hits.
type realLibrary struct {
	ix   *indexer.Index
	s    *search.Searcher
	mu   sync.Mutex
	docs map[string]*DocInfo
	n    int
}

func (l *realLibrary) Document(ctx context.Context, id string) (*DocInfo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d, ok := l.docs[id]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("document %q: %w", id, corpus.ErrNotFound)
}

// add indexes a document of paras paragraphs that mention word.
func (l *realLibrary) add(t testing.TB, e corpus.Entry, paras int, word string, fetched time.Time) {
	t.Helper()
	d := &corpus.Document{Entry: e, Entered: fetched}
	for i := range paras {
		unit := fmt.Sprintf("para-%d", i+1)
		d.Passages = append(d.Passages, corpus.Passage{ID: e.ID + "#" + unit, Document: e.ID, Unit: unit, Order: i, Language: "en",
			Text: fmt.Sprintf("%d. Fixture paragraph %d of %s, written for these tests: the %s was weighed with care.", i+1, i+1, e.ID, word)})
	}
	l.n++
	if err := l.ix.Apply([]indexer.Update{{Doc: d, Key: fmt.Sprintf("k%d", l.n)}}); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	l.docs[e.ID] = &DocInfo{Entry: e, FetchedAt: fetched}
	l.mu.Unlock()
}

// newRealLibrary indexes a decision of 150 paragraphs, a second of 90, a
// treaty article, a report and a blog article.
func newRealLibrary(t testing.TB) *realLibrary {
	t.Helper()
	ix, err := indexer.OpenIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	l := &realLibrary{ix: ix, docs: map[string]*DocInfo{}}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l.add(t, corpus.Entry{ID: "cat-c-38-d-300-2006", Kind: "decision", Title: "A.B. v. Testland", Body: "CAT", Symbol: "CAT/C/38/D/300/2006",
		Date: "2007-05-01", Language: "en", URL: "https://example.org/cat-300"}, 150, "polygraph", at)
	l.add(t, corpus.Entry{ID: "cat-c-50-d-400-2010", Kind: "decision", Title: "C.D. v. Otherland", Body: "CAT", Symbol: "CAT/C/50/D/400/2010",
		Date: "2013-11-20", Language: "en"}, 90, "polygraph", at.Add(48*time.Hour))
	l.add(t, corpus.Entry{ID: "fixture-treaty", Kind: "treaty", Title: "Fixture Convention", Date: "1984-12-10", Language: "en"}, 3, "polygraph", at.Add(24*time.Hour))
	l.add(t, corpus.Entry{ID: "fixture-report", Kind: "report", Title: "Fixture report on {braces} & 100% of #tags", Body: "Special Rapporteur",
		Symbol: "A/HRC/99/1", Date: "2020", Language: "en"}, 2, "polygraph", at.Add(72*time.Hour))
	l.add(t, corpus.Entry{ID: "fixture-blog", Kind: "article", Title: "A fixture blog post", Date: "2024-02-03", Language: "en",
		URL: "https://blog.example.org/post"}, 1, "polygraph", at.Add(96*time.Hour))
	if l.s, err = search.New(ix.Bleve()); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *realLibrary) handler(t testing.TB, mod func(*Config)) http.Handler {
	t.Helper()
	cfg := Config{Searcher: l.s, Documents: l, Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, nil))}
	if mod != nil {
		mod(&cfg)
	}
	h, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestAPISearchNext: following next through /api/search returns every hit
// once; after a change to the library the cursor is a 400 that says so.
func TestAPISearchNext(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	for _, q := range []string{"q=polygraph&size=17", "kind=decision&size=50", "q=polygraph&sort=date&size=33"} {
		seen := map[string]bool{}
		target := "/api/search?" + q
		var total int
		for pages := 0; ; pages++ {
			rec := do(h, "GET", target)
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			var res struct {
				Total int
				Hits  []struct{ ID string }
				Next  *string
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			total = res.Total
			for _, hit := range res.Hits {
				if seen[hit.ID] {
					t.Fatalf("%s: %s twice", q, hit.ID)
				}
				seen[hit.ID] = true
			}
			if res.Next == nil {
				break
			}
			target = "/api/search?" + q + "&cursor=" + url.QueryEscape(*res.Next)
		}
		if len(seen) != total || total < 90 {
			t.Fatalf("%s: walked %d hits of %d", q, len(seen), total)
		}
	}

	rec := do(h, "GET", "/api/search?q=polygraph")
	var first struct{ Next string }
	_ = json.Unmarshal(rec.Body.Bytes(), &first)
	if rec := do(h, "GET", "/api/search?q=other&cursor="+url.QueryEscape(first.Next)); rec.Code != 400 || decodeJSON(t, rec)["error"] != "bad_cursor" {
		t.Errorf("a cursor of another search: %d %s", rec.Code, rec.Body)
	}
	l.add(t, corpus.Entry{ID: "late", Kind: "decision", Title: "Late", Language: "en"}, 1, "polygraph", time.Now())
	rec = do(h, "GET", "/api/search?q=polygraph&cursor="+url.QueryEscape(first.Next))
	if m := decodeJSON(t, rec); rec.Code != 400 || m["error"] != "stale_cursor" || !strings.Contains(m["message"].(string), "changed") {
		t.Errorf("a stale cursor: %d %s", rec.Code, rec.Body)
	}
}

// TestExportCSV: a CSV export holds every hit once (rows = total), with
// its citation, permalink, facets and whole text.
func TestExportCSV(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	rec := do(h, "GET", "/api/export?kind=decision&format=csv")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("header %v", rows[0])
	}
	total, _ := strconv.Atoi(rec.Header().Get("X-Total-Count"))
	if len(rows)-1 != total || total != 240 {
		t.Fatalf("%d rows, X-Total-Count %d, want 240", len(rows)-1, total)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		id := row[col["id"]]
		if seen[id] {
			t.Fatalf("%s twice", id)
		}
		seen[id] = true
		if row[col["kind"]] != "decision" || !strings.Contains(row[col["text"]], "Fixture paragraph") ||
			!strings.HasPrefix(row[col["permalink"]], "http://example.com/doc/") {
			t.Fatalf("row %v", row)
		}
	}
	row := rows[1]
	if row[col["id"]] != "cat-c-38-d-300-2006#para-1" || row[col["citation"]] != "A.B. v. Testland (CAT/C/38/D/300/2006), para. 1" ||
		row[col["body"]] != "CAT" || row[col["url"]] != "https://example.org/cat-300" || row[col["date"]] != "2007-05-01" {
		t.Errorf("first row %v", row)
	}
	if rec := do(h, "GET", "/api/export?kind=decision&format=xls"); rec.Code != 400 {
		t.Errorf("format=xls: %d", rec.Code)
	}
	if rec := do(h, "GET", "/api/export?format=csv"); rec.Code != 400 {
		t.Errorf("no search: %d", rec.Code)
	}
}

// TestExportFormats: every format holds one record per hit.
func TestExportFormats(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	const q = "q=polygraph"
	total := int(decodeJSON(t, do(h, "GET", "/api/search?"+q))["total"].(float64))
	if total != 246 {
		t.Fatalf("total %d", total)
	}
	count := map[string]func(string) int{
		"jsonl": func(b string) int {
			n := 0
			sc := bufio.NewScanner(strings.NewReader(b))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r exportRecord
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID == "" || r.Text == "" {
					t.Fatalf("jsonl line %q: %v", sc.Text(), err)
				}
				n++
			}
			return n
		},
		"csl-json": func(b string) int {
			var items []cslItem
			if err := json.Unmarshal([]byte(b), &items); err != nil {
				t.Fatalf("csl-json: %v", err)
			}
			return len(items)
		},
		"ris":    func(b string) int { return strings.Count(b, "\r\nER  - \r\n") },
		"bibtex": func(b string) int { return strings.Count(b, "\n@") + 1 },
	}
	for format, n := range count {
		rec := do(h, "GET", "/api/export?"+q+"&format="+format)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != exportContentType[format] {
			t.Fatalf("%s: %d %s", format, rec.Code, rec.Header().Get("Content-Type"))
		}
		if got := n(rec.Body.String()); got != total {
			t.Errorf("%s: %d records, want %d", format, got, total)
		}
	}
}

// TestCite: /api/cite answers each format with the type reference
// managers expect for the document's kind.
func TestCite(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	for _, tc := range []struct{ id, typ, ris, bib string }{
		{"cat-c-38-d-300-2006#para-8", "legal_case", "CASE", "@jurisdiction{"},
		{"fixture-treaty#para-1", "legislation", "LEGAL", "@legislation{"},
		{"fixture-report#para-2", "report", "RPRT", "@report{"},
		{"fixture-blog#para-1", "webpage", "ELEC", "@online{"},
	} {
		path := "/api/cite/" + url.PathEscape(tc.id)
		rec := do(h, "GET", path+"?format=csl-json")
		var items []cslItem
		if err := json.Unmarshal(rec.Body.Bytes(), &items); rec.Code != 200 || err != nil || len(items) != 1 || items[0].Type != tc.typ {
			t.Fatalf("%s csl-json: %d %s", tc.id, rec.Code, rec.Body)
		}
		if rec := do(h, "GET", path+"?format=ris"); !strings.HasPrefix(rec.Body.String(), "TY  - "+tc.ris+"\r\n") {
			t.Errorf("%s ris: %q", tc.id, rec.Body)
		}
		if rec := do(h, "GET", path+"?format=bibtex"); !strings.HasPrefix(rec.Body.String(), tc.bib) {
			t.Errorf("%s bibtex: %q", tc.id, rec.Body)
		}
	}
	// The document page links each passage's citation.
	page := do(h, "GET", "/doc/cat-c-38-d-300-2006").Body.String()
	for _, f := range []string{formatRIS, formatBibTeX, formatCSLJSON, formatText} {
		link := "/api/cite/cat-c-38-d-300-2006%23para-8?format=" + f
		if !strings.Contains(page, `href="`+link+`"`) {
			t.Errorf("the document page does not link %s", link)
		}
		if rec := do(h, "GET", link); rec.Code != 200 {
			t.Errorf("%s: %d", link, rec.Code)
		}
	}
	rec := do(h, "GET", "/api/cite/cat-c-38-d-300-2006%23para-8?format=text")
	if got := rec.Body.String(); rec.Code != 200 || got != "A.B. v. Testland (CAT/C/38/D/300/2006), para. 8\n" {
		t.Errorf("text: %d %q", rec.Code, got)
	}
	for target, want := range map[string]int{
		"/api/cite/cat-c-38-d-300-2006%23para-8?format=doc": 400,
		"/api/cite/nope%23para-1?format=ris":                404,
		"/api/cite/no-unit?format=ris":                      400,
	} {
		if rec := do(h, "GET", target); rec.Code != want {
			t.Errorf("%s: %d, want %d", target, rec.Code, want)
		}
	}
}

func TestBibEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		"{x} & 100% #1_": `\{x\} \& 100\% \#1\_`,
		`a\b ~ ^`:        `a\textbackslash{}b \textasciitilde{} \textasciicircum{}`,
		"two\n  lines":   "two lines",
	} {
		if got := bibEscape(in); got != want {
			t.Errorf("bibEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// testLogWriter sends the server's log to the test's.
type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// blockingSearcher holds every export's searches until released.
type blockingSearcher struct {
	Searcher
	started chan struct{}
	release chan struct{}
}

func (b *blockingSearcher) Search(ctx context.Context, req search.Request) (*search.Results, error) {
	if req.WithText {
		b.started <- struct{}{}
		<-b.release
	}
	return b.Searcher.Search(ctx, req)
}

// TestExportsAtOnce: at most maxExports stream at once; another is a 503
// that says to retry, and searches go on meanwhile.
func TestExportsAtOnce(t *testing.T) {
	l := newRealLibrary(t)
	b := &blockingSearcher{Searcher: l.s, started: make(chan struct{}, 100), release: make(chan struct{})}
	h := l.handler(t, func(c *Config) { c.Searcher = b })
	var wg sync.WaitGroup
	for range maxExports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec := do(h, "GET", "/api/export?kind=report&format=csv"); rec.Code != 200 {
				t.Errorf("export: %d", rec.Code)
			}
		}()
	}
	for range maxExports {
		<-b.started
	}
	rec := do(h, "GET", "/api/export?kind=report&format=csv")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("export beyond the limit: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := do(h, "GET", "/api/search?q=polygraph"); rec.Code != 200 {
		t.Errorf("a search while exports run: %d", rec.Code)
	}
	close(b.release)
	wg.Wait()
	if rec := do(h, "GET", "/api/export?kind=report&format=csv"); rec.Code != 200 {
		t.Errorf("export after the others: %d", rec.Code)
	}
}

// failingSearcher fails every export page after the first.
type failingSearcher struct{ Searcher }

func (f failingSearcher) Search(ctx context.Context, req search.Request) (*search.Results, error) {
	if req.Cursor != "" && req.WithText {
		return nil, fmt.Errorf("%w: too many searches at once", corpus.ErrBusy)
	}
	return f.Searcher.Search(ctx, req)
}

// TestExportCutWhenItFails: an export that fails midway is cut, so that
// the client sees an incomplete transfer, not a file that looks whole,
// compressed or not.
func TestExportCutWhenItFails(t *testing.T) {
	l := newRealLibrary(t)
	srv := httptest.NewServer(l.handler(t, func(c *Config) { c.Searcher = failingSearcher{l.s} }))
	defer srv.Close()
	for _, enc := range []string{"identity", "gzip", "zstd"} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/export?kind=decision&format=csv", nil)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", enc, resp.StatusCode)
		}
		// Neither the transfer nor the encoding may end as a whole one.
		if _, derr := io.ReadAll(decoder(t, enc, body)); err == nil || derr == nil {
			t.Errorf("%s: a failed export reads as a whole file (%d bytes; transfer: %v, decoding: %v)", enc, len(body), err, derr)
		}
	}
}

func decoder(t *testing.T, enc string, b []byte) io.Reader {
	t.Helper()
	switch enc {
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return errReader{err}
		}
		return r
	case "zstd":
		r, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			return errReader{err}
		}
		return r
	}
	return errReader{io.ErrUnexpectedEOF} // identity: only the transfer can say
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
