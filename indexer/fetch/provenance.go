package fetch

import "github.com/hrsearch/hrsearch/indexer/store"

// Provenance is the provenance of a fetched document, as the store keeps it. The store
// keeps the bytes as sent and ContentType as the server said it, so that
// the text is decoded the same way whenever it is read again.
func (f *Fetched) Provenance() store.Provenance {
	ct := f.ContentType
	return store.Provenance{
		Source:      f.URL,
		FinalURL:    f.FinalURL,
		FetchedAt:   f.FetchedAt,
		Status:      f.Status,
		ContentType: ct,
		ETag:        f.ETag,
		Modified:    f.Modified,
	}
}
