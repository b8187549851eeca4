package search

// WithBleveFacets makes relevance searches count facets with Bleve's own
// collector, the reference the facet columns are checked against.
func WithBleveFacets() Option {
	return func(s *Searcher) { s.bleveFacets = true }
}
