package indexer

import (
	"context"
	"fmt"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// URLFetcher fetches a document by URL; *Fetcher is one. Tests may use a
// fake.
type URLFetcher interface {
	Fetch(ctx context.Context, url string, opt fetch.FetchOptions) (*fetch.Fetched, error)
}

// fetchEntry fetches a catalog entry that has a url and no file, as the
// crawler would: conditionally, when the store holds an earlier copy with
// validators. A 304 answer returns the stored bytes and provenance. format
// is what the response said the document is, for an entry that names none.
func (ing *Ingester) fetchEntry(ctx context.Context, e *corpus.Entry) (raw []byte, prov store.Provenance, format string, err error) {
	var opt fetch.FetchOptions
	old, _ := ing.Store.Get(e.ID)
	if old != nil && old.Source == e.URL {
		opt.ETag, opt.Modified = old.ETag, old.Modified
	}
	f, err := ing.Fetcher.Fetch(ctx, e.URL, opt)
	if err != nil {
		return nil, store.Provenance{}, "", fmt.Errorf("fetching %s: %w", e.ID, err)
	}
	if f.NotModified {
		if old == nil {
			return nil, store.Provenance{}, "", fmt.Errorf("fetching %s: 304 Not Modified without a stored copy", e.ID)
		}
		raw, err := ing.Store.Raw(old)
		if err != nil {
			return nil, store.Provenance{}, "", err
		}
		return raw, old.Provenance, old.Entry.Format, nil
	}
	prov = f.Provenance()
	return f.Raw, prov, f.Format, nil
}
