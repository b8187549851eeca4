package library

import (
	"context"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// maxBackfillPassages bounds the passages one document's signature is
// read from.
const maxBackfillPassages = 50_000

// BackfillSignatures gives a signature to every stored document that has
// none (documents a catalog import or a crawl brought, which no librarian
// has touched), reading their passages' text from the index, so that
// near-duplicates are found across the whole library. It stops when ctx
// is done and returns how many it made.
func (l *Library) BackfillSignatures(ctx context.Context) (int, error) {
	return backfill(ctx, l.store, l.index, l.locks.lock, func(id string, s *Signature) { l.signatures().put(id, s) })
}

// SignStored is BackfillSignatures for a process that owns the data
// directory without a Library (a crawl, which compares what it finds with
// the library's signatures).
func SignStored(ctx context.Context, st *store.Store, ix *indexer.Index) (int, error) {
	return backfill(ctx, st, ix, func(string) func() { return func() {} }, func(string, *Signature) {})
}

func backfill(ctx context.Context, st *store.Store, ix *indexer.Index, lock func(string) func(), made func(string, *Signature)) (int, error) {
	ids, err := st.IDs()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var sig Signature
		if ok, _ := st.Signature(id, &sig); ok && sig.Version == signatureVersion {
			continue
		}
		doc, err := indexedText(ctx, ix, id)
		if err != nil {
			return n, err
		}
		unlock := lock(id)
		if _, err := st.Get(id); err == nil {
			if s, ok := SignatureOf(doc); ok {
				if err := st.PutSignature(id, &s); err == nil {
					n++
					made(id, &s)
				}
			}
		}
		unlock()
	}
	return n, nil
}

// indexedText is a document's passages as the index stores them, in
// document order (text only).
func (l *Library) indexedText(ctx context.Context, id string) (*corpus.Document, error) {
	return indexedText(ctx, l.index, id)
}

func indexedText(ctx context.Context, ix *indexer.Index, id string) (*corpus.Document, error) {
	q := bleve.NewTermQuery(id)
	q.SetField(schema.FieldDocument)
	req := bleve.NewSearchRequestOptions(q, maxBackfillPassages, 0, false)
	req.Fields = []string{schema.FieldText}
	req.SortBy([]string{schema.FieldOrder})
	res, err := ix.Bleve().SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	doc := &corpus.Document{}
	for _, h := range res.Hits {
		if t, ok := h.Fields[schema.FieldText].(string); ok {
			doc.Passages = append(doc.Passages, corpus.Passage{Text: t})
		}
	}
	return doc, nil
}
