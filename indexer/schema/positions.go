package schema

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// positionsOnlyName is the token filter that keeps each token's position
// and forgets its byte offsets (start and end become 0). The index keeps,
// for every occurrence of a term in a field with term vectors, its
// position and its start and end offsets as varints; phrases need only the
// position, and the highlighter reads offsets from FieldText, never from
// FieldExact. Offsets of 0 take one byte each instead of two or three: the
// exact field's locations shrink by about two fifths.
const positionsOnlyName = "hr_positions_only"

// AnalyzerExact analyses FieldExact: AnalyzerFolded's terms (lower case,
// folded, every word kept, no stemming) at their positions, without byte
// offsets. A query is analysed with AnalyzerFolded: same terms.
const AnalyzerExact = "hr_exact"

// AnalyzerExactHeading analyses the heading's copy in FieldExact: as
// AnalyzerExact, with positions moved past any passage text's
// (headingPositionBase), so that a quoted phrase with stop words matches a
// heading ("Article 3 — No one shall be …") and never runs from the
// heading into the text.
const AnalyzerExactHeading = "hr_exact_heading"

// shiftPositionsName is the token filter moving positions by
// headingPositionBase.
const shiftPositionsName = "hr_shift_positions"

// headingPositionBase is where a heading's positions start in FieldExact:
// far past the last word of any passage (a document of 200 MB has fewer
// words than this, in every passage together).
const headingPositionBase = 1 << 26

type shiftPositionsFilter struct{}

func (shiftPositionsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Position += headingPositionBase
	}
	return input
}

type positionsOnlyFilter struct{}

func (positionsOnlyFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Start, tok.End = 0, 0
	}
	return input
}

func init() {
	// As foldName: registering a filter type does no I/O.
	registry.RegisterTokenFilter(positionsOnlyName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return positionsOnlyFilter{}, nil
	})
	registry.RegisterTokenFilter(shiftPositionsName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return shiftPositionsFilter{}, nil
	})
}
