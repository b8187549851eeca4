package search

// WithBleveCollector makes relevance searches collect with Bleve, the
// reference hrsearch's own walk over the matches is checked against.
func WithBleveCollector() Option {
	return func(s *Searcher) { s.bleveCollector = true }
}

// SetCitedByBatch makes CitedBy read its citing passages n at a time, so a
// test sees the list page on; the returned function restores the batch.
func SetCitedByBatch(n int) func() {
	old := citedByBatch
	citedByBatch = n
	return func() { citedByBatch = old }
}
