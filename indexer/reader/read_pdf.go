package reader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

// pdfOptions says how PDFs are converted to text.
type pdfOptions struct {
	// Bin is the pdftotext binary (poppler-utils).
	Bin string
	// Timeout bounds one conversion.
	Timeout time.Duration
	// MaxOutput bounds the text of one PDF, in bytes.
	MaxOutput int
}

func defaultPDFOptions() pdfOptions {
	return pdfOptions{Bin: "pdftotext", Timeout: 60 * time.Second, MaxOutput: 64 << 20}
}

// readPDF converts a PDF with poppler's pdftotext in -raw mode (content
// stream order: on browser prints it keeps a sticky site menu apart from
// the text it overlaps, which the layout modes interleave) and reads the
// text with pdfText. A malformed PDF, a conversion that outlives
// opt.Timeout or text beyond opt.MaxOutput is an error for this document.
func readPDF(ctx context.Context, raw []byte, opt pdfOptions) ([]corpus.Block, error) {
	head := raw
	if len(head) > 1024 {
		head = head[:1024]
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, fmt.Errorf("pdf: %w: no %%PDF- header", corpus.ErrInvalid)
	}
	text, err := pdfToText(ctx, raw, opt)
	if err != nil {
		return nil, err
	}
	return pdfText(text), nil
}

// pdfToText runs pdftotext on raw and returns its UTF-8 output.
func pdfToText(ctx context.Context, raw []byte, opt pdfOptions) (string, error) {
	bin, err := exec.LookPath(opt.Bin)
	if err != nil {
		return "", fmt.Errorf("pdf: %w: %s not found (install poppler-utils)", corpus.ErrUnsupported, opt.Bin)
	}
	f, err := os.CreateTemp("", "hrsearch-*.pdf")
	if err != nil {
		return "", fmt.Errorf("pdf: temporary file: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return "", fmt.Errorf("pdf: temporary file: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("pdf: temporary file: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-raw", "-enc", "UTF-8", "-q", f.Name(), "-")
	out := &capBuffer{max: opt.MaxOutput, onOver: cancel}
	stderr := &capBuffer{max: 4 << 10, quiet: true}
	cmd.Stdout = out
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case out.over:
		return "", fmt.Errorf("pdf: %w: text exceeds %d bytes", corpus.ErrTooLarge, opt.MaxOutput)
	case ctx.Err() != nil:
		return "", fmt.Errorf("pdf: %w: conversion stopped after %s: %w", corpus.ErrInvalid, opt.Timeout, ctx.Err())
	case err != nil:
		msg := strings.TrimSpace(stderr.buf.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("pdf: %w: pdftotext: %s", corpus.ErrInvalid, msg)
	}
	return toText(out.buf.Bytes()), nil
}

// capBuffer is a bytes.Buffer that refuses writes beyond max bytes, which
// stops the writing process, or with quiet drops them.
type capBuffer struct {
	buf    bytes.Buffer // not embedded: its ReadFrom would bypass Write
	max    int
	quiet  bool
	over   bool
	onOver func() // called once when the limit is first exceeded
}

var errCapExceeded = errors.New("output limit exceeded")

func (b *capBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		if b.max > b.buf.Len() {
			b.buf.Write(p[:b.max-b.buf.Len()])
		}
		if b.quiet {
			return len(p), nil
		}
		if !b.over && b.onOver != nil {
			b.onOver() // stop the process: nobody reads its pipe any more
		}
		b.over = true
		return 0, errCapExceeded
	}
	return b.buf.Write(p)
}

var (
	pdfRuleLine  = regexp.MustCompile(`^[_\-–—=.·•\s]{3,}$`)
	pdfListStart = regexp.MustCompile(`^(?:\(?\d{1,3}[.)]|\(?[a-zA-Z]\)|[a-z]\.|\([ivxlc]+\)|[ivxlc]+\)|[•·▪–—-])\s`)
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
	var lines []string
	for _, p := range pages {
		for _, l := range p {
			l = strings.TrimSpace(l)
			if l == "" || pdfRuleLine.MatchString(l) {
				continue
			}
			lines = append(lines, l)
		}
	}
	lines = corpus.RemoveMenuRuns(lines)
	lines = strings.Split(corpus.Dehyphenate(strings.Join(lines, "\n")), "\n")

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
			if i+2 < len(lines) && pdfTitleRest(lines[i+1]) && pdfHeadingLine(lines[i+2]) {
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
			if pdfListStart.MatchString(l) {
				flush()
			}
			para = append(para, l)
		}
	}
	flush()
	return blocks
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
