package search_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// TestCaseLookup looks decisions of the demo index up by what a lawyer
// types — the case name, the complainant's name, the communication number
// in its written forms, the symbol — and wants each first (MRR 1.0). It
// takes every fifth decision with a case name; names that several
// decisions share ("A.A. v. Sweden") open on all of them and are left out.
func TestCaseLookup(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	docs, err := s.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		t.Fatal(err)
	}
	// Names and numbers several decisions share (a decision and its
	// corrigendum) open on all of them: they are left out.
	shared := map[string]int{}
	for _, d := range docs {
		if d.Case != nil {
			for _, k := range corpus.CaseKeys(d.Case, d.Symbol) {
				shared[k]++
			}
		}
	}
	unique := func(q string) bool {
		k := corpus.LookupKeys(q)
		return len(k) == 1 && shared[k[0]] == 1
	}
	var rr float64
	n := 0
	for i, d := range docs {
		if i%5 != 0 || d.Case == nil || !unique(d.Case.Communication) {
			continue
		}
		queries := []string{d.Case.Communication, "No. " + d.Case.Communication, "communication No. " + d.Case.Communication,
			"communication " + d.Case.Communication, d.Symbol}
		if d.Case.Name != "" && unique(d.Case.Name) {
			queries = append(queries, d.Case.Name)
		}
		for _, q := range queries {
			res := run(t, s, search.Request{Query: q, Size: 10, NoSnippets: true})
			n++
			for r, h := range res.Hits {
				if h.Document == d.ID {
					rr += 1 / float64(r+1)
					break
				}
			}
			if len(res.Hits) == 0 || res.Hits[0].Document != d.ID {
				t.Errorf("%q: first hit %v, want decision %s", q, ids(res.Hits[:min(3, len(res.Hits))]), d.ID)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d lookups: the demo index has too few named decisions", n)
	}
	t.Logf("MRR %.3f over %d lookups", rr/float64(n), n)
}

// TestLookupNamedInIssue: the queries of issue 16.
func TestLookupNamedInIssue(t *testing.T) {
	s := demo(t)
	for q, doc := range map[string]string{
		"Pelit v. Azerbaijan":        "cat-c-38-d-281-2005",
		"300/2006":                   "cat-c-38-d-300-2006",
		"communication No. 237/2003": "cat-c-35-d-237-2003",
		"237/2003":                   "cat-c-35-d-237-2003",
		"Elmi v. Australia":          "cat-c-22-d-120-1998",
		"Tebourski":                  "cat-c-38-d-300-2006",
	} {
		res := run(t, s, search.Request{Query: q, Size: 10})
		if len(res.Hits) == 0 || res.Hits[0].Document != doc {
			t.Errorf("%q: hits %v, want %s first", q, ids(res.Hits), doc)
			continue
		}
		if strings.Contains(q, " v. ") && !strings.HasPrefix(res.Hits[0].Title, q+" (") {
			t.Errorf("%q: the decision is titled %q, not by its case name", q, res.Hits[0].Title)
		}
		// The decisions citing it follow: the lookup does not replace the search.
		if strings.Contains(q, " v. ") && len(res.Hits) < 2 {
			t.Errorf("%q: only the decision itself", q)
		}
	}
}

// TestLookupRespectsFilters: a lookup outside the request's filters opens
// on nothing.
func TestLookupRespectsFilters(t *testing.T) {
	s := demo(t)
	res := run(t, s, search.Request{Query: "300/2006", Filters: map[string][]string{search.FilterKind: {"report"}}, Size: 10})
	for _, h := range res.Hits {
		if h.Document == "cat-c-38-d-300-2006" {
			t.Errorf("kind=report lists decision %s", h.ID)
		}
	}
}

func TestCitationsOnHitsAndPassages(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	for id, want := range map[string]string{
		"cat#art-3":                    "Convention against Torture, art. 3",
		"nelson-mandela-rules#rule-43": "Nelson Mandela Rules, rule 43",
		"cat-gc4#para-9":               "Committee against Torture, general comment No. 4 (2017), para. 9",
		"a-hrc-37-50#para-38":          "A/HRC/37/50, para. 38",
		"cat-c-38-d-300-2006#para-8.2": "Tebourski v. France (CAT/C/38/D/300/2006), para. 8.2",
		"cat-c-35-d-237-2003#para-6.4": "M.C.M.V.F. v. Sweden (CAT/C/35/D/237/2003), para. 6.4",
		"achr#art-22":                  "American Convention on Human Rights, art. 22",
		"people-as-products-2025#p-10": "People As Products: A Human Rights Perspective On The Transfer Of US Prisoners To Salvadoran Jails (2025), para. 10",
	} {
		p, err := s.Passage(ctx, id)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if p.Citation != want {
			t.Errorf("%s: citation %q, want %q", id, p.Citation, want)
		}
	}
	res := run(t, s, search.Request{Query: "American Convention article 22(8)", Size: 10})
	found := false
	for _, h := range res.Hits {
		if h.Citation == "" {
			t.Errorf("%s has no citation", h.ID)
		}
		if h.ID == "achr#art-22" {
			found = true
			if h.Citation != "American Convention on Human Rights, art. 22(8)" {
				t.Errorf("achr#art-22 for a query naming 22(8): citation %q", h.Citation)
			}
		}
	}
	if !found {
		t.Errorf("achr#art-22 not in the first page: %v", ids(res.Hits))
	}
}

func TestDocumentsListing(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	all, err := s.Documents(ctx, search.DocumentsRequest{Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 900 || len(all.Documents) != 5 {
		t.Errorf("all documents: total %d, page %d", all.Total, len(all.Documents))
	}
	req := search.DocumentsRequest{Filters: map[string][]string{"kind": {"decision"}, "party": {"SE"}, "outcome": {"violation"}}, Size: 100, FacetSize: 200}
	res, err := s.Documents(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Total > 100 {
		t.Fatalf("decisions against Sweden finding a violation: %d", res.Total)
	}
	for _, d := range res.Documents {
		if d.Kind != corpus.KindDecision || d.Case == nil || d.Case.Party != "SE" || d.Case.Outcome != corpus.OutcomeViolation || d.Year == 0 {
			t.Errorf("%s listed: kind %s, year %d, case %+v", d.ID, d.Kind, d.Year, d.Case)
		}
	}
	// Facet counts are the filtered totals.
	for _, f := range []string{search.FilterKind, search.FilterParty, search.FilterOutcome} {
		sum := 0
		for _, v := range res.Facets[f] {
			sum += v.Count
		}
		if sum != res.Total {
			t.Errorf("facet %s counts %d documents, total %d: %v", f, sum, res.Total, res.Facets[f])
		}
	}
	years := 0
	for _, v := range res.Facets[search.FilterYear] {
		years += v.Count
	}
	if years != res.Total {
		t.Errorf("year facet counts %d of %d decisions: every decision has a year", years, res.Total)
	}
	ys := res.Facets[search.FilterYear]
	for i := 1; i < len(ys); i++ {
		if ys[i].Value > ys[i-1].Value {
			t.Errorf("year facet lists %s after %s: not newest first", ys[i].Value, ys[i-1].Value)
			break
		}
	}

	// With a query: newest first, each with its matching passages.
	q, err := s.Documents(ctx, search.DocumentsRequest{Query: "refoulement", Filters: map[string][]string{"kind": {"decision"}}, Sort: search.SortDate, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	prev := 9999
	for _, d := range q.Documents {
		if d.Year > prev {
			t.Errorf("%s (%d) after a decision of %d: not newest first", d.ID, d.Year, prev)
		}
		prev = d.Year
		if d.Matches == 0 || len(d.Passages) == 0 || len(d.Passages) > search.BestPassages {
			t.Errorf("%s: %d matches, passages %v", d.ID, d.Matches, d.Passages)
		}
	}
	if q.Total < 50 {
		t.Errorf("decisions on refoulement: %d", q.Total)
	}
}

func TestSearchByDocument(t *testing.T) {
	s := demo(t)
	res, err := s.SearchByDocument(context.Background(), search.Request{Query: "refoulement", Filters: map[string][]string{"state": {"SV"}}, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || len(res.Groups) == 0 {
		t.Fatalf("no documents")
	}
	seen := map[string]bool{}
	for _, g := range res.Groups {
		if seen[g.Document.ID] {
			t.Errorf("%s listed twice", g.Document.ID)
		}
		seen[g.Document.ID] = true
		if len(g.Hits) == 0 || len(g.Hits) > search.BestPassages || g.Document.Matches < len(g.Hits) {
			t.Errorf("%s: %d hits of %d matches", g.Document.ID, len(g.Hits), g.Document.Matches)
		}
		for _, h := range g.Hits {
			if h.Document != g.Document.ID || h.Citation == "" || h.Snippet == "" {
				t.Errorf("%s: hit %+v", g.Document.ID, h)
			}
		}
	}
	// The passages behind the rows add up to the matching passages.
	flat := run(t, s, search.Request{Query: "refoulement", Filters: map[string][]string{"state": {"SV"}}, Size: 1, NoSnippets: true})
	if res.Total > int(flat.Total) {
		t.Errorf("%d documents from %d passages", res.Total, flat.Total)
	}
}

// TestCitedByDocumentsNewestFirst: every document citing CAT 3 is listed
// (the general comments on it among them), newest first, counted.
func TestCitedByDocumentsNewestFirst(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	cb, err := s.CitedBy(ctx, "CAT 3", 0, search.CitedByDate)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Truncated || cb.TotalDocuments != len(cb.Documents) || cb.TotalDocuments < 300 {
		t.Fatalf("CAT 3: %d documents listed of %d (truncated %v)", len(cb.Documents), cb.TotalDocuments, cb.Truncated)
	}
	listed := map[string]bool{}
	prev := "9999"
	for _, d := range cb.Documents {
		listed[d.Document] = true
		info, err := s.DocumentInfo(ctx, d.Document)
		if err != nil {
			t.Fatal(err)
		}
		when := info.Date
		if when == "" && info.Year != 0 {
			when = strconv.Itoa(info.Year)
		}
		if when > prev {
			t.Errorf("%s (%s) after a document of %s: not newest first", d.Document, when, prev)
		}
		if when != "" {
			prev = when
		}
	}
	for _, d := range cb.Documents {
		if d.Title == "" || d.Kind == "" {
			t.Errorf("%s listed without title or kind", d.Document)
		}
		if d.Document == "cat-c-38-d-300-2006" && d.Title != "Tebourski v. France (CAT/C/38/D/300/2006)" {
			t.Errorf("a decision cites by its case name: %q", d.Title)
		}
	}
	for _, gc := range []string{"cat-gc1", "cat-gc4"} {
		if !listed[gc] {
			t.Errorf("%s does not cite CAT 3 in the list", gc)
		}
	}
}

func TestResolveSymbols(t *testing.T) {
	s := demo(t)
	got, err := s.ResolveSymbols(context.Background(), []string{"CAT/C/38/D/300/2006", "A/HRC/37/50", "CAT/C/GC/4", "cat/c/gc/4", "A/HRC/99/999"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"CAT/C/38/D/300/2006": "cat-c-38-d-300-2006", "A/HRC/37/50": "a-hrc-37-50", "CAT/C/GC/4": "cat-gc4"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ResolveSymbols = %v, want %v", got, want)
	}
}

// TestHitsCarryTheirCase: every passage of a decision, not only its first,
// comes with the decision's case.
func TestHitsCarryTheirCase(t *testing.T) {
	s := demo(t)
	res := run(t, s, search.Request{Query: "Tebourski", Filters: map[string][]string{"document": {"cat-c-38-d-300-2006"}}, Size: 20})
	later := 0
	for _, h := range res.Hits {
		if h.Case == nil || h.Case.Name != "Tebourski v. France" || h.Case.Outcome != corpus.OutcomeViolation || h.Case.Party != "FR" {
			t.Errorf("%s: case %+v", h.ID, h.Case)
		}
		if h.Unit != "para-1.1" {
			later++
		}
	}
	if later == 0 {
		t.Errorf("no hit beyond the first paragraph: %v", ids(res.Hits))
	}
}

// TestCitedByComplete: a provision's citing passages are read however many
// there are, a batch after another, and come out the same as in one read.
func TestCitedByComplete(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	whole, err := s.CitedBy(ctx, "CAT 3", 0, search.CitedByDate)
	if err != nil {
		t.Fatal(err)
	}
	restore := search.SetCitedByBatch(97)
	defer restore()
	paged, err := s.CitedBy(ctx, "CAT 3", 0, search.CitedByDate)
	if err != nil {
		t.Fatal(err)
	}
	count := func(cb *search.CitedBy) (n int) {
		for _, d := range cb.Documents {
			n += len(d.Passages)
			for _, tr := range d.Translations {
				n += len(tr.Passages)
			}
		}
		return n
	}
	if paged.Truncated || paged.Total != whole.Total || !reflect.DeepEqual(paged.Documents, whole.Documents) {
		t.Errorf("read 97 at a time: %d documents, %d passages of %d (truncated %v); at once: %d documents, %d passages",
			paged.TotalDocuments, count(paged), paged.Total, paged.Truncated, whole.TotalDocuments, count(whole))
	}
	if count(paged) < int(paged.Total)*9/10 {
		t.Errorf("%d passages listed of %d", count(paged), paged.Total)
	}
	// A limit still bounds what is read, and says so.
	cut, err := s.CitedBy(ctx, "CAT 3", 150, search.CitedByDate)
	if err != nil {
		t.Fatal(err)
	}
	if !cut.Truncated || count(cut) > 150 {
		t.Errorf("limit 150: %d passages listed, truncated %v", count(cut), cut.Truncated)
	}
}

// TestCitedByTranslationsUnderOriginal: a citing document in another
// language with the same symbol as a citing original is listed under it,
// and a relevance order puts the documents with most citing paragraphs
// first.
func TestCitedByTranslationsUnderOriginal(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	grouped := 0
	for _, a := range []string{"ICCPR 2", "ICCPR 6", "ICCPR 14", "UDHR 2"} {
		cb, err := s.CitedBy(ctx, a, 0, search.CitedByRelevance)
		if err != nil {
			t.Fatal(err)
		}
		top := map[string]bool{}
		for _, d := range cb.Documents {
			top[d.Document] = true
		}
		prev := 1 << 30
		for _, d := range cb.Documents {
			n := len(d.Passages)
			for _, tr := range d.Translations {
				n += len(tr.Passages)
				grouped++
				if tr.Document == d.Document || top[tr.Document] {
					t.Errorf("%s: translation %s also listed on its own", a, tr.Document)
				}
				di, err := s.DocumentInfo(ctx, d.Document)
				if err != nil {
					t.Fatal(err)
				}
				ti, err := s.DocumentInfo(ctx, tr.Document)
				if err != nil {
					t.Fatal(err)
				}
				if di.Symbol == "" || di.Symbol != ti.Symbol || di.Language == ti.Language || di.Language != "en" {
					t.Errorf("%s: %s (%s, %s) listed under %s (%s, %s)", a, tr.Document, ti.Symbol, ti.Language,
						d.Document, di.Symbol, di.Language)
				}
			}
			if n > prev {
				t.Errorf("%s by relevance: %s with %d citing paragraphs after a document with %d", a, d.Document, n, prev)
			}
			prev = n
		}
	}
	if grouped == 0 {
		t.Error("no translation of the ICCPR or the UDHR listed under its original")
	}
}

// TestCitedByNoFalseSelfCitation: a treaty's article that ends "… this
// article." before its next numbered paragraph does not cite the article of
// that number: every passage of the treaty listed as citing one of its own
// articles names that article.
func TestCitedByNoFalseSelfCitation(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	for _, a := range []string{"CAT 2", "CAT 3", "CAT 4", "ICCPR 2", "ICCPR 3", "ICCPR 4"} {
		cb, err := s.CitedBy(ctx, a, 0, search.CitedByDate)
		if err != nil {
			t.Fatal(err)
		}
		own, err := s.Provision(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		_, n, _ := strings.Cut(a, " ")
		names := regexp.MustCompile(`(?i)\b(?:articles?|artikel(?:en)?|art[ií]culos?|arts?\.)\s+(?:[\d\s,()a-z]|and|en|y|to)*?\b` + n + `\b`)
		for _, d := range cb.Documents {
			if d.Document != own.Document {
				continue
			}
			for _, id := range d.Passages {
				p, err := s.Passage(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !names.MatchString(p.Text) {
					t.Errorf("%s: %s is listed as citing it but names no article %s", a, id, n)
				}
			}
		}
	}
}

// TestDocumentsByRelevance: with a query, GET /api/documents ranks
// documents as the search ranks their best passage: a decision named by its
// case name, complainant or number first, and the documents of the
// search's first page in the order they first appear there.
func TestDocumentsByRelevance(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	decisions, err := s.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		t.Fatal(err)
	}
	looked := 0
	for i, d := range decisions {
		if d.Case == nil || d.Case.Name == "" || i%40 != 7 {
			continue
		}
		for _, q := range []string{d.Case.Name, "No. " + d.Case.Communication} {
			list, err := s.Documents(ctx, search.DocumentsRequest{Query: q, Sort: search.SortRelevance, Size: 20})
			if err != nil {
				t.Fatal(err)
			}
			looked++
			var top []string
			for _, x := range list.Documents {
				if x.Case != nil && (x.Case.Name == d.Case.Name || x.Case.Communication == d.Case.Communication) {
					top = append(top, x.ID)
					continue
				}
				break
			}
			if !slices.Contains(top, d.ID) {
				first := ""
				if len(list.Documents) > 0 {
					first = list.Documents[0].ID
				}
				t.Errorf("documents for %q open on %s, not %s", q, first, d.ID)
			}
		}
	}
	if looked < 20 {
		t.Fatalf("only %d lookups", looked)
	}
	for _, q := range []string{"solitary confinement", "diplomatic assurances Egypt", "expulsion to Sri Lanka"} {
		hits := run(t, s, search.Request{Query: q, Size: 30, NoSnippets: true})
		var order []string
		seen := map[string]bool{}
		for _, h := range hits.Hits {
			if !seen[h.Document] {
				seen[h.Document] = true
				order = append(order, h.Document)
			}
		}
		list, err := s.Documents(ctx, search.DocumentsRequest{Query: q, Sort: search.SortRelevance, Size: len(order)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range list.Documents {
			got = append(got, x.ID)
		}
		if !slices.Equal(got, order) {
			t.Errorf("documents for %q: %v\nthe search's first page, by document: %v", q, got, order)
		}
	}
}

// TestResolveCaseNames: a decision's case name, as another text cites it,
// resolves to that decision when no other decision of the library bears
// it, and only against its own State party.
func TestResolveCaseNames(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	decisions, err := s.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		t.Fatal(err)
	}
	// Names as a reader spells them: "S.S." and "S. S." are one name.
	key := func(name string) string { return strings.Join(corpus.LookupKeys(name), " ") }
	byName := map[string]int{}
	for _, d := range decisions {
		if d.Case != nil && d.Case.Party != "" {
			for _, k := range corpus.CaseKeys(d.Case, "") {
				byName[k]++
			}
		}
	}
	checked := 0
	for i, d := range decisions {
		if d.Case == nil || d.Case.Name == "" || byName[key(d.Case.Name)] != 1 || i%25 != 3 {
			continue
		}
		text := "As the Committee held in " + d.Case.Name + ", the risk must be personal."
		ms := corpus.FindCaseMentions(text)
		if len(ms) != 1 {
			t.Errorf("%q: %d mentions", text, len(ms))
			continue
		}
		var names []string
		party := map[string]string{}
		for _, n := range ms[0].Names {
			names = append(names, n.Name)
			party[n.Name] = ms[0].Party
		}
		got, err := s.ResolveCaseNames(ctx, names, party)
		if err != nil {
			t.Fatal(err)
		}
		if got[d.Case.Name] != d.ID {
			t.Errorf("%q resolves to %v, want %s", d.Case.Name, got, d.ID)
		}
		for n, doc := range got {
			if doc != d.ID {
				t.Errorf("%q also resolves %q to %s", text, n, doc)
			}
		}
		// The same complainant against another State names no decision of theirs.
		other := map[string]string{d.Case.Name: "ZZ"}
		if got, _ := s.ResolveCaseNames(ctx, []string{d.Case.Name}, other); got[d.Case.Name] != "" {
			t.Errorf("%q resolves against another State party: %v", d.Case.Name, got)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d names checked", checked)
	}
}
