package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// The JSON API's own types: the API is a contract, so it does not expose
// the search package's structs directly.

type apiSearchResponse struct {
	Total  uint64                     `json:"total"`
	Page   int                        `json:"page"`
	Size   int                        `json:"size"`
	Hits   []apiHit                   `json:"hits"`
	Facets map[string][]apiFacetValue `json:"facets"`
	// Folded, with similar=collapse, counts the results of this page
	// folded into others (their near-duplicates' results).
	Folded int `json:"folded,omitempty"`
	// QueryArticles are the provisions the query named ("CAT 3"), as the
	// search page lists them; omitted when it named none.
	QueryArticles []string `json:"query_articles,omitempty"`
	// Next is the cursor of the following page (pass it as cursor= with
	// the same search), null on the last: it pages past 10,000 results.
	Next *string `json:"next"`
	// Exact is set when the words were searched as typed (exact=1).
	Exact bool `json:"exact,omitempty"`
	// Words counts, for several plain words, the passages holding all of
	// them (ranked first) and any of them.
	Words *search.WordCounts `json:"words,omitempty"`
	// Notices say what happened to the input (unknown field prefixes,
	// filter values in the query matching nothing, cuts).
	Notices []search.Notice `json:"notices,omitempty"`
}

type apiHit struct {
	ID         string   `json:"id"`
	Document   string   `json:"document"`
	Title      string   `json:"title"`
	Unit       string   `json:"unit"`
	Label      string   `json:"label"`
	Heading    string   `json:"heading,omitempty"`
	Section    string   `json:"section,omitempty"`
	Snippet    string   `json:"snippet"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
	Symbol     []string `json:"symbol"`
	Kind       string   `json:"kind"`
	Language   string   `json:"language"`
	Year       string   `json:"year,omitempty"`
	Date       string   `json:"date,omitempty"`
	Score      float64  `json:"score"`
	URL        string   `json:"url"`
	Citation   string   `json:"citation"`
	Case       *apiCase `json:"case,omitempty"`
	// Similar, with similar=collapse, are the results folded into this
	// one: passages of near-duplicates of its document.
	Similar []apiSimilar `json:"similar,omitempty"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	Name  string `json:"name,omitempty"`
}

type apiFacetResponse struct {
	Field  string          `json:"field"`
	Total  uint64          `json:"total"`
	Values []apiFacetValue `json:"values"`
}

type apiPassage struct {
	ID         string      `json:"id"`
	Document   string      `json:"document"`
	Unit       string      `json:"unit"`
	Label      string      `json:"label"`
	Order      int         `json:"order"`
	Heading    string      `json:"heading,omitempty"`
	Text       string      `json:"text"`
	Language   string      `json:"language"`
	Instrument []string    `json:"instrument"`
	Article    []string    `json:"article"`
	State      []string    `json:"state"`
	Symbol     []string    `json:"symbol"`
	OwnArticle string      `json:"own_article,omitempty"`
	Kind       string      `json:"kind"`
	Title      string      `json:"title"`
	Year       string      `json:"year,omitempty"`
	Date       string      `json:"date,omitempty"`
	URL        string      `json:"url"`
	Citation   string      `json:"citation"`
	CitedBy    *apiCitedBy `json:"cited_by,omitempty"`
	// Section is the titles of the parts the passage sits in; Notes its
	// footnotes (never part of Text); Cites the provisions only the notes
	// refer to, kept apart from Article.
	Section string    `json:"section,omitempty"`
	Notes   []apiNote `json:"notes"`
	Cites   []string  `json:"cites,omitempty"`
}

type apiNote struct {
	N    string `json:"n"`
	Text string `json:"text"`
}

type apiCitedBy struct {
	Article string `json:"article"`
	// Document is the cited document (a document's cited_by; Article is
	// then empty), Symbol the UN symbol its citations bear and CaseName the
	// case name they cite it by, when one does.
	Document string `json:"document,omitempty"`
	Symbol   string `json:"symbol,omitempty"`
	CaseName string `json:"case_name,omitempty"`
	Total    uint64 `json:"total"`
	// TotalDocuments counts the citing documents (a translation listed
	// under its original is not counted again); Documents is one page of
	// them, in Sort's order; Next links the page after, null on the last.
	TotalDocuments int            `json:"total_documents"`
	Truncated      bool           `json:"truncated,omitempty"`
	Documents      []apiCitingDoc `json:"documents"`
	Sort           string         `json:"sort"`
	Page           int            `json:"page"`
	Size           int            `json:"size"`
	Next           *string        `json:"next"`
	SearchURL      string         `json:"search_url"`
}

type apiCitingDoc struct {
	Document     string         `json:"document"`
	Title        string         `json:"title"`
	Kind         string         `json:"kind"`
	Passages     []string       `json:"passages"`
	Translations []apiCitingDoc `json:"translations,omitempty"`
	Language     string         `json:"language,omitempty"`
}

type apiDocument struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Kind       string         `json:"kind"`
	Instrument string         `json:"instrument,omitempty"`
	Body       string         `json:"body,omitempty"`
	Symbol     string         `json:"symbol,omitempty"`
	Date       string         `json:"date,omitempty"`
	Year       int            `json:"year,omitempty"`
	Language   string         `json:"language,omitempty"`
	URL        string         `json:"url,omitempty"`
	States     []string       `json:"states"`
	Note       string         `json:"note,omitempty"`
	Provenance *apiProvenance `json:"provenance,omitempty"`
	Case       *apiCase       `json:"case,omitempty"`
	Passages   []apiPassage   `json:"passages"`
	// CitedBy lists the documents citing this one (by its symbol, or a
	// decision by its case name), a page at a time.
	CitedBy *apiCitedBy `json:"cited_by,omitempty"`
}

type apiProvenance struct {
	Source      string     `json:"source,omitempty"`
	FinalURL    string     `json:"final_url,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	SHA256      string     `json:"sha256,omitempty"`
	FetchedAt   *time.Time `json:"fetched_at,omitempty"`
	Status      int        `json:"status,omitempty"`
}

// nonNil makes JSON arrays of nil slices.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func docURL(doc, unit string) string {
	u := "/doc/" + escapePath(doc)
	if unit != "" {
		u += "#" + unit
	}
	return u
}

func toAPIHit(h search.Hit) apiHit {
	return apiHit{
		ID: h.ID, Document: h.Document, Title: h.Title, Unit: h.Unit, Label: unitLabel(h.Unit),
		Heading: h.Heading, Section: h.Section, Snippet: h.Snippet,
		Instrument: nonNil(h.Instrument), Article: nonNil(h.Article), State: nonNil(h.State), Symbol: nonNil(h.Symbol),
		Kind: h.Kind, Language: h.Language, Year: h.Year, Date: h.Date, Score: h.Score,
		URL: docURL(h.Document, h.Unit), Citation: h.Citation, Case: toAPICase(h.Case),
	}
}

func (s *server) toAPIFacets(f map[string][]search.FacetValue, fields []string) map[string][]apiFacetValue {
	out := make(map[string][]apiFacetValue, len(fields))
	for _, name := range fields {
		out[name] = s.toAPIFacetValues(name, f[name])
	}
	return out
}

func (s *server) toAPIFacetValues(field string, vals []search.FacetValue) []apiFacetValue {
	out := make([]apiFacetValue, 0, len(vals))
	for _, v := range vals {
		fv := apiFacetValue{Value: v.Value, Count: v.Count}
		if n := s.name(field, v.Value); n != v.Value {
			fv.Name = n
		}
		out = append(out, fv)
	}
	return out
}

func toAPIPassage(p search.Passage) apiPassage {
	out := apiPassage{
		ID: p.ID, Document: p.Document, Unit: p.Unit, Label: unitLabel(p.Unit), Order: p.Order,
		Heading: p.Heading, Text: p.Text, Language: p.Language,
		Instrument: nonNil(p.Instrument), Article: nonNil(p.Article), State: nonNil(p.State), Symbol: nonNil(p.Symbol),
		OwnArticle: p.OwnArticle, Kind: p.Kind, Title: p.Title, Year: p.Year, Date: p.Date,
		URL: docURL(p.Document, p.Unit), Citation: p.Citation,
		Section: p.Section, Notes: make([]apiNote, 0, len(p.Notes)), Cites: p.Cites,
	}
	for _, n := range p.Notes {
		out.Notes = append(out.Notes, apiNote{N: n.N, Text: n.Text})
	}
	return out
}

// toAPICitedBy is one page of a provision's or a document's citing
// documents: page (from 1) of size documents, with a link to the next page
// (of the resource at path) while there is one.
func toAPICitedBy(c *search.CitedBy, order string, page, size int, path string) *apiCitedBy {
	out := &apiCitedBy{Article: c.Article, Document: c.Document, Symbol: c.Symbol, CaseName: c.CaseName,
		Total: c.Total, TotalDocuments: c.TotalDocuments, Truncated: c.Truncated,
		Documents: []apiCitingDoc{}, Sort: order, Page: page, Size: size,
		SearchURL: citedBySearchURL(c)}
	from := min((page-1)*size, len(c.Documents))
	to := min(from+size, len(c.Documents))
	for _, d := range c.Documents[from:to] {
		out.Documents = append(out.Documents, toAPICitingDoc(d))
	}
	if to < len(c.Documents) {
		v := url.Values{"cited_page": {strconv.Itoa(page + 1)}, "cited_size": {strconv.Itoa(size)}, "cited_sort": {order}}
		next := path + "?" + v.Encode()
		out.Next = &next
	}
	return out
}

func toAPICitingDoc(d search.CitingSource) apiCitingDoc {
	out := apiCitingDoc{Document: d.Document, Title: d.Title, Kind: d.Kind, Passages: nonNil(d.Passages), Language: d.Language}
	for _, t := range d.Translations {
		out.Translations = append(out.Translations, toAPICitingDoc(t))
	}
	return out
}

// citedBySearchURL searches every passage of a cited-by list and the
// cited text's own: those citing the article, or bearing the document's
// symbol, or naming its case.
func citedBySearchURL(c *search.CitedBy) string {
	switch {
	case c.Article != "":
		return articleSearchURL(c.Article)
	case c.Symbol != "":
		return searchState{Filters: map[string][]string{search.FilterSymbol: {c.Symbol}}}.url("/search")
	case c.CaseName != "":
		return searchState{Q: `"` + c.CaseName + `"`}.url("/search")
	}
	return ""
}

func articleSearchURL(article string) string {
	return searchState{Filters: map[string][]string{search.FilterArticle: {article}}}.url("/search")
}

// writeJSON renders v into a buffer first, so an encoding error is still a
// clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		return nil // the client went away; nothing more to write
	}
	return nil
}

func (s *server) handleAPISearch(w http.ResponseWriter, r *http.Request) error {
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	st, err := parseSearchState(v)
	if err != nil {
		return err
	}
	if st.empty() {
		return errBadRequest("Give a query (q) or at least one filter.")
	}
	switch v.Get("collapse") {
	case "":
	case "document":
		return s.handleAPISearchByDocument(w, r, st)
	default:
		return errBadRequest("collapse must be document (one row per document) or absent.")
	}
	req := st.request()
	req.Cursor = v.Get("cursor")
	req.StrictFilters = true
	res, err := s.search.Search(r.Context(), req)
	if err != nil {
		return filterError(apiSearchErr(err))
	}
	out := apiSearchResponse{Total: res.Total, Page: st.Page, Size: st.Size, Hits: make([]apiHit, 0, len(res.Hits)),
		Facets: s.toAPIFacets(res.Facets, search.FacetNames), QueryArticles: res.Articles,
		Exact: st.Exact, Words: res.Words, Notices: res.Notices}
	if res.Next != "" {
		out.Next = &res.Next
	}
	hits, folded := res.Hits, map[int][]apiSimilar(nil)
	if st.FoldSimilar {
		hits, folded = s.foldHits(r.Context(), res.Hits)
		out.Folded = len(res.Hits) - len(hits)
	}
	for i, h := range hits {
		ah := toAPIHit(h)
		ah.Similar = folded[i]
		out.Hits = append(out.Hits, ah)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *server) handleAPIFacets(w http.ResponseWriter, r *http.Request) error {
	field, _, res, err := s.facetSearch(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiFacetResponse{Field: field, Total: res.Total, Values: s.toAPIFacetValues(field, res.Facets[field])})
}

// facetSearch runs the search of the current state for every value of one facet.
func (s *server) facetSearch(r *http.Request) (string, searchState, *search.Results, error) {
	name, err := pathVar(mux.Vars(r), "field")
	if err != nil {
		return "", searchState{}, nil, err
	}
	field, err := facetField(name)
	if err != nil {
		return "", searchState{}, nil, err
	}
	v, err := queryValues(r)
	if err != nil {
		return "", searchState{}, nil, err
	}
	st, err := parseSearchState(v)
	if err != nil {
		return "", st, nil, err
	}
	req := st.request()
	req.Page, req.Size, req.FacetSize, req.Facets, req.NoSnippets = 1, 1, facetAll, []string{field}, true
	res, err := s.search.Search(r.Context(), req)
	if err != nil {
		return "", st, nil, err
	}
	return field, st, res, nil
}

func (s *server) handleAPIDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(mux.Vars(r), "id")
	if err != nil {
		return err
	}
	order, page, size, err := citedParams(r.URL.Query())
	if err != nil {
		return err
	}
	info, passages, err := s.document(r, id)
	if err != nil {
		return err
	}
	e := info.Entry
	out := apiDocument{ID: e.ID, Title: e.Title, Kind: e.Kind, Instrument: e.Instrument, Body: e.Body, Symbol: e.Symbol,
		Date: e.Date, Year: e.YearOf(), Language: e.Language, URL: e.URL, States: nonNil(e.States), Note: e.Note,
		Passages: make([]apiPassage, 0, len(passages))}
	if p := toAPIProvenance(info); p != nil {
		out.Provenance = p
	}
	for _, p := range passages {
		out.Passages = append(out.Passages, toAPIPassage(p))
	}
	s.withIndexedDocument(r.Context(), &out)
	c, err := s.documentCitedBy(r.Context(), id, order)
	if err != nil {
		return err
	}
	if c != nil {
		out.CitedBy = toAPICitedBy(c, order, page, size, "/api/documents/"+url.PathEscape(id))
	}
	s.setDocumentETag(w, r, id) // the version a librarian's If-Match names
	return writeJSON(w, http.StatusOK, out)
}

func toAPIProvenance(info *DocInfo) *apiProvenance {
	p := &apiProvenance{Source: info.Source, FinalURL: info.FinalURL, ContentType: info.ContentType, SHA256: info.SHA256, Status: info.Status}
	if !info.FetchedAt.IsZero() {
		t := info.FetchedAt.UTC()
		p.FetchedAt = &t
	}
	if *p == (apiProvenance{}) {
		return nil
	}
	return p
}

// document loads a document's metadata and passages. Without a Documents
// store, the metadata comes from the first passage.
func (s *server) document(r *http.Request, id string) (*DocInfo, []search.Passage, error) {
	if !validDocumentID(id) {
		return nil, nil, errBadRequest("That is not a valid document id.")
	}
	var info *DocInfo
	if s.docs != nil {
		var err error
		if info, err = s.docs.Document(r.Context(), id); err != nil {
			return nil, nil, err
		}
	}
	passages, err := s.search.Passages(r.Context(), id)
	if err != nil && (info == nil || !isNotFound(err)) {
		return nil, nil, err
	}
	if info == nil {
		if len(passages) == 0 {
			return nil, nil, corpus.ErrNotFound
		}
		p := passages[0]
		info = &DocInfo{}
		info.Entry.ID, info.Entry.Title, info.Entry.Kind, info.Entry.Language, info.Entry.Date = id, p.Title, p.Kind, p.Language, p.Date
	}
	return info, passages, nil
}

func (s *server) handleAPIPassage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(mux.Vars(r), "id")
	if err != nil {
		return err
	}
	if _, _, ok := splitPassageID(id); !ok {
		return errBadRequest("That is not a valid passage id (document#unit, with # written %%23).")
	}
	p, err := s.search.Passage(r.Context(), id)
	if err != nil {
		return err
	}
	order, page, size, err := citedParams(r.URL.Query())
	if err != nil {
		return err
	}
	out := toAPIPassage(*p)
	if p.OwnArticle != "" {
		c, err := s.search.CitedBy(r.Context(), p.OwnArticle, 0, order)
		if err != nil {
			return err
		}
		out.CitedBy = toAPICitedBy(c, order, page, size, "/api/passages/"+url.PathEscape(id))
	}
	return writeJSON(w, http.StatusOK, out)
}

// citedParams reads the paging of a cited_by list: cited_sort,
// cited_page, cited_size.
func citedParams(q url.Values) (order string, page, size int, err error) {
	order = q.Get("cited_sort")
	switch order {
	case "":
		order = search.CitedByDate
	case search.CitedByDate, search.CitedByRelevance:
	default:
		return "", 0, 0, errBadRequest("cited_sort must be date or relevance.")
	}
	if page, err = intParam(q, "cited_page", 1); err != nil {
		return "", 0, 0, err
	}
	if size, err = intParam(q, "cited_size", apiCitedByPageSize); err != nil {
		return "", 0, 0, err
	}
	if page < 1 || size < 1 || size > apiCitedByMaxPage {
		return "", 0, 0, errBadRequest("cited_page must be 1 or more and cited_size 1 to %d.", apiCitedByMaxPage)
	}
	return order, page, size, nil
}

func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(s.openapi)
	return nil
}
