package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// sizeVariant is the index of a sample built with a variant of the
// mapping: what a mapping change would save.
type sizeVariant struct {
	Name      string  `json:"name"`
	Note      string  `json:"note"`
	Passages  int     `json:"passages"`
	TextBytes int64   `json:"text_bytes"`
	Bytes     int64   `json:"bytes"`
	Seconds   float64 `json:"seconds"`
}

// passageDoc mirrors indexer's Bleve document of a passage (unexported
// there): the same fields and values.
func passageDoc(e *corpus.Entry, p *corpus.Passage) map[string]interface{} {
	lang := p.Language
	if lang == "" {
		lang = e.Language
	}
	typ := schema.TypeOther
	switch lang {
	case "en":
		typ = schema.TypeEnglish
	case "es":
		typ = schema.TypeSpanish
	}
	d := map[string]interface{}{"_type": typ, schema.FieldDocument: e.ID, schema.FieldUnit: p.Unit,
		schema.FieldOrder: schema.OrderKey(p.Order), schema.FieldText: p.Text, schema.FieldTier: schema.TierOf(e.Kind)}
	set := func(f, v string) {
		if v != "" {
			d[f] = v
		}
	}
	set(schema.FieldHeading, p.Heading)
	set(schema.FieldTitle, e.Title)
	set(schema.FieldKind, e.Kind)
	set(schema.FieldLanguage, lang)
	set(schema.FieldBody, e.Body)
	set(schema.FieldDate, e.Date)
	set(schema.FieldOwnArticle, schema.OwnArticle(p))
	if y := e.YearOf(); y > 0 {
		d[schema.FieldYear] = strconv.Itoa(y)
	}
	sym := p.Symbols
	if e.Symbol != "" {
		sym = append([]string{e.Symbol}, sym...)
	}
	for f, vs := range map[string][]string{schema.FieldSymbol: sym, schema.FieldInstr: p.Instruments,
		schema.FieldArticle: p.Articles, schema.FieldState: p.States} {
		var out []string
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
		if len(out) > 0 {
			d[f] = out
		}
	}
	return d
}

// visitFields calls fn on every field mapping of every document type.
func visitFields(m *mapping.IndexMappingImpl, fn func(name string, f *mapping.FieldMapping)) {
	dms := []*mapping.DocumentMapping{m.DefaultMapping}
	for _, dm := range m.TypeMapping {
		dms = append(dms, dm)
	}
	for _, dm := range dms {
		for name, p := range dm.Properties {
			for _, f := range p.Fields {
				fn(name, f)
			}
		}
	}
}

// sizeVariants builds the first `sample` passages with each mapping variant
// using Bleve's offline builder (one merged segment each).
func sizeVariants(docs []*docRecord, work string, sample int) []sizeVariant {
	type variant struct {
		name, note string
		change     func(m *mapping.IndexMappingImpl)
	}
	keyword := func(name string) bool {
		return name != schema.FieldText && name != schema.FieldHeading && name != schema.FieldTitle && name != schema.FieldOrder
	}
	vs := []variant{
		{"as mapped", "schema.NewMapping() unchanged", func(*mapping.IndexMappingImpl) {}},
		{"keyword fields without term vectors", "bleve.NewKeywordFieldMapping keeps term vectors; facets and filters never use them", func(m *mapping.IndexMappingImpl) {
			visitFields(m, func(name string, f *mapping.FieldMapping) {
				if keyword(name) {
					f.IncludeTermVectors = false
				}
			})
		}},
		{"… and keyword fields not stored", "facet and rank values read from doc values instead of stored fields (hits then load only text, title, heading)", func(m *mapping.IndexMappingImpl) {
			visitFields(m, func(name string, f *mapping.FieldMapping) {
				if keyword(name) {
					f.IncludeTermVectors = false
					f.Store = false
				}
			})
		}},
		{"… and title not indexed per passage", "the document title repeated in every passage is stored but searched as a document field elsewhere (not what hrsearch does today)", func(m *mapping.IndexMappingImpl) {
			visitFields(m, func(name string, f *mapping.FieldMapping) {
				if keyword(name) {
					f.IncludeTermVectors = false
					f.Store = false
				}
				if name == schema.FieldTitle {
					f.Index = false
				}
			})
		}},
	}
	var out []sizeVariant
	for i, v := range vs {
		m, err := schema.NewMapping()
		if err != nil {
			return out
		}
		v.change(m)
		dir := filepath.Join(work, "sizes", fmt.Sprint(i))
		os.RemoveAll(filepath.Dir(dir) + "/tmp")
		os.RemoveAll(dir)
		os.MkdirAll(filepath.Join(work, "sizes", "tmp"), 0o755)
		start := time.Now()
		b, err := bleve.NewBuilder(dir, m, map[string]interface{}{"buildPathPrefix": filepath.Join(work, "sizes", "tmp")})
		if err != nil {
			logf("size variant %s: %v", v.name, err)
			continue
		}
		sv := sizeVariant{Name: v.name, Note: v.note}
	outer:
		for _, d := range docs {
			for j := range d.Passages {
				if sv.Passages >= sample {
					break outer
				}
				p := &d.Passages[j]
				if err := b.Index(p.ID, passageDoc(&d.Entry, p)); err != nil {
					logf("size variant: %v", err)
				}
				sv.Passages++
				sv.TextBytes += int64(len(p.Text))
			}
		}
		if err := b.Close(); err != nil {
			logf("size variant %s: %v", v.name, err)
			continue
		}
		sv.Seconds = time.Since(start).Seconds()
		sv.Bytes = dirSize(dir)
		logf("size variant %s: %d MB for %d MB text", v.name, sv.Bytes>>20, sv.TextBytes>>20)
		out = append(out, sv)
		os.RemoveAll(dir)
	}
	return out
}
