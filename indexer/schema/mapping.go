package schema

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"

	// The mappings of indexes built before this version name Bleve's
	// length filter and unicode tokenizer: registered, such an index
	// opens and is rebuilt as outdated (indexer.OpenData) rather than
	// failing to open.
	_ "github.com/blevesearch/bleve/v2/analysis/token/length"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"
)

// Field names of the index. package search builds its queries from these.
const (
	FieldText     = "text"     // the passage text: analysed by language, stored, term vectors for snippets
	FieldHeading  = "heading"  // "Article 3", or the section a paragraph sits under
	FieldTitle    = "title"    // the document's title
	FieldDocument = "document" // document id
	FieldUnit     = "unit"     // unit within the document: art-3, para-13.4
	FieldOrder    = "order"    // position of the passage in its document, as OrderKey
	FieldKind     = "kind"
	FieldLanguage = "language"
	FieldBody     = "body"
	FieldYear     = "year" // four digits, a keyword so that it facets and ranges as text
	FieldDate     = "date"
	// FieldWhen sorts by time: the date, else the year alone ("2025"
	// sorts after "1948-12-10", and before "2025-01-01"). Not stored.
	FieldWhen = "when"
	// FieldEntered is when the document entered the library (Entered),
	// a keyword that sorts as the time; feeds sort by it. Not stored.
	FieldEntered = "entered"
	FieldSymbol  = "symbol"     // the document's UN symbol and symbols cited in the passage
	FieldInstr   = "instrument" // facet: own instrument and instruments cited
	FieldArticle = "article"    // facet: "CAT 3", "ACHR 22(8)"
	FieldState   = "state"      // facet: ISO 3166-1 alpha-2
	// FieldOwnArticle is the provision this passage *is* ("CAT 3" for cat#art-3),
	// empty for findings; article-reference queries boost it.
	FieldOwnArticle = "own_article"
	// FieldTier ranks kinds of text: provision, interpretation, finding, commentary.
	FieldTier = "tier"
	// FieldDefines holds the corpus.DefinitionKey of each term a provision
	// defines: searched, never shown.
	FieldDefines = "defines"
	// Case law (corpus.Case): the State party of a decision or of concluding
	// observations, a decision's outcome, the concerned groups of the
	// passage (its paragraph's labels) and of its whole document, and the
	// case metadata as JSON (stored, not searched).
	FieldParty    = "party"
	FieldOutcome  = "outcome"
	FieldGroup    = "group"
	FieldDocGroup = "doc_group"
	FieldCase     = "case"
	// FieldCaseKey holds the corpus.CaseKeys of a decision, on its first
	// passage: lookups by case name, number or symbol. Not stored.
	FieldCaseKey = "case_key"
	// FieldCaseName is a decision's case name on every passage, for
	// citations (stored, not searched); the whole case (FieldCase) and the
	// document's groups (FieldDocGroup) are on its first passage only.
	FieldCaseName = "case_name"
	// FieldSection holds the titles of the parts a passage sits in
	// ("Rules of general application › Prisoner file management"), and
	// FieldNotes its footnotes as JSON: both stored for display (the
	// notes' words are searched through FieldNoteText). FieldCites holds
	// the references only its notes make ("CAT 3"), apart from the article
	// facet.
	FieldSection = "section"
	FieldNotes   = "notes"
	FieldCites   = "cites"
	// FieldNoteText holds the text of a passage's footnotes, analysed as
	// its text, indexed without positions and not stored: a word found
	// only in a note finds the passage, which the search ranks low.
	FieldNoteText = "note_text"
)

// Analyzer names. Every text field of a passage is analysed by its
// language's analyzer; each folds diacritics so "detencion" finds "detención".
// The stemmed languages' analyzers keep stop words and mark the words their
// stem changes (stems.go).
const (
	AnalyzerEnglish = "hr_en"
	AnalyzerSpanish = "hr_es"
	AnalyzerFolded  = "hr_folded" // every other language: lower case and folded, no stemming
)

// Reading is how a query's text is analysed: the index holds every word
// (stems.go), so one field answers both.
type Reading int

const (
	// Words are a query's plain words: stemmed, stop words left out (a
	// stop word alone would match nearly every passage of a language).
	Words Reading = iota
	// Exact is every word kept as written, stop words too: a quoted
	// phrase holding stop words, and a query in exact-words mode.
	Exact
)

// QueryAnalyzers returns the analyzers a query's text is read with in
// reading r, one per analysis of the index (English, Spanish, the others).
func QueryAnalyzers(r Reading) []string {
	if r == Exact {
		return []string{analyzerEnglishExact, analyzerSpanishExact, AnalyzerFolded}
	}
	return []string{analyzerEnglishWords, analyzerSpanishWords, AnalyzerFolded}
}

const (
	analyzerEnglishWords = "hr_en_words"
	analyzerSpanishWords = "hr_es_words"
	analyzerEnglishExact = "hr_en_exact"
	analyzerSpanishExact = "hr_es_exact"
)

// maxTokenRunes is the longest token indexed or searched (Lucene's
// standard analyzer stops at 255; legal text has no word near 100).
const maxTokenRunes = 128

// filterLongTokens is the token filter dropping longer tokens, in place
// (Bleve's length filter copies every stream it reads).
const filterLongTokens = "hr_max_length"

type longTokenFilter struct{}

func (longTokenFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		// A term of no more bytes than the bound has no more runes.
		if len(tok.Term) > maxTokenRunes && utf8.RuneCount(tok.Term) > maxTokenRunes {
			continue
		}
		out = append(out, tok)
	}
	return out
}

func init() {
	// As foldName: registering a filter type does no I/O.
	registry.RegisterTokenFilter(filterLongTokens, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return longTokenFilter{}, nil
	})
}

// Analysis types: a passage's language picks the document mapping, and so
// the analyzer of its text fields.
const (
	TypeEnglish = "en"
	TypeSpanish = "es"
	TypeOther   = "other"
)

// AnalyzerFor returns the analyzer used for passages in language lang.
func AnalyzerFor(lang string) string {
	switch typeFor(lang) {
	case TypeEnglish:
		return AnalyzerEnglish
	case TypeSpanish:
		return AnalyzerSpanish
	}
	return AnalyzerFolded
}

func typeFor(lang string) string {
	switch lang {
	case "en":
		return TypeEnglish
	case "es":
		return TypeSpanish
	}
	return TypeOther
}

// NewMapping returns the index mapping: one Bleve document per passage.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	im.DefaultAnalyzer = AnalyzerFolded
	im.TypeField = typeField
	im.DefaultType = TypeOther
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	// A token longer than maxTokenRunes is no word (a hex dump, a run of
	// one letter): indexed, one 20 MB token cost every search that walks
	// the term dictionary seconds and gigabytes. It is dropped first
	// (filterLongTokens).
	english := []string{filterLongTokens, en.PossessiveName, lowercase.Name, foldName}
	spanish := []string{filterLongTokens, lowercase.Name, foldName}
	analyzers := map[string][]string{
		AnalyzerEnglish:      append(slices.Clip(english), indexEnglish),
		AnalyzerSpanish:      append(slices.Clip(spanish), indexSpanish),
		AnalyzerFolded:       {filterLongTokens, lowercase.Name, foldName},
		analyzerEnglishWords: append(slices.Clip(english), en.StopName, en.SnowballStemmerName),
		analyzerSpanishWords: append(slices.Clip(spanish), es.StopName, es.LightStemmerName),
		analyzerEnglishExact: append(slices.Clip(english), exactEnglish),
		analyzerSpanishExact: append(slices.Clip(spanish), exactSpanish),
	}
	for _, name := range slices.Sorted(maps.Keys(analyzers)) {
		err := im.AddCustomAnalyzer(name, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     tokenizerName,
			"token_filters": analyzers[name],
		})
		if err != nil {
			return nil, err
		}
	}

	im.DefaultMapping = passageMapping(AnalyzerFolded)
	im.AddDocumentMapping(TypeEnglish, passageMapping(AnalyzerEnglish))
	im.AddDocumentMapping(TypeSpanish, passageMapping(AnalyzerSpanish))
	im.AddDocumentMapping(TypeOther, passageMapping(AnalyzerFolded))
	return im, nil
}

func passageMapping(analyzer string) *mapping.DocumentMapping {
	dm := bleve.NewDocumentStaticMapping()
	dm.DefaultAnalyzer = analyzer
	// No field goes into Bleve's composite "_all" field and no query
	// searches it: without this, every passage carries an empty one that
	// Bleve composes field by field and indexes.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	text := func(vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = true
		f.IncludeTermVectors = vectors // only the snippet field needs positions for highlighting
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false // filters and facets need no positions; Bleve's default keeps them
		f.DocValues = true           // facets and sorting read doc values
		return f
	}
	// Phrases need positions, which Bleve keeps with term vectors: the text
	// field keeps them, and the heading, which a quoted phrase matches too;
	// the title is searched by terms.
	dm.AddFieldMappingsAt(FieldText, text(true))
	dm.AddFieldMappingsAt(FieldHeading, text(true))
	// Footnotes are searched by their words at a low weight: indexed by
	// the passage's language, without positions or a stored copy (FieldNotes
	// keeps them for display).
	notes := text(false)
	notes.Name = FieldNoteText
	notes.Store = false
	dm.AddFieldMappingsAt(FieldNoteText, notes)
	dm.AddFieldMappingsAt(FieldTitle, text(false))
	// The position is a keyword of fixed width (OrderKey), which sorts as
	// the number: a numeric field would index 16 prefix terms per passage
	// for range queries nothing asks.
	for _, f := range []string{FieldDocument, FieldUnit, FieldOrder, FieldKind, FieldLanguage, FieldBody, FieldYear,
		FieldDate, FieldSymbol, FieldInstr, FieldArticle, FieldState, FieldOwnArticle, FieldTier,
		FieldParty, FieldOutcome, FieldGroup, FieldDocGroup} {
		dm.AddFieldMappingsAt(f, kw())
	}
	// The other keywords differ only in what Bleve keeps of them.
	for _, k := range []struct {
		fields                  []string
		index, store, docValues bool
	}{
		{[]string{FieldDefines, FieldCaseKey}, true, false, false},                         // searched, never shown or sorted
		{[]string{FieldWhen, FieldEntered}, true, false, true},                             // searched and sorted, never shown
		{[]string{FieldCites}, true, true, false},                                          // searched and shown
		{[]string{FieldCase, FieldCaseName, FieldSection, FieldNotes}, false, true, false}, // shown only
	} {
		for _, f := range k.fields {
			m := kw()
			m.Index, m.Store, m.DocValues = k.index, k.store, k.docValues
			dm.AddFieldMappingsAt(f, m)
		}
	}
	return dm
}

// orderWidth is the digits of an OrderKey: documents have at most a few
// thousand passages.
const orderWidth = 8

// OrderKey is the indexed form of a passage's position: zero-padded, so
// that it sorts as the number it stands for.
func OrderKey(order int) string {
	return fmt.Sprintf("%0*d", orderWidth, order)
}

// ParseOrder reads a stored position (an OrderKey).
func ParseOrder(v interface{}) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(s)
	return n
}
