package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// TestOpenAPILibrarianDesk validates the served app's answers on the
// trash, versions, guarded writes, duplicates, bulk, tokens and the
// filtered audit log against the OpenAPI document it serves.
func TestOpenAPILibrarianDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	ed := newToken(t, data, "alice")
	out, _, err := runCLI(t, "token", "create", "--data", data, "--name", "root", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(out)
	ts := startServer(t, data, 0, nil)

	code, b, _ := ts.request("GET", "/api/openapi.json", nil)
	if code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	// The audit log's export: JSON Lines, checked as text.
	openapi3filter.RegisterBodyDecoder("application/jsonl", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	multi := func(fields map[string]string, files map[string]string) (*bytes.Buffer, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		for name, text := range files {
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write([]byte(text))
		}
		mw.Close()
		return &buf, mw.FormDataContentType()
	}
	checked := 0
	check := func(method, path, token string, body []byte, ctype string, want int, hdr ...string) http.Header {
		t.Helper()
		h := []string{"Authorization", "Bearer " + token}
		if ctype != "" {
			h = append(h, "Content-Type", ctype)
		}
		h = append(h, hdr...)
		code, rb, rh := ts.request(method, path, bytes.NewReader(body), h...)
		if code != want {
			t.Errorf("%s %s: %d, want %d: %s", method, path, code, want, rb)
			return rh
		}
		req := httptest.NewRequest(method, "http://example.com"+path, bytes.NewReader(body))
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: no route in openapi.json: %v", method, path, err)
			return rh
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: code, Header: rh,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		in.SetBodyBytes(rb)
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("%s %s (%d): does not match the spec: %v\n%s", method, path, code, err, rb)
		}
		checked++
		return rh
	}
	read := func(r io.Reader) []byte { b, _ := io.ReadAll(r); return b }

	body, ct := multi(map[string]string{"id": "oa-1", "kind": "article", "language": "en"}, map[string]string{"oa.txt": dupOriginal})
	raw := read(body)
	check("POST", "/api/documents?dry_run=true", ed, raw, ct, 200)
	check("POST", "/api/documents", ed, raw, ct, 201)
	body, ct = multi(map[string]string{"id": "oa-2", "kind": "article", "language": "en"}, map[string]string{"oa.txt": dupOriginal})
	check("POST", "/api/documents", ed, read(body), ct, 409)
	body, ct = multi(map[string]string{"id": "oa-3", "kind": "article", "language": "en"}, map[string]string{"oa3.txt": dupReworded})
	check("POST", "/api/documents", ed, read(body), ct, 201)
	check("GET", "/api/search?q=interpreter&similar=collapse", ed, nil, "", 200)
	check("GET", "/api/search?q=interpreter&collapse=document&similar=collapse", ed, nil, "", 200)
	check("GET", "/api/search?q=interpreter&similar=maybe", ed, nil, "", 400)
	if _, b, _ := ts.request("GET", "/api/search?q=interpreter&similar=collapse", nil); !strings.Contains(string(b), `"similar":[{`) {
		t.Errorf("the folded search has no similar versions to check against the spec: %s", b)
	}
	body, ct = multi(map[string]string{"kind": "article"}, map[string]string{"b1.txt": "B one\n\nText one.", "b2.pdf": "%PDF-1.7 no"})
	check("POST", "/api/documents/bulk", ed, read(body), ct, 200)
	z := zipBytes(t, "catalog.jsonl", `{"id":"oa-imp","kind":"article","language":"en","file":"a.txt"}
{"id":"oa-imp-bad","kind":"report","file":"bad.pdf"}
`, "a.txt", "Imported\n\nAn imported note.", "bad.pdf", "%PDF-1.7 no", "extra.txt", "x")
	check("POST", "/api/catalog", ed, z, "application/zip", 200)
	body, ct = multi(nil, map[string]string{"catalog.zip": string(z)})
	check("POST", "/api/catalog", ed, read(body), ct, 200)
	check("POST", "/api/catalog", ed, zipBytes(t, "a.txt", "x"), "application/zip", 422)
	check("POST", "/api/catalog", ed, []byte("no zip"), "text/plain", 415)
	check("POST", "/api/catalog?dry_run=true", ed, z, "application/zip", 400)

	etag := check("GET", "/api/documents/oa-1", ed, nil, "", 200).Get("ETag")
	body, ct = multi(map[string]string{"title": "New"}, nil)
	raw = read(body)
	check("PUT", "/api/documents/oa-1?dry_run=true", ed, raw, ct, 200)
	check("PUT", "/api/documents/oa-1", ed, raw, ct, 200, "If-Match", etag)
	check("PUT", "/api/documents/oa-1", ed, raw, ct, 412, "If-Match", etag)
	check("DELETE", "/api/documents/oa-1?dry_run=true", ed, nil, "", 200)
	check("PUT", "/api/documents/oa-1?stattes=FR", ed, raw, ct, 400)
	check("GET", "/api/documents/oa-1/versions", ed, nil, "", 200)
	check("POST", "/api/documents/oa-1/versions/1/restore", ed, nil, "", 200)
	check("POST", "/api/documents/oa-1/versions/99/restore", ed, nil, "", 404)
	check("DELETE", "/api/documents/oa-1", ed, nil, "", 204)
	check("GET", "/api/trash", ed, nil, "", 200)
	check("POST", "/api/trash/oa-1/restore", ed, nil, "", 200)
	check("POST", "/api/trash/oa-1/restore", ed, nil, "", 404)
	check("DELETE", "/api/documents/oa-3", ed, nil, "", 204)
	check("DELETE", "/api/trash/oa-3", ed, nil, "", 403)
	check("DELETE", "/api/trash/oa-3", admin, nil, "", 204)
	check("GET", "/api/tokens", ed, nil, "", 403)
	check("GET", "/api/tokens", admin, nil, "", 200)
	check("POST", "/api/tokens", admin, []byte("name=dora&role=editor"), "application/x-www-form-urlencoded", 201)
	check("POST", "/api/tokens", admin, []byte("name=dora"), "application/x-www-form-urlencoded", 409)
	check("POST", "/api/tokens/dora/rotate", admin, nil, "", 200)
	check("DELETE", "/api/tokens/dora", admin, nil, "", 204)
	check("GET", "/api/audit?id=oa-1&action=restore", ed, nil, "", 200)
	check("GET", "/api/audit?who=root&format=jsonl", ed, nil, "", 200)
	t.Logf("%d answers checked against the spec", checked)
}
