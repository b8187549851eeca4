package crawl

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// statesOf returns the state lists of document id's passages.
func statesOf(t *testing.T, d *indexer.Data, id string) [][]string {
	t.Helper()
	q := bleve.NewTermQuery(id)
	q.SetField(schema.FieldDocument)
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	req.Fields = []string{schema.FieldState}
	req.SortBy([]string{schema.FieldOrder})
	res, err := d.Index.Bleve().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, h := range res.Hits {
		var states []string
		switch v := h.Fields[schema.FieldState].(type) {
		case string:
			states = []string{v}
		case []interface{}:
			for _, s := range v {
				states = append(states, s.(string))
			}
		}
		out = append(out, states)
	}
	return out
}

func allFR(states [][]string) bool {
	for _, s := range states {
		if len(s) != 1 || s[0] != "FR" {
			return false
		}
	}
	return len(states) > 0
}

// Every path writes the same passages: a librarian's correction of a
// crawled document's states holds after a re-crawl of the changed page
// and after a reindex. The correction sets the document's states (FR on
// every passage) and keeps what each passage's own text names (issue 19:
// Argentina and Chile in the paragraphs that name them).
func TestRecrawlKeepsCorrections(t *testing.T) {
	page := "# A decision\n\nThe complainant, a national of Argentina, was detained in Chile.\n\nShe was then expelled to France.\n"
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":   {contentType: "text/plain", body: []byte("")},
		"/d/index.html": {contentType: "text/html", body: []byte(`<h1>Decisions</h1><a href="a.md">A</a>`)},
		"/d/a.md":       {contentType: "text/markdown", body: []byte(page)},
	})
	dir := t.TempDir()
	d := openTestData(t, dir)
	cfg := CrawlConfig{Seeds: []string{site.URL + "/d/index.html"}, MaxDepth: 1}
	if rep := crawlOnce(t, d, testFetchConfig(), cfg); rep.Indexed != 2 {
		t.Fatalf("first crawl: %+v", rep)
	}
	id := urlDocumentID(mustURL(t, site.URL+"/d/a.md"))
	if s := statesOf(t, d, id); allFR(s) {
		t.Fatalf("extraction already gives %v", s)
	}
	lib, err := library.OpenLibrary(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := lib.Update(context.Background(), "alice", id, library.Change{Overrides: &corpus.Entry{States: []string{"FR"}}}); err != nil {
		t.Fatal(err)
	}
	if s, want := statesOf(t, d, id), [][]string{{"AR", "CL", "FR"}, {"FR"}}; !reflect.DeepEqual(s, want) {
		t.Fatalf("after the correction: %v, want %v", s, want)
	}
	want := [][]string{{"AR", "CL", "FR"}, {"FR"}, {"AR", "CL", "FR"}}

	site.set("/d/a.md", testPage{contentType: "text/markdown", body: []byte(page + "\nThe Committee found that Chile and Argentina had been informed.\n")})
	if rep := crawlOnce(t, d, testFetchConfig(), cfg); rep.Indexed != 1 {
		t.Fatalf("re-crawl of the changed page: %+v", rep)
	}
	if s := statesOf(t, d, id); !reflect.DeepEqual(s, want) {
		t.Errorf("after the re-crawl: %v, want %v", s, want)
	}
	lib.Close()
	d.Close()

	if _, _, err := indexer.Rebuild(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	d = openTestData(t, dir)
	defer d.Close()
	if s := statesOf(t, d, id); !reflect.DeepEqual(s, want) {
		t.Errorf("after reindex: %v, want %v", s, want)
	}
}
