package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/search"
)

// Feeds: GET /feed.atom with a search's parameters lists the documents
// that match it, newest first by the time they entered the library, so
// that a researcher can follow a search in any feed reader. The feed
// carries OpenSearch's response elements (totalResults, Query), so that
// federated search clients read it too; /opensearch.xml describes the
// server to browsers and those clients.

// feedEntries is the number of documents a feed lists.
const feedEntries = 50

const (
	atomNS       = "http://www.w3.org/2005/Atom"
	openSearchNS = "http://a9.com/-/spec/opensearch/1.1/"
	atomType     = "application/atom+xml"
	osddType     = "application/opensearchdescription+xml"
)

type atomFeed struct {
	XMLName      xml.Name    `xml:"feed"`
	NS           string      `xml:"xmlns,attr"`
	OSNS         string      `xml:"xmlns:opensearch,attr"`
	Title        string      `xml:"title"`
	Subtitle     string      `xml:"subtitle"`
	ID           string      `xml:"id"`
	Updated      string      `xml:"updated"`
	Links        []atomLink  `xml:"link"`
	Author       atomPerson  `xml:"author"`
	Generator    string      `xml:"generator"`
	TotalResults int         `xml:"opensearch:totalResults"`
	StartIndex   int         `xml:"opensearch:startIndex"`
	ItemsPerPage int         `xml:"opensearch:itemsPerPage"`
	Query        osQuery     `xml:"opensearch:Query"`
	Entries      []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type osQuery struct {
	Role        string `xml:"role,attr"`
	SearchTerms string `xml:"searchTerms,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// feedDoc is one matching document with when it entered the library.
type feedDoc struct {
	id, title, kind, symbol, date string
	entered                       time.Time
	passages                      int
}

// enteredTime is when a document entered the library: when its bytes were
// fetched or uploaded, else (an entry without provenance) its own date.
func enteredTime(info *DocInfo, date string) time.Time {
	if info != nil && !info.FetchedAt.IsZero() {
		return info.FetchedAt.UTC()
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, date); err == nil {
			return t
		}
	}
	return time.Unix(0, 0).UTC()
}

// newestSearcher lists the documents matching a search that entered the
// library last, sorted so by the index (search.Searcher).
type newestSearcher interface {
	Newest(ctx context.Context, req search.Request, n int) ([]search.NewDocument, error)
}

// feedDocuments are the feedEntries documents matching st that entered the
// library last, newest first, and how many documents match (counted up
// to search.MaxFacetSize).
func (s *server) feedDocuments(r *http.Request, st searchState) ([]feedDoc, int, error) {
	ctx := r.Context()
	req := st.request()
	req.Page, req.Size, req.NoSnippets = 1, 1, true
	req.Facets, req.FacetSize = []string{search.FilterDocument}, search.MaxFacetSize
	res, err := s.search.Search(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	matching := len(res.Facets[search.FilterDocument])
	describe := func(id string, passages int, entered time.Time) (feedDoc, error) {
		d := feedDoc{id: id, title: id, passages: passages}
		var info *DocInfo
		if s.docs != nil {
			if info, err = s.docs.Document(ctx, id); err != nil && !isNotFound(err) {
				return d, err
			}
		}
		if info != nil {
			e := info.Entry
			d.title, d.kind, d.symbol, d.date = cmp.Or(e.Title, d.title), e.Kind, e.Symbol, e.Date
		}
		d.entered = entered
		if entered.IsZero() {
			d.entered = enteredTime(info, d.date)
		}
		return d, nil
	}
	var docs []feedDoc
	if ns, ok := s.search.(newestSearcher); ok {
		newest, err := ns.Newest(ctx, st.request(), feedEntries)
		if err != nil {
			return nil, 0, err
		}
		for _, nd := range newest {
			d, err := describe(nd.ID, nd.Matches, nd.Entered)
			if err != nil {
				return nil, 0, err
			}
			docs = append(docs, d)
		}
		return docs, matching, nil
	}
	// A searcher that cannot sort by entry: the documents of the facet,
	// sorted here.
	for _, fv := range res.Facets[search.FilterDocument] {
		d, err := describe(fv.Value, fv.Count, time.Time{})
		if err != nil {
			return nil, 0, err
		}
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b feedDoc) int {
		return cmp.Or(b.entered.Compare(a.entered), strings.Compare(b.date, a.date), strings.Compare(a.id, b.id))
	})
	return docs[:min(len(docs), feedEntries)], matching, nil
}

// feedTitle names a search for a feed reader's list: its query and filters.
func (s *server) feedTitle(st searchState) string {
	var parts []string
	if st.Q != "" {
		parts = append(parts, st.Q)
	}
	for _, f := range search.FilterNames {
		for _, v := range st.Filters[f] {
			parts = append(parts, fieldLabel(f)+": "+s.name(f, v))
		}
	}
	if len(parts) == 0 {
		return "hrsearch: new documents"
	}
	return "hrsearch: " + strings.Join(parts, " · ")
}

func (s *server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	v.Del("page")
	v.Del("size")
	st, err := parseSearchState(v)
	if err != nil {
		return err
	}
	st.Sort = ""
	docs, matching, err := s.feedDocuments(r, st)
	if err != nil {
		return err
	}

	base := baseURL(r)
	clean := st.clone()
	clean.Page, clean.Size = 1, 0
	self := base + clean.url("/feed.atom")
	feed := atomFeed{NS: atomNS, OSNS: openSearchNS, Title: s.feedTitle(st),
		Subtitle: "Documents matching this search, newest first by the time they entered the library.",
		ID:       self, Author: atomPerson{Name: "hrsearch"}, Generator: "hrsearch",
		Links: []atomLink{{Rel: "self", Type: atomType, Href: self}, {Rel: "alternate", Type: "text/html", Href: base + clean.url("/search")},
			{Rel: "search", Type: osddType, Href: base + "/opensearch.xml", Title: "hrsearch"}},
		TotalResults: matching, StartIndex: 1, ItemsPerPage: feedEntries,
		Query:   osQuery{Role: "request", SearchTerms: st.Q},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
	}
	if len(docs) > 0 {
		feed.Updated = docs[0].entered.Format(time.RFC3339)
	}
	for _, d := range docs {
		within := clean.with(search.FilterDocument, d.id)
		summary := []string{}
		for _, part := range []string{d.kind, d.symbol, d.date} {
			if part != "" {
				summary = append(summary, part)
			}
		}
		n := strconv.Itoa(d.passages) + " matching passages"
		if d.passages == 1 {
			n = "1 matching passage"
		}
		e := atomEntry{Title: d.title, ID: base + docURL(d.id, ""), Updated: d.entered.Format(time.RFC3339),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + docURL(d.id, "")},
				{Rel: "related", Type: "text/html", Href: base + within.url("/search"), Title: n}},
			Summary: atomText{Type: "text", Text: strings.Join(append(summary, n), " · ")}}
		if d.kind != "" {
			e.Categories = []atomCategory{{Term: d.kind}}
		}
		if t, err := time.Parse("2006-01-02", d.date); err == nil {
			e.Published = t.Format(time.RFC3339)
		}
		feed.Entries = append(feed.Entries, e)
	}
	return writeXML(w, atomType+"; charset=utf-8", feed)
}

// writeXML renders v into a buffer first, so an encoding error is a clean 500.
func writeXML(w http.ResponseWriter, contentType string, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
	return nil
}

type osDescription struct {
	XMLName        xml.Name `xml:"OpenSearchDescription"`
	NS             string   `xml:"xmlns,attr"`
	ShortName      string   `xml:"ShortName"`
	Description    string   `xml:"Description"`
	Tags           string   `xml:"Tags"`
	InputEncoding  string   `xml:"InputEncoding"`
	OutputEncoding string   `xml:"OutputEncoding"`
	Language       string   `xml:"Language"`
	Image          osImage  `xml:"Image"`
	URLs           []osURL  `xml:"Url"`
}

type osImage struct {
	Type   string `xml:"type,attr"`
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	URL    string `xml:",chardata"`
}

type osURL struct {
	Type     string `xml:"type,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// handleOpenSearch describes the server as an OpenSearch engine: the HTML
// results, the Atom feed and the JSON API, each with {searchTerms}.
func (s *server) handleOpenSearch(w http.ResponseWriter, r *http.Request) error {
	base := baseURL(r)
	tmpl := func(path string) string { return base + path + "?q={searchTerms}" }
	d := osDescription{NS: openSearchNS, ShortName: "hrsearch",
		Description:   "Search human-rights documents: treaties, treaty-body decisions and reports, passage by passage.",
		Tags:          "human rights treaties decisions",
		InputEncoding: "UTF-8", OutputEncoding: "UTF-8", Language: "*",
		Image: osImage{Type: "image/svg+xml", Width: 16, Height: 16, URL: base + "/static/favicon.svg"},
		URLs: []osURL{
			{Type: "text/html", Method: "get", Template: tmpl("/search")},
			{Type: atomType, Method: "get", Template: tmpl("/feed.atom")},
			{Type: "application/json", Method: "get", Template: tmpl("/api/search") + "&page={startPage?}"},
			{Type: osddType, Rel: "self", Template: base + "/opensearch.xml"},
		}}
	return writeXML(w, osddType+"; charset=utf-8", d)
}

// Links the results page offers: the feed of the search, and its export
// in each format.

var exportLabels = []struct{ format, label string }{
	{formatCSV, "CSV (spreadsheet)"}, {formatJSONL, "JSON Lines"}, {formatRIS, "RIS (Zotero, EndNote, Mendeley)"},
	{formatBibTeX, "BibTeX"}, {formatCSLJSON, "CSL-JSON"},
}

// searchFeedURL is the feed of the search st.
func searchFeedURL(st searchState) string {
	c := st.clone()
	c.Page, c.Size = 1, 0
	return c.url("/feed.atom")
}

// exportLinks are the export of the search st, every page of it, in
// each format.
func exportLinks(st searchState) []link {
	c := st.clone()
	c.Page, c.Size = 1, 0
	v := c.values()
	out := make([]link, 0, len(exportLabels))
	for _, e := range exportLabels {
		v.Set("format", e.format)
		out = append(out, link{Text: e.label, URL: "/api/export?" + v.Encode()})
	}
	return out
}
