package web

import (
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestEffectRows: each field's value in effect names its source — a
// correction (with the catalog's value), the catalog, or extraction (an
// extracted title, the states the passages name) — instead of showing
// an empty field.
func TestEffectRows(t *testing.T) {
	d := &LibraryDoc{
		Catalog:   corpus.Entry{ID: "n", Kind: "decision", Symbol: "CAT/C/60/D/1000/2020", States: []string{"SV"}},
		Overrides: &corpus.Entry{Kind: "report", States: []string{"GT"}},
	}
	d.Effective = d.Catalog
	d.Effective.Kind, d.Effective.States = "report", []string{"GT"}
	rows := effectRows(d, []effectPassage{{States: []string{"GT", "CH"}, Language: "en", Year: "2021"}, {States: []string{"GT"}, Language: "en"}})
	got := map[string]effectRow{}
	for _, r := range rows {
		got[r.Field] = r
	}
	for _, tt := range []struct {
		field, value, source, catalog, extracted string
	}{
		{fieldKind, "report", sourceCorrection, "decision", ""},
		{fieldStates, "GT", sourceCorrection, "SV", "CH, GT"},
		{fieldSymbol, "CAT/C/60/D/1000/2020", sourceCatalog, "", ""},
		{fieldLanguage, "en", sourceExtraction, "", ""},
		{fieldYear, "2021", sourceExtraction, "", ""},
		{fieldBody, "", "", "", ""},
	} {
		r := got[tt.field]
		if r.Value != tt.value || r.Source != tt.source || r.Catalog != tt.catalog || r.Extracted != tt.extracted {
			t.Errorf("%s: %+v, want %q from %q (catalog %q, extracted %q)", tt.field, r, tt.value, tt.source, tt.catalog, tt.extracted)
		}
	}
	if r := got[fieldTitle]; r.Source != sourceExtraction || r.Value == "" {
		t.Errorf("title: %+v, want the title extraction gives", r)
	}
}
