// Package corpus is the domain of hrsearch: documents, their passages, catalog
// entries, the registries of instruments and states, reference extraction and
// segmentation. It imports neither Bleve nor net/http.
package corpus
