package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// TestOpenAPIPrograms validates the programs' endpoints (cursors, exports,
// citations, feeds, health) against openapi.json, on a real index.
func TestOpenAPIPrograms(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, func(c *Config) {
		c.Health = func(context.Context) (Health, error) {
			return Health{Documents: 5, Passages: 246, Generation: 5, Ready: true}, nil
		}
	})
	_, router := loadOpenAPI(t, h)
	// The text formats' bodies are checked by their parsers
	// (parsers_test.go); here they are strings of the declared type.
	for _, ct := range []string{"application/x-ndjson", "application/x-research-info-systems", "application/x-bibtex",
		"application/atom+xml", "application/opensearchdescription+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		t.Cleanup(func() { openapi3filter.UnregisterBodyDecoder(ct) })
	}
	first := do(h, "GET", "/api/search?q=polygraph")
	var res struct{ Next string }
	_ = json.Unmarshal(first.Body.Bytes(), &res)
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/api/search?q=polygraph", 200},
		{"/api/search?q=polygraph&cursor=" + url.QueryEscape(res.Next), 200},
		{"/api/search?q=other&cursor=" + url.QueryEscape(res.Next), 400},
		{"/api/export?q=polygraph&format=csv", 200},
		{"/api/export?q=polygraph&format=jsonl", 200},
		{"/api/export?q=polygraph&format=ris", 200},
		{"/api/export?q=polygraph&format=bibtex", 200},
		{"/api/export?q=polygraph&format=csl-json", 200},
		{"/api/export?q=polygraph&format=pdf", 400},
		{"/api/export?q=polygraph&collapse=document&format=csv", 200},
		{"/api/export?q=polygraph&collapse=document&format=jsonl", 200},
		{"/api/export?kind=decision&collapse=document&format=csl-json", 200},
		{"/api/export?q=polygraph&collapse=passage&format=csv", 400},
		{"/api/search?q=polygraph&collapse=document&size=2", 200},
		{"/api/cite/cat-c-38-d-300-2006%23para-8?format=csl-json", 200},
		{"/api/cite/cat-c-38-d-300-2006%23para-8?format=ris", 200},
		{"/api/cite/cat-c-38-d-300-2006%23para-8?format=text", 200},
		{"/api/cite/cat-c-38-d-300-2006%23para-999?format=ris", 404},
		{"/feed.atom?q=polygraph", 200},
		{"/opensearch.xml", 200},
		{"/healthz", 200},
		{"/readyz", 200},
	} {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(h, "GET", tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tt.status, rec.Body)
			}
			req := httptest.NewRequest("GET", "http://example.com"+tt.target, nil)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("no route in openapi.json: %v", err)
			}
			reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if tt.status == 200 {
				if err := openapi3filter.ValidateRequest(context.Background(), reqIn); err != nil {
					t.Errorf("request does not match the spec: %v", err)
				}
			}
			in := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: rec.Code, Header: rec.Header(),
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
			in.SetBodyBytes(rec.Body.Bytes())
			if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
				t.Errorf("response does not match the spec: %.1000v", err)
			}
		})
	}
}
