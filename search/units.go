package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

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
			} else if isPhrase(c) {
				req = append(req, c) // a quoted phrase is required
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

// unit is one typed word or phrase with its lexicon equivalents. A quoted
// phrase asks for those words in that order, as the query syntax page
// says: it gets no equivalents ("deprivation of liberty" in quotes is not
// "detention").
func (s *Searcher) unit(t Term, p *plan) (query.Query, []query.Query) {
	q, hl := s.unitNoExpand(t, p.isExact())
	if q == nil || t.Phrase || p.isExact() {
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
				alts = append(alts, proximityOf(q))
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
func (s *Searcher) unitNoExpand(t Term, exact bool) (query.Query, []query.Query) {
	if t.Prefix {
		// Index terms are lower-cased and folded (and stemmed, which keeps
		// the opening of a word): match the prefix in the same form, and in
		// exact mode the words as written, which the stemmed ones hold.
		prefix := strings.ToLower(corpus.Fold(t.Text))
		if exact {
			return query.NewDisjunctionQuery([]query.Query{
				prefixQ(schema.FieldText, prefix, boostText),
				prefixQ(schema.FieldText, string(schema.ExactMark)+prefix, boostText),
			}), nil
		}
		qs := []query.Query{prefixQ(schema.FieldText, prefix, boostText), prefixQ(schema.FieldHeading, prefix, boostHeading)}
		return query.NewDisjunctionQuery(qs), qs[:1]
	}
	if exact && !t.Phrase && len(s.analyze(t.Text, schema.Words)) == 0 {
		return nil, nil // a stop word alone, as without exact
	}
	if exact {
		q := s.exactQuery(t.Text, boostText)
		if q == nil {
			return nil, nil
		}
		return q, s.phraseIn(schema.FieldText, t.Text, schema.Exact, 1)
	}
	if t.Phrase || len(corpus.FoldedWords(t.Text)) > 1 {
		// A quoted phrase holding a stop word is matched as written, every
		// word in its place: "would not constitute" is not "would
		// constitute", "in no case" not "case". Other phrases, and words
		// joined by punctuation ("non-refoulement"), by their stems.
		r := schema.Words
		if t.Phrase && s.dropsWords(t.Text) {
			r = schema.Exact
		}
		ph := s.phraseIn(schema.FieldText, t.Text, r, boostText)
		if len(ph) == 0 {
			return nil, nil
		}
		// The phrases are scored without their locations, which only
		// the marks (ph) need.
		var qs []query.Query
		for _, q := range append(slices.Clone(ph), s.phraseIn(schema.FieldHeading, t.Text, r, boostHeading)...) {
			qs = append(qs, proximityOf(q))
		}
		return query.NewDisjunctionQuery(qs), ph
	}
	var qs, hl, notes []query.Query
	seen := map[string]bool{}
	for _, pos := range s.analyze(t.Text, schema.Words) {
		for _, tok := range flatten(pos) {
			if seen[tok] {
				continue
			}
			seen[tok] = true
			tq := termQ(schema.FieldText, tok, boostText)
			qs = append(qs, tq, termQ(schema.FieldHeading, tok, boostHeading), termQ(schema.FieldTitle, tok, boostTitle))
			if s.hasNotes {
				notes = append(notes, termQ(schema.FieldNoteText, tok, boostNote))
			}
			hl = append(hl, termQ(schema.FieldText, tok, 1))
		}
	}
	if len(qs) == 0 {
		return nil, nil
	}
	if len(notes) > 0 {
		// Footnotes find the passage too, at a low weight, without
		// changing the scores of the passages the text matches.
		return &notedQuery{main: query.NewDisjunctionQuery(qs), note: query.NewDisjunctionQuery(notes)}, hl
	}
	return query.NewDisjunctionQuery(qs), hl
}

// lexiconSpan recognises a multi-word lexicon entry at the start of nodes.
func (s *Searcher) lexiconSpan(nodes []Node, p *plan) (int, query.Query, []query.Query) {
	if p.isExact() {
		return 0, nil, nil
	}
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
		q, h := s.unitNoExpand(n.(Term), false)
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
	alts = append(alts, proximities(s.phrase(e.Matched, boostPhrase))...)
	for _, a := range e.Alternatives {
		alts = append(alts, proximities(s.phrase(a, boostExpansion))...)
		hl = append(hl, s.phrase(a, 1)...)
		if p != nil {
			p.expanded = append(p.expanded, a)
		}
	}
	return span, query.NewDisjunctionQuery(alts), hl
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
	if p == nil || len(p.states) == 0 || p.exact {
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
			q, h := s.unitNoExpand(nodes[0].(Term), false)
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
			alts = append(alts, proximities(s.phrase(name, boostExpansion))...)
			hl = append(hl, s.phrase(name, 1)...)
			p.expanded = append(p.expanded, name)
		}
		return k, query.NewDisjunctionQuery(alts), hl
	}
	return 0, nil, nil
}
