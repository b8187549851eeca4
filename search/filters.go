package search

import (
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// filterFromValue reads one filter value as the query language would.
func filterFromValue(field, v string) Filter {
	if field == FilterYear {
		if from, to, ok := yearRange(v); ok {
			return Filter{Field: field, From: from, To: to}
		}
	}
	return Filter{Field: field, Value: v}
}

// yearSpan is "2010-2015" or "2010–2015", a range written as people do.
var yearSpan = regexp.MustCompile(`^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$`)

// yearRange splits a year range: "2010..2015", "2010..", "..2015" or
// "2010-2015".
func yearRange(v string) (from, to string, ok bool) {
	if from, to, ok := strings.Cut(v, ".."); ok {
		return from, to, true
	}
	if m := yearSpan.FindStringSubmatch(v); m != nil {
		return m[1], m[2], true
	}
	return "", "", false
}

var articleValue = regexp.MustCompile(`(?i)^\s*([a-z][a-z0-9-]*)\s*(?:art(?:icle)?\.?|rule)?\s*(\d+[a-z]?)\s*(\(\s*\w+\s*\))?\s*$`)

// NormalizeFilter puts a filter value in the form the index holds:
// instruments and states upper-case ("cat" → "CAT", "slv" → "SV"),
// articles as "CAT 3" or "ACHR 22(8)", kinds and languages lower-case.
func NormalizeFilter(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case FilterInstrument:
		if short, ok := instrumentOf(v); ok {
			return short // an alias: "Mandela Rules", "Pacto de San José"
		}
		return strings.ToUpper(v)
	case FilterState, FilterParty:
		if st, ok := corpus.LookupState(v); ok {
			return st.Alpha2
		}
		if ext := corpus.Extract(v, corpus.Context{}); len(ext.States) == 1 {
			return ext.States[0] // a name: "El Salvador", "Suiza"
		}
		return strings.ToUpper(v)
	case FilterArticle:
		if m := articleValue.FindStringSubmatch(v); m != nil {
			out := strings.ToUpper(m[1]) + " " + strings.ToUpper(m[2])
			if m[3] != "" {
				out += "(" + strings.ToLower(strings.Trim(m[3], "() ")) + ")"
			}
			return out
		}
		return v
	case FilterKind, FilterLanguage, FilterDocument, FilterOutcome:
		return strings.ToLower(v)
	}
	return v
}

// filterQuery ANDs the filters of different fields and ORs the values of
// one field. It returns nil for no filters.
func filterQuery(filters []Filter) query.Query {
	if len(filters) == 0 {
		return nil
	}
	byField := map[string][]query.Query{}
	var order []string
	for _, f := range filters {
		var q query.Query
		if f.Value == "" {
			lo, hi := strings.TrimSpace(f.From), strings.TrimSpace(f.To)
			if lo == "" {
				lo = "0000"
			}
			if hi == "" {
				hi = "9999"
			}
			if lo > hi { // 2020..2010: the years between, as meant
				lo, hi = hi, lo
			}
			t := true
			rq := query.NewTermRangeInclusiveQuery(lo, hi, &t, &t)
			rq.SetField(f.Field)
			q = rq
		} else {
			v := NormalizeFilter(f.Field, f.Value)
			q = termQ(f.Field, v, 1)
			if coarse, _, fine := strings.Cut(v, "("); fine && f.Field == FilterArticle {
				// ACHR 22(8) is in the text of ACHR 22: the provision
				// itself belongs with the passages citing its paragraph.
				q = query.NewDisjunctionQuery([]query.Query{q, termQ(schema.FieldOwnArticle, coarse, 1)})
			}
		}
		if _, ok := byField[f.Field]; !ok {
			order = append(order, f.Field)
		}
		byField[f.Field] = append(byField[f.Field], q)
	}
	var and []query.Query
	for _, field := range order {
		qs := byField[field]
		if len(qs) == 1 {
			and = append(and, qs[0])
		} else {
			and = append(and, query.NewDisjunctionQuery(qs))
		}
	}
	if len(and) == 1 {
		return and[0]
	}
	return query.NewConjunctionQuery(and)
}
