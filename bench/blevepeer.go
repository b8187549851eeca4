package main

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/schema"
)

// blevePlain runs each query as one plain Bleve search on hrsearch's own
// index (English analysis, text/heading/title with hrsearch's field
// weights, facets and highlighting by Bleve): what the engine under
// hrsearch costs for the same answer, without hrsearch's multilingual
// analysis, lexicon, rescoring window, coverage and second fetch.
type blevePlain struct {
	e *hrsearchEngine
}

func (b *blevePlain) Name() string { return eBleve }
func (b *blevePlain) Close() error { return b.e.Close() }

var plainFields = []struct {
	name  string
	boost float64
}{{schema.FieldText, 1.0}, {schema.FieldHeading, 1.5}, {schema.FieldTitle, 0.3}}

func plainQuery(q benchQuery) query.Query {
	var alts []query.Query
	text := strings.Join(q.Words, " ")
	for _, f := range plainFields {
		var fq query.Query
		switch q.Op {
		case opPhrase:
			if f.name == schema.FieldTitle {
				continue // titles have no positions
			}
			mq := query.NewMatchPhraseQuery(text)
			mq.SetField(f.name)
			mq.Analyzer = schema.AnalyzerEnglish
			mq.SetBoost(f.boost)
			fq = mq
		case opPrefix:
			pq := query.NewPrefixQuery(q.Words[0])
			pq.SetField(f.name)
			pq.SetBoost(f.boost)
			fq = pq
		default:
			mq := query.NewMatchQuery(text)
			mq.SetField(f.name)
			mq.Analyzer = schema.AnalyzerEnglish
			mq.SetBoost(f.boost)
			if q.Op == opAnd {
				mq.SetOperator(query.MatchQueryOperatorAnd)
			}
			fq = mq
		}
		alts = append(alts, fq)
	}
	var out query.Query = query.NewDisjunctionQuery(alts)
	var filters []query.Query
	if q.Kind != "" {
		t := query.NewTermQuery(q.Kind)
		t.SetField(schema.FieldKind)
		filters = append(filters, t)
	}
	if q.Instrument != "" {
		t := query.NewTermQuery(q.Instrument)
		t.SetField(schema.FieldInstr)
		filters = append(filters, t)
	}
	if len(filters) > 0 {
		bq := query.NewBooleanQuery([]query.Query{out}, nil, nil)
		bq.AddFilter(query.NewConjunctionQuery(filters))
		out = bq
	}
	return out
}

func (b *blevePlain) Query(ctx context.Context, q benchQuery) (int, error) {
	req := bleve.NewSearchRequestOptions(plainQuery(q), q.size(), q.from(), false)
	for _, f := range q.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(f, 10))
	}
	req.Fields = []string{schema.FieldDocument, schema.FieldTitle}
	if q.Highlight {
		req.Highlight = bleve.NewHighlightWithStyle(html.Name)
		req.Highlight.Fields = []string{schema.FieldText}
	}
	res, err := b.e.ix.Bleve().SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return int(res.Total), nil
}
