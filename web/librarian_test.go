package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/hrsearch/hrsearch/corpus"
	"golang.org/x/net/html"
)

// fakeLibrary is a hand-written Library in memory: text is split into
// passages at blank lines; bytes that claim to be a PDF and are not are
// refused with a reason.
type fakeLibrary struct {
	mu     sync.Mutex
	docs   map[string]*LibraryDoc
	events []AuditEvent
}

func newFakeLibrary() *fakeLibrary { return &fakeLibrary{docs: map[string]*LibraryDoc{}} }

type fakeReadError struct{ reason string }

func (e *fakeReadError) Error() string      { return "reading: " + e.reason }
func (e *fakeReadError) Unwrap() error      { return corpus.ErrInvalid }
func (e *fakeReadError) UserReason() string { return e.reason }

func (f *fakeLibrary) Preview(ctx context.Context, e corpus.Entry, up *Upload) (*corpus.Document, error) {
	if e.Format == "" {
		e.Format = corpus.FormatText
		if strings.HasSuffix(up.Filename, ".pdf") {
			e.Format = corpus.FormatPDF
		}
	}
	if e.Format == corpus.FormatPDF && !bytes.HasPrefix(up.Raw, []byte("%PDF-")) {
		return nil, &fakeReadError{"The file could not be read as pdf: no %PDF- header."}
	}
	doc := &corpus.Document{Entry: e}
	for i, block := range strings.Split(string(up.Raw), "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		unit := fmt.Sprintf("p-%d", i+1)
		p := corpus.Passage{ID: e.ID + "#" + unit, Document: e.ID, Unit: unit, Order: i, Text: block, States: e.States}
		if strings.Contains(block, "Convention against Torture") {
			p.Instruments, p.Articles = []string{"CAT"}, []string{"CAT 3"}
		}
		doc.Passages = append(doc.Passages, p)
	}
	if len(doc.Passages) == 0 {
		return nil, &fakeReadError{"No text was found in the file."}
	}
	return doc, nil
}

func (f *fakeLibrary) Add(ctx context.Context, who string, e corpus.Entry, up *Upload) (*LibraryDoc, error) {
	doc, err := f.Preview(ctx, e, up)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.docs[e.ID]; ok {
		return nil, fmt.Errorf("%w: exists", corpus.ErrConflict)
	}
	d := &LibraryDoc{Effective: doc.Entry, Catalog: doc.Entry, Origin: up.Origin, Source: "upload:" + up.Filename,
		SHA256: fmt.Sprintf("%x", sha256.Sum256(up.Raw)), Size: int64(len(up.Raw)), FetchedAt: timeZero(), Doc: doc}
	f.docs[e.ID] = d
	f.events = append(f.events, AuditEvent{Time: timeZero(), Who: who, Action: "add", ID: e.ID, After: &AuditState{Entry: d.Effective, SHA256: d.SHA256, Size: d.Size}})
	return d, nil
}

func (f *fakeLibrary) Update(ctx context.Context, who, id string, o *corpus.Entry, up *Upload) (*LibraryDoc, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, ok := f.docs[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", id, corpus.ErrNotFound)
	}
	d := *old
	if o != nil {
		for _, f := range clearedOf(o) {
			switch f {
			case fieldStates:
				d.Effective.States = d.Catalog.States
			case fieldTitle:
				d.Effective.Title = d.Catalog.Title
			case fieldDate:
				d.Effective.Date = d.Catalog.Date
			case fieldYear:
				d.Effective.Year = d.Catalog.Year
			}
		}
		if o.States != nil {
			d.Effective.States = o.States
		}
		if o.Title != "" {
			d.Effective.Title = o.Title
		}
		if o.Date != "" {
			d.Effective.Date = o.Date
		}
		if o.Year != 0 {
			d.Effective.Year = o.Year
		}
		d.Overrides = o
		if isEmptyEntry(o) {
			d.Overrides = nil // the fake keeps only the last correction
		}
	}
	if up != nil {
		d.SHA256, d.Size = fmt.Sprintf("%x", sha256.Sum256(up.Raw)), int64(len(up.Raw))
	}
	d.Doc = &corpus.Document{Entry: d.Effective, Passages: []corpus.Passage{{ID: id + "#p-1", Unit: "p-1", Text: "x", States: d.Effective.States}}}
	f.docs[id] = &d
	f.events = append(f.events, AuditEvent{Time: timeZero(), Who: who, Action: "edit", ID: id,
		Before: &AuditState{Entry: old.Effective, SHA256: old.SHA256}, After: &AuditState{Entry: d.Effective, Overrides: o, SHA256: d.SHA256}})
	return &d, nil
}

func (f *fakeLibrary) Delete(ctx context.Context, who, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, ok := f.docs[id]
	if !ok {
		return fmt.Errorf("%s: %w", id, corpus.ErrNotFound)
	}
	delete(f.docs, id)
	f.events = append(f.events, AuditEvent{Time: timeZero(), Who: who, Action: "delete", ID: id, Before: &AuditState{Entry: old.Effective}})
	return nil
}

func (f *fakeLibrary) Get(ctx context.Context, id string) (*LibraryDoc, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.docs[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", id, corpus.ErrNotFound)
	}
	c := *d
	c.Doc = nil
	return &c, nil
}

func (f *fakeLibrary) Audit(ctx context.Context, skip, limit int) ([]AuditEvent, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []AuditEvent
	for i := len(f.events) - 1 - skip; i >= 0; i-- {
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, f.events[i])
	}
	return out, false, nil
}

// fakeTokens holds digests of tokens.
type fakeTokens struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]string
}

func newFakeTokens(tokens map[string]string) *fakeTokens {
	f := &fakeTokens{m: map[[sha256.Size]byte]string{}}
	for name, tok := range tokens {
		f.m[sha256.Sum256([]byte(tok))] = name
	}
	return f
}

func (f *fakeTokens) Lookup(sum [sha256.Size]byte) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name, ok := f.m[sum]
	return name, ok
}

func (f *fakeTokens) revoke(tok string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, sha256.Sum256([]byte(tok)))
}

const testToken = "hrs_test-token-for-alice-0123456789abcdefghijklmnop"

func newLibrarianHandler(t *testing.T, mod func(*Config)) (http.Handler, *fakeLibrary, *fakeTokens) {
	t.Helper()
	lib, toks := newFakeLibrary(), newFakeTokens(map[string]string{"alice": testToken})
	h, _ := newTestHandler(t, func(c *Config) {
		c.Library, c.Tokens, c.MaxUpload = lib, toks, 1<<20
		if mod != nil {
			mod(c)
		}
	})
	return h, lib, toks
}

// multipartBody builds a form: fields in order, then a file if name != "".
func multipartBody(t *testing.T, fields [][2]string, filename string, file []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if filename != "" {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func send(h http.Handler, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var bearerHdr = []string{"Authorization", "Bearer " + testToken}

func withHdr(extra ...string) []string { return append(slices.Clone(bearerHdr), extra...) }

// TestLibrarianAPIResponsesMatchOpenAPI exercises the write API, good and
// bad, and validates every answer against openapi.json.
func TestLibrarianAPIResponsesMatchOpenAPI(t *testing.T) {
	h, lib, _ := newLibrarianHandler(t, nil)
	_, router := loadOpenAPI(t, h)
	text := []byte("A title\n\nThe Convention against Torture, article 3.\n\nAnother block.")
	steps := []struct {
		name, method, target string
		fields               [][2]string
		filename             string
		file                 []byte
		hdr                  []string
		contentType          string
		status               int
	}{
		{"add", "POST", "/api/documents", [][2]string{{"id", "note-1"}, {"kind", "article"}, {"states", "sv, ch"}, {"states", "GT"}}, "note.txt", text, bearerHdr, "", 201},
		{"dry run", "POST", "/api/documents?dry_run=true", [][2]string{{"id", "note-2"}}, "note.txt", text, bearerHdr, "", 200},
		{"dry run badly encoded", "POST", "/api/documents?dry_run=tru%ZZ", [][2]string{{"id", "note-3"}}, "note.txt", text, bearerHdr, "", 400}, // not a real add
		{"conflict", "POST", "/api/documents", [][2]string{{"id", "note-1"}}, "note.txt", text, bearerHdr, "", 409},
		{"garbage pdf", "POST", "/api/documents", [][2]string{{"id", "bad"}}, "bad.pdf", []byte("not a pdf"), bearerHdr, "", 422},
		{"no id", "POST", "/api/documents", nil, "note.txt", text, bearerHdr, "", 400},
		{"bad id", "POST", "/api/documents", [][2]string{{"id", "../../etc/passwd"}}, "note.txt", text, bearerHdr, "", 400},
		{"bad state", "POST", "/api/documents", [][2]string{{"id", "x"}, {"states", "XX"}}, "note.txt", text, bearerHdr, "", 400},
		{"bad kind", "POST", "/api/documents", [][2]string{{"id", "x"}, {"kind", "poem"}}, "note.txt", text, bearerHdr, "", 400},
		{"unknown field", "POST", "/api/documents", [][2]string{{"id", "x"}, {"colour", "red"}}, "note.txt", text, bearerHdr, "", 400},
		{"no file, no url", "POST", "/api/documents", [][2]string{{"id", "x"}}, "", nil, bearerHdr, "", 400},
		{"url without fetcher", "POST", "/api/documents", [][2]string{{"id", "x"}, {"url", "https://example.org/x.pdf"}}, "", nil, bearerHdr, "", 501},
		{"too large", "POST", "/api/documents", [][2]string{{"id", "big"}}, "big.txt", bytes.Repeat([]byte("a "), 1<<20), bearerHdr, "", 413},
		{"json body", "POST", "/api/documents", nil, "", nil, withHdr(), "application/json", 415},
		{"no token", "POST", "/api/documents", [][2]string{{"id", "x"}}, "note.txt", text, nil, "", 401},
		{"wrong token", "POST", "/api/documents", [][2]string{{"id", "x"}}, "note.txt", text, []string{"Authorization", "Bearer nope"}, "", 401},
		{"basic auth", "POST", "/api/documents", [][2]string{{"id", "x"}}, "note.txt", text, []string{"Authorization", "Basic YWxpY2U6cHc="}, "", 401},
		{"cross-site", "POST", "/api/documents", [][2]string{{"id", "x"}}, "note.txt", text, withHdr("Sec-Fetch-Site", "cross-site"), "", 403},
		{"correct states", "PUT", "/api/documents/note-1", [][2]string{{"states", "SV"}}, "", nil, bearerHdr, "", 200},
		{"replace file", "PUT", "/api/documents/note-1", nil, "new.txt", []byte("New text."), bearerHdr, "", 200},
		{"put nothing", "PUT", "/api/documents/note-1", nil, "", nil, bearerHdr, "", 400},
		{"put url", "PUT", "/api/documents/note-1", [][2]string{{"url", "https://example.org/"}}, "", nil, bearerHdr, "", 400},
		{"put other id", "PUT", "/api/documents/note-1", [][2]string{{"id", "note-9"}}, "", nil, bearerHdr, "", 400},
		{"put unknown", "PUT", "/api/documents/nope", [][2]string{{"title", "x"}}, "", nil, bearerHdr, "", 404},
		{"put escaping id", "PUT", "/api/documents/..%2F..%2Fetc%2Fpasswd", [][2]string{{"title", "x"}}, "", nil, bearerHdr, "", 400},
		{"audit", "GET", "/api/audit?size=2", nil, "", nil, bearerHdr, "", 200},
		{"audit bad size", "GET", "/api/audit?size=100000", nil, "", nil, bearerHdr, "", 400},
		{"audit no token", "GET", "/api/audit", nil, "", nil, nil, "", 401},
		{"delete", "DELETE", "/api/documents/note-1", nil, "", nil, bearerHdr, "", 204},
		{"delete again", "DELETE", "/api/documents/note-1", nil, "", nil, bearerHdr, "", 404},
		{"delete escaping id", "DELETE", "/api/documents/..%2Fx", nil, "", nil, bearerHdr, "", 400},
		{"delete cross-site", "DELETE", "/api/documents/note-1", nil, "", nil, withHdr("Origin", "https://evil.example"), "", 403},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var body io.Reader
			ct := st.contentType
			if st.fields != nil || st.filename != "" || (st.method != "GET" && st.method != "DELETE" && ct == "") {
				body, ct = multipartBody(t, st.fields, st.filename, st.file)
			}
			if body == nil && ct != "" {
				body = strings.NewReader(`{"id":"x"}`)
			}
			hdr := slices.Clone(st.hdr)
			if ct != "" {
				hdr = append(hdr, "Content-Type", ct)
			}
			rec := send(h, st.method, st.target, body, hdr...)
			if rec.Code != st.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, st.status, rec.Body)
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if strings.Contains(rec.Body.String(), testToken) {
				t.Error("the answer holds the token")
			}
			req := httptest.NewRequest(st.method, "http://example.com"+st.target, nil)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("no route in openapi.json: %v", err)
			}
			in := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 rec.Code, Header: rec.Header(),
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			}
			in.SetBodyBytes(rec.Body.Bytes())
			if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
				t.Errorf("response does not match the spec: %v\n%s", err, rec.Body)
			}
		})
	}
	if _, ok := lib.docs["note-2"]; ok {
		t.Error("a dry run stored the document")
	}
	if _, ok := lib.docs["bad"]; ok {
		t.Error("a garbage PDF was stored")
	}
}

func TestLibrarianRoutesNeedALibrary(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, tt := range []struct{ method, target string }{
		{"POST", "/api/documents"}, {"PUT", "/api/documents/cat"}, {"DELETE", "/api/documents/cat"},
		{"GET", "/api/audit"}, {"GET", "/librarian"},
	} {
		if rec := do(h, tt.method, tt.target); rec.Code < 400 {
			t.Errorf("%s %s without a library: %d", tt.method, tt.target, rec.Code)
		}
	}
	if _, err := NewServer(Config{Searcher: newFakeIndex(), Library: newFakeLibrary()}); err == nil {
		t.Error("a library without tokens was accepted")
	}
}

func TestEntryFromFields(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fields url.Values
		want   corpus.Entry
		err    string
	}{
		{"all", url.Values{"id": {"cat-c-1"}, "title": {" A title "}, "kind": {"decision"}, "instrument": {"cat"}, "body": {"CAT"},
			"symbol": {"CAT/C/1/D/1/2020"}, "date": {"2020-05-12"}, "year": {"2020"}, "language": {"es"}, "states": {"sv,ch", "GT"},
			"url": {"https://example.org/x"}, "format": {"pdf"}, "note": {"n"}},
			corpus.Entry{ID: "cat-c-1", Title: "A title", Kind: "decision", Instrument: "CAT", Body: "CAT", Symbol: "CAT/C/1/D/1/2020",
				Date: "2020-05-12", Year: 2020, Language: "es", States: []string{"SV", "CH", "GT"}, URL: "https://example.org/x", Format: "pdf", Note: "n"}, ""},
		{"empty", url.Values{}, corpus.Entry{}, ""},
		{"bad id", url.Values{"id": {"A/B"}}, corpus.Entry{}, "id"},
		{"long id", url.Values{"id": {strings.Repeat("a", 201)}}, corpus.Entry{}, "id"},
		{"dots", url.Values{"id": {"a..b"}}, corpus.Entry{}, "id"},
		{"kind", url.Values{"kind": {"poem"}}, corpus.Entry{}, "kind"},
		{"instrument", url.Values{"instrument": {"XYZ"}}, corpus.Entry{}, "instrument"},
		{"date", url.Values{"date": {"2020-13-01"}}, corpus.Entry{}, "date"},
		{"year", url.Values{"year": {"nineteen"}}, corpus.Entry{}, "year"},
		{"language", url.Values{"language": {"English"}}, corpus.Entry{}, "language"},
		{"state", url.Values{"states": {"SV, Salvador"}}, corpus.Entry{}, "ISO"},
		{"url", url.Values{"url": {"javascript:alert(1)"}}, corpus.Entry{}, "url"},
		{"url with user", url.Values{"url": {"https://u:p@example.org/"}}, corpus.Entry{}, "url"},
		{"format", url.Values{"format": {"docx"}}, corpus.Entry{}, "format"},
		{"control", url.Values{"title": {"a\x00b"}}, corpus.Entry{}, "not allowed"},
		{"twice", url.Values{"title": {"a", "b"}}, corpus.Entry{}, "once"},
		{"long title", url.Values{"title": {strings.Repeat("é", 501)}}, corpus.Entry{}, "title"},
		{"year contradicts date", url.Values{"date": {"2020-05-12"}, "year": {"2019"}}, corpus.Entry{}, "contradicts"},
		{"date before 1000", url.Values{"date": {"0999-01-01"}}, corpus.Entry{}, "years 1000 to 2200"},
		{"date after 2200", url.Values{"date": {"2201"}}, corpus.Entry{}, "years 1000 to 2200"},
		{"date and its year", url.Values{"date": {"2200-12"}, "year": {"2200"}}, corpus.Entry{Date: "2200-12", Year: 2200}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := entryFromFields(tt.fields)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one about %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestChangedFields(t *testing.T) {
	cur := corpus.Entry{ID: "x", Title: "T", Kind: "article", States: []string{"SV", "CH"}}
	sub := corpus.Entry{Title: "T", Kind: "report", States: []string{"CH", "SV"}}
	v := url.Values{"title": {"T"}, "kind": {"report"}, "states": {"CH, SV"}}
	o := changedFields(&cur, &sub, v)
	if o == nil || o.Kind != "report" || o.Title != "" || o.States != nil {
		t.Errorf("overrides = %+v, want only the kind", o)
	}
	if o := changedFields(&cur, &cur, url.Values{"title": {"T"}}); o != nil {
		t.Errorf("no change gave %+v", o)
	}
	// Emptied fields clear their corrections; a field empty before is no change.
	o = changedFields(&cur, &corpus.Entry{Title: "T"}, url.Values{"title": {"T"}, "states": {" "}, "date": {""}})
	if o == nil || !isEmptyEntry(o) || !slices.Equal(clearedOf(o), []string{"states"}) {
		t.Errorf("emptied states: %+v, clearing %v", o, clearedOf(o))
	}
	// A new date brings the year in effect along when the form has none.
	cur.Date, cur.Year = "2005-01-01", 2005
	if o := changedFields(&cur, &corpus.Entry{Date: "2006-02-03"}, url.Values{"date": {"2006-02-03"}}); o == nil || o.Year != 2006 {
		t.Errorf("new date: %+v, want the year 2006 with it", o)
	}
}

// TestLibrarianClearsOverrides: an empty field clears its correction,
// through the API and the edit page; contradictory dates are refused.
func TestLibrarianClearsOverrides(t *testing.T) {
	h, lib, _ := newLibrarianHandler(t, nil)
	ctx := context.Background()
	e := corpus.Entry{ID: "note-1", Kind: "article", Title: "A title", States: []string{"SV"}, Date: "2005-03-01", Year: 2005}
	if _, err := lib.Add(ctx, "alice", e, &Upload{Raw: []byte("A title\n\nText."), Filename: "note.txt"}); err != nil {
		t.Fatal(err)
	}
	put := func(fields ...[2]string) *httptest.ResponseRecorder {
		body, ct := multipartBody(t, fields, "", nil)
		return send(h, "PUT", "/api/documents/note-1", body, withHdr("Content-Type", ct)...)
	}
	if rec := put([2]string{"states", "GT"}); rec.Code != 200 {
		t.Fatalf("correct states: %d %s", rec.Code, rec.Body)
	}
	rec := put([2]string{"states", ""})
	if rec.Code != 200 || !slices.Equal(lib.docs["note-1"].Effective.States, []string{"SV"}) || lib.docs["note-1"].Overrides != nil {
		t.Fatalf("clear states: %d %s; states %v", rec.Code, rec.Body, lib.docs["note-1"].Effective.States)
	}
	if rec := put([2]string{"states", ""}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "Nothing to change") {
		t.Errorf("clear states with no correction: %d %s", rec.Code, rec.Body)
	}
	if rec := put([2]string{"date", "2007-01-02"}, [2]string{"year", "2007"}); rec.Code != 200 {
		t.Fatalf("correct date and year: %d %s", rec.Code, rec.Body)
	}
	if rec := put([2]string{"date", ""}, [2]string{"year", ""}); rec.Code != 200 || lib.docs["note-1"].Effective.Date != "2005-03-01" {
		t.Errorf("clear date and year: %d %s; date %q", rec.Code, rec.Body, lib.docs["note-1"].Effective.Date)
	}
	for _, tt := range []struct {
		name   string
		fields [][2]string
	}{
		{"year against the date in effect", [][2]string{{"year", "1999"}}},
		{"date against the year in effect", [][2]string{{"date", "2006-01-01"}}},
		{"year against the date sent", [][2]string{{"date", "2006-01-01"}, {"year", "2005"}}},
		{"date before 1000", [][2]string{{"date", "0999"}}},
		{"date after 2200", [][2]string{{"date", "2300-01-01"}}},
	} {
		rec := put(tt.fields...)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "year") {
			t.Errorf("%s: %d %s", tt.name, rec.Code, rec.Body)
		}
	}

	// The edit page: emptying the states box clears the correction.
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}
	edit := func(fields ...[2]string) *httptest.ResponseRecorder {
		body, ct := multipartBody(t, fields, "", nil)
		return send(h, "POST", "/librarian/edit/note-1", body, append(ck, "Content-Type", ct)...)
	}
	if rec := edit([2]string{"title", "A title"}, [2]string{"states", "GT"}); rec.Code != http.StatusSeeOther || !slices.Equal(lib.docs["note-1"].Effective.States, []string{"GT"}) {
		t.Fatalf("edit states: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = edit([2]string{"title", "A title"}, [2]string{"states", ""})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/librarian/edit/note-1?saved=1" ||
		!slices.Equal(lib.docs["note-1"].Effective.States, []string{"SV"}) {
		t.Errorf("emptying the states box: %d %s, states %v", rec.Code, rec.Header().Get("Location"), lib.docs["note-1"].Effective.States)
	}
}

func TestSessionsAndPending(t *testing.T) {
	now := time.Now()
	st := newSessionStore()
	id, err := st.create("alice", sha256.Sum256([]byte("t")), now)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := st.get(id, now.Add(time.Hour)); !ok || s.name != "alice" {
		t.Error("a live session was not found")
	}
	if _, ok := st.get(id+"x", now); ok {
		t.Error("a wrong session id worked")
	}
	if _, ok := st.get(id, now.Add(sessionTTL+time.Second)); ok {
		t.Error("an expired session worked")
	}

	p := newPendingStore(100)
	up := func(n int) *pendingUpload { return &pendingUpload{who: "alice", up: &Upload{Raw: make([]byte, n)}} }
	a, _ := p.put(up(60), now)
	b, _ := p.put(up(60), now) // a goes: over the budget
	if _, ok := p.take(a, "alice", now); ok {
		t.Error("the oldest pending upload was kept over the budget")
	}
	if _, ok := p.take(b, "bob", now); ok {
		t.Error("another librarian took a pending upload")
	}
	if _, ok := p.take(b, "alice", now.Add(pendingTTL+time.Second)); ok {
		t.Error("an expired pending upload was taken")
	}
	c, _ := p.put(up(10), now)
	if _, ok := p.take(c, "alice", now); !ok {
		t.Error("a pending upload was lost")
	}
	if _, ok := p.take(c, "alice", now); ok {
		t.Error("a pending upload was taken twice")
	}
}

// signIn signs in with tok and returns the session cookie.
func signIn(t *testing.T, h http.Handler, tok string) *http.Cookie {
	t.Helper()
	rec := send(h, "POST", "/librarian/signin", strings.NewReader(url.Values{"token": {tok}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge <= 0 {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, an expiry", c)
			}
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// TestLibrarianPages walks the pages as a signed-in librarian: every page
// holds under the CSP and every form posts to the server itself.
func TestLibrarianPages(t *testing.T) {
	h, lib, toks := newLibrarianHandler(t, nil)
	if rec := do(h, "GET", "/librarian"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="signin-form"`) {
		t.Fatalf("signed-out /librarian: %d", rec.Code)
	}
	rec := send(h, "POST", "/librarian/signin", strings.NewReader("token=wrong"), "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != 401 || strings.Contains(rec.Body.String(), "wrong") {
		t.Errorf("wrong token sign-in: %d", rec.Code)
	}
	if rec := do(h, "GET", "/librarian/edit/x"); rec.Code != http.StatusSeeOther {
		t.Errorf("signed-out edit page: %d, want a redirect to sign in", rec.Code)
	}
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}

	pages := map[string]*httptest.ResponseRecorder{}
	pages["home"] = do(h, "GET", "/librarian", ck...)
	body, ct := multipartBody(t, [][2]string{{"id", "note-1"}, {"kind", "article"}, {"states", "SV"}}, "note.txt",
		[]byte("A title\n\nThe Convention against Torture, article 3."))
	pages["preview"] = send(h, "POST", "/librarian/preview", body, append(ck, "Content-Type", ct)...)
	if pages["preview"].Code != 200 || !strings.Contains(pages["preview"].Body.String(), "CAT 3") {
		t.Fatalf("preview: %d %s", pages["preview"].Code, pages["preview"].Body)
	}
	if _, ok := lib.docs["note-1"]; ok {
		t.Fatal("the preview stored the document")
	}
	pid := regexpFind(t, pages["preview"].Body.String(), `name="pending" value="([^"]+)"`)
	rec = send(h, "POST", "/librarian/save", strings.NewReader("pending="+pid), append(ck, "Content-Type", "application/x-www-form-urlencoded")...)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/librarian/edit/note-1?saved=1" {
		t.Fatalf("save: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if _, ok := lib.docs["note-1"]; !ok {
		t.Fatal("save stored nothing")
	}
	if rec := send(h, "POST", "/librarian/save", strings.NewReader("pending="+pid), append(ck, "Content-Type", "application/x-www-form-urlencoded")...); rec.Code != http.StatusGone {
		t.Errorf("second save: %d", rec.Code)
	}
	pages["edit"] = do(h, "GET", "/librarian/edit/note-1?saved=1", ck...)
	body, ct = multipartBody(t, [][2]string{{"title", ""}, {"kind", "article"}, {"states", "GT"}}, "", nil)
	rec = send(h, "POST", "/librarian/edit/note-1", body, append(ck, "Content-Type", ct)...)
	if rec.Code != http.StatusSeeOther || !slices.Equal(lib.docs["note-1"].Effective.States, []string{"GT"}) {
		t.Fatalf("edit: %d, states %v", rec.Code, lib.docs["note-1"].Effective.States)
	}
	if o := lib.docs["note-1"].Overrides; o == nil || o.Kind != "" || o.Title != "" {
		t.Errorf("unchanged fields became overrides: %+v", o)
	}
	pages["edit-error"] = func() *httptest.ResponseRecorder {
		body, ct := multipartBody(t, [][2]string{{"states", "Atlantis"}}, "", nil)
		return send(h, "POST", "/librarian/edit/note-1", body, append(ck, "Content-Type", ct)...)
	}()
	if pages["edit-error"].Code != 400 {
		t.Errorf("bad edit: %d", pages["edit-error"].Code)
	}
	pages["add-error"] = func() *httptest.ResponseRecorder {
		body, ct := multipartBody(t, [][2]string{{"id", "bad"}}, "bad.pdf", []byte("garbage"))
		return send(h, "POST", "/librarian/preview", body, append(ck, "Content-Type", ct)...)
	}()
	if pages["add-error"].Code != 422 || !strings.Contains(pages["add-error"].Body.String(), "no %PDF- header") {
		t.Errorf("garbage preview: %d", pages["add-error"].Code)
	}
	pages["delete"] = do(h, "GET", "/librarian/delete/note-1", ck...)
	pages["audit"] = do(h, "GET", "/librarian/audit", ck...)
	if !strings.Contains(pages["audit"].Body.String(), "GT") {
		t.Error("the audit page does not show the corrected state")
	}
	rec = send(h, "POST", "/librarian/delete/note-1", nil, ck...)
	if rec.Code != http.StatusSeeOther || lib.docs["note-1"] != nil {
		t.Fatalf("delete: %d", rec.Code)
	}
	pages["home-deleted"] = do(h, "GET", "/librarian?deleted=note-1", ck...)

	for name, rec := range pages {
		if rec.Code >= 500 {
			t.Errorf("%s: %d", name, rec.Code)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", name, got)
		}
		walkHTML(t, rec.Body.Bytes(), func(n *html.Node) {
			switch n.Data {
			case "script":
				if attr(n, "src") == "" || n.FirstChild != nil {
					t.Errorf("%s: inline script", name)
				}
			case "style":
				t.Errorf("%s: <style> element", name)
			case "form":
				if a := attr(n, "action"); !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
					t.Errorf("%s: form posts to %q", name, a)
				}
				if m := strings.ToLower(attr(n, "method")); m != "post" && attr(n, "id") != "find-form" && attr(n, "id") != "search-form" && attr(n, "id") != "audit-filter" {
					t.Errorf("%s: form %q uses %q", name, attr(n, "id"), m)
				}
			}
			for _, a := range n.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: attribute %s on <%s>", name, a.Key, n.Data)
				}
			}
		})
	}

	// Revoking the token ends the session; signing out ends it too.
	toks.revoke(testToken)
	if rec := do(h, "GET", "/librarian/audit", ck...); rec.Code != http.StatusSeeOther {
		t.Errorf("session after revocation: %d", rec.Code)
	}
}

func TestSignOut(t *testing.T) {
	h, _, _ := newLibrarianHandler(t, nil)
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}
	if rec := do(h, "GET", "/api/audit", ck...); rec.Code != 200 {
		t.Fatalf("session on the API: %d", rec.Code)
	}
	if rec := send(h, "POST", "/librarian/signout", nil, ck...); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", rec.Code)
	}
	if rec := do(h, "GET", "/api/audit", ck...); rec.Code != 401 {
		t.Errorf("session after sign-out: %d", rec.Code)
	}
	// A cross-site sign-in (login CSRF) is refused.
	rec := send(h, "POST", "/librarian/signin", strings.NewReader("token="+testToken),
		"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site")
	if rec.Code != 403 {
		t.Errorf("cross-site sign-in: %d", rec.Code)
	}
}

func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexpMust(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not found", pattern)
	}
	return m[1]
}

func regexpMust(p string) *regexp.Regexp { return regexp.MustCompile(p) }

// TestMethodNotAllowed: a 405's Allow header and message list the methods
// the address answers, not always GET and HEAD.
func TestMethodNotAllowed(t *testing.T) {
	h, _, _ := newLibrarianHandler(t, nil)
	for _, tt := range []struct {
		method, target, allow, msg string
	}{
		{"POST", "/search", "GET, HEAD", "This address only answers GET and HEAD."},
		{"DELETE", "/api/search", "GET, HEAD", "This address only answers GET and HEAD."},
		{"DELETE", "/api/documents", "GET, HEAD, POST", "This address only answers GET, HEAD and POST."},
		{"GET", "/librarian/signin", "POST", "This address only answers POST."},
		{"PATCH", "/api/documents/cat", "GET, HEAD, PUT, DELETE", "This address only answers GET, HEAD, PUT and DELETE."},
		{"POST", "/api/documents/cat", "GET, HEAD, PUT, DELETE", "This address only answers GET, HEAD, PUT and DELETE."},
		{"PUT", "/librarian/edit/cat", "GET, HEAD, POST", "This address only answers GET, HEAD and POST."},
	} {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := send(h, tt.method, tt.target, nil)
			if rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405: %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			if tt.msg != "" && !strings.Contains(rec.Body.String(), tt.msg) {
				t.Errorf("body lacks %q:\n%s", tt.msg, rec.Body)
			}
		})
	}
}
