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
	return f.Body, prov, f.Format, nil
}

// fetchedProvenance is the provenance of a fetched document. ContentType
// describes the stored bytes: text is stored as UTF-8, so it is recorded
// with charset=utf-8, and where the server sent another charset that one is
// kept as a parameter: "text/html; charset=utf-8; x-fetched-charset=windows-1252".
func fetchedProvenance(f *Fetched) Provenance {
	ct := f.ContentType
	if f.Format != corpus.FormatPDF && f.Charset != "" {
		mt := mediaType(ct)
		if mt == "" {
			mt = map[string]string{corpus.FormatHTML: "text/html", corpus.FormatMarkdown: "text/markdown"}[f.Format]
			if mt == "" {
				mt = "text/plain"
			}
		}
		ct = mt + "; charset=utf-8"
		if f.Charset != "utf-8" {
			ct += "; x-fetched-charset=" + f.Charset
		}
	}
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
