package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/search"
)

// ownPassages returns, for each provision the demo index holds as a
// passage ("CAT 3" for cat#art-3), the ids of those passages.
func ownPassages(t *testing.T) map[string][]string {
	t.Helper()
	q := query.NewWildcardQuery("*")
	q.SetField(schema.FieldOwnArticle)
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.Fields = []string{schema.FieldOwnArticle}
	res, err := indexertest.Demo(t).Index.Bleve().SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, h := range res.Hits {
		if own, _ := h.Fields[schema.FieldOwnArticle].(string); own != "" {
			out[own] = append(out[own], h.ID)
		}
	}
	return out
}

// TestEveryProvisionByItsName: every value of the article facet, typed as
// a query, opens on that provision: its own passage when the index holds
// it (the article itself for a paragraph of it, "ACHR 22" for "ACHR
// 22(8)"), else a passage citing it.
func TestEveryProvisionByItsName(t *testing.T) {
	s := patient(t)
	own := ownPassages(t)
	if len(own) == 0 {
		t.Fatal("no provision passages in the demo index")
	}
	all := run(t, s, search.Request{FacetSize: search.MaxFacetSize, Facets: []string{search.FilterArticle}, Size: 1, NoSnippets: true})
	values := all.Facets[search.FilterArticle]
	if len(values) < 100 {
		t.Fatalf("%d article values; the test needs the demo index's", len(values))
	}
	failed := 0
	for _, v := range values {
		res := run(t, s, search.Request{Query: v.Value, Size: 1, NoSnippets: true})
		ok := false
		if len(res.Hits) > 0 {
			h := res.Hits[0]
			coarse, _, _ := strings.Cut(v.Value, "(")
			switch {
			case len(own[v.Value]) > 0:
				ok = slices.Contains(own[v.Value], h.ID)
			case len(own[coarse]) > 0:
				ok = slices.Contains(own[coarse], h.ID) || slices.Contains(h.Article, v.Value)
			default:
				ok = slices.Contains(h.Article, v.Value)
			}
		}
		if !ok {
			failed++
			first := "nothing"
			if len(res.Hits) > 0 {
				first = res.Hits[0].ID
			}
			t.Errorf("%q opens on %s", v.Value, first)
		}
	}
	if failed > 0 {
		t.Logf("%d of %d provisions fail", failed, len(values))
	}
}

// TestProvisionAliases: instruments by their titles and aliases, in
// either order with the number, and the instrument filter by an alias.
func TestProvisionAliases(t *testing.T) {
	s := patient(t)
	own := ownPassages(t)
	for q, want := range map[string]string{
		"Mandela Rules 43":                                        "SMR 43",
		"Torture Convention art 3":                                "CAT 3",
		"Pact of San José 5(6)":                                   "ACHR 5",
		"Convención Americana artículo 22":                        "ACHR 22",
		"article 7 of the Covenant on Civil and Political Rights": "ICCPR 7",
		"CCPR 7": "ICCPR 7",
	} {
		if len(own[want]) == 0 {
			t.Errorf("%s: the demo index has no passage of %s", q, want)
			continue
		}
		res := run(t, s, search.Request{Query: q, Size: 1, NoSnippets: true})
		if len(res.Hits) == 0 || !slices.Contains(own[want], res.Hits[0].ID) {
			t.Errorf("%q opens on %v, want %s", q, ids(res.Hits), own[want])
		}
	}
	smr := total(t, s, search.Request{Filters: map[string][]string{search.FilterInstrument: {"SMR"}}})
	if smr == 0 {
		t.Fatal("no SMR passages")
	}
	for _, q := range []string{"instrument:Mandela", `instrument:"Nelson Mandela Rules"`, "instrument:smr"} {
		if n := total(t, s, search.Request{Query: q}); n != smr {
			t.Errorf("%s: %d passages, instrument:SMR %d", q, n, smr)
		}
	}
	if n := total(t, s, search.Request{Query: "instrument:Convention"}); n != 0 {
		t.Errorf("instrument:Convention (names no one instrument): %d passages", n)
	}
}
