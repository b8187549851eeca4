package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/search"
)

func do(h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, rec.Body)
	}
	return m
}

func TestAPISearchShape(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/search?q=non-refoulement")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	for _, k := range []string{"total", "hits", "facets"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if m["total"].(float64) < 3 {
		t.Errorf("total = %v", m["total"])
	}
	hits := m["hits"].([]any)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	for _, x := range hits {
		hit := x.(map[string]any)
		for _, k := range []string{"id", "document", "title", "unit", "snippet", "kind", "language", "score"} {
			if _, ok := hit[k]; !ok {
				t.Errorf("hit %v: missing %q", hit["id"], k)
			}
		}
		for _, k := range []string{"instrument", "article", "state", "symbol"} {
			if _, ok := hit[k].([]any); !ok {
				t.Errorf("hit %v: %q = %#v, want an array", hit["id"], k, hit[k])
			}
		}
	}
	facets := m["facets"].(map[string]any)
	for _, f := range search.FacetNames {
		vals, ok := facets[f].([]any)
		if !ok {
			t.Errorf("facet %q = %#v, want an array", f, facets[f])
			continue
		}
		for _, v := range vals {
			fv := v.(map[string]any)
			if _, ok := fv["value"].(string); !ok {
				t.Errorf("facet %s value %#v", f, fv)
			}
			if _, ok := fv["count"].(float64); !ok {
				t.Errorf("facet %s count %#v", f, fv)
			}
		}
	}
	// A hit with no states still has "state":[].
	if !strings.Contains(rec.Body.String(), `"state":[]`) {
		t.Error(`no "state":[] in the body; nil slices must be empty arrays`)
	}
}

func TestAPISearchEmptyFacetsAreArrays(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/search?q=zzzznothing")
	m := decodeJSON(t, rec)
	if hits, ok := m["hits"].([]any); !ok || len(hits) != 0 {
		t.Errorf("hits = %#v, want []", m["hits"])
	}
	for _, f := range search.FacetNames {
		if _, ok := m["facets"].(map[string]any)[f].([]any); !ok {
			t.Errorf("facet %s not an array", f)
		}
	}
}

func TestAPISearchPassesFilters(t *testing.T) {
	h, f := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/search?state=SV&state=CH&state=SV&kind=decision&year=2010..2020&page=2&size=5&sort=date")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	got := f.lastRequest()
	want := search.Request{
		Filters: map[string][]string{"state": {"SV", "CH"}, "kind": {"decision"}, "year": {"2010..2020"}},
		Page:    2, Size: 5, Sort: "date", StrictFilters: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("request = %+v\nwant %+v", got, want)
	}
	m := decodeJSON(t, rec)
	if m["page"].(float64) != 2 || m["size"].(float64) != 5 {
		t.Errorf("page/size = %v/%v", m["page"], m["size"])
	}
}

// TestAPIQueryArticles: the provisions a query names, which the search page
// lists, are in the JSON twin too.
func TestAPIQueryArticles(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	page := do(h, "GET", "/search?q=CAT+article+3")
	if !strings.Contains(page.Body.String(), "Provisions named in your query:") || !strings.Contains(page.Body.String(), ">CAT 3</a>") {
		t.Fatalf("the search page does not name CAT 3:\n%s", page.Body)
	}
	rec := do(h, "GET", "/api/search?q=CAT+article+3")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	if got, want := m["query_articles"], []any{"CAT 3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("query_articles = %#v, want %#v", got, want)
	}
	m = decodeJSON(t, do(h, "GET", "/api/search?q=non-refoulement"))
	if v, ok := m["query_articles"]; ok {
		t.Errorf("query_articles = %#v for a query naming no provision, want it omitted", v)
	}
}

func TestAPIErrors(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	tests := []struct {
		target string
		status int
		code   string
	}{
		{"/api/search?q=x&page=abc", 400, "bad_request"},
		{"/api/search?q=x&page=0", 400, "bad_request"},
		{"/api/search?q=x&page=-1", 400, "bad_request"},
		{"/api/search?q=x&size=101", 400, "bad_request"},
		{"/api/search?q=x&size=0", 400, "bad_request"},
		{"/api/search?q=x&size=abc", 400, "bad_request"},
		{"/api/search?q=x&page=101&size=100", 400, "bad_request"},
		{"/api/search?q=x&sort=random", 400, "bad_request"},
		{"/api/search?q=x&exact=maybe", 400, "bad_request"},
		{"/api/search?q=" + strings.Repeat("a+", 1001), 400, "bad_request"},
		{"/api/search?q=x&kind=decisions", 400, "bad_request"},
		{"/api/search?q=" + strings.Repeat("a", 5000), 414, "uri_too_long"},
		{"/api/search", 400, "bad_request"},
		{"/api/search?q=+++", 400, "bad_request"},
		{"/api/search?q=year:abc", 400, "bad_request"},
		{"/api/search?q=boom", 500, "internal"},
		{"/api/search?q=x&state=%01", 400, "bad_request"},
		{"/api/documents/nope", 404, "not_found"},
		{"/api/documents/..%2F..%2Fetc%2Fpasswd", 400, "bad_request"},
		{"/api/documents/Bad_ID", 400, "bad_request"},
		{"/api/passages/cat%23art-99", 404, "not_found"},
		{"/api/passages/cat", 400, "bad_request"},
		{"/api/passages/..%2Fx%23art-1", 400, "bad_request"},
		{"/api/passages/cat%23art-3%3Cscript%3E", 400, "bad_request"},
		{"/api/facets/bogus", 404, "not_found"},
		{"/api/facets/state?page=x", 400, "bad_request"},
		{"/api/nope", 404, "not_found"},
	}
	for _, tt := range tests {
		name := tt.target
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			rec := do(h, "GET", tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			m := decodeJSON(t, rec)
			if m["error"] != tt.code {
				t.Errorf("error = %v, want %s", m["error"], tt.code)
			}
			msg, _ := m["message"].(string)
			if msg == "" {
				t.Error("empty message")
			}
			for _, leak := range []string{"bleve", "secret", "/var/", "not a number"} {
				if strings.Contains(msg, leak) {
					t.Errorf("message leaks internal text: %q", msg)
				}
			}
		})
	}
}

// TestBadPercentEncoding: a query string that cannot be decoded is a 400
// naming the parameter, on the API and the HTML pages alike, not a search
// without that parameter ("Give a query", or size=%ZZ taken as the default).
func TestBadPercentEncoding(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for _, tt := range []struct{ target, want string }{
		{"/api/search?q=torture%", `The q parameter has a % that is not followed by two hexadecimal digits ("%")`},
		{"/api/search?q=%ZZ", `The q parameter has a % that is not followed by two hexadecimal digits ("%ZZ")`},
		{"/api/search?q=torture&size=%ZZ", "The size parameter has a %"},
		{"/api/search?q=torture&state=S%V", "The state parameter has a %"},
		{"/api/search?q=torture&%ZZ=1", "A parameter has a %"},
		{"/api/search?q=torture;state=SV", "separate parameters with &"},
		{"/api/facets/state?q=%ZZ", "The q parameter has a %"},
		{"/search?q=torture%", "The q parameter has a %"},
		{"/search?q=torture&page=%ZZ", "The page parameter has a %"},
		{"/facets/state?q=%ZZ", "The q parameter has a %"},
	} {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(h, "GET", tt.target)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			var msg string
			if strings.HasPrefix(tt.target, "/api/") {
				m := decodeJSON(t, rec)
				if m["error"] != "bad_request" {
					t.Errorf("error = %v", m["error"])
				}
				msg, _ = m["message"].(string)
			} else {
				msg = html.UnescapeString(rec.Body.String())
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q lacks %q", msg, tt.want)
			}
		})
	}
	// Well-formed escapes, and a literal % written %25, still work.
	for _, target := range []string{"/api/search?q=100%25+torture", "/api/search?q=torture&size=%32"} {
		if rec := do(h, "GET", target); rec.Code != 200 {
			t.Errorf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
	}
}

func TestAPIMethods(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "POST", "/api/search?q=x")
	if rec.Code != 405 {
		t.Fatalf("POST: status %d", rec.Code)
	}
	if m := decodeJSON(t, rec); m["error"] != "method_not_allowed" {
		t.Errorf("error = %v", m["error"])
	}
	if a := rec.Header().Get("Allow"); !strings.Contains(a, "GET") {
		t.Errorf("Allow = %q", a)
	}
	// A cross-site POST is refused before routing (S2).
	rec = do(h, "POST", "/api/search?q=x", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if rec.Code != 403 {
		t.Errorf("cross-site POST: status %d", rec.Code)
	}
	rec = do(h, "HEAD", "/api/search?q=torture")
	if rec.Code != 200 {
		t.Errorf("HEAD: status %d", rec.Code)
	}
}

func TestAPIDocument(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/documents/cat")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var doc apiDocument
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != "cat" || doc.Instrument != "CAT" || len(doc.Passages) != 5 {
		t.Errorf("doc = %+v", doc)
	}
	if doc.Provenance == nil || doc.Provenance.Status != 200 || doc.Provenance.FetchedAt == nil {
		t.Errorf("provenance = %+v", doc.Provenance)
	}
	if doc.Passages[2].ID != "cat#art-3" || doc.Passages[2].Label != "Article 3" || doc.Passages[2].URL != "/doc/cat#art-3" {
		t.Errorf("passage 2 = %+v", doc.Passages[2])
	}
	if !strings.Contains(rec.Body.String(), `"states":[]`) {
		t.Error("states should be [] for a treaty")
	}
}

func TestAPIDocumentWithoutStore(t *testing.T) {
	h, _ := newTestHandler(t, func(c *Config) { c.Documents = nil })
	rec := do(h, "GET", "/api/documents/cat-c-60-d-1000-2020")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if rec := do(h, "GET", "/api/documents/nope"); rec.Code != 404 {
		t.Errorf("unknown document: status %d", rec.Code)
	}
}

func TestAPIPassage(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/passages/cat%23art-3")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var p apiPassage
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != "cat#art-3" || p.OwnArticle != "CAT 3" || p.CitedBy == nil {
		t.Fatalf("passage = %+v", p)
	}
	var found bool
	for _, d := range p.CitedBy.Documents {
		if d.Document == "cat-c-60-d-1000-2020" {
			found = true
			if want := []string{"cat-c-60-d-1000-2020#para-9.2", "cat-c-60-d-1000-2020#para-10"}; !reflect.DeepEqual(d.Passages, want) {
				t.Errorf("citing passages = %v, want %v", d.Passages, want)
			}
		}
	}
	if !found || p.CitedBy.SearchURL != "/search?article=CAT+3" {
		t.Errorf("cited_by = %+v", p.CitedBy)
	}

	rec = do(h, "GET", "/api/passages/cat-c-60-d-1000-2020%23para-9.2")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "cited_by") {
		t.Error("a finding's passage has no cited_by")
	}
}

func TestAPIFacets(t *testing.T) {
	h, f := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/facets/state?q=non-refoulement&kind=decision")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got apiFacetResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Field != "state" || len(got.Values) == 0 {
		t.Fatalf("facets = %+v", got)
	}
	var sv *apiFacetValue
	for i := range got.Values {
		if got.Values[i].Value == "SV" {
			sv = &got.Values[i]
		}
	}
	if sv == nil || sv.Name != "El Salvador" || sv.Count < 1 {
		t.Errorf("SV = %+v", sv)
	}
	req := f.lastRequest()
	if req.FacetSize < 1000 || !reflect.DeepEqual(req.Facets, []string{"state"}) || req.Query != "non-refoulement" ||
		!reflect.DeepEqual(req.Filters["kind"], []string{"decision"}) {
		t.Errorf("request = %+v", req)
	}
}

func TestHealthzAndOpenAPI(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	if rec := do(h, "GET", "/healthz"); rec.Code != 200 || decodeJSON(t, rec)["status"] != "ok" {
		t.Errorf("healthz: %d %s", rec.Code, rec.Body)
	}
	rec := do(h, "GET", "/api/openapi.json")
	if rec.Code != 200 || decodeJSON(t, rec)["openapi"] != "3.0.3" {
		t.Errorf("openapi: %d", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	do(h, "GET", "/api/search?q=torture")
	do(h, "GET", "/doc/cat")
	do(h, "GET", "/api/documents/nope")
	rec := do(h, "GET", "/metrics")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`hrsearch_http_requests_total{code="200",method="GET",route="/api/search"} 1`,
		`hrsearch_http_requests_total{code="404",method="GET",route="/api/documents/{id}"} 1`,
		`hrsearch_http_request_duration_seconds_bucket{method="GET",route="/doc/{id}"`,
		`hrsearch_index_size_bytes 10`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Off by default.
	h2, _ := newTestHandler(t, func(c *Config) { c.Metrics = false })
	if rec := do(h2, "GET", "/metrics"); rec.Code != 404 {
		t.Errorf("metrics off: status %d", rec.Code)
	}
}

// TestDocIDInUpperCase: /doc/CAT is someone typing an id; it is sent to
// /doc/cat, anchor and query kept, rather than refused.
func TestDocIDInUpperCase(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/doc/CAT?x=1")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/doc/cat?x=1" {
		t.Errorf("/doc/CAT: %d Location %q, want 301 to /doc/cat?x=1", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do(h, "GET", "/doc/cat"); rec.Code != 200 {
		t.Errorf("/doc/cat: %d", rec.Code)
	}
	if rec := do(h, "GET", "/doc/CAT..X"); rec.Code != http.StatusBadRequest {
		t.Errorf("/doc/CAT..X: %d, want 400", rec.Code)
	}
}

// TestAPISearchExactNoticesCounts: exact=1 reaches the search, and the
// response carries it with the word counts and notices; a filter value
// naming nothing is a 400 that says the valid one; a long query is not
// refused (the search cuts it with a notice).
func TestAPISearchExactNoticesCounts(t *testing.T) {
	h, f := newTestHandler(t, nil)
	rec := do(h, "GET", "/api/search?q=torture&exact=1")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got := f.lastRequest(); !got.Exact {
		t.Errorf("exact=1: request %+v", got)
	}
	if m := decodeJSON(t, rec); m["exact"] != true {
		t.Errorf("exact=1: response exact = %v", m["exact"])
	}
	rec = do(h, "GET", "/api/search?q=x&kind=decisions")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "kind:decision?") {
		t.Errorf("kind=decisions: %d %s", rec.Code, rec.Body)
	}
	rec = do(h, "GET", "/api/search?q="+strings.Repeat("a+", 900))
	if rec.Code != 200 {
		t.Errorf("1,800-character query: status %d", rec.Code)
	}
}

// TestAPIPassageCitedByPages: cited_by lists the citing documents a page at
// a time, with the page's place and a link to the next page, in the order
// asked for; the pages together hold every citing document once.
func TestAPIPassageCitedByPages(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	target := "/api/passages/cat%23art-3?cited_size=1&cited_sort=relevance"
	seen := map[string]bool{}
	total := -1
	for pages := 0; target != ""; pages++ {
		if pages > 20 {
			t.Fatal("the next links never end")
		}
		rec := do(h, "GET", target)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
		var p apiPassage
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		c := p.CitedBy
		if c == nil || c.Size != 1 || c.Page != pages+1 || c.Sort != "relevance" || len(c.Documents) > 1 {
			t.Fatalf("%s: cited_by = %+v", target, c)
		}
		total = c.TotalDocuments
		for _, d := range c.Documents {
			if seen[d.Document] {
				t.Errorf("%s listed on two pages", d.Document)
			}
			seen[d.Document] = true
		}
		target = ""
		if c.Next != nil {
			target = *c.Next
		}
	}
	if total < 2 || len(seen) != total {
		t.Errorf("%d documents over the pages, total_documents %d", len(seen), total)
	}
	for _, bad := range []string{"cited_sort=oldest", "cited_size=0", "cited_size=100000", "cited_page=0", "cited_page=x"} {
		if rec := do(h, "GET", "/api/passages/cat%23art-3?"+bad); rec.Code != 400 {
			t.Errorf("%s: status %d, want 400", bad, rec.Code)
		}
	}
}
