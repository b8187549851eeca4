package web

// The values in effect on a document's edit page, each with where it
// comes from: a librarian's correction, the catalog (or the entry given
// at upload), or extraction from the text (the title the document gives
// itself, the states and instruments its passages name, the year of its
// date or symbol).

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// Sources of a value in effect.
const (
	sourceCorrection = "correction"
	sourceCatalog    = "catalog"
	sourceExtraction = "extraction"
)

// effectRow is one field's value in effect.
type effectRow struct {
	Field, Label, Value, Source string
	Catalog                     string // under a correction: the value it corrects ("" none)
	Extracted                   string // states: what the passages name besides
}

// effectRows lists the correctable fields' values in effect and their
// sources; passages are the document's as indexed (nil: unknown).
func effectRows(d *LibraryDoc, passages []effectPassage) []effectRow {
	eff, cat := fieldsOf(&d.Effective), fieldsOf(&d.Catalog)
	corr := map[string]string{}
	if d.Overrides != nil {
		corr = fieldsOf(d.Overrides)
	}
	extracted := extractedValues(&d.Effective, passages)
	var rows []effectRow
	for _, f := range correctableFields {
		row := effectRow{Field: f, Label: metaLabel(f), Value: eff[f]}
		switch {
		case corr[f] != "":
			row.Source, row.Catalog = sourceCorrection, cat[f]
		case cat[f] != "":
			row.Source = sourceCatalog
		case extracted[f] != "":
			row.Value, row.Source = extracted[f], sourceExtraction
		}
		if f == fieldStates && row.Source != sourceExtraction && extracted[f] != "" && extracted[f] != row.Value {
			row.Extracted = extracted[f]
		}
		rows = append(rows, row)
	}
	return rows
}

// effectPassage is what the edit page needs of an indexed passage.
type effectPassage struct {
	States, Instruments []string
	Language, Year      string
}

// extractedValues are the values extraction gives the fields the catalog
// leaves empty.
func extractedValues(e *corpus.Entry, passages []effectPassage) map[string]string {
	out := map[string]string{}
	if t := corpus.DisplayTitle(e); t != "" && t != e.ID {
		out[fieldTitle] = t
	}
	if y := e.YearOf(); y != 0 {
		out[fieldYear] = strconv.Itoa(y)
	}
	var states, instruments, years, langs []string
	for _, p := range passages {
		states = append(states, p.States...)
		instruments = append(instruments, p.Instruments...)
		if p.Year != "" {
			years = append(years, p.Year)
		}
		if p.Language != "" {
			langs = append(langs, p.Language)
		}
	}
	set := func(field string, vals []string) {
		slices.Sort(vals)
		vals = slices.Compact(vals)
		if len(vals) > 0 && out[field] == "" {
			out[field] = strings.Join(vals, ", ")
		}
	}
	set(fieldStates, states)
	set(fieldInstrument, instruments)
	set(fieldYear, years)
	set(fieldLanguage, langs)
	return out
}

// passagesForEffect reads the document's indexed passages; a failure
// leaves the extracted values out.
func (s *server) passagesForEffect(r *http.Request, id string) []effectPassage {
	ps, err := s.search.Passages(r.Context(), id)
	if err != nil {
		return nil
	}
	out := make([]effectPassage, 0, len(ps))
	for _, p := range ps {
		out = append(out, effectPassage{States: p.State, Instruments: p.Instrument, Language: p.Language, Year: p.Year})
	}
	return out
}
