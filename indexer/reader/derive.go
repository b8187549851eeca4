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

// Passages turns a document's raw bytes into enriched passages: read by
// format, segment, extract facets. It needs no index: the librarian's
// preview and the indexer both use it.
func Passages(ctx context.Context, e *corpus.Entry, raw []byte) (*corpus.Document, error) {
	return PassagesOf(ctx, e, raw, "")
}

// ApplyOverrides makes a librarian's corrections win over extraction. A
// corrected state list replaces what the document as a whole was given
// (the catalog's states, its symbol's, the parties found anywhere in it),
// and every passage keeps the states its own text names: the correction
// and the passage's mentions, both.
func ApplyOverrides(doc *corpus.Document, o *corpus.Entry) {
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

// PassagesOf is Passages for bytes that came with a Content-Type (fetched
// or uploaded): text is decoded to UTF-8 by its byte-order mark, the
// charset the Content-Type names, an HTML <meta charset>, or else as UTF-8
// (windows-1252 when it is not valid UTF-8). The store keeps the bytes as
// they came; this decoding is part of reading them.
func PassagesOf(ctx context.Context, e *corpus.Entry, raw []byte, contentType string) (*corpus.Document, error) {
	format := e.Format
	if format == "" {
		format = FormatOf(e.File, raw)
	}
	if format != corpus.FormatPDF {
		raw, _ = DecodeText(raw, contentType, format == corpus.FormatHTML)
	}
	blocks, err := Read(ctx, format, raw)
	if err != nil {
		return nil, fmt.Errorf("reading %s as %s: %w", e.ID, format, err)
	}
	doc := &corpus.Document{Entry: *e}
	doc.Passages = corpus.Segment(e, blocks)
	corpus.Enrich(doc)
	return doc, nil
}

// FormatOf guesses a format from a file name, then from the bytes.
func FormatOf(name string, raw []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return corpus.FormatPDF
	case ".html", ".htm":
		return corpus.FormatHTML
	case ".md", ".markdown":
		return corpus.FormatMarkdown
	case ".json":
		return corpus.FormatParagraphJSON
	case ".txt":
		return corpus.FormatText
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

// Derive is the one path from a stored document's bytes to its passages:
// read as its effective entry (the catalog's or crawler's entry with the
// librarian's corrections over it), segmented and enriched, then the
// corrections applied over what extraction found (a corrected state list
// replaces the states every passage was given). Catalog ingest, the
// crawler, the librarian's add, replace and preview, and reindex all call
// it, so every path writes the same passages.
func Derive(ctx context.Context, rec *store.Record, raw []byte) (*corpus.Document, error) {
	eff := rec.Effective()
	doc, err := PassagesOf(ctx, &eff, raw, rec.ContentType)
	if err != nil {
		return nil, err
	}
	ApplyOverrides(doc, rec.Overrides)
	return doc, nil
}
