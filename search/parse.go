package search

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query language, parsed here and never handed to Bleve's query-string
// syntax:
//
//	words                 every word counts; passages with more of them rank higher
//	"a phrase"            the words in this order
//	a OR b                either
//	+word, +"phrase"      required: only passages holding it
//	a AND b               both required (+a +b)
//	-word, -"phrase"      exclude
//	( … )                 grouping
//	field:value           filter on instrument, article, state, kind, language,
//	                      year, symbol, document; year:2010..2020 is a range;
//	                      article:"CAT 3" quotes a value with spaces
//
// Anything malformed (an unbalanced quote or parenthesis, a stray ':' or '#')
// degrades to plain words: a query is never an error.

// Limits on queries. Each bounds the work one request can cause.
const (
	// MaxQueryRunes caps the query text; longer input is cut before
	// parsing, and the results say so (a pasted paragraph fits).
	MaxQueryRunes = 2000
	// MaxQueryBytes caps the query text in bytes: MaxQueryRunes runes of
	// up to 4 bytes.
	MaxQueryBytes = 4 * MaxQueryRunes
	// MaxQueryTerms caps words and phrases: each becomes several Bleve
	// clauses (languages, fields, expansions).
	MaxQueryTerms = 32
	// MinPrefix is the shortest prefix a trailing * expands: shorter ones
	// match too many terms to be useful or cheap.
	MinPrefix = 3
	// maxDepth caps parenthesis nesting.
	maxDepth = 8
)

// Node is a parsed query.
type Node interface{ node() }

// Term is a word or a phrase.
type Term struct {
	Text   string
	Phrase bool
	// Prefix marks word* : every word starting with Text (at least
	// MinPrefix letters; a leading or inner * is not a wildcard).
	Prefix bool
}

// Filter is field:value or field:from..to.
type Filter struct {
	Field    string
	Value    string
	From, To string // a range, when Value is empty
}

// Not excludes its child.
type Not struct{ Child Node }

// Must requires its child: +word, or either side of AND.
type Must struct{ Child Node }

// And holds children that should all match (terms) or must all match (filters).
type And struct{ Children []Node }

// Or holds alternatives.
type Or struct{ Children []Node }

func (Term) node()   {}
func (Filter) node() {}
func (Not) node()    {}
func (Must) node()   {}
func (And) node()    {}
func (Or) node()     {}

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tOr
	tAnd
	tMust
	tNot
	tOpen
	tClose
	tFilter
)

type token struct {
	kind  tokKind
	text  string
	field string
}

var filterFields = map[string]bool{
	FilterInstrument: true, FilterArticle: true, FilterState: true, FilterKind: true,
	FilterLanguage: true, FilterYear: true, FilterSymbol: true, FilterDocument: true,
	FilterParty: true, FilterOutcome: true, FilterGroup: true,
}

// Parse parses q. It never fails: malformed syntax is read as plain words.
func Parse(q string) Node {
	n, _ := parseQuery(q)
	return n
}

// cuts says what parsing left out of a query.
type cuts struct {
	runes int // runes cut from its end (beyond MaxQueryRunes)
	terms int // terms dropped (beyond MaxQueryTerms)
}

// parseQuery parses q, and says what it left out.
func parseQuery(q string) (Node, cuts) {
	var c cuts
	if n := utf8.RuneCountInString(q); n > MaxQueryRunes {
		c.runes = n - MaxQueryRunes
		q = truncateRunes(q, MaxQueryRunes)
	}
	q = truncate(q, MaxQueryBytes)
	n, ok := parse(q)
	if !ok {
		// An unbalanced quote or parenthesis: without it, the rest of
		// the query (its filters, its phrases) keeps its meaning.
		if n, ok = parse(balance(q)); !ok {
			n = plain(q)
		}
	}
	if t := countTerms(n); t > MaxQueryTerms {
		c.terms = t - MaxQueryTerms
	}
	return limitTerms(n), c
}

// truncateRunes keeps the first n runes of s.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// countTerms counts the words and phrases of n.
func countTerms(n Node) int {
	switch n := n.(type) {
	case Term:
		return 1
	case Not:
		return countTerms(n.Child)
	case Must:
		return countTerms(n.Child)
	case And:
		c := 0
		for _, ch := range n.Children {
			c += countTerms(ch)
		}
		return c
	case Or:
		c := 0
		for _, ch := range n.Children {
			c += countTerms(ch)
		}
		return c
	}
	return 0
}

func parse(q string) (Node, bool) {
	toks, ok := lex(q)
	if !ok {
		return nil, false
	}
	p := &parser{toks: toks}
	n, ok := p.parseOr(0)
	return n, ok && p.pos == len(p.toks)
}

// balance drops the quotation mark left open at the end of q and the
// parentheses that close nothing or are never closed.
func balance(q string) string {
	if strings.Count(q, `"`)%2 == 1 {
		i := strings.LastIndexByte(q, '"')
		q = q[:i] + " " + q[i+1:]
	}
	b := []byte(q)
	var open []int
	inQuote := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(' && i > 0 && isASCIIAlnum(b[i-1]) && subParagraph(q[i:]) > 0: // 22(8)
			i += subParagraph(q[i:]) - 1
		case c == '(':
			open = append(open, i)
		case c == ')' && len(open) > 0:
			open = open[:len(open)-1]
		case c == ')':
			b[i] = ' '
		}
	}
	for _, i := range open {
		b[i] = ' '
	}
	return string(b)
}

// plain reads q as words only: every syntax character is a separator.
func plain(q string) Node {
	var and And
	for _, w := range strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '.' || r == '(' || r == ')')
	}) {
		w = strings.Trim(w, "-'.()")
		if w != "" && w != "OR" {
			and.Children = append(and.Children, Term{Text: w})
		}
	}
	return and
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func lex(q string) ([]token, bool) {
	var toks []token
	i := 0
	for i < len(q) {
		r, w := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '"':
			j := strings.IndexByte(q[i+1:], '"')
			if j < 0 {
				return nil, false
			}
			toks = append(toks, token{kind: tPhrase, text: q[i+1 : i+1+j]})
			i += j + 2
		case r == '(':
			toks = append(toks, token{kind: tOpen})
			i++
		case r == ')':
			toks = append(toks, token{kind: tClose})
			i++
		case (r == '-' || r == '+') && (i+1 < len(q) && (q[i+1] == '"' || q[i+1] == '(' || isWordStart(q[i+1:]))) && (i == 0 || isSpaceBefore(q, i) || q[i-1] == '('):
			if r == '-' {
				toks = append(toks, token{kind: tNot})
			} else {
				toks = append(toks, token{kind: tMust})
			}
			i++
		default:
			j := i
			for j < len(q) {
				r, w := utf8.DecodeRuneInString(q[j:])
				if r == '(' && j > i {
					if n := subParagraph(q[j:]); n > 0 { // 22(8), 3(1)(a): part of the word
						j += n
						continue
					}
				}
				if unicode.IsSpace(r) || r == '"' || r == '(' || r == ')' {
					break
				}
				j += w
			}
			word := q[i:j]
			i = j
			if k := strings.IndexByte(word, ':'); k > 0 {
				field := strings.ToLower(word[:k])
				if filterFields[field] {
					val := word[k+1:]
					if val == "" && i < len(q) && q[i] == '"' { // field:"quoted value"
						e := strings.IndexByte(q[i+1:], '"')
						if e < 0 {
							return nil, false
						}
						val = q[i+1 : i+1+e]
						i += e + 2
					}
					if val == "" {
						return nil, false
					}
					toks = append(toks, token{kind: tFilter, field: field, text: val})
					continue
				}
			}
			if k := strings.IndexByte(word, ':'); k > 0 && !strings.HasPrefix(word[k+1:], "//") {
				// Another field (title:torture) is not ours: its words. A
				// URL stays whole.
				for _, part := range strings.Split(word, ":") {
					if part = luceneSuffix.ReplaceAllString(part, ""); part != "" {
						toks = append(toks, token{kind: tWord, text: part})
					}
				}
				continue
			}
			// Lucene's fuzziness and boosts (torture~2, torture^10) are not
			// ours either: the word.
			if w := luceneSuffix.ReplaceAllString(word, ""); w != "" {
				word = w
			}
			if word == "NOT" && i < len(q) {
				toks = append(toks, token{kind: tNot})
				continue
			}
			if word == "OR" || word == "|" {
				toks = append(toks, token{kind: tOr})
				continue
			}
			if word == "AND" || word == "&&" {
				toks = append(toks, token{kind: tAnd})
				continue
			}
			toks = append(toks, token{kind: tWord, text: word})
		}
	}
	return toks, true
}

// luceneSuffix is a fuzziness or boost suffix of Lucene's syntax.
var luceneSuffix = regexp.MustCompile(`(?:~[0-9.]*|\^[0-9.]+)$`)

// subParagraph returns the length of the parenthesised sub-paragraph
// numbers at the start of s ("(8)", "(1)(a)"), or 0.
func subParagraph(s string) int {
	n := 0
	for n < len(s) && s[n] == '(' {
		k := 1
		for n+k < len(s) && k <= 5 && isASCIIAlnum(s[n+k]) {
			k++
		}
		if k == 1 || n+k >= len(s) || s[n+k] != ')' {
			break
		}
		n += k + 1
	}
	return n
}

func isASCIIAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func isSpaceBefore(q string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(q[:i])
	return unicode.IsSpace(r)
}

func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{}, false
}

// The grammar binds AND tighter than OR, and OR tighter than the space
// between words, as web search engines read a query: a b OR c is
// a (b OR c), so that a phrase or a word beside an alternative stays what
// it is.
//
//	query := or (or)*
//	or    := and ("OR" and)*
//	and   := unary ("AND" unary)*

// parseOr parses a sequence of alternatives (query := or (or)*).
func (p *parser) parseOr(depth int) (Node, bool) {
	if depth > maxDepth {
		return nil, false
	}
	var seq And
	for {
		t, more := p.peek()
		if !more || t.kind == tClose {
			break
		}
		if t.kind == tOr || t.kind == tAnd {
			return nil, false // a dangling OR or AND: read the query as words
		}
		n, ok := p.parseAlternatives(depth)
		if !ok {
			return nil, false
		}
		if a, ok := n.(And); ok && isConjunction(a) {
			seq.Children = append(seq.Children, a.Children...) // a AND b c: +a +b c
		} else {
			seq.Children = append(seq.Children, n)
		}
	}
	switch len(seq.Children) {
	case 0:
		return nil, false
	case 1:
		return seq.Children[0], true
	}
	return seq, true
}

// isConjunction reports whether a is a AND b: every child required.
func isConjunction(a And) bool {
	for _, c := range a.Children {
		switch c.(type) {
		case Must, Not, Filter:
		default:
			return false
		}
	}
	return len(a.Children) > 0
}

// parseAlternatives parses or := and ("OR" and)*.
func (p *parser) parseAlternatives(depth int) (Node, bool) {
	first, ok := p.parseAnd(depth)
	if !ok {
		return nil, false
	}
	alts := []Node{first}
	for {
		t, more := p.peek()
		if !more || t.kind != tOr {
			break
		}
		p.pos++
		if next, more := p.peek(); !more || next.kind == tOr || next.kind == tAnd || next.kind == tClose {
			return nil, false // a dangling OR
		}
		n, ok := p.parseAnd(depth)
		if !ok {
			return nil, false
		}
		alts = append(alts, n)
	}
	if len(alts) == 1 {
		return first, true
	}
	return Or{Children: alts}, true
}

// parseAnd parses and := unary ("AND" unary)*: both sides of an AND are
// required (Must).
func (p *parser) parseAnd(depth int) (Node, bool) {
	n, ok := p.parseUnary(depth)
	if !ok {
		return nil, false
	}
	and := And{Children: []Node{n}}
	for {
		t, more := p.peek()
		if !more || t.kind != tAnd {
			break
		}
		p.pos++
		next, more := p.peek()
		if !more || next.kind == tOr || next.kind == tClose || next.kind == tAnd {
			return nil, false // a dangling AND: read the query as words
		}
		m, ok := p.parseUnary(depth)
		if !ok {
			return nil, false
		}
		last := len(and.Children) - 1
		and.Children[last] = must(and.Children[last])
		and.Children = append(and.Children, must(m)) // a AND NOT b: must keeps the exclusion
	}
	if len(and.Children) == 1 {
		return and.Children[0], true
	}
	return and, true
}

func (p *parser) parseUnary(depth int) (Node, bool) {
	t, _ := p.peek()
	p.pos++
	switch t.kind {
	case tWord:
		if w, ok := strings.CutSuffix(t.text, "*"); ok && !strings.Contains(w, "*") && utf8.RuneCountInString(w) >= MinPrefix && isWordStart(w) {
			return Term{Text: w, Prefix: true}, true
		}
		return Term{Text: t.text}, true
	case tPhrase:
		if strings.TrimSpace(t.text) == "" {
			return And{}, true
		}
		return Term{Text: t.text, Phrase: true}, true
	case tFilter:
		f := Filter{Field: t.field, Value: t.text}
		if from, to, ok := yearRange(t.text); ok && t.field == FilterYear {
			f.Value, f.From, f.To = "", from, to
		}
		return f, true
	case tNot:
		n, ok := p.parseUnary(depth)
		if !ok {
			return nil, false
		}
		return Not{Child: n}, true
	case tMust:
		n, ok := p.parseUnary(depth)
		if !ok {
			return nil, false
		}
		return must(n), true
	case tOpen:
		n, ok := p.parseOr(depth + 1)
		if !ok {
			return nil, false
		}
		if c, more := p.peek(); !more || c.kind != tClose {
			return nil, false
		}
		p.pos++
		return n, true
	}
	return nil, false
}

// must requires n; requiring what is required or excluded changes nothing.
func must(n Node) Node {
	switch n := n.(type) {
	case Must, Not, Filter:
		return n
	case And:
		if len(n.Children) == 0 {
			return n
		}
	}
	return Must{Child: n}
}

// limitTerms keeps the first MaxQueryTerms terms and drops the rest.
func limitTerms(n Node) Node {
	count := 0
	var walk func(Node) Node
	walk = func(n Node) Node {
		switch n := n.(type) {
		case Term:
			count++
			if count > MaxQueryTerms {
				return nil
			}
			return n
		case Not:
			c := walk(n.Child)
			if c == nil {
				return nil
			}
			return Not{Child: c}
		case Must:
			c := walk(n.Child)
			if c == nil {
				return nil
			}
			return Must{Child: c}
		case And:
			var out And
			for _, c := range n.Children {
				if c = walk(c); c != nil {
					out.Children = append(out.Children, c)
				}
			}
			return out
		case Or:
			var out Or
			for _, c := range n.Children {
				if c = walk(c); c != nil {
					out.Children = append(out.Children, c)
				}
			}
			if len(out.Children) == 0 {
				return nil
			}
			return out
		}
		return n
	}
	if r := walk(n); r != nil {
		return r
	}
	return And{}
}

// prefixed renders an operator before its child, grouping a group.
func prefixed(op string, child Node) string {
	switch c := child.(type) {
	case Or:
		return op + "(" + String(c) + ")"
	case And:
		if len(c.Children) > 1 {
			return op + "(" + String(c) + ")"
		}
	}
	return op + String(child)
}

// String renders a node back in the query language.
func String(n Node) string {
	switch n := n.(type) {
	case Term:
		if n.Phrase {
			return `"` + n.Text + `"`
		}
		if n.Prefix {
			return n.Text + "*"
		}
		return n.Text
	case Filter:
		v := n.Value
		if v == "" {
			v = n.From + ".." + n.To
		}
		if strings.ContainsAny(v, " ()\"\t") || strings.ContainsFunc(v, unicode.IsSpace) {
			v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
		}
		return n.Field + ":" + v
	case Not:
		return prefixed("-", n.Child)
	case Must:
		return prefixed("+", n.Child)
	case And:
		parts := make([]string, 0, len(n.Children))
		for _, c := range n.Children {
			s := String(c)
			if _, isOr := c.(Or); isOr {
				s = "(" + s + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	case Or:
		parts := make([]string, 0, len(n.Children))
		for _, c := range n.Children {
			s := String(c)
			if a, isAnd := c.(And); isAnd && len(a.Children) > 1 {
				s = "(" + s + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " OR ")
	}
	return ""
}
