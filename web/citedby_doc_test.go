package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/hrsearch/hrsearch/search"
)

// citeDecision makes two documents of the fixture cite M.R. v.
// Switzerland by its symbol, in passages that hold it.
func citeDecision(f *fakeIndex) {
	f.passages = append(f.passages, []search.Passage{
		{ID: "cat-c-70-d-1111-2021#para-7.4", Document: "cat-c-70-d-1111-2021", Unit: "para-7.4", Order: 1, Title: "J.K. v. Canada",
			Kind: "decision", Language: "en", Text: "7.4 Fixture text citing CAT/C/60/D/1000/2020, para. 9.2.",
			Symbol: []string{"CAT/C/70/D/1111/2021", "CAT/C/60/D/1000/2020"}},
		{ID: "cat#art-99", Document: "cat", Unit: "art-99", Order: 9, Title: "Convention against Torture", Kind: "treaty",
			Language: "en", Text: "Fixture text citing CAT/C/60/D/1000/2020.", Symbol: []string{"CAT/C/60/D/1000/2020"}},
	}...)
}

// TestAPIDocumentCitedByPages: GET /api/documents/{id} of a document with
// a symbol carries cited_by, paged as a passage's: the pages together
// hold every citing document once, never the document itself, and each
// answer matches the OpenAPI document.
func TestAPIDocumentCitedByPages(t *testing.T) {
	h, f := newTestHandler(t, nil)
	citeDecision(f)
	_, router := loadOpenAPI(t, h)
	target := "/api/documents/cat-c-60-d-1000-2020?cited_size=1&cited_sort=relevance"
	seen := map[string][]string{}
	total := -1
	for pages := 0; target != ""; pages++ {
		if pages > 20 {
			t.Fatal("the next links never end")
		}
		rec := do(h, "GET", target)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
		req := httptest.NewRequest("GET", "http://example.com"+target, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatal(err)
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 rec.Code, Header: rec.Header(),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		in.SetBodyBytes(rec.Body.Bytes())
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("response does not match the spec: %v", err)
		}
		var d apiDocument
		if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		c := d.CitedBy
		if c == nil || c.Size != 1 || c.Page != pages+1 || c.Sort != "relevance" || len(c.Documents) > 1 ||
			c.Document != "cat-c-60-d-1000-2020" || c.Symbol != "CAT/C/60/D/1000/2020" {
			t.Fatalf("%s: cited_by = %+v", target, c)
		}
		total = c.TotalDocuments
		for _, cd := range c.Documents {
			if seen[cd.Document] != nil {
				t.Errorf("%s listed on two pages", cd.Document)
			}
			seen[cd.Document] = cd.Passages
		}
		target = ""
		if c.Next != nil {
			if !strings.HasPrefix(*c.Next, "/api/documents/cat-c-60-d-1000-2020?") {
				t.Errorf("next = %s", *c.Next)
			}
			target = *c.Next
		}
	}
	if total != 2 || len(seen) != 2 || !slices.Equal(seen["cat-c-70-d-1111-2021"], []string{"cat-c-70-d-1111-2021#para-7.4"}) ||
		!slices.Equal(seen["cat"], []string{"cat#art-99"}) || seen["cat-c-60-d-1000-2020"] != nil {
		t.Errorf("cited by %v over the pages, total_documents %d", seen, total)
	}
	for _, bad := range []string{"cited_sort=oldest", "cited_size=0", "cited_size=100000", "cited_page=0", "cited_page=x"} {
		if rec := do(h, "GET", "/api/documents/cat-c-60-d-1000-2020?"+bad); rec.Code != 400 {
			t.Errorf("%s: status %d, want 400", bad, rec.Code)
		}
	}
}

// TestDocPageCitedBy: the page of a document others cite heads a cited-by
// block like a provision's, with the citing paragraphs as links; a
// document nobody cites has none.
func TestDocPageCitedBy(t *testing.T) {
	h, f := newTestHandler(t, nil)
	rec := do(h, "GET", "/doc/cat-c-60-d-1000-2020")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "Cited by") {
		t.Fatalf("uncited: status %d, a cited-by block: %v", rec.Code, strings.Contains(rec.Body.String(), "Cited by"))
	}
	citeDecision(f)
	rec = do(h, "GET", "/doc/cat-c-60-d-1000-2020")
	body := rec.Body.String()
	_, header, _ := strings.Cut(body, `<header class="doc-header">`)
	header, _, _ = strings.Cut(header, "</header>")
	for _, want := range []string{
		"Cited by 2 documents (2 passages), newest first",
		`<a class="citing-doc" href="/doc/cat-c-70-d-1111-2021">J.K. v. Canada</a>`,
		`<a href="/doc/cat-c-70-d-1111-2021#para-7.4">`,
		`<a href="/doc/cat#art-99">`,
		`Search every passage bearing CAT/C/60/D/1000/2020`,
	} {
		if !strings.Contains(header, want) {
			t.Errorf("the page's head lacks %s:\n%s", want, header)
		}
	}
}
