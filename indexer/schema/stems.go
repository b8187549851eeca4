package schema

import (
	"bytes"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/registry"
)

// One text field answers plain words, phrases that keep their stop words,
// and exact words. The analyzer of a stemmed language (English, Spanish)
// keeps every word at its position:
//
//   - a stop word as itself, marked (StopMark): "not" gives "~not", so a
//     quoted "would not constitute" tells "not" from its absence, while a
//     plain word of another language's analysis ("el" of "El Salvador",
//     read in English) never meets the Spanish article;
//   - any other word by its stem, and when its stem changes it, as written
//     too, marked (ExactMark), at the same position: "deported" gives
//     "deport" and "=deported", "deport" gives "deport" alone.
//
// A plain word is searched by its stem (stop words left out, as before
// they were indexed); a quoted phrase holding stop words, and an exact
// word, as written: "=deported" finds that form only, "~not" the negation.
// An exact search for a word that is its own stem ("deport", "state")
// finds the stem's term, which the word's other forms share: exact mode is
// exact for every word that stemming changes and for stop words, and as
// loose as stemming for the others. Indexing every word a second time as
// written would make it exact for those too, at a cost measured on the
// demo import of 18.6 s and 120 MB against 13.3–14.4 s and 104 MB (README,
// Figures).
//
// Languages without a stemmer (AnalyzerFolded) keep every word as it is:
// their readings are one.

// ExactMark opens the term of a word indexed as written beside its stem,
// and StopMark the term of a stop word. The tokenizer emits neither: they
// are no letters or digits.
const (
	ExactMark = '='
	StopMark  = '~'
)

// marking reads a token stream in one of the ways the index and the query
// readings need, for one language's stop words and stemmer: every one
// marks stop words.
type marking struct {
	stem analysis.TokenFilter
	// exact: any other word becomes its exact term (the query's exact
	// reading); else its stem and, when that changes it, its marked
	// written form (the index).
	exact bool
	// readings holds the stop words' marked terms and the terms of the
	// other words read so far (the stemmer is a fifth of the analysis
	// otherwise, and legal prose repeats its words): one lookup a token.
	readings *readingCache
}

// reading is what marking makes of a word. A stop word has its marked
// term (written) and no stem; another word whose stem differs from it has
// its stem and its marked written form; a word that is its own stem has
// neither.
type reading struct {
	stem, written []byte
}

// readingCacheSize bounds the words a readingCache keeps: the demo
// catalog's 40,474 passages hold about 60,000 distinct words, and the
// first ones read are the common ones.
const readingCacheSize = 1 << 17

// readingCache maps words to their readings, for the analyses that run at
// once on every core. Its terms are shared by every token that reads the
// word: marking is the last filter of its analyzers, and Bleve copies
// terms, never changes them.
//
// Every token looks its word up, so the words known are read without a
// lock: known is a map never changed once published, and the words read
// since are added to fresh, under mu, until fresh is a quarter of known's
// size, when the two are published as the next known (each word is copied
// a few times in all). Values are pointers: the map's slots stay small.
type readingCache struct {
	known atomic.Pointer[map[string]*reading]
	mu    sync.Mutex
	fresh map[string]*reading
}

// ownStem is the reading of every word that is its own stem.
var ownStem = &reading{}

// newReadingCache returns a cache holding the stop words' readings, which
// it keeps however many other words it holds.
func newReadingCache(stop analysis.TokenMap) *readingCache {
	known := make(map[string]*reading, len(stop))
	for w := range stop {
		known[w] = &reading{written: mark(StopMark, []byte(w))}
	}
	c := &readingCache{fresh: make(map[string]*reading)}
	c.known.Store(&known)
	return c
}

// read returns word's reading by stemmer, from the cache if it has it.
func (c *readingCache) read(word []byte, stemmer analysis.TokenFilter) *reading {
	if r, ok := (*c.known.Load())[string(word)]; ok {
		return r
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.fresh[string(word)]; ok {
		return r
	}
	// Bleve's stemmers give a token a new term, leaving word's.
	stem := stemmer.Filter(analysis.TokenStream{&analysis.Token{Term: word}})[0].Term
	r := ownStem // the token keeps its term
	if !bytes.Equal(stem, word) {
		r = &reading{stem: slices.Clip(stem), written: mark(ExactMark, word)}
	}
	known := *c.known.Load()
	if len(known)+len(c.fresh) >= readingCacheSize {
		return r
	}
	c.fresh[string(word)] = r
	if len(c.fresh) >= max(len(known)/4, 64) {
		next := make(map[string]*reading, len(known)+len(c.fresh))
		maps.Copy(next, known)
		maps.Copy(next, c.fresh)
		c.known.Store(&next)
		c.fresh = make(map[string]*reading)
	}
	return r
}

func (m marking) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)+len(input)/2)
	var slab []analysis.Token // the written forms' tokens, allocated a few at a time
	for _, tok := range input {
		r := m.readings.read(tok.Term, m.stem)
		switch {
		case r == ownStem:
			out = append(out, tok)
		case r.stem == nil: // a stop word
			tok.Term = r.written
			out = append(out, tok)
		case m.exact:
			tok.Term = r.written
			out = append(out, tok)
		default:
			tok.Term = r.stem
			if len(slab) == cap(slab) {
				slab = make([]analysis.Token, 0, 32)
			}
			slab = append(slab, *tok)
			asWritten := &slab[len(slab)-1]
			asWritten.Term = r.written
			out = append(out, tok, asWritten)
		}
	}
	return out
}

func mark(m byte, word []byte) []byte {
	return slices.Clip(append([]byte{m}, word...))
}

// Filter names, for each stemmed language: the index's and the exact
// reading's.
const (
	indexEnglish = "hr_index_en"
	indexSpanish = "hr_index_es"
	exactEnglish = "hr_exact_en"
	exactSpanish = "hr_exact_es"
)

func init() {
	// As foldName: registering a filter type does no I/O.
	for _, l := range []struct {
		stopList, stemmer string
		names             map[bool]string // by marking.exact
	}{
		{en.StopName, en.SnowballStemmerName, map[bool]string{false: indexEnglish, true: exactEnglish}},
		{es.StopName, es.LightStemmerName, map[bool]string{false: indexSpanish, true: exactSpanish}},
	} {
		for exact, name := range l.names {
			registry.RegisterTokenFilter(name, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
				stop, err := cache.TokenMapNamed(l.stopList)
				if err != nil {
					return nil, err
				}
				stem, err := cache.TokenFilterNamed(l.stemmer)
				if err != nil {
					return nil, err
				}
				return marking{stem: stem, exact: exact, readings: newReadingCache(stop)}, nil
			})
		}
	}
}
