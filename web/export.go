package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/search"
)

// Export of a whole result set: GET /api/export with the search's own
// parameters and format=csv|jsonl|ris|bibtex|csl-json writes one record per
// passage (or per document with collapse=document: export_documents.go),
// every hit of the search in its order, streamed: the export
// walks the search with its cursor a page at a time and flushes each page,
// so memory does not grow with the result set.

// Export formats beyond the citation formats.
const (
	formatCSV   = "csv"
	formatJSONL = "jsonl"
)

// exportPage is the hits read per step of the walk.
const exportPage = search.MaxSize

// exportPageTimeout is the write deadline granted per page: an export
// takes as long as its result set needs, but a stalled client does not
// hold the connection longer than this past its last page.
const exportPageTimeout = 30 * time.Second

// maxExports is how many exports may stream at once: each walks its
// whole result set, a search per page, and more at once would crowd out
// researchers' searches.
const maxExports = 2

// maxDocInfos bounds the documents' metadata an export keeps at once.
const maxDocInfos = 512

var exportContentType = map[string]string{
	formatCSV:     "text/csv; charset=utf-8",
	formatJSONL:   "application/x-ndjson",
	formatRIS:     citationContentType[formatRIS],
	formatBibTeX:  citationContentType[formatBibTeX],
	formatCSLJSON: citationContentType[formatCSLJSON],
}

var exportExt = map[string]string{formatCSV: "csv", formatJSONL: "jsonl", formatRIS: "ris", formatBibTeX: "bib", formatCSLJSON: "json"}

// csvHeader names the CSV columns; exportRecord's JSON has the same names.
var csvHeader = []string{"id", "document", "unit", "label", "title", "kind", "symbol", "body", "date", "year", "language",
	"instrument", "article", "state", "citation", "permalink", "url", "text"}

// exportRecord is one passage of an export (CSV row, JSON line).
type exportRecord struct {
	ID         string   `json:"id"`
	Document   string   `json:"document"`
	Unit       string   `json:"unit"`
	Label      string   `json:"label"`
	Title      string   `json:"title"`
	Kind       string   `json:"kind"`
	Symbol     string   `json:"symbol,omitempty"`
	Body       string   `json:"body,omitempty"`
	Date       string   `json:"date,omitempty"`
	Year       string   `json:"year,omitempty"`
	Language   string   `json:"language"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
	Citation   string   `json:"citation"`
	Permalink  string   `json:"permalink"`
	URL        string   `json:"url,omitempty"`
	Text       string   `json:"text"`
}

func (e exportRecord) row() []string {
	return []string{e.ID, e.Document, e.Unit, e.Label, e.Title, e.Kind, e.Symbol, e.Body, e.Date, e.Year, e.Language,
		strings.Join(e.Instrument, "; "), strings.Join(e.Article, "; "), strings.Join(e.State, "; "),
		e.Citation, e.Permalink, e.URL, csvSafe(e.Text)}
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// docInfos caches documents' metadata during one export.
type docInfos struct {
	docs Documents
	m    map[string]*DocInfo
}

func (d *docInfos) get(ctx context.Context, id string) (*DocInfo, error) {
	if d.docs == nil {
		return nil, nil
	}
	if info, ok := d.m[id]; ok {
		return info, nil
	}
	info, err := d.docs.Document(ctx, id)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if len(d.m) >= maxDocInfos {
		clear(d.m)
	}
	d.m[id] = info
	return info, nil
}

// apiSearchErr turns a cursor's error into the 400 that says what to do.
func apiSearchErr(err error) error {
	switch {
	case errors.Is(err, search.ErrStaleCursor):
		return &httpError{status: http.StatusBadRequest, code: "stale_cursor", err: err,
			msg: "The library changed since this cursor was issued, so the order of the results may have changed: start again from the first page (without cursor)."}
	case errors.Is(err, search.ErrBadCursor):
		return &httpError{status: http.StatusBadRequest, code: "bad_cursor", err: err,
			msg: "The cursor is not one this server issued for this search: pass the next value of the previous page with the same q, filters and sort."}
	}
	return err
}

// exportRequest reads the search and the format of an export, and
// whether it is one record per document (collapse=document).
func exportRequest(r *http.Request) (search.Request, string, bool, error) {
	v, err := queryValues(r)
	if err != nil {
		return search.Request{}, "", false, err
	}
	v.Del("page")
	v.Del("size")
	st, err := parseSearchState(v)
	if err != nil {
		return search.Request{}, "", false, err
	}
	format := v.Get("format")
	if _, ok := exportContentType[format]; !ok {
		return search.Request{}, "", false, errBadRequest("format must be csv, jsonl, ris, bibtex or csl-json.")
	}
	switch v.Get("collapse") {
	case "":
	case "document":
		// Without a query or filter it is the library's list of
		// documents, as the /documents page shows it.
		return collapsedExportRequest(st, v), format, true, nil
	default:
		return search.Request{}, "", false, errBadRequest("collapse must be document (one record per document) or absent (one per passage).")
	}
	if st.empty() {
		return search.Request{}, "", false, errBadRequest("Give a query (q) or at least one filter.")
	}
	req := st.request()
	req.Page, req.Size, req.NoSnippets, req.WithText, req.Facets = 1, exportPage, true, true, []string{}
	return req, format, false, nil
}

func (s *server) handleAPIExport(w http.ResponseWriter, r *http.Request) error {
	req, format, byDocument, err := exportRequest(r)
	if err != nil {
		return err
	}
	select {
	case s.exports <- struct{}{}:
		defer func() { <-s.exports }()
	default:
		return &httpError{status: http.StatusServiceUnavailable, code: "unavailable",
			msg: "Other exports are running. Please try again in a moment."}
	}
	if byDocument {
		return s.exportDocuments(w, r, req, format)
	}
	ctx := r.Context()
	// The first page is read before anything is written, so that a bad
	// request is still a clean error.
	res, err := s.search.Search(ctx, req)
	if err != nil {
		return apiSearchErr(err)
	}
	h := w.Header()
	h.Set("Content-Type", exportContentType[format])
	h.Set("Content-Disposition", `attachment; filename="hrsearch-export.`+exportExt[format]+`"`)
	h.Set("X-Total-Count", itoa(int(res.Total)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	rc := http.NewResponseController(w)
	base := baseURL(r)
	infos := &docInfos{docs: s.docs, m: map[string]*DocInfo{}}
	out := newExportWriter(w, format, csvHeader)
	for {
		_ = rc.SetWriteDeadline(time.Now().Add(exportPageTimeout))
		for _, hit := range res.Hits {
			info, err := infos.get(ctx, hit.Document)
			if err != nil {
				return s.abortExport(r, err)
			}
			c := hitCitation(base, hit, info)
			out.write(exportRecord{ID: hit.ID, Document: hit.Document, Unit: hit.Unit, Label: unitLabel(hit.Unit), Title: c.Title,
				Kind: c.Kind, Symbol: c.Symbol, Body: c.Body, Date: c.Date, Year: hit.Year, Language: hit.Language,
				Instrument: nonNil(hit.Instrument), Article: nonNil(hit.Article), State: nonNil(hit.State),
				Citation: c.Text, Permalink: c.Permalink, URL: c.URL, Text: hit.Text}, c)
		}
		if err := out.flush(); err != nil {
			return nil // the client went away
		}
		_ = rc.Flush()
		if res.Next == "" {
			break
		}
		req.Cursor = res.Next
		if res, err = s.search.Search(ctx, req); err != nil {
			return s.abortExport(r, apiSearchErr(err))
		}
	}
	_ = out.close()
	return nil
}

// abortExport ends an export that failed after its first bytes: the
// status is sent, so the connection is cut, and the client sees an
// incomplete transfer rather than a file that looks whole.
func (s *server) abortExport(r *http.Request, err error) error {
	status, _, _ := errorResponse(err)
	if status != 499 {
		s.log.WarnContext(r.Context(), "export stopped", "route", routeOf(r), "status", status, "err", err)
	}
	panic(http.ErrAbortHandler)
}
