package reader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// jsonParagraph is one element of a paragraph-JSON document.
type jsonParagraph struct {
	ID      json.RawMessage `json:"ID"`
	Section string          `json:"Section"`
	Labels  []string        `json:"Labels"`
	Text    string          `json:"Text"`
}

var footnoteRe = regexp.MustCompile(`\[\[fn:[^\]]*\]\]`)

// readParagraphJSON reads a JSON array of paragraphs {"ID", "Section",
// "Labels", "Text"}. ID may be a string, a number or null; it is kept as
// printed in Block.Number. Footnote markers ("[[fn:14]]") are removed from
// the text; paragraphs with no text are skipped.
func readParagraphJSON(raw []byte) ([]corpus.Block, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	// The file is read as its first JSON value, whatever follows it.
	// Unmarshal reads a file that holds only that value without the
	// decoder's copies of it; the decoder reads the others.
	var ps []jsonParagraph
	if json.Unmarshal(raw, &ps) != nil {
		ps = nil
		if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&ps); err != nil {
			return nil, fmt.Errorf("paragraph JSON: %w: %v", corpus.ErrInvalid, err)
		}
	}
	blocks := make([]corpus.Block, 0, len(ps))
	// Paragraphs in a row mostly share their section: it is cleaned once
	// (rawSection's clean form is section; "" stays "").
	var rawSection, section string
	for _, p := range ps {
		text := cleanText(p.Text)
		if strings.Contains(text, "[[fn:") { // every marker starts so
			text = footnoteRe.ReplaceAllString(text, "")
		}
		text = strings.ReplaceAll(text, "\f", "\n") // page breaks of the source
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		var labels []string
		for _, l := range p.Labels {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
		if p.Section != rawSection {
			rawSection, section = p.Section, strings.Join(strings.Fields(footnoteRe.ReplaceAllString(p.Section, "")), " ")
		}
		blocks = append(blocks, corpus.Block{
			Text:    text,
			Number:  jsonID(p.ID),
			Section: section,
			Labels:  labels,
		})
	}
	return corpus.CleanParagraphs(blocks), nil
}

// jsonID returns an ID field as printed: a string's content, a number's
// digits, "" for null or anything else.
func jsonID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}
	return ""
}
