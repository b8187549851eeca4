package crawl

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/library"
)

// A document a librarian added by URL is the librarian's: a crawl that
// finds its page changed does not overwrite it, and one that finds the
// page gone (404 twice, or 410) does not remove it. A crawl removes only
// its own documents, and then as a librarian's delete does: a tombstone
// and an audit entry.
func TestCrawlLeavesLibrariansDocuments(t *testing.T) {
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":   {contentType: "text/plain", body: []byte("")},
		"/r/index.html": {contentType: "text/html", body: []byte(`<h1>Reports</h1><a href="mine.txt">M</a> <a href="theirs.txt">T</a>`)},
		"/r/mine.txt":   {contentType: "text/plain", body: []byte("A report\n\nAbout zqxlibrarian detention.\n")},
		"/r/theirs.txt": {contentType: "text/plain", body: []byte("Another report\n\nAbout zqxcrawled asylum.\n")},
	})
	dir := t.TempDir()
	d := openTestData(t, dir)
	defer d.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	lib, err := library.OpenLibrary(d, log)
	if err != nil {
		t.Fatal(err)
	}
	f := fetch.NewFetcher(testFetchConfig())
	got, err := f.Fetch(context.Background(), site.URL+"/r/mine.txt", fetch.FetchOptions{})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	mine, _, err := lib.Add(context.Background(), "alice", corpus.Entry{ID: "mine", Kind: corpus.KindReport, Language: "en"}, library.UploadFromFetched(got))
	if err != nil {
		t.Fatal(err)
	}
	lib.Close()
	if mine.Origin != library.OriginUpload {
		t.Errorf("a librarian's URL stored with origin %q", mine.Origin)
	}

	cfg := CrawlConfig{Seeds: []string{site.URL + "/r/index.html"}, MaxDepth: 1}
	site.set("/r/mine.txt", testPage{contentType: "text/plain", body: []byte("A report, rewritten\n\nAbout something else.\n")})
	crawlOnce(t, d, testFetchConfig(), cfg)
	rec, err := d.Store.Get("mine")
	if err != nil || rec.SHA256 != mine.SHA256 || rec.Origin != library.OriginUpload {
		t.Fatalf("the librarian's document after a crawl of its changed page: %+v, %v", rec, err)
	}
	theirs := urlDocumentID(mustURL(t, site.URL+"/r/theirs.txt"))
	if _, err := d.Store.Get(theirs); err != nil {
		t.Fatalf("crawled document: %v", err)
	}

	gone := testPage{handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }}
	site.set("/r/mine.txt", gone)
	site.set("/r/theirs.txt", gone)
	crawlOnce(t, d, testFetchConfig(), cfg)
	rep := crawlOnce(t, d, testFetchConfig(), cfg) // the second 404
	if _, err := d.Store.Get("mine"); err != nil {
		t.Errorf("the librarian's document removed by a crawl: %v", err)
	}
	if _, ok := d.Index.State("mine"); !ok {
		t.Error("the librarian's document removed from the index by a crawl")
	}
	if len(rep.RemovedDocuments) != 1 || rep.RemovedDocuments[0] != theirs {
		t.Fatalf("removed %v, want [%s]", rep.RemovedDocuments, theirs)
	}
	if ts, err := d.Store.Tombstone(theirs); err != nil || ts == nil || ts.By != AuditWho {
		t.Errorf("tombstone of the removed document: %+v, %v", ts, err)
	}
	lib, err = library.OpenLibrary(d, log)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	events, _, err := lib.Audit(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var removal *library.AuditEvent
	for i := range events {
		if events[i].ID == theirs {
			removal = &events[i]
		}
	}
	if removal == nil || removal.Who != AuditWho || removal.Action != library.ActionDelete || removal.Before == nil || removal.Before.Source != site.URL+"/r/theirs.txt" {
		t.Errorf("audit entry of the crawl's removal: %+v (log %+v)", removal, events)
	}

	// A page that comes back is indexed again as new, its tombstone gone.
	site.set("/r/theirs.txt", testPage{contentType: "text/plain", body: []byte("Another report\n\nAbout zqxcrawled asylum, again.\n")})
	crawlOnce(t, d, testFetchConfig(), cfg)
	if ts, err := d.Store.Tombstone(theirs); err != nil || ts != nil {
		t.Errorf("tombstone of a page that came back: %+v, %v", ts, err)
	}
	if _, ok := d.Index.State(theirs); !ok {
		t.Error("a page that came back is not indexed")
	}
}
