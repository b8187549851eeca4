package web

import (
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// statesFromFields reads the states of a form: separated by commas or
// semicolons (or spaces between codes), each an ISO 3166-1 code (alpha-2
// or alpha-3) or a name search knows ("Switzerland", "El Salvador",
// "Suiza"), any case. Nil means none given.
func statesFromFields(vals []string) ([]string, error) {
	var out []string
	given := false
	add := func(code string) {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	for _, v := range vals {
		for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			given = true
			if code, ok := stateCode(item); ok {
				add(code)
				continue
			}
			// "SV CH": codes separated by spaces.
			words := strings.Fields(item)
			var codes []string
			for _, w := range words {
				if st, ok := corpus.LookupState(w); ok && len(w) <= 3 {
					codes = append(codes, st.Alpha2)
				}
			}
			if len(words) > 1 && len(codes) == len(words) {
				for _, c := range codes {
					add(c)
				}
				continue
			}
			return nil, errBadRequest("%q is not a state: give ISO 3166-1 codes (such as SV or CHE) or names (such as Switzerland), separated by commas.", truncate(item, 60))
		}
	}
	if len(out) > maxStates {
		return nil, errBadRequest("Too many states: at most %d.", maxStates)
	}
	if !given {
		return nil, nil
	}
	return out, nil
}

// stateCode is the alpha-2 code of a state given by code or by name.
func stateCode(s string) (string, bool) {
	if len(s) <= 3 {
		if st, ok := corpus.LookupState(s); ok {
			return st.Alpha2, true
		}
	}
	return corpus.StateByName(s)
}
