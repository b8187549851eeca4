package web

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// View models: one struct per page, built by functions that need no
// ResponseWriter, so templates can be tested from hand-made values.

// Layout is what the base template needs on every page.
type Layout struct {
	Title   string
	Query   string   // the header search box's value
	Hidden  []hidden // filters the header form keeps (search page only)
	JSONURL string   // the page's JSON twin, if any
	Nav     string   // the active navigation item: "search", "help"
	FeedURL string   // the page's Atom feed, if any
	// Librarian is the signed-in librarian's name (the footer offers
	// their desk and signing out instead of signing in).
	Librarian string
}

type hidden struct{ Name, Value string }

// link is a labelled address.
type link struct{ Text, URL string }

// tag is a facet value shown as a link: Text is the display name, Title the
// code shown on hover.
type tag struct {
	Field, Text, Title, URL string
	Active                  bool
}

type chip struct {
	Field, Label, Text, Title, RemoveURL string
}

type hitView struct {
	ID, Title, UnitLabel, Heading, URL string
	Section                            string // shown when the heading says nothing more than the label
	Citation                           string
	Kind, Symbol, Date, Language       string
	// Snippet is the highlighter's HTML; see safeSnippet.
	Snippet template.HTML
	Tags    []tag
	// EditURL is the document's edit page, for a signed-in librarian.
	EditURL string
	// Similar are the results folded into this one (similar=collapse):
	// passages of near-duplicates of its document.
	Similar []similarView
}

// similarView is a folded result: a passage of a near-duplicate.
type similarView struct {
	Title, URL string
	Percent    int // the share of text in common
}

type facetItem struct {
	Value, Text, Title, URL string
	Count                   int
	Active                  bool
}

type facetGroup struct {
	Field, Label string
	Values       []facetItem
	MoreURL      string // the full list, when there are more values than shown
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis between page numbers
}

type pager struct {
	Prev, Next string
	Pages      []pageLink
}

type option struct {
	Value, Label string
	Selected     bool
}

type searchPage struct {
	Layout
	Landing     bool // no query and no filter: the welcome page
	Q           string
	Chips       []chip
	ClearURL    string
	Total       uint64
	From, To    int
	Hits        []hitView
	Facets      []facetGroup
	Pager       pager
	SortOptions []option
	Suggestions []link // zero results: ways out
	Examples    []link // landing: searches to try
	Articles    []link // provisions the query named
	Exports     []link // the whole result set in each export format (feed.go)
	// ByDocumentURL lists the same results one row per document.
	ByDocumentURL string
	// PastEnd: the page asked for is beyond the last page of results (Page
	// > LastPage); LastURL is the last page.
	PastEnd  bool
	Page     int
	LastPage int
	LastURL  string
	FirstURL string
	// FoldURL, when near-duplicates' results on this page could be
	// folded, is the same search with similar=collapse (Foldable of them);
	// UnfoldURL, when they are, shows them again (Folded of them).
	FoldURL, UnfoldURL string
	Foldable, Folded   int
	// Exact: the words were searched as typed (the checkbox is ticked).
	Exact bool
	// WordCounts says how many passages hold all the plain words typed
	// (they come first) and how many any of them.
	WordCounts string
	// Notices say what happened to the input: cuts, words read as words,
	// filter values that match nothing.
	Notices []string
	// StopWordsOnly: only words too common to search alone were typed,
	// so nothing was searched (a notice says how to search them).
	StopWordsOnly bool
}

// safeSnippet is the one place the code base trusts HTML from elsewhere. The
// search package's highlighter escapes every character of the passage text
// and adds only <mark> and </mark>; html/template would otherwise escape the
// marks too. As a second line of defence the snippet is checked: if any '<'
// opens something other than those two tags, the whole snippet is escaped
// and its marks restored, so a broken highlighter cannot inject markup.
func safeSnippet(s string) template.HTML {
	rest := s
	for {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			return template.HTML(s) // safe: only <mark>…</mark> and escaped text (see above)
		}
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, "<mark>"):
			rest = rest[len("<mark>"):]
		case strings.HasPrefix(rest, "</mark>"):
			rest = rest[len("</mark>"):]
		default:
			esc := html.EscapeString(s)
			esc = strings.ReplaceAll(esc, "&lt;mark&gt;", "<mark>")
			esc = strings.ReplaceAll(esc, "&lt;/mark&gt;", "</mark>")
			return template.HTML(esc) // safe: everything escaped but the marks
		}
	}
}

func (s *server) tags(st searchState, field string, values []string) []tag {
	out := make([]tag, 0, len(values))
	for _, v := range values {
		t := tag{Field: field, Text: s.name(field, v), URL: st.with(field, v).url("/search"), Active: st.has(field, v)}
		if t.Text != v {
			t.Title = v
		}
		out = append(out, t)
	}
	return out
}

func (s *server) buildSearchPage(st searchState, res *search.Results) searchPage {
	p := searchPage{
		Layout: Layout{Title: "Search", Query: st.Q, Nav: "search"},
		Q:      st.Q,
		Exact:  st.Exact,
	}
	if st.empty() || res == nil {
		p.Landing = true
		p.Title = "Search human-rights documents"
		p.Examples = []link{
			{"non-refoulement", "/search?q=non-refoulement"},
			{"CAT article 3", "/search?q=CAT+article+3"},
			{"Decisions on El Salvador", "/search?kind=decision&state=SV"},
			{"\"solitary confinement\"", "/search?q=%22solitary+confinement%22"},
			{"Treaty articles on torture", "/search?q=torture&kind=treaty"},
		}
		return p
	}
	if st.Q != "" {
		p.Title = st.Q + " – Search"
	}
	p.JSONURL = st.url("/api/search")
	plain := st.clone()
	plain.FoldSimilar = false // feeds and exports list every record
	p.FeedURL, p.Exports = searchFeedURL(plain), exportLinks(plain)
	for _, f := range search.FilterNames {
		if f == "q" {
			continue
		}
		for _, v := range st.Filters[f] {
			p.Hidden = append(p.Hidden, hidden{f, v})
			c := chip{Field: f, Label: fieldLabel(f), Text: s.name(f, v), RemoveURL: st.without(f, v).url("/search")}
			if f == search.FilterLanguage {
				c.Text = languageName(v)
			}
			if c.Text != v {
				c.Title = v
			}
			p.Chips = append(p.Chips, c)
		}
	}
	if st.Size != defaultSize {
		p.Hidden = append(p.Hidden, hidden{"size", strconv.Itoa(st.Size)})
	}
	if st.FoldSimilar {
		p.Hidden = append(p.Hidden, hidden{"similar", "collapse"})
	}
	if len(p.Chips) > 0 {
		p.ClearURL = searchState{Q: st.Q, Sort: st.Sort, Size: st.Size}.url("/search")
	}
	p.Total = res.Total
	for _, n := range res.Notices {
		p.Notices = append(p.Notices, n.Message)
		p.StopWordsOnly = p.StopWordsOnly || n.Code == search.NoticeStopWords
	}
	if w := res.Words; w != nil {
		p.WordCounts = fmt.Sprintf("%s %s all of: %s; %s %s any.", thousands(w.All), passagesContain(w.All),
			strings.Join(w.Terms, ", "), thousands(w.Any), containWord(w.Any))
	}
	if len(res.Hits) > 0 {
		p.From = (st.Page-1)*st.Size + 1
		p.To = p.From + len(res.Hits) - 1
	}
	for _, h := range res.Hits {
		hv := hitView{
			ID: h.ID, Title: h.Title, UnitLabel: unitLabel(h.Unit), Heading: h.Heading, URL: docURL(h.Document, h.Unit),
			Kind: s.name(search.FilterKind, h.Kind), Date: h.Date, Language: languageName(h.Language),
			Snippet: safeSnippet(h.Snippet), Citation: h.Citation,
		}
		if hv.Date == "" {
			hv.Date = h.Year
		}
		if strings.HasPrefix(hv.UnitLabel, hv.Heading) {
			hv.Heading = ""
		}
		if hv.Heading == "" {
			// A provision's heading is its label ("Rule 6"), a report's
			// paragraph has none: the part it sits in says where it is.
			hv.Section = h.Section
		}
		hv.Symbol = strings.Join(h.Symbol, ", ")
		hv.Tags = append(hv.Tags, s.tags(st, search.FilterInstrument, h.Instrument)...)
		hv.Tags = append(hv.Tags, s.tags(st, search.FilterArticle, h.Article)...)
		hv.Tags = append(hv.Tags, s.tags(st, search.FilterState, h.State)...)
		p.Hits = append(p.Hits, hv)
	}
	for _, f := range search.FacetNames {
		vals := res.Facets[f]
		g := facetGroup{Field: f, Label: fieldLabel(f)}
		shown := vals
		if len(shown) > facetTop {
			shown = shown[:facetTop]
			g.MoreURL = st.withPage(1).url("/facets/" + f)
		}
		g.Values = s.facetItems(st, f, shown)
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	p.Pager = buildPager(st, res.Total)
	p.ByDocumentURL = plain.withPage(1).url("/documents")
	if last := lastPage(st, res.Total); len(res.Hits) == 0 && last > 0 && st.Page > last {
		p.PastEnd, p.Page, p.LastPage = true, st.Page, last
		p.LastURL, p.FirstURL = st.withPage(last).url("/search"), st.withPage(1).url("/search")
	}
	for _, o := range []option{{search.SortRelevance, "Relevance", false}, {search.SortDate, "Newest first", false}, {search.SortDateAsc, "Oldest first", false}} {
		o.Selected = o.Value == st.Sort
		p.SortOptions = append(p.SortOptions, o)
	}
	for _, a := range res.Articles {
		p.Articles = append(p.Articles, link{a, s.articleURL(a)})
	}
	if res.Total == 0 {
		for _, c := range p.Chips {
			p.Suggestions = append(p.Suggestions, link{"Remove the filter " + c.Label + ": " + c.Text, c.RemoveURL})
		}
		if len(p.Chips) > 1 {
			p.Suggestions = append(p.Suggestions, link{"Remove all filters", p.ClearURL})
		}
		if strings.ContainsAny(st.Q, `"-`) || strings.Contains(st.Q, ":") {
			plain := strings.NewReplacer(`"`, " ", " -", " ").Replace(st.Q)
			plain = strings.Join(strings.Fields(plain), " ")
			if plain != st.Q && plain != "" {
				q := st.clone()
				q.Q, q.Page = plain, 1
				p.Suggestions = append(p.Suggestions, link{"Search without quotes or exclusions: " + plain, q.url("/search")})
			}
		}
		if st.Page > 1 {
			p.Suggestions = append(p.Suggestions, link{"Go back to the first page", st.withPage(1).url("/search")})
		}
	}
	return p
}

func (s *server) facetItems(st searchState, field string, vals []search.FacetValue) []facetItem {
	out := make([]facetItem, 0, len(vals))
	for _, v := range vals {
		it := facetItem{Value: v.Value, Text: s.name(field, v.Value), Count: v.Count, Active: st.has(field, v.Value)}
		if field == search.FilterLanguage {
			it.Text = languageName(v.Value)
		}
		if it.Text != v.Value {
			it.Title = v.Value
		}
		if it.Active {
			it.URL = st.without(field, v.Value).url("/search")
		} else {
			it.URL = st.with(field, v.Value).url("/search")
		}
		out = append(out, it)
	}
	return out
}

// buildPager links the previous and next pages and a window of page numbers
// around the current one, with the first and the last.
func buildPager(st searchState, total uint64) pager {
	var p pager
	last := lastPage(st, total)
	if last <= 1 && st.Page <= 1 {
		return p
	}
	if st.Page > 1 {
		p.Prev = st.withPage(min(st.Page-1, max(last, 1))).url("/search")
	}
	if st.Page < last {
		p.Next = st.withPage(st.Page + 1).url("/search")
	}
	cur := min(st.Page, last) // past the end, the window is around the last page
	var nums []int
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= cur-2 && n <= cur+2) {
			nums = append(nums, n)
		}
	}
	for i, n := range nums {
		if i > 0 && n > nums[i-1]+1 {
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
		p.Pages = append(p.Pages, pageLink{N: n, URL: st.withPage(n).url("/search"), Current: n == st.Page})
	}
	return p
}

// lastPage is the number of the last page of total results that can be
// paged to (0 when there are none).
func lastPage(st searchState, total uint64) int {
	last := (total + uint64(st.Size) - 1) / uint64(st.Size)
	return int(min(last, uint64(maxResults/st.Size)))
}

// articleURL links an article value ("CAT 3", "ACHR 22(8)") to its
// provision's anchor when the corpus holds it, else to a search for it.
func (s *server) articleURL(article string) string {
	if s.provision != nil {
		if doc, unit, ok := s.provision(article); ok {
			return docURL(doc, unit)
		}
		if base, _, found := strings.Cut(article, "("); found {
			if doc, unit, ok := s.provision(strings.TrimSpace(base)); ok {
				return docURL(doc, unit)
			}
		}
	}
	return articleSearchURL(article)
}

// Document page.

type kv struct {
	Label, Value, Href, Title string
}

type citingDocView struct {
	Title, Kind, URL string
	Passages         []link
	MorePassages     int
	Translations     []citingDocView // language versions citing it too (udhr-es under udhr)
	Language         string          // a translation's language
}

type citedByView struct {
	Article   string
	Symbol    string // a document's: the symbol its citations bear
	JSONURL   string // a document's: the API's list of every citing document
	Total     uint64 // passages
	Docs      int    // documents
	Truncated bool   // more passages cite it than were read
	Documents []citingDocView
	MoreDocs  int
	SearchURL string
	ListURL   string // the documents page listing every citing document
}

type passageView struct {
	Anchor, Label, Heading string
	Citation               string
	Paragraphs             []paragraphView
	Language               string
	OwnArticle             string
	Articles, Others       []tag
	CitedBy                *citedByView
	Cite                   []link // the passage's citation in each format (cite.go)
	// Section is the titles of the parts the passage sits in; Notes its
	// footnotes, shown folded under its text.
	Section string
	Notes   []search.Note
}

type docPage struct {
	Layout
	ID, Title  string
	CaseName   string // a decision's case name, under its title
	EditURL    string // for a signed-in librarian: the document's edit page
	Meta       []kv
	Provenance []kv
	Passages   []passageView
	// CitedBy lists the documents citing this one (by its symbol, or a
	// decision by its case name).
	CitedBy *citedByView
}

const (
	citedByLimit       = 0   // citing passages asked for per provision on a document page: all, so the counts are whole
	apiCitedByPageSize = 100 // citing documents on a page of /api/passages/{id}'s cited_by
	apiCitedByMaxPage  = 1000
	citedByDocsShown   = 10
	citedByPassagesDoc = 12
)

func (s *server) buildDocPage(info *DocInfo, passages []search.Passage, cited map[string]*search.CitedBy) docPage {
	e := info.Entry
	title := e.Title
	if title == "" {
		title = e.ID
	}
	p := docPage{Layout: Layout{Title: title, JSONURL: "/api/documents/" + escapePath(e.ID)}, ID: e.ID, Title: title}
	add := func(label, value, title string) {
		if value != "" {
			p.Meta = append(p.Meta, kv{Label: label, Value: value, Title: title})
		}
	}
	add("Kind", s.name(search.FilterKind, e.Kind), "")
	if e.Instrument != "" {
		add("Instrument", s.name(search.FilterInstrument, e.Instrument), e.Instrument)
	}
	add("Body", e.Body, "")
	add("Symbol", e.Symbol, "")
	date := e.Date
	if date == "" && e.YearOf() != 0 {
		date = strconv.Itoa(e.YearOf())
	}
	add("Date", date, "")
	if e.Language != "" {
		add("Language", s.name(search.FilterLanguage, e.Language), e.Language)
	}
	if len(e.States) > 0 {
		names := make([]string, len(e.States))
		for i, c := range e.States {
			names[i] = s.name(search.FilterState, c)
		}
		add("States", strings.Join(names, ", "), strings.Join(e.States, ", "))
	}
	if e.URL != "" {
		href, _ := safeURL(e.URL)
		p.Meta = append(p.Meta, kv{Label: "Source", Value: e.URL, Href: href})
	}
	add("Note", e.Note, "")
	prov := func(label, value string, link bool) {
		if value == "" {
			return
		}
		item := kv{Label: label, Value: value}
		if link {
			item.Href, _ = safeURL(value)
		}
		p.Provenance = append(p.Provenance, item)
	}
	prov("Fetched from", info.Source, true)
	if info.FinalURL != info.Source {
		prov("Final URL", info.FinalURL, true)
	}
	if !info.FetchedAt.IsZero() {
		prov("Fetched at", info.FetchedAt.UTC().Format("2006-01-02 15:04 UTC"), false)
	}
	if info.Status != 0 {
		prov("HTTP status", strconv.Itoa(info.Status), false)
	}
	prov("Content type", info.ContentType, false)
	prov("SHA-256", info.SHA256, false)

	none := searchState{}
	for _, ps := range passages {
		pv := passageView{
			Anchor: ps.Unit, Label: unitLabel(ps.Unit), Heading: ps.Heading, Paragraphs: paragraphs(ps.Unit, ps.Text),
			OwnArticle: ps.OwnArticle, Citation: ps.Citation, Cite: citeLinks(ps.ID),
			Section: ps.Section, Notes: ps.Notes,
		}
		if pv.Heading == pv.Label || strings.HasPrefix(pv.Label, pv.Heading) {
			pv.Heading = ""
		}
		if ps.Language != "" && ps.Language != e.Language {
			pv.Language = ps.Language
		}
		for _, a := range ps.Article {
			if a == ps.OwnArticle {
				continue
			}
			t := tag{Field: search.FilterArticle, Text: a, URL: s.articleURL(a)}
			pv.Articles = append(pv.Articles, t)
		}
		for _, f := range []string{search.FilterInstrument, search.FilterState} {
			vals := ps.Instrument
			if f == search.FilterState {
				vals = ps.State
			}
			pv.Others = append(pv.Others, s.tags(none, f, vals)...)
		}
		if c := cited[ps.OwnArticle]; ps.OwnArticle != "" && c != nil && c.Total > 0 {
			pv.CitedBy = s.buildCitedBy(c)
		}
		p.Passages = append(p.Passages, pv)
	}
	return p
}

func (s *server) buildCitedBy(c *search.CitedBy) *citedByView {
	v := &citedByView{Article: c.Article, Symbol: c.Symbol, Total: c.Total, Docs: c.TotalDocuments, Truncated: c.Truncated,
		SearchURL: citedBySearchURL(c)}
	if c.Article != "" {
		v.ListURL = searchState{Filters: map[string][]string{search.FilterArticle: {c.Article}}}.url("/documents")
	} else {
		v.JSONURL = "/api/documents/" + escapePath(c.Document) + "?cited_size=" + strconv.Itoa(apiCitedByMaxPage)
	}
	for i, d := range c.Documents {
		if i == citedByDocsShown {
			v.MoreDocs = len(c.Documents) - i
			break
		}
		dv := s.citingDoc(d)
		for _, tr := range d.Translations {
			tv := s.citingDoc(tr)
			tv.Language = s.name(search.FilterLanguage, tr.Language)
			dv.Translations = append(dv.Translations, tv)
		}
		v.Documents = append(v.Documents, dv)
	}
	return v
}

// citingDoc is one citing document with links to its first citing
// paragraphs.
func (s *server) citingDoc(d search.CitingSource) citingDocView {
	title := d.Title
	if title == "" {
		title = d.Document
	}
	dv := citingDocView{Title: title, Kind: s.name(search.FilterKind, d.Kind), URL: docURL(d.Document, "")}
	for j, id := range d.Passages {
		if j == citedByPassagesDoc {
			dv.MorePassages = len(d.Passages) - j
			break
		}
		doc, unit, ok := strings.Cut(id, "#")
		if !ok {
			doc, unit = d.Document, ""
		}
		label := unitLabel(unit)
		if label == "" {
			label = id
		}
		dv.Passages = append(dv.Passages, link{label, docURL(doc, unit)})
	}
	return dv
}

// paragraphs splits a passage's text at blank lines (or line breaks) so
// the page keeps its structure.
func paragraphs(unit, text string) []paragraphView {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []paragraphView
	for _, block := range strings.Split(text, "\n") {
		if b := strings.TrimSpace(block); b != "" {
			out = append(out, paragraphView{Text: b})
		}
	}
	anchorParagraphs(unit, out)
	return out
}

// paragraphView is one paragraph of a passage in the document view, with
// its own anchor where it is a numbered paragraph of an article or rule.
type paragraphView struct {
	Text   string
	Anchor string
	// Segs is the text with its citations of library documents as links
	// (linkCitations); nil when none is linked.
	Segs []textSeg
}

// anchorParagraphs gives the paragraphs of an article or rule anchors of
// their own, unit-N (art-22-8), as corpus.ParagraphAnchors says.
func anchorParagraphs(unit string, ps []paragraphView) {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.Text
	}
	for i, a := range corpus.ParagraphAnchors(unit, texts) {
		ps[i].Anchor = a
	}
}

// Facets page.

type facetsPage struct {
	Layout
	Field, Label string
	Q            string
	Chips        []chip
	Total        uint64
	Values       []facetItem
	BackURL      string
}

func (s *server) buildFacetsPage(field string, st searchState, res *search.Results) facetsPage {
	p := facetsPage{
		Layout: Layout{Title: "All values of " + fieldLabel(field), Query: st.Q, JSONURL: st.url("/api/facets/" + field), Nav: "search"},
		Field:  field, Label: fieldLabel(field), Q: st.Q, Total: res.Total,
		BackURL: st.withPage(1).url("/search"),
		Values:  s.facetItems(st, field, res.Facets[field]),
	}
	for _, f := range search.FilterNames {
		for _, v := range st.Filters[f] {
			p.Chips = append(p.Chips, chip{Field: f, Label: fieldLabel(f), Text: s.name(f, v)})
		}
	}
	slices.SortStableFunc(p.Values, func(a, b facetItem) int { return b.Count - a.Count })
	return p
}

type helpPage struct{ Layout }

type errorPage struct {
	Layout
	Status  int
	Heading string
	Message string
}

// languageNames are the names of the languages of the corpus and of its
// translations, in English, by ISO 639-1 code.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "fr": "French", "nl": "Dutch", "de": "German", "pt": "Portuguese",
	"it": "Italian", "ru": "Russian", "ar": "Arabic", "zh": "Chinese", "tr": "Turkish", "sv": "Swedish",
	"da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish", "el": "Greek", "ca": "Catalan",
}

// languageName names a language code ("es" → "Spanish"), or returns the
// code.
func languageName(code string) string {
	if n, ok := languageNames[strings.ToLower(code)]; ok {
		return n
	}
	return code
}

// thousands writes n with commas between groups of three digits.
func thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func passagesContain(n uint64) string {
	if n == 1 {
		return "passage contains"
	}
	return "passages contain"
}

func containWord(n uint64) string {
	if n == 1 {
		return "contains"
	}
	return "contain"
}
