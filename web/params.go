package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

const (
	defaultSize     = 10
	maxSize         = 100
	maxFilterValues = 20  // per field
	maxFilterLength = 200 // bytes per value
	facetTop        = 8   // facet values shown on the search page
	facetAll        = 1000
)

// searchState is everything a search page shows, as its URL carries it.
type searchState struct {
	Q       string
	Filters map[string][]string // field → values, in the order given
	Page    int
	Size    int
	Sort    string
	// Exact searches the words as typed: no stemming, no lexicon
	// equivalents (exact=1).
	Exact bool
	// FoldSimilar folds near-duplicate documents' results into the first
	// result of the document they are like (similar=collapse).
	FoldSimilar bool
}

// queryValues parses the request's query string. r.URL.Query() silently
// drops every pair it cannot decode (a stray %, %ZZ, a ;), which turned
// q=torture% into no query at all and size=%ZZ into the default; here they
// are a 400 that says which parameter is at fault.
func queryValues(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, queryStringError(r.URL.RawQuery)
	}
	return v, nil
}

// queryStringError explains why url.ParseQuery refused raw.
func queryStringError(raw string) error {
	for part := range strings.SplitSeq(raw, "&") {
		if strings.Contains(part, ";") {
			return errBadRequest("The address has a ; in its query string: separate parameters with & and write a ; in a value as %%3B.")
		}
		key, val, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(key)
		if err == nil {
			_, err = url.QueryUnescape(val)
		}
		var esc url.EscapeError
		if !errors.As(err, &esc) {
			continue
		}
		what := "A parameter"
		if knownParam(name) {
			what = "The " + name + " parameter"
		}
		return errBadRequest("%s has a %% that is not followed by two hexadecimal digits (%q): write a literal %% as %%25.", what, string(esc))
	}
	return errBadRequest("The address's query string is not valid.")
}

// knownParam reports whether name is a parameter some handler reads, and so
// may be named in an error message.
func knownParam(name string) bool {
	switch name {
	case "q", "page", "size", "sort", "dry_run", "exact", "similar":
		return true
	}
	return slices.Contains(search.FilterNames, name)
}

// parseSearchState reads and validates the search parameters.
func parseSearchState(v url.Values) (searchState, error) {
	st := searchState{Page: 1, Size: defaultSize, Filters: map[string][]string{}}
	q := strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(q) {
		return st, errBadRequest("The query is not valid UTF-8.")
	}
	// Up to search.MaxQueryRunes characters are searched (32 words of
	// them, with a notice when more are left out); a longer query is
	// refused (RELIABILITY.md S4), and the page's box holds no more.
	if n := utf8.RuneCountInString(q); n > search.MaxQueryRunes {
		return st, errBadRequest("The query is %d characters long; at most %d are searched. Shorten it.", n, search.MaxQueryRunes)
	}
	st.Q = q
	switch v.Get("exact") {
	case "", "0", "false", "off":
	case "1", "true", "on":
		st.Exact = true
	default:
		return st, errBadRequest("exact must be 1 (the words as typed) or 0.")
	}
	switch v.Get("similar") {
	case "", "show":
	case "collapse":
		st.FoldSimilar = true
	default:
		return st, errBadRequest("similar must be collapse (near-duplicates folded into one result) or show.")
	}
	for _, f := range search.FilterNames {
		var vals []string
		for _, raw := range v[f] {
			val := strings.TrimSpace(raw)
			if val == "" || slices.Contains(vals, val) {
				continue
			}
			if len(val) > maxFilterLength || !utf8.ValidString(val) || strings.ContainsFunc(val, isControl) {
				return st, errBadRequest("The %s filter has a value that is not valid.", f)
			}
			vals = append(vals, val)
		}
		if len(vals) > maxFilterValues {
			return st, errBadRequest("Too many values for the %s filter (at most %d).", f, maxFilterValues)
		}
		if len(vals) > 0 {
			st.Filters[f] = vals
		}
	}
	var err error
	if st.Page, err = intParam(v, "page", 1); err != nil {
		return st, err
	}
	if st.Size, err = intParam(v, "size", defaultSize); err != nil {
		return st, err
	}
	switch {
	case st.Page < 1:
		return st, errBadRequest("page must be 1 or more.")
	case st.Size < 1 || st.Size > maxSize:
		return st, errBadRequest("size must be between 1 and %d.", maxSize)
	case st.Page*st.Size > maxResults:
		return st, errBadRequest("Only the first %d results can be paged through (page × size).", maxResults)
	}
	switch st.Sort = v.Get("sort"); st.Sort {
	case "", search.SortRelevance:
		st.Sort = search.SortRelevance
	case search.SortDate, search.SortDateAsc:
	default:
		return st, errBadRequest("sort must be relevance, date or date-asc.")
	}
	return st, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func intParam(v url.Values, name string, def int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || len(s) > 6 {
		return 0, errBadRequest("%s must be a number.", name)
	}
	return n, nil
}

// empty reports whether the state asks for nothing: no query, no filter.
func (st searchState) empty() bool { return st.Q == "" && len(st.Filters) == 0 }

// request is the search.Request for the state.
func (st searchState) request() search.Request {
	req := search.Request{Query: st.Q, Page: st.Page, Size: st.Size, Sort: st.Sort, Exact: st.Exact}
	if len(st.Filters) > 0 {
		req.Filters = make(map[string][]string, len(st.Filters))
		for k, v := range st.Filters {
			req.Filters[k] = slices.Clone(v)
		}
	}
	return req
}

func (st searchState) clone() searchState {
	c := st
	c.Filters = make(map[string][]string, len(st.Filters))
	for k, v := range st.Filters {
		c.Filters[k] = slices.Clone(v)
	}
	return c
}

// values encodes the state, leaving out defaults.
func (st searchState) values() url.Values {
	v := url.Values{}
	if st.Q != "" {
		v.Set("q", st.Q)
	}
	for _, f := range search.FilterNames {
		for _, val := range st.Filters[f] {
			v.Add(f, val)
		}
	}
	if st.Sort != "" && st.Sort != search.SortRelevance {
		v.Set("sort", st.Sort)
	}
	if st.Exact {
		v.Set("exact", "1")
	}
	if st.FoldSimilar {
		v.Set("similar", "collapse")
	}
	if st.Size != 0 && st.Size != defaultSize {
		v.Set("size", strconv.Itoa(st.Size))
	}
	if st.Page > 1 {
		v.Set("page", strconv.Itoa(st.Page))
	}
	return v
}

// url is the state's address under path ("/search", "/api/search").
func (st searchState) url(path string) string {
	if enc := st.values().Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

func (st searchState) has(field, value string) bool {
	return slices.Contains(st.Filters[field], value)
}

// with adds a filter value and goes back to page 1.
func (st searchState) with(field, value string) searchState {
	c := st.clone()
	if !c.has(field, value) {
		c.Filters[field] = append(c.Filters[field], value)
	}
	c.Page = 1
	return c
}

// without removes a filter value and goes back to page 1.
func (st searchState) without(field, value string) searchState {
	c := st.clone()
	c.Filters[field] = slices.DeleteFunc(c.Filters[field], func(s string) bool { return s == value })
	if len(c.Filters[field]) == 0 {
		delete(c.Filters, field)
	}
	c.Page = 1
	return c
}

func (st searchState) withPage(n int) searchState {
	c := st.clone()
	c.Page = n
	return c
}

// validDocumentID and splitPassageID check ids from URLs before they reach
// the search engine or the store.
func validDocumentID(id string) bool { return corpus.ValidID(id) }

func splitPassageID(id string) (doc, unit string, ok bool) {
	doc, unit, ok = strings.Cut(id, "#")
	if !ok || !validDocumentID(doc) || !validUnit(unit) {
		return "", "", false
	}
	return doc, unit, true
}

func validUnit(u string) bool {
	if u == "" || len(u) > 100 {
		return false
	}
	for i, r := range u {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case (r == '.' || r == '-' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return !strings.Contains(u, "..")
}

// pathVar reads and unescapes a path variable (the router matches the
// escaped path so that "%23" and "%2F" stay inside one segment).
func pathVar(vars map[string]string, name string) (string, error) {
	v, err := url.PathUnescape(vars[name])
	if err != nil {
		return "", errBadRequest("The address is not valid.")
	}
	return v, nil
}

// facetField validates a facet name from a URL.
func facetField(name string) (string, error) {
	if !slices.Contains(search.FacetNames, name) {
		return "", errNotFound("There is no facet of that name. Facets: " + strings.Join(search.FacetNames, ", ") + ".")
	}
	return name, nil
}

// queryOf is the query a request was made with, for the search box of an
// error page: what was typed stays there to be corrected.
func queryOf(r *http.Request) string {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || r.URL.Path != "/search" {
		return ""
	}
	q := strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(q) {
		return ""
	}
	return q
}

// filterError turns a filter value that names nothing into a 400 saying
// what is valid; other errors pass.
func filterError(err error) error {
	var fe *search.FilterError
	if errors.As(err, &fe) {
		return errBadRequest("%s", fe.Message)
	}
	return err
}
