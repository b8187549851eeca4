package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/indexer/schema"
)

// The domain ranking. Bleve's BM25 (text, heading, title, phrase and
// lexicon clauses) orders a window of candidates; rerank then applies what
// a researcher expects of a legal search engine:
//
//  1. Coverage: a passage that matches every unit of the query (a word, a
//     phrase, or a lexicon term with its equivalents) beats one matching
//     some. BM25 alone lets a passage repeating one word win.
//  2. The governing provision first: when the query is about a norm (it
//     names no state, nor a provision), the best covering articles and rules
//     (not preambles) and general comments open the results (normSlots of
//     them), above the findings and reports that quote them: a query typed
//     in one language opens on texts in that language, one article per
//     instrument before a second of any, never a translation. Tiers then
//     weigh the rest.
//  3. The query's language: "tortura" prefers Spanish passages, while the
//     lexicon still brings in English ones.
//  4. A provision the query names ("CAT article 3") comes first, before
//     the passages citing it (boosted in Bleve, confirmed here).
//  5. Diversity: the third and later passages of one document decay.
const (
	// coveredAt is the share of query units a passage must match to count
	// as covering the query.
	coveredAt = 0.66
	// partialPenalty multiplies the score of passages that do not cover.
	partialPenalty = 0.5
	// normSlots is how many provisions and general comments may open the
	// results of a norm query.
	normSlots = 6
	// lanePerDocument caps one document's passages in the lane.
	lanePerDocument = 3
	// normLane lifts those above every other score (scores are ≤ ~10).
	normLane = 100.0
	// sameLanguage multiplies passages in the query's language.
	sameLanguage = 2.0
	// ownArticle multiplies the provision the query names.
	ownArticle = 3.0
	// translation multiplies a second-language version carried in the
	// same file (cat#nl-art-3): the authentic text comes first.
	translation = 0.5
)

// isTranslation reports whether a unit is a second language's version,
// named with the language code as prefix ("nl-art-3").
func isTranslation(unit string) bool {
	return len(unit) > 3 && unit[2] == '-' && unit[0] >= 'a' && unit[0] <= 'z' && unit[1] >= 'a' && unit[1] <= 'z' &&
		!strings.HasPrefix(unit, "p-")
}

// coverage returns, for each window hit, the share of the query's units it
// matches. One query per unit, restricted to the window's ids.
func (s *Searcher) coverage(ctx context.Context, p *plan, page []scored) (map[string]float64, error) {
	cov := make(map[string]float64, len(page))
	if len(p.units) <= 1 || len(page) == 0 {
		for _, h := range page {
			cov[h.id] = 1
		}
		return cov, nil
	}
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.id
	}
	for _, h := range page { // every hit matches the required units
		cov[h.id] = float64(p.required) / float64(len(p.units))
	}
	for _, u := range p.units[p.required:] {
		q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), u})
		req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, searchError(err)
		}
		for _, h := range res.Hits {
			cov[h.ID] += 1 / float64(len(p.units))
		}
	}
	return cov, nil
}

// authoritativeWindow is how many provisions and general comments are
// always candidates, whatever their rank among all passages.
const authoritativeWindow = 200

// authoritativeSubset asks the collector for the best provisions and
// general comments.
var authoritativeSubset = subset{field: schema.FieldTier,
	values: []string{schema.TierProvision, schema.TierInterpretation}, size: authoritativeWindow}

// authoritative returns the best provisions and general comments matching
// the query, with a second search.
func (s *Searcher) authoritative(ctx context.Context, p *plan) ([]scored, error) {
	tiers := query.NewDisjunctionQuery([]query.Query{
		termQ(schema.FieldTier, schema.TierProvision, 1),
		termQ(schema.FieldTier, schema.TierInterpretation, 1),
	})
	if p.filter != nil {
		// Filters that leave no governing text (kind:decision) make the
		// second evaluation of the query pointless: a count over the
		// filters' and the tiers' postings says so cheaply.
		n, err := s.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{tiers, p.filter}), 0, 0, false))
		if err != nil {
			return nil, searchError(err)
		}
		if n.Total == 0 {
			return nil, nil
		}
	}
	bq := query.NewBooleanQuery([]query.Query{p.query}, nil, nil)
	bq.AddFilter(tiers)
	req := bleve.NewSearchRequestOptions(bq, authoritativeWindow, 0, false)
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	out := make([]scored, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, scored{id: h.ID, score: h.Score})
	}
	return out, nil
}

// maxDefiners bounds the provisions defining a query's term that open its
// results: an instrument defines a term once, and few define the same one.
const maxDefiners = 4

// definers returns the provisions that define the term p names (see
// plan.defines) and match p's query, filters included: those in page, and
// the others (their score 0: rerank puts them first in the lane, whatever
// Bleve's score of their long text).
func (s *Searcher) definers(ctx context.Context, p *plan, page []scored) ([]scored, error) {
	if len(p.defines) == 0 {
		return nil, nil
	}
	keys := make([]query.Query, len(p.defines))
	for i, k := range p.defines {
		keys[i] = termQ(schema.FieldDefines, k, 1)
	}
	// The defining passages are few: find those the filters let through,
	// then have Bleve check the query only for those outside the page
	// (every passage in it matches the query; a filter would walk every
	// match of the query).
	var q query.Query = query.NewDisjunctionQuery(keys)
	if p.filter != nil {
		q = query.NewConjunctionQuery([]query.Query{q, p.filter})
	}
	req := bleve.NewSearchRequestOptions(q, maxDefiners, 0, false)
	req.Score = "none"
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	if len(res.Hits) == 0 {
		return nil, nil
	}
	inPage := make(map[string]bool, len(page))
	for _, h := range page {
		inPage[h.id] = true
	}
	var out []scored
	var check []string
	for _, h := range res.Hits {
		if inPage[h.ID] {
			out = append(out, scored{id: h.ID})
		} else {
			check = append(check, h.ID)
		}
	}
	if len(check) == 0 {
		return out, nil
	}
	bq := query.NewBooleanQuery([]query.Query{query.NewDocIDQuery(check)}, nil, nil)
	bq.AddFilter(p.query)
	req = bleve.NewSearchRequestOptions(bq, len(check), 0, false)
	req.Score = "none"
	if res, err = s.idx.SearchInContext(ctx, req); err != nil {
		return nil, searchError(err)
	}
	for _, h := range res.Hits {
		out = append(out, scored{id: h.ID})
	}
	return out, nil
}

// rerank applies the domain signals to the window, in place. defining
// are the provisions that define the term the query names.
func rerank(page []scored, p *plan, cov map[string]float64, defining map[string]bool) {
	if len(page) == 0 {
		return
	}
	top := 0.0
	for _, h := range page {
		top = max(top, h.score)
	}
	tiers := tierWeight
	if len(p.states) > 0 {
		tiers = tierWeightFactual
	}
	normQuery := len(p.states) == 0 && len(p.articles) == 0
	for i := range page {
		h := &page[i]
		sc := h.score / top
		if w, ok := tiers[h.tier]; ok {
			sc *= w
		}
		if cov[h.id] < coveredAt-1e-9 {
			sc *= partialPenalty
		}
		if p.lang != "" && h.lang == p.lang {
			sc *= sameLanguage
		}
		if isTranslation(h.unit) && h.lang != p.lang {
			sc *= translation
		}
		for _, a := range p.articles {
			if h.own == a {
				sc *= ownArticle
			}
		}
		h.score = sc
	}
	sortScored(page)
	diversify(page)
	if normQuery {
		// The lane: covering provisions first, then covering general
		// comments, each in score order, normSlots in all.
		// Round by round, the best covering passage of each document not yet
		// taken enters, so the lane shows the provision of each instrument
		// before a second article of any; at most lanePerDocument each.
		// A query typed in one language opens on texts in that language;
		// the lexicon's cross-lingual matches follow.
		// A provision defining the term the query names opens the lane.
		lane := 0
		perDoc := map[string]int{}
		langs := []bool{false}
		if p.lang != "" {
			langs = []bool{true, false}
		}
		fits := func(h *scored, tier string, sameLang bool) bool {
			return lane < normSlots && h.tier == tier && h.score < normLane && cov[h.id] >= coveredAt-1e-9 &&
				(!sameLang || h.lang == p.lang) && (!isTranslation(h.unit) || h.lang == p.lang) &&
				(tier != schema.TierProvision || h.own != "")
		}
		enter := func(h *scored) {
			h.score = normLane + float64(normSlots-lane) // the lane keeps the order it was filled in
			lane++
			perDoc[h.doc]++
		}
		for _, tier := range []string{schema.TierProvision, schema.TierInterpretation} {
			for _, sameLang := range langs {
				for i := range page {
					if h := &page[i]; defining[h.id] && fits(h, tier, sameLang) {
						enter(h)
					}
				}
				for round := 0; round < lanePerDocument && lane < normSlots; round++ {
					taken := map[string]bool{}
					for i := range page {
						h := &page[i]
						if !fits(h, tier, sameLang) || perDoc[h.doc] != round || taken[h.doc] {
							continue
						}
						enter(h)
						taken[h.doc] = true
					}
				}
			}
		}
	}
	sortScored(page)
}
