package main

import (
	"strings"

	"github.com/hrsearch/hrsearch/search"
)

// Query kinds: how the words combine. Each engine writes them in its own
// idiom (see the engines' files).
const (
	opTerm   = "term"   // one word
	opPhrase = "phrase" // the words in order
	opOr     = "or"     // any of the words
	opAnd    = "and"    // all of the words
	opPrefix = "prefix" // words starting with
)

// benchQuery is one query of a class, engine-neutral.
type benchQuery struct {
	Class string
	Op    string
	Words []string
	// Filters AND-ed: kind, or the instrument of an article reference.
	Kind       string
	Instrument string
	// Article is a reference query ("CAT article 3"): hrsearch gets the
	// text as typed; the peers a phrase ("article 3") filtered to the
	// instrument.
	Article string
	Facets  []string
	// Highlight asks for marked snippets of the page's hits.
	Highlight bool
	Page      int // from 1
	Size      int
	// Typed is a query as a researcher typed it, for hrsearch alone (the
	// evaluation topics): the peers have no such class.
	Typed string
}

func (q benchQuery) from() int { return (max(q.Page, 1) - 1) * q.size() }
func (q benchQuery) size() int {
	if q.Size == 0 {
		return 10
	}
	return q.Size
}

// hrsearchRequest is the query in hrsearch's own query language, asking for
// exactly what the class asks of every engine (no facets, no snippets unless
// the class has them).
func (q benchQuery) hrsearchRequest() search.Request {
	req := search.Request{Query: q.hrsearchText(), Size: q.size(), Page: max(q.Page, 1),
		Facets: []string{}, NoSnippets: !q.Highlight}
	if len(q.Facets) > 0 {
		req.Facets = q.Facets
	}
	if q.Kind != "" {
		req.Filters = map[string][]string{search.FilterKind: {q.Kind}}
	}
	return req
}

func (q benchQuery) hrsearchText() string {
	if q.Typed != "" {
		return q.Typed
	}
	if q.Article != "" {
		return q.Article
	}
	switch q.Op {
	case opPhrase:
		return `"` + strings.Join(q.Words, " ") + `"`
	case opOr:
		return strings.Join(q.Words, " OR ")
	case opPrefix:
		return q.Words[0] + "*"
	}
	// opAnd: every word required, as the peers' AND.
	return strings.Join(q.Words, " AND ")
}

// stopWordPhrases is how many of the phrase class, at its end, hold stop
// words.
const stopWordPhrases = 3

// Class names, in report order.
const (
	cRare     = "rare term"
	cCommon   = "common term"
	cPhrase   = "phrase"
	cOr3      = "3-word OR"
	cAnd3     = "3-word AND"
	cFacets   = "filtered + 4 facets"
	cFacetsHL = "filtered + 4 facets + highlight"
	cArticle  = "article reference"
	cPrefix   = "prefix"
	cDeep     = "deep page (50)"
)

var classOrder = []string{cRare, cCommon, cPhrase, cOr3, cAnd3, cFacets, cFacetsHL, cArticle, cPrefix, cDeep}

var facet4 = []string{search.FilterInstrument, search.FilterArticle, search.FilterState, search.FilterYear}

func w(s string) []string { return strings.Fields(s) }

// queryClasses returns the query set: a handful of researcher-like queries
// per class, chosen from the corpus's vocabulary (rare terms occur in tens
// of passages, common ones in tens of thousands).
func queryClasses() map[string][]benchQuery {
	m := map[string][]benchQuery{}
	add := func(class string, qs ...benchQuery) {
		for _, q := range qs {
			q.Class = class
			m[class] = append(m[class], q)
		}
	}
	for _, t := range w("polygraph electroshock incommunicado falanga haemorrhage sodomy asphyxiation stateless") {
		add(cRare, benchQuery{Op: opTerm, Words: []string{t}})
	}
	for _, t := range w("torture committee detention convention state complainant return police") {
		add(cCommon, benchQuery{Op: opTerm, Words: []string{t}})
	}
	for _, p := range []string{"diplomatic assurances", "solitary confinement", "fair trial", "enforced disappearance",
		"domestic remedies", "political opinion", "medical examination", "deprivation of liberty",
		// Phrases holding stop words (stopWordPhrases), matched as
		// written: a negation is not its opposite.
		"would not constitute", "in no case", "no substantial grounds"} {
		add(cPhrase, benchQuery{Op: opPhrase, Words: w(p)})
	}
	for _, p := range []string{"asylum refugee deportation", "beating rape electricity", "prison jail custody",
		"lawyer counsel attorney", "child minor juvenile", "hunger food water", "doctor medical psychiatric",
		"extradition expulsion removal"} {
		add(cOr3, benchQuery{Op: opOr, Words: w(p)})
	}
	for _, p := range []string{"torture police custody", "risk return country", "detention conditions overcrowding",
		"interrogation confession evidence", "women violence prison", "complainant asylum switzerland",
		"investigation prompt impartial", "family visits prisoners"} {
		add(cAnd3, benchQuery{Op: opAnd, Words: w(p)})
	}
	for _, t := range w("detention torture deportation investigation") {
		add(cFacets, benchQuery{Op: opTerm, Words: []string{t}, Kind: "decision", Facets: facet4})
		add(cFacetsHL, benchQuery{Op: opTerm, Words: []string{t}, Kind: "decision", Facets: facet4, Highlight: true})
	}
	for _, a := range []struct{ text, instr, num string }{
		{"CAT article 3", "CAT", "3"}, {"CAT article 22", "CAT", "22"}, {"ICCPR article 7", "ICCPR", "7"},
		{"CAT article 14", "CAT", "14"}, {"ICCPR article 9", "ICCPR", "9"}, {"CAT article 16", "CAT", "16"},
	} {
		add(cArticle, benchQuery{Op: opPhrase, Words: []string{"article", a.num}, Instrument: a.instr, Article: a.text})
	}
	for _, t := range w("detent extradit interrog refoul psycholog deport") {
		add(cPrefix, benchQuery{Op: opPrefix, Words: []string{t}})
	}
	for _, t := range w("torture detention state committee") {
		add(cDeep, benchQuery{Op: opTerm, Words: []string{t}, Page: 50})
	}
	return m
}

// smokeClasses is a smaller set for the smoke run: three queries of each
// class, and of the phrases two plain ones and the first holding stop
// words.
func smokeClasses() map[string][]benchQuery {
	m := queryClasses()
	for k, qs := range m {
		if len(qs) <= 3 {
			continue
		}
		if k == cPhrase {
			m[k] = []benchQuery{qs[0], qs[1], qs[len(qs)-stopWordPhrases]}
			continue
		}
		m[k] = qs[:3]
	}
	return m
}
