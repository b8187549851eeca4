package web

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// onlyParams refuses parameters (of a query string or a form) outside
// allowed, naming them: on a write, a misspelt parameter (stattes=FR) is
// a 400, never silently dropped.
func onlyParams(v url.Values, allowed ...string) error {
	var unknown []string
	for k := range v {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	const maxNamed = 5
	named := make([]string, 0, maxNamed)
	for _, k := range unknown[:min(len(unknown), maxNamed)] {
		named = append(named, strconv.Quote(truncate(k, 40)))
	}
	msg := "Unknown parameter"
	if len(unknown) > 1 {
		msg += "s"
	}
	msg += " " + strings.Join(named, ", ")
	if len(unknown) > maxNamed {
		msg += " and " + strconv.Itoa(len(unknown)-maxNamed) + " more"
	}
	if len(allowed) == 0 {
		return errBadRequest("%s: this address takes no parameters.", msg)
	}
	return errBadRequest("%s: this address takes %s.", msg, strings.Join(allowed, ", "))
}
