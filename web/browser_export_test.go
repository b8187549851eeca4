package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserExportAndFeed: on a results page, a researcher opens the
// Export menu and follows its links and the feed link; each answers with
// the whole result set in its format, as the browser receives it
// (compressed, decoded by the browser).
func TestBrowserExportAndFeed(t *testing.T) {
	ctx := newBrowser(t)
	l := newRealLibrary(t)
	srv := httptest.NewServer(l.handler(t, nil))
	defer srv.Close()
	probs := watchProblems(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search?q=polygraph&kind=decision")); err != nil {
		t.Fatal(err)
	}
	// The menu is closed until clicked.
	if _, err := chromedp.Run(ctx, chromedp.Click(".export-menu summary", chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`.export-menu a[href*="format=csv"]`)); err != nil {
		t.Fatal(err)
	}
	// Each link, fetched as the page's own request: status, type and the
	// number of records.
	type answer struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	fetch := func(sel string) answer {
		t.Helper()
		a, err := chromedp.Run(ctx, chromedp.Evaluate[answer](`(async () => {
			const a = document.querySelector(`+"`"+sel+"`"+`);
			const r = await fetch(a.href);
			return {status: r.status, type: r.headers.get('content-type'), body: await r.text()};
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return a
	}
	csv := fetch(`.export-menu a[href*="format=csv"]`)
	if csv.Status != 200 || !strings.HasPrefix(csv.Type, "text/csv") {
		t.Fatalf("CSV: %d %s", csv.Status, csv.Type)
	}
	if rows := strings.Count(csv.Body, "\n") - 1; rows != 240 {
		t.Errorf("CSV: %d rows, want the 240 hits of every page", rows)
	}
	ris := fetch(`.export-menu a[href*="format=ris"]`)
	if n := strings.Count(ris.Body, "ER  - "); ris.Status != 200 || n != 240 {
		t.Errorf("RIS: %d, %d records", ris.Status, n)
	}

	// The feed link, fetched and clicked.
	feedHref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a.feed-link').href`))
	if err != nil || !strings.Contains(feedHref, "/feed.atom?") {
		t.Fatalf("feed link %q: %v", feedHref, err)
	}
	feed := fetch(`a.feed-link`)
	if feed.Status != 200 || !strings.HasPrefix(feed.Type, "application/atom+xml") || strings.Count(feed.Body, "<entry>") != 2 {
		t.Errorf("feed: %d %s, %d entries", feed.Status, feed.Type, strings.Count(feed.Body, "<entry>"))
	}
	if err := clickAndWait(ctx, "a.feed-link"); err != nil {
		t.Fatal(err)
	}
	// Chromium has no feed viewer: it shows the feed's source.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.textContent`))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != feedHref || !strings.Contains(shown, "hrsearch: polygraph · Kind: Decision") {
		t.Errorf("after clicking the feed link the browser is at %s showing %.200q (%v)", loc, shown, err)
	}
	if p := probs.list(); len(p) > 0 {
		t.Errorf("page problems: %v", p)
	}
}

// TestBrowserExportDocuments: on the /documents page (the results grouped
// by document), the Export menu exports what the page lists: one record
// per document, every page of it.
func TestBrowserExportDocuments(t *testing.T) {
	ctx := newBrowser(t)
	l := newRealLibrary(t)
	srv := httptest.NewServer(l.handler(t, nil))
	defer srv.Close()
	probs := watchProblems(t, ctx)
	// Two documents a page: the export holds all five.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/documents?q=polygraph&size=2")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Click(".export-menu summary", chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`.export-menu a[href*="format=csv"]`)); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[answer](`(async () => {
		const r = await fetch(document.querySelector('.export-menu a[href*="format=csv"]').href);
		return {status: r.status, type: r.headers.get('content-type'), body: await r.text()};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(got.Body), "\n")
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") || len(lines) != 6 || !strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "document,") {
		t.Errorf("CSV by document: %d %s, %d lines: %.300q", got.Status, got.Type, len(lines), got.Body)
	}
	if p := probs.list(); len(p) > 0 {
		t.Errorf("page problems: %v", p)
	}
}
