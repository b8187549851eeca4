package web

// Browser tests drive Debian's chromium through chromedp. They are skipped
// with -short and when /usr/bin/chromium is missing.
//
// They run against browserConfig, which defaults to the fake index. To run
// them against the real demo index, either start `hrsearch serve` and set
// HRSEARCH_BROWSER_URL to its address (http://127.0.0.1:8080), or add a
// _test.go file that sets browserConfig in an init function to a Config
// built from a data directory. The flow expects the demo corpus's CAT, its
// article 3 and decisions concerning El Salvador.

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
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

// browserConfig builds the server the browser tests run against.
var browserConfig = func(t *testing.T) Config { return fakeConfig(newFakeIndex()) }

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
		// The site scrolls smoothly unless motion is reduced; chromedp
		// clicks where an element was, so a page still scrolling toward
		// it gets the click somewhere else.
		chromedp.Flag("force-prefers-reduced-motion", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// pageProblems collects CSP violations, console errors and uncaught
// exceptions.
type pageProblems struct {
	mu   sync.Mutex
	msgs []string
}

func (p *pageProblems) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, s)
}

func (p *pageProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.msgs...)
}

func watchProblems(t *testing.T, ctx context.Context) *pageProblems {
	t.Helper()
	probs := &pageProblems{}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
				probs.add(string(e.Entry.Source) + ": " + e.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			probs.add("exception: " + e.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return probs
}

// screenshot writes the viewport as a PNG to testdata/screenshots/
// (gitignored). Viewport only: a treaty page with its citations is tens of
// thousands of pixels tall.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Errorf("writing %s: %v", path, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// clickAndWait clicks sel and waits for the page it loads.
// A step gets 30 s so that a click that loads nothing fails with its
// selector rather than at the test's deadline.
func clickAndWait(ctx context.Context, sel string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel, chromedp.NodeVisible)))
	if err != nil {
		return fmt.Errorf("click %s: %w", sel, err)
	}
	return nil
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel, chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func TestBrowserResearcherFlow(t *testing.T) {
	ctx := newBrowser(t)
	base := strings.TrimSuffix(os.Getenv("HRSEARCH_BROWSER_URL"), "/")
	if base == "" {
		h, err := NewServer(browserConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		base = ts.URL
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Skipf("chromium did not start: %v", err)
		}
		t.Fatal(err)
	}
	probs := watchProblems(t, ctx)

	// 1. Search "non-refoulement" from the home page's search box.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("q"), "non-refoulement")); err != nil {
		t.Fatal(err)
	}
	if err := clickAndWait(ctx, `#search-form button[type="submit"]`); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".count"); !strings.Contains(got, "Results") {
		t.Fatalf("result count = %q", got)
	}
	screenshot(t, ctx, "search")

	// 2. Narrow by the State facet value "El Salvador": in the sidebar, or
	// on the facet's full list when it is not among the top values.
	inSidebar, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`Array.from(document.querySelectorAll('#facet-state ~ ul .facet-value')).some(e => e.textContent.trim() === 'El Salvador')`))
	if err != nil {
		t.Fatal(err)
	}
	sv := `//aside//section[@aria-labelledby="facet-state"]//a[.//span[@class="facet-value" and normalize-space()="El Salvador"]]`
	if !inSidebar {
		if err := clickAndWait(ctx, `section[aria-labelledby="facet-state"] .more a`); err != nil {
			t.Fatalf("no El Salvador in the State facet and no link to all values: %v", err)
		}
		sv = `//ul[@class="facet-list"]//a[.//span[@class="facet-value" and normalize-space()="El Salvador"]]`
	}
	if err := clickAndWait(ctx, sv); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".chips"); !strings.Contains(got, "El Salvador") {
		t.Errorf("active filters = %q, want El Salvador", got)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "state=SV") {
		t.Errorf("location %s lacks state=SV", loc)
	}
	resultsText := text(t, ctx, ".results")
	if !strings.Contains(resultsText, "El Salvador") {
		t.Errorf("results after the facet do not mention El Salvador: %.300s", resultsText)
	}

	// 3. Open the first result's document at its passage.
	if err := clickAndWait(ctx, `.result-title a`); err != nil {
		t.Fatal(err)
	}
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/doc/") || !strings.Contains(loc, "#") {
		t.Errorf("location after opening a result = %s", loc)
	}
	if got := text(t, ctx, ".document h1"); got == "" {
		t.Error("document page has no title")
	}

	// 4. On the Convention's article 3, follow a "Cited by" link.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/doc/cat#art-3")); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#art-3 .cited-by summary`); !strings.HasPrefix(got, "Cited by ") {
		t.Fatalf("summary = %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#art-3 .cited-by summary`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "doc-cat")
	citing := `//section[@id="art-3"]//ul[@class="citing"]//li[.//a[@class="citing-doc" and contains(@href, "/doc/cat-c-")]]/a[contains(@href, "#")]`
	if err := clickAndWait(ctx, citing); err != nil {
		t.Fatal(err)
	}
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/doc/cat-c-") {
		t.Errorf("location after the Cited by link = %s", loc)
	}
	anchor := loc[strings.Index(loc, "#")+1:]
	if got := text(t, ctx, `//section[@id="`+anchor+`"]`); !strings.Contains(strings.ToLower(got), "article 3") {
		t.Errorf("citing passage %s = %.200q, want a mention of article 3", anchor, got)
	}

	// 5. At 320 px the search page does not scroll sideways, and the first
	// Tab reaches the skip link.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(320, 640),
		chromedp.Navigate(base+"/search?q=non-refoulement"),
		chromedp.WaitVisible(".results"),
	); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 320 {
		t.Errorf("page is %d px wide at a 320 px viewport", width)
	}
	screenshot(t, ctx, "search-320")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil {
		t.Fatal(err)
	}
	if focused != "skip-link" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}

	for _, p := range probs.list() {
		t.Errorf("browser reported: %s", p)
	}
}

// TestBrowserExactAndNotices: the exact-words box searches the words as
// typed and stays ticked; notices show what happened to the input; an
// error page keeps the query in the box.
func TestBrowserExactAndNotices(t *testing.T) {
	ctx := newBrowser(t)
	base := strings.TrimSuffix(os.Getenv("HRSEARCH_BROWSER_URL"), "/")
	if base == "" {
		h, err := NewServer(browserConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		base = ts.URL
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=non-refoulement")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Skipf("chromium did not start: %v", err)
		}
		t.Fatal(err)
	}
	probs := watchProblems(t, ctx)
	checked := func() bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('exact').checked`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if checked() {
		t.Error("the exact-words box is ticked before it is asked for")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#exact`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if err := clickAndWait(ctx, `#search-form button[type="submit"]`); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "exact=1") {
		t.Errorf("location %s lacks exact=1", loc)
	}
	if !checked() {
		t.Error("the exact-words box is not ticked on the results it asked for")
	}
	screenshot(t, ctx, "search-exact")

	// Notices: a field prefix that is none of ours, stop words alone.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=foo%3Abar+torture")); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".notices"); !strings.Contains(got, "foo:") {
		t.Errorf("notices = %q, want one about foo:", got)
	}
	screenshot(t, ctx, "search-notice")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=not")); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".notices"); !strings.Contains(got, `"not"`) {
		t.Errorf("notices = %q, want the quoted suggestion", got)
	}
	if got := text(t, ctx, "#none-h"); strings.Contains(got, "Nothing matched") {
		t.Errorf("stop words alone: heading %q", got)
	}

	for _, p := range probs.list() {
		t.Errorf("browser reported: %s", p)
	}

	// The error page (a 400, which the browser reports) keeps the query.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search?q=torture+custody&size=abc")); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('q').value`))
	if err != nil {
		t.Fatal(err)
	}
	if v != "torture custody" {
		t.Errorf("error page's search box = %q, want the query", v)
	}
}
