package indexer

import (
	"context"
	"fmt"

	"github.com/hrsearch/hrsearch/corpus"
)

// URLFetcher fetches a document by URL; *Fetcher is one. Tests may use a
// fake.
type URLFetcher interface {
	Fetch(ctx context.Context, url string, opt FetchOptions) (*Fetched, error)
}

// fetchEntry fetches a catalog entry that has a url and no file, as the
// crawler would: conditionally, when the store holds an earlier copy with
// validators. A 304 answer returns the stored bytes and provenance. format
// is what the response said the document is, for an entry that names none.
func (ing *Ingester) fetchEntry(ctx context.Context, e *corpus.Entry) (raw []byte, prov Provenance, format string, err error) {
	var opt FetchOptions
	old, _ := ing.Store.Get(e.ID)
	if old != nil && old.Source == e.URL {
		opt.ETag, opt.Modified = old.ETag, old.Modified
	}
	f, err := ing.Fetcher.Fetch(ctx, e.URL, opt)
	if err != nil {
		return nil, Provenance{}, "", fmt.Errorf("fetching %s: %w", e.ID, err)
	}
	if f.NotModified {
		if old == nil {
			return nil, Provenance{}, "", fmt.Errorf("fetching %s: 304 Not Modified without a stored copy", e.ID)
		}
		raw, err := ing.Store.Raw(old)
		if err != nil {
			return nil, Provenance{}, "", err
		}
		return raw, old.Provenance, old.Entry.Format, nil
	}
	prov = fetchedProvenance(f)
	return f.Raw, prov, f.Format, nil
}

// fetchedProvenance is the provenance of a fetched document. The store
// keeps the bytes as sent and ContentType as the server said it, so that
// the text is decoded the same way whenever it is read again.
func fetchedProvenance(f *Fetched) Provenance {
	ct := f.ContentType
	return Provenance{
		Source:      f.URL,
		FinalURL:    f.FinalURL,
		FetchedAt:   f.FetchedAt,
		Status:      f.Status,
		ContentType: ct,
		ETag:        f.ETag,
		Modified:    f.Modified,
	}
}
