package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// caseIndex is the fake index with what the real one derives: a citation
// on every passage and hit, and a case for the fake's decision.
type caseIndex struct {
	*fakeIndex
	listed *listLog
}

// listLog keeps the listings asked of a caseIndex.
type listLog struct {
	mu   sync.Mutex
	reqs []search.DocumentsRequest
}

func (l *listLog) last() search.DocumentsRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reqs[len(l.reqs)-1]
}

const fakeCaseDoc = "cat-c-60-d-1000-2020"

var fakeCase = &corpus.Case{Name: "M.R. v. Switzerland", Communication: "1000/2020", Complainant: "M.R.", Party: "CH",
	Outcome: corpus.OutcomeViolation, Violations: []string{"CAT 3", "CAT 22"}, Destination: []string{"SV"}, Session: 60,
	YearSource: corpus.YearFromSession}

func fakeCitation(p search.Passage) string {
	return fmt.Sprintf("Fixture citation of %s, %s", p.Document, unitLabel(p.Unit))
}

func (c caseIndex) Search(ctx context.Context, req search.Request) (*search.Results, error) {
	res, err := c.fakeIndex.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		h.Citation = fakeCitation(search.Passage{Document: h.Document, Unit: h.Unit})
		if h.Document == fakeCaseDoc {
			h.Case = fakeCase
		}
	}
	return res, nil
}

func (c caseIndex) Passages(ctx context.Context, doc string) ([]search.Passage, error) {
	ps, err := c.fakeIndex.Passages(ctx, doc)
	for i := range ps {
		ps[i].Citation = fakeCitation(ps[i])
	}
	return ps, err
}

func (c caseIndex) Passage(ctx context.Context, id string) (*search.Passage, error) {
	p, err := c.fakeIndex.Passage(ctx, id)
	if p != nil {
		p.Citation = fakeCitation(*p)
	}
	return p, err
}

func (c caseIndex) DocumentInfo(ctx context.Context, id string) (*search.DocumentInfo, error) {
	if id != fakeCaseDoc {
		return &search.DocumentInfo{ID: id}, nil
	}
	return &search.DocumentInfo{ID: id, Kind: corpus.KindDecision, Year: 2014, Case: fakeCase}, nil
}

func caseConfig() Config {
	f := newFakeIndex()
	cfg := fakeConfig(f)
	cfg.Searcher = caseIndex{f, &listLog{}}
	return cfg
}

func caseHandler(t *testing.T) http.Handler {
	t.Helper()
	h, err := NewServer(caseConfig())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAPICitationAndCase(t *testing.T) {
	h := caseHandler(t)
	rec := do(h, "GET", "/api/passages/"+fakeCaseDoc+"%23para-9.2")
	var p struct{ Citation string }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Citation != "Fixture citation of "+fakeCaseDoc+", para. 9.2" {
		t.Errorf("passage citation %q (%v): %s", p.Citation, err, rec.Body)
	}

	rec = do(h, "GET", "/api/documents/"+fakeCaseDoc)
	var d struct {
		Year int
		Case map[string]any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Year != 2014 || d.Case["name"] != "M.R. v. Switzerland" || d.Case["party"] != "CH" || d.Case["outcome"] != "violation" {
		t.Errorf("document year %d, case %v: want the index's year and case", d.Year, d.Case)
	}
	if v, ok := d.Case["adopted"]; !ok || v != nil {
		t.Errorf("case adopted = %v (present %v), want null", v, ok)
	}

	rec = do(h, "GET", "/api/search?q=El+Salvador")
	var s struct {
		Hits []struct {
			Document, Citation string
			Case               map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || len(s.Hits) == 0 {
		t.Fatalf("search: %v %s", err, rec.Body)
	}
	for _, hit := range s.Hits {
		if hit.Citation == "" {
			t.Errorf("hit of %s has no citation", hit.Document)
		}
		if hit.Document == fakeCaseDoc && hit.Case["name"] != "M.R. v. Switzerland" {
			t.Errorf("hit of %s: case %v", hit.Document, hit.Case)
		}
	}
}

func TestDocPageHeadsWithCase(t *testing.T) {
	h := caseHandler(t)
	body := do(h, "GET", "/doc/"+fakeCaseDoc).Body.String()
	for _, want := range []string{`<p class="case-name">M.R. v. Switzerland</p>`, "<dt>State party</dt>", "Switzerland", "<dt>Outcome</dt>",
		"Violation", "CAT 3, CAT 22", "2014 (session 60)", `data-citation="Fixture citation of ` + fakeCaseDoc + `, para. 9.2"`, "Copy citation"} {
		if !strings.Contains(body, want) {
			t.Errorf("decision page lacks %q", want)
		}
	}
	// Without a case the page has no case heading, and the escaped
	// citation of a hostile passage stays text.
	body = do(h, "GET", "/doc/cat").Body.String()
	if strings.Contains(body, `class="case-name"`) || strings.Contains(body, "<dt>Outcome</dt>") {
		t.Error("the treaty page shows a case")
	}
}

func (c caseIndex) Documents(ctx context.Context, req search.DocumentsRequest) (*search.DocumentList, error) {
	c.listed.mu.Lock()
	c.listed.reqs = append(c.listed.reqs, req)
	c.listed.mu.Unlock()
	d := search.DocumentHit{DocumentInfo: search.DocumentInfo{ID: fakeCaseDoc, Title: "M.R. v. Switzerland", Kind: corpus.KindDecision,
		Symbol: "CAT/C/60/D/1000/2020", Year: 2014, Case: fakeCase}, Matches: 2, Passages: []string{fakeCaseDoc + "#para-9.2"}}
	return &search.DocumentList{Total: 1, Page: 1, Size: req.Size, Documents: []search.DocumentHit{d},
		Facets: map[string][]search.FacetValue{search.FilterParty: {{Value: "CH", Count: 1}}, search.FilterOutcome: {{Value: "violation", Count: 1}}}}, nil
}

func TestDocumentsAPIAndPageAgree(t *testing.T) {
	cfg := caseConfig()
	l := cfg.Searcher.(caseIndex).listed
	h, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := do(h, "GET", "/api/documents?kind=decision&party=CH&outcome=violation&q=refoulement")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var api struct {
		Total     int
		Sort      string
		Documents []struct {
			ID      string
			Matches int
			Case    map[string]any
		}
		Facets map[string][]map[string]any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	if api.Total != 1 || len(api.Documents) != 1 || api.Documents[0].Case["party"] != "CH" || api.Sort != search.SortRelevance {
		t.Errorf("API listing: %s", rec.Body)
	}
	if got := api.Facets["party"]; len(got) != 1 || got[0]["name"] != "Switzerland" {
		t.Errorf("party facet %v, want Switzerland named", got)
	}
	req := l.last()
	if req.Query != "refoulement" || req.Filters["party"][0] != "CH" || req.Filters["outcome"][0] != "violation" || req.Filters["kind"][0] != "decision" {
		t.Errorf("the listing asked %+v", req)
	}
	body := do(h, "GET", "/documents?kind=decision&party=CH&outcome=violation&q=refoulement").Body.String()
	for _, want := range []string{"of <strong>1</strong>", ">M.R. v. Switzerland</a>", `<span title="CH">Switzerland</span>`, "<td>Violation</td>",
		"<td>CAT 3, CAT 22</td>", `href="/search?document=` + fakeCaseDoc} {
		if !strings.Contains(body, want) {
			t.Errorf("documents page lacks %q", want)
		}
	}
	// Without a query the listing is newest first.
	do(h, "GET", "/api/documents?kind=decision")
	req = l.last()
	if req.Sort != search.SortDate {
		t.Errorf("default order without a query: %q, want date", req.Sort)
	}
}

func (c caseIndex) SearchByDocument(ctx context.Context, req search.Request) (*search.CollapsedResults, error) {
	res, err := c.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &search.CollapsedResults{Page: 1, Size: req.Size, Facets: map[string][]search.FacetValue{}}
	at := map[string]int{}
	for _, h := range res.Hits {
		i, ok := at[h.Document]
		if !ok {
			i = len(out.Groups)
			at[h.Document] = i
			out.Groups = append(out.Groups, search.DocumentGroup{Document: search.DocumentHit{DocumentInfo: search.DocumentInfo{ID: h.Document, Title: h.Title, Kind: h.Kind, Case: h.Case}}})
		}
		g := &out.Groups[i]
		g.Document.Matches++
		if len(g.Hits) < search.BestPassages {
			g.Hits = append(g.Hits, h)
			g.Document.Passages = append(g.Document.Passages, h.ID)
		}
	}
	out.Total = len(out.Groups)
	return out, nil
}

func TestAPISearchCollapseByDocument(t *testing.T) {
	h := caseHandler(t)
	rec := do(h, "GET", "/api/search?q=El+Salvador&collapse=document")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var res struct {
		Total     int
		Collapse  string
		Documents []struct {
			ID      string
			Matches int
			Hits    []struct{ Document, Citation string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Collapse != "document" || res.Total == 0 || len(res.Documents) != res.Total {
		t.Fatalf("collapsed: %s", rec.Body)
	}
	seen := map[string]bool{}
	for _, d := range res.Documents {
		if seen[d.ID] || len(d.Hits) == 0 || d.Matches < len(d.Hits) {
			t.Errorf("document %s: %d hits of %d (seen %v)", d.ID, len(d.Hits), d.Matches, seen[d.ID])
		}
		seen[d.ID] = true
		for _, hit := range d.Hits {
			if hit.Document != d.ID || hit.Citation == "" {
				t.Errorf("document %s holds hit %+v", d.ID, hit)
			}
		}
	}
	if rec := do(h, "GET", "/api/search?q=x&collapse=passage"); rec.Code != 400 {
		t.Errorf("collapse=passage: status %d, want 400", rec.Code)
	}
	// The search page links the same results grouped by document.
	if body := do(h, "GET", "/search?q=El+Salvador&state=SV").Body.String(); !strings.Contains(body, `href="/documents?q=El&#43;Salvador&amp;state=SV">Group by document`) {
		t.Error("the search page has no link to its results by document")
	}
}

func (c caseIndex) ResolveSymbols(ctx context.Context, symbols []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range symbols {
		if s == "CAT/C/60/D/1000/2020" {
			out[s] = fakeCaseDoc
		}
	}
	return out, nil
}

func TestCitationsInTextBecomeLinks(t *testing.T) {
	s := testServer(t)
	s.search = caseIndex{newFakeIndex(), &listLog{}}
	p := docPage{ID: "a-hrc-1-1", Passages: []passageView{{Anchor: "para-3", Paragraphs: []paragraphView{
		{Text: "As in M.R. v. Switzerland (CAT/C/60/D/1000/2020), para. 9.2, and A/HRC/99/1, the risk <is> personal."},
		{Text: "No citation here."}}}}}
	s.linkCitations(context.Background(), &p)
	paras := p.Passages[0].Paragraphs
	got := [][]textSeg{paras[0].Segs, paras[1].Segs}
	if got[0] == nil || got[1] != nil {
		t.Fatalf("linked paragraphs: %+v", got)
	}
	want := []textSeg{{Text: "As in M.R. v. Switzerland ("}, {Text: "CAT/C/60/D/1000/2020), para. 9.2", URL: "/doc/" + fakeCaseDoc + "#para-9.2"},
		{Text: ", and A/HRC/99/1, the risk <is> personal."}}
	if fmt.Sprint(got[0]) != fmt.Sprint(want) {
		t.Errorf("segments\n got %v\nwant %v", got[0], want)
	}
	rec := httptest.NewRecorder()
	if err := s.render(rec, 200, "doc", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, w := range []string{`<a class="cite-link" href="/doc/` + fakeCaseDoc + `#para-9.2">CAT/C/60/D/1000/2020), para. 9.2</a>`, "&lt;is&gt;", "<p>No citation here.</p>"} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	// A page does not link to itself.
	self := docPage{ID: fakeCaseDoc, Passages: []passageView{{Paragraphs: []paragraphView{{Text: "See CAT/C/60/D/1000/2020."}}}}}
	s.linkCitations(context.Background(), &self)
	if self.Passages[0].Paragraphs[0].Segs != nil {
		t.Errorf("a decision links its own symbol: %v", self.Passages[0].Paragraphs[0].Segs)
	}
}

// caseNameIndex also resolves case names: those of the fake decisions, for
// their own State party.
type caseNameIndex struct{ caseIndex }

func (c caseNameIndex) ResolveCaseNames(ctx context.Context, names []string, party map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range names {
		if n == "J.K. v. Canada" && party[n] == "CA" {
			out[n] = "cat-c-70-d-1111-2021"
		}
	}
	return out, nil
}

// TestCaseNamesInTextBecomeLinks: a decision cited by its name alone links
// to it (the longest reading that names a decision: not "Recalls J.K."),
// beside a symbol's link; a name no decision holds stays text.
func TestCaseNamesInTextBecomeLinks(t *testing.T) {
	s := testServer(t)
	s.search = caseNameIndex{caseIndex{newFakeIndex(), &listLog{}}}
	p := docPage{ID: "a-hrc-1-1", Passages: []passageView{{Anchor: "para-3", Paragraphs: []paragraphView{
		{Text: "The Committee Recalls J.K. v. Canada and Q.Z. v. Canada, and CAT/C/60/D/1000/2020, para. 9.2."}}}}}
	s.linkCitations(context.Background(), &p)
	want := []textSeg{{Text: "The Committee Recalls "}, {Text: "J.K. v. Canada", URL: "/doc/cat-c-70-d-1111-2021"},
		{Text: " and Q.Z. v. Canada, and "}, {Text: "CAT/C/60/D/1000/2020, para. 9.2", URL: "/doc/" + fakeCaseDoc + "#para-9.2"}, {Text: "."}}
	if got := p.Passages[0].Paragraphs[0].Segs; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("segments\n got %v\nwant %v", got, want)
	}
	self := docPage{ID: "cat-c-70-d-1111-2021", Passages: []passageView{{Paragraphs: []paragraphView{{Text: "In J.K. v. Canada the risk was personal."}}}}}
	s.linkCitations(context.Background(), &self)
	if self.Passages[0].Paragraphs[0].Segs != nil {
		t.Errorf("a decision links its own name: %v", self.Passages[0].Paragraphs[0].Segs)
	}
}
