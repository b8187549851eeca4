package search

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// plan is a request turned into Bleve queries and what the ranking needs
// to know of it.
type plan struct {
	query     query.Query   // everything, for Bleve
	text      query.Query   // the scored part; nil when browsing by filters
	highlight query.Query   // what snippets mark
	units     []query.Query // the query's scored units, for coverage
	required  int           // the first required of units: every hit matches them
	optional  int           // how many of units are plain words or groups, not required
	filter    query.Query   // the filters, unscored; nil when none
	lang      string        // the language the query is typed in, if known
	articles  []string      // provisions named by the query
	states    []string      // states named by the query
	expanded  []string
	exact     bool // the words as typed: no stemming, no equivalents
	notices   []Notice
	// all, for a query of several plain words, is the query asking for
	// every one of them (allOf), to count those passages.
	all   query.Query
	allOf []string
	// broad is query without the request's filters of the selected
	// fields, which the walk checks on each match itself, to count each
	// selected facet without its own selection in the same pass; nil when
	// no request filter can be checked so.
	broad    query.Query
	selected []selection
	// defines are the corpus.DefinitionKey forms of the term the query
	// names alone, and of its lexicon equivalents: the provisions defining
	// it open the results.
	defines []string
}

// queryParts are the top-level nodes of a parsed query, by what they do.
type queryParts struct {
	filters      []Filter      // field:value
	filterGroups []query.Query // (instrument:ICCPR OR instrument:ECHR), +kind:decision
	excluded     []Node        // -word, -kind:decision
	required     []Node        // +word, a AND b
	text         []Node        // the other words, phrases and groups
}

// plan turns a request into its queries: the scored text (required units,
// optional units, what the query names), the filters and the exclusions.
func (s *Searcher) plan(req Request) *plan {
	p := &plan{exact: req.Exact}
	node, cut := parseQuery(req.Query)
	p.notices = cutNotices(cut)
	qp := splitQuery(node)
	words := termWords(append(slices.Clone(qp.required), qp.text...))
	named := s.references(p, words, &qp)
	highlights := s.scoreText(p, &qp, named, words)

	bq := s.scored(p, qp, words, req.Query)
	p.filter = filterConjunction(qp, requestFilters(req.Filters))
	s.exclude(bq, qp.excluded, p.exact)
	if p.filter != nil {
		bq.AddFilter(p.filter)
	}
	p.query = bq
	p.selectFacets(req, qp)
	p.countAll(qp)
	if len(highlights) > 0 {
		p.highlight = query.NewDisjunctionQuery(highlights)
	} else {
		p.highlight = query.NewMatchNoneQuery()
	}
	return p
}

// scored is the query's scored part as a Boolean query: the text with its
// proximity and state boosts, nothing when words were typed but none can
// be searched, everything when only filters were.
func (s *Searcher) scored(p *plan, qp queryParts, words []string, typed string) *query.BooleanQuery {
	bq := query.NewBooleanQuery(nil, nil, nil)
	switch {
	case p.text != nil:
		bq.AddMust(p.text)
		if len(words) >= 2 && len(p.articles) == 0 && !singlePhrase(qp.text, qp.required) {
			if !p.exact {
				for _, q := range s.phrase(strings.Join(words, " "), boostPhrase) {
					bq.AddShould(proximityOf(q))
				}
			} else if q := s.exactQuery(strings.Join(words, " "), boostPhrase); q != nil {
				bq.AddShould(q)
			}
		}
		for _, st := range p.states {
			bq.AddShould(termQ(schema.FieldState, st, boostState))
		}
	case len(qp.text) > 0 || (strings.TrimSpace(typed) != "" && len(qp.filters) == 0 && len(qp.filterGroups) == 0 && len(qp.excluded) == 0):
		// Words were typed but none can be searched (only stop words,
		// punctuation, an empty phrase, a lone OR or a bare wildcard):
		// nothing matches, rather than everything.
		bq.AddMust(query.NewMatchNoneQuery())
		if n := s.stopWordsNotice(qp.text); n != nil {
			p.notices = append(p.notices, *n)
		}
	default:
		bq.AddMust(query.NewMatchAllQuery())
	}
	return bq
}

// selectFacets sets p.broad and p.selected: the query without the
// request's filters of the facets asked for, which the walk checks itself
// to count each such facet without its own selection.
func (p *plan) selectFacets(req Request, qp queryParts) {
	facets := req.Facets
	if facets == nil {
		facets = FacetNames
	}
	sel, rest := selections(req.Filters, facets)
	if len(sel) == 0 {
		return
	}
	broad := *p.query.(*query.BooleanQuery)
	broad.Filter = nil
	broad.AddFilter(filterConjunction(qp, requestFilters(rest)))
	p.broad, p.selected = &broad, sel
}

// countAll sets p.all and p.allOf when the query has several plain words
// (or groups): the same query with every one of them required, to count
// the passages holding them all.
func (p *plan) countAll(qp queryParts) {
	if p.optional < 2 {
		return
	}
	all := query.NewBooleanQuery([]query.Query{query.NewConjunctionQuery(p.units)}, nil, nil)
	all.MustNot = p.query.(*query.BooleanQuery).MustNot
	if p.filter != nil {
		all.AddFilter(p.filter)
	}
	p.all = all
	for _, n := range qp.text {
		p.allOf = append(p.allOf, String(n))
	}
}

// splitQuery sorts the top-level nodes of a parsed query by role.
func splitQuery(node Node) queryParts {
	var qp queryParts
	top := []Node{node}
	if a, ok := node.(And); ok {
		top = a.Children
	}
	for _, n := range top {
		switch n := n.(type) {
		case Filter:
			qp.filters = append(qp.filters, n)
		case Not:
			qp.excluded = append(qp.excluded, n.Child)
		case Must:
			if filterOnly(n.Child) {
				qp.filterGroups = append(qp.filterGroups, filterNodeQuery(n.Child))
			} else {
				qp.required = append(qp.required, n.Child)
			}
		default:
			if filterOnly(n) {
				qp.filterGroups = append(qp.filterGroups, filterNodeQuery(n))
			} else {
				qp.text = append(qp.text, n)
			}
		}
	}
	// A quoted phrase is required whatever else the query holds (alone,
	// it is required anyway, and stays a text node for the definitions).
	if len(qp.text)+len(qp.required) > 1 {
		var rest []Node
		for _, n := range qp.text {
			if isPhrase(n) {
				qp.required = append(qp.required, n)
			} else {
				rest = append(rest, n)
			}
		}
		qp.text = rest
	}
	return qp
}

// requestFilters reads the request's filters (facet links, API
// parameters), field by field in name order.
func requestFilters(filters map[string][]string) []Filter {
	fields := make([]string, 0, len(filters))
	for f := range filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var out []Filter
	for _, f := range fields {
		for _, v := range filters[f] {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, filterFromValue(f, v))
			}
		}
	}
	return out
}

// references finds what the query names (provisions, states, UN symbols),
// records them in p, drops from qp.text the words that only name them, and
// returns the scored units searching them.
func (s *Searcher) references(p *plan, words []string, qp *queryParts) []query.Query {
	if len(words) == 0 {
		return nil
	}
	var articleClauses, symbolClauses []query.Query
	ext := corpus.Extract(referenceText(words), corpus.Context{})
	p.states = ext.States
	// A UN symbol pasted into the query finds the passages of that
	// document and those citing it, as symbol:… does.
	for _, sym := range ext.Symbols {
		symbolClauses = append(symbolClauses, termQ(schema.FieldSymbol, sym, boostSymbol))
	}
	if len(symbolClauses) > 0 {
		qp.text = dropSymbolWords(qp.text, ext.Symbols)
	}
	// The forms a lawyer types ("CAT 3", "Mandela Rules 43") say what is
	// meant more surely than the extractor's reading of them as text.
	if arts, instrs := queryProvisions(words); len(arts) > 0 {
		ext.Articles, ext.Instruments = arts, append(ext.Instruments, instrs...)
	}
	for _, a := range ext.Articles {
		p.articles = append(p.articles, a)
		if coarse, _, fine := strings.Cut(a, "("); fine {
			// A paragraph is in the text of its article, which comes
			// first, then the passages citing the paragraph.
			articleClauses = append(articleClauses, termQ(schema.FieldArticle, a, boostCitesFine),
				termQ(schema.FieldOwnArticle, coarse, boostOwnArticle))
			continue
		}
		articleClauses = append(articleClauses,
			termQ(schema.FieldOwnArticle, a, boostOwnArticle),
			termQ(schema.FieldArticle, a, boostCitesArticle))
	}
	if len(p.articles) > 0 {
		qp.text = dropReferenceWords(qp.text, ext.Instruments)
	}
	var named []query.Query
	if len(articleClauses) > 0 {
		named = append(named, query.NewDisjunctionQuery(articleClauses))
	}
	if len(symbolClauses) > 0 {
		named = append(named, query.NewDisjunctionQuery(symbolClauses))
	}
	return named
}

// scoreText builds the scored part of the query into p (text, units,
// required, lang, defines) and returns what snippets mark. Required units
// must all match; the others, and the named references, add to the score,
// and coverage ranks the passages holding more of them first. A required
// word that cannot be searched (a stop word alone) cannot be met: p.text
// is nil then, and the required nodes join qp.text.
func (s *Searcher) scoreText(p *plan, qp *queryParts, named []query.Query, words []string) []query.Query {
	mustUnits, highlights, searchable := s.units(qp.required, p)
	units, hl, _ := s.units(qp.text, p)
	highlights = append(highlights, hl...)
	p.units = append(slices.Clone(mustUnits), units...)
	p.required, p.optional = len(mustUnits), len(units)
	p.lang = s.queryLanguage(words)
	p.text = combine(mustUnits, append(units, named...))
	if len(p.states) == 0 && len(p.articles) == 0 && len(qp.required) == 0 {
		p.defines = s.definitionKeys(qp.text)
	}
	if !searchable {
		p.text = nil
		qp.text = append(qp.text, qp.required...)
	}
	return highlights
}

// filterConjunction ANDs the filters written in the query (groups and
// field:value) and the request's; nil when there are none.
func filterConjunction(qp queryParts, requested []Filter) query.Query {
	fqs := qp.filterGroups
	for _, fs := range [][]Filter{qp.filters, requested} {
		if fq := filterQuery(fs); fq != nil {
			fqs = append(fqs, fq)
		}
	}
	switch len(fqs) {
	case 0:
		return nil
	case 1:
		return fqs[0]
	}
	return query.NewConjunctionQuery(fqs)
}

// exclude adds the excluded nodes (-word, -kind:decision) to bq.
func (s *Searcher) exclude(bq *query.BooleanQuery, excluded []Node, exact bool) {
	var p *plan
	if exact {
		p = &plan{exact: true} // its notes are thrown away
	}
	for _, n := range excluded {
		if filterOnly(n) {
			bq.AddMustNot(filterNodeQuery(n))
		} else if q, _ := s.textQuery(n, p); q != nil {
			bq.AddMustNot(q)
		}
	}
}

// combine scores required and optional units: every required one must
// match, the optional ones add to the score.
func combine(must, should []query.Query) query.Query {
	switch {
	case len(must) > 0 && len(should) > 0:
		return query.NewBooleanQuery(must, should, nil)
	case len(must) > 0:
		return query.NewConjunctionQuery(must)
	case len(should) > 0:
		return query.NewDisjunctionQuery(should)
	}
	return nil
}

// isExact reports whether p asks for the words as typed; a nil plan does
// not.
func (p *plan) isExact() bool { return p != nil && p.exact }

// cutNotices says what parsing cut from the query.
func cutNotices(c cuts) []Notice {
	var out []Notice
	if c.runes > 0 {
		out = append(out, Notice{Code: NoticeQueryCut, Message: fmt.Sprintf(
			"The query was cut to its first %d characters (%d more were left out).", MaxQueryRunes, c.runes)})
	}
	if c.terms > 0 {
		out = append(out, Notice{Code: NoticeTermsCut, Message: fmt.Sprintf(
			"Only the first %d words and phrases were searched (%d more were left out).", MaxQueryTerms, c.terms)})
	}
	return out
}

// stopWordsNotice says, when the words typed are all too common to search
// alone ("not", "the"), that they were not searched, and how to search
// them: as a phrase.
func (s *Searcher) stopWordsNotice(nodes []Node) *Notice {
	var words []string
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Phrase || t.Prefix || len(s.analyze(t.Text, schema.Words)) > 0 || len(corpus.FoldedWords(t.Text)) == 0 {
			return nil
		}
		words = append(words, t.Text)
	}
	if len(words) == 0 {
		return nil
	}
	q := strings.Join(words, " ")
	return &Notice{Code: NoticeStopWords, Message: fmt.Sprintf(
		"%s: too common to search alone, so nothing was searched. To find them as a phrase, put them in quotes: \"%s\".", q, q)}
}
