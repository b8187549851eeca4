package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func loadOpenAPI(t *testing.T, h http.Handler) (*openapi3.T, routers.Router) {
	t.Helper()
	rec := do(h, "GET", "/api/openapi.json")
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("loading openapi.json: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// TestOpenAPIResponses validates real responses of the handlers, good and
// bad, against the embedded OpenAPI document.
func TestOpenAPIResponses(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	_, router := loadOpenAPI(t, h)
	targets := []struct {
		target string
		status int
	}{
		{"/api/search?q=non-refoulement", 200},
		{"/api/search?q=CAT+article+3", 200}, // query_articles
		{"/api/search?q=torture&state=SV&state=CH&kind=decision&size=2&page=1", 200},
		{"/api/search?q=evil", 200},
		{"/api/search?q=zzzznothing", 200},
		{"/api/search?instrument=CAT&sort=date", 200},
		{"/api/search?q=x&page=abc", 400},
		{"/api/search?q=x&size=101", 400},
		{"/api/search?q=boom", 500},
		{"/api/search?q=" + strings.Repeat("a", 5000), 414},
		{"/api/facets/state?q=torture", 200},
		{"/api/facets/article?q=evil", 200},
		{"/api/facets/bogus", 404},
		{"/api/documents/cat", 200},
		{"/api/documents/evil", 200},
		{"/api/documents/cat-c-70-d-1111-2021", 200},
		{"/api/documents/nope", 404},
		{"/api/documents/Bad_Id", 400},
		{"/api/passages/cat%23art-3", 200},
		{"/api/passages/cat-c-60-d-1000-2020%23para-9.2", 200},
		{"/api/passages/cat%23art-99", 404},
		{"/api/passages/cat", 400},
		{"/healthz", 200},
	}
	for _, tt := range targets {
		name := tt.target
		if len(name) > 70 {
			name = name[:70]
		}
		t.Run(name, func(t *testing.T) {
			rec := do(h, "GET", tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
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
			in := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: reqIn,
				Status:                 rec.Code,
				Header:                 rec.Header(),
				Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			}
			in.SetBodyBytes(rec.Body.Bytes())
			if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
				t.Errorf("response does not match the spec: %v\n%s", err, rec.Body)
			}
		})
	}
}

// TestOpenAPIRealServer validates a running server's responses (the real
// index) when HRSEARCH_BROWSER_URL points at one.
func TestOpenAPIRealServer(t *testing.T) {
	base := strings.TrimSuffix(os.Getenv("HRSEARCH_BROWSER_URL"), "/")
	if base == "" {
		t.Skip("set HRSEARCH_BROWSER_URL to a running hrsearch serve to validate its responses")
	}
	h, _ := newTestHandler(t, nil)
	_, router := loadOpenAPI(t, h)
	for _, target := range []string{
		"/api/search?q=non-refoulement",
		"/api/search?q=CAT+article+3&size=20",
		"/api/search?state=SV&kind=decision",
		"/api/facets/article?q=torture",
		"/api/documents/cat",
		"/api/passages/cat%23art-3",
		"/api/passages/cat-c-12-d-13-1993%23para-9.2",
		"/api/documents/cat-c-12-d-13-1993?cited_size=5&cited_page=2",
		"/api/documents/nope",
	} {
		resp, err := http.Get(base + target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		req := httptest.NewRequest("GET", "http://example.com"+target, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 resp.StatusCode, Header: resp.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		in.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("%s (%d): %v", target, resp.StatusCode, err)
		}
	}
}
