package search

// WithBleveCollector makes relevance searches collect with Bleve, the
// reference hrsearch's own walk over the matches is checked against.
func WithBleveCollector() Option {
	return func(s *Searcher) { s.bleveCollector = true }
}
