package search

import (
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
	// boostNote weighs a word found in a passage's footnotes: enough to
	// find the passage, little enough that passages saying the word
	// themselves come first.
	boostNote = 0.1
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
