package reader

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// Derive is the one path from a document's bytes to its passages. It
// reads raw as the record's effective entry (the catalog's, crawler's or
// librarian's entry with the librarian's corrections over it): text is
// decoded to UTF-8 by its byte-order mark, the charset the record's
// Content-Type names, an HTML <meta charset>, or else as UTF-8
// (windows-1252 when it is not valid UTF-8); the store keeps the bytes as
// they came and this decoding is part of reading them. It segments the
// blocks into passages, refuses more than maxPassages of them (0: no
// limit) before extracting anything, enriches them, and applies the
// corrections over what extraction found (a corrected state list replaces
// the states every passage was given). Catalog ingest, the crawler, the
// librarian's add, replace and preview, and reindex all call it, so every
// path writes the same passages.
func Derive(ctx context.Context, rec *store.Record, raw []byte, maxPassages int) (*corpus.Document, error) {
	e := rec.Effective()
	format := e.Format
	if format == "" {
		format = FormatOf(e.File, raw)
	}
	if format != corpus.FormatPDF {
		raw, _ = DecodeText(raw, rec.ContentType, format == corpus.FormatHTML)
	}
	blocks, err := Read(ctx, format, raw)
	if err != nil {
		return nil, fmt.Errorf("reading %s as %s: %w", e.ID, format, err)
	}
	raw = nil // the blocks hold the text now
	doc := &corpus.Document{Entry: e, Entered: rec.FetchedAt}
	doc.Passages = corpus.Segment(&e, blocks)
	if n := len(doc.Passages); maxPassages > 0 && n > maxPassages {
		return nil, &TooManyPassagesError{ID: e.ID, Count: n, Limit: maxPassages}
	}
	corpus.EnrichWithCase(doc)
	applyCorrections(doc, rec.Overrides)
	return doc, nil
}

// Passages is Derive for an entry with no stored record: no corrections,
// no Content-Type, no limit.
func Passages(ctx context.Context, e *corpus.Entry, raw []byte) (*corpus.Document, error) {
	return Derive(ctx, &store.Record{Entry: *e}, raw, 0)
}

// TooManyPassagesError refuses a document that has more passages than the
// limit of one document (--max-passages).
type TooManyPassagesError struct {
	ID           string
	Count, Limit int
}

func (e *TooManyPassagesError) Error() string {
	return fmt.Sprintf("document %s has %d passages, more than the limit of %d passages a document may have (--max-passages)",
		e.ID, e.Count, e.Limit)
}

// Unwrap makes the error corpus.ErrInvalid: the document is refused.
func (e *TooManyPassagesError) Unwrap() error { return corpus.ErrInvalid }

// applyCorrections makes a librarian's corrections win over extraction. A
// corrected state list replaces what the document as a whole was given
// (the catalog's states, its symbol's, the parties found anywhere in it),
// and every passage keeps the states its own text names: the correction
// and the passage's mentions, both.
func applyCorrections(doc *corpus.Document, o *corpus.Entry) {
	if o == nil || o.States == nil {
		return
	}
	c := corpus.ContextOf(&doc.Entry)
	c.States = nil
	for i := range doc.Passages {
		p := &doc.Passages[i]
		pc := c
		if p.Language != "" {
			pc.Language = p.Language
		}
		states := append(append([]string(nil), o.States...), corpus.Extract(p.Text, pc).States...)
		slices.Sort(states)
		p.States = slices.Compact(states)
	}
}

// extFormats are the formats file names tell, by extension.
var extFormats = map[string]string{
	".pdf": corpus.FormatPDF, ".html": corpus.FormatHTML, ".htm": corpus.FormatHTML, ".xhtml": corpus.FormatHTML,
	".md": corpus.FormatMarkdown, ".markdown": corpus.FormatMarkdown, ".json": corpus.FormatParagraphJSON,
	".txt": corpus.FormatText,
}

// FormatOf guesses a file's format from its name, then from its bytes: the
// one format detector of files and uploads (FormatOfResponse decides for a
// fetched document, with the same names).
func FormatOf(name string, raw []byte) string {
	if f, ok := extFormats[strings.ToLower(filepath.Ext(name))]; ok {
		return f
	}
	head := strings.TrimSpace(string(raw[:min(len(raw), 512)]))
	switch {
	case strings.HasPrefix(head, "%PDF-"):
		return corpus.FormatPDF
	case strings.HasPrefix(head, "["):
		return corpus.FormatParagraphJSON
	case strings.HasPrefix(strings.ToLower(head), "<!doctype html"), strings.HasPrefix(strings.ToLower(head), "<html"):
		return corpus.FormatHTML
	}
	return corpus.FormatText
}
