package schema

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// NewDocument maps a passage (Document's fields) to the Bleve document the
// index takes. BM25 weighs a term against the length of its field; the
// fields analysed by a stemmed language hold their stop words and the
// written forms of stemmed words too (stems.go), marked, and their length
// counts the other terms alone: a passage is as long as the words that
// carry its meaning, as when ranking was measured without the marked ones.
//
// The fields are made as Bleve's MapDocument makes them from the mapping,
// without its walk by reflection over the values and the mapping's paths
// (0.5 s of the demo import's 20 s of CPU, on the goroutine that feeds the
// batches): the mapping's fields are read once into a plan
// (TestNewDocumentIsMapDocuments).
func NewDocument(m mapping.IndexMapping, id string, data map[string]interface{}) (*document.Document, error) {
	p := planFor(m)
	if p == nil {
		return mapDocument(m, id, data)
	}
	typ := p.defaultType
	if t, ok := data[p.typeField].(string); ok {
		typ = t
	}
	fields, ok := p.types[typ]
	if !ok {
		fields = p.def
	}
	d := document.NewDocument(id)
	for name, v := range data {
		f, ok := fields[name]
		if !ok {
			continue // not mapped: the type field
		}
		switch v := v.(type) {
		case string:
			d.AddField(f.field(nil, v))
		case []string:
			for i, s := range v {
				d.AddField(f.field([]uint64{uint64(i)}, s))
			}
		default: // a value the plan does not know how to map
			return mapDocument(m, id, data)
		}
	}
	d.SetIndexed()
	return d, nil
}

// mapDocument is NewDocument by Bleve's MapDocument.
func mapDocument(m mapping.IndexMapping, id string, data map[string]interface{}) (*document.Document, error) {
	d := document.NewDocument(id)
	if err := m.MapDocument(d, data); err != nil {
		return nil, err
	}
	for i, f := range d.Fields {
		if tf, ok := f.(*document.TextField); ok && analysedFields[tf.Name()] {
			d.Fields[i] = &wordCountedField{TextField: tf}
		}
	}
	return d, nil
}

// analysedFields are the fields analysed by the passage's language.
var analysedFields = map[string]bool{FieldText: true, FieldHeading: true, FieldTitle: true, FieldNoteText: true}

// fieldPlan is how one field of a passage becomes a Bleve field under a
// document mapping.
type fieldPlan struct {
	name     string // the indexed name (a field mapping may rename)
	options  index.FieldIndexingOptions
	analyzer analysis.Analyzer
	counted  bool // wrapped in a wordCountedField
}

func (f fieldPlan) field(arrayPositions []uint64, v string) document.Field {
	tf := document.NewTextFieldCustom(f.name, arrayPositions, []byte(v), f.options, f.analyzer)
	if f.counted {
		return &wordCountedField{TextField: tf}
	}
	return tf
}

// mappingPlan holds the field plans of each document type of a mapping,
// and of its default mapping.
type mappingPlan struct {
	typeField, defaultType string
	types                  map[string]map[string]fieldPlan
	def                    map[string]fieldPlan
}

// plans caches the plans of the mappings in use (a nil one when the
// mapping holds what a plan does not: NewDocument then uses MapDocument).
// A process uses a mapping or two at a time (an index, and the one a
// rebuild writes): the cache is emptied when it holds more.
var plans struct {
	sync.RWMutex
	m map[*mapping.IndexMappingImpl]*mappingPlan
}

// maxPlans bounds the plans cached.
const maxPlans = 8

func planFor(m mapping.IndexMapping) *mappingPlan {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return nil
	}
	plans.RLock()
	p, ok := plans.m[im]
	plans.RUnlock()
	if ok {
		return p
	}
	p = newPlan(im)
	plans.Lock()
	if plans.m == nil || len(plans.m) >= maxPlans {
		plans.m = make(map[*mapping.IndexMappingImpl]*mappingPlan)
	}
	plans.m[im] = p
	plans.Unlock()
	return p
}

// newPlan reads im's document mappings: each property one text field of
// explicit analyzer, in an enabled static mapping with "_all" disabled
// (what passageMapping makes). Anything else has no plan.
func newPlan(im *mapping.IndexMappingImpl) *mappingPlan {
	byMapping := func(dm *mapping.DocumentMapping) map[string]fieldPlan {
		if dm == nil || !dm.Enabled || dm.Dynamic {
			return nil
		}
		out := make(map[string]fieldPlan, len(dm.Properties))
		for name, prop := range dm.Properties {
			if name == "_all" {
				if prop.Enabled {
					return nil
				}
				continue
			}
			if !prop.Enabled || len(prop.Properties) > 0 || len(prop.Fields) != 1 {
				return nil
			}
			fm := prop.Fields[0]
			if fm.Type != "text" || fm.Analyzer == "" {
				return nil
			}
			a := im.AnalyzerNamed(fm.Analyzer)
			if a == nil {
				return nil
			}
			field := name
			if fm.Name != "" {
				field = fm.Name
			}
			out[name] = fieldPlan{name: field, options: fm.Options(), analyzer: a, counted: analysedFields[field]}
		}
		if _, ok := dm.Properties["_all"]; !ok {
			return nil
		}
		return out
	}
	p := &mappingPlan{
		typeField:   im.TypeField,
		defaultType: im.DefaultType,
		types:       make(map[string]map[string]fieldPlan, len(im.TypeMapping)),
		def:         byMapping(im.DefaultMapping),
	}
	if p.def == nil {
		return nil
	}
	for typ, dm := range im.TypeMapping {
		if p.types[typ] = byMapping(dm); p.types[typ] == nil {
			return nil
		}
	}
	return p
}
