package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// collapsedDoc is one document of /api/search?collapse=document.
type collapsedDoc struct {
	ID       string
	Matches  int
	Passages []string
}

// allCollapsed reads every document of /api/search?<q>&collapse=document,
// page by page, in order.
func allCollapsed(t *testing.T, l *realLibrary, q string) (int, []collapsedDoc) {
	t.Helper()
	h := l.handler(t, nil)
	var out []collapsedDoc
	total := -1
	for page := 1; total < 0 || len(out) < total; page++ {
		rec := do(h, "GET", fmt.Sprintf("/api/search?%s&collapse=document&size=7&page=%d", q, page))
		if rec.Code != 200 {
			t.Fatalf("collapsed search %s page %d: %d %s", q, page, rec.Code, rec.Body)
		}
		var res struct {
			Total     int
			Documents []collapsedDoc
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		total = res.Total
		if len(res.Documents) == 0 {
			break
		}
		out = append(out, res.Documents...)
	}
	return total, out
}

// manyDocuments adds n one-paragraph reports that mention word, so that a
// collapsed search has more documents than an export reads at once.
func manyDocuments(t *testing.T, l *realLibrary, n int, word string) {
	t.Helper()
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		l.add(t, corpus.Entry{ID: fmt.Sprintf("fixture-note-%03d", i), Kind: "report", Title: fmt.Sprintf("Fixture note %d", i),
			Body: "Fixture body", Date: fmt.Sprintf("20%02d-01-01", i%25), Language: "en"}, 1+i%3, word, at)
	}
}

// TestExportByDocument: collapse=document exports one record per document
// in every format, the same documents in the same order as the collapsed
// search, each with its count of matching passages and its best passages
// (records = the collapsed total, over more than one page of the walk).
func TestExportByDocument(t *testing.T) {
	l := newRealLibrary(t)
	manyDocuments(t, l, exportPage+30, "polygraph")
	h := l.handler(t, nil)
	for _, q := range []string{"q=polygraph", "kind=report", "q=polygraph&sort=date-asc"} {
		total, want := allCollapsed(t, l, q)
		if total != len(want) || total <= exportPage {
			t.Fatalf("%s: collapsed total %d, walked %d: the fixture must exceed a page of %d", q, total, len(want), exportPage)
		}
		// CSV and JSON Lines carry every field: compare them record by record.
		rec := do(h, "GET", "/api/export?"+q+"&collapse=document&format=csv")
		if rec.Code != 200 || rec.Header().Get("X-Total-Count") != strconv.Itoa(total) {
			t.Fatalf("%s csv: %d, X-Total-Count %q", q, rec.Code, rec.Header().Get("X-Total-Count"))
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(csvDocumentHeader, ",") {
			t.Fatalf("header %v", rows[0])
		}
		if len(rows)-1 != total {
			t.Fatalf("%s csv: %d rows, collapsed total %d", q, len(rows)-1, total)
		}
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		for i, row := range rows[1:] {
			w := want[i]
			if row[col["document"]] != w.ID || row[col["matches"]] != strconv.Itoa(w.Matches) || row[col["passages"]] != strings.Join(w.Passages, "; ") ||
				row[col["permalink"]] != "http://example.com/doc/"+w.ID {
				t.Fatalf("%s csv row %d: %v, want %+v", q, i, row, w)
			}
		}

		rec = do(h, "GET", "/api/export?"+q+"&collapse=document&format=jsonl")
		sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
		sc.Buffer(nil, 1<<20)
		n := 0
		for sc.Scan() {
			var d exportDocument
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Fatalf("jsonl %q: %v", sc.Text(), err)
			}
			w := want[n]
			if d.Document != w.ID || d.Matches != w.Matches || len(d.Passages) != len(w.Passages) {
				t.Fatalf("%s jsonl %d: %+v, want %+v", q, n, d, w)
			}
			for j, p := range d.Passages {
				if p.ID != w.Passages[j] || p.Pinpoint == "" || !strings.HasSuffix(p.Citation, p.Pinpoint) {
					t.Fatalf("%s jsonl %d passage %d: %+v, want %s", q, n, j, p, w.Passages[j])
				}
			}
			n++
		}
		if n != total {
			t.Errorf("%s jsonl: %d records, want %d", q, n, total)
		}
		// The reference formats: one record per document, its id the document's.
		for format, count := range map[string]func(string) []string{
			formatRIS: func(b string) (ids []string) {
				for _, l := range strings.Split(b, "\r\n") {
					if id, ok := strings.CutPrefix(l, "ID  - "); ok {
						ids = append(ids, id)
					}
				}
				return ids
			},
			formatBibTeX: func(b string) (ids []string) {
				for _, l := range strings.Split(b, "\n") {
					if strings.HasPrefix(l, "@") {
						ids = append(ids, strings.TrimSuffix(l[strings.Index(l, "{")+1:], ","))
					}
				}
				return ids
			},
			formatCSLJSON: func(b string) (ids []string) {
				var items []cslItem
				if err := json.Unmarshal([]byte(b), &items); err != nil {
					t.Fatalf("csl-json: %v", err)
				}
				for _, it := range items {
					ids = append(ids, it.ID)
				}
				return ids
			},
		} {
			rec := do(h, "GET", "/api/export?"+q+"&collapse=document&format="+format)
			ids := count(rec.Body.String())
			if rec.Code != 200 || len(ids) != total {
				t.Fatalf("%s %s: %d, %d records, want %d", q, format, rec.Code, len(ids), total)
			}
			for i, id := range ids {
				if id != bibKey(want[i].ID) && id != want[i].ID {
					t.Fatalf("%s %s record %d: %s, want %s", q, format, i, id, want[i].ID)
				}
			}
		}
	}
	if rec := do(h, "GET", "/api/export?q=polygraph&collapse=passage&format=csv"); rec.Code != 400 {
		t.Errorf("collapse=passage: %d", rec.Code)
	}
}

// changingSearcher adds a document to the library after the first page
// of an export by document.
type changingSearcher struct {
	*search.Searcher
	l     *realLibrary
	t     *testing.T
	pages int
}

func (c *changingSearcher) SearchByDocument(ctx context.Context, req search.Request) (*search.CollapsedResults, error) {
	res, err := c.Searcher.SearchByDocument(ctx, req)
	if c.pages++; c.pages == 1 {
		c.l.add(c.t, corpus.Entry{ID: "late", Kind: "report", Title: "Late", Language: "en"}, 1, "polygraph", time.Now())
	}
	return res, err
}

// TestExportByDocumentCutOnChange: a change to the library between two
// pages of an export by document cuts it, rather than send a file that
// may miss or repeat documents and looks whole.
func TestExportByDocumentCutOnChange(t *testing.T) {
	l := newRealLibrary(t)
	manyDocuments(t, l, exportPage+10, "polygraph")
	srv := httptest.NewServer(l.handler(t, func(c *Config) { c.Searcher = &changingSearcher{Searcher: l.s, l: l, t: t} }))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/api/export?q=polygraph&collapse=document&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || err == nil {
		t.Errorf("%d, %d bytes, read error %v: want a transfer cut short", resp.StatusCode, len(body), err)
	}
}
