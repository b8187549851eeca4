package corpus

import (
	"slices"
	"strings"
)

// Enrich fills every passage's facet values:
//
//   - Instruments: the passage's own instrument (a treaty's text) or the
//     document's (the instrument a decision or general comment applies),
//     and the instruments the passage names or cites;
//   - Articles: the passage's own article (cat#art-3 → "CAT 3",
//     nelson-mandela-rules#rule-58 → "SMR 58", iccpr#op1-art-1 →
//     "ICCPR-OP1 1") and the articles it cites;
//   - States: the catalog's states, the state of the document's UN symbol,
//     the states the passage names, and — for decisions — the respondent
//     state and the country of return found anywhere in the document;
//   - Symbols: the document's symbol and the symbols the passage cites;
//   - Defines: the terms a provision defines.
//
// It also sets the own instrument of treaty, rules and declaration passages
// that have none.
func Enrich(doc *Document) { enrich(doc, nil) }

// EnrichWithCase is Enrich, then DeriveCase. DeriveCase reads the
// references of a decision's first and last paragraphs: it takes those
// Enrich found rather than scanning the same texts again.
func EnrichWithCase(doc *Document) {
	var refs [][]Reference
	if doc.Kind == KindDecision {
		refs = make([][]Reference, len(doc.Passages))
	}
	enrich(doc, refs)
	deriveCase(doc, refs)
}

// enrich is Enrich. When refs is not nil (a decision's), refs[i] keeps the
// references of passage i where DeriveCase reads them (caseParagraph) and
// would find the same: the text and the context are the ones it scans.
func enrich(doc *Document, refs [][]Reference) {
	c := ContextOf(&doc.Entry)
	x := extractor()
	docSymbol := ""
	if sym, err := ParseSymbol(doc.Symbol); err == nil {
		docSymbol = sym.Normalized
	}
	docStates := slices.Clone(c.States)
	found := make([]Extraction, len(doc.Passages))
	for i := range doc.Passages {
		p := &doc.Passages[i]
		pc := c
		prefix, unitKind, num := parseUnit(p.Unit)
		own := p.Instrument
		if own == "" {
			switch {
			case prefix == "op1":
				own = "ICCPR-OP1"
			case doc.Kind == KindTreaty || doc.Kind == KindRules || doc.Kind == KindDeclaration:
				own = c.Instrument
			}
			p.Instrument = own
		}
		if own != "" {
			pc.Instrument = own
		}
		if p.Language != "" {
			pc.Language = p.Language
		}
		sc := x.scan(p.Text, pc)
		if refs != nil && caseParagraph(i, len(refs)) && pc.Instrument == c.Instrument && pc.Language == c.Language &&
			!strings.Contains(p.Text, noteMarkerStart) {
			refs[i] = sc.refs
			if refs[i] == nil {
				refs[i] = []Reference{} // known to have none
			}
		}
		if doc.Kind == KindDecision {
			docStates = append(docStates, sc.partyStates()...)
		}
		ex := extractionOf(sc.refs)
		sc.release()
		if in, ok := LookupInstrument(own); ok && num != "" && (unitKind == "rule") == (in.Kind == InstrumentRules) {
			ex.Articles = append(ex.Articles, in.Short+" "+num)
		}
		switch {
		case own != "":
			ex.Instruments = append(ex.Instruments, own)
		case c.Instrument != "":
			ex.Instruments = append(ex.Instruments, c.Instrument)
		}
		if docSymbol != "" {
			ex.Symbols = append(ex.Symbols, docSymbol)
		}
		found[i] = ex
		p.Cites = notesCites(x, p, pc, ex)
	}
	docStates = sortedSet(docStates)
	for i := range doc.Passages {
		p := &doc.Passages[i]
		ex := found[i]
		p.Instruments = sortedSet(ex.Instruments)
		p.Articles = sortedSet(ex.Articles)
		p.States = sortedSet(append(ex.States, docStates...))
		p.Symbols = sortedSet(ex.Symbols)
		if p.Instrument != "" {
			p.Defines = DefinedTerms(p.Text)
		}
	}
}

// notesCites returns the instruments and articles that a passage's notes
// cite and its body does not: kept apart from the facets, which say what
// the passage itself is about.
func notesCites(x *extractorData, p *Passage, pc Context, body Extraction) []string {
	if len(p.Notes) == 0 {
		return nil
	}
	var b strings.Builder
	for _, n := range p.Notes {
		b.WriteString(n.Text)
		b.WriteString("\n")
	}
	sc := x.scan(b.String(), pc)
	ex := extractionOf(sc.refs)
	sc.release()
	var out []string
	for _, v := range append(ex.Instruments, ex.Articles...) {
		if !slices.Contains(body.Instruments, v) && !slices.Contains(body.Articles, v) {
			out = append(out, v)
		}
	}
	return sortedSet(out)
}

// parseUnit splits a passage unit into its prefix, kind and number:
// "op1-art-1" → ("op1", "art", "1"), "rule-58" → ("", "rule", "58"),
// "art-3-2" (a repeated id) → ("", "art", "3").
func parseUnit(unit string) (prefix, kind, num string) {
	parts := strings.Split(unit, "-")
	for i, p := range parts {
		if (p == "art" || p == "rule") && i+1 < len(parts) {
			n := parts[i+1]
			d := 0
			for d < len(n) && isDigit(n[d]) {
				d++
			}
			if d == 0 {
				return "", "", ""
			}
			return strings.Join(parts[:i], "-"), p, n[:d]
		}
	}
	return "", "", ""
}

// partyStates returns the states a decision's passage names as respondent
// ("a violation by Switzerland of article 3"), as the country of return
// ("his deportation to Sri Lanka") or as a party's nationality ("a national
// of Kazakhstan", "an Algerian national"): in most complaints the country of
// return or the respondent.
func (s *scan) partyStates() []string {
	var out []string
	for _, mt := range s.ms {
		if mt.kind != mentionState {
			continue
		}
		i := mt.tok
		switch s.word(mt.tok + s.tokensIn(mt)) {
		case "national", "nationals", "citizen", "citizens": // "an Algerian national"
			out = append(out, mt.code)
			continue
		}
		prev := s.word(i - 1)
		if prev == "the" {
			i--
			prev = s.word(i - 1)
		}
		switch prev {
		case "by":
			for k := i - 2; k >= 0 && k >= i-4; k-- {
				w := lowerWord(s.word(k))
				if strings.HasPrefix(w, "violat") || strings.HasPrefix(w, "breach") {
					out = append(out, mt.code)
					break
				}
			}
		case "of": // "a national of Kazakhstan"
			switch s.word(i - 2) {
			case "national", "nationals", "citizen", "citizens":
				out = append(out, mt.code)
			}
		case "to":
			for k := i - 2; k >= 0 && k >= i-5; k-- {
				if returnVerb(lowerWord(s.word(k))) {
					out = append(out, mt.code)
					break
				}
			}
		}
	}
	return out
}

// tokensIn counts the words of a mention.
func (s *scan) tokensIn(mt mention) int {
	n := 0
	for k := mt.tok; k < len(s.m.toks) && s.m.toks[k].start < mt.end; k++ {
		n++
	}
	return n
}

func returnVerb(w string) bool {
	for _, p := range []string{"deport", "return", "expel", "expul", "extradit", "remov", "refoul", "forcibl", "repatri"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return w == "sent" || w == "send" || w == "sending"
}
