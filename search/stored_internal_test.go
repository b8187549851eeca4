package search

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/indexertest"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// TestStoredValuesAreBleves: the stored fields read from the segments are
// those Bleve's search request returns, lists and single values alike,
// for passages of every kind (and none for an id the index lacks).
func TestStoredValuesAreBleves(t *testing.T) {
	idx := indexertest.Demo(t).Index.Bleve()
	s, err := New(idx)
	if err != nil {
		t.Fatal(err)
	}
	names := append(append([]string{}, storedFields...), schema.FieldText, schema.FieldOrder)
	for _, q := range []string{"torture", "polygraph", "CAT article 3", "refugee", "tortura"} {
		sreq := bleve.NewSearchRequestOptions(s.plan(Request{Query: q}).query, 40, 0, false)
		res, err := idx.SearchInContext(context.Background(), sreq)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		ids = append(ids, "no-such-document#p-1")
		got, ok, err := s.storedValues(ids, names)
		if err != nil || !ok {
			t.Fatalf("%s: storedValues: %v, %v", q, ok, err)
		}
		want := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
		want.Fields = names
		wres, err := idx.SearchInContext(context.Background(), want)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]map[string]interface{}{}
		for _, h := range wres.Hits {
			byID[h.ID] = h.Fields
		}
		if len(got) != len(byID) {
			t.Errorf("%s: %d passages read, Bleve %d", q, len(got), len(byID))
		}
		lists := 0
		for _, g := range got {
			if !reflect.DeepEqual(g.Fields, byID[g.ID]) {
				t.Errorf("%s: %s: fields\n%v\nBleve's\n%v", q, g.ID, g.Fields, byID[g.ID])
			}
			for _, v := range g.Fields {
				if _, ok := v.([]interface{}); ok {
					lists++
				}
			}
		}
		if q == "torture" && lists == 0 {
			t.Errorf("%s: no field with several values among %d passages: the case is not tested", q, len(got))
		}
	}
}
