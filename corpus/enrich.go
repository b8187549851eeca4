package corpus

// Enrich fills each passage's facet values (instrument, article, state,
// symbol). PLACEHOLDER: replaced by the extraction work.
func Enrich(doc *Document) {
	for i := range doc.Passages {
		p := &doc.Passages[i]
		if doc.Instrument != "" {
			p.Instruments = []string{doc.Instrument}
		}
		p.States = append([]string(nil), doc.States...)
	}
}
