package corpus

import "time"

// Kinds of document, as the catalog names them.
const (
	KindTreaty         = "treaty"
	KindRules          = "rules"
	KindDeclaration    = "declaration"
	KindGeneralComment = "general-comment"
	KindDecision       = "decision"
	KindReport         = "report"
	KindArticle        = "article"
)

// Formats a reader exists for.
const (
	FormatHTML          = "html"
	FormatMarkdown      = "markdown"
	FormatText          = "text"
	FormatParagraphJSON = "paragraph-json"
	FormatPDF           = "pdf"
)

// Document is a catalog entry with the passages read from its source.
type Document struct {
	Entry
	Passages []Passage `json:"passages,omitempty"`
	// Entered is when the document's bytes entered the library (fetched
	// or uploaded), zero when not known: feeds list documents by it.
	Entered time.Time `json:"-"`
}

// Passage is the unit of search: a treaty article, a rule, a numbered
// paragraph or a block of plain text.
type Passage struct {
	// ID is "<document-id>#<unit>", e.g. "cat#art-3".
	ID       string `json:"id"`
	Document string `json:"document"`
	// Unit is the anchor within the document: art-3, rule-58, para-13.4,
	// preamble, p-7, nl-art-3, op1-art-1.
	Unit string `json:"unit"`
	// Order is the passage's position in its document, from 0.
	Order int `json:"order"`
	// Heading is the passage's own heading as printed ("Article 3"),
	// or the section it sits under for numbered paragraphs.
	Heading string `json:"heading,omitempty"`
	// Section is the titles of the parts the passage sits in, outermost
	// first: "Rules of general application › Prisoner file management".
	Section  string `json:"section,omitempty"`
	Text     string `json:"text"`
	Language string `json:"language,omitempty"`
	// Instrument is the instrument whose text this passage is, for treaties,
	// rules and declarations ("CAT", "ICCPR-OP1"); empty for findings.
	Instrument string `json:"own_instrument,omitempty"`
	// Labels are curated tags carried by the source (paragraph JSON).
	Labels []string `json:"labels,omitempty"`
	// Notes are the passage's footnotes, kept apart from Text: facets are
	// computed from Text alone.
	Notes []Note `json:"notes,omitempty"`
	// Cites are the instruments and articles only the notes refer to
	// ("CAT 3"), kept apart from the facets.
	Cites []string `json:"cites,omitempty"`

	// Facet values, filled by extraction.
	Instruments []string `json:"instrument,omitempty"`
	Articles    []string `json:"article,omitempty"`
	States      []string `json:"state,omitempty"`
	Symbols     []string `json:"symbol,omitempty"`
	// Defines are the terms a provision defines ("torture" for the CAT's
	// article 1), as printed.
	Defines []string `json:"defines,omitempty"`
}
