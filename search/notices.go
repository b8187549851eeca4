package search

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
)

// Notice tells the user what happened to what they typed: a word read
// otherwise than it may look, a value no passage carries, a cut.
type Notice struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Notice codes.
const (
	NoticeUnknownField  = "unknown_field"  // foo:bar searched as words
	NoticeInvalidFilter = "invalid_filter" // kind:decisions, year:abc
	NoticeQueryCut      = "query_cut"      // beyond MaxQueryRunes
	NoticeTermsCut      = "terms_cut"      // beyond MaxQueryTerms
	NoticeStopWords     = "stop_words"     // only words too common to search alone
)

// FilterError is a request's filter value that names nothing the index
// holds ("kind=decisions"): the API refuses it with the valid values.
type FilterError struct {
	Field, Value string
	// Message says what is valid, or the nearest value.
	Message string
}

func (e *FilterError) Error() string { return e.Message }

// Unwrap makes a FilterError a corpus.ErrInvalid.
func (e *FilterError) Unwrap() error { return corpus.ErrInvalid }

// fieldAliases are the field names people try for ours.
var fieldAliases = map[string]string{
	"date": FilterYear, "country": FilterState, "treaty": FilterInstrument, "convention": FilterInstrument,
	"type": FilterKind, "lang": FilterLanguage, "art": FilterArticle, "doc": FilterDocument, "pais": FilterState,
	"ano": FilterYear, "tipo": FilterKind, "idioma": FilterLanguage,
}

var (
	fieldPrefix = regexp.MustCompile(`(?:^|[\s(+-])([\p{L}_]{2,20}):([^\s/:"()][^\s()]*|"[^"]*")`)
	quoted      = regexp.MustCompile(`(?:^|[\s(+-])"[^"]*"`)
)

// unknownFields returns a notice for each word of the query q written as a
// field prefix that is none of ours ("foo:bar", "date:2015"): they are
// searched as words.
func unknownFields(q string) []Notice {
	var out []Notice
	seen := map[string]bool{}
	for _, m := range fieldPrefix.FindAllStringSubmatch(quoted.ReplaceAllString(q, " "), -1) {
		name := m[1]
		if filterFields[strings.ToLower(name)] || seen[name] {
			continue
		}
		seen[name] = true
		msg := fmt.Sprintf("%s: is not a field, so %s:%s was searched as words. Fields: %s.", name, name, m[2], strings.Join(FilterNames, ", "))
		if f := nearestField(name); f != "" {
			msg = fmt.Sprintf("%s: is not a field, so %s:%s was searched as words. Did you mean %s:%s?", name, name, m[2], f, m[2])
		}
		out = append(out, Notice{Code: NoticeUnknownField, Message: msg})
	}
	return out
}

func nearestField(name string) string {
	name = strings.ToLower(corpus.Fold(name))
	if f, ok := fieldAliases[name]; ok {
		return f
	}
	return nearest(name, FilterNames, 2)
}

// walkFilters calls f for each filter of n.
func walkFilters(n Node, f func(Filter)) {
	switch n := n.(type) {
	case Filter:
		f(n)
	case Not:
		walkFilters(n.Child, f)
	case Must:
		walkFilters(n.Child, f)
	case And:
		for _, c := range n.Children {
			walkFilters(c, f)
		}
	case Or:
		for _, c := range n.Children {
			walkFilters(c, f)
		}
	}
}

// nearest returns the value of valid closest to v within maxDist edits,
// or "".
func nearest(v string, valid []string, maxDist int) string {
	best, bestD := "", maxDist+1
	lv := strings.ToLower(v)
	for _, c := range valid {
		if d := editDistance(lv, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

var yearValue = regexp.MustCompile(`^\d{4}$`)

// checkFilter says why a filter value names nothing, with the valid
// values or the nearest; "" when it is valid.
func (s *Searcher) checkFilter(ctx context.Context, f Filter) string {
	if f.Value == "" { // a year range
		for _, y := range []string{strings.TrimSpace(f.From), strings.TrimSpace(f.To)} {
			if y != "" && !yearValue.MatchString(y) {
				return fmt.Sprintf("year:%s..%s is not a range of years: write year:2010..2015, year:2010.. or year:..2015.", f.From, f.To)
			}
		}
		return ""
	}
	v := strings.TrimSpace(f.Value)
	switch f.Field {
	case FilterYear:
		if !yearValue.MatchString(v) {
			return fmt.Sprintf("year:%s is not a year: write year:2015, or a range year:2010..2015.", v)
		}
	case FilterInstrument:
		if _, ok := instrumentOf(v); ok {
			return ""
		}
		var shorts []string
		for _, in := range corpus.Instruments() {
			shorts = append(shorts, in.Short)
		}
		return invalidValue(f.Field, v, shorts)
	case FilterArticle:
		norm := NormalizeFilter(FilterArticle, v)
		if short, _, ok := strings.Cut(norm, " "); ok {
			if _, known := corpus.LookupInstrument(short); known {
				return ""
			}
		}
		if arts, _ := queryProvisions(strings.Fields(v)); len(arts) == 1 {
			return fmt.Sprintf("article:%s is written article:%q.", v, arts[0])
		}
		return fmt.Sprintf("article:%s is not a provision: write the instrument and the number, as article:\"CAT 3\" or article:\"ACHR 22(8)\".", v)
	case FilterState:
		if _, ok := corpus.LookupState(v); ok {
			return ""
		}
		if ext := corpus.Extract(v, corpus.Context{}); len(ext.States) == 1 {
			return ""
		}
		return fmt.Sprintf("state:%s is not a state: write its name or ISO code (state:SV, state:\"El Salvador\").", v)
	case FilterKind, FilterLanguage:
		valid, err := s.fieldValues(ctx, f.Field)
		if err != nil || len(valid) == 0 || slices.Contains(valid, strings.ToLower(v)) {
			return ""
		}
		return invalidValue(f.Field, v, valid)
	}
	return ""
}

// invalidValue says that v is none of valid, with the nearest or the list.
func invalidValue(field, v string, valid []string) string {
	if n := nearest(v, valid, max(2, len(v)/3)); n != "" {
		return fmt.Sprintf("%s:%s matches nothing: did you mean %s:%s?", field, v, field, n)
	}
	return fmt.Sprintf("%s:%s matches nothing. Values: %s.", field, v, strings.Join(valid, ", "))
}

// fieldValues returns every value of a keyword field in the index,
// sorted, from a cache valid for the index's epoch.
func (s *Searcher) fieldValues(ctx context.Context, field string) ([]string, error) {
	epoch, cacheable := s.epoch()
	s.valuesMu.Lock()
	if cacheable && s.valuesEpoch == epoch {
		if vs, ok := s.values[field]; ok {
			s.valuesMu.Unlock()
			return vs, nil
		}
	}
	s.valuesMu.Unlock()
	sreq := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	sreq.AddFacet(field, bleve.NewFacetRequest(field, MaxFacetSize))
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	var vs []string
	if fr, ok := res.Facets[field]; ok && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			vs = append(vs, t.Term)
		}
	}
	slices.Sort(vs)
	if cacheable {
		s.valuesMu.Lock()
		if s.valuesEpoch != epoch || s.values == nil {
			s.values, s.valuesEpoch = map[string][]string{}, epoch
		}
		s.values[field] = vs
		s.valuesMu.Unlock()
	}
	return vs, nil
}

// valuesCache is the Searcher's cache of fieldValues.
type valuesCache struct {
	valuesMu    sync.Mutex
	values      map[string][]string
	valuesEpoch uint64
}

// checkRequest checks the request's filter values and those written in
// its query. A request's invalid value is an error when strict (the API),
// else it is dropped with a notice (the page, whose links never make
// one); a value in the query is kept, with a notice.
func (s *Searcher) checkRequest(ctx context.Context, req *Request, node Node) ([]Notice, error) {
	var notices []Notice
	for _, field := range slices.Sorted(maps.Keys(req.Filters)) {
		var kept []string
		for _, v := range req.Filters[field] {
			if strings.TrimSpace(v) == "" {
				continue
			}
			msg := s.checkFilter(ctx, filterFromValue(field, v))
			switch {
			case msg == "":
				kept = append(kept, v)
			case req.StrictFilters:
				return nil, &FilterError{Field: field, Value: v, Message: msg}
			default:
				notices = append(notices, Notice{Code: NoticeInvalidFilter, Message: msg + " The filter was left out."})
			}
		}
		if len(kept) != len(req.Filters[field]) {
			filters := maps.Clone(req.Filters)
			if len(kept) == 0 {
				delete(filters, field)
			} else {
				filters[field] = kept
			}
			req.Filters = filters
		}
	}
	walkFilters(node, func(f Filter) {
		if msg := s.checkFilter(ctx, f); msg != "" {
			notices = append(notices, Notice{Code: NoticeInvalidFilter, Message: msg})
		}
	})
	return append(notices, unknownFields(truncateRunes(req.Query, MaxQueryRunes))...), nil
}
