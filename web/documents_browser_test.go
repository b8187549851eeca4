package web

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowserCopyCitation: on a decision's page, "Copy citation" puts the
// passage's citation on the clipboard and says so.
func TestBrowserCopyCitation(t *testing.T) {
	ctx := newBrowser(t)
	h, err := NewServer(caseConfig())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/doc/"+fakeCaseDoc+"#para-9.2")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Skipf("chromium did not start: %v", err)
		}
		t.Fatal(err)
	}
	probs := watchProblems(t, ctx)
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm}, Setting: "granted", Origin: ts.URL}); err != nil {
			t.Fatalf("granting %s: %v", perm, err)
		}
	}
	btn := `#para-9\.2 button.copy-cite`
	if err := chromedp.Do(ctx, chromedp.WaitVisible(btn), chromedp.Click(btn, chromedp.NodeVisible)); err != nil {
		t.Fatalf("the copy control of para. 9.2: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#para-9\\.2 button.copy-cite").textContent === "Copied"`)); err != nil {
		t.Fatalf("the button never said Copied: %v", err)
	}
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the clipboard: %v", err)
	}
	if want := "Fixture citation of " + fakeCaseDoc + ", para. 9.2"; clip != want {
		t.Errorf("clipboard %q, want %q", clip, want)
	}
	if got := text(t, ctx, `#para-9\.2 .cite-text`); !strings.Contains(got, "para. 9.2") {
		t.Errorf("citation shown as %q", got)
	}
	for _, p := range probs.list() {
		t.Errorf("page problem: %s", p)
	}
}
