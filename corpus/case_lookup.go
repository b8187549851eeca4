package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lookup keys name a decision the way a researcher types it: its
// communication number ("no:300/2006"), its symbol ("sym:CAT/C/38/D/300/2006")
// or its case name, whole or in part ("name:tebourski v france",
// "name:tebourski", "name:mcmvf v sweden"). CaseKeys gives a decision's
// keys, LookupKeys a query's; a query opens on the decisions that share a
// key with it.

// CaseKeys returns the lookup keys of a decision with case c and symbol.
func CaseKeys(c *Case, symbol string) []string {
	if c == nil {
		return nil
	}
	var keys []string
	for _, n := range SplitCommunications(c.Communication) {
		keys = append(keys, "no:"+n) // each of a joint decision's numbers
	}
	if sym, err := ParseSymbol(symbol); err == nil && sym.Communication != "" {
		keys = append(keys, "sym:"+sym.Normalized)
		for _, n := range communicationsOf(sym) {
			keys = append(keys, "no:"+n)
		}
	}
	add := func(s string) {
		if k := nameKey(s); k != "" {
			keys = append(keys, "name:"+k)
		}
	}
	add(c.Name)
	if c.Name != "" {
		party := ""
		if _, st, ok := strings.Cut(c.Name, " v. "); ok {
			party = st
		}
		head, _, _ := strings.Cut(c.Name, " v. ")
		plain := strings.TrimSuffix(head, " et al.")
		add(plain) // the surname alone
		add(head)  // "Khalsa et al."
		if c.Complainant != "" && party != "" {
			add(c.Complainant + " v. " + party)
		}
		if plain != head && party != "" {
			add(plain + " v. " + party)
		}
	}
	if len(strings.Fields(c.Complainant)) > 1 {
		add(c.Complainant)
	}
	return sortedSet(keys)
}

var lookupNumberRe = regexp.MustCompile(`(?i)^\s*(?:(?:communication|comm\.|complaint|petition)\s+)?(?:No\.?\s*|№\s*)?(\d{1,4}/\d{4})\s*$`)

// LookupKeys returns the lookup keys a query may stand for: a
// communication number as written ("233/2003", "No. 233/2003",
// "communication No. 233/2003"), a decision's symbol, or a case name
// ("Pelit v. Azerbaijan", "Tebourski", "M.C.M.V.F. v. Sweden").
func LookupKeys(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > 200 {
		return nil
	}
	if m := lookupNumberRe.FindStringSubmatch(q); m != nil {
		return []string{"no:" + m[1]}
	}
	if !strings.ContainsAny(q, " ") {
		if sym, err := ParseSymbol(q); err == nil && sym.Communication != "" {
			return []string{"sym:" + sym.Normalized}
		}
	}
	if strings.ContainsAny(q, `"*:()/`) || len(strings.Fields(q)) > 10 {
		return nil // query syntax or a sentence, not a name
	}
	if k := nameKey(q); k != "" {
		return []string{"name:" + k}
	}
	return nil
}

// nameKey normalises a name: lower case, accents folded, punctuation
// dropped, "v." and "vs." as "v", initials closed up ("M. C. M. V. F." →
// "mcmvf"). Names shorter than two letters ("X") give "" alone: they are
// no lookup by themselves.
func nameKey(s string) string {
	words := FoldedWords(strings.ReplaceAll(s, ".", " "))
	var out []string
	run := ""
	for i, w := range words {
		if w == "vs" || w == "versus" {
			w = "v"
		}
		single := len([]rune(w)) == 1 && w != "v"
		// "v" between two names is the versus; elsewhere an initial.
		if w == "v" && (i == 0 || i == len(words)-1 || run != "" && i+1 < len(words) && len([]rune(words[i+1])) == 1) {
			single = true
		}
		if single {
			run += w
			continue
		}
		if run != "" {
			out = append(out, run)
			run = ""
		}
		out = append(out, w)
	}
	if run != "" {
		out = append(out, run)
	}
	k := strings.Join(out, " ")
	if len([]rune(strings.ReplaceAll(k, " ", ""))) < 2 {
		return ""
	}
	return k
}

// CaseMention is a decision cited by its name in a text ("Tebourski v.
// France"): where it ends, the State it names as party, and the names it
// may stand for, longest first ("In Tebourski v. France" may be "Tebourski
// v. France"), each with where it starts.
type CaseMention struct {
	End   int
	Party string // ISO alpha-2 of the State after "v."
	Names []CaseName
}

// CaseName is one reading of a CaseMention.
type CaseName struct {
	Name  string
	Start int
}

// caseCiteRe finds "Name v. State": up to five capitalised words (or
// initials) before "v." and up to five after it.
var caseCiteRe = regexp.MustCompile(`((?:[\p{Lu}][\p{L}'’.\-]*\s+){0,4}[\p{Lu}][\p{L}'’.\-]*(?:\s+et\s+al\.)?)\s+v\.?\s+([\p{Lu}][\p{L}\-]*(?:\s+(?:of\s+|and\s+)?[\p{Lu}][\p{L}\-]*){0,4})`)

// FindCaseMentions returns the decisions a text cites by name, in order:
// a name "v." a State the registry knows (the longest run of words after
// "v." that names one).
func FindCaseMentions(text string) []CaseMention {
	if !strings.Contains(text, " v") {
		return nil
	}
	var out []CaseMention
	prevEnd := -1 // where the last mention's State ends
	for _, m := range caseCiteRe.FindAllStringSubmatchIndex(text, -1) {
		if joinsComplainants(text[:m[2]], prevEnd) {
			continue // "X, Y and Z v. Sweden" is not "Z v. Sweden"
		}
		state := text[m[4]:m[5]]
		cm := CaseMention{}
		words := strings.Fields(state)
		for n := len(words); n > 0 && cm.Party == ""; n-- {
			if code, ok := StateByName(strings.Join(words[:n], " ")); ok {
				cm.Party = code
				last := strings.Index(text[m[4]:m[5]], strings.Join(words[:n], " "))
				cm.End = m[4] + last + len(strings.Join(words[:n], " "))
			}
		}
		if cm.Party == "" || cm.End <= m[4] {
			continue // "v. Annex", or words spread over lines
		}
		// Each name that ends at the name's last word: drop leading words.
		at := m[2]
		for at < m[3] {
			if r, _ := utf8.DecodeRuneInString(text[at:]); unicode.IsUpper(r) { // not "et al. v. …"
				cm.Names = append(cm.Names, CaseName{Name: text[at:m[3]] + " v. " + text[m[4]:cm.End], Start: at})
			}
			sp := strings.IndexAny(text[at:m[3]], " \t\n")
			if sp < 0 {
				break
			}
			at += sp
			for at < m[3] && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n') {
				at++
			}
		}
		out = append(out, cm)
		prevEnd = cm.End
	}
	return out
}

// complainantsRe finds a name joined to what follows it by "and", at the
// end of a text: "X, Y and " before "Z v. Sweden". A comma alone joins
// too much else ("Committee against Torture, Arana v. France").
var complainantsRe = regexp.MustCompile(`([\p{Lu}][\p{L}'’.\-]*),?\s+(?:and|y|et|&)\s+$`)

// joinsComplainants reports whether before (the text before a name cited
// as "Name v. State") ends with another name joined to it: the name is the
// last of several complainants, and only their whole list names the case.
// A State that ends the mention before ("Agiza v. Sweden and Tebourski v.
// France", its end at prevEnd) joins two cases, not two complainants.
func joinsComplainants(before string, prevEnd int) bool {
	from := max(0, len(before)-80)
	m := complainantsRe.FindStringSubmatchIndex(before[from:])
	return m != nil && from+m[3] != prevEnd
}
