package main

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// TestGuardedWrites, through the API: a document read has an ETag; two
// editors writing from the same read, one after the other or at once, get
// one 200 and one 412; dry_run on PUT and DELETE says what would change
// and changes nothing; unknown query parameters on writes are a 400 that
// names them.
func TestGuardedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	ann := newToken(t, data, "ann")
	ben := newToken(t, data, "ben")
	ts := startServer(t, data, 0, nil)
	if code, b := ts.upload("POST", "/api/documents", ann, map[string]string{"id": "g-note", "kind": "article", "language": "en", "title": "Start"}, "g.txt",
		[]byte("Guarded\n\nThe plinkerton rule on returns.")); code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}
	etag := func() string {
		code, _, h := ts.request("GET", "/api/documents/g-note", nil)
		if code != 200 || h.Get("ETag") == "" {
			t.Fatalf("GET: %d, ETag %q", code, h.Get("ETag"))
		}
		return h.Get("ETag")
	}
	title := func() string {
		var d struct{ Title string }
		_, b, _ := ts.request("GET", "/api/documents/g-note", nil)
		json.Unmarshal(b, &d)
		return d.Title
	}
	e1 := etag()
	if code, b := ts.upload("PUT", "/api/documents/g-note", ann, map[string]string{"title": "Ann's"}, "", nil, "If-Match", e1); code != 200 {
		t.Fatalf("ann's PUT: %d %s", code, b)
	}
	e2 := etag()
	if e2 == e1 {
		t.Fatal("the ETag did not change with the document")
	}
	code, b := ts.upload("PUT", "/api/documents/g-note", ben, map[string]string{"title": "Ben's"}, "", nil, "If-Match", e1)
	if code != 412 || title() != "Ann's" {
		t.Errorf("ben's stale PUT: %d %s; title %q", code, b, title())
	}
	if code, _, _ := ts.request("DELETE", "/api/documents/g-note", nil, "Authorization", "Bearer "+ben, "If-Match", e1); code != 412 {
		t.Errorf("a stale DELETE: %d, want 412", code)
	}
	// At once, from the same read: one wins.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, tok := range []string{ann, ben} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = ts.upload("PUT", "/api/documents/g-note", tok, map[string]string{"title": "Race " + tok[:8]}, "", nil, "If-Match", e2)
		}()
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 412 || codes[0] == 412 && codes[1] == 200) {
		t.Errorf("two editors at once from the same read: %v, want one 200 and one 412", codes)
	}
	e3 := etag()

	// Dry runs.
	code, b = ts.upload("PUT", "/api/documents/g-note?dry_run=true", ann, map[string]string{"title": "Would be"}, "", nil)
	var dr struct {
		DryRun  bool   `json:"dry_run"`
		Action  string `json:"action"`
		Changes []struct{ Field, Before, After string }
	}
	json.Unmarshal(b, &dr)
	if code != 200 || !dr.DryRun || dr.Action != "edit" || len(dr.Changes) != 1 || dr.Changes[0].Field != "title" || dr.Changes[0].After != "Would be" {
		t.Errorf("PUT dry run: %d %s", code, b)
	}
	code, b = ts.upload("PUT", "/api/documents/g-note?dry_run=1", ann, nil, "g2.txt", []byte("Other\n\nThe zamfir doctrine.\n\nA second block."))
	if code != 200 || !strings.Contains(string(b), `"action":"replace"`) || !strings.Contains(string(b), `"passages":3`) || !strings.Contains(string(b), `"field":"sha256"`) {
		t.Errorf("PUT dry run with a file: %d %s", code, b)
	}
	code, b, _ = ts.request("DELETE", "/api/documents/g-note?dry_run=true", nil, "Authorization", "Bearer "+ann)
	if code != 200 || !strings.Contains(string(b), `"action":"delete"`) {
		t.Errorf("DELETE dry run: %d %s", code, b)
	}
	if etag() != e3 {
		t.Error("a dry run changed the document")
	}
	if n, _ := ts.hits("q=plinkerton"); n == 0 {
		t.Error("a dry run removed the document from search")
	}
	if n, _ := ts.hits("q=zamfir"); n != 0 {
		t.Error("a dry run indexed the file")
	}
	var vs versionsJSON
	ts.apiJSON("GET", "/api/documents/g-note/versions", ann, "", &vs)
	if len(vs.Versions) != 3 {
		t.Errorf("%d versions, want 3 (add and two edits; no dry run)", len(vs.Versions))
	}

	// Unknown parameters.
	for _, c := range []struct{ method, path string }{
		{"PUT", "/api/documents/g-note?stattes=FR"},
		{"DELETE", "/api/documents/g-note?stattes=FR"},
		{"POST", "/api/documents?stattes=FR"},
	} {
		var code int
		var b []byte
		if c.method == "DELETE" {
			code, b, _ = ts.request(c.method, c.path, nil, "Authorization", "Bearer "+ann)
		} else {
			code, b = ts.upload(c.method, c.path, ann, map[string]string{"id": "g-note", "title": "x"}, "g.txt", []byte("x"))
		}
		if code != 400 || !strings.Contains(string(b), "stattes") {
			t.Errorf("%s %s: %d %s, want 400 naming stattes", c.method, c.path, code, b)
		}
	}
	if title() == "x" {
		t.Error("a refused write changed the document")
	}
}
