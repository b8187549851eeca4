package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// A text written for this test and a reworded, re-paginated copy of it.
const (
	dupOriginal = `Notes on a deportation hearing

The applicant arrived at the border with two children and asked for protection the same evening. Officers recorded her statement in a language she barely spoke and gave her no copy of it.

At the hearing a week later the judge relied on that statement to find her account inconsistent. Her lawyer was appointed on the morning of the hearing and had no time to read the file or to call the interpreter who had been present.

The decision to remove the family was taken within an hour, and the appeal did not suspend the removal.`
	dupReworded = `Notes about a deportation hearing

The applicant reached the border with two children and requested protection the same evening.

Officers recorded her statement in a language she hardly spoke and gave her no copy of it. At the hearing one week later the judge relied on that statement to find her account inconsistent.

Her lawyer was assigned on the morning of the hearing and had no time to read the file or to phone the interpreter who had been present. The decision to remove the family was made within an hour, and the appeal did not suspend the removal.`
)

// TestDuplicatesEndToEnd: an exact duplicate is a 409 that names the
// document already holding the file, unless allow_duplicate=1; a reworded
// copy is flagged in the dry run and in the answer to the add, and on both
// documents' pages, with a similarity figure.
func TestDuplicatesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	fields := func(id string) map[string]string {
		return map[string]string{"id": id, "kind": "article", "language": "en"}
	}
	if code, b := ts.upload("POST", "/api/documents", tok, fields("hearing"), "hearing.txt", []byte(dupOriginal)); code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}
	code, b := ts.upload("POST", "/api/documents", tok, fields("hearing-copy"), "copy.txt", []byte(dupOriginal))
	if code != 409 || !strings.Contains(string(b), "hearing") || !strings.Contains(string(b), "allow_duplicate") {
		t.Errorf("exact duplicate: %d %s, want 409 naming hearing", code, b)
	}
	if code, _, _ := ts.request("GET", "/api/documents/hearing-copy", nil); code != 404 {
		t.Errorf("the refused duplicate was stored: %d", code)
	}
	if code, b := ts.upload("POST", "/api/documents?allow_duplicate=1", tok, fields("hearing-copy"), "copy.txt", []byte(dupOriginal)); code != 201 {
		t.Errorf("allowed duplicate: %d %s", code, b)
	}

	code, b = ts.upload("POST", "/api/documents?dry_run=true", tok, fields("hearing-reworded"), "r.txt", []byte(dupReworded))
	var pv struct {
		Duplicates struct {
			Exact []string
			Near  []struct {
				ID         string
				Similarity float64
			}
		}
	}
	json.Unmarshal(b, &pv)
	if code != 200 || len(pv.Duplicates.Exact) != 0 || len(pv.Duplicates.Near) != 2 || pv.Duplicates.Near[0].Similarity < 0.3 {
		t.Fatalf("dry run of the reworded copy: %d %s", code, b)
	}
	t.Logf("reworded copy: %s", b[strings.Index(string(b), `"duplicates"`):])
	code, b = ts.upload("POST", "/api/documents", tok, fields("hearing-reworded"), "r.txt", []byte(dupReworded))
	if code != 201 || !strings.Contains(string(b), `"near_duplicates":[{"id":"hearing`) {
		t.Errorf("add of the reworded copy: %d %s", code, b)
	}

	// Both documents' pages show it.
	ck := signIn(t, ts, tok)
	for _, c := range []struct{ page, other string }{{"hearing", "hearing-reworded"}, {"hearing-reworded", "hearing"}} {
		code, b, _ := ts.request("GET", "/librarian/edit/"+c.page, nil, "Cookie", ck)
		if code != 200 || !strings.Contains(string(b), `id="near-duplicates"`) || !strings.Contains(string(b), ">"+c.other+"</a>: ") ||
			!strings.Contains(string(b), "% of the text in common") {
			t.Errorf("%s's page: %d, no near-duplicate %s", c.page, code, c.other)
		}
	}
}

// signIn signs in with a token and returns the session cookie.
func signIn(t *testing.T, ts *testServer, tok string) string {
	t.Helper()
	code, _, hdr := ts.request("POST", "/librarian/signin", strings.NewReader("token="+tok), "Content-Type", "application/x-www-form-urlencoded")
	if code != 303 {
		t.Fatalf("sign-in: %d", code)
	}
	return strings.Split(hdr.Get("Set-Cookie"), ";")[0]
}
