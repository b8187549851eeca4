package schema

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// typeField names the document mapping (and so the analyzers) of a
// passage; it is Bleve's default type field.
const typeField = "_type"

// Tiers of text, from the most to the least authoritative.
const (
	TierProvision      = "provision"      // treaty articles, rules, declarations
	TierInterpretation = "interpretation" // general comments
	TierFinding        = "finding"        // decisions on individual complaints
	TierReport         = "report"         // special-procedure reports
	TierCommentary     = "commentary"     // articles and everything else
)

// TierOf returns the tier of a document kind.
func TierOf(kind string) string {
	switch kind {
	case corpus.KindTreaty, corpus.KindRules, corpus.KindDeclaration:
		return TierProvision
	case corpus.KindGeneralComment:
		return TierInterpretation
	case corpus.KindDecision:
		return TierFinding
	case corpus.KindReport, corpus.KindFollowUp:
		return TierReport
	}
	return TierCommentary
}

// Document is the Bleve document of one passage: the mapping's field
// names to values. Empty values are left out, so that no facet counts an
// empty string and no filter matches one.
func Document(e *corpus.Entry, p *corpus.Passage) map[string]interface{} {
	lang := p.Language
	if lang == "" {
		lang = e.Language
	}
	d := map[string]interface{}{
		typeField:     typeFor(lang),
		FieldDocument: e.ID,
		FieldUnit:     p.Unit,
		FieldOrder:    OrderKey(p.Order),
		FieldText:     p.Text,
		FieldTier:     TierOf(e.Kind),
	}
	set := func(field, v string) {
		if v != "" {
			d[field] = v
		}
	}
	set(FieldHeading, p.Heading)
	set(FieldSection, p.Section)
	if len(p.Notes) > 0 {
		if b, err := json.Marshal(p.Notes); err == nil {
			d[FieldNotes] = string(b)
		}
		texts := make([]string, 0, len(p.Notes))
		for _, n := range p.Notes {
			if n.Text != "" {
				texts = append(texts, n.Text)
			}
		}
		if len(texts) > 0 {
			d[FieldNoteText] = texts
		}
	}
	set(FieldTitle, e.Title)
	set(FieldKind, e.Kind)
	set(FieldLanguage, lang)
	set(FieldBody, e.Body)
	set(FieldDate, e.Date)
	set(FieldOwnArticle, OwnArticle(p))
	if y := e.YearOf(); y > 0 {
		d[FieldYear] = strconv.Itoa(y)
		d[FieldWhen] = strconv.Itoa(y)
	}
	set(FieldWhen, e.Date)
	// The document's own symbol first: results name a decision by it.
	symbols := p.Symbols
	if e.Symbol != "" {
		symbols = []string{e.Symbol}
		for _, sym := range p.Symbols {
			if sym != e.Symbol {
				symbols = append(symbols, sym)
			}
		}
	}
	setAll := func(field string, vs []string) {
		var out []string
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
		if len(out) > 0 {
			d[field] = out
		}
	}
	setAll(FieldSymbol, symbols)
	setAll(FieldInstr, p.Instruments)
	setAll(FieldArticle, p.Articles)
	setAll(FieldState, p.States)
	setAll(FieldCites, p.Cites)
	keys := make([]string, 0, len(p.Defines))
	for _, t := range p.Defines {
		keys = append(keys, corpus.DefinitionKey(t))
	}
	setAll(FieldDefines, keys)
	setCase(d, e, p)
	return d
}

// OwnArticle returns the provision a passage is ("CAT 3" for cat#art-3,
// "SMR 58" for a rule, "ICCPR-OP1 1" for iccpr#op1-art-1), or "".
func OwnArticle(p *corpus.Passage) string {
	if p.Instrument == "" {
		return ""
	}
	unit := p.Unit
	if i := strings.LastIndex(unit, "art-"); i >= 0 && (i == 0 || unit[i-1] == '-') {
		unit = unit[i+len("art-"):]
	} else if strings.HasPrefix(unit, "rule-") {
		unit = unit[len("rule-"):]
	} else {
		return ""
	}
	if j := strings.IndexByte(unit, '-'); j >= 0 { // a repeat suffix: art-3-2
		unit = unit[:j]
	}
	if unit == "" {
		return ""
	}
	return p.Instrument + " " + strings.ToUpper(unit)
}

// setCase adds a passage's case-law fields: its paragraph's concerned
// groups, and its document's case party, outcome and name; the first
// passage also holds the document's groups (the union of the
// paragraphs'), the case as JSON and its lookup keys.
func setCase(d map[string]interface{}, e *corpus.Entry, p *corpus.Passage) {
	if len(p.Labels) > 0 {
		d[FieldGroup] = p.Labels
	}
	c := e.Case
	if c == nil {
		return
	}
	first := p.Order == 0
	if first && len(c.Groups) > 0 {
		d[FieldDocGroup] = c.Groups
	}
	if c.Party != "" {
		d[FieldParty] = c.Party
	}
	if c.Outcome != "" {
		d[FieldOutcome] = c.Outcome
	}
	if c.Name != "" {
		d[FieldCaseName] = c.Name
	}
	if !first || !c.IsCase() {
		return
	}
	if b, err := json.Marshal(c); err == nil {
		d[FieldCase] = string(b)
	}
	if keys := corpus.CaseKeys(c, e.Symbol); len(keys) > 0 {
		d[FieldCaseKey] = keys
	}
}

// enteredLayout writes an entry time at a fixed width, in UTC, so that
// the keyword sorts as the time.
const enteredLayout = "2006-01-02T15:04:05.000000000Z"

// EnteredKey is the FieldEntered value of a time.
func EnteredKey(t time.Time) string { return t.UTC().Format(enteredLayout) }

// ParseEntered reads a FieldEntered value back (ok false for none).
func ParseEntered(v string) (time.Time, bool) {
	t, err := time.Parse(enteredLayout, v)
	return t, err == nil
}

// SetEntered adds to a passage's Bleve document when its document
// entered the library, when that is known, and returns it.
func SetEntered(d map[string]interface{}, entered time.Time) map[string]interface{} {
	if !entered.IsZero() {
		d[FieldEntered] = EnteredKey(entered)
	}
	return d
}
