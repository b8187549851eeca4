package search_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/search"
)

func hasNotice(res *search.Results, code, part string) bool {
	for _, n := range res.Notices {
		if n.Code == code && strings.Contains(n.Message, part) {
			return true
		}
	}
	return false
}

// TestNotices: what happened to the input is said, not done silently.
func TestNotices(t *testing.T) {
	s := patient(t)
	tests := []struct {
		q, code, part string
	}{
		{"foo:bar torture", search.NoticeUnknownField, "foo:"},
		{"date:2015 torture", search.NoticeUnknownField, "year:2015"},
		{"kind:decisions torture", search.NoticeInvalidFilter, "kind:decision?"},
		{"year:abc torture", search.NoticeInvalidFilter, "year:abc"},
		{"language:english torture", search.NoticeInvalidFilter, "language:english"},
		{"not", search.NoticeStopWords, `"not"`},
		{"the of", search.NoticeStopWords, `"the of"`},
		{manyWords(search.MaxQueryTerms + 5), search.NoticeTermsCut, "5 more"},
		{strings.Repeat("a", search.MaxQueryRunes+7), search.NoticeQueryCut, "7 more"},
	}
	for _, tt := range tests {
		res := run(t, s, search.Request{Query: tt.q, Size: 1, NoSnippets: true})
		if !hasNotice(res, tt.code, tt.part) {
			t.Errorf("%.40q: notices %+v, want %s saying %q", tt.q, res.Notices, tt.code, tt.part)
		}
	}
	// What is valid says nothing.
	for _, q := range []string{"torture", "kind:decision torture", "year:2010..2015 torture", "state:Suiza", `"not"`, "instrument:Mandela", "http://example.org torture"} {
		if res := run(t, s, search.Request{Query: q, Size: 1, NoSnippets: true}); len(res.Notices) != 0 {
			t.Errorf("%q: notices %+v", q, res.Notices)
		}
	}
}

// TestInvalidRequestFilters: a request's filter value naming nothing is an
// error for the API (StrictFilters) saying what is valid, and for the
// page a notice, the value left out.
func TestInvalidRequestFilters(t *testing.T) {
	s := patient(t)
	for field, v := range map[string]string{search.FilterKind: "decisions", search.FilterYear: "abc",
		search.FilterInstrument: "XYZ", search.FilterLanguage: "english", search.FilterArticle: "torture"} {
		req := search.Request{Query: "torture", Filters: map[string][]string{field: {v}}, StrictFilters: true}
		_, err := s.Search(context.Background(), req)
		var fe *search.FilterError
		if !errors.As(err, &fe) || !errors.Is(err, corpus.ErrInvalid) || fe.Field != field || fe.Message == "" {
			t.Errorf("%s=%s: error %v, want a FilterError", field, v, err)
		}
		req.StrictFilters = false
		res := run(t, s, req)
		if !hasNotice(res, search.NoticeInvalidFilter, v) {
			t.Errorf("%s=%s (not strict): notices %+v", field, v, res.Notices)
		}
		if want := total(t, s, search.Request{Query: "torture"}); int(res.Total) != want {
			t.Errorf("%s=%s (not strict): %d hits, want the value left out (%d)", field, v, res.Total, want)
		}
	}
	_, err := s.Search(context.Background(), search.Request{Query: "torture", StrictFilters: true,
		Filters: map[string][]string{search.FilterKind: {"decisions"}}})
	if err == nil || !strings.Contains(err.Error(), "decision") {
		t.Errorf("kind=decisions: %v, want the nearest value named", err)
	}
}

// TestWordCounts: a query of plain words counts the passages holding all
// of them and any; all rank first.
func TestWordCounts(t *testing.T) {
	s := patient(t)
	res := run(t, s, search.Request{Query: "deportation extradition", Size: 20, NoSnippets: true})
	all := total(t, s, search.Request{Query: "deportation AND extradition"})
	anyN := total(t, s, search.Request{Query: "deportation OR extradition"})
	if res.Words == nil {
		t.Fatal("deportation extradition: no word counts")
	}
	if int(res.Words.All) != all || int(res.Words.Any) != anyN || int(res.Total) != anyN {
		t.Errorf("counts %+v (total %d), want all %d any %d", res.Words, res.Total, all, anyN)
	}
	if !slices.Equal(res.Words.Terms, []string{"deportation", "extradition"}) {
		t.Errorf("terms %q", res.Words.Terms)
	}
	if all == 0 || all >= anyN {
		t.Fatalf("all %d, any %d: the test needs fewer with both", all, anyN)
	}
	both := ids(run(t, s, search.Request{Query: "deportation AND extradition", Size: 20, NoSnippets: true}).Hits)
	for i, h := range res.Hits[:min(len(res.Hits), all, 10)] {
		if !slices.Contains(both, h.ID) && i < len(both) {
			t.Errorf("hit %d %s holds not both words, while %d passages do", i+1, h.ID, all)
		}
	}
	// One word, a phrase or required words only: nothing to count apart.
	for _, q := range []string{"torture", `"in no case"`, "deportation AND extradition"} {
		if r := run(t, s, search.Request{Query: q, Size: 1, NoSnippets: true}); r.Words != nil {
			t.Errorf("%s: word counts %+v", q, r.Words)
		}
	}
}

// TestFacetsMultiSelect: a facet with a selection counts each value
// without that selection (what clicking it would give); the year facet
// lists years newest first.
func TestFacetsMultiSelect(t *testing.T) {
	s := patient(t)
	sv := run(t, s, search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {"SV"}}, FacetSize: 50, NoSnippets: true})
	var checked int
	for _, v := range sv.Facets[search.FilterState][:min(5, len(sv.Facets[search.FilterState]))] {
		alone := total(t, s, search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {v.Value}}})
		if v.Count != alone {
			t.Errorf("state=SV: %s counted %d, alone it has %d", v.Value, v.Count, alone)
		}
		checked++
	}
	if checked < 2 {
		t.Fatal("too few state values to check")
	}
	// Other facets count under the selection.
	for _, v := range sv.Facets[search.FilterKind] {
		if n := total(t, s, search.Request{Query: "torture", Filters: map[string][]string{search.FilterState: {"SV"}, search.FilterKind: {v.Value}}}); v.Count != n {
			t.Errorf("state=SV: kind %s counted %d, want %d", v.Value, v.Count, n)
		}
	}
	res := run(t, s, search.Request{Query: "torture", FacetSize: 8, NoSnippets: true})
	years := res.Facets[search.FilterYear]
	if len(years) != 8 {
		t.Fatalf("%d years, want 8", len(years))
	}
	if !slices.IsSortedFunc(years, func(a, b search.FacetValue) int { return strings.Compare(b.Value, a.Value) }) {
		t.Errorf("years not newest first: %v", years)
	}
	newest := run(t, s, search.Request{Query: "torture", Sort: search.SortDate, Size: 1, NoSnippets: true})
	if len(newest.Hits) == 0 || newest.Hits[0].Year != years[0].Value {
		t.Errorf("first year %s, the newest hit is of %v", years[0].Value, newest.Hits)
	}
}

// manyWords is n distinct words.
func manyWords(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "w%d ", i)
	}
	return b.String()
}

// patient returns a Searcher over the demo index whose searches may take
// a minute: these tests walk every match of common words, several times
// slower under the race detector on a busy machine.
func patient(tb testing.TB) *search.Searcher {
	tb.Helper()
	s, err := search.New(indexertest.Demo(tb).Index.Bleve(), search.WithTimeout(time.Minute))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
