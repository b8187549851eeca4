package search_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/search"
)

// Shorthands for building expected trees.
func w(s string) search.Term          { return search.Term{Text: s} }
func ph(s string) search.Term         { return search.Term{Text: s, Phrase: true} }
func and(c ...search.Node) search.And { return search.And{Children: c} }
func or(c ...search.Node) search.Or   { return search.Or{Children: c} }
func not(c search.Node) search.Not    { return search.Not{Child: c} }
func req(c search.Node) search.Must   { return search.Must{Child: c} }
func fl(field, v string) search.Filter {
	return search.Filter{Field: field, Value: v}
}
func rng(field, from, to string) search.Filter {
	return search.Filter{Field: field, From: from, To: to}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want search.Node
		str  string // String(Parse(q))
	}{
		// Words, phrases, operators.
		{"one word", "torture", w("torture"), "torture"},
		{"words", "diplomatic assurances", and(w("diplomatic"), w("assurances")), "diplomatic assurances"},
		{"extra spaces", "  diplomatic \t assurances  ", and(w("diplomatic"), w("assurances")), "diplomatic assurances"},
		{"phrase", `"diplomatic assurances"`, ph("diplomatic assurances"), `"diplomatic assurances"`},
		{"phrase and words", `"fair trial" Spain`, and(ph("fair trial"), w("Spain")), `"fair trial" Spain`},
		{"or", "torture OR tortura", or(w("torture"), w("tortura")), "torture OR tortura"},
		{"pipe is or", "torture | tortura", or(w("torture"), w("tortura")), "torture OR tortura"},
		{"lower-case or is a word", "torture or tortura", and(w("torture"), w("or"), w("tortura")), "torture or tortura"},
		{"or binds tighter than the space", "a b OR c", and(w("a"), or(w("b"), w("c"))), "a (b OR c)"},
		{"phrase beside alternatives", `"x y" b OR c`, and(ph("x y"), or(w("b"), w("c"))), `"x y" (b OR c)`},
		{"exclusion", "torture -police", and(w("torture"), not(w("police"))), "torture -police"},
		{"exclusion first", "-police torture", and(not(w("police")), w("torture")), "-police torture"},
		{"excluded phrase", `asylum -"safe third country"`, and(w("asylum"), not(ph("safe third country"))), `asylum -"safe third country"`},
		{"hyphenated word is no exclusion", "non-refoulement", w("non-refoulement"), "non-refoulement"},
		{"dash before space is a word", "a - b", and(w("a"), w("-"), w("b")), "a - b"},
		{"parentheses", "(torture OR tortura) Mexico", and(or(w("torture"), w("tortura")), w("Mexico")), "(torture OR tortura) Mexico"},
		{"nested parentheses", "((a OR b) c) OR d", or(and(or(w("a"), w("b")), w("c")), w("d")), "((a OR b) c) OR d"},
		{"excluded group", "asylum -(Sweden OR Switzerland)", and(w("asylum"), not(or(w("Sweden"), w("Switzerland")))), "asylum -(Sweden OR Switzerland)"},
		{"excluded and-group", "asylum -(safe country)", and(w("asylum"), not(and(w("safe"), w("country")))), "asylum -(safe country)"},
		{"exclusion after a tab", "torture\t-police", and(w("torture"), not(w("police"))), "torture -police"},
		{"quoted value with parentheses", `symbol:"A/RES/2200A(XXI)"`, fl("symbol", "A/RES/2200A(XXI)"), `symbol:"A/RES/2200A(XXI)"`},
		{"quoted fine article", `article:"ACHR 22(8)"`, fl("article", "ACHR 22(8)"), `article:"ACHR 22(8)"`},
		{"redundant parentheses", "(torture)", w("torture"), "torture"},

		// Required terms.
		{"required word", "+torture police", and(req(w("torture")), w("police")), "+torture police"},
		{"required phrase", `+"fair trial" Spain`, and(req(ph("fair trial")), w("Spain")), `+"fair trial" Spain`},
		{"and", "torture AND police", and(req(w("torture")), req(w("police"))), "+torture +police"},
		{"and chain", "torture AND police AND custody", and(req(w("torture")), req(w("police")), req(w("custody"))), "+torture +police +custody"},
		{"and binds tighter than or", "a AND b OR c", or(and(req(w("a")), req(w("b"))), w("c")), "(+a +b) OR c"},
		{"and with a group", "asylum AND (Sweden OR Switzerland)", and(req(w("asylum")), req(or(w("Sweden"), w("Switzerland")))), "+asylum +(Sweden OR Switzerland)"},
		{"and with a filter", "torture AND state:SV", and(req(w("torture")), fl("state", "SV")), "+torture state:SV"},
		{"and with an exclusion", "torture AND -police", and(req(w("torture")), not(w("police"))), "+torture -police"},
		{"lower-case and is a word", "torture and police", and(w("torture"), w("and"), w("police")), "torture and police"},
		{"dangling and is a word", "torture AND", and(w("torture"), w("AND")), "torture AND"},
		{"leading and is a word", "AND torture", and(w("AND"), w("torture")), "AND torture"},
		{"plus inside a word", "C++ code", and(w("C++"), w("code")), "C++ code"},
		{"plus before space is a word", "a + b", and(w("a"), w("+"), w("b")), "a + b"},

		// Field filters.
		{"instrument", "instrument:CAT expel", and(fl("instrument", "CAT"), w("expel")), "instrument:CAT expel"},
		{"article quoted", `article:"CAT 3" expel`, and(fl("article", "CAT 3"), w("expel")), `article:"CAT 3" expel`},
		{"state", "state:SV", fl("state", "SV"), "state:SV"},
		{"kind", "kind:decision torture", and(fl("kind", "decision"), w("torture")), "kind:decision torture"},
		{"language", "language:es tortura", and(fl("language", "es"), w("tortura")), "language:es tortura"},
		{"year", "year:2010", fl("year", "2010"), "year:2010"},
		{"year range", "year:2010..2020 torture", and(rng("year", "2010", "2020"), w("torture")), "year:2010..2020 torture"},
		{"year open range", "year:2010..", rng("year", "2010", ""), "year:2010.."},
		{"year range to", "year:..1999", rng("year", "", "1999"), "year:..1999"},
		{"range only for year", "document:a..b", fl("document", "a..b"), "document:a..b"},
		{"symbol", "symbol:CAT/C/SLV/CO/3", fl("symbol", "CAT/C/SLV/CO/3"), "symbol:CAT/C/SLV/CO/3"},
		{"document", "document:cat-gc4 refoulement", and(fl("document", "cat-gc4"), w("refoulement")), "document:cat-gc4 refoulement"},
		{"field name case-insensitive", "Instrument:CAT", fl("instrument", "CAT"), "instrument:CAT"},
		{"excluded filter", "torture -kind:decision", and(w("torture"), not(fl("kind", "decision"))), "torture -kind:decision"},
		{"filters or-ed", "instrument:CAT OR instrument:ICCPR", or(fl("instrument", "CAT"), fl("instrument", "ICCPR")), "instrument:CAT OR instrument:ICCPR"},
		{"unknown field gives its words", "foo:bar torture", and(w("foo"), w("bar"), w("torture")), "foo bar torture"},
		{"lucene field", "title:torture", and(w("title"), w("torture")), "title torture"},
		{"lucene fuzziness and boost", "torture~2 police^10", and(w("torture"), w("police")), "torture police"},
		{"sub-paragraph", "art. 5(6) ACHR", and(w("art."), w("5(6)"), w("ACHR")), "art. 5(6) ACHR"},
		{"sub-sub-paragraph", "article 3(1)(a)", and(w("article"), w("3(1)(a)")), "article 3(1)(a)"},
		{"group after a word", "torture (police OR army)", and(w("torture"), or(w("police"), w("army"))), "torture (police OR army)"},
		{"NOT excludes", "torture NOT police", and(w("torture"), search.Not{Child: w("police")}), "torture -police"},
		{"AND NOT excludes", "torture AND NOT police", and(search.Must{Child: w("torture")}, search.Not{Child: w("police")}), "+torture -police"},
		{"not is a word", "torture not police", and(w("torture"), w("not"), w("police")), "torture not police"},
		{"url-like word", "http://example.org", w("http://example.org"), "http://example.org"},

		// Malformed input degrades to plain words.
		{"unbalanced quote", `"diplomatic assurances`, and(w("diplomatic"), w("assurances")), "diplomatic assurances"},
		{"unbalanced quote inside", `torture "of`, and(w("torture"), w("of")), "torture of"},
		{"unbalanced open paren", "(torture OR tortura", or(w("torture"), w("tortura")), "torture OR tortura"},
		{"unbalanced quote keeps the filters", `state:SV "torture`, and(search.Filter{Field: "state", Value: "SV"}, w("torture")), "state:SV torture"},
		{"unbalanced paren keeps the filters", `year:2010..2020 (refoulement`, and(search.Filter{Field: "year", From: "2010", To: "2020"}, w("refoulement")), "year:2010..2020 refoulement"},
		{"unbalanced close paren", "torture) tortura", and(w("torture"), w("tortura")), "torture tortura"},
		{"empty parentheses", "() torture", and(w("torture")), "torture"},
		{"stray hash", "# torture", and(w("#"), w("torture")), "# torture"},
		{"hash in id", "cat#art-3", w("cat#art-3"), "cat#art-3"},
		{"stray colon", ": torture", and(w(":"), w("torture")), ": torture"},
		{"leading colon", ":torture", w(":torture"), ":torture"},
		{"field without value", "instrument: torture", w2("instrument", "torture"), "instrument torture"},
		{"field with empty quotes", `article:"" torture`, and(w("article"), w("torture")), "article torture"},
		{"field with unbalanced quote", `article:"CAT 3 torture`, and(w("article"), w("CAT"), w("3"), w("torture")), "article CAT 3 torture"},
		{"dangling or", "torture OR", and(w("torture")), "torture"},
		{"leading or", "OR torture", and(w("torture")), "torture"},
		{"dangling not", "torture -", and(w("torture"), w("-")), "torture -"},
		{"too deep", strings.Repeat("(", 12) + "a" + strings.Repeat(")", 12), and(w("a")), "a"},
		{"deep enough", strings.Repeat("(", 8) + "a" + strings.Repeat(")", 8), w("a"), "a"},

		// Nothing to search for.
		{"empty", "", and(), ""},
		{"blank", "  \t\n ", and(), ""},
		{"only or", "OR", and(), ""},
		{"only ors", "OR OR | OR", and(), ""},
		{"only parentheses", "(()", and(), ""},
		{"empty phrase", `""`, and(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search.Parse(tt.q)
			if !reflect.DeepEqual(normalize(got), normalize(tt.want)) {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.q, got, tt.want)
			}
			if s := search.String(got); s != tt.str {
				t.Errorf("String(Parse(%q)) = %q, want %q", tt.q, s, tt.str)
			}
		})
	}
}

func w2(a, b string) search.Node { return and(w(a), w(b)) }

// normalize makes nil and empty child lists equal.
func normalize(n search.Node) search.Node {
	switch n := n.(type) {
	case search.And:
		out := search.And{Children: []search.Node{}}
		for _, c := range n.Children {
			out.Children = append(out.Children, normalize(c))
		}
		return out
	case search.Or:
		out := search.Or{Children: []search.Node{}}
		for _, c := range n.Children {
			out.Children = append(out.Children, normalize(c))
		}
		return out
	case search.Not:
		return search.Not{Child: normalize(n.Child)}
	}
	return n
}

// TestParseRoundTrip: what String renders parses back to the same tree, for
// well-formed queries.
func TestParseRoundTrip(t *testing.T) {
	for _, q := range []string{
		"torture",
		`"diplomatic assurances" -Sweden`,
		"(torture OR tortura) (Mexico OR México)",
		"((a OR b) c) OR d",
		`article:"CAT 3" expel state:SV`,
		"year:2010..2020 kind:decision language:en",
		"instrument:CAT OR instrument:ICCPR",
		`asylum -"safe third country" -kind:report`,
		"asylum -(Sweden OR Switzerland)",
		"asylum -(safe country)",
		`symbol:"A/RES/2200A(XXI)" torture`,
		`article:"ACHR 22(8)"`,
	} {
		t.Run(q, func(t *testing.T) {
			n := search.Parse(q)
			back := search.Parse(search.String(n))
			if !reflect.DeepEqual(normalize(n), normalize(back)) {
				t.Errorf("Parse(%q) = %#v\nbut Parse(String(…)) = %#v", q, n, back)
			}
		})
	}
}

func TestParseMaxQueryRunes(t *testing.T) {
	// More runes than MaxQueryRunes, of two bytes each: the query is cut
	// at MaxQueryRunes runes, not bytes.
	q := "a" + strings.Repeat("é", search.MaxQueryRunes+100)
	got := search.Parse(q)
	term, ok := got.(search.Term)
	if !ok {
		t.Fatalf("Parse(long word) = %#v, want one Term", got)
	}
	if n := utf8.RuneCountInString(term.Text); n != search.MaxQueryRunes {
		t.Errorf("term has %d runes, want MaxQueryRunes = %d", n, search.MaxQueryRunes)
	}
	if !utf8.ValidString(term.Text) {
		t.Errorf("cut is not at a rune boundary: %q", term.Text[len(term.Text)-4:])
	}
	if !strings.HasPrefix(q, term.Text) {
		t.Errorf("term is not a prefix of the query")
	}

	// Words past the limit are dropped, not the first ones.
	var words []string
	for len(strings.Join(words, " ")) < 3*search.MaxQueryBytes {
		words = append(words, "torture")
	}
	words[0] = "first"
	var n int
	walk(search.Parse(strings.Join(words, " ")), func(tm search.Term) { n++ })
	if n == 0 || n > search.MaxQueryTerms {
		t.Errorf("long query gives %d terms, want 1..%d", n, search.MaxQueryTerms)
	}
	if first := firstTerm(search.Parse(strings.Join(words, " "))); first != "first" {
		t.Errorf("first term = %q, want the query's first word", first)
	}
}

func TestParseMaxQueryTerms(t *testing.T) {
	tests := []struct {
		name string
		q    string
	}{
		{"words", strings.Repeat("w ", 40)},
		{"or-ed words", strings.TrimSuffix(strings.Repeat("w OR ", 100), " OR ")},
		{"phrases", strings.Repeat(`"a b" `, 40)},
		{"excluded", strings.Repeat("-w ", 40)},
		{"grouped", strings.Repeat("(a OR b) ", 30)},
		{"malformed", strings.Repeat("w ", 40) + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var texts []string
			walk(search.Parse(tt.q), func(tm search.Term) { texts = append(texts, tm.Text) })
			if len(texts) != search.MaxQueryTerms {
				t.Errorf("Parse(%d-byte query) has %d terms, want exactly MaxQueryTerms = %d", len(tt.q), len(texts), search.MaxQueryTerms)
			}
		})
	}
	// At the limit nothing is dropped.
	var n int
	walk(search.Parse(strings.Repeat("w ", search.MaxQueryTerms)), func(search.Term) { n++ })
	if n != search.MaxQueryTerms {
		t.Errorf("%d words give %d terms", search.MaxQueryTerms, n)
	}
}

// walk calls f for every Term of n.
func walk(n search.Node, f func(search.Term)) {
	switch n := n.(type) {
	case search.Term:
		f(n)
	case search.Not:
		walk(n.Child, f)
	case search.And:
		for _, c := range n.Children {
			walk(c, f)
		}
	case search.Or:
		for _, c := range n.Children {
			walk(c, f)
		}
	}
}

func firstTerm(n search.Node) string {
	var first string
	walk(n, func(t search.Term) {
		if first == "" {
			first = t.Text
		}
	})
	return first
}

func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"", "torture", `"diplomatic assurances"`, "a OR b", "-a", `-"a b"`, "(a OR b) c",
		"((a))", `article:"CAT 3" expel`, "year:2010..2020", "instrument:", `article:"`, "year:abc..",
		"foo:bar", "cat#art-3", "(", ")", `"`, "- - -", "OR", "*", "*a*", "/.*/", "a~2", "x^3",
		"é" + strings.Repeat("(", 20), "\xff\xfe", "tortura -(x OR y) state:SV kind:decision",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n := search.Parse(q)
		check := func(n search.Node, what string) {
			count := 0
			walk(n, func(tm search.Term) {
				count++
				if tm.Text == "" {
					t.Errorf("%s: empty term in %#v", what, n)
				}
			})
			if count > search.MaxQueryTerms {
				t.Errorf("%s: %d terms, more than MaxQueryTerms", what, count)
			}
			checkFilters(t, n, what)
		}
		check(n, "Parse")
		s := search.String(n)
		check(search.Parse(s), "Parse(String(Parse))")
	})
}

// checkFilters asserts that every filter names a known field and has a
// value or a range.
func checkFilters(t *testing.T, n search.Node, what string) {
	switch n := n.(type) {
	case search.Filter:
		known := false
		for _, f := range search.FilterNames {
			known = known || f == n.Field
		}
		if !known {
			t.Errorf("%s: filter on unknown field %q", what, n.Field)
		}
		if n.Value == "" && n.From == "" && n.To == "" {
			t.Errorf("%s: filter %s with neither value nor range", what, n.Field)
		}
	case search.Not:
		checkFilters(t, n.Child, what)
	case search.And:
		for _, c := range n.Children {
			checkFilters(t, c, what)
		}
	case search.Or:
		for _, c := range n.Children {
			checkFilters(t, c, what)
		}
	}
}
