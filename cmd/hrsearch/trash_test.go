package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// apiJSON sends a request with a bearer token and decodes a JSON answer
// into v (if not nil).
func (ts *testServer) apiJSON(method, path, token string, body string, v any) int {
	ts.t.Helper()
	hdr := []string{"Authorization", "Bearer " + token}
	if body != "" {
		hdr = append(hdr, "Content-Type", "application/x-www-form-urlencoded")
	}
	code, b, _ := ts.request(method, path, strings.NewReader(body), hdr...)
	if v != nil && code < 300 {
		if err := json.Unmarshal(b, v); err != nil {
			ts.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	if code >= 400 {
		ts.t.Logf("%s %s: %d %s", method, path, code, b)
	}
	return code
}

type versionsJSON struct {
	Versions []struct {
		N       int    `json:"n"`
		Current bool   `json:"current"`
		By      string `json:"by"`
		Action  string `json:"action"`
		Changes []struct {
			Field, Before, After string
		} `json:"changes"`
		Metadata struct {
			Title string `json:"title"`
		} `json:"metadata"`
	} `json:"versions"`
}

// TestTrashVersionsRolesEndToEnd, through the API of the served app:
// delete → trash → restore → searchable at once; replace → versions →
// restore version 1; only an admin purges and manages tokens (an editor
// gets 403); unknown parameters on these writes are a 400 naming them.
func TestTrashVersionsRolesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	ed := newToken(t, data, "alice")
	out, errOut, err := runCLI(t, "token", "create", "--data", data, "--name", "root", "--role", "admin")
	if err != nil {
		t.Fatalf("token create --role admin: %v %s", err, errOut)
	}
	admin := strings.TrimSpace(out)
	ts := startServer(t, data, 0, nil)

	first := []byte("Returns note\n\nThe quokkaflux principle forbids return to a risk of torture.")
	if code, b := ts.upload("POST", "/api/documents", ed, map[string]string{"id": "tv-note", "kind": "article", "language": "en", "title": "First title"}, "note.txt", first); code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}

	// Delete → trash → restore → searchable.
	if code := ts.apiJSON("DELETE", "/api/documents/tv-note", ed, "", nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if n, _ := ts.hits("q=quokkaflux"); n != 0 {
		t.Fatalf("deleted, still found: %d", n)
	}
	var tr struct {
		Trash []map[string]any `json:"trash"`
	}
	if code := ts.apiJSON("GET", "/api/trash", ed, "", &tr); code != 200 || len(tr.Trash) != 1 || tr.Trash[0]["id"] != "tv-note" ||
		tr.Trash[0]["deleted_by"] != "alice" || tr.Trash[0]["title"] != "First title" {
		t.Fatalf("trash: %d %+v", code, tr)
	}
	if code := ts.apiJSON("POST", "/api/trash/tv-note/restore?force=1", ed, "", nil); code != 400 {
		t.Errorf("restore with an unknown parameter: %d, want 400", code)
	}
	if code := ts.apiJSON("POST", "/api/trash/tv-note/restore", ed, "", nil); code != 200 {
		t.Fatalf("restore: %d", code)
	}
	if n, docs := ts.hits("q=quokkaflux"); n == 0 || docs[0] != "tv-note" {
		t.Fatalf("restored, not found at once: %d %v", n, docs)
	}
	if code := ts.apiJSON("POST", "/api/trash/tv-note/restore", ed, "", nil); code != 404 {
		t.Errorf("second restore: %d, want 404", code)
	}

	// Replace → versions → restore version 1.
	if code, b := ts.upload("PUT", "/api/documents/tv-note", ed, nil, "note.txt", []byte("Second\n\nThe wombatique doctrine now.")); code != 200 {
		t.Fatalf("replace: %d %s", code, b)
	}
	if code, b := ts.upload("PUT", "/api/documents/tv-note", ed, map[string]string{"title": "Corrected title"}, "", nil); code != 200 {
		t.Fatalf("correct: %d %s", code, b)
	}
	var vs versionsJSON
	if code := ts.apiJSON("GET", "/api/documents/tv-note/versions", ed, "", &vs); code != 200 || len(vs.Versions) != 3 {
		t.Fatalf("versions: %d %+v", code, vs)
	}
	for i, v := range vs.Versions {
		if v.N != i+1 || v.Current != (i == 2) || v.By != "alice" {
			t.Errorf("version %d: %+v", i+1, v)
		}
	}
	if c := vs.Versions[2].Changes; len(c) != 1 || c[0].Field != "Title" || c[0].After != "Corrected title" {
		t.Errorf("changes of version 3: %+v", c)
	}
	if code := ts.apiJSON("GET", "/api/documents/tv-note/versions", "", "", nil); code != 401 {
		t.Errorf("versions without a token: %d, want 401", code)
	}
	if code := ts.apiJSON("POST", "/api/documents/tv-note/versions/1/restore", ed, "", nil); code != 200 {
		t.Fatalf("restore version 1: %d", code)
	}
	if n, _ := ts.hits("q=quokkaflux"); n == 0 {
		t.Error("version 1's words not found after restoring it")
	}
	if n, _ := ts.hits("q=wombatique"); n != 0 {
		t.Error("version 3's words still found after restoring version 1")
	}
	vs = versionsJSON{}
	ts.apiJSON("GET", "/api/documents/tv-note/versions", ed, "", &vs)
	if len(vs.Versions) != 4 || vs.Versions[3].Action != "restore-version" || vs.Versions[3].Metadata.Title != "First title" {
		t.Errorf("versions after restoring 1: %+v", vs)
	}
	if code := ts.apiJSON("POST", "/api/documents/tv-note/versions/9/restore", ed, "", nil); code != 404 {
		t.Errorf("restore version 9: %d, want 404", code)
	}

	// Roles: purge and tokens are an admin's.
	if code := ts.apiJSON("DELETE", "/api/documents/tv-note", ed, "", nil); code != 204 {
		t.Fatalf("delete again: %d", code)
	}
	if code := ts.apiJSON("DELETE", "/api/trash/tv-note", ed, "", nil); code != 403 {
		t.Errorf("editor purge: %d, want 403", code)
	}
	if code := ts.apiJSON("GET", "/api/tokens", ed, "", nil); code != 403 {
		t.Errorf("editor GET /api/tokens: %d, want 403", code)
	}
	if code := ts.apiJSON("POST", "/api/tokens", ed, "name=mallory&role=admin", nil); code != 403 {
		t.Errorf("editor creates a token: %d, want 403", code)
	}
	if code := ts.apiJSON("DELETE", "/api/trash/tv-note", admin, "", nil); code != 204 {
		t.Errorf("admin purge: %d", code)
	}
	if code := ts.apiJSON("POST", "/api/trash/tv-note/restore", ed, "", nil); code != 404 {
		t.Errorf("restore after purge: %d, want 404", code)
	}
	var toks struct {
		Tokens []struct {
			Name, Role string
			LastUsed   *string `json:"last_used"`
		} `json:"tokens"`
	}
	if code := ts.apiJSON("GET", "/api/tokens", admin, "", &toks); code != 200 || len(toks.Tokens) != 2 ||
		toks.Tokens[0].Name != "alice" || toks.Tokens[0].Role != "editor" || toks.Tokens[0].LastUsed == nil || toks.Tokens[1].Role != "admin" {
		t.Errorf("GET /api/tokens: %d %+v", code, toks)
	}
	var made struct{ Name, Role, Token string }
	if code := ts.apiJSON("POST", "/api/tokens", admin, url.Values{"name": {"bob"}, "role": {"editor"}}.Encode(), &made); code != 201 || made.Token == "" {
		t.Fatalf("admin creates bob: %d %+v", code, made)
	}
	if code := ts.apiJSON("POST", "/api/tokens", admin, "name=carol&rolle=admin", nil); code != 400 {
		t.Errorf("a misspelt field: %d, want 400", code)
	}
	if code := ts.apiJSON("POST", "/api/tokens", admin, "name=bob", nil); code != 409 {
		t.Errorf("a second bob: %d, want 409", code)
	}
	var rot struct{ Token string }
	if code := ts.apiJSON("POST", "/api/tokens/bob/rotate", admin, "", &rot); code != 200 || rot.Token == made.Token {
		t.Fatalf("rotate bob: %d", code)
	}
	if code := ts.apiJSON("GET", "/api/trash", made.Token, "", nil); code != 401 {
		t.Errorf("bob's old token after rotation: %d, want 401", code)
	}
	if code := ts.apiJSON("GET", "/api/trash", rot.Token, "", nil); code != 200 {
		t.Errorf("bob's new token: %d", code)
	}
	if code := ts.apiJSON("DELETE", "/api/tokens/bob", admin, "", nil); code != 204 {
		t.Errorf("revoke bob: %d", code)
	}
	if code := ts.apiJSON("GET", "/api/trash", rot.Token, "", nil); code != 401 {
		t.Errorf("bob's token after revocation: %d, want 401", code)
	}

	// The audit log, filtered and exported.
	var audit struct {
		Events []struct{ Who, Action, ID string } `json:"events"`
	}
	if code := ts.apiJSON("GET", "/api/audit?id=tv-note&action=restore", ed, "", &audit); code != 200 || len(audit.Events) != 1 || audit.Events[0].Who != "alice" {
		t.Errorf("audit of tv-note's restores: %d %+v", code, audit)
	}
	audit.Events = nil
	if code := ts.apiJSON("GET", "/api/audit?who=root", ed, "", &audit); code != 200 || len(audit.Events) != 1 || audit.Events[0].Action != "purge" {
		t.Errorf("audit of root: %d %+v", code, audit)
	}
	if code := ts.apiJSON("GET", "/api/audit?action=fly", ed, "", nil); code != 400 {
		t.Errorf("an unknown action: %d", code)
	}
	code, b, h := ts.request("GET", "/api/audit?id=tv-note&format=jsonl", nil, "Authorization", "Bearer "+ed)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	// add, delete, restore, replace, edit, restore-version, delete, purge
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/jsonl") || len(lines) != 8 {
		t.Errorf("export: %d %s, %d lines:\n%s", code, h.Get("Content-Type"), len(lines), b)
	}
	for _, l := range lines {
		var ev struct{ ID string }
		if err := json.Unmarshal([]byte(l), &ev); err != nil || ev.ID != "tv-note" {
			t.Errorf("export line %q: %v", l, err)
		}
	}
}
