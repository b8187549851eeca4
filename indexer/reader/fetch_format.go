package reader

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// Formats of fetched documents. The Content-Type header is believed for
// what it says unless the bytes prove otherwise:
//
//   - bytes that open with "%PDF-" (within the first 1024, as PDF readers
//     allow) are a PDF whatever the header says;
//   - text/html and application/xhtml+xml are HTML; text/markdown and
//     text/x-markdown are Markdown; application/pdf is PDF (unless
//     http.DetectContentType finds HTML: an error page sent as a PDF);
//   - text/plain is Markdown when the URL ends in .md or .markdown (servers
//     commonly send Markdown as text/plain), else text — text/plain is never
//     promoted to HTML, as browsers never do;
//   - no Content-Type, application/octet-stream and the like are sniffed:
//     the URL's extension first (.html, .md, .txt, .pdf), then
//     http.DetectContentType;
//   - anything else (images, archives, JSON, office files) is unsupported and
//     refused before its body is read, when the header says so.

// MediaType returns the lower-case media type of a Content-Type value.
func MediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// sniffedTypes are media types that say nothing and are sniffed.
var sniffedTypes = map[string]bool{
	"": true, "application/octet-stream": true, "binary/octet-stream": true,
	"application/unknown": true, "application/x-download": true, "application/download": true,
	"application/force-download": true, "unknown/unknown": true,
}

// AcceptableType reports whether a response with this Content-Type may hold
// a document hrsearch reads; the body of one that may not is never read.
func AcceptableType(contentType string) bool {
	mt := MediaType(contentType)
	return sniffedTypes[mt] || strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml" ||
		mt == "application/pdf" || mt == "application/x-pdf"
}

// FormatOfResponse decides a fetched document's format from its
// Content-Type, its URL (by the names FormatOf knows) and its bytes. An unsupported document is an error wrapping
// corpus.ErrUnsupported.
func FormatOfResponse(contentType string, u *url.URL, body []byte) (string, error) {
	head := body[:min(len(body), 1024)]
	if bytes.Contains(head, []byte("%PDF-")) {
		return corpus.FormatPDF, nil
	}
	ext := ""
	if u != nil {
		ext = strings.ToLower(path.Ext(u.Path))
	}
	mt := MediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return corpus.FormatHTML, nil
	case mt == "text/markdown" || mt == "text/x-markdown":
		return corpus.FormatMarkdown, nil
	case mt == "application/pdf" || mt == "application/x-pdf":
		if sniffed := MediaType(http.DetectContentType(body)); sniffed == "text/html" {
			return corpus.FormatHTML, nil
		}
		return corpus.FormatPDF, nil // the PDF reader says what is wrong with it
	case mt == "text/plain":
		if extFormats[ext] == corpus.FormatMarkdown {
			return corpus.FormatMarkdown, nil
		}
		return corpus.FormatText, nil
	case sniffedTypes[mt]:
		// By the name, but never JSON: a server's JSON is not a
		// paragraph file, and a PDF was recognised above.
		if f := extFormats[ext]; f != "" && f != corpus.FormatParagraphJSON && f != corpus.FormatPDF {
			return f, nil
		}
		switch sniffed := MediaType(http.DetectContentType(body)); {
		case sniffed == "text/html":
			return corpus.FormatHTML, nil
		case sniffed == "application/pdf":
			return corpus.FormatPDF, nil
		case sniffed == "text/plain":
			return corpus.FormatText, nil
		default:
			return "", fmt.Errorf("%w: content sniffed as %s", corpus.ErrUnsupported, sniffed)
		}
	case strings.HasPrefix(mt, "text/") && mt != "text/css" && mt != "text/javascript" && mt != "text/csv":
		return corpus.FormatText, nil
	}
	return "", fmt.Errorf("%w: content type %q", corpus.ErrUnsupported, mt)
}
