package search

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

var passageFields = []string{schema.FieldBody, schema.FieldDocument, schema.FieldUnit, schema.FieldOrder, schema.FieldHeading,
	schema.FieldText, schema.FieldLanguage, schema.FieldInstr, schema.FieldArticle, schema.FieldState,
	schema.FieldSymbol, schema.FieldOwnArticle, schema.FieldKind, schema.FieldTitle, schema.FieldYear, schema.FieldDate,
	schema.FieldCase, schema.FieldCaseName, schema.FieldSection, schema.FieldNotes, schema.FieldCites}

func passageFrom(id string, f map[string]interface{}) Passage {
	title := str(f[schema.FieldTitle])
	if title == "" {
		title = displayTitle(str(f[schema.FieldDocument]), str(f[schema.FieldBody]), strs(f[schema.FieldSymbol]))
	}
	c, citation := citationOf(f, title, nil)
	title = caseTitle(f, title, c)
	return Passage{
		Citation:   citation,
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
		Section:    str(f[schema.FieldSection]),
		Notes:      notesOf(f[schema.FieldNotes]),
		Cites:      strs(f[schema.FieldCites]),
	}
}

// notesOf reads a passage's stored footnotes (JSON); none when it has none
// or they cannot be read.
func notesOf(v interface{}) []Note {
	var notes []Note
	if s := str(v); s != "" {
		if err := json.Unmarshal([]byte(s), &notes); err != nil {
			return nil
		}
	}
	return notes
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

// Orders of a cited-by list.
const (
	CitedByDate      = "date"      // newest document first
	CitedByRelevance = "relevance" // most citing paragraphs first
)

// citedByBatch is how many citing passages one request reads; the list
// pages on (search after the last) until every one is read (a variable for
// a test of that paging).
var citedByBatch = 5000

// CitedBy lists the passages whose article facet includes article, other
// than the provision itself and its translations, grouped by document.
// Total counts the passages, TotalDocuments the documents listed; limit
// bounds the passages read (0: every one; Truncated says when more cite
// it). A translation of a citing passage in the same document
// ("nl-art-30" beside "art-30") is not listed again, and a citing document
// in another language with the same symbol as a citing original (udhr-es
// beside udhr) is listed under it, in Translations. order is CitedByDate
// (newest first, by date, else year; then the more authoritative) or
// CitedByRelevance (the documents with most citing paragraphs first, then
// the more authoritative, then the newest).
func (s *Searcher) CitedBy(ctx context.Context, article string, limit int, order string) (*CitedBy, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	article = NormalizeFilter(FilterArticle, article)
	bq := query.NewBooleanQuery(nil, nil, nil)
	bq.AddMust(termQ(schema.FieldArticle, article, 1))
	bq.AddMustNot(termQ(schema.FieldOwnArticle, article, 1))
	out := &CitedBy{Article: article, Documents: []CitingSource{}}
	return out, s.citingDocuments(ctx, bq, limit, order, out)
}

// citingDocuments fills out with the passages matching q, grouped by
// document, their translations under their originals, in order: the one
// path of every cited-by list (CitedBy, DocumentCitedBy). limit bounds the
// passages read (0: every one).
func (s *Searcher) citingDocuments(ctx context.Context, q query.Query, limit int, order string, out *CitedBy) error {
	type citing struct{ id, doc, unit, tier, when string }
	var hits []citing
	var after []string
	for limit <= 0 || len(hits) < limit {
		size := citedByBatch
		if limit > 0 {
			size = min(size, limit-len(hits))
		}
		req := bleve.NewSearchRequestOptions(q, size, 0, false)
		// The passages' document and unit, and what orders documents; titles
		// are read once per document below.
		req.Fields = []string{schema.FieldDocument, schema.FieldTier, schema.FieldUnit, schema.FieldDate, schema.FieldYear}
		req.SortBy([]string{schema.FieldDocument, schema.FieldOrder, "_id"})
		req.SearchAfter = after
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return searchError(err)
		}
		if after == nil {
			out.Total = res.Total
		}
		for _, h := range res.Hits {
			when := str(h.Fields[schema.FieldDate])
			if when == "" {
				when = str(h.Fields[schema.FieldYear])
			}
			hits = append(hits, citing{h.ID, str(h.Fields[schema.FieldDocument]), str(h.Fields[schema.FieldUnit]),
				str(h.Fields[schema.FieldTier]), when})
		}
		if len(res.Hits) < size {
			break
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
	out.Truncated = out.Total > uint64(len(hits))
	cites := map[string]bool{} // document and unit of each citing passage
	for _, h := range hits {
		cites[h.doc+"#"+h.unit] = true
	}
	byDoc := map[string]int{}
	tiers := map[string]string{}
	when := map[string]string{}
	var docs []CitingSource
	for _, h := range hits {
		if isTranslation(h.unit) && cites[h.doc+"#"+h.unit[3:]] {
			continue
		}
		i, ok := byDoc[h.doc]
		if !ok {
			i = len(docs)
			byDoc[h.doc] = i
			tiers[h.doc], when[h.doc] = h.tier, h.when
			docs = append(docs, CitingSource{Document: h.doc})
		}
		docs[i].Passages = append(docs[i].Passages, h.id)
	}
	if err := s.nameCitingDocuments(ctx, docs); err != nil {
		return err
	}
	docs = groupTranslations(docs)
	newer := func(a, b string) int { return strings.Compare(when[b], when[a]) }
	slices.SortStableFunc(docs, func(x, y CitingSource) int {
		a, b := x.Document, y.Document
		if order == CitedByRelevance {
			if c := cmp.Compare(y.paragraphs(), x.paragraphs()); c != 0 {
				return c
			}
			if c := cmp.Compare(tierRank[tiers[a]], tierRank[tiers[b]]); c != 0 {
				return c
			}
			return newer(a, b)
		}
		// Newest first; among documents of one date, the more authoritative.
		if c := newer(a, b); c != 0 {
			return c
		}
		return cmp.Compare(tierRank[tiers[a]], tierRank[tiers[b]])
	})
	out.Documents = docs
	out.TotalDocuments = len(docs)
	return nil
}

// DocumentCitedBy lists the passages of other documents that cite a
// document, grouped as CitedBy groups them (translations under their
// original, order CitedByDate or CitedByRelevance, limit as in CitedBy):
// the passages whose symbol field holds the document's UN symbol, and, for
// a decision whose case name names it alone among the decisions against
// its State party (ResolveCaseNames), the passages whose text cites it by
// that name, as a phrase, and resolves to it as a link of the document view
// would. The document and its language versions (the documents bearing
// its symbol as their own) never cite it. corpus.ErrNotFound if the
// document has no passages.
func (s *Searcher) DocumentCitedBy(ctx context.Context, documentID string, limit int, order string) (*CitedBy, error) {
	info, err := s.DocumentInfo(ctx, documentID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out := &CitedBy{Document: documentID, Documents: []CitingSource{}}
	self := []string{documentID}
	var cites []query.Query
	sym := corpus.NormalizeSymbol(info.Symbol)
	if sym != "" {
		own, err := s.ownSymbol(ctx, documentID, info.Symbol)
		if err != nil {
			return nil, err
		}
		if !own {
			sym = ""
		}
	}
	if sym != "" {
		out.Symbol = sym
		cites = append(cites, termQ(schema.FieldSymbol, sym, 1))
		versions, err := s.bearers(ctx, sym)
		if err != nil {
			return nil, err
		}
		for _, d := range versions {
			if d != documentID {
				self = append(self, d)
			}
		}
	}
	if c := info.Case; c != nil && c.Name != "" && c.Party != "" {
		ids, err := s.namedBy(ctx, documentID, c, self)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out.CaseName = c.Name
			cites = append(cites, query.NewDocIDQuery(ids))
		}
	}
	if len(cites) == 0 {
		return out, nil
	}
	bq := query.NewBooleanQuery(nil, nil, nil)
	bq.AddMust(query.NewDisjunctionQuery(cites))
	for _, d := range self {
		bq.AddMustNot(termQ(schema.FieldDocument, d, 1))
	}
	return out, s.citingDocuments(ctx, bq, limit, order, out)
}

// ownSymbol reports whether sym, the first symbol of a document's first
// passage, is the document's own, which every passage of it bears, rather
// than one that a document without a symbol of its own cites there.
func (s *Searcher) ownSymbol(ctx context.Context, doc, sym string) (bool, error) {
	count := func(q query.Query) (uint64, error) {
		res, err := s.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			return 0, searchError(err)
		}
		return res.Total, nil
	}
	all, err := count(termQ(schema.FieldDocument, doc, 1))
	if err != nil {
		return false, err
	}
	with, err := count(query.NewConjunctionQuery([]query.Query{termQ(schema.FieldDocument, doc, 1), termQ(schema.FieldSymbol, sym, 1)}))
	return err == nil && all > 0 && with == all, err
}

// bearers returns the documents whose own symbol (the first of their
// symbols, borne by all their passages) is sym: a document and its
// language versions.
func (s *Searcher) bearers(ctx context.Context, sym string) ([]string, error) {
	q := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldOrder, schema.OrderKey(0), 1), termQ(schema.FieldSymbol, sym, 1)})
	var out []string
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, citedByBatch, 0, false)
		req.Fields = []string{schema.FieldDocument, schema.FieldSymbol}
		req.SortBy([]string{schema.FieldDocument, "_id"})
		req.SearchAfter = after
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, searchError(err)
		}
		for _, h := range res.Hits {
			syms := strs(h.Fields[schema.FieldSymbol])
			if len(syms) == 0 || corpus.NormalizeSymbol(syms[0]) != sym {
				continue
			}
			doc := str(h.Fields[schema.FieldDocument])
			own, err := s.ownSymbol(ctx, doc, syms[0])
			if err != nil {
				return nil, err
			}
			if own {
				out = append(out, doc)
			}
		}
		if len(res.Hits) < citedByBatch {
			return out, nil
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
}

// namedBy returns the passages of documents other than self that cite the
// decision doc by its case name: the name as a phrase of their text
// (as written, every word in order), read as a citation
// (corpus.FindCaseMentions, the longest reading that names a decision) that
// ResolveCaseNames resolves to doc. None when the name does not name doc
// alone among the decisions against its party.
func (s *Searcher) namedBy(ctx context.Context, doc string, c *corpus.Case, self []string) ([]string, error) {
	if got, err := s.ResolveCaseNames(ctx, []string{c.Name}, map[string]string{c.Name: c.Party}); err != nil || got[c.Name] != doc {
		return nil, err
	}
	phrase := query.NewDisjunctionQuery(s.phraseIn(schema.FieldText, c.Name, schema.Exact, 1))
	bq := query.NewBooleanQuery(nil, nil, nil)
	bq.AddMust(phrase)
	for _, d := range self {
		bq.AddMustNot(termQ(schema.FieldDocument, d, 1))
	}
	type candidate struct {
		id       string
		mentions []corpus.CaseMention
	}
	var found []candidate
	var names []string
	party := map[string]string{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bq, citedByBatch, 0, false)
		req.Fields = []string{schema.FieldText}
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, searchError(err)
		}
		for _, h := range res.Hits {
			ms := corpus.FindCaseMentions(str(h.Fields[schema.FieldText]))
			for _, m := range ms {
				for _, n := range m.Names {
					names = append(names, n.Name)
					party[n.Name] = m.Party
				}
			}
			if len(ms) > 0 {
				found = append(found, candidate{h.ID, ms})
			}
		}
		if len(res.Hits) < citedByBatch {
			break
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
	if len(found) == 0 {
		return nil, nil
	}
	resolved, err := s.ResolveCaseNames(ctx, names, party)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range found {
	mentions:
		for _, m := range f.mentions {
			for _, n := range m.Names {
				if d, ok := resolved[n.Name]; ok {
					if d == doc {
						ids = append(ids, f.id)
						break mentions
					}
					break // the longest reading names another decision
				}
			}
		}
	}
	return ids, nil
}

// paragraphs counts a citing document's citing paragraphs, its
// translations' included.
func (c CitingSource) paragraphs() int {
	n := len(c.Passages)
	for _, t := range c.Translations {
		n += len(t.Passages)
	}
	return n
}

// groupTranslations lists each citing document that is a language version
// of another citing document (the same kind and symbol, another language:
// udhr-es of udhr, iccpr-es of iccpr) under that one, the original: the
// English version where there is one, else the shortest id. Documents that
// share a symbol in one language (general recommendations published
// together) stay apart.
func groupTranslations(docs []CitingSource) []CitingSource {
	groups := map[string][]int{}
	for i, d := range docs {
		if d.symbol != "" {
			k := d.Kind + "\x00" + d.symbol
			groups[k] = append(groups[k], i)
		}
	}
	under := map[int]int{} // translation → original
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		orig := g[0]
		for _, i := range g[1:] {
			a, b := docs[i], docs[orig]
			if (a.Language == "en") != (b.Language == "en") {
				if a.Language == "en" {
					orig = i
				}
			} else if len(a.Document) < len(b.Document) || len(a.Document) == len(b.Document) && a.Document < b.Document {
				orig = i
			}
		}
		for _, i := range g {
			if i != orig && docs[i].Language != docs[orig].Language {
				under[i] = orig
			}
		}
	}
	if len(under) == 0 {
		return docs
	}
	out := make([]CitingSource, 0, len(docs)-len(under))
	at := map[int]int{}
	for i, d := range docs {
		if _, ok := under[i]; !ok {
			at[i] = len(out)
			out = append(out, d)
		}
	}
	for i, d := range docs {
		if o, ok := under[i]; ok {
			out[at[o]].Translations = append(out[at[o]].Translations, d)
		}
	}
	return out
}

// nameCitingDocuments fills the title and kind of each document (and what
// groups translations: its symbol and language), from its first passage.
func (s *Searcher) nameCitingDocuments(ctx context.Context, docs []CitingSource) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]query.Query, len(docs))
	for i, d := range docs {
		ids[i] = termQ(schema.FieldDocument, d.Document, 1)
	}
	q := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldOrder, schema.OrderKey(0), 1), query.NewDisjunctionQuery(ids)})
	req := bleve.NewSearchRequestOptions(q, len(docs), 0, false)
	req.Fields = []string{schema.FieldDocument, schema.FieldTitle, schema.FieldKind, schema.FieldBody, schema.FieldSymbol,
		schema.FieldCase, schema.FieldLanguage}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return searchError(err)
	}
	at := make(map[string]int, len(docs))
	for i, d := range docs {
		at[d.Document] = i
	}
	for _, h := range res.Hits {
		doc := str(h.Fields[schema.FieldDocument])
		i, ok := at[doc]
		if !ok {
			continue
		}
		title := str(h.Fields[schema.FieldTitle])
		syms := strs(h.Fields[schema.FieldSymbol])
		if c := caseFrom(h.Fields[schema.FieldCase]); c != nil && c.Name != "" && len(syms) > 0 {
			title = c.Name + " (" + syms[0] + ")" // a decision by its case name
		}
		if title == "" {
			title = displayTitle(doc, str(h.Fields[schema.FieldBody]), syms)
		}
		docs[i].Title, docs[i].Kind = title, str(h.Fields[schema.FieldKind])
		docs[i].Language = str(h.Fields[schema.FieldLanguage])
		if len(syms) > 0 && docs[i].Kind != corpus.KindArticle {
			docs[i].symbol = corpus.NormalizeSymbol(syms[0])
		}
	}
	return nil
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
	d.Title = caseTitle(f, d.Title, d.Case)
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

// citationOf is a stored passage's case and citation. queryArticles are
// the provisions a query named: "ACHR 22(8)" makes the citation of
// achr#art-22 name paragraph 8.
func citationOf(f map[string]interface{}, title string, queryArticles []string) (*corpus.Case, string) {
	c := caseFrom(f[schema.FieldCase]) // the first passage holds the whole case
	if name := str(f[schema.FieldCaseName]); c == nil && name != "" {
		c = &corpus.Case{Name: name}
	}
	own := str(f[schema.FieldOwnArticle])
	src := corpus.CiteSource{
		Kind:       str(f[schema.FieldKind]),
		Title:      title,
		Body:       str(f[schema.FieldBody]),
		Unit:       str(f[schema.FieldUnit]),
		OwnArticle: own,
		Case:       c,
	}
	if syms := strs(f[schema.FieldSymbol]); len(syms) > 0 && src.Kind != corpus.KindArticle {
		src.Symbol = syms[0]
	}
	src.Year, _ = strconv.Atoi(str(f[schema.FieldYear]))
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
		any = append(any, termQ(schema.FieldCaseKey, k, 1))
	}
	var qq query.Query = query.NewDisjunctionQuery(any)
	if filter != nil {
		qq = query.NewConjunctionQuery([]query.Query{qq, filter})
	}
	req := bleve.NewSearchRequestOptions(qq, maxLookups, 0, false)
	req.SortBy([]string{schema.FieldDocument})
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

// DocumentsRequest lists documents: those with a passage matching Query
// and the passage-level filters (instrument, article, state, symbol), and
// whose document-level values (kind, party, outcome, year, language,
// group, document) match the others. Values of one filter are OR-ed.
type DocumentsRequest struct {
	Query   string              `json:"q"`
	Filters map[string][]string `json:"filters,omitempty"`
	// Sort is SortDate (newest first; the default without a query),
	// SortDateAsc, or SortRelevance (the default with one).
	Sort      string `json:"sort,omitempty"`
	Page      int    `json:"page"`
	Size      int    `json:"size"`
	FacetSize int    `json:"facet_size,omitempty"`
}

// DocumentHit is one listed document: what the index holds about it, and
// for a query, its count of matching passages and its best ones.
type DocumentHit struct {
	DocumentInfo
	Matches  int      `json:"matches,omitempty"`
	Passages []string `json:"passages,omitempty"` // up to BestPassages ids, best first
}

// DocumentList is one page of documents, with facets counting documents.
type DocumentList struct {
	Total     int                     `json:"total"`
	Page      int                     `json:"page"`
	Size      int                     `json:"size"`
	Documents []DocumentHit           `json:"documents"`
	Facets    map[string][]FacetValue `json:"facets"`
	// Truncated says the query matched more passages than were grouped
	// (MaxWindow): matches are counted in the best ones.
	Truncated bool `json:"truncated,omitempty"`
}

// DocumentFacetNames are the facets of a document listing.
var DocumentFacetNames = []string{FilterKind, FilterParty, FilterOutcome, FilterYear, FilterGroup, FilterLanguage}

// BestPassages is how many passages a listed document shows.
const BestPassages = 3

// documentLevel are the filters a document carries as a whole; the
// others hold for a document when one of its passages has them.
var documentLevel = map[string]string{
	FilterKind: schema.FieldKind, FilterParty: schema.FieldParty, FilterOutcome: schema.FieldOutcome,
	FilterYear: schema.FieldYear, FilterLanguage: schema.FieldLanguage, FilterGroup: schema.FieldDocGroup,
	FilterDocument: schema.FieldDocument,
}

// Documents lists documents with facets and paging.
func (s *Searcher) Documents(ctx context.Context, req DocumentsRequest) (*DocumentList, error) {
	if req.Page == 0 {
		req.Page = 1
	}
	if req.Size == 0 {
		req.Size = 20
	}
	switch {
	case req.Size < 0 || req.Size > MaxSize:
		return nil, fmt.Errorf("%w: size must be between 1 and %d", corpus.ErrInvalid, MaxSize)
	case req.Page < 0 || (req.Page-1)*req.Size > MaxWindow:
		return nil, fmt.Errorf("%w: page out of range", corpus.ErrInvalid)
	}
	if req.Sort == "" {
		req.Sort = SortDate
		if strings.TrimSpace(req.Query) != "" {
			req.Sort = SortRelevance
		}
	}
	switch req.Sort {
	case SortRelevance, SortDate, SortDateAsc:
	default:
		return nil, fmt.Errorf("%w: sort must be %s, %s or %s", corpus.ErrInvalid, SortRelevance, SortDate, SortDateAsc)
	}
	facetSize := req.FacetSize
	if facetSize <= 0 {
		facetSize = DefaultFacetSize
	}
	facetSize = min(facetSize, MaxFacetSize)
	var docFilters, passageFilters []Filter
	passageReq := map[string][]string{}
	for f, vals := range req.Filters {
		if !filterFields[f] {
			return nil, fmt.Errorf("%w: unknown filter %q", corpus.ErrInvalid, f)
		}
		if len(vals) > MaxFilterValues {
			return nil, fmt.Errorf("%w: at most %d values of %s", corpus.ErrInvalid, MaxFilterValues, f)
		}
		for _, v := range vals {
			if field, ok := documentLevel[f]; ok {
				flt := filterFromValue(f, v)
				if flt.Value != "" {
					flt.Value = NormalizeFilter(f, flt.Value)
				}
				flt.Field = field
				docFilters = append(docFilters, flt)
			} else {
				passageFilters = append(passageFilters, filterFromValue(f, v))
				passageReq[f] = append(passageReq[f], v)
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out := &DocumentList{Page: req.Page, Size: req.Size, Documents: []DocumentHit{}}

	// Documents with a matching passage, in the order of their best one.
	var rank map[string]int
	counts := map[string]int{}
	best := map[string][]string{}
	if strings.TrimSpace(req.Query) != "" || len(passageFilters) > 0 {
		plan := s.plan(Request{Query: req.Query, Filters: passageReq})
		sreq := bleve.NewSearchRequestOptions(plan.query, MaxWindow, 0, false)
		sreq.Fields = []string{schema.FieldDocument}
		if plan.text == nil {
			sreq.SortBy([]string{schema.FieldDocument, schema.FieldOrder})
		} else {
			// Ties of score by document and position, not by the place in
			// the index that background merges change: every page of a
			// listing (and an export, which reads it page by page) sees
			// the same order.
			sreq.SortBy([]string{"-_score", schema.FieldDocument, schema.FieldOrder})
		}
		res, err := s.idx.SearchInContext(ctx, sreq)
		if err != nil {
			return nil, searchError(err)
		}
		out.Truncated = res.Total > uint64(len(res.Hits))
		rank = map[string]int{}
		for _, h := range res.Hits {
			d := str(h.Fields[schema.FieldDocument])
			if _, ok := rank[d]; !ok {
				rank[d] = len(rank)
			}
			counts[d]++
			if len(best[d]) < BestPassages {
				best[d] = append(best[d], h.ID)
			}
		}
		if req.Sort == SortRelevance && plan.text != nil {
			if rank, err = s.rankDocuments(ctx, Request{Query: req.Query, Filters: passageReq}, plan, rank); err != nil {
				return nil, err
			}
		}
		if len(rank) == 0 {
			out.Facets = emptyFacets(DocumentFacetNames)
			return out, nil
		}
	}
	parts := []query.Query{termQ(schema.FieldOrder, schema.OrderKey(0), 1)}
	if fq := filterQuery(docFilters); fq != nil {
		parts = append(parts, fq)
	}
	if rank != nil {
		ids := make([]query.Query, 0, len(rank))
		for d := range rank {
			ids = append(ids, termQ(schema.FieldDocument, d, 1))
		}
		parts = append(parts, query.NewDisjunctionQuery(ids))
	}
	sreq := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(parts), MaxWindow, 0, false)
	sreq.Fields = documentInfoFields
	for _, f := range DocumentFacetNames {
		field := f
		if x, ok := documentLevel[f]; ok {
			field = x
		}
		sreq.AddFacet(f, bleve.NewFacetRequest(field, facetSize))
	}
	res, err := s.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(err)
	}
	docs := make([]DocumentHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		d := DocumentHit{DocumentInfo: documentInfoFrom(h.Fields)}
		d.Matches, d.Passages = counts[d.ID], best[d.ID]
		docs = append(docs, d)
	}
	when := func(d *DocumentHit) string {
		if d.Date != "" {
			return d.Date
		}
		if d.Year != 0 {
			return strconv.Itoa(d.Year)
		}
		return ""
	}
	sort.SliceStable(docs, func(i, j int) bool {
		a, b := &docs[i], &docs[j]
		switch req.Sort {
		case SortRelevance:
			if rank != nil {
				return rank[a.ID] < rank[b.ID]
			}
		case SortDate:
			if wa, wb := when(a), when(b); wa != wb {
				return wa > wb
			}
		case SortDateAsc:
			if wa, wb := when(a), when(b); wa != wb {
				return wa != "" && (wb == "" || wa < wb)
			}
		}
		return a.ID < b.ID
	})
	out.Total = len(docs)
	out.Facets = facetValues(res, DocumentFacetNames)
	sortNewestFirst(out.Facets[FilterYear])
	from := (req.Page - 1) * req.Size
	if from < len(docs) {
		out.Documents = docs[from:min(len(docs), from+req.Size)]
	}
	return out, nil
}

// rankDocuments orders documents as a relevance search ranks their best
// passage: the decisions a lookup names (case name, number, symbol) first,
// as /api/search opens on them, then the documents of the search's ranked
// window in the order of their best passage there, then the others in
// Bleve's order (matched, the order they had).
func (s *Searcher) rankDocuments(ctx context.Context, req Request, p *plan, matched map[string]int) (map[string]int, error) {
	w, err := s.rankedWindow(ctx, req, p, []string{}, rescoreWindow)
	if err != nil {
		return nil, err
	}
	found, err := s.lookup(ctx, req.Query, p.filter)
	if err != nil {
		return nil, err
	}
	rank := make(map[string]int, len(matched)+len(found))
	add := func(doc string) {
		if _, ok := rank[doc]; !ok && doc != "" {
			rank[doc] = len(rank)
		}
	}
	for _, id := range found {
		doc, _, _ := strings.Cut(id, "#")
		add(doc)
	}
	for _, h := range w.ranked {
		doc, _, _ := strings.Cut(h.id, "#")
		add(doc)
	}
	rest := make([]string, 0, len(matched))
	for d := range matched {
		rest = append(rest, d)
	}
	sort.Slice(rest, func(i, j int) bool { return matched[rest[i]] < matched[rest[j]] })
	for _, d := range rest {
		add(d)
	}
	return rank, nil
}

func emptyFacets(names []string) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(names))
	for _, f := range names {
		out[f] = []FacetValue{}
	}
	return out
}

// DocumentGroup is one document of a collapsed search: the document, its
// count of matching passages and its best ones as hits.
type DocumentGroup struct {
	Document DocumentHit `json:"document"`
	Hits     []Hit       `json:"hits"`
}

// CollapsedResults are one page of a search collapsed by document.
type CollapsedResults struct {
	Total     int                     `json:"total"` // documents
	Page      int                     `json:"page"`
	Size      int                     `json:"size"`
	Groups    []DocumentGroup         `json:"groups"`
	Facets    map[string][]FacetValue `json:"facets"`
	Truncated bool                    `json:"truncated,omitempty"`
}

// SearchByDocument runs a search collapsed by document: one row per
// document, in the order of its best passage (or by date), with its best
// BestPassages passages (snippets and all) and its count of matching ones.
func (s *Searcher) SearchByDocument(ctx context.Context, req Request) (*CollapsedResults, error) {
	list, err := s.Documents(ctx, DocumentsRequest{Query: req.Query, Filters: req.Filters, Sort: req.Sort, Page: req.Page,
		Size: req.Size, FacetSize: req.FacetSize})
	if err != nil {
		return nil, err
	}
	out := &CollapsedResults{Total: list.Total, Page: list.Page, Size: list.Size, Facets: list.Facets, Truncated: list.Truncated,
		Groups: make([]DocumentGroup, 0, len(list.Documents))}
	var ids []string
	for _, d := range list.Documents {
		ids = append(ids, d.Passages...)
	}
	plan := s.plan(Request{Query: req.Query, Filters: req.Filters})
	hits, err := s.load(ctx, ids, plan, !req.NoSnippets)
	if err != nil {
		return nil, err
	}
	for _, d := range list.Documents {
		g := DocumentGroup{Document: d, Hits: []Hit{}}
		for _, id := range d.Passages {
			if h, ok := hits[id]; ok {
				g.Hits = append(g.Hits, *h)
			}
		}
		out.Groups = append(out.Groups, g)
	}
	return out, nil
}

// ResolveSymbols maps UN symbols (normalised) to the library's documents
// that bear them as their own symbol; symbols no document bears are left
// out.
func (s *Searcher) ResolveSymbols(ctx context.Context, symbols []string) (map[string]string, error) {
	out := map[string]string{}
	if len(symbols) == 0 {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	want := map[string]bool{}
	var terms []query.Query
	for _, sym := range symbols {
		n := corpus.NormalizeSymbol(sym)
		if n != "" && !want[n] {
			want[n] = true
			terms = append(terms, termQ(schema.FieldSymbol, n, 1))
		}
	}
	q := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldOrder, schema.OrderKey(0), 1), query.NewDisjunctionQuery(terms)})
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.Fields = []string{schema.FieldDocument, schema.FieldSymbol, schema.FieldKind}
	req.SortBy([]string{schema.FieldDocument})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	for _, h := range res.Hits {
		syms := strs(h.Fields[schema.FieldSymbol])
		// A document's own symbol comes first; the others are citations.
		if len(syms) > 0 && want[syms[0]] && str(h.Fields[schema.FieldKind]) != corpus.KindArticle {
			if _, taken := out[syms[0]]; !taken {
				out[syms[0]] = str(h.Fields[schema.FieldDocument])
			}
		}
	}
	return out, nil
}

// ResolveCaseNames maps the case names a text cites ("Tebourski v.
// France", corpus.FindCaseMentions) to the decision of the library each
// names: one decision only, whose State party is the one the name gives
// (party, ISO alpha-2, by name); names that match none or several decisions
// are left out.
func (s *Searcher) ResolveCaseNames(ctx context.Context, names []string, party map[string]string) (map[string]string, error) {
	out := map[string]string{}
	byKey := map[string][]string{} // lookup key → names
	var terms []query.Query
	for _, n := range names {
		for _, k := range corpus.LookupKeys(n) {
			if !strings.HasPrefix(k, "name:") || !strings.Contains(k, " v ") {
				continue // a surname alone is no citation
			}
			if byKey[k] == nil {
				terms = append(terms, termQ(schema.FieldCaseKey, k, 1))
			}
			byKey[k] = append(byKey[k], n)
		}
	}
	if len(terms) == 0 {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(terms), 1000, 0, false)
	req.Fields = []string{schema.FieldDocument, schema.FieldCase}
	req.SortBy([]string{schema.FieldDocument})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	found := map[string][]string{} // name → decisions
	for _, h := range res.Hits {
		c := caseFrom(h.Fields[schema.FieldCase])
		if c == nil {
			continue
		}
		doc := str(h.Fields[schema.FieldDocument])
		for _, k := range corpus.CaseKeys(c, "") {
			for _, n := range byKey[k] {
				if c.Party == party[n] && !slices.Contains(found[n], doc) {
					found[n] = append(found[n], doc)
				}
			}
		}
	}
	for n, docs := range found {
		if len(docs) == 1 {
			out[n] = docs[0]
		}
	}
	return out, nil
}

// caseTitle names a decision the catalog gives no title by its case:
// "Pelit v. Azerbaijan (CAT/C/38/D/281/2005)" rather than "Committee
// against Torture, communication No. 281/2005 (CAT/C/38/D/281/2005)".
func caseTitle(f map[string]interface{}, title string, c *corpus.Case) string {
	syms := strs(f[schema.FieldSymbol])
	name := str(f[schema.FieldCaseName])
	if name == "" && c != nil {
		name = c.Name
	}
	if str(f[schema.FieldTitle]) != "" || name == "" || len(syms) == 0 {
		return title
	}
	return name + " (" + syms[0] + ")"
}

// addCases gives each hit of a decision its document's whole case, which
// the document's first passage holds.
func (s *Searcher) addCases(ctx context.Context, hits map[string]*Hit) error {
	need := map[string][]*Hit{}
	for _, h := range hits {
		if c := h.Case; c != nil && (c.Communication != "" || c.Party != "" || c.Outcome != "") {
			continue // a first passage: it holds the whole case
		}
		if h.Case != nil || h.Kind == corpus.KindDecision {
			need[h.Document] = append(need[h.Document], h)
		}
	}
	if len(need) == 0 {
		return nil
	}
	// Each document's case, from the cache, else from its first passage.
	epoch, cacheable := s.epoch()
	found := make(map[string]*corpus.Case, len(need))
	missing := slices.Collect(maps.Keys(need))
	if cacheable {
		missing = s.cases.get(epoch, missing, found)
	}
	if len(missing) > 0 {
		ids := make([]query.Query, 0, len(missing))
		for _, d := range missing {
			ids = append(ids, termQ(schema.FieldDocument, d, 1))
		}
		q := query.NewConjunctionQuery([]query.Query{termQ(schema.FieldOrder, schema.OrderKey(0), 1), query.NewDisjunctionQuery(ids)})
		req := bleve.NewSearchRequestOptions(q, len(missing), 0, false)
		req.Fields = []string{schema.FieldDocument, schema.FieldCase}
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return searchError(err)
		}
		loaded := make(map[string]*corpus.Case, len(missing))
		for _, d := range missing {
			loaded[d] = nil // no first passage, or no case in it
		}
		for _, r := range res.Hits {
			if c := caseFrom(r.Fields[schema.FieldCase]); c != nil {
				loaded[str(r.Fields[schema.FieldDocument])] = c
			}
		}
		if cacheable {
			s.cases.put(epoch, loaded, maxCases)
		}
		maps.Copy(found, loaded)
	}
	for d, hs := range need {
		c := found[d]
		if c == nil {
			continue
		}
		cs := *c // each search its own: the cache's stays as read
		for _, h := range hs {
			h.Case = &cs
		}
	}
	return nil
}
