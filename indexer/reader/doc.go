// Package reader turns a document's bytes into passages: it detects the
// format, decodes the charset, reads HTML, PDF, Markdown, text and
// paragraph JSON into blocks, reads what an HTML page says of itself, and
// holds the one derivation (Derive) every path calls.
package reader
