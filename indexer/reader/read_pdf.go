package reader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/pdftext"
)

// pdfOptions says how PDFs are converted to text.
type pdfOptions struct {
	// Timeout bounds one conversion.
	Timeout time.Duration
	// MaxOutput bounds the text of one PDF, in bytes.
	MaxOutput int
}

func defaultPDFOptions() pdfOptions {
	return pdfOptions{Timeout: 60 * time.Second, MaxOutput: 64 << 20}
}

// pdfCache is where PDFium's compiled code is kept between processes (set
// by SetPDFCacheDir before the first PDF is read); pdfReader reads every PDF
// of the process, compiling PDFium on first use.
var (
	pdfCache  atomic.Pointer[string]
	pdfReader = sync.OnceValue(func() *pdftext.Reader {
		var dir string
		if p := pdfCache.Load(); p != nil {
			dir = *p
		}
		return pdftext.New(pdftext.Options{CacheDir: dir, Instances: max(1, min(runtime.GOMAXPROCS(0), 4))})
	})
)

// SetPDFCacheDir keeps the PDF engine's compiled code in dir, so that the
// next process starts it in milliseconds rather than seconds. It has effect
// only before the first PDF of the process is read.
func SetPDFCacheDir(dir string) { pdfCache.Store(&dir) }

// DefaultPDFCacheDir is SetPDFCacheDir unless a directory was set before:
// a data directory offers its own cache, and the command line's choice
// (the user's cache directory, shared by every data directory, so that a
// fresh one does not compile PDFium again) wins over it.
func DefaultPDFCacheDir(dir string) { pdfCache.CompareAndSwap(nil, &dir) }

// readPDF reads a PDF's text in-process (indexer/pdftext: PDFium in
// WebAssembly) and reads the text with pdfText. A malformed PDF, a
// conversion that outlives opt.Timeout or text beyond opt.MaxOutput is an
// error for this document; a page that cannot be read is skipped.
func readPDF(ctx context.Context, raw []byte, opt pdfOptions) ([]corpus.Block, error) {
	head := raw
	if len(head) > 1024 {
		head = head[:1024]
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, fmt.Errorf("pdf: %w: no %%PDF- header", corpus.ErrInvalid)
	}
	text, _, err := pdfToText(ctx, raw, opt)
	if err != nil {
		return nil, err
	}
	return corpus.CleanParagraphs(pdfText(text)), nil
}

// pdfToText returns the text of raw's pages, separated by form feeds, and
// the title its metadata gives.
func pdfToText(ctx context.Context, raw []byte, opt pdfOptions) (text, title string, err error) {
	// The engine's start is not the document's time.
	if err := pdfReader().Start(); err != nil {
		return "", "", fmt.Errorf("pdf: %w: %w", corpus.ErrUnsupported, err)
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	doc, err := pdfReader().Read(ctx, raw)
	switch {
	case ctx.Err() != nil:
		return "", "", fmt.Errorf("pdf: %w: conversion stopped after %s: %w", corpus.ErrInvalid, opt.Timeout, ctx.Err())
	case errors.Is(err, pdftext.ErrUnavailable):
		return "", "", fmt.Errorf("pdf: %w: %w", corpus.ErrUnsupported, err)
	case err != nil:
		return "", "", fmt.Errorf("pdf: %w: %w", corpus.ErrInvalid, err)
	}
	n := 0
	for _, p := range doc.Pages {
		if n += len(p) + 1; n > opt.MaxOutput {
			return "", "", fmt.Errorf("pdf: %w: text exceeds %d bytes", corpus.ErrTooLarge, opt.MaxOutput)
		}
	}
	return cleanText(doc.Text()), strings.TrimSpace(doc.Title), nil
}

var (
	pdfRuleLine  = regexp.MustCompile(`^[_\-–—=.·•\s]{3,}$`)
	pdfListStart = regexp.MustCompile(`^(?:\(?\d{1,3}[.)]|\(?[a-zA-Z]\)|[a-z]\.|\([ivxlc]+\)|[ivxlc]+\)|[•·▪–—-])(?:\s|$)`)
)

// pdfText turns pdftotext output (pages separated by form feeds) into
// blocks: page furniture removed (running headers and footers, page
// numbers, browser-print lines, menu-like runs of short lines), words split
// at line ends repaired, unit and structural headings ("Artículo 5. …",
// "Rule 58", "PART II", "Preámbulo") and the short section title before a
// unit heading as heading blocks, and the lines between them joined into
// paragraphs that start at list markers.
func pdfText(text string) []corpus.Block {
	var pages [][]string
	for _, p := range strings.Split(text, "\f") {
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
		}
		pages = append(pages, lines)
	}
	pages = corpus.RemovePageFurniture(pages)
	// Blank lines mark the wider spacing between paragraphs (pdftext
	// leaves them where a line stands lower than the page's line pitch
	// says): they are kept, one at most, within a page, and become gap
	// flags once the lines are repaired.
	var lines []string
	for _, p := range pages {
		start := len(lines)
		for _, l := range p {
			l = strings.TrimSpace(l)
			if l == "" || pdfRuleLine.MatchString(l) {
				if len(lines) > start && lines[len(lines)-1] != "" {
					lines = append(lines, "")
				}
				continue
			}
			lines = append(lines, l)
		}
		for len(lines) > start && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
	}
	lines = corpus.RemoveMenuRuns(lines)
	lines, gap := pdfGaps(strings.Split(corpus.Dehyphenate(strings.Join(lines, "\n")), "\n"))

	full := fullLineLength(lines)
	var blocks []corpus.Block
	var para []string
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, corpus.Block{Text: strings.Join(para, " ")})
			para = nil
		}
	}
	isUnit := func(l string) bool {
		_, ok := corpus.ParseUnitHeading(l)
		return ok && startsUpper(l)
	}
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		switch {
		case isUnit(l):
			flush()
			// A unit title wrapped onto the next line ("Artículo 22.
			// Derecho de circulación / y de residencia").
			if u, _ := corpus.ParseUnitHeading(l); u.Title != "" && i+1 < len(lines) &&
				pdfTitleRest(lines[i+1]) && !startsUpper(strings.TrimSpace(lines[i+1])) {
				l += " " + strings.TrimSpace(lines[i+1])
				lines[i+1] = ""
			}
			blocks = append(blocks, corpus.Block{Text: l, Heading: true, Level: 2})
		case corpus.IsStructuralHeading(l) && startsUpper(l) && utf8.RuneCountInString(l) <= 100:
			flush()
			// A title wrapped onto the next line ("Capítulo VII. La
			// Comisión Interamericana / de Derechos Humanos") when a
			// heading follows it.
			if i+2 < len(lines) && pdfTitleRest(lines[i+1]) && (!startsUpper(strings.TrimSpace(lines[i+1])) || strings.HasSuffix(l, ",")) && pdfHeadingLine(lines[i+2]) {
				l += " " + strings.TrimSpace(lines[i+1])
				lines[i+1] = ""
			}
			blocks = append(blocks, corpus.Block{Text: l, Heading: true, Level: 1})
		case pdfPreamble(l):
			flush()
			blocks = append(blocks, corpus.Block{Text: l, Heading: true, Level: 1})
		case i+1 < len(lines) && isUnit(strings.TrimSpace(lines[i+1])) && pdfSectionTitle(l) &&
			(i == 0 || endsSentence(lines[i-1]) || len(para) == 0):
			flush()
			blocks = append(blocks, corpus.Block{Text: l, Heading: true, Level: 3})
		default:
			// A paragraph ends at a list marker, or after a short line
			// that ends a sentence before a capital (the last line of an
			// unnumbered paragraph).
			// A wider space before a capital after a sentence's end also
			// ends a paragraph, however long its last line.
			if pdfListStart.MatchString(l) || len(para) > 0 && startsUpper(l) && endsSentence(para[len(para)-1]) &&
				(gap[i] || utf8.RuneCountInString(para[len(para)-1])*10 < full*7) {
				flush()
			}
			para = append(para, l)
		}
	}
	flush()
	return blocks
}

// pdfGaps drops blank lines, marking the line after each as following a
// paragraph gap.
func pdfGaps(lines []string) ([]string, []bool) {
	out := lines[:0:0]
	var gap []bool
	after := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			after = len(out) > 0
			continue
		}
		out = append(out, l)
		gap = append(gap, after)
		after = false
	}
	return out, gap
}

// pdfTitleRest reports whether a line can continue a wrapped heading.
func pdfTitleRest(l string) bool {
	l = strings.TrimSpace(l)
	if l == "" || utf8.RuneCountInString(l) > 80 || pdfListStart.MatchString(l) || endsSentence(l) {
		return false
	}
	_, unit := corpus.ParseUnitHeading(l)
	return !unit && !corpus.IsStructuralHeading(l)
}

// pdfHeadingLine reports whether a line is a unit or structural heading.
func pdfHeadingLine(l string) bool {
	l = strings.TrimSpace(l)
	if _, ok := corpus.ParseUnitHeading(l); ok {
		return startsUpper(l)
	}
	return corpus.IsStructuralHeading(l) && startsUpper(l)
}

var pdfPreambleRe = regexp.MustCompile(`^(?i:pre[áa]mbulo|preamble|pr[ée]ambule)$`)

func pdfPreamble(l string) bool { return pdfPreambleRe.MatchString(l) }

// pdfSectionTitle reports whether a line reads like a section title: short,
// capitalised, not ending a sentence, not a list item.
func pdfSectionTitle(l string) bool {
	if utf8.RuneCountInString(l) > 80 || !startsUpper(l) || pdfListStart.MatchString(l) {
		return false
	}
	return !endsSentence(l) && !strings.HasSuffix(l, ",")
}

func startsUpper(l string) bool {
	r, _ := utf8.DecodeRuneInString(l)
	return unicode.IsUpper(r)
}

func endsSentence(l string) bool {
	l = strings.TrimRight(l, " ”\"’')")
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune(".;:!?", r)
}

// fullLineLength is the length of a full line of the text: the 80th
// percentile of the lengths of its lines, in runes.
func fullLineLength(lines []string) int {
	var ns []int
	for _, l := range lines {
		if n := utf8.RuneCountInString(strings.TrimSpace(l)); n >= 20 {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return 0
	}
	slices.Sort(ns)
	return ns[len(ns)*8/10]
}
