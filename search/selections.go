package search

import (
	"maps"
	"slices"
	"strings"
)

// selection is a request's filter on one facet field that the walk can
// check on a match's column: values (normalised as the index holds them),
// or year ranges.
type selection struct {
	field  string
	values []string
	ranges [][2]string // year ranges, inclusive; nil for values
}

func (s selection) inRange(year string) bool {
	for _, r := range s.ranges {
		if year >= r[0] && year <= r[1] {
			return true
		}
	}
	return false
}

// selections splits a request's filters into those the walk checks on the
// columns (the filters of the facets asked for, but an article's
// paragraph, which also means its article's own passage) and the rest.
func selections(filters map[string][]string, facets []string) (sel []selection, rest map[string][]string) {
	rest = map[string][]string{}
	for _, field := range slices.Sorted(maps.Keys(filters)) {
		vals := filters[field]
		s := selection{field: field}
		ok := slices.Contains(facets, field)
		for _, v := range vals {
			if !ok {
				break
			}
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			f := filterFromValue(field, v)
			switch {
			case f.Value == "" && field == FilterYear:
				lo, hi := strings.TrimSpace(f.From), strings.TrimSpace(f.To)
				if lo == "" {
					lo = "0000"
				}
				if hi == "" {
					hi = "9999"
				}
				if lo > hi {
					lo, hi = hi, lo
				}
				s.ranges = append(s.ranges, [2]string{lo, hi})
			case field == FilterYear:
				s.ranges = append(s.ranges, [2]string{f.Value, f.Value})
			default:
				n := NormalizeFilter(field, f.Value)
				if field == FilterArticle && strings.Contains(n, "(") {
					ok = false
				}
				s.values = append(s.values, n)
			}
		}
		if ok && (len(s.values) > 0 || len(s.ranges) > 0) {
			sel = append(sel, s)
		} else {
			rest[field] = vals
		}
	}
	return sel, rest
}
