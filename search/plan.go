package search

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// Ranking signals. Bleve's BM25 over the passage text, its heading and the
// document title gives the base score; the domain ranking then multiplies it.
const (
	// Field weights inside one query word's clause: a word in a heading
	// ("Article 22 – Freedom of movement") says more than one in the body.
	boostText    = 1.0
	boostHeading = 1.5
	boostTitle   = 0.3
	// boostExpansion weighs the lexicon's equivalents of what was typed
	// below the typed words themselves.
	boostExpansion = 0.45
	// boostPhrase rewards passages holding the query's words in order
	// (proximity), on top of the words themselves.
	boostPhrase = 2.0
	// boostOwnArticle puts the provision a query names above everything
	// that cites it; boostCitesArticle lifts the passages that cite it.
	boostOwnArticle   = 60.0
	boostCitesArticle = 4.0
	boostCitesFine    = 2.0
	// boostState lifts passages concerning a state the query names.
	boostState = 3.0
	// boostSymbol weighs a UN symbol the query names like a word in a
	// heading.
	boostSymbol = 1.5
)

// tierWeight is the prior of each tier of text when a query is about a
// norm: the governing text first, then the authoritative interpretation,
// then the findings and reports that apply or quote it. A query naming a
// state asks about facts, and the findings about that state come first, so
// the prior is flattened then (tierWeightFactual).
var tierWeight = map[string]float64{
	schema.TierProvision:      2.2,
	schema.TierInterpretation: 1.5,
	schema.TierFinding:        1.0,
	schema.TierReport:         1.0,
	schema.TierCommentary:     0.9,
}

var tierWeightFactual = map[string]float64{
	schema.TierProvision:      1.0,
	schema.TierInterpretation: 1.0,
	schema.TierFinding:        1.2,
	schema.TierReport:         1.0,
	schema.TierCommentary:     1.0,
}

// tierRank breaks ties between equal scores: the more authoritative first.
var tierRank = map[string]int{
	schema.TierProvision: 0, schema.TierInterpretation: 1, schema.TierFinding: 2,
	schema.TierReport: 3, schema.TierCommentary: 4,
}

// sameDocumentDecay lowers the k-th passage of one document (k ≥ 2) by this
// factor per step, so one long document cannot fill the first page.
const sameDocumentDecay = 0.85

type plan struct {
	query     query.Query   // everything, for Bleve
	text      query.Query   // the scored part; nil when browsing by filters
	highlight query.Query   // what snippets mark
	units     []query.Query // the query's scored units, for coverage
	required  int           // the first required of units: every hit matches them
	filter    query.Query   // the filters, unscored; nil when none
	lang      string        // the language the query is typed in, if known
	articles  []string      // provisions named by the query
	states    []string      // states named by the query
	expanded  []string
	// defines are the corpus.DefinitionKey forms of the term the query
	// names alone, and of its lexicon equivalents: the provisions defining
	// it open the results.
	defines []string
}

var refWords = map[string]bool{
	"article": true, "articles": true, "art": true, "arts": true, "artículo": true, "articulo": true,
	"artículos": true, "articulos": true, "rule": true, "rules": true, "regla": true, "reglas": true,
	"of": true, "the": true, "de": true, "la": true, "del": true, "paragraph": true, "para": true,
}

var articleNumber = regexp.MustCompile(`^\(?\d+[a-z]?(\(\w+\))*[.,;:)]?$`)

func (s *Searcher) plan(req Request) *plan {
	p := &plan{}
	node := Parse(req.Query)
	var filters []Filter
	var excluded []Node
	var textNodes []Node
	top := []Node{node}
	if a, ok := node.(And); ok {
		top = a.Children
	}
	var filterGroups []query.Query // (instrument:ICCPR OR instrument:ECHR)
	var required []Node            // +word, a AND b
	for _, n := range top {
		switch n := n.(type) {
		case Filter:
			filters = append(filters, n)
		case Not:
			excluded = append(excluded, n.Child)
		case Must:
			switch {
			case filterOnly(n.Child):
				filterGroups = append(filterGroups, filterNodeQuery(n.Child))
			default:
				required = append(required, n.Child)
			}
		default:
			if filterOnly(n) {
				filterGroups = append(filterGroups, filterNodeQuery(n))
			} else {
				textNodes = append(textNodes, n)
			}
		}
	}
	// The request's filters (facet links, API parameters) AND the filters
	// written in the query; within each, values of one field OR.
	var requested []Filter
	fields := make([]string, 0, len(req.Filters))
	for f := range req.Filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		for _, v := range req.Filters[f] {
			if v = strings.TrimSpace(v); v != "" {
				requested = append(requested, filterFromValue(f, v))
			}
		}
	}

	// What the query names: provisions and states.
	words := termWords(append(slices.Clone(required), textNodes...))
	plainText := strings.Join(words, " ")
	var articleClauses, symbolClauses []query.Query
	if plainText != "" {
		ext := corpus.Extract(referenceText(words), corpus.Context{})
		p.states = ext.States
		// A UN symbol pasted into the query finds the passages of that
		// document and those citing it, as symbol:… does.
		for _, sym := range ext.Symbols {
			symbolClauses = append(symbolClauses, termQ(schema.FieldSymbol, sym, boostSymbol))
		}
		if len(symbolClauses) > 0 {
			textNodes = dropSymbolWords(textNodes, ext.Symbols)
		}
		for _, a := range ext.Articles {
			p.articles = append(p.articles, a)
			if strings.Contains(a, "(") {
				articleClauses = append(articleClauses, termQ(schema.FieldArticle, a, boostCitesFine))
				continue
			}
			articleClauses = append(articleClauses,
				termQ(schema.FieldOwnArticle, a, boostOwnArticle),
				termQ(schema.FieldArticle, a, boostCitesArticle))
		}
		if len(p.articles) > 0 {
			textNodes = dropReferenceWords(textNodes, ext.Instruments)
		}
	}

	// Required units must all match; the others add to the score, and
	// coverage ranks the passages holding more of them first.
	mustUnits, highlights, searchable := s.units(required, p)
	units, hl, _ := s.units(textNodes, p)
	highlights = append(highlights, hl...)
	p.units = append(slices.Clone(mustUnits), units...)
	p.required = len(mustUnits)
	p.lang = s.queryLanguage(words)
	if len(articleClauses) > 0 {
		units = append(units, query.NewDisjunctionQuery(articleClauses))
	}
	if len(symbolClauses) > 0 {
		units = append(units, query.NewDisjunctionQuery(symbolClauses))
	}
	p.text = combine(mustUnits, units)
	if len(p.states) == 0 && len(p.articles) == 0 && len(required) == 0 {
		p.defines = s.definitionKeys(textNodes)
	}
	if !searchable {
		// A required word that cannot be searched (a stop word alone)
		// cannot be met.
		p.text = nil
		textNodes = append(textNodes, required...)
	}

	bq := query.NewBooleanQuery(nil, nil, nil)
	if p.text != nil {
		bq.AddMust(p.text)
		if len(words) >= 2 && len(p.articles) == 0 && !singlePhrase(textNodes, required) {
			bq.AddShould(s.phrase(strings.Join(words, " "), boostPhrase)...)
		}
		for _, st := range p.states {
			bq.AddShould(termQ(schema.FieldState, st, boostState))
		}
	} else if len(textNodes) > 0 || (strings.TrimSpace(req.Query) != "" && len(filters) == 0 && len(filterGroups) == 0 && len(excluded) == 0) {
		// Words were typed but none can be searched (only stop words,
		// punctuation, an empty phrase, a lone OR or a bare wildcard):
		// nothing matches, rather than everything.
		bq.AddMust(query.NewMatchNoneQuery())
	} else {
		bq.AddMust(query.NewMatchAllQuery())
	}
	fqs := filterGroups
	for _, fs := range [][]Filter{filters, requested} {
		if fq := filterQuery(fs); fq != nil {
			fqs = append(fqs, fq)
		}
	}
	switch len(fqs) {
	case 0:
	case 1:
		p.filter = fqs[0]
	default:
		p.filter = query.NewConjunctionQuery(fqs)
	}
	if p.filter != nil {
		bq.AddFilter(p.filter)
	}
	for _, n := range excluded {
		if filterOnly(n) {
			bq.AddMustNot(filterNodeQuery(n)) // -kind:decision
		} else if q, _ := s.textQuery(n, nil); q != nil {
			bq.AddMustNot(q)
		}
	}
	p.query = bq
	if len(highlights) > 0 {
		p.highlight = query.NewDisjunctionQuery(highlights)
	} else {
		p.highlight = query.NewMatchNoneQuery()
	}
	return p
}

// definitionPrefixes are the words asking for a term's definition
// ("definition of torture", "qué es la tortura"), after corpus.FoldedWords.
var definitionPrefixes = [][]string{
	{"definition", "of"}, {"definition", "de"}, {"definicion", "de"}, {"meaning", "of"},
	{"concept", "of"}, {"concepto", "de"}, {"notion", "of"}, {"notion", "de"},
	{"what", "is"}, {"que", "es"}, {"qu", "est", "ce", "que"},
}

// definiteArticles may stand between such words and the term.
var definiteArticles = map[string]bool{"the": true, "a": true, "an": true, "el": true, "la": true, "los": true,
	"las": true, "le": true, "l": true, "les": true}

// definitionKeys returns the keys (corpus.DefinitionKey) of the term that
// nodes name, when they are plain words or one phrase naming a term of a
// few words ("torture", "deprivation of liberty", "definition of
// torture"), with its lexicon equivalents; nil otherwise.
func (s *Searcher) definitionKeys(nodes []Node) []string {
	var words []string
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Prefix {
			return nil
		}
		words = append(words, corpus.FoldedWords(t.Text)...)
	}
	for _, pre := range definitionPrefixes {
		if len(words) > len(pre) && slices.Equal(words[:len(pre)], pre) {
			words = words[len(pre):]
			break
		}
	}
	if len(words) > 1 && definiteArticles[words[0]] {
		words = words[1:]
	}
	if len(words) == 0 || len(words) > 4 {
		return nil
	}
	keys := []string{corpus.DefinitionKey(strings.Join(words, " "))}
	if exps := s.lex.Expand(words); len(exps) == 1 && exps[0].Start == 0 && exps[0].End == len(words) {
		for _, alt := range exps[0].Alternatives {
			if k := corpus.DefinitionKey(alt); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// singlePhrase reports whether the query is one phrase, which is its own
// proximity clause.
func singlePhrase(nodes, required []Node) bool {
	all := append(slices.Clone(nodes), required...)
	if len(all) != 1 {
		return false
	}
	t, ok := all[0].(Term)
	return ok && t.Phrase
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

// filterOnly reports whether n holds filters and nothing else.
func filterOnly(n Node) bool {
	switch n := n.(type) {
	case Filter:
		return true
	case Not:
		return filterOnly(n.Child)
	case Must:
		return filterOnly(n.Child)
	case And:
		for _, c := range n.Children {
			if !filterOnly(c) {
				return false
			}
		}
		return len(n.Children) > 0
	case Or:
		for _, c := range n.Children {
			if !filterOnly(c) {
				return false
			}
		}
		return len(n.Children) > 0
	}
	return false
}

// filterNodeQuery turns a filter-only node into an unscored filter.
func filterNodeQuery(n Node) query.Query {
	switch n := n.(type) {
	case Filter:
		return filterQuery([]Filter{n})
	case Not:
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{filterNodeQuery(n.Child)})
	case Must:
		return filterNodeQuery(n.Child)
	case And:
		var qs []query.Query
		for _, c := range n.Children {
			qs = append(qs, filterNodeQuery(c))
		}
		return query.NewConjunctionQuery(qs)
	case Or:
		var qs []query.Query
		for _, c := range n.Children {
			qs = append(qs, filterNodeQuery(c))
		}
		return query.NewDisjunctionQuery(qs)
	}
	return query.NewMatchAllQuery()
}

// termWords lists the words of the text nodes, in order.
func termWords(nodes []Node) []string {
	var out []string
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case Term:
			out = append(out, strings.Fields(n.Text)...)
		case Must:
			walk(n.Child)
		case And:
			for _, c := range n.Children {
				walk(c)
			}
		case Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// referenceText is the query's words as the extractor should read them
// for references: instrument abbreviations and treaty-body codes as they
// are printed ("iccpr article 7", "CCPR art. 7" → "ICCPR article 7"), and
// UN symbols upper-cased ("cat/c/gc/4"). The words searched are unchanged.
func referenceText(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		trimmed := strings.Trim(w, ".,;:")
		switch {
		case strings.Contains(w, "/"):
			out[i] = strings.ToUpper(w)
		case trimmed == "":
		default:
			if in, ok := corpus.LookupInstrument(trimmed); ok {
				out[i] = in.Short
			} else if in, ok := corpus.InstrumentOfBody(trimmed); ok {
				out[i] = in.Short
			}
		}
	}
	return strings.Join(out, " ")
}

// dropSymbolWords removes the words that are the symbols the query names:
// the symbol clause searches them.
func dropSymbolWords(nodes []Node, symbols []string) []Node {
	var out []Node
	for _, n := range nodes {
		if t, ok := n.(Term); ok && !t.Phrase && !t.Prefix {
			if sym, err := corpus.ParseSymbol(strings.ToUpper(strings.Trim(t.Text, ".,;:"))); err == nil && slices.Contains(symbols, sym.Normalized) {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// dropReferenceWords removes from a query that names a provision the words
// that only name it ("CAT", "article", "3"), so that they do not match every
// passage containing "article".
func dropReferenceWords(nodes []Node, instruments []string) []Node {
	names := map[string]bool{}
	for _, in := range instruments {
		names[strings.ToLower(in)] = true
		if inst, ok := corpus.LookupInstrument(in); ok {
			for _, n := range inst.Names {
				for _, w := range strings.Fields(n) {
					names[strings.ToLower(strings.Trim(w, ".,;:()"))] = true
				}
			}
			for _, t := range inst.Titles {
				for _, w := range strings.Fields(t) {
					names[strings.ToLower(strings.Trim(w, ".,;:()"))] = true
				}
			}
		}
	}
	var out []Node
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Phrase {
			out = append(out, n)
			continue
		}
		w := strings.ToLower(strings.Trim(t.Text, ".,;:"))
		if t.Prefix {
			out = append(out, n)
			continue
		}
		if refWords[w] || names[w] || articleNumber.MatchString(w) || strings.HasPrefix(w, "art.") {
			continue
		}
		out = append(out, n)
	}
	return out
}

// textQuery turns a text node into a scored query, and the queries that
// snippets should mark.
func (s *Searcher) textQuery(n Node, p *plan) (query.Query, []query.Query) {
	switch n := n.(type) {
	case Term:
		return s.unit(n, p)
	case And:
		var req, opt []Node
		for _, c := range n.Children {
			if m, ok := c.(Must); ok {
				req = append(req, m.Child)
			} else {
				opt = append(opt, c)
			}
		}
		mq, hl, searchable := s.units(req, p)
		if !searchable {
			return nil, nil // a required word that cannot be searched
		}
		oq, ohl, _ := s.units(opt, p)
		q := combine(mq, oq)
		if q == nil {
			return nil, nil
		}
		return q, append(hl, ohl...)
	case Must:
		return s.textQuery(n.Child, p)
	case Or:
		var qs, hl []query.Query
		for _, c := range n.Children {
			if q, h := s.textQuery(c, p); q != nil {
				qs = append(qs, q)
				hl = append(hl, h...)
			}
		}
		if len(qs) == 0 {
			return nil, nil
		}
		return query.NewDisjunctionQuery(qs), hl
	case Filter:
		return filterQuery([]Filter{n}), nil
	case Not:
		// A negation nested inside a group: exclude it there.
		q, _ := s.textQuery(n.Child, nil)
		if q == nil {
			return nil, nil
		}
		bq := query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{q})
		return bq, nil
	}
	return nil, nil
}

// units turns a sequence of nodes into scored units: a word, a phrase, a
// group, or consecutive plain words that form a lexicon entry ("fair
// trial"), which are one unit expanded together; a repeated word is one
// unit. complete is false when a node gives no query (a stop word alone):
// a required one cannot be met. The units may be fewer than the nodes
// without that.
func (s *Searcher) units(nodes []Node, p *plan) (qs, hl []query.Query, complete bool) {
	complete = true
	i := 0
	seen := map[string]bool{} // "torture torture" costs one unit
	for i < len(nodes) {
		if t, ok := nodes[i].(Term); ok {
			key := strings.ToLower(String(t))
			if seen[key] {
				i++
				continue
			}
			seen[key] = true
		}
		if span, q, h := s.stateSpan(nodes[i:], p); span > 0 {
			qs = append(qs, q)
			hl = append(hl, h...)
			i += span
			continue
		}
		if span, q, h := s.lexiconSpan(nodes[i:], p); span > 0 {
			qs = append(qs, q)
			hl = append(hl, h...)
			i += span
			continue
		}
		if q, h := s.textQuery(nodes[i], p); q != nil {
			qs = append(qs, q)
			hl = append(hl, h...)
		} else {
			complete = false
		}
		i++
	}
	return qs, hl, complete
}

// queryLanguage guesses the language a query is typed in from the lexicon
// terms (two votes each) and the function words (corpus.LanguageVotes) it
// contains, with corpus.GuessLanguage; "" when it cannot tell.
func (s *Searcher) queryLanguage(words []string) string {
	var norm []string
	for _, w := range words {
		norm = append(norm, corpus.FoldedWords(w)...)
	}
	votes := corpus.LanguageVotes(strings.Join(words, " "))
	for _, e := range s.lex.Expand(norm) {
		votes[e.Language] += 2
	}
	return corpus.GuessLanguage(votes, 1)
}

// maxStateWords bounds the words of a state's name ("Bosnia and
// Herzegovina").
const maxStateWords = 4

// stateSpan recognises, at the start of nodes, the name of a state the
// query names ("Suiza", "Türkiye", "El Salvador"), in any language the
// extractor reads. Its unit also searches the state's other names, at the
// weight of the lexicon's equivalents: "Suiza" finds the English decisions
// about Switzerland, "Türkiye" those that say "Turkey".
func (s *Searcher) stateSpan(nodes []Node, p *plan) (int, query.Query, []query.Query) {
	if p == nil || len(p.states) == 0 {
		return 0, nil, nil
	}
	var words []string
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Phrase || t.Prefix || len(words) == maxStateWords {
			break
		}
		words = append(words, t.Text)
	}
	state := func(ws []string) string {
		if len(ws) == 0 {
			return ""
		}
		if ext := corpus.Extract(strings.Join(ws, " "), corpus.Context{}); len(ext.States) == 1 {
			return ext.States[0]
		}
		return ""
	}
	// The longest span naming one state whose every word is needed: not
	// "torture in Mexico", but "Mexico".
	for k := len(words); k >= 1; k-- {
		st := state(words[:k])
		if st == "" || !slices.Contains(p.states, st) || state(words[1:k]) == st || state(words[:k-1]) == st {
			continue
		}
		// The other names (and capitals, which the extractor reads as the
		// state), but not those holding the typed one ("Republic of El
		// Salvador" for "El Salvador").
		typed := corpus.DefinitionKey(strings.Join(words[:k], " "))
		var others []string
		for _, name := range corpus.StateNames(st) {
			// Abbreviations (US, EE.UU.) are words of their own too ("us",
			// Spanish "usa").
			if strings.ToUpper(name) != name && !strings.Contains(" "+corpus.DefinitionKey(name)+" ", " "+typed+" ") {
				others = append(others, name)
			}
		}
		if len(others) == 0 {
			return 0, nil, nil // the words search as they would
		}
		var alts, hl []query.Query
		if k == 1 {
			q, h := s.unitNoExpand(nodes[0].(Term))
			if q == nil {
				return 0, nil, nil
			}
			alts, hl = []query.Query{q}, h
		} else {
			qs, h, _ := s.units(nodes[:k], nil)
			if q := combine(nil, qs); q != nil {
				alts, hl = []query.Query{q}, h
			}
		}
		for _, name := range others {
			alts = append(alts, s.phrase(name, boostExpansion)...)
			hl = append(hl, s.phrase(name, 1)...)
			p.expanded = append(p.expanded, name)
		}
		return k, query.NewDisjunctionQuery(alts), hl
	}
	return 0, nil, nil
}

// lexiconSpan recognises a multi-word lexicon entry at the start of nodes.
func (s *Searcher) lexiconSpan(nodes []Node, p *plan) (int, query.Query, []query.Query) {
	var words []string
	for _, n := range nodes {
		t, ok := n.(Term)
		if !ok || t.Phrase {
			break
		}
		words = append(words, corpus.FoldedWords(t.Text)...)
		if len(words) >= 6 {
			break
		}
	}
	if len(words) < 2 {
		return 0, nil, nil
	}
	exps := s.lex.Expand(words)
	if len(exps) == 0 || exps[0].Start != 0 || exps[0].End < 2 {
		return 0, nil, nil
	}
	e := exps[0]
	// How many nodes does the span cover?
	span, count := 0, 0
	for _, n := range nodes {
		count += len(corpus.FoldedWords(n.(Term).Text))
		span++
		if count >= e.End {
			break
		}
	}
	if count != e.End {
		return 0, nil, nil
	}
	var words2, hl []query.Query
	for _, n := range nodes[:span] {
		q, h := s.unitNoExpand(n.(Term))
		if q != nil {
			words2 = append(words2, q)
			hl = append(hl, h...)
		}
	}
	// Equivalents are not deduplicated here as they are for one word:
	// one that repeats a clause adds to the weight of the phrase's shared
	// analyses, and without the repeats recall@10 on ../shared/eval fell
	// from 0.743 to 0.733.
	alts := []query.Query{query.NewConjunctionQuery(words2)}
	alts = append(alts, s.phrase(e.Matched, boostPhrase)...)
	for _, a := range e.Alternatives {
		alts = append(alts, s.phrase(a, boostExpansion)...)
		hl = append(hl, s.phrase(a, 1)...)
		if p != nil {
			p.expanded = append(p.expanded, a)
		}
	}
	return span, query.NewDisjunctionQuery(alts), hl
}

// unit is one typed word or phrase with its lexicon equivalents. A quoted
// phrase asks for those words in that order, as the query syntax page
// says: it gets no equivalents ("deprivation of liberty" in quotes is not
// "detention").
func (s *Searcher) unit(t Term, p *plan) (query.Query, []query.Query) {
	q, hl := s.unitNoExpand(t)
	if q == nil || t.Phrase {
		return q, hl
	}
	words := corpus.FoldedWords(t.Text)
	exps := s.lex.Expand(words)
	if len(exps) != 1 || exps[0].Start != 0 || exps[0].End != len(words) {
		return q, hl
	}
	alts, hl := s.expand([]query.Query{q}, hl, hl, exps[0].Alternatives, p)
	return query.NewDisjunctionQuery(alts), hl
}

// expand adds a typed word's or phrase's equivalents from the lexicon to
// its alternatives and to what snippets mark. An equivalent that analyses
// to a clause the unit already searches (searched, or an earlier
// equivalent: torture and tortura both give tortur) adds nothing, rather
// than walking and scoring the same postings again (the 3-word AND, OR and
// common-term classes of the benchmark: 5-16% faster).
func (s *Searcher) expand(alts, hl, searched []query.Query, equivalents []string, p *plan) ([]query.Query, []query.Query) {
	seen := make(map[string]bool, len(searched))
	for _, q := range searched {
		seen[clauseKey(q)] = true
	}
	for _, a := range equivalents {
		marks := s.phrase(a, 1)
		for i, q := range s.phrase(a, boostExpansion) {
			if k := clauseKey(q); !seen[k] {
				seen[k] = true
				alts = append(alts, q)
				hl = append(hl, marks[i])
			}
		}
		if p != nil {
			p.expanded = append(p.expanded, a)
		}
	}
	return alts, hl
}

// unitNoExpand is the query for a typed word or phrase in every language's
// analysis, over text, heading and title.
func (s *Searcher) unitNoExpand(t Term) (query.Query, []query.Query) {
	if t.Prefix {
		// Index terms are lower-cased and folded (and stemmed, which keeps
		// the opening of a word): match the prefix in the same form.
		prefix := strings.ToLower(corpus.Fold(t.Text))
		var qs []query.Query
		for _, f := range []struct {
			field string
			boost float64
		}{{schema.FieldText, boostText}, {schema.FieldHeading, boostHeading}} {
			pq := query.NewPrefixQuery(prefix)
			pq.SetField(f.field)
			pq.SetBoost(f.boost)
			qs = append(qs, pq)
		}
		return query.NewDisjunctionQuery(qs), qs[:1]
	}
	if t.Phrase || len(corpus.FoldedWords(t.Text)) > 1 {
		ph := s.phrase(t.Text, boostText)
		if len(ph) == 0 {
			return nil, nil
		}
		qs := append([]query.Query{}, ph...)
		for _, pos := range s.analyze(t.Text) {
			qs = append(qs, phraseQ(schema.FieldHeading, pos, boostHeading))
		}
		return query.NewDisjunctionQuery(qs), ph
	}
	var qs, hl []query.Query
	seen := map[string]bool{}
	for _, pos := range s.analyze(t.Text) {
		for _, tok := range flatten(pos) {
			if seen[tok] {
				continue
			}
			seen[tok] = true
			tq := termQ(schema.FieldText, tok, boostText)
			qs = append(qs, tq, termQ(schema.FieldHeading, tok, boostHeading), termQ(schema.FieldTitle, tok, boostTitle))
			hl = append(hl, termQ(schema.FieldText, tok, 1))
		}
	}
	if len(qs) == 0 {
		return nil, nil
	}
	return query.NewDisjunctionQuery(qs), hl
}

// phrase returns phrase queries on the text field for each distinct
// analysis of s.
func (s *Searcher) phrase(text string, boost float64) []query.Query {
	var out []query.Query
	for _, pos := range s.analyze(text) {
		out = append(out, phraseQ(schema.FieldText, pos, boost))
	}
	return out
}

// analyze returns the distinct analyses of text in the query languages,
// each as positions holding terms (an empty position is a removed stop
// word, which a phrase skips). A text that is only stop words in English or
// Spanish gives nothing: it would match nearly every passage of a language.
func (s *Searcher) analyze(text string) [][][]string {
	var out [][][]string
	seen := map[string]bool{}
	for _, a := range s.analyzers {
		ts := a.Analyze([]byte(text))
		if len(ts) == 0 {
			return nil
		}
		first, last := ts[0].Position, ts[0].Position
		for _, t := range ts {
			first, last = min(first, t.Position), max(last, t.Position)
		}
		pos := make([][]string, last-first+1)
		for _, t := range ts {
			pos[t.Position-first] = append(pos[t.Position-first], string(t.Term))
		}
		key := fmt.Sprint(pos)
		if !seen[key] {
			seen[key] = true
			out = append(out, pos)
		}
	}
	return out
}

// clauseKey names what a text clause of phrase or term searches: its
// field and terms, not its boost.
func clauseKey(q query.Query) string {
	switch q := q.(type) {
	case *query.TermQuery:
		return q.FieldVal + "\x00" + q.Term
	case *query.MultiPhraseQuery:
		return q.FieldVal + "\x00" + fmt.Sprint(q.Terms)
	}
	return fmt.Sprintf("%p", q)
}

func phraseQ(field string, pos [][]string, boost float64) query.Query {
	if len(pos) == 1 && len(pos[0]) == 1 {
		return termQ(field, pos[0][0], boost)
	}
	q := query.NewMultiPhraseQuery(pos, field)
	q.SetBoost(boost)
	return q
}

func termQ(field, term string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func flatten(pos [][]string) []string {
	var out []string
	for _, p := range pos {
		out = append(out, p...)
	}
	return out
}
