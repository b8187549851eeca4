package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// apiCase is a decision's case metadata in the API (DESIGN.md, "Case law").
type apiCase struct {
	Name          string   `json:"name,omitempty"`
	Communication string   `json:"communication,omitempty"`
	Complainant   string   `json:"complainant,omitempty"`
	Party         string   `json:"party,omitempty"`
	Adopted       *string  `json:"adopted"`
	Outcome       string   `json:"outcome,omitempty"`
	Violations    []string `json:"violations"`
	Destination   []string `json:"destination"`
	// Groups are the concerned groups of the document's paragraphs.
	Groups []string `json:"groups,omitempty"`
}

// toAPICase is nil for a document without a case of its own.
func toAPICase(c *corpus.Case) *apiCase {
	if !c.IsCase() {
		return nil
	}
	out := &apiCase{Name: c.Name, Communication: c.Communication, Complainant: c.Complainant, Party: c.Party,
		Outcome: c.Outcome, Violations: nonNil(c.Violations), Destination: nonNil(c.Destination), Groups: c.Groups}
	if c.Adopted != "" {
		a := c.Adopted
		out.Adopted = &a
	}
	return out
}

// documentIndex is what the server may ask the index about a document as a
// whole (the derived kind and year, a decision's case): search.Searcher
// has it; a Searcher without it serves documents without a case.
type documentIndex interface {
	DocumentInfo(ctx context.Context, documentID string) (*search.DocumentInfo, error)
}

// documentCiter lists the documents citing a document
// (search.Searcher.DocumentCitedBy).
type documentCiter interface {
	DocumentCitedBy(ctx context.Context, documentID string, limit int, order string) (*search.CitedBy, error)
}

// documentCitedBy is every document citing a document, in order, or nil
// when the index cannot tell or has no passage of it.
func (s *server) documentCitedBy(ctx context.Context, id, order string) (*search.CitedBy, error) {
	dc, ok := s.search.(documentCiter)
	if !ok {
		return nil, nil
	}
	c, err := dc.DocumentCitedBy(ctx, id, 0, order)
	if errors.Is(err, corpus.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cited by of %s: %w", id, err)
	}
	return c, nil
}

// indexedDocument is what the index holds about a document, or nil.
func (s *server) indexedDocument(ctx context.Context, id string) *search.DocumentInfo {
	di, ok := s.search.(documentIndex)
	if !ok {
		return nil
	}
	d, err := di.DocumentInfo(ctx, id)
	if err != nil {
		return nil // a document whose passages are not indexed has no case to show
	}
	return d
}

// withIndexedDocument completes a document's API form with what
// derivation found: its kind (a follow-up report filed as a decision), its
// year (a decision's, from its text or session) and its case.
func (s *server) withIndexedDocument(ctx context.Context, out *apiDocument) {
	d := s.indexedDocument(ctx, out.ID)
	if d == nil {
		return
	}
	if d.Kind != "" {
		out.Kind = d.Kind
	}
	if d.Year != 0 {
		out.Year = d.Year
	}
	out.Case = toAPICase(d.Case)
}

// caseMeta is the heading of a decision's page: case name, parties,
// adoption date or year, outcome, articles found violated.
func (s *server) caseMeta(ctx context.Context, p *docPage) {
	d := s.indexedDocument(ctx, p.ID)
	if d == nil || !d.Case.IsCase() {
		return
	}
	c := d.Case
	var meta []kv
	add := func(label, value, title string) {
		if value != "" {
			meta = append(meta, kv{Label: label, Value: value, Title: title})
		}
	}
	if c.Name != "" {
		p.CaseName = c.Name
	}
	add("Complainant", c.Complainant, "")
	if c.Party != "" {
		add("State party", s.name(search.FilterState, c.Party), c.Party)
	}
	add("Communication", c.Communication, "")
	when := c.Adopted
	if when == "" && d.Year != 0 {
		when = itoa(d.Year)
		if c.YearSource == corpus.YearFromSession {
			when += " (session " + itoa(c.Session) + ")"
		}
	}
	add("Adopted", when, "")
	add("Outcome", outcomeLabels[c.Outcome], "")
	add("Violations", strings.Join(c.Violations, ", "), "")
	if len(c.Destination) > 0 {
		names := make([]string, len(c.Destination))
		for i, code := range c.Destination {
			names[i] = s.name(search.FilterState, code)
		}
		add("Country of return", strings.Join(names, ", "), strings.Join(c.Destination, ", "))
	}
	p.Meta = append(meta, p.Meta...)
}

// outcomeLabels name the outcomes of decisions.
var outcomeLabels = map[string]string{
	corpus.OutcomeViolation:    "Violation",
	corpus.OutcomeNoViolation:  "No violation",
	corpus.OutcomeInadmissible: "Inadmissible",
	corpus.OutcomeDiscontinued: "Discontinued",
}

// documentLister lists documents (search.Searcher); a Searcher without
// it serves no /documents.
type documentLister interface {
	Documents(ctx context.Context, req search.DocumentsRequest) (*search.DocumentList, error)
}

type apiDocumentsResponse struct {
	Total     int                        `json:"total"`
	Page      int                        `json:"page"`
	Size      int                        `json:"size"`
	Sort      string                     `json:"sort"`
	Documents []apiListedDocument        `json:"documents"`
	Facets    map[string][]apiFacetValue `json:"facets"`
	Truncated bool                       `json:"truncated,omitempty"`
}

type apiListedDocument struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Symbol   string   `json:"symbol,omitempty"`
	Date     string   `json:"date,omitempty"`
	Year     int      `json:"year,omitempty"`
	Case     *apiCase `json:"case,omitempty"`
	Matches  int      `json:"matches,omitempty"`
	Passages []string `json:"passages,omitempty"`
	URL      string   `json:"url"`
}

// documentsState reads a listing's parameters: those of a search, with
// date (newest first) the default order without a query.
func documentsState(r *http.Request) (searchState, error) {
	v, err := queryValues(r)
	if err != nil {
		return searchState{}, err
	}
	st, err := parseSearchState(v)
	if err != nil {
		return st, err
	}
	if v.Get("sort") == "" {
		st.Sort = search.SortDate
		if st.Q != "" {
			st.Sort = search.SortRelevance
		}
	}
	if v.Get("size") == "" {
		st.Size = documentsPageSize
	}
	return st, nil
}

const documentsPageSize = 20

func (s *server) listDocuments(r *http.Request, st searchState) (*search.DocumentList, error) {
	l, ok := s.search.(documentLister)
	if !ok {
		return nil, errNotFound("This server does not list documents.")
	}
	req := search.DocumentsRequest{Query: st.Q, Filters: st.request().Filters, Sort: st.Sort, Page: st.Page, Size: st.Size}
	return l.Documents(r.Context(), req)
}

func (s *server) handleAPIDocuments(w http.ResponseWriter, r *http.Request) error {
	st, err := documentsState(r)
	if err != nil {
		return err
	}
	res, err := s.listDocuments(r, st)
	if err != nil {
		return err
	}
	out := apiDocumentsResponse{Total: res.Total, Page: res.Page, Size: res.Size, Sort: st.Sort, Truncated: res.Truncated,
		Documents: make([]apiListedDocument, 0, len(res.Documents)), Facets: s.toAPIFacets(res.Facets, search.DocumentFacetNames)}
	for _, d := range res.Documents {
		out.Documents = append(out.Documents, apiListedDocument{ID: d.ID, Title: d.Title, Kind: d.Kind, Symbol: d.Symbol,
			Date: d.Date, Year: d.Year, Case: toAPICase(d.Case), Matches: d.Matches, Passages: d.Passages, URL: docURL(d.ID, "")})
	}
	return writeJSON(w, http.StatusOK, out)
}

// The /documents page: decisions and other documents as a list, HUDOC-style.

type sortLink struct {
	Label, URL string
	Current    bool
}

type documentRow struct {
	Title, URL, CaseName      string
	Party, PartyCode, When    string
	Outcome, Violations, Kind string
	Symbol                    string
	Matches                   int
	MatchesURL                string
}

type documentsPage struct {
	Layout
	Q          string
	Total      int
	From, To   int
	Rows       []documentRow
	Facets     []facetGroup
	Chips      []chip
	ClearURL   string
	Sorts      []sortLink
	Keep       []hidden // the filters the search box keeps
	Prev, Next string
	SearchURL  string // the same query and filters as passages
	Exports    []link // the whole listing, one record per document, in each export format
}

func (s *server) handleDocumentsPage(w http.ResponseWriter, r *http.Request) error {
	st, err := documentsState(r)
	if err != nil {
		return err
	}
	res, err := s.listDocuments(r, st)
	if err != nil {
		return err
	}
	page := s.buildDocumentsPage(st, res)
	page.Librarian = s.signedIn(r)
	return s.render(w, http.StatusOK, "documents", page)
}

func (s *server) buildDocumentsPage(st searchState, res *search.DocumentList) documentsPage {
	p := documentsPage{Layout: Layout{Title: "Documents", Query: st.Q, JSONURL: st.url("/api/documents"), Nav: "documents"},
		Q: st.Q, Total: res.Total, ClearURL: "/documents", SearchURL: st.url("/search"), Exports: documentExportLinks(st)}
	if res.Total > 0 && len(res.Documents) > 0 {
		p.From = (st.Page-1)*st.Size + 1
		p.To = p.From + len(res.Documents) - 1
	}
	for _, d := range res.Documents {
		row := documentRow{Title: d.Title, URL: docURL(d.ID, ""), Kind: s.name(search.FilterKind, d.Kind), Symbol: d.Symbol, Matches: d.Matches}
		row.When = d.Date
		if row.When == "" && d.Year != 0 {
			row.When = itoa(d.Year)
		}
		if c := d.Case; c.IsCase() {
			row.CaseName = c.Name
			if c.Adopted != "" {
				row.When = c.Adopted
			}
			if c.Party != "" {
				row.Party, row.PartyCode = s.name(search.FilterParty, c.Party), c.Party
			}
			row.Outcome = outcomeLabels[c.Outcome]
			row.Violations = strings.Join(c.Violations, ", ")
		}
		if d.Matches > 0 {
			row.MatchesURL = st.with(search.FilterDocument, d.ID).url("/search")
		}
		p.Rows = append(p.Rows, row)
	}
	for _, f := range search.DocumentFacetNames {
		g := facetGroup{Field: f, Label: fieldLabel(f)}
		for _, v := range res.Facets[f] {
			item := facetItem{Value: v.Value, Text: s.name(f, v.Value), Count: v.Count, Active: st.has(f, v.Value)}
			if item.Text != v.Value {
				item.Title = v.Value
			}
			next := st.with(f, v.Value)
			if item.Active {
				next = st.without(f, v.Value)
			}
			item.URL = next.url("/documents")
			g.Values = append(g.Values, item)
		}
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	for _, f := range search.FilterNames {
		for _, v := range st.Filters[f] {
			p.Chips = append(p.Chips, chip{Label: fieldLabel(f), Text: s.name(f, v), RemoveURL: st.without(f, v).url("/documents")})
		}
	}
	for _, o := range []struct{ v, l string }{{search.SortDate, "Newest first"}, {search.SortDateAsc, "Oldest first"}, {search.SortRelevance, "Relevance"}} {
		if o.v == search.SortRelevance && st.Q == "" {
			continue
		}
		next := st.withPage(1)
		next.Sort = o.v
		p.Sorts = append(p.Sorts, sortLink{Label: o.l, URL: next.url("/documents"), Current: st.Sort == o.v})
	}
	for _, f := range search.FilterNames {
		for _, v := range st.Filters[f] {
			p.Keep = append(p.Keep, hidden{Name: f, Value: v})
		}
	}
	if st.Page > 1 {
		p.Prev = st.withPage(st.Page - 1).url("/documents")
	}
	if st.Page*st.Size < res.Total {
		p.Next = st.withPage(st.Page + 1).url("/documents")
	}
	return p
}

// documentSearcher runs a search collapsed by document (search.Searcher).
type documentSearcher interface {
	SearchByDocument(ctx context.Context, req search.Request) (*search.CollapsedResults, error)
}

type apiCollapsedResponse struct {
	Total     int                        `json:"total"`
	Page      int                        `json:"page"`
	Size      int                        `json:"size"`
	Collapse  string                     `json:"collapse"`
	Documents []apiDocumentGroup         `json:"documents"`
	Facets    map[string][]apiFacetValue `json:"facets"`
	Truncated bool                       `json:"truncated,omitempty"`
	// Next is the cursor of the next page (collapsed_cursor.go), null on
	// the last.
	Next *string `json:"next"`
	// Folded, with similar=collapse, counts the documents of this page
	// folded into others.
	Folded int `json:"folded,omitempty"`
}

type apiDocumentGroup struct {
	apiListedDocument
	Hits []apiHit `json:"hits"`
	// Similar, with similar=collapse, are the documents of this page
	// folded into this one: its near-duplicates.
	Similar []apiSimilar `json:"similar,omitempty"`
}

// handleAPISearchByDocument is /api/search?collapse=document: one row per
// document with its best passages and its count of matching passages.
func (s *server) handleAPISearchByDocument(w http.ResponseWriter, r *http.Request, st searchState) error {
	ds, ok := s.search.(documentSearcher)
	if !ok {
		return errNotFound("This server does not group results by document.")
	}
	req := st.request()
	v, _ := queryValues(r)
	if v.Get("sort") == "" && st.Q == "" {
		req.Sort = search.SortDate
	}
	var gen uint64
	var known bool
	var err error
	if s.generation != nil {
		gen, known = s.generation()
	}
	if cursor := v.Get("cursor"); cursor != "" {
		if req.Page, err = readCollapsedCursor(cursor, st, req, gen, known); err != nil {
			return err
		}
	}
	res, err := ds.SearchByDocument(r.Context(), req)
	if err != nil {
		return err
	}
	out := apiCollapsedResponse{Total: res.Total, Page: res.Page, Size: res.Size, Collapse: "document", Truncated: res.Truncated,
		Next:      nonEmpty(collapsedNext(st, req, res, gen)),
		Documents: make([]apiDocumentGroup, 0, len(res.Groups)), Facets: s.toAPIFacets(res.Facets, search.DocumentFacetNames)}
	into := make([]int, len(res.Groups))
	sim := make([]float64, len(res.Groups))
	for i := range into {
		into[i] = -1
	}
	if st.FoldSimilar {
		docs := make([]string, len(res.Groups))
		for i, g := range res.Groups {
			docs[i] = g.Document.ID
		}
		into, sim = s.similarFolds(r.Context(), docs)
	}
	at := make([]int, len(res.Groups))
	for i, g := range res.Groups {
		d := g.Document
		if k := into[i]; k >= 0 {
			out.Folded++
			kept := &out.Documents[at[k]]
			kept.Similar = append(kept.Similar, apiSimilar{ID: d.ID, Document: d.ID, Title: d.Title, URL: docURL(d.ID, ""), Similarity: sim[i]})
			continue
		}
		ag := apiDocumentGroup{apiListedDocument: apiListedDocument{ID: d.ID, Title: d.Title, Kind: d.Kind, Symbol: d.Symbol,
			Date: d.Date, Year: d.Year, Case: toAPICase(d.Case), Matches: d.Matches, Passages: d.Passages, URL: docURL(d.ID, "")},
			Hits: make([]apiHit, 0, len(g.Hits))}
		for _, h := range g.Hits {
			ag.Hits = append(ag.Hits, toAPIHit(h))
		}
		at[i] = len(out.Documents)
		out.Documents = append(out.Documents, ag)
	}
	return writeJSON(w, http.StatusOK, out)
}

// symbolResolver finds the library's documents by their UN symbols
// (search.Searcher).
type symbolResolver interface {
	ResolveSymbols(ctx context.Context, symbols []string) (map[string]string, error)
}

// caseNameResolver maps case names cited in a text to the decisions they
// name (search.Searcher.ResolveCaseNames).
type caseNameResolver interface {
	ResolveCaseNames(ctx context.Context, names []string, party map[string]string) (map[string]string, error)
}

// textSeg is a stretch of a paragraph: plain text, or a citation linked
// to the document (and paragraph) it names.
type textSeg struct{ Text, URL string }

// pinpointRe reads the paragraph a citation names right after a symbol:
// "(CAT/C/38/D/300/2006), para. 8.2", "CAT/C/GC/4, paras. 9–10".
var pinpointRe = regexp.MustCompile(`^\)?,?\s*paras?\.\s*(\d+(?:\.\d+)*)`)

// linkCitations turns the UN symbols of a page's paragraphs that name a
// document of the library into links to it, at the paragraph the citation
// names when it names one. The page's own symbol stays text.
func (s *server) linkCitations(ctx context.Context, p *docPage) {
	var syms, names []string
	party := map[string]string{}
	for _, pv := range p.Passages {
		for _, para := range pv.Paragraphs {
			for _, m := range corpus.FindSymbols(para.Text) {
				syms = append(syms, m.Symbol.Normalized)
			}
			for _, m := range corpus.FindCaseMentions(para.Text) {
				for _, n := range m.Names {
					names = append(names, n.Name)
					party[n.Name] = m.Party
				}
			}
		}
	}
	docs := map[string]string{}
	if r, ok := s.search.(symbolResolver); ok && len(syms) > 0 {
		if d, err := r.ResolveSymbols(ctx, syms); err == nil {
			docs = d
		}
	}
	cases := map[string]string{}
	if r, ok := s.search.(caseNameResolver); ok && len(names) > 0 {
		if d, err := r.ResolveCaseNames(ctx, names, party); err == nil {
			cases = d
		}
	}
	if len(docs) == 0 && len(cases) == 0 {
		return // the page reads as text
	}
	type span struct {
		start, end int
		url        string
	}
	for i := range p.Passages {
		pv := &p.Passages[i]
		for j := range pv.Paragraphs {
			para := pv.Paragraphs[j].Text
			var spans []span
			for _, m := range corpus.FindSymbols(para) {
				doc, ok := docs[m.Symbol.Normalized]
				if !ok || doc == p.ID {
					continue
				}
				end, unit := m.End, ""
				if pm := pinpointRe.FindStringSubmatchIndex(para[m.End:]); pm != nil {
					unit = "para-" + para[m.End+pm[2]:m.End+pm[3]]
					end = m.End + pm[1]
				}
				spans = append(spans, span{m.Start, end, docURL(doc, unit)})
			}
			// A decision cited by its name: the longest reading that names
			// one decision of the library, against the State it names.
			for _, m := range corpus.FindCaseMentions(para) {
				for _, n := range m.Names {
					doc, ok := cases[n.Name]
					if !ok {
						continue
					}
					if doc == p.ID {
						break // the decision names itself
					}
					overlaps := false
					for _, sp := range spans {
						overlaps = overlaps || n.Start < sp.end && sp.start < m.End
					}
					if !overlaps {
						spans = append(spans, span{n.Start, m.End, docURL(doc, "")})
					}
					break
				}
			}
			if len(spans) == 0 {
				continue
			}
			slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
			var segs []textSeg
			at := 0
			for _, sp := range spans {
				if sp.start < at {
					continue
				}
				if sp.start > at {
					segs = append(segs, textSeg{Text: para[at:sp.start]})
				}
				segs = append(segs, textSeg{Text: para[sp.start:sp.end], URL: sp.url})
				at = sp.end
			}
			if at < len(para) {
				segs = append(segs, textSeg{Text: para[at:]})
			}
			pv.Paragraphs[j].Segs = segs
		}
	}
}
