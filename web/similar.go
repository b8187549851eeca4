package web

// Near-duplicates in search results: with similar=collapse, a result
// whose document is a near-duplicate of the document of a result above
// it on the page (a republication, reworded or paginated differently;
// see the library's signatures) is folded into that result — unless both
// bear their own, different UN symbols (two decisions discontinuing two
// cases read alike and are two documents), which lists
// it as one of its similar versions with the share of text in common.
// Without it, the search page offers the fold when the page has such
// results. Folding works on the page's results: totals and paging stay
// those of the search.

import (
	"context"

	"github.com/hrsearch/hrsearch/search"
)

// apiSimilar is a result folded into another: a passage of a
// near-duplicate of the other's document.
type apiSimilar struct {
	ID         string  `json:"id"`
	Document   string  `json:"document"`
	Title      string  `json:"title"`
	URL        string  `json:"url"`
	Similarity float64 `json:"similarity"`
}

// similarFolds says, for documents in result order, into which earlier
// result each is folded (-1: none) and with what similarity. Later
// results of a folded document fold into the same one; results of one
// document are never folded into each other.
func (s *server) similarFolds(ctx context.Context, docs []string) (into []int, sim []float64) {
	into, sim = make([]int, len(docs)), make([]float64, len(docs))
	for i := range into {
		into[i] = -1
	}
	var df DuplicateFinder
	if s.lib != nil {
		df = s.duplicateFinder()
	}
	if df == nil {
		return into, sim
	}
	first := map[string]int{}
	for i, d := range docs {
		if j, seen := first[d]; seen {
			into[i], sim[i] = into[j], sim[j]
			continue
		}
		first[d] = i
		near, err := df.NearDuplicates(ctx, d)
		if err != nil {
			continue // unfolded: the results stand as they are
		}
		for _, n := range near {
			if n.Distinct {
				continue // two documents with their own symbols: both stand
			}
			if k, ok := first[n.ID]; ok && n.ID != d {
				if into[k] >= 0 {
					k = into[k]
				}
				into[i], sim[i] = k, roundSimilarity(n.Similarity)
				break
			}
		}
	}
	return into, sim
}

// foldHits folds the hits of near-duplicates into the hit they are like:
// the hits kept, and for each of them (by index in kept) those folded in.
func (s *server) foldHits(ctx context.Context, hits []search.Hit) (kept []search.Hit, folded map[int][]apiSimilar) {
	docs := make([]string, len(hits))
	for i, h := range hits {
		docs[i] = h.Document
	}
	into, sim := s.similarFolds(ctx, docs)
	at := make([]int, len(hits)) // index of each kept hit in kept
	folded = map[int][]apiSimilar{}
	for i, h := range hits {
		if into[i] < 0 {
			at[i] = len(kept)
			kept = append(kept, h)
			continue
		}
		k := at[into[i]]
		folded[k] = append(folded[k], apiSimilar{ID: h.ID, Document: h.Document, Title: h.Title, URL: docURL(h.Document, h.Unit), Similarity: sim[i]})
	}
	return kept, folded
}

// countFoldable is how many of the hits similar=collapse would fold.
func (s *server) countFoldable(ctx context.Context, hits []search.Hit) int {
	docs := make([]string, len(hits))
	for i, h := range hits {
		docs[i] = h.Document
	}
	into, _ := s.similarFolds(ctx, docs)
	n := 0
	for _, k := range into {
		if k >= 0 {
			n++
		}
	}
	return n
}
