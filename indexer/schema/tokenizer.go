package schema

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// tokenizerName is the tokenizer of every text analyzer: Bleve's unicode
// tokenizer (words by Unicode's rules, UAX #29, as blevesearch/segment
// finds them) making the same tokens, with the tokens and the stream
// allocated at the size the text suggests. Bleve's guesses the rest of
// the text from the words read so far and grows its stream by doubling
// and a final copy: a passage's tokens cost a dozen allocations and each
// pointer was written twice (FuzzTokenizerIsUnicode).
const tokenizerName = "hr_unicode"

// bytesPerWord is about what a word and its space take in the corpus's
// prose: the first guess of a text's tokens.
const bytesPerWord = 6

type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	guess := len(input)/bytesPerWord + 1
	tokens := make([]analysis.Token, 0, guess)
	out := make(analysis.TokenStream, 0, guess)
	seg := segment.NewWordSegmenterDirect(input)
	start, pos := 0, 1
	for seg.Segment() {
		word := seg.Bytes()
		end := start + len(word)
		if typ := seg.Type(); typ != segment.None {
			if len(tokens) == cap(tokens) {
				// A new block: the tokens the stream points at stay put.
				tokens = make([]analysis.Token, 0, max(guess/2, 16))
			}
			tokens = append(tokens, analysis.Token{Term: word, Start: start, End: end, Position: pos, Type: tokenType(typ)})
			out = append(out, &tokens[len(tokens)-1])
			pos++
		}
		start = end
	}
	return out
}

// tokenType is the token type Bleve's unicode tokenizer gives a segment.
func tokenType(segmentType int) analysis.TokenType {
	switch segmentType {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}

func init() {
	// As foldName: registering a tokenizer type does no I/O.
	registry.RegisterTokenizer(tokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	})
}
