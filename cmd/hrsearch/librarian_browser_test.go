package main

// A browser test of the librarian pages on the real server (openApp over
// a data directory): sign in, upload, preview, save, correct a state,
// delete. It drives Debian's chromium through chromedp with the flags of
// web/browser_test.go, and is skipped with -short or without chromium.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// skipWithoutBrowser skips a browser test with -short or without chromium,
// before the test builds anything.
func skipWithoutBrowser(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium)", chromiumPath)
	}
}

// newBrowser starts chromium; its 90 s budget starts here, so a test
// builds its data and server first.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	skipWithoutBrowser(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// browserProblems collects CSP violations, console errors and uncaught
// exceptions.
type browserProblems struct {
	mu   sync.Mutex
	msgs []string
}

func watchBrowser(t *testing.T, ctx context.Context) *browserProblems {
	t.Helper()
	p := &browserProblems{}
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
				msg = string(e.Entry.Source) + ": " + e.Entry.Text
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
		}
		if msg != "" {
			p.mu.Lock()
			p.msgs = append(p.msgs, msg)
			p.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *browserProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.msgs...)
}

// submitUntil clicks sel and waits until the page the click leads to is
// loaded and its element until holds the text want: a condition only the
// next page meets, so that a slow machine waits for it instead of
// reading the page it left or a half-loaded one. The click is the
// element's own click() (a form's button submits its form, a link is
// followed), not a mouse event at coordinates a page still laying itself
// out can move under load.
func submitUntil(ctx context.Context, sel, until, want string) error {
	sj, _ := json.Marshal(sel)
	click := fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e || document.readyState !== "complete") return false; e.click(); return true; })()`, sj)
	if err := poll(ctx, click, "clicking "+sel); err != nil {
		return err
	}
	return waitText(ctx, until, want)
}

// waitText waits until the page is loaded and the element sel holds want.
func waitText(ctx context.Context, sel, want string) error {
	sj, _ := json.Marshal(sel)
	wj, _ := json.Marshal(want)
	expr := fmt.Sprintf(`document.readyState === "complete" && !!document.querySelector(%s) && document.querySelector(%s).textContent.includes(%s)`, sj, sj, wj)
	return poll(ctx, expr, fmt.Sprintf("waiting for %q in %s", want, sel))
}

// poll evaluates expr until it is true. While the page navigates an
// evaluation fails ("target navigated"), and a later one reads the new
// page. On failure it says where the browser was and what it showed.
func poll(ctx context.Context, expr, what string) error {
	var lastErr error
	var seen string
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return nil
		}
		lastErr = err
		if s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.location.pathname + " (" + document.readyState + "): " + (document.body ? document.body.innerText.slice(0, 300) : "")`)); err == nil {
			seen = s
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (last evaluation: %v; the page last seen: %q)", what, ctx.Err(), lastErr, seen)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// shot saves the viewport as a PNG into $HRSEARCH_SCREENSHOTS, if set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HRSEARCH_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Error(err)
	}
}

func TestBrowserLibrarianFlow(t *testing.T) {
	skipWithoutBrowser(t)
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	base := ts.srv.URL
	zipFile := filepath.Join(t.TempDir(), "batch.zip")
	if err := os.WriteFile(zipFile, zipBytes(t, "catalog.jsonl", `{"id":"browser-imported","kind":"report","language":"en","title":"An imported report","file":"files/report.txt"}
{"id":"browser-missing","kind":"report","file":"files/missing.txt"}
`, "files/report.txt", "An imported report\n\nThe wombatine procedure was reviewed by the committee."), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t) // its time budget starts once the server is up

	file := filepath.Join(t.TempDir(), "decision.txt")
	text := "Decision on a complaint\n\nThe author claims that his return to El Salvador would violate article 3 of the Convention against Torture.\n\nThe Committee finds a violation of article 3 of the Convention.\n\nThe kookaburrine remedy is ordered."
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Skipf("chromium did not start: %v", err)
		}
		t.Fatal(err)
	}
	probs := watchBrowser(t, ctx)

	// 1. Sign in.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), tok)); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, `#signin-form button[type="submit"]`, ".lib-who", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".lib-who"); !strings.Contains(got, "alice") {
		t.Fatalf("signed in as %q", got)
	}
	shot(t, ctx, "librarian-home")

	// 2. Upload with metadata, 3. preview.
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}),
		chromedp.SendKeys(chromedp.CSS("#f-id"), "browser-decision"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "A decision added in the browser"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "decision"),
		chromedp.SendKeys(chromedp.CSS("#f-language"), "en"),
		chromedp.SendKeys(chromedp.CSS("#f-states"), "SV"),
	); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, `#add-form button[type="submit"]`, "#passage-count", "4"); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "librarian-preview")
	if got := textOf(t, ctx, "#passage-count"); !strings.Contains(got, "4") {
		t.Errorf("preview passage count %q, want 4", got)
	}
	main := textOf(t, ctx, "main")
	for _, want := range []string{"CAT 3", "SV", "kookaburrine", "A decision added in the browser"} {
		if !strings.Contains(main, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if code, _, _ := ts.request("GET", "/api/documents/browser-decision", nil); code != 404 {
		t.Errorf("the preview stored the document: %d", code)
	}

	// 4. Save: searchable at once.
	if err := submitUntil(ctx, `#save-form button[type="submit"]`, ".flash", "Saved"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Saved") {
		t.Errorf("after saving: %q", got)
	}
	if n, _ := ts.hits("q=kookaburrine&state=SV"); n == 0 {
		t.Error("the saved document is not found")
	}

	// 5. Correct a state.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#f-states"), "GT")); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, `#edit-form button[type="submit"]`, "#overrides", "GT"); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "librarian-edit")
	if got := textOf(t, ctx, "#overrides"); !strings.Contains(strings.ToLower(got), "states") || !strings.Contains(got, "SV") {
		t.Errorf("corrections shown: %q", got)
	}
	_, b, _ := ts.request("GET", "/api/documents/browser-decision", nil)
	var doc struct{ States []string }
	json.Unmarshal(b, &doc)
	if strings.Join(doc.States, ",") != "GT" {
		t.Errorf("states after the correction: %v", doc.States)
	}
	if n, _ := ts.hits("q=kookaburrine&state=GT"); n == 0 {
		t.Error("the corrected state is not searchable")
	}

	// 6. Delete, with confirmation.
	if err := submitUntil(ctx, "#delete-link", "h1", "Delete browser-decision"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); !strings.Contains(got, "Delete browser-decision") {
		t.Errorf("confirmation page: %q", got)
	}
	if err := submitUntil(ctx, `#delete-form button[type="submit"]`, ".flash", "Deleted browser-decision"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Deleted browser-decision") {
		t.Errorf("after deleting: %q", got)
	}
	if code, _, _ := ts.request("GET", "/api/documents/browser-decision", nil); code != 404 {
		t.Errorf("deleted document: %d", code)
	}

	// 7. Import a catalog (a zip of the catalog and its files): the page
	// reports each document, the good one is searchable at once.
	if err := submitUntil(ctx, "#import-link", "h1", "Import a catalog"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#i-file"), []string{zipFile})); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, `#import-form button[type="submit"]`, "#import-summary", "1 added"); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "librarian-import")
	summary, results := textOf(t, ctx, "#import-summary"), textOf(t, ctx, "#import-results")
	if !strings.Contains(summary, "2 documents") || !strings.Contains(summary, "1 failed") ||
		!strings.Contains(results, "browser-imported") || !strings.Contains(results, "the zip holds no file") {
		t.Errorf("import report: %q / %q", summary, results)
	}
	if n, _ := ts.hits("q=wombatine"); n == 0 {
		t.Error("the imported document is not found")
	}

	// 8. Signed in, a search result has an Edit link and the footer names
	// alice with a way to sign out.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=wombatine")); err != nil {
		t.Fatal(err)
	}
	if err := waitText(ctx, "#footer-librarian", "alice"); err != nil {
		t.Fatal(err)
	}
	if href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(".edit-link"), "href", chromedp.NodeVisible)); err != nil || !strings.HasSuffix(href.Value, "/librarian/edit/browser-imported") {
		t.Errorf("the result's Edit link: %q, %v", href.Value, err)
	}

	// 9. The audit log names alice for all the changes.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian/audit")); err != nil {
		t.Fatal(err)
	}
	audit := textOf(t, ctx, "table.audit")
	shot(t, ctx, "librarian-audit")
	for _, want := range []string{"add", "edit", "delete", "import", "alice", "GT"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}

	// 10. Signing out from a public page's footer.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=wombatine")); err != nil {
		t.Fatal(err)
	}
	if err := submitUntil(ctx, "#footer-librarian button", "main", "Sign in"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=wombatine")); err != nil {
		t.Fatal(err)
	}
	if err := waitText(ctx, ".site-footer", "Librarians: sign in"); err != nil {
		t.Errorf("after signing out: %v", err)
	}
	if ps := probs.list(); len(ps) > 0 {
		t.Errorf("page problems (CSP, console errors):\n%s", strings.Join(ps, "\n"))
	}
}
