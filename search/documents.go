package search

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

var passageFields = []string{indexer.FieldBody, indexer.FieldDocument, indexer.FieldUnit, indexer.FieldOrder, indexer.FieldHeading,
	indexer.FieldText, indexer.FieldLanguage, indexer.FieldInstr, indexer.FieldArticle, indexer.FieldState,
	indexer.FieldSymbol, indexer.FieldOwnArticle, indexer.FieldKind, indexer.FieldTitle, indexer.FieldYear, indexer.FieldDate,
	indexer.FieldCase}

func passageFrom(id string, f map[string]interface{}) Passage {
	title := str(f[indexer.FieldTitle])
	if title == "" {
		title = displayTitle(str(f[indexer.FieldDocument]), str(f[indexer.FieldBody]), strs(f[indexer.FieldSymbol]))
	}
	_, citation := citationOf(f, title, nil)
	return Passage{
		Citation:   citation,
		ID:         id,
		Document:   str(f[indexer.FieldDocument]),
		Unit:       str(f[indexer.FieldUnit]),
		Order:      indexer.ParseOrder(f[indexer.FieldOrder]),
		Heading:    str(f[indexer.FieldHeading]),
		Text:       str(f[indexer.FieldText]),
		Language:   str(f[indexer.FieldLanguage]),
		Instrument: strs(f[indexer.FieldInstr]),
		Article:    strs(f[indexer.FieldArticle]),
		State:      strs(f[indexer.FieldState]),
		Symbol:     strs(f[indexer.FieldSymbol]),
		OwnArticle: str(f[indexer.FieldOwnArticle]),
		Kind:       str(f[indexer.FieldKind]),
		Title:      title,
		Year:       str(f[indexer.FieldYear]),
		Date:       str(f[indexer.FieldDate]),
	}
}

// Passages returns a document's passages in order.
func (s *Searcher) Passages(ctx context.Context, documentID string) ([]Passage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req := bleve.NewSearchRequestOptions(termQ(indexer.FieldDocument, documentID, 1), maxPassagesPerDocument, 0, false)
	req.Fields = passageFields
	req.SortBy([]string{indexer.FieldOrder, "_id"})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("document %s: %w", documentID, corpus.ErrNotFound)
	}
	out := make([]Passage, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = passageFrom(h.ID, h.Fields)
	}
	return out, nil
}

// Passage returns one passage by id ("cat#art-3").
func (s *Searcher) Passage(ctx context.Context, id string) (*Passage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = passageFields
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("passage %s: %w", id, corpus.ErrNotFound)
	}
	p := passageFrom(res.Hits[0].ID, res.Hits[0].Fields)
	return &p, nil
}

// Provision returns the passage that is the given provision ("CAT 3"),
// preferring the catalog language's text over translations.
func (s *Searcher) Provision(ctx context.Context, article string) (*Passage, error) {
	article = NormalizeFilter(FilterArticle, article)
	if article == "" {
		return nil, fmt.Errorf("provision %q: %w", article, corpus.ErrNotFound)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req := bleve.NewSearchRequestOptions(termQ(indexer.FieldOwnArticle, article, 1), 20, 0, false)
	req.Fields = passageFields
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	var best *Passage
	for _, h := range res.Hits {
		p := passageFrom(h.ID, h.Fields)
		// The original text, not a translation: English before others, and
		// units without a language prefix before prefixed ones.
		if best == nil || provisionPreference(&p) < provisionPreference(best) {
			best = &p
		}
	}
	if best == nil {
		return nil, fmt.Errorf("provision %s: %w", article, corpus.ErrNotFound)
	}
	return best, nil
}

func provisionPreference(p *Passage) int {
	score := 0
	if p.Language != "en" {
		score += 2
	}
	if len(p.Unit) > 3 && p.Unit[2] == '-' && p.Unit[:3] != "art" {
		score += 4 // nl-art-3: a translation
	}
	return score
}

// CitedBy lists the passages whose article facet includes article, other
// than the provision itself, grouped by document in document order.
func (s *Searcher) CitedBy(ctx context.Context, article string, limit int) (*CitedBy, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	article = NormalizeFilter(FilterArticle, article)
	if limit <= 0 || limit > MaxWindow {
		limit = 1000
	}
	bq := query.NewBooleanQuery(nil, nil, nil)
	bq.AddMust(termQ(indexer.FieldArticle, article, 1))
	bq.AddMustNot(termQ(indexer.FieldOwnArticle, article, 1))
	req := bleve.NewSearchRequestOptions(bq, limit, 0, false)
	req.Fields = []string{indexer.FieldDocument, indexer.FieldTitle, indexer.FieldKind, indexer.FieldTier, indexer.FieldOrder,
		indexer.FieldBody, indexer.FieldSymbol, indexer.FieldUnit}
	req.SortBy([]string{indexer.FieldDocument, indexer.FieldOrder})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	out := &CitedBy{Article: article, Total: res.Total, Documents: []CitingSource{}}
	// A translation of a citing passage ("nl-art-30" beside "art-30" in
	// one document) is not listed again: the original stands for both.
	// Total still counts every passage, as the article filter does.
	cites := map[string]bool{} // document and unit of each citing passage
	for _, h := range res.Hits {
		cites[str(h.Fields[indexer.FieldDocument])+"#"+str(h.Fields[indexer.FieldUnit])] = true
	}
	byDoc := map[string]int{}
	tiers := map[string]string{}
	for _, h := range res.Hits {
		doc, unit := str(h.Fields[indexer.FieldDocument]), str(h.Fields[indexer.FieldUnit])
		if isTranslation(unit) && cites[doc+"#"+unit[3:]] {
			continue
		}
		i, ok := byDoc[doc]
		if !ok {
			i = len(out.Documents)
			byDoc[doc] = i
			tiers[doc] = str(h.Fields[indexer.FieldTier])
			title := str(h.Fields[indexer.FieldTitle])
			if title == "" {
				title = displayTitle(doc, str(h.Fields[indexer.FieldBody]), strs(h.Fields[indexer.FieldSymbol]))
			}
			out.Documents = append(out.Documents, CitingSource{Document: doc, Title: title, Kind: str(h.Fields[indexer.FieldKind])})
		}
		out.Documents[i].Passages = append(out.Documents[i].Passages, h.ID)
	}
	// Authoritative interpretation first, then findings, each by id.
	sort.SliceStable(out.Documents, func(i, j int) bool {
		return tierRank[tiers[out.Documents[i].Document]] < tierRank[tiers[out.Documents[j].Document]]
	})
	return out, nil
}

// DocumentInfo is what the index holds about a document as a whole: its
// catalog fields as indexed (the derived kind and year included) and a
// decision's case metadata.
type DocumentInfo struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Kind     string       `json:"kind,omitempty"`
	Symbol   string       `json:"symbol,omitempty"`
	Date     string       `json:"date,omitempty"`
	Year     int          `json:"year,omitempty"`
	Language string       `json:"language,omitempty"`
	Case     *corpus.Case `json:"case,omitempty"`
}

var documentInfoFields = []string{indexer.FieldDocument, indexer.FieldTitle, indexer.FieldKind, indexer.FieldSymbol,
	indexer.FieldDate, indexer.FieldYear, indexer.FieldLanguage, indexer.FieldBody, indexer.FieldCase}

func documentInfoFrom(f map[string]interface{}) DocumentInfo {
	d := DocumentInfo{
		ID:       str(f[indexer.FieldDocument]),
		Title:    str(f[indexer.FieldTitle]),
		Kind:     str(f[indexer.FieldKind]),
		Date:     str(f[indexer.FieldDate]),
		Language: str(f[indexer.FieldLanguage]),
	}
	syms := strs(f[indexer.FieldSymbol])
	if len(syms) > 0 && d.Kind != corpus.KindArticle {
		d.Symbol = syms[0] // the document's own symbol comes first; an article has none
	}
	if d.Title == "" {
		d.Title = displayTitle(d.ID, str(f[indexer.FieldBody]), syms)
	}
	d.Year, _ = strconv.Atoi(str(f[indexer.FieldYear]))
	d.Case = caseFrom(f[indexer.FieldCase])
	return d
}

// caseFrom reads a stored case (JSON), or nil.
func caseFrom(v interface{}) *corpus.Case {
	s := str(v)
	if s == "" {
		return nil
	}
	var c corpus.Case
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil
	}
	return &c
}

// DocumentInfo returns what the index holds about one document
// (corpus.ErrNotFound if it has no passages).
func (s *Searcher) DocumentInfo(ctx context.Context, documentID string) (*DocumentInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	bq := query.NewConjunctionQuery([]query.Query{termQ(indexer.FieldDocument, documentID, 1),
		termQ(indexer.FieldOrder, indexer.OrderKey(0), 1)})
	req := bleve.NewSearchRequestOptions(bq, 1, 0, false)
	req.Fields = documentInfoFields
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("document %s: %w", documentID, corpus.ErrNotFound)
	}
	d := documentInfoFrom(res.Hits[0].Fields)
	return &d, nil
}

// DocumentsOfKind returns what the index holds about every document of a
// kind ("decision"), by id.
func (s *Searcher) DocumentsOfKind(ctx context.Context, kind string) ([]DocumentInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	bq := query.NewConjunctionQuery([]query.Query{termQ(indexer.FieldKind, kind, 1),
		termQ(indexer.FieldOrder, indexer.OrderKey(0), 1)})
	req := bleve.NewSearchRequestOptions(bq, MaxWindow, 0, false)
	req.Fields = documentInfoFields
	req.SortBy([]string{indexer.FieldDocument})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	out := make([]DocumentInfo, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = documentInfoFrom(h.Fields)
	}
	return out, nil
}

// citationOf is a stored passage's case and citation. queryArticles are
// the provisions a query named: "ACHR 22(8)" makes the citation of
// achr#art-22 name paragraph 8.
func citationOf(f map[string]interface{}, title string, queryArticles []string) (*corpus.Case, string) {
	c := caseFrom(f[indexer.FieldCase])
	own := str(f[indexer.FieldOwnArticle])
	src := corpus.CiteSource{
		Kind:       str(f[indexer.FieldKind]),
		Title:      title,
		Body:       str(f[indexer.FieldBody]),
		Unit:       str(f[indexer.FieldUnit]),
		OwnArticle: own,
		Case:       c,
	}
	if syms := strs(f[indexer.FieldSymbol]); len(syms) > 0 && src.Kind != corpus.KindArticle {
		src.Symbol = syms[0]
	}
	src.Year, _ = strconv.Atoi(str(f[indexer.FieldYear]))
	for _, a := range queryArticles {
		if own != "" && strings.HasPrefix(a, own+"(") && strings.HasSuffix(a, ")") {
			src.Paragraph = a[len(own)+1 : len(a)-1]
			break
		}
	}
	return c, corpus.Citation(src)
}

// lookup returns the first passages of the decisions a query names by
// case name, communication number or symbol (corpus.LookupKeys), within
// the request's filters, by document id.
func (s *Searcher) lookup(ctx context.Context, q string, filter query.Query) ([]string, error) {
	keys := corpus.LookupKeys(q)
	if len(keys) == 0 {
		return nil, nil
	}
	var any []query.Query
	for _, k := range keys {
		any = append(any, termQ(indexer.FieldCaseKey, k, 1))
	}
	var qq query.Query = query.NewDisjunctionQuery(any)
	if filter != nil {
		qq = query.NewConjunctionQuery([]query.Query{qq, filter})
	}
	req := bleve.NewSearchRequestOptions(qq, maxLookups, 0, false)
	req.SortBy([]string{indexer.FieldDocument})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// maxLookups bounds the decisions one lookup opens on (a surname several
// complainants share).
const maxLookups = 20

// withLookups puts the passages a lookup found first on the first page of
// a relevance search, above everything else the query matches (the
// decisions citing the one named), keeping the page's size.
func withLookups(page []scored, found []string, size int) []scored {
	if len(found) == 0 {
		return page
	}
	top := 0.0
	if len(page) > 0 {
		top = page[0].score
	}
	out := make([]scored, 0, len(page)+len(found))
	seen := map[string]bool{}
	for i, id := range found {
		out = append(out, scored{id: id, score: top + float64(len(found)-i)})
		seen[id] = true
	}
	for _, p := range page {
		if !seen[p.id] {
			out = append(out, p)
		}
	}
	if len(out) > size {
		out = out[:size]
	}
	return out
}
