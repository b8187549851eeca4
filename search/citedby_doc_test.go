package search_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/search"
)

// citingIDs lists a cited-by list's documents, translations included.
func citingIDs(cb *search.CitedBy) []string {
	var out []string
	for _, d := range cb.Documents {
		out = append(out, d.Document)
		for _, tr := range d.Translations {
			out = append(out, tr.Document)
		}
	}
	return out
}

// TestDocumentCitedBySymbol: a decision that other decisions cite by its
// symbol lists each of them, with the passages holding the symbol, and
// never itself; read a few passages at a time, the list is the same.
func TestDocumentCitedBySymbol(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	decisions, err := s.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range decisions {
		if d.Symbol == "" || checked >= 5 {
			continue
		}
		// The passages of other decisions whose text cites the symbol.
		res := run(t, s, search.Request{Filters: map[string][]string{"symbol": {d.Symbol}, "kind": {corpus.KindDecision}},
			Size: 100, NoSnippets: true})
		want := map[string][]string{}
		for _, h := range res.Hits {
			if h.Document != d.ID {
				want[h.Document] = append(want[h.Document], h.ID)
			}
		}
		if len(want) == 0 || res.Total > 100 {
			continue
		}
		checked++
		cb, err := s.DocumentCitedBy(ctx, d.ID, 0, search.CitedByDate)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, c := range cb.Documents {
			got[c.Document] = c.Passages
		}
		for doc, ps := range want {
			for _, p := range ps {
				if !slices.Contains(got[doc], p) {
					t.Errorf("%s (%s): %s cites it and is not listed: %v", d.ID, d.Symbol, p, citingIDs(cb))
				}
			}
		}
		ids := citingIDs(cb)
		if slices.Contains(ids, d.ID) {
			t.Errorf("%s is listed as citing itself", d.ID)
		}
		if cb.Symbol != d.Symbol || cb.Document != d.ID || cb.TotalDocuments != len(cb.Documents) || cb.Truncated {
			t.Errorf("%s: %+v", d.ID, cb)
		}
		restore := search.SetCitedByBatch(2)
		paged, err := s.DocumentCitedBy(ctx, d.ID, 0, search.CitedByDate)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(paged, cb) {
			t.Errorf("%s read 2 at a time: %v, at once %v", d.ID, citingIDs(paged), ids)
		}
	}
	if checked < 3 {
		t.Fatalf("only %d decisions cited by symbol", checked)
	}
}

// TestDocumentCitedByNeverItself: no document's cited-by list holds the
// document or a document bearing the same symbol (a language version),
// and each citing document is listed once.
func TestDocumentCitedByNeverItself(t *testing.T) {
	s := demo(t)
	ctx := context.Background()
	decisions, err := s.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		t.Fatal(err)
	}
	cited := 0
	for i, d := range decisions {
		if i%4 != 0 {
			continue
		}
		cb, err := s.DocumentCitedBy(ctx, d.ID, 0, search.CitedByRelevance)
		if err != nil {
			t.Fatal(err)
		}
		ids := citingIDs(cb)
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: %s listed twice", d.ID, id)
			}
			seen[id] = true
			info, err := s.DocumentInfo(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if id == d.ID || d.Symbol != "" && info.Symbol == d.Symbol {
				t.Errorf("%s is listed as citing %s", id, d.ID)
			}
		}
		if len(ids) > 0 {
			cited++
		}
	}
	if cited < 10 {
		t.Errorf("only %d decisions cited", cited)
	}
}

// TestDocumentCitedByName: a decision cited by its case name alone is
// cited when that name names it alone among the decisions against its
// State party, and not when two decisions bear the name; a name against
// another State cites neither.
func TestDocumentCitedByName(t *testing.T) {
	m, err := schema.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	decision := func(id, sym, name, party string, year int, texts ...string) {
		e := &corpus.Entry{ID: id, Kind: corpus.KindDecision, Symbol: sym, Language: "en", Year: year,
			Case: &corpus.Case{Name: name, Party: party, Communication: sym[len(sym)-8:]}}
		for i, text := range texts {
			p := &corpus.Passage{ID: id + "#para-" + string(rune('1'+i)), Document: id, Unit: "para-" + string(rune('1'+i)),
				Order: i, Text: text, Symbols: []string{sym}}
			if err := idx.Index(p.ID, schema.Document(e, p)); err != nil {
				t.Fatal(err)
			}
		}
	}
	decision("cat-c-1-d-101-2001", "CAT/C/1/D/101/2001", "Alpha v. Norway", "NO", 2001,
		"The complainant is Mr. Alpha.", "In Alpha v. Norway the Committee finds a violation.")
	decision("cat-c-2-d-102-2002", "CAT/C/2/D/102/2002", "Beta v. Sweden", "SE", 2002, "The complainant is Mr. Beta.")
	decision("cat-c-3-d-103-2003", "CAT/C/3/D/103/2003", "Beta v. Sweden", "SE", 2003, "The complainant is Ms. Beta.")
	decision("cat-c-4-d-104-2004", "CAT/C/4/D/104/2004", "Gamma v. Canada", "CA", 2004,
		"The State party recalls Alpha v. Norway and Beta v. Sweden.",
		"The complainant refers to Alpha v. Denmark.",
		"As held in Alpha v. Norway, the risk must be personal.")
	decision("cat-c-5-d-105-2005", "CAT/C/5/D/105/2005", "Delta v. Spain", "ES", 2005,
		"See the views in Gamma v. Canada.")
	s, err := search.New(idx)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cited := func(id string) (*search.CitedBy, map[string][]string) {
		t.Helper()
		cb, err := s.DocumentCitedBy(ctx, id, 0, search.CitedByDate)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, d := range cb.Documents {
			out[d.Document] = d.Passages
		}
		return cb, out
	}
	cb, got := cited("cat-c-1-d-101-2001")
	want := map[string][]string{"cat-c-4-d-104-2004": {"cat-c-4-d-104-2004#para-1", "cat-c-4-d-104-2004#para-3"}}
	if !reflect.DeepEqual(got, want) || cb.Total != 2 || cb.CaseName != "Alpha v. Norway" {
		t.Errorf("Alpha v. Norway cited by %v (%d passages, name %q), want %v", got, cb.Total, cb.CaseName, want)
	}
	for _, id := range []string{"cat-c-2-d-102-2002", "cat-c-3-d-103-2003"} {
		if cb, got := cited(id); len(got) != 0 || cb.Total != 0 {
			t.Errorf("%s (Beta v. Sweden, a name two decisions bear) cited by %v", id, got)
		}
	}
	// Two citing documents, newest first.
	decision("cat-c-6-d-106-2006", "CAT/C/6/D/106/2006", "Epsilon v. Chile", "CL", 2006,
		"Unlike Alpha v. Norway, the complainant did not substantiate.")
	cb, _ = cited("cat-c-1-d-101-2001")
	if ids := citingIDs(cb); !slices.Equal(ids, []string{"cat-c-6-d-106-2006", "cat-c-4-d-104-2004"}) || cb.TotalDocuments != 2 {
		t.Errorf("Alpha v. Norway cited by %v, want the 2006 decision before the 2004 one", ids)
	}
	if _, got := cited("cat-c-4-d-104-2004"); !reflect.DeepEqual(got, map[string][]string{"cat-c-5-d-105-2005": {"cat-c-5-d-105-2005#para-1"}}) {
		t.Errorf("Gamma v. Canada cited by %v", got)
	}
	// A report without a symbol of its own, whose first passage cites a
	// decision's: the documents citing that decision do not cite the report.
	report := &corpus.Entry{ID: "report-1", Kind: corpus.KindReport, Language: "en", Year: 2010}
	for i, text := range []string{"See CAT/C/1/D/101/2001.", "A paragraph citing nothing."} {
		p := &corpus.Passage{ID: "report-1#p-" + string(rune('1'+i)), Document: "report-1", Unit: "p-" + string(rune('1'+i)), Order: i, Text: text}
		if i == 0 {
			p.Symbols = []string{"CAT/C/1/D/101/2001"}
		}
		if err := idx.Index(p.ID, schema.Document(report, p)); err != nil {
			t.Fatal(err)
		}
	}
	if cb, got := cited("report-1"); len(got) != 0 || cb.Symbol != "" {
		t.Errorf("report-1, without a symbol, cited by %v (symbol %q)", got, cb.Symbol)
	}
	if _, got := cited("cat-c-1-d-101-2001"); got["report-1"] == nil {
		t.Errorf("Alpha v. Norway: report-1 cites its symbol and is not listed: %v", got)
	}
}
