package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// Export by document: GET /api/export?…&collapse=document writes one
// record per document, as /api/search?collapse=document and the
// /documents page list them (the same documents, order, counts of
// matching passages and best passages), in every export format. It reads
// the collapsed search a page at a time and writes each page before the
// next is read, so its memory is a page's, however many documents the
// search has.

// csvDocumentHeader names the columns of a CSV export by document;
// exportDocument's JSON has the same names.
var csvDocumentHeader = []string{"document", "title", "kind", "symbol", "body", "date", "year", "language",
	"case", "party", "outcome", "violations", "instrument", "article", "state", "matches", "passages", "pinpoints",
	"citation", "permalink", "url"}

// exportDocument is one document of an export by document (CSV row,
// JSON line).
type exportDocument struct {
	Document   string   `json:"document"`
	Title      string   `json:"title"`
	Kind       string   `json:"kind"`
	Symbol     string   `json:"symbol,omitempty"`
	Body       string   `json:"body,omitempty"`
	Date       string   `json:"date,omitempty"`
	Year       string   `json:"year,omitempty"`
	Language   string   `json:"language,omitempty"`
	Case       *apiCase `json:"case,omitempty"`
	Instrument []string `json:"instrument"` // the values of its best passages
	Article    []string `json:"article"`
	State      []string `json:"state"`
	// Matches counts its passages that match the search (0 for a
	// search of filters only, which lists documents).
	Matches   int                    `json:"matches"`
	Passages  []exportDocumentPinned `json:"passages"` // its best passages, best first
	Citation  string                 `json:"citation"`
	Permalink string                 `json:"permalink"`
	URL       string                 `json:"url,omitempty"`
}

// exportDocumentPinned is one of a document's best passages.
type exportDocumentPinned struct {
	ID        string `json:"id"`
	Pinpoint  string `json:"pinpoint"`
	Citation  string `json:"citation"`
	Permalink string `json:"permalink"`
}

func (e exportDocument) row() []string {
	var ids, pins []string
	for _, p := range e.Passages {
		ids = append(ids, p.ID)
		pins = append(pins, p.Pinpoint)
	}
	var name, party, outcome, violations string
	if e.Case != nil {
		name, party, outcome, violations = e.Case.Name, e.Case.Party, e.Case.Outcome, strings.Join(e.Case.Violations, "; ")
	}
	return []string{e.Document, csvSafe(e.Title), e.Kind, e.Symbol, csvSafe(e.Body), e.Date, e.Year, e.Language,
		csvSafe(name), party, outcome, violations,
		strings.Join(e.Instrument, "; "), strings.Join(e.Article, "; "), strings.Join(e.State, "; "),
		strconv.Itoa(e.Matches), strings.Join(ids, "; "), strings.Join(pins, "; "),
		csvSafe(e.Citation), e.Permalink, e.URL}
}

// matchNote says how many passages of a document match and which are the
// best: the note of its reference-manager record.
func matchNote(matches int, pins []string) string {
	if matches == 0 {
		return ""
	}
	s := "1 matching passage"
	if matches != 1 {
		s = strconv.Itoa(matches) + " matching passages"
	}
	if len(pins) > 0 {
		s += ", the best " + strings.Join(pins, "; ")
	}
	return s
}

// union appends to dst the values of src it does not hold yet.
func union(dst, src []string) []string {
	for _, v := range src {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// collapsedExportRequest is the collapsed search of an export: the
// order /api/search?collapse=document gives it.
func collapsedExportRequest(st searchState, v map[string][]string) search.Request {
	req := st.request()
	if len(v["sort"]) == 0 && st.Q == "" {
		req.Sort = search.SortDate
	}
	req.Page, req.Size, req.NoSnippets, req.Facets = 1, exportPage, true, []string{}
	return req
}

// exportDocuments streams the export by document of req in format.
func (s *server) exportDocuments(w http.ResponseWriter, r *http.Request, req search.Request, format string) error {
	ds, ok := s.search.(documentSearcher)
	if !ok {
		return errNotFound("This server does not group results by document.")
	}
	ctx := r.Context()
	gen := func() (uint64, bool) { return 0, false }
	if s.generation != nil {
		gen = s.generation
	}
	start, _ := gen()
	res, err := ds.SearchByDocument(ctx, req)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", exportContentType[format])
	h.Set("Content-Disposition", `attachment; filename="hrsearch-documents.`+exportExt[format]+`"`)
	h.Set("X-Total-Count", itoa(res.Total))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	rc := http.NewResponseController(w)
	base := baseURL(r)
	infos := &docInfos{docs: s.docs, m: map[string]*DocInfo{}}
	out := newExportWriter(w, format, csvDocumentHeader)
	for {
		_ = rc.SetWriteDeadline(time.Now().Add(exportPageTimeout))
		for _, g := range res.Groups {
			d := g.Document
			info, err := infos.get(ctx, d.ID)
			if err != nil {
				return s.abortExport(r, err)
			}
			c := documentCitation(base, d, info)
			rec := exportDocument{Document: d.ID, Title: c.Title, Kind: c.Kind, Symbol: c.Symbol, Body: c.Body, Date: c.Date,
				Language: c.Language, Case: toAPICase(d.Case), Instrument: []string{}, Article: []string{}, State: []string{},
				Matches: d.Matches, Passages: []exportDocumentPinned{}, Citation: c.Text, Permalink: c.Permalink, URL: c.URL}
			if d.Year != 0 {
				rec.Year = strconv.Itoa(d.Year)
			}
			var pins []string
			for _, hit := range g.Hits {
				hc := hitCitation(base, hit, info)
				rec.Passages = append(rec.Passages, exportDocumentPinned{ID: hit.ID, Pinpoint: hc.Pinpoint, Citation: hc.Text, Permalink: hc.Permalink})
				pins = append(pins, hc.Pinpoint)
				rec.Instrument, rec.Article, rec.State = union(rec.Instrument, hit.Instrument), union(rec.Article, hit.Article), union(rec.State, hit.State)
			}
			c.Note = matchNote(d.Matches, pins)
			out.write(rec, c)
		}
		if err := out.flush(); err != nil {
			return nil // the client went away
		}
		_ = rc.Flush()
		if res.Page*res.Size >= res.Total || len(res.Groups) == 0 {
			break
		}
		// The pages are read one after the other: a change to the library
		// between them could move documents from one page to another, so
		// the export stops rather than miss or repeat one.
		if now, ok := gen(); ok && now != start {
			return s.abortExport(r, fmt.Errorf("%w: the library changed during the export", corpus.ErrBusy))
		}
		req.Page++
		if res, err = ds.SearchByDocument(ctx, req); err != nil {
			return s.abortExport(r, err)
		}
	}
	_ = out.close()
	return nil
}

// documentCitation is a document's citation as a whole: no pinpoint, its
// id the document's, its permalink the document page.
func documentCitation(base string, d search.DocumentHit, info *DocInfo) citation {
	var syms []string
	if d.Symbol != "" {
		syms = []string{d.Symbol}
	}
	return newCitation(base, d.ID, d.ID, "", d.Title, d.Kind, d.Date, d.Language, syms, info)
}

// documentExportLinks are the export by document of the listing st (the
// /documents page), every page of it, in each format: what the page
// shows, one record per document.
func documentExportLinks(st searchState) []link {
	c := st.clone()
	c.Page, c.Size = 1, 0
	v := c.values()
	v.Set("collapse", "document")
	out := make([]link, 0, len(exportLabels))
	for _, e := range exportLabels {
		v.Set("format", e.format)
		out = append(out, link{Text: e.label, URL: "/api/export?" + v.Encode()})
	}
	return out
}
