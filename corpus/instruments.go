package corpus

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Kinds of instrument.
const (
	InstrumentTreaty      = "treaty"
	InstrumentProtocol    = "protocol"
	InstrumentRules       = "rules"
	InstrumentDeclaration = "declaration"
)

// Instrument is a registered human-rights instrument.
type Instrument struct {
	// Short is the facet value: "CAT", "ICCPR-OP1", "SMR".
	Short string `json:"short"`
	// Kind is treaty, protocol, rules or declaration. The articles of a rules
	// instrument are rules ("rule 43").
	Kind string `json:"kind"`
	// Body is the UN treaty body that monitors the instrument ("CAT", "CCPR").
	Body string `json:"body,omitempty"`
	// Parent is, for a protocol, the instrument it supplements.
	Parent string `json:"parent,omitempty"`
	// ParentCallsIt reports whether the parent's documents call this
	// protocol by its generic word alone ("the Optional Protocol" in a
	// decision of the Human Rights Committee).
	ParentCallsIt bool `json:"parent_calls_it,omitempty"`
	// Generic are the words a text uses for the instrument without naming
	// it: "Convention", "Covenant", "Pacto".
	Generic []string `json:"generic,omitempty"`
	// Titles by language code ("en", "es", "fr").
	Titles map[string]string `json:"titles"`
	// Names are titles, short forms and abbreviations that name the instrument.
	Names []string `json:"names"`
}

// Title returns the instrument's title in lang, falling back to English.
func (in *Instrument) Title(lang string) string {
	if t, ok := in.Titles[lang]; ok {
		return t
	}
	return in.Titles["en"]
}

// hasGeneric reports whether a text may call the instrument by the generic word w.
func (in *Instrument) hasGeneric(w string) bool { return slices.Contains(in.Generic, w) }

type instrumentRegistry struct {
	list         []*Instrument
	byShort      map[string]*Instrument
	byBody       map[string]*Instrument
	unregistered []string
}

var instrumentsOnce = sync.OnceValue(func() *instrumentRegistry {
	b, err := dataFS.ReadFile("data/instruments.json")
	if err != nil {
		panic(err)
	}
	reg, err := parseInstruments(b)
	if err != nil {
		panic(fmt.Sprintf("corpus: embedded instruments.json: %v", err))
	}
	return reg
})

func parseInstruments(b []byte) (*instrumentRegistry, error) {
	var raw struct {
		Instruments  []*Instrument `json:"instruments"`
		Unregistered []string      `json:"unregistered"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	reg := &instrumentRegistry{byShort: map[string]*Instrument{}, byBody: map[string]*Instrument{}, unregistered: raw.Unregistered}
	for _, in := range raw.Instruments {
		if in.Short == "" || reg.byShort[in.Short] != nil {
			return nil, fmt.Errorf("instrument %q: missing or duplicate short name", in.Short)
		}
		if in.Titles["en"] == "" {
			return nil, fmt.Errorf("instrument %s: no English title", in.Short)
		}
		reg.list = append(reg.list, in)
		reg.byShort[in.Short] = in
		if in.Body != "" && in.Kind != InstrumentProtocol {
			reg.byBody[in.Body] = in
		}
	}
	for _, in := range reg.list {
		if in.Parent != "" && reg.byShort[in.Parent] == nil {
			return nil, fmt.Errorf("instrument %s: unknown parent %s", in.Short, in.Parent)
		}
	}
	if in := reg.byShort["OPCAT"]; in != nil {
		reg.byBody["SPT"] = in
	}
	return reg, nil
}

// Instruments returns the registered instruments in registry order. The
// slice is a copy; the instruments are shared and must not be modified.
func Instruments() []*Instrument {
	return slices.Clone(instrumentsOnce().list)
}

// LookupInstrument returns the instrument with the given short name
// (case-insensitive: "cat", "ICCPR-OP1").
func LookupInstrument(short string) (*Instrument, bool) {
	in, ok := instrumentsOnce().byShort[strings.ToUpper(strings.TrimSpace(short))]
	return in, ok
}

// InstrumentOfBody returns the instrument a treaty body monitors: "CAT" →
// CAT, "CCPR" → ICCPR, "CESCR" → ICESCR, "SPT" → OPCAT.
func InstrumentOfBody(body string) (*Instrument, bool) {
	in, ok := instrumentsOnce().byBody[strings.ToUpper(strings.TrimSpace(body))]
	return in, ok
}

// NormalizeInstrument maps a short name or any registered name of an
// instrument ("the Covenant" excepted: generic words need context) to its
// short name.
func NormalizeInstrument(name string) (string, bool) {
	if in, ok := LookupInstrument(name); ok {
		return in.Short, true
	}
	for _, r := range extractor().findMentions(name, nil) {
		if r.kind == mentionInstrument && r.start == 0 {
			return r.code, true
		}
	}
	return "", false
}
