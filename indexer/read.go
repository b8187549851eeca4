package indexer

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

// Read turns a document's raw bytes into blocks (headings and paragraphs in
// reading order) by its format: html, markdown, text, paragraph-json or
// pdf. An unknown format is an error wrapping corpus.ErrUnsupported; a
// document that cannot be read is an error wrapping corpus.ErrInvalid.
// Read never panics on malformed input.
func Read(ctx context.Context, format string, raw []byte) ([]corpus.Block, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case corpus.FormatHTML:
		return readHTML(raw)
	case corpus.FormatMarkdown:
		return readMarkdown(raw), nil
	case corpus.FormatText:
		return readText(raw), nil
	case corpus.FormatParagraphJSON:
		return readParagraphJSON(raw)
	case corpus.FormatPDF:
		return readPDF(ctx, raw, defaultPDFOptions())
	default:
		return nil, fmt.Errorf("reading format %q: %w", format, corpus.ErrUnsupported)
	}
}

// toText makes raw bytes a string of valid UTF-8 with "\n" line ends and
// no byte-order mark or NUL bytes.
func toText(raw []byte) string {
	s := string(raw)
	s = strings.TrimPrefix(s, "\uFEFF")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.ContainsAny(s, "\r\x00") {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\x00", "").Replace(s)
	}
	return s
}

// isBlankLine reports whether a line holds only white space.
func isBlankLine(l string) bool { return strings.TrimSpace(l) == "" }

// readText reads plain text: blocks are separated by blank lines (lines of
// white space count as blank). Every block is a paragraph; the block's
// position is its p-N number.
func readText(raw []byte) []corpus.Block {
	var blocks []corpus.Block
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, corpus.Block{Text: strings.Join(cur, "\n")})
			cur = nil
		}
	}
	for _, l := range strings.Split(toText(raw), "\n") {
		if isBlankLine(l) {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(l, " \t"))
	}
	flush()
	return blocks
}
