package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTrashAndVersions, in chromium on the real server: delete a
// document on its page → it is in the trash → restore it there → it is
// searchable again; then restore its version 1 from the edit page's
// history. No CSP violation or console error on the way.
func TestBrowserTrashAndVersions(t *testing.T) {
	skipWithoutBrowser(t)
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	base := ts.srv.URL

	if code, b := ts.upload("POST", "/api/documents", tok, map[string]string{"id": "br-note", "kind": "article", "language": "en", "title": "Browser note"},
		"br.txt", []byte("Browser note\n\nThe flibbertine rule on returns.")); code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}
	if code, b := ts.upload("PUT", "/api/documents/br-note", tok, nil, "br.txt", []byte("Browser note\n\nThe quangleous rule instead.")); code != 200 {
		t.Fatalf("replace: %d %s", code, b)
	}
	ctx := newBrowser(t) // its time budget starts once the server is up

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Skipf("chromium did not start: %v", err)
		}
		t.Fatal(err)
	}
	probs := watchBrowser(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), tok)); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, `#signin-form button[type="submit"]`, ".lib-who", "alice"); err != nil {
		t.Fatal(err)
	}

	// Delete on the document's page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian/delete/br-note")); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "main"); !strings.Contains(got, "trash") {
		t.Errorf("the delete page does not say the document goes to the trash: %q", got)
	}
	if err := submitUntil(ctx, `#delete-form button[type="submit"]`, ".flash", "Deleted br-note"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ts.hits("q=quangleous"); n != 0 {
		t.Fatal("deleted, still searchable")
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Deleted br-note: it is in the trash for 30 days") {
		t.Errorf("after deleting: %q", got)
	}

	// The trash lists it; restore it there.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian/trash")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "librarian-trash")
	if got := textOf(t, ctx, "#trash"); !strings.Contains(got, "br-note") || !strings.Contains(got, "alice") {
		t.Fatalf("trash page: %q", got)
	}
	if err := submitUntil(ctx, "#restore-br-note", ".flash", "Restored br-note"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Restored br-note") {
		t.Errorf("after restoring: %q", got)
	}
	if n, docs := ts.hits("q=quangleous"); n == 0 || docs[0] != "br-note" {
		t.Errorf("restored, not searchable: %d %v", n, docs)
	}

	// The edit page's history: restore version 1.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian/edit/br-note")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "librarian-history")
	if got := textOf(t, ctx, "#history"); !strings.Contains(got, "replace") || !strings.Contains(got, "(current)") {
		t.Errorf("history: %q", got)
	}
	if err := submitUntil(ctx, "#restore-version-1", "#history", "restore-version"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ts.hits("q=flibbertine"); n == 0 {
		t.Error("version 1 is not searchable after restoring it")
	}
	if n, _ := ts.hits("q=quangleous"); n != 0 {
		t.Error("the replaced version is still searchable")
	}
	if got := textOf(t, ctx, "#history"); !strings.Contains(got, "restore-version") {
		t.Errorf("history after the restore: %q", got)
	}
	if ps := probs.list(); len(ps) > 0 {
		t.Errorf("page problems (CSP, console errors):\n%s", strings.Join(ps, "\n"))
	}
}
