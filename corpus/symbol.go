package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// Types of UN document, as a symbol tells them.
const (
	SymbolConcludingObservations = "concluding-observations"
	SymbolDecision               = "decision" // views and decisions on individual communications
	SymbolGeneralComment         = "general-comment"
	SymbolStateReport            = "state-report"
	SymbolListOfIssues           = "list-of-issues"
	SymbolVisitReport            = "visit-report" // SPT visits (CAT/OP/…)
	SymbolResolution             = "resolution"
	SymbolSummaryRecord          = "summary-record"
	SymbolDocument               = "document" // anything else: reports, notes, compilations
)

// Symbol is a parsed UN document symbol.
type Symbol struct {
	// Normalized is the canonical form: series in upper case, "Add. 13" as
	// "Add.13", no spaces.
	Normalized string
	// Series is the issuing organ's prefix: "CAT/C", "CCPR/C", "E/C.12",
	// "CAT/OP", "A", "A/HRC", "E/CN.4", "HRI".
	Series string
	// Committee is the treaty body, where the symbol is one's: CAT, CCPR,
	// CESCR, CEDAW, CRC, CRPD, CERD, CED, CMW, SPT.
	Committee string
	Type      string
	// State is the ISO 3166-1 alpha-2 code of the state a country document
	// concerns (CAT/C/SLV/CO/3 → SV).
	State string
	// Cycle is the reporting cycle of a country document ("3", "3-5").
	Cycle string
	// Session is the session number, where the symbol carries one
	// (CAT/C/34/D/233/2003 → 34; A/RES/70/175 → 70).
	Session int
	// Communication is the number of an individual communication ("233/2003").
	Communication string
	// Number is a general comment's, resolution's or document's number.
	Number string
	// Year is a year the symbol carries (a communication's registration year,
	// E/CN.4/1993/26 → 1993).
	Year int
	// Rev, Add and Corr are the revision, addendum and corrigendum numbers.
	Rev, Add, Corr string
}

// treatyBodies are the series prefixes of the treaty bodies.
var treatyBodies = map[string]bool{
	"CAT": true, "CCPR": true, "CEDAW": true, "CRC": true, "CRPD": true, "CERD": true, "CED": true, "CMW": true,
}

// NormalizeSymbol returns the canonical form of a UN symbol: spaces removed
// ("CCPR/C/21/Rev.1/Add. 13" → "CCPR/C/21/Rev.1/Add.13"), "Add", "Rev" and
// "Corr" spelled so, the series in upper case.
func NormalizeSymbol(s string) string {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "/")
	for i, p := range parts {
		p = strings.Join(strings.Fields(p), "")
		if k, n, ok := suffixPart(p); ok {
			parts[i] = k + "." + n
			continue
		}
		if i == 0 {
			p = strings.ToUpper(p)
		}
		parts[i] = p
	}
	return strings.Join(parts, "/")
}

// suffixPart recognises "Add.13", "Rev.1", "Corr.2" (any case, dot optional).
func suffixPart(p string) (kind, num string, ok bool) {
	for _, k := range []string{"Add", "Rev", "Corr", "Suppl"} {
		if len(p) > len(k) && strings.EqualFold(p[:len(k)], k) {
			n := strings.TrimPrefix(p[len(k):], ".")
			if n != "" && allDigits(n) {
				return k, n, true
			}
		}
	}
	return "", "", false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cycleLike matches a report number or range: "3", "3-5", "2-3".
func cycleLike(s string) bool {
	a, b, ok := strings.Cut(s, "-")
	return allDigits(a) && (!ok || allDigits(b))
}

// ParseSymbol parses a UN document symbol:
//
//	CAT/C/SLV/CO/3       concluding observations on El Salvador, third cycle
//	CAT/C/34/D/233/2003  decision on communication 233/2003, 34th session
//	CAT/C/GC/4           general comment No. 4
//	CCPR/C/21/Rev.1/Add.13, E/C.12/GC/24, A/RES/70/175, A/HRC/40/59, E/CN.4/1993/26
//
// The error wraps ErrInvalid.
func ParseSymbol(s string) (Symbol, error) {
	norm := NormalizeSymbol(s)
	sym := Symbol{Normalized: norm}
	parts := strings.Split(norm, "/")
	if len(parts) < 2 || len(norm) > 120 {
		return sym, fmt.Errorf("%w: symbol %q", ErrInvalid, s)
	}
	for _, p := range parts {
		if p == "" || !symbolPart(p) {
			return sym, fmt.Errorf("%w: symbol %q", ErrInvalid, s)
		}
	}
	parts = sym.trimSuffixes(parts)
	rest, treatyBody := sym.parseSeries(parts)
	switch {
	case sym.Series == "":
		return sym, fmt.Errorf("%w: symbol %q: unknown series", ErrInvalid, s)
	case treatyBody:
		sym.parseTreatyBody(rest)
	}
	return sym, nil
}

// trimSuffixes reads the trailing revision, addendum and corrigendum parts
// of a symbol's parts and returns the parts before them.
func (sym *Symbol) trimSuffixes(parts []string) []string {
	for len(parts) > 2 {
		k, n, ok := suffixPart(parts[len(parts)-1])
		if !ok {
			break
		}
		switch k {
		case "Add":
			sym.Add = n
		case "Rev":
			sym.Rev = n
		case "Corr":
			sym.Corr = n
		}
		parts = parts[:len(parts)-1]
	}
	return parts
}

// parseSeries reads a symbol's series, and all of a General Assembly,
// Human Rights Council or Commission document; for a treaty body's
// document it returns the parts after the series and treatyBody true. An
// unknown series leaves sym.Series empty.
func (sym *Symbol) parseSeries(parts []string) (rest []string, treatyBody bool) {
	switch {
	case treatyBodies[parts[0]] && len(parts) >= 3 && (parts[1] == "C" || parts[1] == "OP"):
		sym.Series = parts[0] + "/" + parts[1]
		sym.Committee = parts[0]
		if parts[1] == "OP" {
			sym.Committee = "SPT"
		}
		return parts[2:], true
	case parts[0] == "E" && len(parts) >= 3 && parts[1] == "C.12":
		sym.Series, sym.Committee = "E/C.12", "CESCR"
		return parts[2:], true
	case parts[0] == "A" && parts[1] == "HRC":
		sym.Series, sym.Type = "A/HRC", SymbolDocument
		rest = parts[2:]
		if len(rest) > 0 && rest[0] == "RES" {
			sym.Type, rest = SymbolResolution, rest[1:]
		}
		sym.sessionAndNumber(rest)
	case parts[0] == "A":
		sym.Series, sym.Type = "A", SymbolDocument
		rest = parts[1:]
		if rest[0] == "RES" {
			sym.Type, rest = SymbolResolution, rest[1:]
			if len(rest) == 1 { // A/RES/2200A(XXI)
				if num, sess, ok := strings.Cut(strings.TrimSuffix(rest[0], ")"), "("); ok {
					sym.Number = num
					sym.Session = romanValue(sess)
					return nil, false
				}
			}
		}
		sym.sessionAndNumber(rest)
	case parts[0] == "E" && parts[1] == "CN.4":
		sym.Series, sym.Type = "E/CN.4", SymbolDocument
		if len(parts) > 2 {
			if y, err := strconv.Atoi(parts[2]); err == nil && len(parts[2]) == 4 {
				sym.Year = y
			}
		}
		if len(parts) > 3 {
			sym.Number = parts[3]
		}
	case parts[0] == "E" || parts[0] == "HRI" || parts[0] == "S" || parts[0] == "ST":
		sym.Series, sym.Type = parts[0], SymbolDocument
	}
	return nil, false
}

// sessionAndNumber reads "SESSION/NUMBER" (A/73/207).
func (sym *Symbol) sessionAndNumber(rest []string) {
	if len(rest) > 0 {
		sym.Session, _ = strconv.Atoi(rest[0])
	}
	if len(rest) > 1 {
		sym.Number = rest[1]
	}
}

// parseTreatyBody reads what follows a treaty body's series: a general
// comment, concluding observations, a summary record, a State's document,
// or a session's document or decision.
func (sym *Symbol) parseTreatyBody(rest []string) {
	sym.Type = SymbolDocument
	switch {
	case len(rest) == 0:
	case rest[0] == "GC" || rest[0] == "GR":
		sym.Type = SymbolGeneralComment
		if len(rest) > 1 {
			sym.Number = rest[1]
		}
	case rest[0] == "CR" && len(rest) >= 2: // CAT/C/CR/33/3: conclusions and recommendations
		sym.Type = SymbolConcludingObservations
		sym.Session, _ = strconv.Atoi(rest[1])
		if len(rest) > 2 {
			sym.Number = rest[2]
		}
	case strings.HasPrefix(rest[0], "SR."):
		sym.Type, sym.Number = SymbolSummaryRecord, strings.TrimPrefix(rest[0], "SR.")
	case len(rest[0]) == 3 && isUpperASCII(rest[0]):
		sym.parseStateDocument(rest)
	case allDigits(rest[0]):
		sym.Session, _ = strconv.Atoi(rest[0])
		if len(rest) >= 3 && rest[1] == "D" {
			sym.Type = SymbolDecision
			nums, year := communicationNumbers(rest[2:])
			sym.Communication, sym.Year = JoinCommunications(nums), year
		} else if len(rest) >= 2 {
			sym.Number = rest[1]
		}
	}
}

// parseStateDocument reads a treaty body's document about a State
// (CAT/C/SLV/CO/3, CCPR/C/GTM/Q/4): the State, the kind, the cycle.
func (sym *Symbol) parseStateDocument(rest []string) {
	st, ok := LookupState(rest[0])
	if !ok {
		return
	}
	sym.State = st.Alpha2
	r := rest[1:]
	switch {
	case sym.Committee == "SPT":
		sym.Type = SymbolVisitReport
	case len(r) > 0 && r[0] == "CO":
		sym.Type, r = SymbolConcludingObservations, r[1:]
	case len(r) > 0 && (r[0] == "Q" || r[0] == "QPR" || r[0] == "LOIPR"):
		sym.Type, r = SymbolListOfIssues, r[1:]
	case len(r) > 0 && cycleLike(r[0]):
		sym.Type = SymbolStateReport
	}
	if len(r) > 0 && cycleLike(r[0]) {
		sym.Cycle = r[0]
	}
}

func symbolPart(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(isAlnumASCII(c) || c == '.' || c == '-' || c == '(' || c == ')') {
			return false
		}
	}
	return true
}

func isAlnumASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func romanValue(s string) int {
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	n := 0
	for i := 0; i < len(s); i++ {
		v, ok := vals[s[i]]
		if !ok {
			return 0
		}
		if i+1 < len(s) && vals[s[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

// SymbolMatch is a UN symbol found in a text.
type SymbolMatch struct {
	Start, End int // byte offsets of the symbol as written
	Symbol     Symbol
}

// FindSymbols returns the UN document symbols in text, in order
// ("… its concluding observations (CAT/C/SLV/CO/3) …").
func FindSymbols(text string) []SymbolMatch {
	var out []SymbolMatch
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}
		a := i
		for a > 0 && symbolByte(text[a-1]) {
			a--
		}
		b := i + 1
		for b < len(text) {
			c := text[b]
			if symbolByte(c) || c == '/' {
				b++
				continue
			}
			// "Add. 13": a space after a suffix's dot.
			if c == ' ' && b+1 < len(text) && text[b+1] >= '0' && text[b+1] <= '9' && endsWithSuffixDot(text[a:b]) {
				b++
				continue
			}
			break
		}
		i = b
		a, b = trimSymbol(text, a, b)
		if b-a < 3 || a > 0 && (text[a-1] == ':' || text[a-1] == '/') {
			continue
		}
		if sym, err := ParseSymbol(text[a:b]); err == nil {
			out = append(out, SymbolMatch{Start: a, End: b, Symbol: sym})
		}
	}
	return out
}

func symbolByte(c byte) bool { return isAlnumASCII(c) || c == '.' || c == '-' || c == '(' || c == ')' }

func endsWithSuffixDot(s string) bool {
	for _, k := range []string{"Add.", "Rev.", "Corr."} {
		if strings.HasSuffix(s, k) {
			return true
		}
	}
	return false
}

// trimSymbol drops punctuation that closes a sentence or opens a bracket
// around a symbol.
func trimSymbol(text string, a, b int) (int, int) {
	for a < b && (text[a] == '(' || text[a] == '.' || text[a] == '-') {
		a++
	}
	for b > a {
		c := text[b-1]
		if c == '.' || c == '-' || c == ')' && strings.Count(text[a:b], "(") < strings.Count(text[a:b], ")") {
			b--
			continue
		}
		break
	}
	return a, b
}

// communicationNumbers reads the communications a decision's symbol names
// after its "D": "233/2003"; a joint decision's "130/131/1999" (numbers
// sharing one year) or "1017/2001/1066/2002" (each with its own), and a
// symbol written twice ("2108/2011/CCPR/C/117/D/2109/2011"). A
// registration year is four digits from 1977 on and never earlier than a
// year before it (communication numbers grow with time, so "1936" after
// 2009 is a number); a number counts only once a year follows it, and only
// after a "D"; a suffix (Rev, Corr) ends the list. The first year is
// returned with them.
func communicationNumbers(parts []string) ([]string, int) {
	var out, pending []string
	year, last := 0, 0
	inD := true
	for _, p := range parts {
		switch {
		case !allDigits(p):
			if p == "D" {
				inD, pending = true, nil
			} else if p != "R" { // "CRC/C/86/D/R/77/2019": a registry mark
				inD, pending = false, nil
			}
		case !inD || len(p) > 4:
			pending = nil
		case len(p) == 4 && p >= "1977" && p <= "2099" && len(pending) > 0 && atoi(p) >= last:
			last = atoi(p)
			if year == 0 {
				year = last
			}
			for _, n := range pending {
				out = append(out, strings.TrimLeft(n, "0")+"/"+p)
			}
			pending = nil
		default:
			pending = append(pending, p)
		}
	}
	return out, year
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// JoinCommunications writes the communications of one decision as the
// decisions write them: "130/1999", "130/1999 and 131/1999",
// "1914/2009, 1915/2009 and 1916/2009".
func JoinCommunications(nums []string) string {
	switch len(nums) {
	case 0:
		return ""
	case 1:
		return nums[0]
	}
	return strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
}

// SplitCommunications is the inverse of JoinCommunications: the numbers
// ("NNN/YYYY") a case's communication holds.
func SplitCommunications(s string) []string {
	var out []string
	for _, f := range strings.Split(strings.ReplaceAll(s, " and ", ", "), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
