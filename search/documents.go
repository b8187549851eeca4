package search

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

var passageFields = []string{schema.FieldBody, schema.FieldDocument, schema.FieldUnit, schema.FieldOrder, schema.FieldHeading,
	schema.FieldText, schema.FieldLanguage, schema.FieldInstr, schema.FieldArticle, schema.FieldState,
	schema.FieldSymbol, schema.FieldOwnArticle, schema.FieldKind, schema.FieldTitle, schema.FieldYear, schema.FieldDate}

func passageFrom(id string, f map[string]interface{}) Passage {
	title := str(f[schema.FieldTitle])
	if title == "" {
		title = displayTitle(str(f[schema.FieldDocument]), str(f[schema.FieldBody]), strs(f[schema.FieldSymbol]))
	}
	return Passage{
		ID:         id,
		Document:   str(f[schema.FieldDocument]),
		Unit:       str(f[schema.FieldUnit]),
		Order:      schema.ParseOrder(f[schema.FieldOrder]),
		Heading:    str(f[schema.FieldHeading]),
		Text:       str(f[schema.FieldText]),
		Language:   str(f[schema.FieldLanguage]),
		Instrument: strs(f[schema.FieldInstr]),
		Article:    strs(f[schema.FieldArticle]),
		State:      strs(f[schema.FieldState]),
		Symbol:     strs(f[schema.FieldSymbol]),
		OwnArticle: str(f[schema.FieldOwnArticle]),
		Kind:       str(f[schema.FieldKind]),
		Title:      title,
		Year:       str(f[schema.FieldYear]),
		Date:       str(f[schema.FieldDate]),
	}
}

// Passages returns a document's passages in order.
func (s *Searcher) Passages(ctx context.Context, documentID string) ([]Passage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req := bleve.NewSearchRequestOptions(termQ(schema.FieldDocument, documentID, 1), maxPassagesPerDocument, 0, false)
	req.Fields = passageFields
	req.SortBy([]string{schema.FieldOrder, "_id"})
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
	req := bleve.NewSearchRequestOptions(termQ(schema.FieldOwnArticle, article, 1), 20, 0, false)
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
	bq.AddMust(termQ(schema.FieldArticle, article, 1))
	bq.AddMustNot(termQ(schema.FieldOwnArticle, article, 1))
	req := bleve.NewSearchRequestOptions(bq, limit, 0, false)
	req.Fields = []string{schema.FieldDocument, schema.FieldTitle, schema.FieldKind, schema.FieldTier, schema.FieldOrder,
		schema.FieldBody, schema.FieldSymbol, schema.FieldUnit}
	req.SortBy([]string{schema.FieldDocument, schema.FieldOrder})
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
		cites[str(h.Fields[schema.FieldDocument])+"#"+str(h.Fields[schema.FieldUnit])] = true
	}
	byDoc := map[string]int{}
	tiers := map[string]string{}
	for _, h := range res.Hits {
		doc, unit := str(h.Fields[schema.FieldDocument]), str(h.Fields[schema.FieldUnit])
		if isTranslation(unit) && cites[doc+"#"+unit[3:]] {
			continue
		}
		i, ok := byDoc[doc]
		if !ok {
			i = len(out.Documents)
			byDoc[doc] = i
			tiers[doc] = str(h.Fields[schema.FieldTier])
			title := str(h.Fields[schema.FieldTitle])
			if title == "" {
				title = displayTitle(doc, str(h.Fields[schema.FieldBody]), strs(h.Fields[schema.FieldSymbol]))
			}
			out.Documents = append(out.Documents, CitingSource{Document: doc, Title: title, Kind: str(h.Fields[schema.FieldKind])})
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

var documentInfoFields = []string{schema.FieldDocument, schema.FieldTitle, schema.FieldKind, schema.FieldSymbol,
	schema.FieldDate, schema.FieldYear, schema.FieldLanguage, schema.FieldBody, schema.FieldCase}

func documentInfoFrom(f map[string]interface{}) DocumentInfo {
	d := DocumentInfo{
		ID:       str(f[schema.FieldDocument]),
		Title:    str(f[schema.FieldTitle]),
		Kind:     str(f[schema.FieldKind]),
		Date:     str(f[schema.FieldDate]),
		Language: str(f[schema.FieldLanguage]),
	}
	syms := strs(f[schema.FieldSymbol])
	if len(syms) > 0 && d.Kind != corpus.KindArticle {
		d.Symbol = syms[0] // the document's own symbol comes first; an article has none
	}
	if d.Title == "" {
		d.Title = displayTitle(d.ID, str(f[schema.FieldBody]), syms)
	}
	d.Year, _ = strconv.Atoi(str(f[schema.FieldYear]))
	d.Case = caseFrom(f[schema.FieldCase])
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
	bq := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldDocument, documentID, 1),
		termQ(schema.FieldOrder, schema.OrderKey(0), 1)})
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
	bq := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldKind, kind, 1),
		termQ(schema.FieldOrder, schema.OrderKey(0), 1)})
	req := bleve.NewSearchRequestOptions(bq, MaxWindow, 0, false)
	req.Fields = documentInfoFields
	req.SortBy([]string{schema.FieldDocument})
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
