package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
)

// singlePhrase reports whether the query is one phrase, which is its own
// proximity clause.
func singlePhrase(nodes, required []Node) bool {
	all := append(slices.Clone(nodes), required...)
	if len(all) != 1 {
		return false
	}
	t, ok := all[0].(Term)
	return ok && t.Phrase
}

// termWords lists the words of the text nodes, in order.
func termWords(nodes []Node) []string {
	var out []string
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case Term:
			out = append(out, strings.Fields(n.Text)...)
		case Must:
			walk(n.Child)
		case And:
			for _, c := range n.Children {
				walk(c)
			}
		case Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// filterOnly reports whether n holds filters and nothing else.
func filterOnly(n Node) bool {
	switch n := n.(type) {
	case Filter:
		return true
	case Not:
		return filterOnly(n.Child)
	case Must:
		return filterOnly(n.Child)
	case And:
		for _, c := range n.Children {
			if !filterOnly(c) {
				return false
			}
		}
		return len(n.Children) > 0
	case Or:
		for _, c := range n.Children {
			if !filterOnly(c) {
				return false
			}
		}
		return len(n.Children) > 0
	}
	return false
}

// filterNodeQuery turns a filter-only node into an unscored filter.
func filterNodeQuery(n Node) query.Query {
	switch n := n.(type) {
	case Filter:
		return filterQuery([]Filter{n})
	case Not:
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{filterNodeQuery(n.Child)})
	case Must:
		return filterNodeQuery(n.Child)
	case And:
		var qs []query.Query
		for _, c := range n.Children {
			qs = append(qs, filterNodeQuery(c))
		}
		return query.NewConjunctionQuery(qs)
	case Or:
		var qs []query.Query
		for _, c := range n.Children {
			qs = append(qs, filterNodeQuery(c))
		}
		return query.NewDisjunctionQuery(qs)
	}
	return query.NewMatchAllQuery()
}

// isPhrase reports whether n is a quoted phrase.
func isPhrase(n Node) bool {
	t, ok := n.(Term)
	return ok && t.Phrase
}
