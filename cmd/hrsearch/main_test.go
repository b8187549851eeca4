package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	indexertest.Cleanup()
	os.Exit(code)
}

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return runCLIContext(t, context.Background(), args...)
}

// runCLIContext is runCLI under ctx (serve returns when it is done).
func runCLIContext(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(ctx, args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// runBounded runs a command that must refuse to start: should it serve
// instead, it stops after a few seconds.
func runBounded(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return runCLIContext(t, ctx, args...)
}

func TestSearchJSONOnDemo(t *testing.T) {
	data := indexertest.DemoData(t)
	out, _, err := runCLI(t, "search", "--data", data, "--json", "refouler")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID, Document, Unit, Snippet string
			Instrument, Article, State  []string
		} `json:"hits"`
		Facets map[string][]struct {
			Value string
			Count int
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json is not JSON: %v\n%.300s", err, out)
	}
	found := false
	for _, h := range res.Hits {
		found = found || h.ID == "cat#art-3"
	}
	if !found || res.Total == 0 || len(res.Facets["instrument"]) == 0 {
		t.Errorf("search --json refouler: total %d, cat#art-3 among hits: %v, facets %v", res.Total, found, res.Facets)
	}

	out, _, err = runCLI(t, "stats", "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Documents, Passages int }
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Documents != 923 || st.Passages < 30000 {
		t.Errorf("stats = %s (%v), want 923 documents", out, err)
	}
}

func TestIndexTwiceAndPassages(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("A title\n\nA block about asylum."), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "c.jsonl")
	if err := os.WriteFile(catalog, []byte(`{"id":"a","kind":"article","language":"en","format":"text","file":"a.txt"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "index", "--catalog", catalog, "--data", data)
	if err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("first index: %q %v", out, err)
	}
	out, _, err = runCLI(t, "index", "--catalog", catalog, "--data", data)
	if err != nil || !strings.Contains(out, "1 unchanged") || !strings.Contains(out, "0 passages written") {
		t.Fatalf("second index: %q %v", out, err)
	}
	out, _, err = runCLI(t, "passages", "--catalog", catalog, "--document", "a")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"id":"a#p-2"`) {
		t.Errorf("passages = %q", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"index"}, {"search", "--data", t.TempDir()}, {"passages", "--catalog", "x"}} {
		if _, _, err := runCLI(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("hrsearch %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestExtractUsesDocumentContext(t *testing.T) {
	catalog := corpustest.CatalogPath(t)
	old := os.Stdin
	r, w, _ := os.Pipe()
	os.Stdin = r
	defer func() { os.Stdin = old }()
	w.WriteString("The complainant claims that his deportation to El Salvador would violate article 3 of the Convention.")
	w.Close()
	out, _, err := runCLI(t, "extract", "--catalog", catalog, "--document", "cat-c-35-d-237-2003")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"articles":["CAT 3"]`) || !strings.Contains(out, `"states":["SV"]`) {
		t.Errorf("extract = %s", out)
	}
}

// TestReadCommandsNeedData: search and eval on a data directory that does
// not exist say so, and create nothing there (an empty index would answer
// every query with nothing, and eval would score that).
func TestReadCommandsNeedData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	f := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"search", "--data", dir, "torture"}, {"eval", "--data", dir, "--topics", f, "--qrels", f}} {
		_, _, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "run hrsearch index first") {
			t.Errorf("hrsearch %v: err = %v, want one naming hrsearch index", args, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("hrsearch %v left %s behind (%v)", args, dir, err)
		}
	}
}

// TestCommandsRefuseMissingData: serve, token and reindex on a data
// directory that does not exist (a typo in --data) say how to start one and
// create nothing; an existing empty directory starts an empty library.
func TestCommandsRefuseMissingData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"serve", "--data", dir, "--addr", "127.0.0.1:0"},
		{"token", "create", "--data", dir, "--name", "alice"},
		{"token", "list", "--data", dir},
		{"token", "revoke", "--data", dir, "alice"},
		{"reindex", "--data", dir},
	} {
		out, _, err := runBounded(t, args...)
		if err == nil || !strings.Contains(err.Error(), "no data directory at "+dir) ||
			!strings.Contains(err.Error(), "hrsearch index --catalog") || !strings.Contains(err.Error(), "mkdir -p "+dir) {
			t.Errorf("hrsearch %v: err = %v, want one saying how to start a data directory", args, err)
		}
		if out != "" {
			t.Errorf("hrsearch %v printed %q", args, out)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("hrsearch %v left %s behind (%v)", args, dir, err)
		}
	}

	// mkdir -p DIR starts an empty library: a token, then a server that
	// accepts it.
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "token", "create", "--data", dir, "--name", "alice")
	if err != nil {
		t.Fatalf("token create in an empty directory: %v %s", err, errOut)
	}
	tok := strings.TrimSpace(out)
	a, err := openApp(appConfig{data: dir, maxUpload: 1 << 20}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("serving an empty directory: %v", err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/audit", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	a.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("GET /api/audit with the new token: %d %s", rec.Code, rec.Body)
	}
	a.Close()
	// hrsearch serve starts on it too, and serves until it is stopped.
	if _, errOut, err := runBounded(t, "serve", "--data", dir, "--addr", "127.0.0.1:0"); err != nil || !strings.Contains(errOut, "hrsearch is serving") {
		t.Errorf("serve on an empty directory: %v\n%s", err, errOut)
	}
}

// TestDataIsAFile: every command given a regular file as --data says so,
// instead of a system call's complaint about a path inside it.
func TestDataIsAFile(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "data")
	if err := os.WriteFile(file, []byte("not a directory\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := writeSmallCatalog(t, t.TempDir(), 1)
	empty := filepath.Join(tmp, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"index", "--catalog", catalog, "--data", file},
		{"crawl", "--seed", "http://127.0.0.1:1/", "--data", file},
		{"demo", "--catalog", catalog, "--data", file, "--addr", "127.0.0.1:0"},
		{"search", "--data", file, "torture"},
		{"stats", "--data", file},
		{"eval", "--data", file, "--topics", empty, "--qrels", empty},
		{"serve", "--data", file, "--addr", "127.0.0.1:0"},
		{"token", "create", "--data", file, "--name", "alice"},
		{"token", "list", "--data", file},
		{"token", "revoke", "--data", file, "alice"},
		{"reindex", "--data", file},
	} {
		_, _, err := runBounded(t, args...)
		if err == nil || !strings.Contains(err.Error(), file+" is a file, not a data directory") {
			t.Errorf("hrsearch %v: err = %v, want one saying %s is a file", args, err, file)
		}
	}
	// A path through a file names the file.
	_, _, err := runCLI(t, "stats", "--data", filepath.Join(file, "sub"))
	if err == nil || !strings.Contains(err.Error(), file+" is a file") {
		t.Errorf("stats --data %s: err = %v, want one saying %s is a file", filepath.Join(file, "sub"), err, file)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "not a directory\n" {
		t.Errorf("the file was changed: %q %v", b, err)
	}
}

// TestReportNamesLibrariansChanges: the import's line counts the documents
// it kept as a librarian left them, and only then.
func TestReportNamesLibrariansChanges(t *testing.T) {
	var out bytes.Buffer
	cat := &corpus.Catalog{}
	if err := printReport(&out, io.Discard, cat, &indexer.Report{Documents: 3, Unchanged: 1, Kept: 1, DeletedByLibrarian: 1}, false); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "1 kept (a librarian's version), 1 deleted by a librarian") {
		t.Errorf("report %q does not name the librarian's changes", s)
	}
	out.Reset()
	printReport(&out, io.Discard, cat, &indexer.Report{Documents: 3, Unchanged: 3}, false)
	if s := out.String(); strings.Contains(s, "librarian") {
		t.Errorf("report %q names librarians' changes there are none of", s)
	}
}

// TestFetchErrorHidesTheNetwork: a URL that cannot be fetched says why in
// the librarian's terms, without this server's resolver or addresses.
func TestFetchErrorHidesTheNetwork(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Get", URL: "https://example.invalid/", Err: &net.DNSError{Err: "no such host", Name: "example.invalid", Server: "10.255.255.5:53", IsNotFound: true}},
			`no host called "example.invalid" was found`},
		{&net.DNSError{Err: "i/o timeout", Name: "example.org", Server: "10.255.255.5:53", IsTimeout: true},
			`the host name "example.org" could not be looked up`},
		{&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 80}, Err: errors.New("connect: connection refused")},
			"could not be reached (connect: connection refused)"},
	} {
		got := (&fetchError{err: tt.err}).UserReason()
		if !strings.Contains(got, tt.want) || strings.Contains(got, "10.") {
			t.Errorf("UserReason(%v) = %q, want %q and no address", tt.err, got, tt.want)
		}
	}
}

// TestSessionsFile: hrsearch serve keeps librarians' sessions in
// DATA/sessions.json, owner-only and without session ids, so that a server
// opened again on the directory keeps them signed in.
func TestSessionsFile(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := runCLI(t, "token", "create", "--data", dir, "--name", "alice")
	if err != nil {
		t.Fatalf("token create: %v %s", err, errOut)
	}
	tok := strings.TrimSpace(out)
	open := func() *app {
		a, err := openApp(appConfig{data: dir, maxUpload: 1 << 20}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := open()
	req := httptest.NewRequest("POST", "/librarian/signin", strings.NewReader(url.Values{"token": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	a.Close()
	var session string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "hrsearch_session" {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatalf("sign-in: %d, no session cookie", rec.Code)
	}
	file := filepath.Join(dir, "sessions.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), session) || strings.Contains(string(b), tok) {
		t.Errorf("sessions.json holds the session id or the token: %s", b)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("sessions.json mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	a = open()
	defer a.Close()
	req = httptest.NewRequest("GET", "/api/audit", nil)
	req.AddCookie(&http.Cookie{Name: "hrsearch_session", Value: session})
	rec = httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("the session on a server opened again: %d, want 200", rec.Code)
	}
}

// TestSearchExactFlag: search --exact asks for the words as typed, as the
// API's exact=1: without it a word finds its other forms.
func TestSearchExactFlag(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	text := "A title\n\nThe author was deported to his country of origin.\n\nThe deportation order was upheld on appeal.\n"
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(src, "c.jsonl")
	if err := os.WriteFile(catalog, []byte(`{"id":"a","kind":"article","language":"en","format":"text","file":"a.txt"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "index", "--catalog", catalog, "--data", data); err != nil {
		t.Fatal(err)
	}
	ids := func(args ...string) []string {
		t.Helper()
		out, _, err := runCLI(t, append([]string{"search", "--data", data, "--json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var res struct{ Hits []struct{ ID string } }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %.300s", err, out)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	if got := ids("deported"); len(got) != 2 {
		t.Errorf("search deported = %v, want both forms (a#p-2, a#p-3)", got)
	}
	if got := ids("--exact", "deported"); len(got) != 1 || got[0] != "a#p-2" {
		t.Errorf("search --exact deported = %v, want only a#p-2", got)
	}
}
