package web

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/search"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestUnitLabel(t *testing.T) {
	for _, tt := range []struct{ unit, want string }{
		{"art-3", "Article 3"},
		{"art-22", "Article 22"},
		{"rule-58", "Rule 58"},
		{"para-13.4", "para. 13.4"},
		{"para-OP1-1", "para. OP1-1"},
		{"preamble", "Preamble"},
		{"p-4", "¶ 4"},
		{"nl-art-3", "Artikel 3 (nl)"},
		{"es-art-5", "Artículo 5 (es)"},
		{"xx-art-5", "Article 5 (xx)"},
		{"nl-preamble", "Preamble (nl)"},
		{"op1-art-1", "Optional Protocol, Article 1"},
		{"op2-art-1", "Optional Protocol 2, Article 1"},
		{"art-3-2", "Article 3-2"},
		{"weird", "weird"},
		{"", ""},
	} {
		if got := unitLabel(tt.unit); got != tt.want {
			t.Errorf("unitLabel(%q) = %q, want %q", tt.unit, got, tt.want)
		}
	}
}

func TestSafeSnippet(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a <mark>b</mark> &amp; c", "a <mark>b</mark> &amp; c"},
		{"no marks &lt;script&gt;", "no marks &lt;script&gt;"},
		{"<script>x</script> <mark>y</mark>", "&lt;script&gt;x&lt;/script&gt; <mark>y</mark>"},
		{`<mark onclick="x">y</mark>`, `&lt;mark onclick=&#34;x&#34;&gt;y</mark>`},
		{"<markx>", "&lt;markx&gt;"},
	} {
		if got := string(safeSnippet(tt.in)); got != tt.want {
			t.Errorf("safeSnippet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"https://www.ohchr.org/x", true},
		{"http://example.org", true},
		{"javascript:alert(1)", false},
		{" JavaScript:alert(1)", false},
		{"data:text/html,x", false},
		{"/relative", false},
		{"//evil.example/x", false},
		{"https:///nohost", false},
	} {
		if _, ok := safeURL(tt.in); ok != tt.ok {
			t.Errorf("safeURL(%q) ok = %v", tt.in, ok)
		}
	}
}

func TestSearchStateRoundTrip(t *testing.T) {
	v, _ := url.ParseQuery("q=torture&state=SV&state=GT&kind=decision&page=3&size=20&sort=date&unknown=x")
	st, err := parseSearchState(v)
	if err != nil {
		t.Fatal(err)
	}
	u := st.url("/search")
	want := "/search?kind=decision&page=3&q=torture&size=20&sort=date&state=SV&state=GT"
	if u != want {
		t.Errorf("url = %s, want %s", u, want)
	}
	if got := st.without("state", "SV").url("/search"); got != "/search?kind=decision&q=torture&size=20&sort=date&state=GT" {
		t.Errorf("without = %s", got)
	}
	if got := st.with("article", "CAT 3").url("/search"); !strings.Contains(got, "article=CAT+3") || strings.Contains(got, "page=") {
		t.Errorf("with = %s", got)
	}
	if len(st.Filters["state"]) != 2 {
		t.Error("with/without must not modify the state")
	}
}

func TestPager(t *testing.T) {
	st := searchState{Q: "x", Page: 5, Size: 10}
	p := buildPager(st, 200)
	var got []string
	for _, l := range p.Pages {
		switch {
		case l.Gap:
			got = append(got, "…")
		case l.Current:
			got = append(got, "["+itoa(l.N)+"]")
		default:
			got = append(got, itoa(l.N))
		}
	}
	if want := []string{"1", "…", "3", "4", "[5]", "6", "7", "…", "20"}; !reflect.DeepEqual(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
	if p.Prev != "/search?page=4&q=x" || p.Next != "/search?page=6&q=x" {
		t.Errorf("prev/next = %s %s", p.Prev, p.Next)
	}
	if p := buildPager(searchState{Q: "x", Page: 1, Size: 10}, 7); len(p.Pages) != 0 || p.Next != "" {
		t.Errorf("one page: %+v", p)
	}
	// Never beyond page*size = 10000.
	p = buildPager(searchState{Q: "x", Page: 1, Size: 100}, 1_000_000)
	if last := p.Pages[len(p.Pages)-1].N; last != 100 {
		t.Errorf("last page = %d, want 100", last)
	}
}

func testServer(t *testing.T) *server {
	t.Helper()
	s := &server{names: fakeNamesFunc}
	var err error
	if s.static, err = loadStatic(); err != nil {
		t.Fatal(err)
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTemplatesFromViewModels renders pages from hand-made view models.
func TestTemplatesFromViewModels(t *testing.T) {
	s := testServer(t)
	page := searchPage{
		Layout: Layout{Title: "t", Query: "refoulement", Hidden: []hidden{{"state", "SV"}}},
		Q:      "refoulement",
		Chips:  []chip{{Field: "state", Label: "State", Text: "El Salvador", Title: "SV", RemoveURL: "/search?q=refoulement"}},
		Total:  42, From: 11, To: 20,
		Hits: []hitView{{ID: "cat#art-3", Title: "Convention", UnitLabel: "Article 3", URL: "/doc/cat#art-3", Kind: "Treaty",
			Snippet: safeSnippet("no <mark>refoulement</mark> &amp; more"),
			Tags:    []tag{{Field: "article", Text: "CAT 3", URL: "/search?article=CAT+3"}}}},
		Facets: []facetGroup{{Field: "state", Label: "State", MoreURL: "/facets/state?q=refoulement",
			Values: []facetItem{{Value: "SV", Text: "El Salvador", Title: "SV", URL: "/search?q=refoulement", Count: 3, Active: true}}}},
		Pager: pager{Prev: "/search?q=refoulement", Next: "/search?page=3&q=refoulement", Pages: []pageLink{{N: 1, URL: "/a"}, {N: 2, URL: "/b", Current: true}, {Gap: true}, {N: 5, URL: "/e"}}},
	}
	rec := httptest.NewRecorder()
	if err := s.render(rec, 200, "search", page); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`<label for="q"`, `name="q"`, `<input type="hidden" name="state" value="SV">`,
		`aria-label="Remove filter State: El Salvador"`, `Clear all`,
		`Results <strong>11–20</strong> of <strong>42</strong>`,
		`<ol class="results" start="11">`, `<a href="/doc/cat#art-3">Convention</a>`, `Article 3`,
		`no <mark>refoulement</mark> &amp; more`,
		`<a href="/facets/state?q=refoulement">All State values…</a>`,
		`aria-current="page"`, `rel="next"`, `<li class="gap" aria-hidden="true">…</li>`,
		`<main id="main"`, `<aside class="facets"`, `<header class="site-header">`, `<footer`, `<nav class="site-nav"`, `class="skip-link" href="#main"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}

	doc := docPage{Layout: Layout{Title: "CAT", JSONURL: "/api/documents/cat"}, ID: "cat", Title: "CAT",
		Meta: []kv{{Label: "Source", Value: "javascript:alert(1)"}},
		Passages: []passageView{{Anchor: "art-3", Label: "Article 3", Paragraphs: []paragraphView{{Text: "One."}, {Text: "2. Two.", Anchor: "art-3-2"}}, OwnArticle: "CAT 3",
			CitedBy: &citedByView{Article: "CAT 3", Total: 7, Docs: 1, SearchURL: "/search?article=CAT+3",
				Documents: []citingDocView{{Title: "M.R. v. Switzerland", URL: "/doc/d", Passages: []link{{"para. 9.2", "/doc/d#para-9.2"}}}}}}},
	}
	rec = httptest.NewRecorder()
	if err := s.render(rec, 200, "doc", doc); err != nil {
		t.Fatal(err)
	}
	body = rec.Body.String()
	for _, want := range []string{`<section class="passage" id="art-3"`, `<p>One.</p>`, `<p id="art-3-2"><a class="anchor para-anchor" href="#art-3-2"`, `<summary>Cited by 1 document (7 passages), newest first</summary>`,
		`<a href="/doc/d#para-9.2">para. 9.2</a>`, `href="/search?article=CAT&#43;3">Search every passage on CAT 3</a>`,
		`<span>javascript:alert(1)</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("doc page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="javascript`) {
		t.Error("javascript: link")
	}
	// The link's search also holds the provision, so it gives no count of
	// citing passages (it said "All 4250 passages citing CAT 3" and showed 4,252).
	if strings.Contains(body, "passages citing") {
		t.Error("the search link promises a count of citing passages")
	}
}

// TestSearchPageGolden compares one rendered page with testdata/search.golden.html
// (go test ./web -run Golden -update rewrites it).
func TestSearchPageGolden(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/search?q=non-refoulement&kind=decision")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	got := rec.Body.Bytes()
	golden := filepath.Join("testdata", "search.golden.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("rendered page differs from %s; run go test ./web -run Golden -update and review the diff", golden)
	}
}

func TestSearchPageViewModel(t *testing.T) {
	s := testServer(t)
	st := searchState{Q: "torture", Filters: map[string][]string{"state": {"SV"}}, Page: 1, Size: 10, Sort: "relevance"}
	vals := make([]search.FacetValue, 9)
	for i := range vals {
		vals[i] = search.FacetValue{Value: string(rune('A' + i)), Count: 10 - i}
	}
	res := &search.Results{Total: 0, Facets: map[string][]search.FacetValue{"state": vals}}
	p := s.buildSearchPage(st, res)
	if len(p.Facets) != 1 || len(p.Facets[0].Values) != facetTop || p.Facets[0].MoreURL != "/facets/state?q=torture&state=SV" {
		t.Errorf("facets = %+v", p.Facets)
	}
	if len(p.Suggestions) == 0 || p.Suggestions[0].URL != "/search?q=torture" || !strings.Contains(p.Suggestions[0].Text, "El Salvador") {
		t.Errorf("suggestions = %+v", p.Suggestions)
	}
	if p.Landing {
		t.Error("not the landing page")
	}
	if p := s.buildSearchPage(searchState{Page: 1, Size: 10}, nil); !p.Landing || len(p.Examples) == 0 {
		t.Error("empty state should be the landing page")
	}
}

func TestArticleLinks(t *testing.T) {
	s := &server{provision: func(a string) (string, string, bool) {
		if a == "ACHR 22" {
			return "achr", "art-22", true
		}
		return "", "", false
	}}
	for _, tt := range []struct{ in, want string }{
		{"ACHR 22", "/doc/achr#art-22"},
		{"ACHR 22(8)", "/doc/achr#art-22"},
		{"CAT 3", "/search?article=CAT+3"},
	} {
		if got := s.articleURL(tt.in); got != tt.want {
			t.Errorf("articleURL(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestPagePastTheEnd: a page beyond the last result says so, links to the
// last page and keeps the pager, instead of "Results 0–0 of 29" and
// "Nothing matched" with no way back.
func TestPagePastTheEnd(t *testing.T) {
	s := testServer(t)
	st := searchState{Filters: map[string][]string{"kind": {"decision"}, "state": {"SV"}}, Page: 5, Size: 10, Sort: "relevance"}
	p := s.buildSearchPage(st, &search.Results{Total: 29, Page: 5, Size: 10})
	if !p.PastEnd || p.LastPage != 3 || p.LastURL != "/search?kind=decision&page=3&state=SV" {
		t.Errorf("PastEnd %v, LastPage %d, LastURL %q", p.PastEnd, p.LastPage, p.LastURL)
	}
	var nums []int
	for _, pl := range p.Pager.Pages {
		if pl.Current {
			t.Errorf("page %d is marked current", pl.N)
		}
		nums = append(nums, pl.N)
	}
	if !reflect.DeepEqual(nums, []int{1, 2, 3}) || p.Pager.Prev != p.LastURL || p.Pager.Next != "" {
		t.Errorf("pager = %+v", p.Pager)
	}
	if p := s.buildSearchPage(st.withPage(3), &search.Results{Total: 29, Hits: make([]search.Hit, 9)}); p.PastEnd {
		t.Error("the last page is not past the end")
	}
	if p := s.buildSearchPage(st, &search.Results{Total: 0}); p.PastEnd {
		t.Error("no results at all is not past the end")
	}

	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/search?q=torture&size=2&page=5") // 6 results: 3 pages
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		"There is no page 5 of these results",
		`<a href="/search?page=3&amp;q=torture&amp;size=2">Go to the last page (3)</a>`,
		`<nav class="pager"`,
		`aria-label="Page 2"`,
		"<strong>6</strong> results, none on page 5",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"0–0", "Nothing matched"} {
		if strings.Contains(body, bad) {
			t.Errorf("page shows %q", bad)
		}
	}
}

// TestSearchPageSaysWhatHappened: the page shows the search's notices, the
// counts of all and any words, language names, the exact-words box as
// asked, and a query of stop words alone is not "nothing matched".
func TestSearchPageSaysWhatHappened(t *testing.T) {
	s := testServer(t)
	st := searchState{Q: "deportation extradition foo:bar", Page: 1, Size: 10, Sort: "relevance", Exact: true,
		Filters: map[string][]string{"language": {"es"}}}
	res := &search.Results{Total: 6572, Hits: []search.Hit{{ID: "d#p-1", Document: "d", Unit: "p-1", Language: "nl"}},
		Facets:  map[string][]search.FacetValue{"language": {{Value: "es", Count: 3}, {Value: "nl", Count: 2}}},
		Words:   &search.WordCounts{Terms: []string{"deportation", "extradition"}, All: 312, Any: 6572},
		Notices: []search.Notice{{Code: search.NoticeUnknownField, Message: "foo: is not a field"}}}
	p := s.buildSearchPage(st, res)
	if p.WordCounts != "312 passages contain all of: deportation, extradition; 6,572 contain any." {
		t.Errorf("word counts %q", p.WordCounts)
	}
	rec := httptest.NewRecorder()
	if err := s.render(rec, 200, "search", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, want := range []string{`<li class="notice">foo: is not a field</li>`, "6,572 contain any", `value="1" form="search-form" checked`,
		">Spanish<", ">Dutch<"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if u := st.url("/search"); !strings.Contains(u, "exact=1") {
		t.Errorf("state url %s lacks exact=1", u)
	}

	st = searchState{Q: "not", Page: 1, Size: 10, Sort: "relevance"}
	p = s.buildSearchPage(st, &search.Results{Facets: map[string][]search.FacetValue{},
		Notices: []search.Notice{{Code: search.NoticeStopWords, Message: `not: too common; put them in quotes: "not".`}}})
	rec = httptest.NewRecorder()
	if err := s.render(rec, 200, "search", p); err != nil {
		t.Fatal(err)
	}
	if body := rec.Body.String(); strings.Contains(body, "Nothing matched") || !strings.Contains(body, "too common") {
		t.Errorf("stop words alone: page says %q", body[strings.Index(body, "<main"):])
	}
}

// TestErrorPageKeepsQuery: a search that fails shows its query in the box.
func TestErrorPageKeepsQuery(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := do(h, "GET", "/search?q=boom+torture&size=abc")
	if rec.Code != 400 {
		t.Fatalf("status %d", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), `value="boom torture"`) {
		t.Error("the error page's search box lost the query")
	}
}

func TestAnchorParagraphs(t *testing.T) {
	anchors := func(unit, text string) []string {
		var out []string
		for _, p := range paragraphs(unit, text) {
			out = append(out, p.Anchor)
		}
		return out
	}
	for _, c := range []struct {
		unit, text string
		want       []string
	}{
		{"art-22", "Title of the article\n1. One.\n2. Two.\n(a) a list item", []string{"", "art-22-1", "art-22-2", ""}},
		{"art-13", "First paragraph.\nSecond paragraph.\nThird.\nFourth.", []string{"art-13-1", "art-13-2", "art-13-3", "art-13-4"}},
		{"rule-7", "No person shall be received:\n(a) Identity;\n(b) Reasons.", []string{"", "", ""}},
		{"para-12", "1. Not an article.\n2. Two.", []string{"", ""}},
		// A number alone on its line, before the list it introduces.
		{"art-10", "1. First.\n2.\na) Item;\nb) Item.\n3. Third.", []string{"art-10-1", "art-10-2", "", "", "art-10-3"}},
		// The article's title is no paragraph: one paragraph after it has
		// no anchor, two are 1 and 2.
		{"art-18", "Right to a name\nEveryone has the right to a given name.", []string{"", ""}},
		{"art-19", "Right to a name\nEveryone has the right to a given name.\nThe law shall regulate it.", []string{"", "art-19-1", "art-19-2"}},
	} {
		if got := anchors(c.unit, c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: anchors %q, want %q", c.unit, got, c.want)
		}
	}
}

// TestFaviconRedirects: /favicon.ico, which browsers ask for on a page
// naming no icon (the feed), leads to the site's icon.
func TestFaviconRedirects(t *testing.T) {
	s := testServer(t)
	rec := httptest.NewRecorder()
	if err := s.handleFavicon(rec, httptest.NewRequest("GET", "/favicon.ico", nil)); err != nil {
		t.Fatal(err)
	}
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusMovedPermanently || !strings.HasPrefix(loc, "/static/favicon.svg") {
		t.Errorf("/favicon.ico: %d to %q", rec.Code, loc)
	}
}

// TestOwnQuotes: a query that is one quoted phrase keeps its own quotes,
// without the marks <q> adds; any other query gets them.
func TestOwnQuotes(t *testing.T) {
	for q, want := range map[string]bool{
		`"in no case"`:                 true,
		`in no case`:                   false,
		`"would not" Honduras`:         false,
		`"a" OR "b"`:                   false,
		`"`:                            false,
		`""`:                           true,
		`torture "cruel treatment"`:    false,
		`"shall not be" subjected "x"`: false,
	} {
		if got := ownQuotes(q); got != want {
			t.Errorf("ownQuotes(%q) = %v, want %v", q, got, want)
		}
	}
	h, _ := newTestHandler(t, nil)
	for q, want := range map[string]string{
		`"in no case"`: `<q class="own-quotes">&#34;in no case&#34;</q>`,
		`in no case`:   `<q>in no case</q>`,
	} {
		rec := do(h, "GET", "/search?q="+url.QueryEscape(q))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<h1 class="results-heading">Results for `+want) {
			t.Errorf("%s: status %d, heading without %s", q, rec.Code, want)
		}
	}
}

// TestHitSection: a result whose heading says no more than its label (a
// rule, an article) or that has none (a report's paragraph) shows the
// parts it sits in; a paragraph under a heading of its own shows that
// heading alone. The API carries the section of every hit.
func TestHitSection(t *testing.T) {
	s := testServer(t)
	const path = "Rules of general application › Prisoner file management"
	res := &search.Results{Total: 3, Hits: []search.Hit{
		{ID: "smr#rule-6", Document: "smr", Unit: "rule-6", Heading: "Rule 6", Section: path},
		{ID: "rep#para-3", Document: "rep", Unit: "para-3", Section: "B. Legal framework"},
		{ID: "dec#para-5.1", Document: "dec", Unit: "para-5.1", Heading: "State party's observations", Section: "The complaint"},
	}}
	p := s.buildSearchPage(searchState{Q: "prisoner file", Page: 1, Size: 10, Sort: "relevance"}, res)
	want := []struct{ heading, section string }{{"", path}, {"", "B. Legal framework"}, {"State party's observations", ""}}
	for i, w := range want {
		if h := p.Hits[i]; h.Heading != w.heading || h.Section != w.section {
			t.Errorf("%s: heading %q section %q, want %q %q", h.ID, h.Heading, h.Section, w.heading, w.section)
		}
	}
	if got := toAPIHit(res.Hits[2]).Section; got != "The complaint" {
		t.Errorf("API hit section %q", got)
	}
}
