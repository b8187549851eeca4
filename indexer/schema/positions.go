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
}
