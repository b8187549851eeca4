package crawl

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

// maxCrawlIDLength bounds the ids the crawler derives: long enough to tell
// pages apart, short enough to read in a URL.
const maxCrawlIDLength = 100

// urlDocumentID derives a document id from a URL: host (without "www.",
// with a port that is not the default) and path, lower-case, every run of
// other characters than [a-z0-9.] made one "-"; a query adds its slug too.
// An id longer than maxCrawlIDLength is cut and ends with a hash of the
// whole URL, so that it stays unique. "https://www.ohchr.org/en/documents/
// report.pdf" → "ohchr.org-en-documents-report.pdf".
func urlDocumentID(u *url.URL) string {
	n := reader.NormalizeURL(u)
	host := strings.TrimPrefix(n.Hostname(), "www.")
	s := host
	if p := n.Port(); p != "" {
		s += "-" + p
	}
	s += "-" + n.Path
	if n.RawQuery != "" {
		s += "-" + n.RawQuery
	}
	id := slugID(s)
	if id == "" {
		id = "page"
	}
	if len(id) > maxCrawlIDLength {
		id = strings.TrimRight(id[:maxCrawlIDLength-9], "-.") + "-" + shortHash(n.String())
	}
	return id
}

// symbolDocumentID derives a document id from a UN symbol, as the catalog
// names decisions: "CAT/C/34/D/233/2003" → "cat-c-34-d-233-2003".
func symbolDocumentID(symbol string) string {
	id := slugID(corpus.NormalizeSymbol(symbol))
	if len(id) > maxCrawlIDLength {
		id = strings.TrimRight(id[:maxCrawlIDLength-9], "-.") + "-" + shortHash(symbol)
	}
	return id
}

// slugID lower-cases s, keeps [a-z0-9.] and makes every other run one "-";
// dots never repeat, and the id starts and ends with a letter or digit.
func slugID(s string) string {
	var b strings.Builder
	dash, dot := false, false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash, dot = false, false
			b.WriteRune(r)
		case r == '.':
			if !dot && !dash && b.Len() > 0 {
				b.WriteByte('.')
				dot = true
			}
		default:
			if !dot {
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), ".-")
}

// shortHash is 8 hex digits of s's SHA-256.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}
