package crawl

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// TestCrawlEndToEnd crawls a local site serving three documents of the
// shared corpus (read at test time, never copied into the repository)
// beside a robots-disallowed page, a redirect loop, a slow page, a huge
// page and off-site links. The documents must index to the same passages
// as their files do through the catalog; nothing disallowed or off-site may
// be requested; Crawl-delay must space the requests; a second crawl must be
// conditional and re-index nothing.
func TestCrawlEndToEnd(t *testing.T) {
	shared := corpustest.SharedDir(t)
	cat, err := corpus.ReadCatalogFile(filepath.Join(shared, "corpus", "catalog.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	docs := []struct {
		id, file, path, contentType string
		kind, instrument            string
		probe, unit                 string // a word that must find the unit
	}{
		{"cat", "files/treaties/cat.md", "/library/treaties/cat.md", "text/markdown", corpus.KindTreaty, "CAT", "refouler", "art-3"},
		{"udhr", "files/treaties/udhr.html", "/library/treaties/udhr.html", "text/html", corpus.KindDeclaration, "UDHR", "asylum", "art-14"},
		{"nelson-mandela-rules", "files/treaties/nelson-mandela-rules.pdf", "/library/treaties/nelson-mandela-rules.pdf", "application/pdf", corpus.KindRules, "SMR", "instruments of restraint", "rule-47"},
	}

	done := make(chan struct{})
	defer close(done)
	var hugeSent atomic.Int64
	other := newTestSite(t, map[string]testPage{
		"/robots.txt": {contentType: "text/plain", body: []byte("")},
		"/x.html":     {contentType: "text/html", body: []byte("<p>off-site</p>")},
	})
	pages := map[string]testPage{
		"/robots.txt": {contentType: "text/plain", body: []byte("User-agent: *\nDisallow: /library/private/\nCrawl-delay: 0.1\n")},
		"/library/index.html": {contentType: "text/html; charset=utf-8", body: []byte(`<!DOCTYPE html><html lang="en"><head><title>Library</title></head><body>
<h1>Human rights library</h1><ul>
<li><a href="treaties/cat.md">Convention against Torture</a></li>
<li><a href="treaties/udhr.html">Universal Declaration</a></li>
<li><a href="treaties/nelson-mandela-rules.pdf">Nelson Mandela Rules</a></li>
<li><a href="private/secret.html">Staff only</a></li>
<li><a href="loop-a">Loop</a></li>
<li><a href="slow.html">Slow</a></li>
<li><a href="huge.html">Huge</a></li>
<li><a href="` + other.URL + `/x.html">Elsewhere</a></li>
<li><a href="/elsewhere.html">Outside the library</a></li>
</ul></body></html>`)},
		"/library/private/secret.html": {contentType: "text/html", body: []byte("<p>secret</p>")},
		"/library/loop-a":              {handler: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/library/loop-b", http.StatusFound) }},
		"/library/loop-b":              {handler: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/library/loop-a", http.StatusFound) }},
		"/library/slow.html": {handler: func(w http.ResponseWriter, r *http.Request) {
			select { // never answers in time
			case <-done:
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}},
		"/library/huge.html": {handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			chunk := []byte(strings.Repeat("<p>human rights</p>\n", 1600))
			for hugeSent.Load() < 1<<30 {
				n, err := w.Write(chunk)
				hugeSent.Add(int64(n))
				if err != nil {
					return
				}
			}
		}},
		"/elsewhere.html": {contentType: "text/html", body: []byte("<p>outside</p>")},
	}
	files := map[string][]byte{}
	for _, d := range docs {
		b, err := os.ReadFile(filepath.Join(shared, "corpus", d.file))
		if err != nil {
			t.Fatal(err)
		}
		files[d.id] = b
		pages[d.path] = testPage{contentType: d.contentType, body: b}
	}
	site := newTestSite(t, pages)

	fcfg := testFetchConfig()
	fcfg.HostDelay = 20 * time.Millisecond // Crawl-delay 0.1 wins
	fcfg.HeaderTimeout = 300 * time.Millisecond
	fcfg.Timeout = 20 * time.Second
	fcfg.MaxBody = 4 << 20
	ccfg := CrawlConfig{Seeds: []string{site.URL + "/library/index.html"}, MaxDepth: 2}
	d := openTestData(t, t.TempDir())
	defer d.Close()

	rep := crawlOnce(t, d, fcfg, ccfg)
	reasons := map[string]string{}
	for _, e := range rep.Errors {
		reasons[strings.TrimPrefix(e.URL, site.URL)] = e.Reason
	}
	wantReasons := map[string]string{"/library/loop-a": "redirect", "/library/slow.html": "timeout", "/library/huge.html": "too-large"}
	// Out of scope: the two links of the index page, and the external
	// links of cat.md (to the Dutch treaty database and the like).
	if rep.Indexed != 4 || rep.SkippedRobots != 1 || rep.OutOfScope < 2 || rep.Failed != 3 || !reflect.DeepEqual(reasons, wantReasons) {
		t.Errorf("first crawl: %+v\nreasons %v", rep, reasons)
	}

	// Nothing disallowed or off-site was requested.
	log1 := site.requests()
	for _, r := range log1 {
		if strings.HasPrefix(r.Path, "/library/private/") || r.Path == "/elsewhere.html" {
			t.Errorf("%s was requested", r.Path)
		}
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the off-site server got %d requests", n)
	}
	// Crawl-delay: requests to the host at least 100ms apart.
	minGap := time.Hour
	for i := 1; i < len(log1); i++ {
		minGap = min(minGap, log1[i].At.Sub(log1[i-1].At))
	}
	if minGap < 100*time.Millisecond {
		t.Errorf("smallest gap between requests %s, want ≥ 100ms (Crawl-delay)", minGap)
	}
	if hugeSent.Load() > 64<<20 {
		t.Errorf("huge page: %d MiB sent", hugeSent.Load()>>20)
	}

	// The documents index to the passages their files give.
	byURL, _, err := (&Crawler{Store: d.Store}).crawledURLs()
	if err != nil {
		t.Fatal(err)
	}
	units := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			_, u, _ := strings.Cut(id, "#")
			out = append(out, u)
		}
		return out
	}
	totalUnits := 0
	for _, doc := range docs {
		id, ok := byURL[site.URL+doc.path]
		if !ok {
			t.Errorf("%s: not stored", doc.path)
			continue
		}
		rec, err := d.Store.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		st, ok := d.Index.State(id)
		if !ok {
			t.Errorf("%s (%s): not indexed", doc.path, id)
			continue
		}
		entry, _ := cat.Lookup(doc.id)
		fromFile, err := reader.Passages(context.Background(), entry, files[doc.id])
		if err != nil {
			t.Fatal(err)
		}
		var fileUnits []string
		for _, p := range fromFile.Passages {
			fileUnits = append(fileUnits, p.Unit)
		}
		indexed, err := d.Index.PassageIDs(id)
		if err != nil {
			t.Fatal(err)
		}
		if got := units(indexed); !slices.Equal(got, fileUnits) || st.Passages != len(indexed) {
			t.Errorf("%s: crawl indexed %d units %.200v…\nthe file through the catalog gives %d: %.200v…", doc.id, len(got), got, len(fileUnits), fileUnits)
		}
		// The stored record rebuilds the same passages (the index is
		// derived from the store).
		eff := rec.Effective()
		again, err := reader.Passages(context.Background(), &eff, files[doc.id])
		if err != nil {
			t.Fatal(err)
		}
		var againIDs []string
		for _, p := range again.Passages {
			againIDs = append(againIDs, p.ID)
		}
		if !slices.Equal(againIDs, indexed) {
			t.Errorf("%s: the stored entry and the file give other passages than indexed", doc.id)
		}
		if rec.SHA256 != store.SHA256(files[doc.id]) || rec.Status != 200 || rec.FinalURL != site.URL+doc.path || rec.ETag == "" ||
			rec.Modified == "" || rec.Origin != OriginCrawl || eff.Kind != doc.kind || eff.Instrument != doc.instrument {
			t.Errorf("%s: record %+v", doc.id, rec)
		}
		// Searchable: the probe finds the unit in the crawled document.
		text := bleve.NewMatchPhraseQuery(doc.probe)
		text.SetField(schema.FieldText)
		text.Analyzer = schema.AnalyzerFor(eff.Language) // else Bleve picks one of the types' analyzers at random
		docQ := bleve.NewTermQuery(id)
		docQ.SetField(schema.FieldDocument)
		res, err := d.Index.Bleve().Search(bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery([]query.Query{text, docQ}...), 50, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || h.ID == id+"#"+doc.unit
		}
		if !found {
			t.Errorf("%s: %q does not find %s#%s", doc.id, doc.probe, id, doc.unit)
		}
		totalUnits += len(fileUnits)
		t.Logf("%s → %s: kind %s, instrument %s, title %q, %d passages equal to the file's", doc.path, id, eff.Kind, eff.Instrument, eff.Title, st.Passages)
	}
	states := map[string]indexer.DocState{}
	ids, _ := d.Index.Documents()
	for _, id := range ids {
		states[id], _ = d.Index.State(id)
	}

	// A second crawl asks conditionally and re-indexes nothing.
	site.resetLog()
	rep2 := crawlOnce(t, d, fcfg, ccfg)
	conditional, notModified := 0, 0
	for _, r := range site.requests() {
		if r.IfNoneMatch != "" {
			conditional++
		}
		if r.Status == http.StatusNotModified {
			notModified++
		}
	}
	if rep2.Indexed != 0 || rep2.Passages != 0 || rep2.NotModified != 4 || conditional != 4 || notModified != 4 {
		t.Errorf("second crawl: %+v; %d conditional requests, %d answered 304", rep2, conditional, notModified)
	}
	for id, st := range states {
		if now, _ := d.Index.State(id); !reflect.DeepEqual(now, st) {
			t.Errorf("%s changed in the index on the second crawl", id)
		}
	}
	t.Logf("RESULT E2E crawl: %d requests in %s; 4 documents indexed (3 corpus files: %d passages, same units as from the files), robots-disallowed 1 (0 requests), off-scope %d links (0 requests), failed %v; smallest gap %s (Crawl-delay 100ms); huge page stopped after %.1f MiB",
		len(log1), rep.Elapsed.Round(time.Millisecond), totalUnits, rep.OutOfScope, reasons, minGap.Round(time.Millisecond), float64(hugeSent.Load())/(1<<20))
	t.Logf("RESULT E2E re-crawl: %d conditional requests, %d answered 304, %d re-indexed, %d passages written, in %s",
		conditional, notModified, rep2.Indexed, rep2.Passages, rep2.Elapsed.Round(time.Millisecond))
}
