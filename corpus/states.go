package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// State is a country of ISO 3166-1.
type State struct {
	Alpha2 string // "SV"
	Alpha3 string // "SLV"
	// Names by language code ("en", "es", "fr"); English is the ISO short name.
	Names map[string]string
	// OfficialName is the ISO official name in English, where there is one.
	OfficialName string
}

// Name returns the state's name in lang, falling back to English.
func (s *State) Name(lang string) string {
	if n, ok := s.Names[lang]; ok && n != "" {
		return n
	}
	return s.Names["en"]
}

type stateRegistry struct {
	list    []*State
	byCode  map[string]*State // alpha-2 and alpha-3
	entries []stateEntry      // names, demonyms, blockers, in order
}

// stateEntry is one name a text may use: a state's name or demonym, or a
// blocker (State == "").
type stateEntry struct {
	State string
	Form  string
	Flags stateFlags
}

var statesOnce = sync.OnceValue(func() *stateRegistry {
	iso, err := dataFS.ReadFile("data/iso3166.tsv")
	if err != nil {
		panic(err)
	}
	extra, err := dataFS.ReadFile("data/states.tsv")
	if err != nil {
		panic(err)
	}
	reg, err := parseStates(iso, extra)
	if err != nil {
		panic(fmt.Sprintf("corpus: embedded state tables: %v", err))
	}
	return reg
})

// tsvLines calls f with the tab-separated fields of each line of b that is
// neither empty nor a comment.
func tsvLines(b []byte, f func(line int, fields []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if err := f(n, strings.Split(l, "\t")); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

func parseStates(iso, extra []byte) (*stateRegistry, error) {
	reg := &stateRegistry{byCode: map[string]*State{}}
	var isoNames []stateEntry
	err := tsvLines(iso, func(_ int, f []string) error {
		if len(f) < 8 {
			return fmt.Errorf("want 8 fields, have %d", len(f))
		}
		s := &State{Alpha2: f[0], Alpha3: f[1], OfficialName: f[3],
			Names: map[string]string{"en": f[2], "es": f[5], "fr": f[7]}}
		if len(s.Alpha2) != 2 || len(s.Alpha3) != 3 {
			return fmt.Errorf("bad codes %q %q", f[0], f[1])
		}
		reg.list = append(reg.list, s)
		reg.byCode[s.Alpha2] = s
		reg.byCode[s.Alpha3] = s
		// English and Spanish names are matched in texts; the French ones
		// are kept for display only (several collide with other words).
		for _, n := range []string{f[2], f[3], f[4], f[5], f[6]} {
			if n = readableName(n); n != "" {
				isoNames = append(isoNames, stateEntry{State: s.Alpha2, Form: n})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("iso3166.tsv: %w", err)
	}
	err = tsvLines(extra, func(_ int, f []string) error {
		if len(f) < 2 {
			return fmt.Errorf("want alpha2, form and flags")
		}
		e := stateEntry{Form: f[1]}
		if f[0] != "-" {
			if reg.byCode[f[0]] == nil {
				return fmt.Errorf("unknown state %q", f[0])
			}
			e.State = f[0]
		}
		if len(f) > 2 {
			for _, fl := range strings.Split(f[2], ",") {
				switch strings.TrimSpace(fl) {
				case "demonym":
					e.Flags |= flagDemonym
				case "strict":
					e.Flags |= flagStrict
				case "person":
					e.Flags |= flagPerson
				case "", "es":
				default:
					return fmt.Errorf("unknown flag %q", fl)
				}
			}
		}
		reg.entries = append(reg.entries, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("states.tsv: %w", err)
	}
	// Hand-written entries come first so that their flags win.
	reg.entries = append(reg.entries, isoNames...)
	return reg, nil
}

// readableName turns an ISO list name into the form a text uses: "Korea,
// Republic of" → "Republic of Korea", "Congo, The Democratic Republic of
// the" → "Democratic Republic of the Congo". Names that cannot be read
// that way ("Virgin Islands, British") and names with brackets give "".
func readableName(n string) string {
	n = strings.TrimSpace(n)
	if n == "" || strings.ContainsAny(n, "()") {
		return ""
	}
	if head, tail, ok := strings.Cut(n, ", "); ok {
		if strings.Contains(tail, ",") {
			return ""
		}
		lt := strings.ToLower(tail)
		if !(strings.HasSuffix(lt, " of") || strings.HasSuffix(lt, " of the") ||
			strings.HasSuffix(lt, " de") || strings.HasSuffix(lt, " del") || strings.HasSuffix(lt, " de la")) {
			return ""
		}
		n = tail + " " + head
	}
	for _, the := range []string{"The ", "the "} {
		n = strings.TrimPrefix(n, the)
	}
	return n
}

// StateNames returns the names a text may call the state with an alpha-2
// code by, in the languages the extractor reads ("Switzerland", "Suiza",
// "Swiss Confederation"), each once and in the tables' order: no demonym.
func StateNames(alpha2 string) []string {
	var out []string
	for _, e := range statesOnce().entries {
		if e.State == alpha2 && e.Flags&flagDemonym == 0 && !slices.Contains(out, e.Form) {
			out = append(out, e.Form)
		}
	}
	return out
}

// States returns the ISO 3166-1 states, ordered by alpha-2 code. The slice
// is a copy; the states are shared and must not be modified.
func States() []*State { return slices.Clone(statesOnce().list) }

// LookupState returns the state with an ISO 3166-1 alpha-2 or alpha-3 code
// (case-insensitive).
func LookupState(code string) (*State, bool) {
	s, ok := statesOnce().byCode[strings.ToUpper(strings.TrimSpace(code))]
	return s, ok
}

// StateByName returns the alpha-2 code of the state a name stands for, in
// any language the extractor reads ("Sweden", "Suecia", "Republic of
// Moldova"), folded.
func StateByName(name string) (string, bool) {
	code, ok := stateNameIndex()[Fold(name)]
	return code, ok
}

var stateNameIndex = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, st := range States() {
		for _, name := range StateNames(st.Alpha2) {
			m[Fold(name)] = st.Alpha2
		}
		m[Fold(st.Name("en"))] = st.Alpha2
	}
	return m
})
