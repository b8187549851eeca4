package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/search"
)

// Citations of one passage in the formats reference managers read: RIS,
// BibTeX (biblatex types), CSL-JSON, and the formatted string. They are
// written from a citation, filled from what a hit or passage and its
// document's catalog entry say.

// citation is what every format is written from.
type citation struct {
	Kind      string // the document's kind: decision, treaty, report, article, …
	Title     string
	Symbol    string // the UN symbol: CAT/C/38/D/300/2006
	Body      string // the body that issued it: CAT, HRC, …
	Date      string // YYYY, YYYY-MM or YYYY-MM-DD
	Language  string
	URL       string // the original's address, else the permalink
	Permalink string // the passage on this server, absolute
	Pinpoint  string // "para. 8.2", "art. 3"
	Text      string // the formatted citation
	Note      string // more to say in the record's note: a document's matching passages
	ID        string // the passage id
	Document  string // the document id
}

// Citation formats.
const (
	formatRIS     = "ris"
	formatBibTeX  = "bibtex"
	formatCSLJSON = "csl-json"
	formatText    = "text"
)

// cslType is the CSL item type of a document kind, as reference managers
// file them: a decision is a legal case, a treaty legislation, a report a
// report, a blog article a web page.
func cslType(kind string) string {
	switch kind {
	case "decision", "judgment", "opinion":
		return "legal_case"
	case "treaty", "protocol", "declaration", "convention", "rules":
		return "legislation"
	case "report", "general-comment", "concluding-observations", "resolution":
		return "report"
	case "article", "blog", "news":
		return "webpage"
	}
	return "document"
}

var risTypes = map[string]string{"legal_case": "CASE", "legislation": "LEGAL", "report": "RPRT", "webpage": "ELEC", "document": "GEN"}

var biblatexTypes = map[string]string{"legal_case": "jurisdiction", "legislation": "legislation", "report": "report", "webpage": "online", "document": "misc"}

// pinpoint is a unit's label as citations write it: "para. 8.2", "art. 3".
func pinpoint(unit string) string {
	l := unitLabel(unit)
	if rest, ok := strings.CutPrefix(l, "Article "); ok {
		return "art. " + rest
	}
	return l
}

// formatCitation is the citation as a researcher writes it:
// "Tebourski v. France (CAT/C/38/D/300/2006), para. 8.2",
// "Convention against Torture, art. 3".
func formatCitation(title, symbol, pin string) string {
	s := title
	if symbol != "" && !strings.Contains(title, symbol) {
		s += " (" + symbol + ")"
	}
	if pin != "" {
		s += ", " + pin
	}
	return s
}

// newCitation fills a citation from a passage's fields and, when known,
// its document's catalog entry.
func newCitation(base string, id, doc, unit, title, kind, date, lang string, symbols []string, info *DocInfo) citation {
	c := citation{ID: id, Document: doc, Title: title, Kind: kind, Date: date, Language: lang,
		Pinpoint: pinpoint(unit), Permalink: base + docURL(doc, unit)}
	if len(symbols) > 0 {
		c.Symbol = symbols[0]
	}
	if info != nil {
		e := info.Entry
		if e.Title != "" {
			c.Title = e.Title
		}
		if e.Symbol != "" {
			c.Symbol = e.Symbol
		}
		c.Body, c.URL = e.Body, e.URL
		if e.Date != "" {
			c.Date = e.Date
		}
		if e.Kind != "" {
			c.Kind = e.Kind
		}
	}
	if !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
		c.URL = c.Permalink
	}
	c.Text = formatCitation(c.Title, c.Symbol, c.Pinpoint)
	return c
}

// baseURL is this server's address: the public URL it was given
// (Config.PublicURL), else as the request reached it.
func baseURL(r *http.Request) string {
	if p := publicURLOf(r); p != "" {
		return p
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// dateParts splits "2006-11-16" into [2006 11 16], as far as it is given.
func dateParts(d string) []int {
	var out []int
	for _, p := range strings.SplitN(d, "-", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		out = append(out, n)
	}
	return out
}

// risLine writes one RIS tag, its value on one line.
func risLine(w io.Writer, tag, v string) {
	v = strings.Join(strings.Fields(v), " ")
	if v != "" {
		fmt.Fprintf(w, "%s  - %s\r\n", tag, v)
	}
}

// writeRIS writes c as one RIS record, with the tags reference managers
// read for its type: the issuing body is a case's court (PB, CSL
// authority) and a report's or statute's publisher; the symbol is a
// report's or statute's number (SN), a case's M1; the pinpoint and the
// formatted citation go in the note.
func writeRIS(w io.Writer, c citation) {
	ty := risTypes[cslType(c.Kind)]
	risLine(w, "TY", ty)
	risLine(w, "ID", c.ID)
	risLine(w, "TI", c.Title)
	if ty == "RPRT" || ty == "ELEC" || ty == "GEN" {
		risLine(w, "AU", c.Body) // the body as institutional author
	}
	risLine(w, "PB", c.Body)
	switch ty {
	case "RPRT", "LEGAL", "GEN":
		risLine(w, "SN", c.Symbol)
	case "CASE":
		risLine(w, "M1", c.Symbol)
	}
	if p := dateParts(c.Date); len(p) > 0 {
		risLine(w, "PY", strconv.Itoa(p[0]))
		parts := []string{strconv.Itoa(p[0]), "", ""}
		for i := 1; i < len(p); i++ {
			parts[i] = fmt.Sprintf("%02d", p[i])
		}
		risLine(w, "DA", strings.Join(parts, "/")+"/")
	}
	risLine(w, "LA", c.Language)
	risLine(w, "UR", c.URL)
	risLine(w, "N1", c.Text+". "+c.Permalink)
	risLine(w, "N1", c.Note)
	fmt.Fprint(w, "ER  - \r\n\r\n")
}

// bibEscape escapes BibTeX's special characters.
func bibEscape(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '%', '&', '#', '$', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bibKey is a citation key from the passage id: letters, digits and
// -_:. only.
func bibKey(id string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_:.", r)) {
			return r
		}
		return '_'
	}, id)
}

// writeBibTeX writes c as one biblatex entry.
func writeBibTeX(w io.Writer, c citation) {
	typ := biblatexTypes[cslType(c.Kind)]
	fmt.Fprintf(w, "@%s{%s,\n", typ, bibKey(c.ID))
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %s = {%s},\n", name, bibEscape(v))
		}
	}
	institution := func(v string) { // in braces: a name that is not a person's
		if v != "" {
			fmt.Fprintf(w, "  author = {{%s}},\n", bibEscape(v))
		}
	}
	field("title", c.Title)
	switch typ {
	case "report":
		institution(c.Body)
		field("institution", c.Body)
	case "online", "misc":
		institution(c.Body)
		field("organization", c.Body)
	default:
		field("organization", c.Body)
	}
	field("number", c.Symbol)
	field("date", c.Date)
	field("langid", c.Language)
	if c.URL != "" { // verbatim in biblatex: only braces, backslashes and spaces are encoded
		fmt.Fprintf(w, "  url = {%s},\n", strings.NewReplacer("{", "%7B", "}", "%7D", "\\", "%5C", " ", "%20").Replace(c.URL))
	}
	field("note", c.note())
	fmt.Fprint(w, "}\n\n")
}

// cslItem is one CSL-JSON item.
type cslItem struct {
	ID        string     `json:"id"`
	Type      string     `json:"type"`
	Title     string     `json:"title"`
	Authority string     `json:"authority,omitempty"`
	Publisher string     `json:"publisher,omitempty"`
	Number    string     `json:"number,omitempty"`
	Issued    *cslDate   `json:"issued,omitempty"`
	Language  string     `json:"language,omitempty"`
	URL       string     `json:"URL,omitempty"`
	Section   string     `json:"section,omitempty"`
	Note      string     `json:"note,omitempty"`
	Author    []cslAgent `json:"author,omitempty"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

type cslAgent struct {
	Literal string `json:"literal"`
}

func toCSL(c citation) cslItem {
	it := cslItem{ID: c.ID, Type: cslType(c.Kind), Title: c.Title, Authority: c.Body, Number: c.Symbol,
		Language: c.Language, URL: c.URL, Section: c.Pinpoint, Note: c.note()}
	if it.Type == "report" || it.Type == "document" {
		it.Publisher = c.Body
	}
	if c.Body != "" && (it.Type == "report" || it.Type == "webpage" || it.Type == "document") {
		it.Author = []cslAgent{{Literal: c.Body}} // the body as institutional author
	}
	if p := dateParts(c.Date); len(p) > 0 {
		it.Issued = &cslDate{DateParts: [][]int{p}}
	}
	return it
}

// note is the formatted citation and, when there is more to say, that.
func (c citation) note() string {
	if c.Note == "" {
		return c.Text
	}
	return c.Text + ". " + c.Note
}

// citationContentType is each format's media type.
var citationContentType = map[string]string{
	formatRIS:     "application/x-research-info-systems",
	formatBibTeX:  "application/x-bibtex; charset=utf-8",
	formatCSLJSON: "application/vnd.citationstyles.csl+json",
	formatText:    "text/plain; charset=utf-8",
}

var citationExt = map[string]string{formatRIS: "ris", formatBibTeX: "bib", formatCSLJSON: "json", formatText: "txt"}

// handleAPICite answers GET /api/cite/{passage-id}?format=ris|bibtex|csl-json|text.
func (s *server) handleAPICite(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(mux.Vars(r), "id")
	if err != nil {
		return err
	}
	doc, _, ok := splitPassageID(id)
	if !ok {
		return errBadRequest("That is not a valid passage id (document#unit, with # written %%23).")
	}
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	format := v.Get("format")
	if format == "" {
		format = formatCSLJSON
	}
	if _, ok := citationContentType[format]; !ok {
		return errBadRequest("format must be ris, bibtex, csl-json or text.")
	}
	p, err := s.search.Passage(r.Context(), id)
	if err != nil {
		return err
	}
	var info *DocInfo
	if s.docs != nil {
		if info, err = s.docs.Document(r.Context(), doc); err != nil && !isNotFound(err) {
			return err
		}
	}
	c := newCitation(baseURL(r), p.ID, p.Document, p.Unit, p.Title, p.Kind, p.Date, p.Language, p.Symbol, info)
	var buf bytes.Buffer
	switch format {
	case formatRIS:
		writeRIS(&buf, c)
	case formatBibTeX:
		writeBibTeX(&buf, c)
	case formatCSLJSON:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode([]cslItem{toCSL(c)}); err != nil {
			return err
		}
	case formatText:
		buf.WriteString(c.Text + "\n")
	}
	w.Header().Set("Content-Type", citationContentType[format])
	w.Header().Set("Content-Disposition", `inline; filename="`+bibKey(p.ID)+"."+citationExt[format]+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// hitCitation is a search hit's citation.
func hitCitation(base string, h search.Hit, info *DocInfo) citation {
	return newCitation(base, h.ID, h.Document, h.Unit, h.Title, h.Kind, h.Date, h.Language, h.Symbol, info)
}

// citeLinks are a passage's citation in each format, for the document page.
func citeLinks(passageID string) []link {
	base := "/api/cite/" + escapePath(passageID) + "?format="
	return []link{{"RIS", base + formatRIS}, {"BibTeX", base + formatBibTeX}, {"CSL-JSON", base + formatCSLJSON}, {"Text", base + formatText}}
}
