package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The exports, citations and feeds are read here by the parsers that
// reference managers and feed readers use: citation-js (npm; it reads RIS,
// BibTeX and CSL-JSON and formats with citeproc-js) and Python's
// feedparser (Debian's python3-feedparser). They are installed by .ci/run:
//
//	apt-get install -y nodejs npm python3-feedparser
//	(cd web/testdata/parsers && npm ci)
//
// Without them these tests skip, saying what is missing.

const parsersDir = "testdata/parsers"

// needCitationJS returns the node binary, or skips.
func needCitationJS(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: apt-get install -y nodejs npm, then npm ci in web/testdata/parsers")
	}
	if _, err := os.Stat(filepath.Join(parsersDir, "node_modules", "@citation-js", "core")); err != nil {
		t.Skip("citation-js is not installed: run npm ci in web/testdata/parsers")
	}
	return node
}

// needFeedparser returns a python3 that imports feedparser, or skips.
func needFeedparser(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import feedparser").Run() == nil {
			return p
		}
	}
	t.Skip("Python's feedparser is not installed: apt-get install -y python3-feedparser")
	return ""
}

type citeJSResult struct {
	Items        []map[string]any `json:"items"`
	Bibliography string           `json:"bibliography"`
	Error        string           `json:"error"`
}

// citationJS has citation-js read each format and citeproc format it.
func citationJS(t *testing.T, node string, in map[string]string) map[string]citeJSResult {
	t.Helper()
	b, _ := json.Marshal(in)
	cmd := exec.Command(node, "check.js")
	cmd.Dir = parsersDir
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("citation-js: %v\n%s", err, stderr.String())
	}
	var res map[string]citeJSResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("citation-js output: %v\n%s", err, out)
	}
	for format, r := range res {
		if r.Error != "" {
			t.Fatalf("citation-js could not read the %s: %s\n%s", format, r.Error, in[format])
		}
	}
	return res
}

func str(v any) string { s, _ := v.(string); return s }

// issuedYear is the year of a CSL item's issued date.
func issuedYear(it map[string]any) float64 {
	issued, _ := it["issued"].(map[string]any)
	parts, _ := issued["date-parts"].([]any)
	if len(parts) == 0 {
		return 0
	}
	first, _ := parts[0].([]any)
	if len(first) == 0 {
		return 0
	}
	y, _ := first[0].(float64)
	return y
}

// TestCitationsParse: each passage's RIS, BibTeX and CSL-JSON are read by
// citation-js as the type reference managers expect, with title, date,
// URL, symbol and body, and citeproc formats each into a citation.
func TestCitationsParse(t *testing.T) {
	node := needCitationJS(t)
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	for _, tc := range []struct {
		id, typ, title, number, body, url string
		year                              float64
	}{
		{"cat-c-38-d-300-2006#para-8", "legal_case", "A.B. v. Testland", "CAT/C/38/D/300/2006", "CAT", "https://example.org/cat-300", 2007},
		{"fixture-treaty#para-1", "legislation", "Fixture Convention", "", "", "http://example.com/doc/fixture-treaty#para-1", 1984},
		{"fixture-report#para-2", "report", "Fixture report on {braces} & 100% of #tags", "A/HRC/99/1", "Special Rapporteur", "http://example.com/doc/fixture-report#para-2", 2020},
		{"fixture-blog#para-1", "webpage", "A fixture blog post", "", "", "https://blog.example.org/post", 2024},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			in := map[string]string{}
			for _, f := range []string{formatRIS, formatBibTeX, formatCSLJSON} {
				rec := do(h, "GET", "/api/cite/"+url.PathEscape(tc.id)+"?format="+f)
				if rec.Code != 200 {
					t.Fatalf("%s: %d %s", f, rec.Code, rec.Body)
				}
				in[f] = rec.Body.String()
			}
			for format, r := range citationJS(t, node, in) {
				if len(r.Items) != 1 {
					t.Fatalf("%s: %d items", format, len(r.Items))
				}
				it := r.Items[0]
				if str(it["type"]) != tc.typ || str(it["title"]) != tc.title || str(it["URL"]) != tc.url || issuedYear(it) != tc.year {
					t.Errorf("%s read as type %q title %q URL %q year %v; want %q %q %q %v\n%s", format,
						it["type"], it["title"], it["URL"], issuedYear(it), tc.typ, tc.title, tc.url, tc.year, in[format])
				}
				// The symbol and the body survive, as the type's own
				// variables or in the note.
				all, _ := json.Marshal(it)
				for _, want := range []string{tc.number, tc.body} {
					if want != "" && !strings.Contains(string(all), want) {
						t.Errorf("%s: %q lost: %s", format, want, all)
					}
				}
				// citation-js maps biblatex's number to CSL's for reports
				// and legislation, not for @jurisdiction (whose number
				// Zotero writes and reads as the docket number).
				if format != formatRIS && !(format == formatBibTeX && tc.typ == "legal_case") && tc.number != "" && str(it["number"]) != tc.number {
					t.Errorf("%s: number %q, want %q", format, it["number"], tc.number)
				}
				if !strings.Contains(r.Bibliography, tc.title) || !strings.Contains(r.Bibliography, strings.TrimSuffix(strings.Split(tc.url, "#")[0], "/")) {
					t.Errorf("%s: citeproc wrote %q", format, r.Bibliography)
				}
			}
		})
	}
}

// TestExportsParse: a whole export in RIS, BibTeX and CSL-JSON is read by
// citation-js, one item per hit.
func TestExportsParse(t *testing.T) {
	node := needCitationJS(t)
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	in := map[string]string{}
	for _, f := range []string{formatRIS, formatBibTeX, formatCSLJSON} {
		rec := do(h, "GET", "/api/export?q=polygraph&kind=report&kind=decision&format="+f)
		if rec.Code != 200 {
			t.Fatalf("%s: %d", f, rec.Code)
		}
		in[f] = rec.Body.String()
	}
	for format, r := range citationJS(t, node, in) {
		if len(r.Items) != 242 {
			t.Errorf("%s: citation-js read %d items, want 242", format, len(r.Items))
		}
		if n := strings.Count(r.Bibliography, "\n"); n != 242 {
			t.Errorf("%s: citeproc wrote %d entries, want 242", format, n)
		}
	}
}

// TestFeedParses: Python's feedparser reads the Atom feed without
// complaint: newest first by the time documents entered the library,
// with links, dates and OpenSearch's totalResults.
func TestFeedParses(t *testing.T) {
	py := needFeedparser(t)
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	rec := do(h, "GET", "/feed.atom?q=polygraph")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	const script = `
import sys, json, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "self": [l.href for l in d.feed.get("links", []) if l.rel == "self"],
  "total": d.feed.get("opensearch_totalresults"),
  "entries": [{"title": e.title, "link": e.link, "updated": e.updated, "id": e.id} for e in d.entries],
}))
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(rec.Body.Bytes())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var got struct {
		Bozo          bool
		BozoException string `json:"bozo_exception"`
		Version       string
		Title         string
		Self          []string
		Total         string
		Entries       []struct{ Title, Link, Updated, ID string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Bozo || got.Version != "atom10" {
		t.Fatalf("feedparser: bozo %v (%s), version %q\n%s", got.Bozo, got.BozoException, got.Version, rec.Body)
	}
	if got.Title != "hrsearch: polygraph" || len(got.Self) != 1 || !strings.HasSuffix(got.Self[0], "/feed.atom?q=polygraph") || got.Total != "5" {
		t.Errorf("feed: %+v", got)
	}
	// Entered: blog +96h, report +72h, second decision +48h, treaty +24h, first decision.
	want := []string{"A fixture blog post", "Fixture report on {braces} & 100% of #tags", "C.D. v. Otherland", "Fixture Convention", "A.B. v. Testland"}
	if len(got.Entries) != len(want) {
		t.Fatalf("%d entries", len(got.Entries))
	}
	for i, e := range got.Entries {
		if e.Title != want[i] || !strings.HasPrefix(e.Link, "http://example.com/doc/") || e.Updated == "" {
			t.Errorf("entry %d: %+v, want title %q", i, e, want[i])
		}
	}
	// A filter narrows it.
	rec = do(h, "GET", "/feed.atom?q=polygraph&kind=decision")
	var feed atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil || len(feed.Entries) != 2 || feed.Entries[0].Title != "C.D. v. Otherland" {
		t.Errorf("kind=decision: %v %+v", err, feed.Entries)
	}
}

// TestOpenSearchDescription: the description is well-formed, in the
// OpenSearch namespace, with the fields the specification requires and
// templates that lead to the search.
func TestOpenSearchDescription(t *testing.T) {
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	rec := do(h, "GET", "/opensearch.xml")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), osddType) {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var d struct {
		XMLName     xml.Name
		ShortName   string
		Description string
		URLs        []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.XMLName.Space != openSearchNS || d.XMLName.Local != "OpenSearchDescription" {
		t.Errorf("root %v", d.XMLName)
	}
	if d.ShortName == "" || len(d.ShortName) > 16 || d.Description == "" || len(d.Description) > 1024 {
		t.Errorf("ShortName %q, Description %q", d.ShortName, d.Description)
	}
	types := map[string]bool{}
	for _, u := range d.URLs {
		types[u.Type] = true
		if !strings.Contains(u.Template, "{searchTerms}") && u.Type != osddType {
			continue
		}
		target := strings.ReplaceAll(strings.ReplaceAll(u.Template, "{searchTerms}", "polygraph"), "{startPage?}", "1")
		pu, err := url.Parse(target)
		if err != nil {
			t.Fatalf("template %q: %v", u.Template, err)
		}
		if rec := do(h, "GET", pu.RequestURI()); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), u.Type) {
			t.Errorf("template %s: %d %s", u.Template, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	for _, want := range []string{"text/html", atomType, "application/json"} {
		if !types[want] {
			t.Errorf("no Url of type %s", want)
		}
	}
}

// TestExportsByDocumentParse: an export by document in RIS, BibTeX and
// CSL-JSON is read by citation-js, one item per document of the collapsed
// search, each as its document's type with its count of matching
// passages and best pinpoints in the note, and citeproc formats each.
func TestExportsByDocumentParse(t *testing.T) {
	node := needCitationJS(t)
	l := newRealLibrary(t)
	h := l.handler(t, nil)
	const q = "q=polygraph"
	total, want := allCollapsed(t, l, q)
	if total != 5 {
		t.Fatalf("collapsed total %d", total)
	}
	in := map[string]string{}
	for _, f := range []string{formatRIS, formatBibTeX, formatCSLJSON} {
		rec := do(h, "GET", "/api/export?"+q+"&collapse=document&format="+f)
		if rec.Code != 200 {
			t.Fatalf("%s: %d", f, rec.Code)
		}
		in[f] = rec.Body.String()
	}
	types := map[string]string{"cat-c-38-d-300-2006": "legal_case", "cat-c-50-d-400-2010": "legal_case",
		"fixture-treaty": "legislation", "fixture-report": "report", "fixture-blog": "webpage"}
	for format, r := range citationJS(t, node, in) {
		if len(r.Items) != total {
			t.Fatalf("%s: citation-js read %d items, want %d", format, len(r.Items), total)
		}
		if n := strings.Count(r.Bibliography, "\n"); n != total {
			t.Errorf("%s: citeproc wrote %d entries, want %d", format, n, total)
		}
		byID := map[string]collapsedDoc{}
		for _, w := range want {
			byID[w.ID] = w
		}
		for i, it := range r.Items {
			// Documents of equal score may come in another order from
			// another read: find each by its id.
			w, ok := byID[str(it["id"])]
			if !ok {
				t.Fatalf("%s item %d: id %q is none of the collapsed search's", format, i, it["id"])
			}
			all, _ := json.Marshal(it)
			note := fmt.Sprintf("%d matching passage", w.Matches)
			if str(it["type"]) != types[w.ID] || !strings.Contains(string(all), note) || !strings.Contains(string(all), "para. ") {
				t.Errorf("%s item %d (%s): type %q, want %q and %q in\n%s", format, i, w.ID, it["type"], types[w.ID], note, all)
			}
		}
	}
}
