package main

import (
	"strings"
	"testing"
)

// TestLibrarianDocumentsList: the librarians' list of the library finds
// documents by title, filters by origin and kind, puts the last changed
// first, and links each to its edit page.
func TestLibrarianDocumentsList(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t) // doc-0, doc-1, doc-2 from a catalog
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	if code, b := ts.upload("POST", "/api/documents", tok, map[string]string{"id": "listed-note", "kind": "report", "language": "en", "title": "A wombling report"},
		"n.txt", []byte("Wombling\n\nA report on wombles.")); code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}
	if code, b := ts.upload("PUT", "/api/documents/doc-1", tok, map[string]string{"title": "Corrected one"}, "", nil); code != 200 {
		t.Fatalf("edit: %d %s", code, b)
	}
	ck := signIn(t, ts, tok)
	get := func(q string) string {
		t.Helper()
		code, b, _ := ts.request("GET", "/librarian/documents"+q, nil, "Cookie", ck)
		if code != 200 {
			t.Fatalf("documents%s: %d %s", q, code, b)
		}
		return string(b)
	}
	all := get("")
	if !strings.Contains(all, "4 documents") || !strings.Contains(all, `href="/librarian/edit/listed-note"`) {
		t.Errorf("the whole list lacks its count or an Edit link")
	}
	if i, j := strings.Index(all, "Corrected one"), strings.Index(all, "doc-0"); i < 0 || j < 0 || i > j {
		t.Errorf("the last changed (doc-1) is not before doc-0: %d %d", i, j)
	}
	if b := get("?q=wombling"); !strings.Contains(b, "1 documents") || !strings.Contains(b, "listed-note") {
		t.Errorf("search by title: %s", b[strings.Index(b, "documents-total"):][:80])
	}
	if b := get("?origin=catalog"); !strings.Contains(b, "3 documents") || strings.Contains(b, "/librarian/edit/listed-note") {
		t.Error("origin=catalog lists other than the catalog's three")
	}
	if b := get("?kind=report&origin=upload"); !strings.Contains(b, "1 documents") {
		t.Error("kind=report&origin=upload")
	}
	if code, _, _ := ts.request("GET", "/librarian/documents?stattes=1", nil, "Cookie", ck); code != 400 {
		t.Errorf("an unknown parameter: %d", code)
	}
	// The document's page links to its edit page for a signed-in librarian only.
	if _, b, _ := ts.request("GET", "/doc/listed-note", nil, "Cookie", ck); !strings.Contains(string(b), `href="/librarian/edit/listed-note"`) {
		t.Error("the document page has no Edit link for a signed-in librarian")
	}
	if _, b, _ := ts.request("GET", "/doc/listed-note", nil); strings.Contains(string(b), `id="edit-link"`) {
		t.Error("the document page shows an Edit link to a reader")
	}
	if code, _, _ := ts.request("GET", "/librarian/documents", nil); code != 303 {
		t.Errorf("signed out: %d, want a redirect to sign in", code)
	}
}
