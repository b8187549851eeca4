package reader

import (
	"cmp"
	"context"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

// Source is what a fetch says of a document besides its bytes.
type Source struct {
	URL             string
	Format          string
	ContentLanguage string // the Content-Language header
}

// What a crawled document's entry says, and where it comes from:
//
//   - title: for HTML the first <h1> (the document's own heading; <title>
//     often holds the site's name, or on the UDHR translation pages the
//     language's), unless it is missing or a single word where <title> has
//     more, then og:title, then <title>; for other formats the first
//     heading that is not a unit's, a part's or a preamble's, else the
//     first line of the first block, cut to 200 bytes.
//     A document that is an instrument's text is titled as the registry
//     titles it when its own title does not name the instrument (a Dutch
//     title above the English text, a PDF's first page).
//   - language: <html lang> (or <meta http-equiv="content-language">),
//     else the Content-Language header, else a count of common function
//     words (en, es, fr, nl, de, pt) over the first 32 KiB of text, else
//     empty. Only the primary subtag is kept ("en-GB" → "en").
//   - symbol: the first UN symbol in the title, else in the first 300 bytes
//     of text (where UN documents print theirs).
//   - instrument and kind: a document whose head (title and the text
//     before its first unit heading, first 600 bytes) names an instrument
//     as a title, not in a citation (see citedAt), and that has at least
//     two unit headings ("Article 1", "Rule 1") is that instrument's text: kind treaty (protocols too), rules or
//     declaration, instrument the registry's short name. Otherwise the
//     symbol's type decides: decision → decision, general comment →
//     general-comment, every other UN document → report, with the treaty
//     body's instrument. Otherwise a PDF is a report and anything else
//     (HTML pages, Markdown, text) an article.
//   - body: the treaty body of the symbol (CAT/C/… → CAT).

// Describe derives a crawled document's entry (all but its id)
// from the fetch, the page's metadata and its blocks. symbolInTitle reports
// whether the symbol came from the title (then it may name the document).
func Describe(f Source, page *Page, blocks []corpus.Block) (e corpus.Entry, symbolInTitle bool) {
	e.URL = f.URL
	e.Format = f.Format
	e.Title = pageTitle(page, blocks)
	e.Language = primaryLanguage(pageLang(page))
	if e.Language == "" {
		e.Language = primaryLanguage(strings.Split(f.ContentLanguage, ",")[0])
	}
	if e.Language == "" {
		e.Language = detectLanguage(blocks)
	}

	// The symbol.
	if ms := corpus.FindSymbols(e.Title); len(ms) > 0 {
		e.Symbol, symbolInTitle = ms[0].Symbol.Normalized, true
	} else if t := leadingText(blocks, 300); t != "" {
		if ms := corpus.FindSymbols(t); len(ms) > 0 {
			e.Symbol = ms[0].Symbol.Normalized
		}
	}

	// Is it an instrument's own text?
	head := documentHead(e.Title, blocks, 600)
	for _, r := range corpus.ExtractReferences(head, corpus.Context{}) {
		if r.Kind != corpus.RefInstrument || citedAt(head, r.Start) {
			continue
		}
		in, ok := corpus.LookupInstrument(r.Value)
		if !ok || unitHeadings(blocks) < 2 {
			break
		}
		if e.Kind = kindOfInstrument(in); e.Kind == "" {
			continue
		}
		e.Instrument = in.Short
		if own, ok := corpus.NormalizeInstrument(e.Title); !ok || own != in.Short {
			e.Title = in.Title(cmp.Or(e.Language, "en"))
		}
		break
	}
	if e.Kind == "" && unitHeadings(blocks) >= 2 {
		if in := titledInstrument(head); in != nil {
			e.Kind = kindOfInstrument(in)
			e.Instrument = in.Short
			e.Title = in.Title(cmp.Or(e.Language, "en"))
		}
	}
	if e.Symbol != "" {
		if sym, err := corpus.ParseSymbol(e.Symbol); err == nil {
			if e.Kind == "" {
				switch sym.Type {
				case corpus.SymbolDecision:
					e.Kind = corpus.KindDecision
				case corpus.SymbolGeneralComment:
					e.Kind = corpus.KindGeneralComment
				default:
					e.Kind = corpus.KindReport
				}
			}
			if sym.Committee != "" && e.Kind != corpus.KindTreaty && e.Kind != corpus.KindRules && e.Kind != corpus.KindDeclaration {
				e.Body = sym.Committee
				if in, ok := corpus.InstrumentOfBody(sym.Committee); ok {
					e.Instrument = in.Short
				}
			}
		}
	}
	if e.Kind == "" {
		e.Kind = corpus.KindArticle
		if f.Format == corpus.FormatPDF {
			e.Kind = corpus.KindReport
		}
	}
	return e, symbolInTitle
}

// kindOfInstrument is the document kind of an instrument's own text.
func kindOfInstrument(in *corpus.Instrument) string {
	switch in.Kind {
	case corpus.InstrumentTreaty, corpus.InstrumentProtocol:
		return corpus.KindTreaty
	case corpus.InstrumentRules:
		return corpus.KindRules
	case corpus.InstrumentDeclaration:
		return corpus.KindDeclaration
	}
	return ""
}

// titledInstrument finds a registered instrument whose full title (in any
// language) the head spells out, ignoring case and diacritics and not in a
// citation: "CONVENCION INTERAMERICANA PARA PREVENIR Y SANCIONAR LA
// TORTURA" at the top of a page is the IACPPT, which the reference
// extractor, matching accents, does not see.
func titledInstrument(head string) *corpus.Instrument {
	folded := strings.ToLower(corpus.Fold(head))
	var best *corpus.Instrument
	bestAt, bestLen := len(folded), 0
	for _, in := range corpus.Instruments() {
		for _, title := range in.Titles {
			t := strings.ToLower(corpus.Fold(title))
			i := strings.Index(folded, t)
			if i < 0 || len(t) < 20 || !startsLine(folded, i) {
				continue
			}
			if i < bestAt || i == bestAt && len(t) > bestLen {
				best, bestAt, bestLen = in, i, len(t)
			}
		}
	}
	return best
}

// startsLine reports whether offset i of s starts a line or follows
// punctuation: where a title stands.
func startsLine(s string, i int) bool {
	before := strings.TrimRight(s[:i], " \t")
	if before == "" || strings.HasSuffix(before, "\n") {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return !unicode.IsLetter(r)
}

// citedAt reports whether the instrument named at offset i of text is
// cited rather than named as the document's title: a lower-case word
// precedes it on its line ("conscientes de lo dispuesto en la Convención
// Americana", "the Universal Declaration"). A title stands at the start of
// a line or sentence, or after other capitalised words ("Organización de
// los Estados Americanos Convención Americana…", "70/175. United Nations
// Standard Minimum Rules").
func citedAt(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \t")
	if before == "" || strings.HasSuffix(before, "\n") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if !unicode.IsLetter(r) {
		return false // after punctuation, a number, a bracket
	}
	start := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) }) + 1
	first, _ := utf8.DecodeRuneInString(before[start:])
	return unicode.IsLower(first)
}

func pageLang(p *Page) string {
	if p == nil {
		return ""
	}
	return p.Lang
}

// pageTitle picks a document's title (see above).
func pageTitle(p *Page, blocks []corpus.Block) string {
	if p != nil {
		words := func(s string) int { return len(strings.Fields(s)) }
		switch {
		case p.H1 != "" && (words(p.H1) > 1 || words(p.Title) <= 1 && words(p.OGTitle) <= 1):
			return truncateText(p.H1, 300)
		case p.OGTitle != "":
			return truncateText(p.OGTitle, 300)
		case p.Title != "":
			return truncateText(p.Title, 300)
		case p.H1 != "":
			return truncateText(p.H1, 300)
		}
	}
	for _, b := range blocks {
		if b.Heading && !unitOrStructural(b.Text) {
			return truncateText(cleanSpace(b.Text), 300)
		}
	}
	if len(blocks) > 0 {
		first, _, _ := strings.Cut(strings.TrimSpace(blocks[0].Text), "\n")
		return truncateText(cleanSpace(first), 200)
	}
	return ""
}

// preambleHeadingRe matches a preamble's heading.
var preambleHeadingRe = regexp.MustCompile(`^(?i:pre[áa]mbulo|preamble|pr[ée]ambule|considerans)[.:]?$`)

// unitOrStructural reports whether a heading is a unit's ("Article 1"),
// a structural one ("PART I") or a preamble's: not a document's title.
func unitOrStructural(h string) bool {
	h = cleanSpace(h)
	_, unit := corpus.ParseUnitHeading(h)
	return unit || corpus.IsStructuralHeading(h) || preambleHeadingRe.MatchString(h)
}

// truncateText cuts s to at most n bytes at a word boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

// leadingText is the first n bytes of a document's text.
func leadingText(blocks []corpus.Block, n int) string {
	var b strings.Builder
	for _, bl := range blocks {
		if b.Len() >= n {
			break
		}
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	s := b.String()
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

// documentHead is the title and the text before the first unit heading,
// cut to n bytes: where a document names itself.
func documentHead(title string, blocks []corpus.Block, n int) string {
	var b strings.Builder
	if len(blocks) == 0 || !strings.HasPrefix(cleanSpace(blocks[0].Text), strings.TrimSuffix(title, "…")) {
		b.WriteString(title) // unless the title is the first block's start
	}
	for _, bl := range blocks {
		if b.Len() >= n {
			break
		}
		if bl.Heading {
			if _, ok := corpus.ParseUnitHeading(bl.Text); ok {
				break
			}
		}
		b.WriteByte('\n')
		b.WriteString(bl.Text)
	}
	s := b.String()
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

// unitHeadings counts the heading blocks that open a unit.
func unitHeadings(blocks []corpus.Block) int {
	n := 0
	for _, b := range blocks {
		if b.Heading {
			if _, ok := corpus.ParseUnitHeading(b.Text); ok {
				n++
			}
		}
	}
	return n
}

// primaryLanguage returns the lower-case primary subtag of a language tag
// ("en-GB" → "en"), or "" for what is not one.
func primaryLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	p, _, _ := strings.Cut(tag, "-")
	p, _, _ = strings.Cut(p, "_")
	p = strings.ToLower(p)
	if len(p) < 2 || len(p) > 3 {
		return ""
	}
	for _, c := range p {
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return p
}

// detectLanguage guesses the language of a document from the words of its
// first 32 KiB of text (corpus.GuessLanguage, at least 20 votes).
func detectLanguage(blocks []corpus.Block) string {
	votes := make(map[string]int)
	read := 0
	for _, b := range blocks {
		if read > 32<<10 {
			break
		}
		read += len(b.Text)
		for l, n := range corpus.LanguageVotes(b.Text) {
			votes[l] += n
		}
	}
	return corpus.GuessLanguage(votes, 20)
}

// Name returns what an HTML page says of itself: its title (as a crawled
// page is titled) and the primary subtag of its language, either "".
func (p *Page) Name() (title, language string) {
	return pageTitle(p, nil), primaryLanguage(pageLang(p))
}

// NameOf returns what a document's bytes say of themselves, for an upload
// its librarian left without a title or a language: an HTML page's own
// (Page.Name); a PDF's metadata title; else the first heading that is not
// a unit's, a part's or a preamble's (a Markdown "# …" line), else the
// first line of text, as a crawled document is titled; and the language of
// an HTML page's lang, else the one its words show (corpus.GuessLanguage),
// else "". contentType decodes text as Derive does.
func NameOf(ctx context.Context, format string, raw []byte, contentType string) (title, language string, err error) {
	var blocks []corpus.Block
	switch format {
	case corpus.FormatHTML:
		body, _ := DecodeText(raw, contentType, true)
		page := ParsePage(body, &url.URL{Scheme: "https", Host: "upload.invalid"}, "hrsearch")
		title, language = page.Name()
		if blocks, err = Read(ctx, format, body); err != nil {
			return "", "", err
		}
	case corpus.FormatPDF:
		text, meta, err := pdfToText(ctx, raw, defaultPDFOptions())
		if err != nil {
			return "", "", err
		}
		title = meta
		blocks = corpus.CleanParagraphs(pdfText(text))
		if title == "" {
			// The first printed line, not the first paragraph (the reader
			// joins a PDF's lines).
			for _, l := range strings.Split(text, "\n") {
				if l = strings.TrimSpace(l); l != "" && !corpus.IsFurnitureLine(l) {
					title = truncateText(cleanSpace(l), 200)
					break
				}
			}
		}
	default:
		body, _ := DecodeText(raw, contentType, false)
		if blocks, err = Read(ctx, format, body); err != nil {
			return "", "", err
		}
	}
	if title == "" {
		title = pageTitle(nil, blocks)
	}
	if language == "" {
		language = detectLanguage(blocks)
	}
	return title, language, nil
}
