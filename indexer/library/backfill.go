package library

import (
	"context"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
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
	ids, err := l.store.IDs()
	if err != nil {
		return 0, err
	}
	made := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return made, err
		}
		var sig Signature
		if ok, _ := l.store.Signature(id, &sig); ok && sig.Version == signatureVersion {
			continue
		}
		doc, err := l.indexedText(ctx, id)
		if err != nil {
			return made, err
		}
		unlock := l.locks.lock(id)
		if _, err := l.store.Get(id); err == nil {
			if s, ok := SignatureOf(doc); ok {
				if err := l.store.PutSignature(id, &s); err == nil {
					made++
					l.signatures().put(id, &s)
				}
			}
		}
		unlock()
	}
	return made, nil
}

// indexedText is a document's passages as the index stores them, in
// document order (text only).
func (l *Library) indexedText(ctx context.Context, id string) (*corpus.Document, error) {
	q := bleve.NewTermQuery(id)
	q.SetField(schema.FieldDocument)
	req := bleve.NewSearchRequestOptions(q, maxBackfillPassages, 0, false)
	req.Fields = []string{schema.FieldText}
	req.SortBy([]string{schema.FieldOrder})
	res, err := l.index.Bleve().SearchInContext(ctx, req)
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
