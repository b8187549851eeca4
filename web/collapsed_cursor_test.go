package web

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestCollapsedNext: a collapsed search carries next; following it lists
// every document once, in the order of the numbered pages, and after a
// change to the library the cursor is a 400 stale_cursor.
func TestCollapsedNext(t *testing.T) {
	l := newRealLibrary(t)
	manyDocuments(t, l, 20, "polygraph")
	total, want := allCollapsed(t, l, "q=polygraph")
	h := l.handler(t, nil)
	const q = "/api/search?q=polygraph&collapse=document&size=7"
	target := q
	var got []string
	var first string
	for pages := 0; ; pages++ {
		rec := do(h, "GET", target)
		var res struct {
			Total     int
			Documents []collapsedDoc
			Next      *string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); rec.Code != 200 || err != nil {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		for _, d := range res.Documents {
			got = append(got, d.ID)
		}
		if res.Next == nil {
			break
		}
		if first == "" {
			first = *res.Next
		}
		target = q + "&cursor=" + url.QueryEscape(*res.Next)
	}
	if len(got) != total {
		t.Fatalf("walked %d documents of %d", len(got), total)
	}
	for i := range got {
		if got[i] != want[i].ID {
			t.Fatalf("document %d: %s, the numbered pages have %s", i, got[i], want[i].ID)
		}
	}
	if rec := do(h, "GET", "/api/search?q=other&collapse=document&size=7&cursor="+url.QueryEscape(first)); rec.Code != 400 || decodeJSON(t, rec)["error"] != "bad_cursor" {
		t.Errorf("a cursor of another search: %d %s", rec.Code, rec.Body)
	}
	l.add(t, corpus.Entry{ID: "late", Kind: "report", Title: "Late", Language: "en"}, 1, "polygraph", time.Now())
	if rec := do(h, "GET", q+"&cursor="+url.QueryEscape(first)); rec.Code != 400 || decodeJSON(t, rec)["error"] != "stale_cursor" {
		t.Errorf("a stale cursor: %d %s", rec.Code, rec.Body)
	}
}
