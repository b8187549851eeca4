package corpus

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// KindFollowUp is a treaty body's progress report on the follow-up to its
// decisions (CAT/C/64/2): filed with the decisions by sources, it decides no
// complaint.
const KindFollowUp = "follow-up"

// Outcomes of a decision on an individual communication.
const (
	OutcomeViolation    = "violation"
	OutcomeNoViolation  = "no-violation"
	OutcomeInadmissible = "inadmissible"
	OutcomeDiscontinued = "discontinued"
)

// Where a decision's year came from.
const (
	YearFromText    = "text"    // the adoption date the decision states
	YearFromSession = "session" // the session in its symbol
)

// Case is what a decision on an individual communication is cited by: its
// parties, number, date and outcome, read from the decision itself.
type Case struct {
	// Name is "Surname v. State" in the UN treaty-body database's style
	// ("Tebourski v. France", "M.C.M.V.F. v. Sweden").
	Name          string `json:"name,omitempty"`
	Communication string `json:"communication,omitempty"` // "300/2006"
	Complainant   string `json:"complainant,omitempty"`   // as the decision names them
	Party         string `json:"party,omitempty"`         // ISO alpha-2 of the State party
	// Adopted is the date of adoption (YYYY-MM-DD) where the text states it.
	Adopted     string   `json:"adopted"`
	Outcome     string   `json:"outcome,omitempty"`
	Violations  []string `json:"violations,omitempty"`  // "CAT 3"
	Destination []string `json:"destination,omitempty"` // ISO alpha-2 of the country of return
	// Session is the session number of the decision's symbol.
	Session int `json:"session,omitempty"`
	// YearSource says where the document's year came from: YearFromText or
	// YearFromSession.
	YearSource string `json:"year_source,omitempty"`
	// Groups are the concerned groups of the document: the union of its
	// paragraphs' labels ("Children", "Refugees & asylum-seekers").
	Groups []string `json:"groups,omitempty"`
}

// IsCase reports whether c says more than the document's groups: a case
// of its own or a State party.
func (c *Case) IsCase() bool {
	return c != nil && (c.Communication != "" || c.Party != "" || c.Outcome != "" || c.Name != "")
}

// IsCorrection reports whether c sets any of the fields a librarian may
// correct: name, communication, complainant, party, adoption date,
// outcome, violations or destination.
func (c *Case) IsCorrection() bool {
	return c != nil && (c.Name != "" || c.Communication != "" || c.Complainant != "" || c.Party != "" ||
		c.Adopted != "" || c.Outcome != "" || c.Violations != nil || c.Destination != nil)
}

// Outcomes lists the values of Case.Outcome.
var Outcomes = []string{OutcomeViolation, OutcomeNoViolation, OutcomeInadmissible, OutcomeDiscontinued}

// MarshalJSON writes an unstated adoption date as null, as the API shows it.
func (c Case) MarshalJSON() ([]byte, error) {
	type plain Case
	var adopted *string
	if c.Adopted != "" {
		adopted = &c.Adopted
	}
	return json.Marshal(struct {
		plain
		Adopted *string `json:"adopted"`
	}{plain(c), adopted})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Case) UnmarshalJSON(b []byte) error {
	type plain Case
	var v struct {
		plain
		Adopted *string `json:"adopted"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Case(v.plain)
	c.Adopted = ""
	if v.Adopted != nil {
		c.Adopted = *v.Adopted
	}
	return nil
}

// DeriveCase fills what a decision's text says about its case: doc.Case for
// a decision on an individual communication, the document's year where the
// catalog gives none (from the adoption date, else from the session), and
// KindFollowUp for a follow-up progress report filed as a decision.
// Concluding observations get a Case holding only their State party.
// Every document whose paragraphs carry labels gets their union as
// Case.Groups (a Case that IsCase reports false for, if that is all).
func DeriveCase(doc *Document) { deriveCase(doc, nil) }

// deriveCase is DeriveCase; known, when not nil, holds the references of
// the passages Enrich found as ExtractCase would (nil where it did not).
func deriveCase(doc *Document, known [][]Reference) {
	var groups []string
	for i := range doc.Passages {
		groups = append(groups, doc.Passages[i].Labels...)
	}
	groups = sortedSet(groups)
	given := doc.Case // from the catalog or a librarian: it wins
	defer func() {
		doc.Case = overlayCase(doc.Case, given)
		if len(groups) > 0 {
			if doc.Case == nil {
				doc.Case = &Case{}
			}
			doc.Case.Groups = groups
		}
	}()
	sym, _ := ParseSymbol(doc.Symbol)
	switch {
	case sym.Type == SymbolConcludingObservations && sym.State != "":
		doc.Case = &Case{Party: sym.State}
		return
	case doc.Kind != KindDecision:
		return
	}
	if sym.Communication == "" && isFollowUpReport(doc) {
		doc.Kind = KindFollowUp
		return
	}
	texts := make([]string, len(doc.Passages))
	for i := range doc.Passages {
		texts[i] = doc.Passages[i].Text
	}
	c := extractCase(texts, ContextOf(&doc.Entry), known)
	if doc.YearOf() == 0 {
		if y, src := c.year(sym.Committee); y > 0 {
			doc.Year = y
			c.YearSource = src
		}
	}
	doc.Case = c
}

// overlayCase returns derived with every field given sets replaced.
func overlayCase(derived, given *Case) *Case {
	if given == nil {
		return derived
	}
	out := Case{}
	if derived != nil {
		out = *derived
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	if given.Name == "" && (given.Complainant != "" || given.Party != "") {
		// A corrected complainant or State party renames the case.
		complainant, party := out.Complainant, out.Party
		set(&complainant, given.Complainant)
		set(&party, given.Party)
		if n := caseName(complainant, strings.Contains(out.Name, " et al. v. "), party); n != "" {
			out.Name = n
		}
	}
	set(&out.Name, given.Name)
	set(&out.Communication, given.Communication)
	set(&out.Complainant, given.Complainant)
	set(&out.Party, given.Party)
	set(&out.Adopted, given.Adopted)
	set(&out.Outcome, given.Outcome)
	if given.Violations != nil {
		out.Violations = slices.Clone(given.Violations)
	}
	if given.Destination != nil {
		out.Destination = slices.Clone(given.Destination)
	}
	if given.Outcome != "" && given.Outcome != OutcomeViolation && given.Violations == nil {
		out.Violations = nil // no violation found, none violated
	}
	return &out
}

// isFollowUpReport reports whether a decision-kind document without a
// communication number presents itself as a follow-up report.
func isFollowUpReport(doc *Document) bool {
	for i := range min(3, len(doc.Passages)) {
		t := strings.ToLower(doc.Passages[i].Text)
		if strings.Contains(t, "follow-up") || strings.Contains(t, "follow up") {
			return true
		}
	}
	return false
}

// year is the case's year: the adoption date's, else the session's.
func (c *Case) year(committee string) (int, string) {
	if len(c.Adopted) >= 4 {
		if y, err := strconv.Atoi(c.Adopted[:4]); err == nil {
			return y, YearFromText
		}
	}
	if y := SessionYear(committee, c.Session); y > 0 {
		return y, YearFromSession
	}
	return 0, ""
}

// ExtractCase reads a decision's case metadata from its paragraphs, in
// order. The context gives the symbol (communication and session) and the
// instrument the violated articles belong to.
func ExtractCase(paras []string, c Context) *Case { return extractCase(paras, c, nil) }

// extractCase is ExtractCase; known[i], when not nil, holds the
// references of paras[i] in c.
func extractCase(paras []string, c Context, known [][]Reference) *Case {
	cs := &Case{}
	if sym, err := ParseSymbol(c.Symbol); err == nil {
		cs.Session = sym.Session
		cs.Communication = JoinCommunications(communicationsOf(sym))
	}
	clean := make([]string, len(paras))
	for i, p := range paras {
		clean[i] = stripNoteMarkers(p)
	}
	if cs.Communication == "" {
		for _, p := range clean {
			if m := communicationRe.FindStringSubmatch(p); m != nil {
				cs.Communication = m[1]
				break
			}
		}
	}
	cs.Adopted = adoptionDate(clean)
	name, plural := complainantOf(clean)
	cs.Complainant = name
	// The states a decision names as party and as country of return are in
	// its opening (the complaint, the facts) and its conclusion: reading
	// only those keeps derivation cheaper than extraction itself.
	refs := make([][]Reference, len(clean))
	for i, p := range clean {
		switch {
		case !caseParagraph(i, len(clean)):
		case i < len(known) && known[i] != nil:
			refs[i] = known[i]
		default:
			refs[i] = ExtractReferences(p, c)
		}
	}
	cs.Destination = destinationOf(clean, refs)
	cs.Party = partyOf(clean, refs, cs.Destination)
	if len(cs.Destination) == 0 {
		cs.Destination = otherStateOf(clean, refs, cs.Party)
	}
	if len(cs.Destination) == 1 && cs.Destination[0] == cs.Party {
		cs.Destination = nil // "returned to Austria" from abroad: no removal by the party
	}
	cs.Outcome, cs.Violations = outcomeOf(clean, c)
	if cs.Outcome != OutcomeViolation {
		cs.Violations = nil
	}
	cs.Name = caseName(name, plural, cs.Party)
	return cs
}

// communicationsOf returns the communications a decision's symbol names:
// "CAT/C/34/D/233/2003" → 233/2003; a joint decision's
// "CAT/C/24/D/130/131/1999" → 130/1999, 131/1999.
func communicationsOf(sym Symbol) []string {
	var out []string
	for _, n := range SplitCommunications(sym.Communication) {
		if _, year, ok := strings.Cut(n, "/"); ok && len(year) == 4 {
			out = append(out, n)
		}
	}
	return out
}

// The paragraphs of a decision read for its states: the first and the last.
const (
	caseHeadParas = 12
	caseTailParas = 6
)

// caseParagraph reports whether paragraph i of n is one of those.
func caseParagraph(i, n int) bool { return i < caseHeadParas || i >= n-caseTailParas }

var noteMarkerRe = regexp.MustCompile(`\[\[fn:[^\]]*\]\]\**`)

// noteMarkerStart starts every note marker noteMarkerRe matches.
const noteMarkerStart = "[[fn:"

func stripNoteMarkers(s string) string {
	if !strings.Contains(s, noteMarkerStart) {
		return s
	}
	return noteMarkerRe.ReplaceAllString(s, "")
}

var communicationRe = regexp.MustCompile(`(?i)\bcommunication\s+No\.?\s*(\d{1,4}/\d{4})\b`)

// caseName is "Surname v. State", "Surname et al. v. State", or "" when the
// complainant or the State party is unknown.
func caseName(complainant string, plural bool, party string) string {
	if complainant == "" || party == "" {
		return ""
	}
	st, ok := LookupState(party)
	if !ok {
		return ""
	}
	state := st.Names["en"]
	if r := readableName(state); r != "" {
		state = r
	}
	if i := strings.Index(state, " ("); i > 0 {
		state = state[:i]
	}
	n := surname(complainant)
	if plural {
		n += " et al."
	}
	return n + " v. " + state
}

// surname is how a case is named after its complainant: initials as the
// decision gives them, closed up ("M. C. M. V. F." → "M.C.M.V.F."), else
// the family name (a word in capitals, else the last word).
func surname(name string) string {
	words := strings.Fields(name)
	if isInitials(words) {
		return strings.Join(words, "")
	}
	for _, w := range words {
		if len([]rune(w)) > 1 && w == strings.ToUpper(w) && strings.ToUpper(w) != strings.ToLower(w) && !strings.Contains(w, ".") {
			return titleCase(w)
		}
	}
	return words[len(words)-1]
}

// isInitials reports whether every word is an initial or a run of them
// ("M.", "P.Q.L.", "X").
func isInitials(words []string) bool {
	for _, w := range words {
		letters := 0
		for _, r := range w {
			switch {
			case r == '.':
			case r >= 'A' && r <= 'Z' || r > 127 && strings.ToUpper(string(r)) == string(r):
				letters++
			default:
				return false
			}
		}
		if letters == 0 || letters > 1 && !strings.Contains(w, ".") {
			return false
		}
	}
	return len(words) > 0
}

func titleCase(w string) string {
	r := []rune(strings.ToLower(w))
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// complainantRe finds how a decision introduces its complainant: "The
// complainant is Mr. X", "The author of the communication is X", "The
// complainant, A.M., is", "The complainants are X and …", "Submitted by: X".
var complainantRe = regexp.MustCompile(`(?:^|[.;:]\s+|\s)(?:The|the)\s+(complainant|claimant|author|petitioner|applicant|victim|complaint)(s)?(?:\s+of\s+the\s+(?:communications?|complaints?|petitions?))?(?:\s*\([^)]{0,120}\))?(?:,\s+(?:dated|submitted|of)\s[^,]{0,60},)?(?:\s+(?:is|are)\s+|,\s+)`)

// complainantApposedRe: "The complainant Mükerrem Güclü, a Turkish
// national, …" names them without a verb, the name set off by a comma.
var complainantApposedRe = regexp.MustCompile(`(?:^|[.;:]\s+|\s)The\s+complainant(s)?\s+([^,.;:()\[\]]{2,60}),`)

// submittedByRe: "Submitted by: X", "submitted to the Committee by X", "The
// communication was submitted by (counsel on behalf of) X".
var submittedByRe = regexp.MustCompile(`Submitted\s+by:\s+|\bsubmitted\s+to\s+the\s+Committee(?:\s+against\s+Torture)?\s+by\s+|\b(?:communication|complaint|petition)\s+(?:was|is|has\s+been)\s+submitted\s+by\s+(?:(?:counsel|a\s+lawyer|an?\s+organi[sz]ation)\s+on\s+behalf\s+of\s+)?`)

// complainantWords are complainantRe's words, as printed: one is in every
// match ("complain" in complainant and complaint).
var complainantWords = []string{"complain", "claimant", "author", "petitioner", "applicant", "victim"}

// containsAny reports whether s holds one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var honorificRe = regexp.MustCompile(`^(?:(?:Mr|Mrs|Ms|Miss|Messrs|Mmes|Dr|Prof)\.?\s+)+`)

// complainantOf finds the complainant's name in the opening paragraphs and
// whether the decision speaks of several complainants.
//
// The opening is the first four paragraphs of some length: the lines of a
// scanned header ("Distr.", "Communication No. 41/1996") before "Submitted
// by: …" do not count.
func complainantOf(paras []string) (string, bool) {
	read := 0
	for i := 0; i < len(paras) && i < caseHeadParas && read < 4; i++ {
		p := paras[i]
		if len(p) >= shortHeaderLine {
			read++
		}
		// Each expression runs only over a paragraph holding a word that
		// every match of it holds.
		if i < 4 && containsAny(p, complainantWords) {
			for _, loc := range complainantRe.FindAllStringSubmatchIndex(p, -1) {
				plural := loc[4] >= 0
				if n := nameAt(p[loc[1]:]); n != "" {
					return n, plural || othersAfter(p[loc[1]:], n)
				}
			}
			// The whole apposition is a name (every word capitalised), or
			// it is no name ("The complainant State party, …").
			if strings.Contains(p, "complainant") {
				if m := complainantApposedRe.FindStringSubmatch(p); m != nil && nameAt(m[2]+",") == strings.TrimSpace(m[2]) {
					return strings.TrimSpace(m[2]), m[1] != ""
				}
			}
		}
		if !strings.Contains(p, "ubmitted") {
			continue
		}
		if loc := submittedByRe.FindStringIndex(p); loc != nil {
			if n := nameAt(p[loc[1]:]); n != "" {
				return n, othersAfter(p[loc[1]:], n)
			}
		}
	}
	return "", false
}

// shortHeaderLine is the length under which an opening paragraph is a line
// of a document's header rather than text.
const shortHeaderLine = 120

// othersAfter reports whether the name at the start of s is followed by
// another complainant's: "A.L. and S.K., nationals of …".
func othersAfter(s, name string) bool {
	i := strings.Index(s, name)
	if i < 0 {
		return false
	}
	rest := strings.TrimLeft(s[i+len(name):], ".")
	rest, ok := strings.CutPrefix(rest, " and ")
	return ok && nameAt(rest) != ""
}

// nameAt reads a person's name at the start of s: it ends at a comma, a
// bracket, a semicolon, " and ", or a sentence's end, and every word of it
// begins with a capital letter.
func nameAt(s string) string {
	s = honorificRe.ReplaceAllString(strings.TrimLeft(s, " "), "")
	end := len(s)
	for _, stop := range []string{",", "(", "[", ";", "*", "“", "\"", " and ", " who ", " born ", "\n"} {
		if i := strings.Index(s, stop); i >= 0 && i < end {
			end = i
		}
	}
	n := strings.TrimSpace(s[:end])
	// A sentence's end: a period after a word of two or more lower-case letters.
	for i := 0; i < len(n); i++ {
		if n[i] == '.' && i >= 2 && isLowerASCII(n[i-1]) && isLowerASCII(n[i-2]) {
			n = n[:i]
			break
		}
	}
	n = strings.TrimRight(strings.TrimSpace(n), ".")
	words := strings.Fields(n)
	// The name ends before the first word in lower case ("S.S. a Sri
	// Lankan national"); particles inside it ("de", "van", "al-") may be.
	for i, w := range words {
		r := []rune(w)
		if !(r[0] >= 'A' && r[0] <= 'Z' || r[0] > 127 && strings.ToUpper(string(r[0])) == string(r[0]) && strings.ToLower(string(r[0])) != string(r[0])) && !nameParticle(w) {
			words = words[:i]
			break
		}
	}
	for len(words) > 0 && nameParticle(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 || len(words) > 8 {
		return ""
	}
	n = strings.TrimRight(strings.Join(words, " "), ".")
	// Initials keep their closing dot ("A.M." was trimmed to "A.M").
	if isInitials(append(words[:len(words)-1:len(words)-1], words[len(words)-1]+".")) && strings.Contains(n, ".") {
		n += "."
	}
	return n
}

// nameParticle is a lower-case word that may stand inside a name ("de",
// "van", "al-Hassan").
func nameParticle(w string) bool {
	if w != strings.ToLower(w) {
		return false
	}
	switch w {
	case "de", "del", "da", "do", "dos", "das", "di", "van", "von", "der", "den", "la", "le", "el", "bin", "ben", "ibn", "y", "e":
		return true
	}
	return strings.HasPrefix(w, "al-") || strings.HasPrefix(w, "el-")
}

func isLowerASCII(c byte) bool { return c >= 'a' && c <= 'z' }

// destinationOf is the country the complainant is to be returned to: the
// state most often named after a verb of removal ("his deportation to
// Ethiopia", "if returned to Togo").
func destinationOf(paras []string, refs [][]Reference) []string {
	counts := map[string]int{}
	for i, p := range paras {
		for _, r := range refs[i] {
			if r.Kind != RefState || !removalBefore(p[:r.Start]) {
				continue
			}
			counts[r.Value]++
		}
	}
	best := topState(counts, "")
	if best == "" {
		return nil
	}
	return []string{best}
}

// removalWordRe tells a complaint about a removal: it speaks of
// deportation, expulsion, extradition, removal, return or refoulement.
var removalWordRe = regexp.MustCompile(`(?i)\b(?:deport|expel|expuls|extradit|remov|refoul|return)\w*`)

// removalPrefixes are removalWordRe's words without their k and s (see
// containsFoldASCII): a paragraph with none of them at a word start is
// not matched, and the test costs less than the expression's.
var removalPrefixes = []string{"deport", "expel", "expul", "extradit", "remov", "refoul", "return"}

// otherStateOf is the country of return of a removal complaint that never
// says "to" it ("the risks in Myanmar"): the state named most often other
// than the State party, when the text speaks of removal at all.
func otherStateOf(paras []string, refs [][]Reference, party string) []string {
	counts := map[string]int{}
	removal := false
	for i, p := range paras {
		removal = removal || wordStartsFoldASCII(p, removalPrefixes) && removalWordRe.MatchString(p)
		for _, r := range refs[i] {
			if r.Kind == RefState {
				counts[r.Value]++
			}
		}
	}
	if !removal || party == "" {
		return nil
	}
	if s := topState(counts, party); s != "" {
		return []string{s}
	}
	return nil
}

// removalBefore reports whether the text ends with a verb of removal and
// "to" ("deportation to ", "be returned to the ").
func removalBefore(before string) bool {
	w := lastWords(before, 6)
	n := len(w)
	if n == 0 {
		return false
	}
	if strings.EqualFold(w[n-1], "the") {
		n--
	}
	if n < 2 || !strings.EqualFold(w[n-1], "to") {
		return false
	}
	for k := n - 2; k >= 0 && k >= n-5; k-- {
		if returnVerb(lowerWord(strings.Trim(w[k], ",.;:()’'"))) {
			return true
		}
	}
	return false
}

func lastWords(s string, n int) []string {
	if len(s) > 120 {
		s = s[len(s)-120:]
	}
	w := strings.Fields(s)
	if len(w) > n {
		w = w[len(w)-n:]
	}
	return w
}

// partyOf is the State party: the state a decision names as respondent
// ("a violation by Sweden of article 3", "State party: Switzerland",
// "Morocco ratified the Convention"), else the state it names most often
// that is not the country of return.
func partyOf(paras []string, refs [][]Reference, destination []string) string {
	strong := map[string]int{}
	weak := map[string]int{}
	for i, p := range paras {
		for _, r := range refs[i] {
			if r.Kind != RefState {
				continue
			}
			if respondentBefore(p[:r.Start]) || respondentAfter(p[r.End:]) {
				strong[r.Value]++
			}
			if !slices.Contains(destination, r.Value) {
				weak[r.Value]++
			}
		}
	}
	if s := topState(strong, ""); s != "" {
		return s
	}
	return topState(weak, "")
}

var respondentBeforeRe = regexp.MustCompile(`(?i)(?:(?:violation|violations|breach|breaches|violated)\s+by|State\s+party:|(?:complaint|communication|claims?)\s+against)\s+(?:the\s+)?$`)

func respondentBefore(before string) bool {
	if len(before) > 60 {
		before = before[len(before)-60:]
	}
	l := strings.ToLower(before)
	if !strings.Contains(l, "by") && !strings.Contains(l, "party:") && !strings.Contains(l, "against") && !strings.Contains(l, "from") {
		return false // neither regular expression can match: skip them
	}
	return endsRespondentWord(before) && respondentBeforeRe.MatchString(before) || removalFrom(before)
}

// endsRespondentWord reports whether before ends as respondentBeforeRe
// requires: white space, after "by", "party:" or "against" and an optional
// "the " (a cheaper test than the expression's, which reads the whole
// text to find its end).
func endsRespondentWord(before string) bool {
	const space = "\t\n\f\r " // \s
	t := strings.TrimRight(before, space)
	if len(t) == len(before) {
		return false
	}
	if n := len(t) - len("the"); n > 0 && strings.EqualFold(t[n:], "the") && strings.ContainsRune(space, rune(t[n-1])) {
		if u := strings.TrimRight(t[:n], space); endsRespondentTail(u) {
			return true
		}
	}
	return endsRespondentTail(t)
}

// endsRespondentTail reports whether t ends as "by", "party:" or
// "against" do, in any case: its last byte is enough to rule most out.
func endsRespondentTail(t string) bool {
	return t != "" && strings.IndexByte("yY:tT", t[len(t)-1]) >= 0
}

// removalFrom reports whether the text ends with a verb of removal and
// "from" ("their deportation from "): the state that removes.
func removalFrom(before string) bool {
	w := lastWords(before, 3)
	n := len(w)
	if n >= 1 && strings.EqualFold(w[n-1], "the") {
		n--
	}
	if n < 2 || !strings.EqualFold(w[n-1], "from") {
		return false
	}
	v := lowerWord(strings.Trim(w[n-2], ",.;:()’'"))
	return returnVerb(v) && !strings.HasPrefix(v, "return") && v != "sent"
}

var respondentAfterRe = regexp.MustCompile(`^\s+(?:ratified|acceded|became\s+(?:a\s+)?(?:State\s+)?party|made\s+the\s+declaration|has\s+made\s+the\s+declaration|recognized\s+the\s+competence)`)

func respondentAfter(after string) bool {
	if len(after) > 60 {
		after = after[:60]
	}
	return respondentAfterRe.MatchString(after)
}

// topState is the state with the highest count (ties to the smaller code),
// other than except.
func topState(counts map[string]int, except string) string {
	best, bestN := "", 0
	for s, n := range counts {
		if s == except {
			continue
		}
		if n > bestN || n == bestN && s < best {
			best, bestN = s, n
		}
	}
	return best
}

var monthNumbers = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}

const dateRe = `(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})`

// adoptionRe matches how a decision states its own adoption: "At its
// meeting on 26 April 2018, the Committee …", the older preamble's
// "Meeting on 15 November 1994", "Adopted by the Committee on 12 May 2008".
// Dates of other decisions ("Views adopted on …" in a citation) and the
// "[Adopted in English, French …]" note are not this.
var adoptionRe = regexp.MustCompile(`(?:\b[Aa]t\s+its\s+(?:\d+\w*\s+)?meetings?,?\s+(?:held\s+)?on|(?:^|,\s*|\s)Meeting\s+on|\bAdopted\s+by\s+the\s+Committee\s+on)\s+` + dateRe)

// adoptionDate is the date the decision says it was adopted, or "".
func adoptionDate(paras []string) string {
	for _, p := range paras {
		// The regular expression is slow on long paragraphs: most say
		// nothing of a meeting or an adoption.
		if !strings.Contains(p, "eeting") && !strings.Contains(p, "dopted by the Committee on") || !containsMonth(p) {
			continue
		}
		for _, m := range adoptionRe.FindAllStringSubmatch(p, -1) {
			d, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[3])
			mo := monthNumbers[strings.ToLower(m[2])]
			if d < 1 || d > 31 || y < 1950 {
				continue
			}
			return strconv.Itoa(y) + "-" + twoDigits(mo) + "-" + twoDigits(d)
		}
	}
	return ""
}

// containsMonth reports whether s names a month as dateRe spells it:
// every adoptionRe match ends with a date.
func containsMonth(s string) bool { return containsAny(s, monthNames) }

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// findingRe matches a finding on the merits: "would (not) constitute a
// breach of", "does not reveal a violation of", "disclose a violation by
// the State party of", "there has been (no) violation of".
var findingRe = regexp.MustCompile(`(?i)\b(?:not\s+|never\s+)?(?:constitutes?|constituted|reveals?|revealed|disclosed?|discloses|amounts?\s+to|amounted\s+to|shows?|indicates?|indicated|entails?|entailed|was|were|is)\s+(?:a\s+|any\s+|an?\s+)?(?:further\s+)?(?:breach|breaches|violation|violations)\b|\bthere\s+(?:has|have)\s+(?:been|not\s+been)\s+(?:no\s+)?(?:breach|violation)s?\b|\b(?:has|have|did|does)\s+(?:not\s+)?violated?\b|\bfailed\s+to\s+(?:meet|comply\s+with|fulfil|fulfill)\s+its\s+obligations?\s+under\b|\bobligation\b[^.;]{0,80}?\bto\s+refrain\s+from\s+(?:forcibly\s+)?(?:returning|expelling|extraditing|deporting|removing)\b`)

// findingWords are in every finding findingRe matches, in some case.
var findingWords = []string{"breach", "violat", "obligation"}

// mayHoldFinding reports whether s may hold a finding (findingRe): each of
// the pattern's alternatives holds one of findingWords, whose letters fold
// only to their ASCII capitals.
func mayHoldFinding(s string) bool {
	for _, w := range findingWords {
		if containsFoldASCII(s, w) {
			return true
		}
	}
	return false
}

// containsFoldASCII reports whether s holds lower, a lower-case ASCII
// word, in any case. Where lower has no k and no s, the only ASCII letters
// that (?i) also folds to other runes (K, ſ), it is in every text a (?i)
// expression holding lower matches.
func containsFoldASCII(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if s[i]|0x20 == lower[0] && strings.EqualFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

// wordStartsFoldASCII reports whether a word of s starts with one of
// prefixes (lower-case ASCII), in any case: at the start of s or after a
// byte that is not an ASCII word character (\b of a regular expression).
func wordStartsFoldASCII(s string, prefixes []string) bool {
	for i := 0; i < len(s); i++ {
		if i > 0 && isASCIIWordByte(s[i-1]) {
			continue
		}
		c := s[i] | 0x20
		for _, p := range prefixes {
			if c == p[0] && len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

var negationRe = regexp.MustCompile(`(?i)\b(?:not|no|never)\b`)

// operativeRe finds the operative paragraph of a decision: the committee
// "acting under article 22, paragraph 7" (CAT), "article 5 (4) of the
// Optional Protocol" (CCPR), and so on.
var operativeRe = regexp.MustCompile(`(?i)\bacting\s+(?:under|pursuant\s+to|in\s+accordance\s+with)\s+(?:article|rule)\b`)

// actingWord opens every operativeRe match.
var actingWord = []string{"acting"}

var inadmissibleRe = regexp.MustCompile(`(?i)\b(?:communication|complaint|petition|claims?)\b[^.;]{0,80}\b(?:is|are|be)\s+(?:therefore\s+)?(?:declared\s+)?inadmissible\b|\bdeclares?\s+(?:the\s+(?:communication|complaint)\s+)?inadmissible\b|\bdomestic\s+remedies\s+have\s+not\s+been\s+exhausted\b|\bhave\s+not\s+been\s+met\b`)

// rulingInadmissibleRe is the operative form of an inadmissibility
// decision: "therefore decides: (a) That the communication is inadmissible".
var rulingInadmissibleRe = regexp.MustCompile(`(?i)\bdecides?\s*:?\s*(?:\(a\)\s*)?that\s+the\s+(?:communication|complaint|petition)\s+(?:is|be)\s+(?:declared\s+)?inadmissible\b`)

var discontinueRe = regexp.MustCompile(`(?i)\b(?:decided|decides|decide)\s+to\s+discontinue\b|\bdiscontinu\w*\s+(?:the\s+)?(?:consideration|examination)\s+of\s+(?:the\s+)?communication\b`)

// outcomeOf reads the outcome from a decision's conclusion, and for a
// violation the articles found violated.
func outcomeOf(paras []string, c Context) (string, []string) {
	n := len(paras)
	// The operative paragraph, else the closing ones.
	// Individual opinions may follow the operative paragraph: it is the
	// last one, anywhere, where the committee acts under its article and
	// finds.
	var concl []int
	for i := n - 1; i >= 0; i-- {
		// "protecting" or "contracting" hold "cting" too: operativeRe wants
		// "acting" as a word.
		if strings.Contains(paras[i], "cting") && mayHoldFinding(paras[i]) && wordStartsFoldASCII(paras[i], actingWord) &&
			operativeRe.MatchString(paras[i]) && findingRe.MatchString(paras[i]) {
			concl = append(concl, i)
			break
		}
	}
	if len(concl) == 0 {
		for i := n - 1; i >= 0 && i >= n-3; i-- {
			concl = append(concl, i)
		}
	}
	var violated, notViolated bool
	var arts []string
	for _, i := range concl {
		p := paras[i]
		for _, sent := range sentences(p) {
			if !mayHoldFinding(sent) {
				continue
			}
			for _, m := range findingRe.FindAllStringSubmatchIndex(sent, -1) {
				neg := negationRe.MatchString(sent[m[0]:m[1]]) || negatedBefore(sent[:m[0]])
				if neg {
					notViolated = true
					continue
				}
				if tentative(sent[:m[0]]) {
					continue
				}
				violated = true
				arts = append(arts, articlesIn(sent[m[0]:], c)...)
			}
		}
	}
	switch {
	case violated && len(arts) == 0:
		// "The State party has an obligation to refrain from forcibly
		// returning the author": the articles are those of the question
		// the Committee put itself on the merits.
		return OutcomeViolation, sortedSet(questionArticles(paras, c))
	case violated:
		return OutcomeViolation, sortedSet(arts)
	case notViolated:
		return OutcomeNoViolation, nil
	}
	for i := n - 1; i >= 0 && i >= n-4; i-- {
		if containsFoldASCII(paras[i], "continu") && discontinueRe.MatchString(paras[i]) { // in every match, without its s
			return OutcomeDiscontinued, nil
		}
	}
	for i := n - 1; i >= 0; i-- {
		if containsFoldASCII(paras[i], "inadmi") && rulingInadmissibleRe.MatchString(paras[i]) { // in every match, without its s
			return OutcomeInadmissible, nil
		}
	}
	for i := n - 1; i >= 0 && i >= n-4; i-- {
		// "inadmi" or "been" is in every match (without s, see containsFoldASCII).
		if (containsFoldASCII(paras[i], "inadmi") || containsFoldASCII(paras[i], "been")) &&
			inadmissibleRe.MatchString(paras[i]) && !claimOfParty(paras[i]) {
			return OutcomeInadmissible, nil
		}
	}
	return "", nil
}

// questionRe is how a decision states the question of its merits: "The
// issue before the Committee is whether the forced return of the author to
// Turkey would violate … article 3", "The Committee must decide, pursuant
// to paragraph 1 of article 3, whether …".
var questionRe = regexp.MustCompile(`(?i)\b(?:issue|question)\s+before\s+the\s+Committee\s+is\s+whether\b|\bCommittee\s+(?:must|has\s+to|is\s+called\s+upon\s+to)\s+(?:decide|determine|consider)\b[^.]{0,80}?\bwhether\b`)

// questionArticles returns the articles of the first sentence that states
// the question on the merits (not the one on admissibility).
func questionArticles(paras []string, c Context) []string {
	for _, p := range paras {
		if !strings.Contains(p, "hether") {
			continue
		}
		for _, sent := range sentences(p) {
			loc := questionRe.FindStringIndex(sent)
			if loc == nil || strings.Contains(strings.ToLower(sent), "admissib") {
				continue
			}
			if arts := articlesIn(sent, c); len(arts) > 0 {
				return arts
			}
		}
	}
	return nil
}

// negatedBefore catches "does not, in the Committee's view, constitute".
func negatedBefore(before string) bool {
	w := lastWords(before, 6)
	for _, x := range w {
		switch strings.ToLower(strings.Trim(x, ",")) {
		case "not", "cannot", "no", "neither", "nor":
			return true
		}
	}
	return false
}

// tentative is a finding in a party's mouth or a conditional: "the
// complainant claims that … would constitute", "whether … would constitute".
func tentative(before string) bool {
	l := strings.ToLower(before)
	for _, w := range []string{"claims", "alleges", "argues", "submits", "contends", "whether", "maintains", "considers that his", "considers that her"} {
		if strings.Contains(l, w) && !strings.Contains(l, "committee") {
			return true
		}
	}
	return strings.Contains(l, "whether")
}

// claimOfParty is a paragraph that reports a party's plea ("the State
// party's contention that the complaint should be declared inadmissible")
// rather than the Committee's ruling.
func claimOfParty(p string) bool {
	l := strings.ToLower(p)
	return !strings.Contains(l, "committee") && (strings.Contains(l, "state party") || strings.Contains(l, "complainant"))
}

// articlesIn returns the articles a finding names, up to its sentence's
// end: "a breach of articles 3 and 22 of the Convention" → CAT 3, CAT 22.
func articlesIn(s string, c Context) []string {
	var out []string
	for _, r := range ExtractReferences(s, c) {
		if r.Kind == RefArticle {
			out = append(out, r.Value)
		}
	}
	return out
}

// sentences splits a paragraph at full stops that end a sentence (a period
// and a space before a capital letter, not after an abbreviation).
func sentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(p); i++ {
		if p[i] != '.' && p[i] != ';' || p[i+1] != ' ' {
			continue
		}
		if p[i] == '.' {
			j := i - 1
			for j >= 0 && p[j] != ' ' {
				j--
			}
			word := p[j+1 : i]
			if len(word) <= 3 || strings.EqualFold(word, "para") || strings.EqualFold(word, "art") {
				continue // "No.", "Mr.", "art." and initials do not end a sentence
			}
		}
		out = append(out, p[start:i+1])
		start = i + 2
	}
	return append(out, p[start:])
}
