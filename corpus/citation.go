package corpus

import (
	"regexp"
	"strconv"
	"strings"
)

// CiteSource is what a passage's citation is made of.
type CiteSource struct {
	Kind   string // the document's kind
	Title  string // the document's display title
	Symbol string // the document's UN symbol
	Body   string // the issuing body ("CAT")
	Year   int
	// Unit is the passage's unit: art-3, rule-43, para-8.2, p-10, preamble.
	Unit string
	// OwnArticle is the provision the passage is ("CAT 3", "SMR 43").
	OwnArticle string
	// Case is a decision's case metadata (its name), if known.
	Case *Case
	// Paragraph is the paragraph of an article a reference names ("8" in
	// "article 22(8)"), if any.
	Paragraph string
}

// Citation formats a passage's reference with its pinpoint:
//
//	Tebourski v. France (CAT/C/38/D/300/2006), para. 8.2
//	Convention against Torture, art. 3
//	American Convention on Human Rights, art. 22(8)
//	Nelson Mandela Rules, rule 43
//	Committee against Torture, general comment No. 4 (2017), para. 9
//	A/HRC/37/50, para. 38
func Citation(s CiteSource) string {
	pin := pinpoint(s.Unit)
	if in, num, ok := strings.Cut(s.OwnArticle, " "); ok {
		if instr, found := LookupInstrument(in); found {
			name := instr.Short
			if len(instr.Names) > 0 {
				name = instr.Names[0]
			}
			label := "art. "
			if instr.Kind == InstrumentRules {
				label = "rule "
			}
			ref := label + strings.ToLower(num)
			if s.Paragraph != "" {
				ref += "(" + s.Paragraph + ")"
			}
			return name + ", " + ref
		}
	}
	var head string
	switch {
	case s.Case != nil && s.Case.Name != "" && s.Symbol != "":
		head = s.Case.Name + " (" + NormalizeSymbol(s.Symbol) + ")"
	case s.Kind == KindGeneralComment:
		head = generalCommentName(s)
	case s.Kind == KindDecision || s.Kind == KindFollowUp:
		head = s.Title
		if head == "" {
			head = s.Symbol
		}
	case s.Symbol != "" && s.Kind != KindTreaty && s.Kind != KindDeclaration && s.Kind != KindRules:
		head = NormalizeSymbol(s.Symbol)
	default:
		head = s.Title
		if s.Kind == KindArticle && s.Year > 0 {
			head += " (" + strconv.Itoa(s.Year) + ")"
		}
	}
	if pin == "" {
		return head
	}
	return head + ", " + pin
}

// pinpoint is the unit as a reader cites it: "para. 8.2", "art. 3",
// "rule 43", "preamble"; a repeated unit's "-2" is dropped.
func pinpoint(unit string) string {
	if i := strings.LastIndex(unit, "para-"); i >= 0 && (i == 0 || unit[i-1] == '-') {
		return "para. " + dropRepeat(unit[i+len("para-"):])
	}
	if strings.HasPrefix(unit, "p-") {
		return "para. " + dropRepeat(unit[2:])
	}
	if _, kind, num := parseUnit(unit); kind == "art" {
		return "art. " + num
	} else if kind == "rule" {
		return "rule " + num
	}
	if unit == "preamble" || strings.HasSuffix(unit, "-preamble") {
		return "preamble"
	}
	return ""
}

// dropRepeat removes the "-2" that makes a repeated unit unique, keeping
// dashes that belong to the number ("OP1-1").
func dropRepeat(n string) string {
	if i := strings.LastIndexByte(n, '-'); i > 0 && allDigits(n[i+1:]) && allDigits(strings.ReplaceAll(n[:i], ".", "")) {
		return n[:i]
	}
	return n
}

var gcNumberRe = regexp.MustCompile(`(?i)general\s+(?:comment|recommendation)\s+No\.?\s*0*(\d+)(?:\s*\((\d{4})\))?`)

// generalCommentName is "Committee against Torture, general comment No. 4
// (2017)": the body's name, the number from the symbol (CAT/C/GC/4) or the
// title, the year the title states, else the document's.
func generalCommentName(s CiteSource) string {
	body := s.Body
	num := ""
	if sym, err := ParseSymbol(s.Symbol); err == nil {
		if sym.Committee != "" {
			body = sym.Committee
		}
		if sym.Type == SymbolGeneralComment {
			num = strings.TrimLeft(sym.Number, "0")
		}
	}
	year := s.Year
	if m := gcNumberRe.FindStringSubmatch(s.Title); m != nil {
		if num == "" {
			num = m[1]
		}
		if m[2] != "" { // the year of adoption the title states: "No. 4 (2017)", published 2018
			year, _ = strconv.Atoi(m[2])
		}
	}
	name := bodyNames[body]
	if name == "" || num == "" {
		return s.Title
	}
	kind := "general comment"
	if body == "CEDAW" || body == "CERD" {
		kind = "general recommendation"
	}
	out := name + ", " + kind + " No. " + num
	if year > 0 {
		out += " (" + strconv.Itoa(year) + ")"
	}
	return out
}
