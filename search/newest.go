package search

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// NewDocument is a document of Newest: when it entered the library and
// how many of its passages match.
type NewDocument struct {
	ID      string
	Entered time.Time // zero when the index does not know
	Matches int
}

// newestPage is how many passages one step of the Newest walk reads.
const newestPage = 200

// newestSort orders passages by the time their document entered the
// library, the newest first, then by document and position: a total
// order in which each document's passages are contiguous.
var newestSort = []string{"-" + schema.FieldEntered, schema.FieldDocument, schema.FieldOrder}

// afterDocument is an order key above every position's (OrderKey writes
// digits): search_after with it leaps over the rest of a document.
const afterDocument = "~"

// Newest returns the n documents with a passage matching req's query and
// filters that entered the library last, newest first (then by id), with
// their counts of matching passages. The index sorts them: the walk reads
// the matches in newestSort's order and leaps over the rest of each
// document it has listed, so it reads about n pages however many
// documents match.
func (s *Searcher) Newest(ctx context.Context, req Request, n int) ([]NewDocument, error) {
	req.Page, req.Size, req.Cursor = 1, 1, ""
	if err := validate(&req); err != nil {
		return nil, err
	}
	if n <= 0 || n > MaxSize {
		return nil, fmt.Errorf("%w: between 1 and %d documents", corpus.ErrInvalid, MaxSize)
	}
	if err := s.admit(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.slots }()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	p := s.plan(req)
	var out []NewDocument
	var after []string
	for len(out) < n {
		sreq := bleve.NewSearchRequestOptions(p.query, newestPage, 0, false)
		sreq.SortBy(newestSort)
		sreq.SearchAfter = after
		res, err := s.idx.SearchInContext(ctx, sreq)
		if err != nil {
			return nil, searchError(err)
		}
		for _, h := range res.Hits {
			if len(h.Sort) != len(newestSort) {
				continue
			}
			doc := h.Sort[1]
			if len(out) > 0 && out[len(out)-1].ID == doc {
				continue
			}
			d := NewDocument{ID: doc}
			d.Entered, _ = schema.ParseEntered(h.Sort[0])
			out = append(out, d)
			if len(out) == n {
				break
			}
		}
		if len(res.Hits) < newestPage || len(out) == n {
			break
		}
		last := res.Hits[len(res.Hits)-1].Sort
		after = []string{last[0], last[1], afterDocument}
	}
	if len(out) == 0 {
		return out, nil
	}
	// Their matching passages, counted in one search.
	ids := make([]query.Query, len(out))
	for i, d := range out {
		ids[i] = termQ(schema.FieldDocument, d.ID, 1)
	}
	sreq := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{p.query, query.NewDisjunctionQuery(ids)}), 0, 0, false)
	sreq.AddFacet(FilterDocument, bleve.NewFacetRequest(schema.FieldDocument, len(out)))
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	counts := map[string]int{}
	for _, fv := range facetValues(res, []string{FilterDocument})[FilterDocument] {
		counts[fv.Value] = fv.Count
	}
	for i := range out {
		out[i].Matches = counts[out[i].ID]
	}
	return out, nil
}
