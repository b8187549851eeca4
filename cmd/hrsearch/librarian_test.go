package main

// End-to-end tests of the librarians' side, on the server as serve builds
// it (openApp) over a real data directory, and the security checks S2, S3,
// S4 and S6 of RELIABILITY.md, each printing its RESULT line.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/tokens"
	"github.com/hrsearch/hrsearch/search"
)

// testServer is openApp behind an httptest server, with its log.
type testServer struct {
	t    *testing.T
	data string
	app  *app
	srv  *httptest.Server
	logs *lockedBuffer
	once sync.Once
}

func startServer(t *testing.T, data string, maxUpload int64, logs *lockedBuffer) *testServer {
	t.Helper()
	if logs == nil {
		logs = &lockedBuffer{}
	}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The window cache is on, as served: every add, correction and removal
	// below must show in the next search.
	a, err := openApp(appConfig{data: data, maxUpload: maxUpload, cache: search.DefaultWindowCache,
		fetch: fetch.FetchConfig{AllowPrivate: true, HostDelay: time.Millisecond, Log: log}}, log)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, data: data, app: a, srv: httptest.NewServer(a.handler), logs: logs}
	t.Cleanup(ts.close)
	return ts
}

func (ts *testServer) close() {
	ts.once.Do(func() {
		ts.srv.Close()
		ts.app.Close()
	})
}

// request sends a request with optional headers (name, value, …).
func (ts *testServer) request(method, path string, body io.Reader, hdr ...string) (int, []byte, http.Header) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.srv.URL+path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// form is a multipart body: fields, then a file when name is set.
func form(t *testing.T, fields map[string]string, name string, file []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.WriteField(k, fields[k])
	}
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(file)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

// upload sends a multipart request with a bearer token ("" for none).
func (ts *testServer) upload(method, path, token string, fields map[string]string, name string, file []byte, hdr ...string) (int, []byte) {
	ts.t.Helper()
	body, ct := form(ts.t, fields, name, file)
	hdr = append(hdr, "Content-Type", ct)
	if token != "" {
		hdr = append(hdr, "Authorization", "Bearer "+token)
	}
	code, b, _ := ts.request(method, path, body, hdr...)
	return code, b
}

// hits returns the documents of a search's hits and its total.
func (ts *testServer) hits(query string) (total int, docs []string) {
	ts.t.Helper()
	code, b, _ := ts.request("GET", "/api/search?"+query, nil)
	if code != 200 {
		ts.t.Fatalf("search %s: %d %s", query, code, b)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			Document string `json:"document"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		ts.t.Fatal(err)
	}
	for _, h := range res.Hits {
		docs = append(docs, h.Document)
	}
	return res.Total, docs
}

func newToken(t *testing.T, data, name string) string {
	t.Helper()
	out, errOut, err := runCLI(t, "token", "create", "--data", data, "--name", name)
	if err != nil {
		t.Fatalf("token create: %v %s", err, errOut)
	}
	tok := strings.TrimSpace(out)
	if strings.Contains(errOut, tok) {
		t.Error("token create shows the token on stderr")
	}
	return tok
}

// newDataDir indexes a small catalog into a new data directory.
func newDataDir(t *testing.T) (data, catalog string) {
	t.Helper()
	src := t.TempDir()
	data = filepath.Join(t.TempDir(), "data")
	catalog = writeSmallCatalog(t, src, 3)
	if _, errOut, err := runCLI(t, "index", "--catalog", catalog, "--data", data); err != nil {
		t.Fatalf("index: %v %s", err, errOut)
	}
	return data, catalog
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// bigUpload is a multipart body with a file of n bytes, produced as it is
// read (nothing of that size is held in memory).
func bigUpload(n int64) (io.Reader, string, int64) {
	const boundary = "hrsearchtestboundary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nbig\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	r := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, n), strings.NewReader(tail))
	return r, "multipart/form-data; boundary=" + boundary, int64(len(head)) + n + int64(len(tail))
}

// TestLibrarianEndToEnd: add a document with a token and find it at once;
// restart and find it again; replace it (old words gone, new ones found);
// correct its states; delete it; refuse no token, a wrong token and a
// cross-site request; refuse a garbage PDF with the reader's reason and go
// on serving; refuse a 120 MB upload with 413.
func TestLibrarianEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)

	note := []byte("A note on returns\n\nThe quokkaflux principle forbids return to a risk of torture.\n\nA second paragraph on remedies.")
	code, b := ts.upload("POST", "/api/documents", tok, map[string]string{"id": "e2e-note", "kind": "article", "language": "en", "states": "SV"}, "note.txt", note)
	if code != 201 {
		t.Fatalf("add: %d %s", code, b)
	}
	if n, docs := ts.hits("q=quokkaflux"); n == 0 || docs[0] != "e2e-note" {
		t.Fatalf("just added, not found: %d %v", n, docs)
	}

	// Restart: close the data directory and open it again.
	ts.close()
	ts = startServer(t, data, 0, nil)
	if n, _ := ts.hits("q=quokkaflux"); n == 0 {
		t.Fatal("not found after a restart")
	}

	// Replace the file: the old words go, the new ones are found.
	code, b = ts.upload("PUT", "/api/documents/e2e-note", tok, nil, "note.md", []byte("# Replaced\n\nThe wombatique doctrine now."))
	if code != 200 {
		t.Fatalf("replace: %d %s", code, b)
	}
	if n, _ := ts.hits("q=quokkaflux"); n != 0 {
		t.Errorf("old words still found after replacing: %d", n)
	}
	if n, _ := ts.hits("q=wombatique"); n == 0 {
		t.Error("new words not found after replacing")
	}

	// Correct the states: the correction wins and is searchable.
	if code, b = ts.upload("PUT", "/api/documents/e2e-note", tok, map[string]string{"states": "GT"}, "", nil); code != 200 {
		t.Fatalf("correct: %d %s", code, b)
	}
	if n, _ := ts.hits("q=wombatique&state=GT"); n == 0 {
		t.Error("corrected state not searchable")
	}
	if n, _ := ts.hits("q=wombatique&state=SV"); n != 0 {
		t.Error("the catalog's state still applies after the correction")
	}
	code, b, _ = ts.request("GET", "/api/documents/e2e-note", nil)
	if code != 200 || !strings.Contains(string(b), `"states":["GT"]`) {
		t.Errorf("document after correction: %d %s", code, b)
	}

	// Refusals change nothing.
	if code, _ := ts.upload("PUT", "/api/documents/e2e-note", "", map[string]string{"title": "x"}, "", nil); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _ := ts.upload("PUT", "/api/documents/e2e-note", "hrs_wrong", map[string]string{"title": "x"}, "", nil); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	if code, _ := ts.upload("PUT", "/api/documents/e2e-note", tok, map[string]string{"title": "x"}, "", nil, "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Errorf("cross-site: %d", code)
	}

	// A garbage PDF: a reason, nothing stored, and the server goes on.
	code, b = ts.upload("POST", "/api/documents", tok, map[string]string{"id": "garbage"}, "report.pdf", []byte("%PDF-1.7\nthis is no PDF at all\n%%EOF"))
	if code != 422 || !strings.Contains(string(b), "could not be read as pdf") {
		t.Errorf("garbage PDF: %d %s", code, b)
	}
	t.Logf("garbage PDF: %d %s", code, b)
	if code, _, _ := ts.request("GET", "/api/documents/garbage", nil); code != 404 {
		t.Errorf("garbage PDF stored: %d", code)
	}
	if code, _, _ := ts.request("GET", "/healthz", nil); code != 200 {
		t.Errorf("healthz after the garbage PDF: %d", code)
	}

	// 120 MB, streamed: 413, with the length announced or not.
	for _, chunked := range []bool{false, true} {
		body, ct, n := bigUpload(120 << 20)
		req, _ := http.NewRequest("POST", ts.srv.URL+"/api/documents", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+tok)
		if !chunked {
			req.ContentLength = n
		}
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("120 MB upload (chunked %v): %v", chunked, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Errorf("120 MB upload (chunked %v): %d", chunked, resp.StatusCode)
		}
		t.Logf("120 MB upload (chunked %v): %d in %s", chunked, resp.StatusCode, time.Since(start).Round(time.Millisecond))
	}

	// Delete: 404 and no hits.
	if code, b, _ := ts.request("DELETE", "/api/documents/e2e-note", nil, "Authorization", "Bearer "+tok); code != 204 {
		t.Fatalf("delete: %d %s", code, b)
	}
	if code, _, _ := ts.request("GET", "/api/documents/e2e-note", nil); code != 404 {
		t.Errorf("deleted document: %d", code)
	}
	if n, _ := ts.hits("q=wombatique"); n != 0 {
		t.Errorf("deleted document still found: %d", n)
	}

	// The audit log has it all, by name.
	code, b, _ = ts.request("GET", "/api/audit", nil, "Authorization", "Bearer "+tok)
	var audit struct {
		Events []struct{ Who, Action, ID string } `json:"events"`
	}
	json.Unmarshal(b, &audit)
	var got []string
	for _, e := range audit.Events {
		got = append(got, e.Who+" "+e.Action+" "+e.ID)
	}
	want := []string{"alice delete e2e-note", "alice edit e2e-note", "alice replace e2e-note", "alice add e2e-note"}
	if code != 200 || !slices.Equal(got, want) {
		t.Errorf("audit: %d %v, want %v", code, got, want)
	}
}

// TestAddByURL fetches a librarian's URL with the crawler's fetcher.
func TestAddByURL(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/report.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><html><head><title>A report</title></head><body><h1>A report</h1><p>The numbatoid finding concerns detention.</p></body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	code, b := ts.upload("POST", "/api/documents", tok, map[string]string{"id": "fetched", "url": site.URL + "/report.html", "kind": "report"}, "", nil)
	if code != 201 {
		t.Fatalf("add by URL: %d %s", code, b)
	}
	if !strings.Contains(string(b), `"origin":"upload"`) { // the librarian's, not the crawl's
		t.Errorf("provenance: %s", b)
	}
	if n, _ := ts.hits("q=numbatoid"); n == 0 {
		t.Error("the fetched document is not found")
	}
	code, b = ts.upload("POST", "/api/documents", tok, map[string]string{"id": "missing", "url": site.URL + "/nope.html"}, "", nil)
	if code != 422 || !strings.Contains(string(b), "could not be fetched") {
		t.Errorf("a URL that is not there: %d %s", code, b)
	}
}

// TestReimportKeepsCorrections: a librarian's correction made through the
// API survives `hrsearch index --catalog` of a changed catalog file.
func TestReimportKeepsCorrections(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, catalog := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	if code, b := ts.upload("PUT", "/api/documents/doc-1", tok, map[string]string{"states": "SV", "title": "Corrected title"}, "", nil); code != 200 {
		t.Fatalf("correct: %d %s", code, b)
	}
	ts.close()

	if err := os.WriteFile(filepath.Join(filepath.Dir(catalog), "doc-1.txt"), []byte("Document 1\n\nThe dingowise text was revised."), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "index", "--catalog", catalog, "--data", data)
	if err != nil || !strings.Contains(out, "1 updated") {
		t.Fatalf("re-import: %q %q %v", out, errOut, err)
	}
	ts = startServer(t, data, 0, nil)
	if n, docs := ts.hits("q=dingowise&state=SV"); n == 0 || docs[0] != "doc-1" {
		t.Errorf("re-imported text with the corrected state: %d %v", n, docs)
	}
	code, b, _ := ts.request("GET", "/api/documents/doc-1", nil)
	if code != 200 || !strings.Contains(string(b), `"title":"Corrected title"`) || !strings.Contains(string(b), `"states":["SV"]`) {
		t.Errorf("after re-import: %d %s", code, b)
	}
}

// TestS2CrossSiteWrites: every state-changing route refuses cross-site
// requests with 403, whatever the credentials, and nothing changes.
func TestS2CrossSiteWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	before, _ := os.ReadDir(filepath.Join(data, "store"))
	routes := []struct{ method, path string }{
		{"POST", "/api/documents"}, {"PUT", "/api/documents/doc-1"}, {"DELETE", "/api/documents/doc-1"},
		{"POST", "/librarian/signin"}, {"POST", "/librarian/signout"}, {"POST", "/librarian/preview"},
		{"POST", "/librarian/save"}, {"POST", "/librarian/edit/doc-1"}, {"POST", "/librarian/delete/doc-1"},
	}
	attacks := [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "https://evil.example"},
	}
	tried, refused := 0, 0
	for _, rt := range routes {
		for _, atk := range attacks {
			body, ct := form(t, map[string]string{"id": "evil", "title": "pwned", "token": tok}, "evil.txt", []byte("Evil text."))
			code, _, _ := ts.request(rt.method, rt.path, body, append(atk, "Content-Type", ct, "Authorization", "Bearer "+tok)...)
			tried++
			if code == 403 {
				refused++
			} else {
				t.Errorf("%s %s with %s: %d, want 403", rt.method, rt.path, atk, code)
			}
		}
	}
	after, _ := os.ReadDir(filepath.Join(data, "store"))
	code, b, _ := ts.request("GET", "/api/documents/doc-1", nil)
	changed := len(after) != len(before) || code != 200 || strings.Contains(string(b), "pwned")
	fmt.Printf("RESULT S2 cross_site_requests=%d refused_403=%d store_changed=%v\n", tried, refused, changed)
	if changed {
		t.Error("a cross-site request changed the store")
	}
	// The same request from the site itself (or a non-browser client) works.
	if code, b := ts.upload("PUT", "/api/documents/doc-1", tok, map[string]string{"title": "Fine"}, "", nil, "Sec-Fetch-Site", "same-origin"); code != 200 {
		t.Errorf("same-origin PUT: %d %s", code, b)
	}
}

// TestS3Tokens: no, malformed, wrong and revoked tokens get 401; tokens are
// stored as SHA-256 digests only (0600) and never appear in the log, the
// answers or `token list`.
func TestS3Tokens(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	revoked := newToken(t, data, "bob")
	logs := &lockedBuffer{}
	ts := startServer(t, data, 0, logs)

	// Sign in with bob's token before it is revoked: the session must die with it.
	code, _, hdr := ts.request("POST", "/librarian/signin", strings.NewReader(url.Values{"token": {revoked}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if code != 303 {
		t.Fatalf("sign-in: %d", code)
	}
	cookie := strings.Split(hdr.Get("Set-Cookie"), ";")[0]
	if code, _, _ := ts.request("GET", "/api/audit", nil, "Cookie", cookie); code != 200 {
		t.Fatalf("session: %d", code)
	}
	if _, errOut, err := runCLI(t, "token", "revoke", "--data", data, "bob"); err != nil {
		t.Fatalf("revoke: %v %s", err, errOut)
	}

	cases := []struct {
		name string
		hdr  []string
	}{
		{"none", nil},
		{"empty bearer", []string{"Authorization", "Bearer "}},
		{"basic", []string{"Authorization", "Basic " + tok}},
		{"wrong", []string{"Authorization", "Bearer hrs_" + strings.Repeat("A", 43)}},
		{"almost", []string{"Authorization", "Bearer " + tok[:len(tok)-1]}},
		{"huge", []string{"Authorization", "Bearer " + strings.Repeat("x", 10000)}},
		{"revoked", []string{"Authorization", "Bearer " + revoked}},
		{"revoked session", []string{"Cookie", cookie}},
		{"forged session", []string{"Cookie", "hrsearch_session=" + strings.Repeat("A", 43)}},
	}
	unauthorized, bodies := 0, ""
	for _, c := range cases {
		for _, rt := range []struct{ method, path string }{{"POST", "/api/documents"}, {"PUT", "/api/documents/doc-1"}, {"DELETE", "/api/documents/doc-1"}, {"GET", "/api/audit"}} {
			body, ct := form(t, map[string]string{"id": "x", "title": "t"}, "x.txt", []byte("Text."))
			code, b, h := ts.request(rt.method, rt.path, body, append(slices.Clone(c.hdr), "Content-Type", ct)...)
			bodies += string(b)
			if code == 401 && h.Get("WWW-Authenticate") != "" {
				unauthorized++
			} else {
				t.Errorf("%s token, %s %s: %d", c.name, rt.method, rt.path, code)
			}
		}
	}
	total := len(cases) * 4
	// The good token works (and is logged by name only).
	if code, b := ts.upload("PUT", "/api/documents/doc-1", tok, map[string]string{"title": "By alice"}, "", nil); code != 200 {
		t.Errorf("good token: %d %s", code, b)
	}
	code, _, _ = ts.request("POST", "/librarian/signin", strings.NewReader("token="+url.QueryEscape(tok)), "Content-Type", "application/x-www-form-urlencoded")
	if code != 303 {
		t.Errorf("good sign-in: %d", code)
	}
	ts.close()

	// Stored as digests only, in a private file.
	raw, err := os.ReadFile(filepath.Join(data, tokens.TokensFile))
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(raw, &recs); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(tok))
	// bob's record stays, revoked and without a digest, so that his name
	// is never given again.
	digestOnly := len(recs) == 2 && recs[0]["sha256"] == hex.EncodeToString(sum[:]) && recs[1]["sha256"] == nil && recs[1]["revoked"] != nil &&
		!strings.Contains(string(raw), tok) && !strings.Contains(string(raw), revoked)
	for _, rec := range recs {
		for k := range rec {
			if !slices.Contains([]string{"name", "role", "created", "sha256", "revoked", "rotated", "last_used"}, k) {
				digestOnly = false
			}
		}
	}
	fi, _ := os.Stat(filepath.Join(data, tokens.TokensFile))
	list, _, _ := runCLI(t, "token", "list", "--data", data)
	secrets := []string{tok, revoked, hex.EncodeToString(sum[:])}
	inLogs, inAnswers, inList := 0, 0, 0
	for _, s := range secrets {
		inLogs += strings.Count(logs.String(), s)
		inAnswers += strings.Count(bodies, s)
		inList += strings.Count(list, s)
	}
	if !strings.Contains(logs.String(), `"who":"alice"`) {
		t.Error("the log does not name the librarian")
	}
	fmt.Printf("RESULT S3 refused_401=%d/%d stored_as=sha256 digest_only=%v file_mode=%o token_in_logs=%d token_in_answers=%d token_in_list=%d log_bytes=%d\n",
		unauthorized, total, digestOnly, fi.Mode().Perm(), inLogs, inAnswers, inList, len(logs.String()))
	if !digestOnly || fi.Mode().Perm() != 0o600 || inLogs+inAnswers+inList != 0 || unauthorized != total {
		t.Error("S3 failed")
	}
}

// TestS4OversizedRequests: uploads over --max-upload (announced or
// streamed), big non-upload bodies, long addresses, long queries, long and
// many form fields.
func TestS4OversizedRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 1<<20, nil) // hrsearch serve --max-upload 1048576
	auth := []string{"Authorization", "Bearer " + tok}
	type check struct {
		name string
		code int
		want int
	}
	var checks []check
	add := func(name string, code, want int) { checks = append(checks, check{name, code, want}) }

	code, _ := ts.upload("POST", "/api/documents", tok, map[string]string{"id": "big"}, "big.txt", bytes.Repeat([]byte("word "), (1<<20)/5+10))
	add("upload over --max-upload", code, 413)
	for _, chunked := range []bool{false, true} {
		body, ct, n := bigUpload(8 << 20)
		req, _ := http.NewRequest("POST", ts.srv.URL+"/api/documents", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+tok)
		if !chunked {
			req.ContentLength = n
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		add(fmt.Sprintf("8 MB upload, chunked=%v", chunked), resp.StatusCode, 413)
	}
	code, _ = ts.upload("POST", "/api/documents", tok, map[string]string{"id": "fits"}, "fits.txt", bytes.Repeat([]byte("word "), 1000))
	add("upload under --max-upload", code, 201)
	code, _, _ = ts.request("POST", "/librarian/signin", bytes.NewReader(make([]byte, 2<<20)), "Content-Type", "application/x-www-form-urlencoded")
	add("2 MB sign-in body", code, 413)
	code, _, _ = ts.request("GET", "/api/search?q="+strings.Repeat("a", 5000), nil)
	add("5000-byte address", code, 414)
	code, _, _ = ts.request("GET", "/api/search?q="+strings.Repeat("torture+", 251), nil)
	add("2,008-character query", code, 400)
	code, _ = ts.upload("PUT", "/api/documents/doc-1", tok, map[string]string{"title": strings.Repeat("t", 9000)}, "", nil)
	add("9 KB form field", code, 400)
	many := map[string]string{}
	for i := range 100 {
		many[fmt.Sprintf("f%03d", i)] = "x"
	}
	code, _ = ts.upload("PUT", "/api/documents/doc-1", tok, many, "", nil)
	add("100 form fields", code, 400)
	code, _, _ = ts.request("GET", "/api/audit?size=100000", nil, auth...)
	add("audit size 100000", code, 400)

	bad := 0
	for _, c := range checks {
		if c.code != c.want {
			bad++
			t.Errorf("%s: %d, want %d", c.name, c.code, c.want)
		}
	}
	var parts []string
	for _, c := range checks {
		parts = append(parts, fmt.Sprintf("%d", c.code))
	}
	fmt.Printf("RESULT S4 checks=%d as_expected=%d statuses=%s\n", len(checks), len(checks)-bad, strings.Join(parts, ","))
}

// TestS6EscapingIDs: ids that try to leave the data directory are refused
// with 400 wherever an id is taken, and no file appears outside it.
func TestS6EscapingIDs(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	parent := filepath.Dir(data)
	listing := func() []string {
		var out []string
		filepath.WalkDir(parent, func(p string, d os.DirEntry, err error) error {
			if err == nil {
				rel, _ := filepath.Rel(parent, p)
				if !strings.HasPrefix(rel, filepath.Join("data", "store")) && !strings.HasPrefix(rel, filepath.Join("data", "index")) {
					out = append(out, rel)
				}
			}
			return nil
		})
		return out
	}
	storeIDs := func() []string {
		ents, _ := os.ReadDir(filepath.Join(data, "store"))
		var out []string
		for _, e := range ents {
			out = append(out, e.Name())
		}
		return out
	}
	beforeFiles, beforeIDs := listing(), storeIDs()
	ids := []string{"../../etc/passwd", "../outside", "..", ".", "/etc/passwd", "a/b", `a\b`, "A", "x y",
		"-lead", ".hidden", "a..b", strings.Repeat("a", 201), "a\x00b", "%2e%2e", "é"}
	// In paths, dots are escaped too: unescaped dot segments are the
	// router's to clean (below).
	escape := func(id string) string { return strings.ReplaceAll(url.PathEscape(id), ".", "%2E") }
	tried, refused := 0, 0
	for _, id := range ids {
		for _, try := range []func() int{
			func() int {
				code, _ := ts.upload("POST", "/api/documents", tok, map[string]string{"id": id}, "x.txt", []byte("Escape attempt."))
				return code
			},
			func() int {
				code, _ := ts.upload("PUT", "/api/documents/"+escape(id), tok, map[string]string{"title": "x"}, "", nil)
				return code
			},
			func() int {
				code, _, _ := ts.request("DELETE", "/api/documents/"+escape(id), nil, "Authorization", "Bearer "+tok)
				return code
			},
			func() int {
				code, _, _ := ts.request("GET", "/api/documents/"+escape(id), nil)
				return code
			},
		} {
			tried++
			if code := try(); code == 400 {
				refused++
			} else {
				t.Errorf("id %q: %d, want 400", id, code)
			}
		}
	}
	// Unescaped dot segments are cleaned by the router: never a write.
	for _, p := range []string{"/api/documents/../../etc/passwd", "/api/documents/%2e%2e/%2e%2e/etc/passwd"} {
		code, _ := ts.upload("PUT", p, tok, map[string]string{"title": "x"}, "", nil)
		if code < 300 {
			t.Errorf("PUT %s: %d", p, code)
		}
	}
	afterFiles, afterIDs := listing(), storeIDs()
	outside := 0
	for _, f := range afterFiles {
		if !slices.Contains(beforeFiles, f) && !strings.HasPrefix(f, filepath.Join("data", library.AuditFile)) {
			outside++
			t.Errorf("new file %s", f)
		}
	}
	if !slices.Equal(beforeIDs, afterIDs) {
		t.Errorf("store entries changed: %v → %v", beforeIDs, afterIDs)
	}
	fmt.Printf("RESULT S6 ids=%d requests=%d refused_400=%d files_outside_store=%d store_changed=%v\n",
		len(ids), tried, refused, outside, !slices.Equal(beforeIDs, afterIDs))
}

func TestTokenCommand(t *testing.T) {
	data := t.TempDir() // an empty library: mkdir -p DIR
	tok := newToken(t, data, "alice")
	if len(tok) < 40 || strings.ContainsAny(tok, "+/=") {
		t.Errorf("token %q: want ≥ 32 random bytes in base64url", tok)
	}
	if _, _, err := runCLI(t, "token", "create", "--data", data, "--name", "alice"); err == nil {
		t.Error("a second token of the same name was made")
	}
	if _, _, err := runCLI(t, "token", "create", "--data", data, "--name", "Bad Name"); err == nil {
		t.Error("a bad name was accepted")
	}
	out, _, err := runCLI(t, "token", "list", "--data", data, "--json")
	if err != nil || !strings.Contains(out, `"name":"alice"`) || strings.Contains(out, tok) || strings.Contains(out, "sha256") {
		t.Errorf("token list: %q %v", out, err)
	}
	if _, _, err := runCLI(t, "token", "revoke", "--data", data, "--name", "alice"); err != nil {
		t.Error(err)
	}
	if _, _, err := runCLI(t, "token", "revoke", "--data", data, "alice"); err == nil {
		t.Error("revoking twice worked")
	}
	if _, _, err := runCLI(t, "token"); err == nil {
		t.Error("token without a subcommand worked")
	}
}
