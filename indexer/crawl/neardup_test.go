package crawl

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/library"
)

// An article of our own and a machine-like rewording of it (synonyms,
// other paragraph breaks), as republications of one article read.
const (
	articleOriginal = `<h1>Detention at the border</h1>
<p>Observers who visited the border facility in the spring described crowded cells, long waits for a lawyer and no
interpreter for most of the people held there. Several families said they had been separated on arrival and kept
apart for weeks without being told where their relatives were.</p>
<p>The monitoring group asked the ministry to publish the number of people detained each month, to give every detainee
access to a lawyer within a day, and to end the practice of holding children in the same cells as adults. The ministry
answered that new rules were being drafted and that a report would follow before the end of the year.</p>`
	articleReworded = `<h1>Detention at the frontier</h1>
<p>Observers who toured the border facility in the spring reported crowded cells, lengthy waits for a lawyer and no
interpreter for most of the persons held there.</p><p>Several families stated they had been split up on arrival and kept
apart for weeks without being informed where their relatives were.</p>
<p>The monitoring group urged the ministry to publish the number of people detained every month, to give every detainee
access to a lawyer within one day, and to stop the practice of holding children in the same cells as adults. The ministry
replied that new rules were being prepared and that a report would follow before the close of the year.</p>`
	articleOther = `<h1>Water in the prisons</h1>
<p>An inspection of three prisons found that drinking water was rationed to two litres a day in summer, that the showers
worked an hour a week and that the kitchens lacked refrigeration, so that food spoiled before it was served. Inmates with
chronic illnesses received their medicine late or not at all, and the infirmary had one nurse for eight hundred men.</p>`
)

// A reworded republication met by a crawl is flagged with its similarity;
// an unrelated page is not.
func TestCrawlFlagsNearDuplicates(t *testing.T) {
	page := func(body string) testPage { return testPage{contentType: "text/html", body: []byte(body)} }
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":        {contentType: "text/plain", body: []byte("User-agent: *\nAllow: /\n")},
		"/news/article.html": page(articleOriginal),
		"/news/copy.html":    page(articleReworded),
		"/news/other.html":   page(articleOther),
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	rep := crawlOnce(t, d, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/news/article.html", site.URL + "/news/copy.html",
		site.URL + "/news/other.html"}, Workers: 1})
	if rep.Indexed != 3 {
		t.Fatalf("indexed %d, want 3: %+v", rep.Indexed, rep)
	}
	if len(rep.NearDuplicates) != 1 {
		t.Fatalf("near-duplicates %+v, want one (the reworded copy)", rep.NearDuplicates)
	}
	nd := rep.NearDuplicates[0]
	if !strings.HasSuffix(nd.URL, "/news/copy.html") || nd.ID == nd.Of || nd.Similarity < library.NearThreshold || nd.Similarity >= 1 {
		t.Errorf("near-duplicate %+v: want the copy, like the article, with a similarity in [%.2f, 1)", nd, library.NearThreshold)
	}
	if rec, err := d.Store.Get(nd.Of); err != nil || !strings.HasSuffix(rec.Source, "/news/article.html") {
		t.Errorf("the copy is like %q, want the article's document (%v)", nd.Of, err)
	}
}

// A crawl never stores over a document a librarian deleted: it stays in
// the trash and out of the index, and the report counts it.
func TestCrawlKeepsTrashedOut(t *testing.T) {
	page := func(body string) testPage { return testPage{contentType: "text/html", body: []byte(body)} }
	site := newTestSite(t, map[string]testPage{
		"/robots.txt":        {contentType: "text/plain", body: []byte("User-agent: *\nAllow: /\n")},
		"/news/article.html": page(articleOriginal),
	})
	d := openTestData(t, t.TempDir())
	defer d.Close()
	cfg := CrawlConfig{Seeds: []string{site.URL + "/news/article.html"}}
	rep := crawlOnce(t, d, testFetchConfig(), cfg)
	if rep.Indexed != 1 || len(rep.Documents) != 1 {
		t.Fatalf("first crawl: %+v", rep)
	}
	id := rep.Documents[0]
	lib, err := library.OpenLibrary(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if _, err := lib.Delete(context.Background(), "alice", id); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		rep = crawlOnce(t, d, testFetchConfig(), cfg)
		if rep.DeletedByLibrarian != 1 || rep.Indexed != 0 || len(rep.Documents) != 0 {
			t.Errorf("crawl %d after the delete: %+v, want 1 deleted by a librarian, nothing indexed", round+2, rep)
		}
		if _, err := d.Store.Get(id); err == nil {
			t.Errorf("crawl %d stored %s over the trash", round+2, id)
		}
		if _, ok := d.Index.State(id); ok {
			t.Errorf("crawl %d indexed %s again", round+2, id)
		}
	}
	if items, err := lib.Trash(); err != nil || len(items) != 1 {
		t.Errorf("trash: %+v, %v; want the document still there", items, err)
	}
	// A restore clears the tombstone: the next crawl finds it unchanged.
	if _, _, err := lib.Restore(context.Background(), "alice", id); err != nil {
		t.Fatal(err)
	}
	if rep = crawlOnce(t, d, testFetchConfig(), cfg); rep.DeletedByLibrarian != 0 || len(rep.Documents) != 1 {
		t.Errorf("crawl after the restore: %+v", rep)
	}
}

// reword is a machine rewording of a text: every third occurrence of a
// common word swapped for another, and the words paginated anew (blocks
// of 40 words), as a content farm republishes an article.
func reword(text string) string {
	swap := map[string]string{"the": "this", "and": "as well as", "of": "from", "to": "towards", "in": "within",
		"is": "was", "are": "were", "that": "which", "for": "regarding", "with": "alongside", "a": "one"}
	seen := map[string]int{}
	var out []string
	for _, w := range strings.Fields(text) {
		lw := strings.ToLower(w)
		if s, ok := swap[lw]; ok {
			if seen[lw]++; seen[lw]%3 == 0 {
				w = s
			}
		}
		out = append(out, w)
	}
	var b strings.Builder
	for i := 0; i < len(out); i += 40 {
		b.WriteString("<p>" + html.EscapeString(strings.Join(out[i:min(i+40, len(out))], " ")) + "</p>\n")
	}
	return b.String()
}

// The seed article of this project, imported from the catalog, and a
// reworded republication a crawl meets: the crawl reports the copy as a
// near-duplicate of the article, with its similarity.
func TestCrawlFlagsRewordedSeedArticle(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpus; not in -short mode")
	}
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(t))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := cat.Lookup("people-as-products-2025")
	if !ok {
		t.Fatal("the seed article is not in the catalog")
	}
	raw, err := os.ReadFile(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	src, data := t.TempDir(), t.TempDir()
	line, _ := json.Marshal(map[string]any{"id": e.ID, "kind": e.Kind, "title": e.Title, "language": e.Language, "format": e.Format, "file": e.Path})
	catalog := filepath.Join(src, "catalog.jsonl")
	if err := os.WriteFile(catalog, append(line, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := indexertest.Ingest(t, data, catalog); rep.Added != 1 {
		t.Fatalf("import of the seed article: %+v", rep)
	}
	site := newTestSite(t, map[string]testPage{
		"/robots.txt": {contentType: "text/plain", body: []byte("User-agent: *\nAllow: /\n")},
		"/repost.html": {contentType: "text/html", body: []byte("<h1>" + html.EscapeString(e.Title) + " (republished)</h1>\n" +
			reword(string(raw)))},
	})
	d := openTestData(t, data)
	defer d.Close()
	rep := crawlOnce(t, d, testFetchConfig(), CrawlConfig{Seeds: []string{site.URL + "/repost.html"}})
	if rep.Indexed != 1 || len(rep.NearDuplicates) != 1 {
		t.Fatalf("crawl of the republication: %+v", rep)
	}
	nd := rep.NearDuplicates[0]
	if nd.Of != e.ID || nd.Similarity < library.NearThreshold || nd.Similarity >= 1 {
		t.Errorf("near-duplicate %+v: want the seed article %s with a similarity in [%.2f, 1)", nd, e.ID, library.NearThreshold)
	}
	t.Logf("RESULT reworded seed article flagged: %s is like %s, similarity %.2f", nd.ID, nd.Of, nd.Similarity)
}
