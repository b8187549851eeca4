package main

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/search"
)

// experiment is one variant of a step of hrsearch's search path, run as a
// plain Bleve request on the same index, to put a number on a proposed
// product change without changing the product.
type experiment struct {
	Name    string         `json:"name"`
	Note    string         `json:"note"`
	Classes map[string]lat `json:"classes"`
}

var rankFieldNames = []string{schema.FieldDocument, schema.FieldTier, schema.FieldOwnArticle,
	schema.FieldOrder, schema.FieldLanguage, schema.FieldUnit}

type reqEngine struct {
	idx bleve.Index
	mk  func(q benchQuery) *bleve.SearchRequest
}

func (r reqEngine) Name() string { return "experiment" }
func (r reqEngine) Close() error { return nil }
func (r reqEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	res, err := r.idx.SearchInContext(ctx, r.mk(q))
	if err != nil {
		return 0, err
	}
	return int(res.Total), nil
}

// runExperiments measures the window query's parts on hrsearch's index.
func runExperiments(ctx context.Context, idx bleve.Index, classes map[string][]benchQuery, c *config) []experiment {
	window := func(sort []string, fields []string) func(q benchQuery) *bleve.SearchRequest {
		return func(q benchQuery) *bleve.SearchRequest {
			r := bleve.NewSearchRequestOptions(plainQuery(q), 300, 0, false)
			if sort != nil {
				r.SortBy(sort)
			}
			r.Fields = fields
			return r
		}
	}
	tierFilter := func(q benchQuery) *bleve.SearchRequest {
		bq := query.NewBooleanQuery([]query.Query{plainQuery(q)}, nil, nil)
		p := query.NewTermQuery(schema.TierProvision)
		p.SetField(schema.FieldTier)
		i := query.NewTermQuery(schema.TierInterpretation)
		i.SetField(schema.FieldTier)
		bq.AddFilter(query.NewDisjunctionQuery([]query.Query{p, i}))
		r := bleve.NewSearchRequestOptions(bq, 200, 0, false)
		r.Fields = rankFieldNames
		return r
	}
	withFacets := func(mk func(q benchQuery) *bleve.SearchRequest) func(q benchQuery) *bleve.SearchRequest {
		return func(q benchQuery) *bleve.SearchRequest {
			r := mk(q)
			for _, f := range search.FacetNames {
				r.AddFacet(f, bleve.NewFacetRequest(f, 10))
			}
			return r
		}
	}
	top10 := func(q benchQuery) *bleve.SearchRequest {
		return bleve.NewSearchRequestOptions(plainQuery(q), 10, 0, false)
	}
	xs := []struct {
		name, note string
		mk         func(q benchQuery) *bleve.SearchRequest
	}{
		{"A. top 10 by score", "the plain query, 10 hits, no fields: the floor", top10},
		{"B. window 300 by score", "Bleve's collector for hrsearch's rescoring window (hrsearch walks the matches with its own collector)", window(nil, nil)},
		{"C. B + 6 facets by Bleve", "Bleve counting hrsearch's six facets from doc values, as hrsearch did before it counted them from per-segment columns in its walk", withFacets(window(nil, nil))},
		{"D. authoritative candidates", "the query again, filtered to provisions and general comments, 200 hits with rank fields: the second evaluation hrsearch ran before it kept them in the same walk", tierFilter},
	}
	var out []experiment
	for _, x := range xs {
		ex := experiment{Name: x.name, Note: x.note, Classes: map[string]lat{}}
		e := reqEngine{idx: idx, mk: x.mk}
		for _, cl := range []string{cCommon, cOr3, cAnd3, cPhrase} {
			for _, q := range classes[cl] {
				e.Query(ctx, q)
			}
			var ls []lat
			for range c.reps {
				l, err := runClients(ctx, e, classes[cl], 1, c.samples, c.budget)
				if err == nil {
					ls = append(ls, l)
				}
			}
			ex.Classes[cl] = medianLat(ls)
		}
		logf("experiment %s done", x.name)
		out = append(out, ex)
	}
	return out
}
