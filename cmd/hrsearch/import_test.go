package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"strings"
	"testing"
)

// zipBytes is a zip of name, content pairs.
func zipBytes(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type importAnswer struct {
	Documents, Added, Updated, Unchanged, Kept, Failed int
	DeletedByLibrarian                                 int `json:"deleted_by_librarian"`
	Results                                            []struct{ ID, Outcome, Error string }
	Unlisted                                           []string `json:"unlisted_files"`
	Errors                                             []struct{ ID, Error string }
}

// TestCatalogImportEndToEnd: a zip of a catalog and its files through
// POST /api/catalog: the good documents added and searchable, a broken
// one failed with its reason in words, one a librarian deleted kept in
// the trash, a file the catalog does not name reported; a second import
// changes nothing; zips that escape or are no zip are refused whole.
func TestCatalogImportEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	auth := []string{"Authorization", "Bearer " + tok}
	if code, b, _ := ts.request("DELETE", "/api/documents/doc-1", nil, auth...); code != 200 && code != 204 {
		t.Fatalf("delete: %d %s", code, b)
	}
	z := zipBytes(t,
		"import/catalog.jsonl", `{"id":"imp-a","kind":"article","language":"en","title":"Imported A","file":"texts/a.txt"}
{"id":"imp-b","kind":"report","language":"en","file":"texts/b.md"}
{"id":"imp-bad","kind":"report","file":"texts/bad.pdf"}
{"id":"doc-1","kind":"article","language":"en","format":"text","file":"texts/doc-1.txt"}
`,
		"import/texts/a.txt", "Imported A\n\nThe quixotrope doctrine on returns.",
		"import/texts/b.md", "# Imported B\n\nThe quixotrope doctrine, second report.",
		"import/texts/bad.pdf", "%PDF-1.7\nthis is no PDF at all\n%%EOF",
		"import/texts/doc-1.txt", "Document 1\n\nA copy the librarian deleted.",
		"import/notes/readme.txt", "Not named by the catalog.")
	post := func(body []byte, ctype string, query string) (int, []byte) {
		code, b, hdr := ts.request("POST", "/api/catalog"+query, bytes.NewReader(body), append([]string{"Content-Type", ctype}, auth...)...)
		if cc := hdr.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("POST /api/catalog: Cache-Control %q, want no-store", cc)
		}
		return code, b
	}
	code, b := post(z, "application/zip", "")
	var rep importAnswer
	if err := json.Unmarshal(b, &rep); err != nil || code != 200 {
		t.Fatalf("import: %d %s", code, b)
	}
	outcomes := map[string]string{}
	for _, r := range rep.Results {
		outcomes[r.ID] = r.Outcome
	}
	if rep.Documents != 4 || rep.Added != 2 || rep.Failed != 1 || rep.DeletedByLibrarian != 1 || outcomes["imp-bad"] != "failed" ||
		outcomes["doc-1"] != "deleted-by-librarian" || len(rep.Unlisted) != 1 || rep.Unlisted[0] != "import/notes/readme.txt" {
		t.Fatalf("import report: %s", b)
	}
	if len(rep.Errors) != 1 || strings.Contains(rep.Errors[0].Error, "exit status") || strings.Contains(rep.Errors[0].Error, data) {
		t.Errorf("the broken file's reason: %+v", rep.Errors)
	}
	if n, docs := ts.hits("q=quixotrope"); n != 2 || len(docs) != 2 {
		t.Errorf("imported documents searchable: %d %v", n, docs)
	}
	if code, _, _ := ts.request("GET", "/api/documents/doc-1", nil); code != 404 {
		t.Errorf("the import brought back a deleted document: %d", code)
	}
	if code, b, _ := ts.request("GET", "/api/trash", nil, auth...); code != 200 || !strings.Contains(string(b), `"doc-1"`) {
		t.Errorf("trash after the import: %d %s", code, b)
	}

	// The same zip as a multipart form: nothing changes.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "catalog.zip")
	fw.Write(z)
	mw.Close()
	code, b = post(body.Bytes(), mw.FormDataContentType(), "")
	rep = importAnswer{}
	if err := json.Unmarshal(b, &rep); err != nil || code != 200 || rep.Unchanged != 2 || rep.Added != 0 || rep.Updated != 0 {
		t.Errorf("second import: %d %s", code, b)
	}

	for _, tc := range []struct {
		name, ctype, query string
		body               []byte
		want               int
	}{
		{"escaping", "application/zip", "", zipBytes(t, "catalog.jsonl", `{"id":"evil","kind":"report","file":"evil.txt"}`, "evil.txt", "x", "../../evil.txt", "x"), 422},
		{"not a zip", "application/zip", "", []byte("id,title\n"), 415},
		{"wrong type", "text/plain", "", z, 415},
		{"dry run", "application/zip", "?dry_run=true", z, 400},
		{"no catalog", "application/zip", "", zipBytes(t, "a.txt", "x"), 422},
	} {
		if code, b := post(tc.body, tc.ctype, tc.query); code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, code, b, tc.want)
		}
	}
	if code, _, _ := ts.request("GET", "/api/documents/evil", nil); code != 404 {
		t.Errorf("a refused zip stored a document: %d", code)
	}
	if code, _, _ := ts.request("POST", "/api/catalog", bytes.NewReader(z), "Content-Type", "application/zip"); code != 401 {
		t.Errorf("an import without a token: %d, want 401", code)
	}
}
