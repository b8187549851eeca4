package main

// A browser test of the librarian pages on the real server (openApp over
// a data directory): sign in, upload, preview, save, correct a state,
// delete. It drives Debian's chromium through chromedp with the flags of
// web/browser_test.go, and is skipped with -short or without chromium.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium)", chromiumPath)
	}
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

// submit clicks sel and waits for the page it loads.
func submit(ctx context.Context, sel string) error {
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)))
	return err
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
	ctx := newBrowser(t)
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	base := ts.srv.URL

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
	if err := submit(ctx, `#signin-form button[type="submit"]`); err != nil {
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
	if err := submit(ctx, `#add-form button[type="submit"]`); err != nil {
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
	if err := submit(ctx, `#save-form button[type="submit"]`); err != nil {
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
	if err := submit(ctx, `#edit-form button[type="submit"]`); err != nil {
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
	if err := submit(ctx, "#delete-link"); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); !strings.Contains(got, "Delete browser-decision") {
		t.Errorf("confirmation page: %q", got)
	}
	if err := submit(ctx, `#delete-form button[type="submit"]`); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Deleted browser-decision") {
		t.Errorf("after deleting: %q", got)
	}
	if code, _, _ := ts.request("GET", "/api/documents/browser-decision", nil); code != 404 {
		t.Errorf("deleted document: %d", code)
	}

	// 7. The audit log names alice for all three changes.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/librarian/audit")); err != nil {
		t.Fatal(err)
	}
	audit := textOf(t, ctx, "table.audit")
	shot(t, ctx, "librarian-audit")
	for _, want := range []string{"add", "edit", "delete", "alice", "GT"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if ps := probs.list(); len(ps) > 0 {
		t.Errorf("page problems (CSP, console errors):\n%s", strings.Join(ps, "\n"))
	}
}
