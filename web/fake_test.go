package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// Hostile strings that must never come out unescaped.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
	xssJS     = `javascript:alert(1)`
)

// fakeIndex is a hand-written Searcher and Documents over a few passages.
type fakeIndex struct {
	docs     map[string]*DocInfo
	passages []search.Passage

	mu   sync.Mutex
	reqs []search.Request
	// snippetOverride, when set, is every hit's snippet (a broken highlighter).
	snippetOverride string
}

func (f *fakeIndex) lastRequest() search.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.reqs) == 0 {
		return search.Request{}
	}
	return f.reqs[len(f.reqs)-1]
}

func newFakeIndex() *fakeIndex {
	f := &fakeIndex{docs: map[string]*DocInfo{}}
	add := func(e corpus.Entry, info DocInfo, ps ...search.Passage) {
		info.Entry = e
		f.docs[e.ID] = &info
		for i, p := range ps {
			p.ID = e.ID + "#" + p.Unit
			p.Document, p.Order, p.Title, p.Kind = e.ID, i, e.Title, e.Kind
			if p.Language == "" {
				p.Language = e.Language
			}
			if p.Date == "" {
				p.Date = e.Date
			}
			if p.Year == "" && len(e.Date) >= 4 {
				p.Year = e.Date[:4]
			}
			f.passages = append(f.passages, p)
		}
	}
	fetched := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	add(corpus.Entry{ID: "cat", Kind: "treaty", Title: "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
		Instrument: "CAT", Date: "1984-12-10", Language: "en", URL: "https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-against-torture"},
		DocInfo{Source: "https://www.ohchr.org/cat", ContentType: "text/html; charset=utf-8", SHA256: strings.Repeat("ab", 32), FetchedAt: fetched, Status: 200},
		search.Passage{Unit: "preamble", Text: "Fixture preamble, written for these tests: the parties state their shared aims.", Instrument: []string{"CAT"}, Article: []string{}},
		search.Passage{Unit: "art-1", Heading: "Article 1", Text: "1. In this fixture, \"torture\" names a deliberate act causing grave suffering.", Instrument: []string{"CAT"}, Article: []string{"CAT 1"}, OwnArticle: "CAT 1"},
		search.Passage{Unit: "art-3", Heading: "Article 3", Text: "1. In this fixture no party may expel, return (\"refouler\") or hand over anyone facing a real risk of torture elsewhere.\n2. The authorities weigh every relevant circumstance. This is the principle of non-refoulement.", Instrument: []string{"CAT"}, Article: []string{"CAT 3"}, OwnArticle: "CAT 3"},
		search.Passage{Unit: "art-22", Heading: "Article 22", Text: "In this fixture a party may accept that the Committee hears complaints from individuals.", Instrument: []string{"CAT"}, Article: []string{"CAT 22"}, OwnArticle: "CAT 22"},
		search.Passage{Unit: "nl-art-3", Heading: "Artikel 3", Language: "nl", Text: "Testtekst: geen partij mag iemand uitzetten of terugleiden (\"refouler\").", Instrument: []string{"CAT"}, Article: []string{"CAT 3"}},
	)
	add(corpus.Entry{ID: "cat-c-60-d-1000-2020", Kind: "decision", Title: "M.R. v. Switzerland", Body: "CAT", Symbol: "CAT/C/60/D/1000/2020",
		Date: "2020-05-12", Language: "en", States: []string{"CH", "SV"}},
		DocInfo{Source: "file:///corpus/cat-c-60-d-1000-2020.json", ContentType: "application/json"},
		search.Passage{Unit: "para-1", Text: "1.1 The complainant is M.R., a national of El Salvador facing deportation from Switzerland.", Instrument: []string{"CAT"}, State: []string{"SV", "CH"}, Symbol: []string{"CAT/C/60/D/1000/2020"}},
		search.Passage{Unit: "para-9.2", Heading: "Consideration of the merits", Text: "9.2 The Committee asks whether sending the complainant back to El Salvador would breach article 3 of the Convention (non-refoulement), given the risk of torture there.", Instrument: []string{"CAT"}, Article: []string{"CAT 3"}, State: []string{"SV", "CH"}, Symbol: []string{"CAT/C/60/D/1000/2020"}},
		search.Passage{Unit: "para-10", Text: "10. The Committee concludes that the deportation of the complainant to El Salvador would constitute a breach of article 3 and article 22 of the Convention.", Instrument: []string{"CAT"}, Article: []string{"CAT 3", "CAT 22"}, State: []string{"SV", "CH"}, Symbol: []string{"CAT/C/60/D/1000/2020"}},
	)
	add(corpus.Entry{ID: "cat-c-70-d-1111-2021", Kind: "decision", Title: "J.K. v. Canada", Symbol: "CAT/C/70/D/1111/2021",
		Date: "2021-11-30", Language: "en", States: []string{"CA", "GT"}},
		DocInfo{},
		search.Passage{Unit: "para-7.3", Text: "7.3 The Committee recalls its general comment No. 4 on the implementation of article 3 in the context of article 22: non-refoulement to Guatemala.", Instrument: []string{"CAT"}, Article: []string{"CAT 3", "CAT 22"}, State: []string{"CA", "GT"}},
	)
	add(corpus.Entry{ID: "evil", Kind: "report", Title: "Report " + xssScript, Symbol: xssImg, Date: "2019", Language: "en",
		URL: xssJS, Body: xssImg, Note: xssScript, Instrument: xssImg, States: []string{xssScript}},
		DocInfo{Source: xssJS, FinalURL: "javascript:alert(2)", ContentType: xssScript, SHA256: xssImg},
		search.Passage{Unit: "p-1", Heading: xssImg, Text: "Hostile text " + xssScript + " and " + xssImg + " and " + xssJS + " (evil).",
			Instrument: []string{xssImg}, Article: []string{xssScript, "CAT 3"}, State: []string{xssImg}, Symbol: []string{xssImg}},
	)
	return f
}

func (f *fakeIndex) fieldValues(p search.Passage, field string) []string {
	switch field {
	case search.FilterInstrument:
		return p.Instrument
	case search.FilterArticle:
		return p.Article
	case search.FilterState:
		return p.State
	case search.FilterKind:
		return []string{p.Kind}
	case search.FilterLanguage:
		return []string{p.Language}
	case search.FilterYear:
		return []string{p.Year}
	case search.FilterSymbol:
		return p.Symbol
	case search.FilterDocument:
		return []string{p.Document}
	}
	return nil
}

// articleRefRE mimics, roughly, the provisions a query names ("CAT article 3").
var articleRefRE = regexp.MustCompile(`(?i)\b(CAT|ICCPR)\s+(?:article|art\.?)\s*(\d+)\b`)

var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*`)

func queryWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(q) {
		if strings.HasPrefix(w, "-") || strings.Contains(w, ":") || w == "OR" {
			continue
		}
		out = append(out, wordRE.FindAllString(strings.ToLower(w), -1)...)
	}
	return out
}

func (f *fakeIndex) Search(ctx context.Context, req search.Request) (*search.Results, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	switch {
	case req.Query == "busy":
		return nil, fmt.Errorf("%w: too many searches at once", corpus.ErrBusy)
	case req.Query == "boom":
		return nil, fmt.Errorf("bleve: index corrupt at /var/lib/hrsearch/secret.bolt")
	case strings.Contains(req.Query, "year:abc"):
		return nil, fmt.Errorf("%w: year abc is not a number", corpus.ErrInvalid)
	case req.StrictFilters && slices.Contains(req.Filters[search.FilterKind], "decisions"):
		return nil, &search.FilterError{Field: search.FilterKind, Value: "decisions", Message: "kind:decisions matches nothing: did you mean kind:decision?"}
	}
	words := queryWords(req.Query)
	type scored struct {
		p     search.Passage
		score float64
	}
	var matches []scored
	for _, p := range f.passages {
		ok := true
		for field, vals := range req.Filters {
			have := f.fieldValues(p, field)
			if !slices.ContainsFunc(vals, func(v string) bool { return slices.Contains(have, v) }) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		text := strings.ToLower(p.Title + " " + p.Text)
		score := 0.0
		for _, w := range words {
			score += float64(strings.Count(text, w))
		}
		if len(words) > 0 && score == 0 {
			continue
		}
		matches = append(matches, scored{p, score})
	}
	switch req.Sort {
	case search.SortDate:
		sort.SliceStable(matches, func(i, j int) bool { return matches[i].p.Date > matches[j].p.Date })
	case search.SortDateAsc:
		sort.SliceStable(matches, func(i, j int) bool { return matches[i].p.Date < matches[j].p.Date })
	default:
		sort.SliceStable(matches, func(i, j int) bool { return matches[i].score > matches[j].score })
	}
	res := &search.Results{Total: uint64(len(matches)), Facets: map[string][]search.FacetValue{}, Page: req.Page, Size: req.Size}
	// The notices the search gives, for the pages' tests.
	if strings.Contains(req.Query, "foo:") {
		res.Notices = append(res.Notices, search.Notice{Code: search.NoticeUnknownField, Message: "foo: is not a field, so foo:bar was searched as words."})
	}
	if strings.TrimSpace(req.Query) == "not" {
		res.Total, matches = 0, nil
		res.Notices = append(res.Notices, search.Notice{Code: search.NoticeStopWords,
			Message: `not: too common to search alone, so nothing was searched. To find them as a phrase, put them in quotes: "not".`})
	}
	for _, m := range articleRefRE.FindAllStringSubmatch(req.Query, -1) {
		res.Articles = append(res.Articles, strings.ToUpper(m[1])+" "+m[2])
	}
	facets := req.Facets
	if facets == nil {
		facets = search.FacetNames
	}
	fsize := req.FacetSize
	if fsize == 0 {
		fsize = 10
	}
	for _, field := range facets {
		counts := map[string]int{}
		for _, m := range matches {
			for _, v := range f.fieldValues(m.p, field) {
				if v != "" {
					counts[v]++
				}
			}
		}
		vals := make([]search.FacetValue, 0, len(counts))
		for v, n := range counts {
			vals = append(vals, search.FacetValue{Value: v, Count: n})
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		if len(vals) > fsize {
			vals = vals[:fsize]
		}
		res.Facets[field] = vals
	}
	from := (req.Page - 1) * req.Size
	for i := from; i < len(matches) && i < from+req.Size; i++ {
		p, sc := matches[i].p, matches[i].score
		h := search.Hit{ID: p.ID, Document: p.Document, Title: p.Title, Unit: p.Unit, Heading: p.Heading,
			Instrument: p.Instrument, Article: p.Article, State: p.State, Symbol: p.Symbol,
			Kind: p.Kind, Language: p.Language, Year: p.Year, Date: p.Date, Score: sc}
		if !req.NoSnippets {
			h.Snippet = highlight(p.Text, words)
			if f.snippetOverride != "" {
				h.Snippet = f.snippetOverride
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// highlight mimics the search package's highlighter: escape everything,
// then mark the query words.
func highlight(text string, words []string) string {
	esc := html.EscapeString(text)
	for _, w := range words {
		re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(w) + `\b`)
		esc = re.ReplaceAllString(esc, "<mark>$0</mark>")
	}
	return esc
}

func (f *fakeIndex) Passages(ctx context.Context, doc string) ([]search.Passage, error) {
	var out []search.Passage
	for _, p := range f.passages {
		if p.Document == doc {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("passages of %s: %w", doc, corpus.ErrNotFound)
	}
	return out, nil
}

func (f *fakeIndex) Passage(ctx context.Context, id string) (*search.Passage, error) {
	for _, p := range f.passages {
		if p.ID == id {
			return &p, nil
		}
	}
	return nil, fmt.Errorf("passage %s: %w", id, corpus.ErrNotFound)
}

func (f *fakeIndex) CitedBy(ctx context.Context, article string, limit int, order string) (*search.CitedBy, error) {
	c := &search.CitedBy{Article: article, Documents: []search.CitingSource{}}
	for _, p := range f.passages {
		if p.OwnArticle == article || !slices.Contains(p.Article, article) {
			continue
		}
		c.Total++
		if n := len(c.Documents); n > 0 && c.Documents[n-1].Document == p.Document {
			c.Documents[n-1].Passages = append(c.Documents[n-1].Passages, p.ID)
			continue
		}
		c.Documents = append(c.Documents, search.CitingSource{Document: p.Document, Title: p.Title, Kind: p.Kind, Passages: []string{p.ID}})
	}
	c.TotalDocuments = len(c.Documents)
	return c, nil
}

// DocumentCitedBy lists the passages of other documents that hold the
// document's symbol, in the order of the fixture.
func (f *fakeIndex) DocumentCitedBy(ctx context.Context, id string, limit int, order string) (*search.CitedBy, error) {
	d, ok := f.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %s: %w", id, corpus.ErrNotFound)
	}
	c := &search.CitedBy{Document: id, Symbol: d.Entry.Symbol, Documents: []search.CitingSource{}}
	for _, p := range f.passages {
		if p.Document == id || d.Entry.Symbol == "" || !slices.Contains(p.Symbol, d.Entry.Symbol) {
			continue
		}
		c.Total++
		if n := len(c.Documents); n > 0 && c.Documents[n-1].Document == p.Document {
			c.Documents[n-1].Passages = append(c.Documents[n-1].Passages, p.ID)
			continue
		}
		c.Documents = append(c.Documents, search.CitingSource{Document: p.Document, Title: p.Title, Kind: p.Kind, Passages: []string{p.ID}})
	}
	c.TotalDocuments = len(c.Documents)
	return c, nil
}

func (f *fakeIndex) Document(ctx context.Context, id string) (*DocInfo, error) {
	d, ok := f.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %s: %w", id, corpus.ErrNotFound)
	}
	return d, nil
}

var fakeNames = map[string]map[string]string{
	"state":      {"SV": "El Salvador", "CH": "Switzerland", "CA": "Canada", "GT": "Guatemala"},
	"instrument": {"CAT": "Convention against Torture"},
	"language":   {"en": "English", "nl": "Dutch"},
}

func fakeNamesFunc(field, code string) string { return fakeNames[field][code] }

func (f *fakeIndex) provisions(article string) (string, string, bool) {
	for _, p := range f.passages {
		if p.OwnArticle == article {
			return p.Document, p.Unit, true
		}
	}
	return "", "", false
}

// fakeConfig is a complete Config over a fake index.
func fakeConfig(f *fakeIndex) Config {
	return Config{
		Searcher:   f,
		Documents:  f,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics:    true,
		IndexSize:  func() int64 { return int64(len(f.passages)) },
		Provisions: f.provisions,
		Names:      fakeNamesFunc,
	}
}

func newTestHandler(t testing.TB, mod func(*Config)) (http.Handler, *fakeIndex) {
	t.Helper()
	f := newFakeIndex()
	cfg := fakeConfig(f)
	if mod != nil {
		mod(&cfg)
	}
	h, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, f
}
