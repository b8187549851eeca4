package search

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// phrase returns phrase queries on the text field for each distinct
// analysis of s as plain words (a stop word is a gap).
func (s *Searcher) phrase(text string, boost float64) []query.Query {
	return s.phraseIn(schema.FieldText, text, schema.Words, boost)
}

// phraseIn returns phrase queries on field for each distinct analysis of
// text read as r.
func (s *Searcher) phraseIn(field, text string, r schema.Reading, boost float64) []query.Query {
	var out []query.Query
	for _, pos := range s.analyze(text, r) {
		out = append(out, phraseQ(field, pos, boost))
	}
	return out
}

// analyze returns the distinct analyses of text read as r in the query
// languages, each as positions holding terms (an empty position is a
// left-out stop word, which a phrase skips). Plain words that are only
// stop words in English or Spanish give nothing: they would match nearly
// every passage of a language.
func (s *Searcher) analyze(text string, r schema.Reading) [][][]string {
	var out [][][]string
	seen := map[string]bool{}
	for _, a := range s.analyzers[r] {
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

func prefixQ(field, prefix string, boost float64) query.Query {
	q := query.NewPrefixQuery(prefix)
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

// dropsWords reports whether a language's plain-word analysis of text
// leaves out a word (a stop word: "not", "in", "no").
func (s *Searcher) dropsWords(text string) bool {
	for i, a := range s.analyzers[schema.Words] {
		if len(a.Analyze([]byte(text))) < len(s.analyzers[schema.Exact][i].Analyze([]byte(text))) {
			return true
		}
	}
	return false
}

// exactQuery searches text's words as written (lower-cased and folded,
// stop words kept, not stemmed) in the text and the heading: a term for one
// word, a phrase for several; nil when text has no word.
func (s *Searcher) exactQuery(text string, boost float64) query.Query {
	qs := s.phraseIn(schema.FieldText, text, schema.Exact, boost)
	if len(qs) == 0 {
		return nil
	}
	qs = append(qs, s.phraseIn(schema.FieldHeading, text, schema.Exact, boost*boostHeading/boostText)...)
	return query.NewDisjunctionQuery(qs)
}
