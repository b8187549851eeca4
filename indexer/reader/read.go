package reader

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
	case corpus.FormatMarkdown, corpus.FormatText:
		if looksBinary(raw) {
			return nil, fmt.Errorf("reading %s: the file holds binary data, not text: %w", format, corpus.ErrInvalid)
		}
		if strings.EqualFold(strings.TrimSpace(format), corpus.FormatMarkdown) {
			return readMarkdown(raw), nil
		}
		return readText(raw), nil
	case corpus.FormatParagraphJSON:
		return readParagraphJSON(raw)
	case corpus.FormatPDF:
		return readPDF(ctx, raw, defaultPDFOptions())
	default:
		return nil, fmt.Errorf("reading format %q: %w", format, corpus.ErrUnsupported)
	}
}

// binarySniff is how much of a file looksBinary reads.
const binarySniff = 8 << 10

// looksBinary reports whether raw, said to be text, is binary data (an
// image, an archive, random bytes): more than one in twenty of its first
// bytes are control characters (NUL among them) or not UTF-8. Text in
// another encoding is converted before it is read, and has neither.
func looksBinary(raw []byte) bool {
	b := raw[:min(len(raw), binarySniff)]
	bad, n := 0, 0
	for len(b) > 0 {
		r, w := utf8.DecodeRune(b)
		if len(b) < utf8.UTFMax && r == utf8.RuneError && len(raw) > binarySniff {
			break // a rune cut by the sniff's end
		}
		b = b[w:]
		n++
		if r == utf8.RuneError && w == 1 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r >= 0x7f && r <= 0x9f {
			bad++
		}
	}
	return n > 0 && bad*20 > n
}

// toText makes raw bytes a string of valid UTF-8 with "\n" line ends and
// no byte-order mark or NUL bytes.
func toText(raw []byte) string { return cleanText(string(raw)) }

// cleanText is toText for a string: s itself when it needs no change.
func cleanText(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Two IndexByte scans cost less than ContainsAny's byte-by-byte one.
	if strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, 0) >= 0 {
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
