// Package search parses researchers' queries, runs them against the passage
// index with facets, ranking and highlighting, and returns its own types.
package search

import (
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// Filter fields a request may carry, with the facet fields first.
const (
	FilterInstrument = "instrument"
	FilterArticle    = "article"
	FilterState      = "state"
	FilterKind       = "kind"
	FilterLanguage   = "language"
	FilterYear       = "year"
	FilterSymbol     = "symbol"
	FilterDocument   = "document"
	// Case law: the State party of a decision or of concluding
	// observations (ISO alpha-2), a decision's outcome, and the concerned
	// groups of a passage (its paragraph's labels).
	FilterParty   = "party"
	FilterOutcome = "outcome"
	FilterGroup   = "group"
)

// FacetNames are the facets every search returns, in display order.
var FacetNames = []string{FilterInstrument, FilterArticle, FilterState, FilterKind, FilterLanguage, FilterYear,
	FilterParty, FilterOutcome, FilterGroup}

// FilterNames are the fields a request may filter on.
var FilterNames = []string{FilterInstrument, FilterArticle, FilterState, FilterKind, FilterLanguage, FilterYear, FilterSymbol, FilterDocument,
	FilterParty, FilterOutcome, FilterGroup}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"     // newest first
	SortDateAsc   = "date-asc" // oldest first
)

// Request is one search. Values of one filter are OR-ed, different filters
// AND-ed, and both AND-ed with the filters written in the query.
type Request struct {
	Query   string              `json:"q"`
	Filters map[string][]string `json:"filters,omitempty"`
	// Page counts from 1; Size is the hits per page.
	Page int    `json:"page"`
	Size int    `json:"size"`
	Sort string `json:"sort,omitempty"`
	// FacetSize is the number of values per facet (0: the default).
	FacetSize int `json:"facet_size,omitempty"`
	// Facets limits the facets computed (nil: FacetNames).
	Facets []string `json:"facets,omitempty"`
	// Exact searches the words as typed: no stemming, no lexicon
	// equivalents (stop words alone are still not searched).
	Exact bool `json:"exact,omitempty"`
	// StrictFilters makes a filter value that names nothing an error
	// (*FilterError), as the API wants; else it is left out with a
	// notice.
	StrictFilters bool `json:"-"`
	// NoSnippets skips highlighting (the CLI's plain listing, benchmarks).
	NoSnippets bool `json:"-"`
	// Cursor, if set, is a Results.Next of the same search: the page after
	// it (Page is then ignored). See cursor.go.
	Cursor string `json:"cursor,omitempty"`
	// WithText fills Hit.Text with the passage's whole text (exports).
	WithText bool `json:"-"`
}

// Hit is one passage in the results.
type Hit struct {
	ID       string `json:"id"`
	Document string `json:"document"`
	Title    string `json:"title"`
	Unit     string `json:"unit"`
	Heading  string `json:"heading,omitempty"`
	// Section is the titles of the parts the passage sits in ("Rules of
	// general application › Prisoner file management").
	Section string `json:"section,omitempty"`
	// Snippet is HTML: the passage's best fragments with matches in <mark>,
	// every other character escaped.
	Snippet    string   `json:"snippet"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
	Symbol     []string `json:"symbol,omitempty"`
	Kind       string   `json:"kind"`
	Language   string   `json:"language"`
	Year       string   `json:"year,omitempty"`
	Date       string   `json:"date,omitempty"`
	Score      float64  `json:"score"`
	// Text is the passage's whole text, when Request.WithText asked for it.
	Text string `json:"text,omitempty"`
	// Citation is the passage's reference with its pinpoint
	// ("Tebourski v. France (CAT/C/38/D/300/2006), para. 8.2").
	Citation string `json:"citation"`
	// Case is the case metadata of a decision's passage.
	Case *corpus.Case `json:"case,omitempty"`
}

// FacetValue is one value of a facet with the number of matching passages.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Results are one page of a search.
type Results struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
	// Other counts the passages in each facet beyond the values listed.
	Page int           `json:"page"`
	Size int           `json:"size"`
	Took time.Duration `json:"took_ns"`
	// Articles are the provisions the query named ("CAT 3"), if any.
	Articles []string `json:"query_articles,omitempty"`
	// Expanded are the terms added by the lexicon.
	Expanded []string `json:"expanded,omitempty"`
	// Words, for a query of several plain words, counts the passages
	// holding all of them (which rank first) and any of them.
	Words *WordCounts `json:"words,omitempty"`
	// Notices say what happened to the input: words read otherwise than
	// they may look, values that match nothing, cuts.
	Notices []Notice `json:"notices,omitempty"`
	// Next is the cursor of the page after this one ("" on the last).
	Next string `json:"next,omitempty"`
}

// WordCounts counts the passages holding all of a query's plain words and
// those holding any of them.
type WordCounts struct {
	Terms []string `json:"terms"`
	All   uint64   `json:"all"`
	Any   uint64   `json:"any"`
}

// Passage is one stored passage with its full text, for document views.
type Passage struct {
	ID         string   `json:"id"`
	Document   string   `json:"document"`
	Unit       string   `json:"unit"`
	Order      int      `json:"order"`
	Heading    string   `json:"heading,omitempty"`
	Text       string   `json:"text"`
	Language   string   `json:"language"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
	Symbol     []string `json:"symbol,omitempty"`
	// OwnArticle is the provision the passage is ("CAT 3"), if it is one.
	OwnArticle string `json:"own_article,omitempty"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Year       string `json:"year,omitempty"`
	Date       string `json:"date,omitempty"`
	// Citation is the passage's reference with its pinpoint.
	Citation string `json:"citation"`
	// Section is the titles of the parts the passage sits in.
	Section string `json:"section,omitempty"`
	// Notes are the passage's footnotes, apart from its text.
	Notes []Note `json:"notes,omitempty"`
	// Cites are the provisions only its notes refer to ("CAT 3").
	Cites []string `json:"cites,omitempty"`
}

// Note is one footnote of a passage: its number as printed and its text.
type Note = corpus.Note

// CitedBy groups the passages that cite one provision (Article), or one
// document (Document, by its Symbol or its CaseName), by document.
type CitedBy struct {
	Article string `json:"article"`
	// Document is the cited document; Symbol the UN symbol its citations
	// bear; CaseName the case name they cite it by, when a passage does.
	Document string `json:"document,omitempty"`
	Symbol   string `json:"symbol,omitempty"`
	CaseName string `json:"case_name,omitempty"`
	Total    uint64 `json:"total"` // citing passages
	// TotalDocuments counts the citing documents listed (translations
	// listed under their original are not counted again).
	TotalDocuments int            `json:"total_documents"`
	Documents      []CitingSource `json:"documents"`
	// Truncated says that more passages cite the article than were read.
	Truncated bool `json:"truncated,omitempty"`
}

// CitingSource is one document citing a provision, with its citing passages.
type CitingSource struct {
	Document string   `json:"document"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Passages []string `json:"passages"` // passage ids, in document order
	// Translations are the citing language versions of this document
	// (udhr-es under udhr), each with its own citing passages.
	Translations []CitingSource `json:"translations,omitempty"`
	Language     string         `json:"language,omitempty"`

	symbol string // what, with the kind and language, groups translations
}
