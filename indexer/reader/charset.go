package reader

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// Charset decisions for fetched text (HTML, Markdown, plain text).
//
// The encoding is chosen as the WHATWG encoding standard and HTML parsing
// algorithm choose it, in this order:
//
//  1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything;
//  2. the charset parameter of the Content-Type header, if it names an
//     encoding the WHATWG index knows;
//  3. for HTML only, a <meta charset> or <meta http-equiv="Content-Type">
//     in the first 1024 bytes — so a <meta> that contradicts the header
//     loses, and one that speaks where the header is silent wins;
//  4. UTF-8, if the whole body is valid UTF-8 (browsers guess from the
//     first 1024 bytes; a crawler can afford to look at everything, which
//     avoids misreading UTF-8 pages whose first non-ASCII byte comes late);
//  5. windows-1252, the web's legacy default.
//
// Labels map as WHATWG says: "iso-8859-1" and "us-ascii" are windows-1252;
// a <meta> naming UTF-16 means UTF-8 (a page that could be parsed as ASCII
// to find it cannot be UTF-16). The result is always valid UTF-8, without a
// byte-order mark; a UTF-8 body that is already valid is returned as is
// (same bytes, same SHA-256).

// DecodeText converts a text document to UTF-8 and names the encoding it
// was read as ("utf-8", "windows-1252", "utf-16le", …).
func DecodeText(body []byte, contentType string, isHTML bool) ([]byte, string) {
	enc, name, bomLen := sniffCharset(body, contentType, isHTML)
	if enc == nil { // UTF-8
		if utf8.Valid(body) {
			return body, name
		}
		return bytes.ToValidUTF8(body[bomLen:], []byte("\uFFFD")), name
	}
	out, err := enc.NewDecoder().Bytes(body[bomLen:])
	if err != nil {
		// Decoders of the WHATWG index replace what they cannot map; an
		// error here is unexpected. Keep what can be kept.
		out = bytes.ToValidUTF8(body[bomLen:], []byte("\uFFFD"))
		name = "utf-8"
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out, name
}

// sniffCharset picks the encoding of body (see the order above). A nil
// encoding means UTF-8. bomLen is the length of a byte-order mark to skip.
func sniffCharset(body []byte, contentType string, isHTML bool) (enc encoding.Encoding, name string, bomLen int) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return nil, "utf-8", 0 // kept: the readers drop a UTF-8 BOM themselves
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if enc, name, ok := lookupCharset(params["charset"], false); ok {
			return enc, name, 0
		}
	}
	if isHTML {
		if label := metaCharset(body); label != "" {
			if enc, name, ok := lookupCharset(label, true); ok {
				return enc, name, 0
			}
		}
	}
	if utf8.Valid(body) {
		return nil, "utf-8", 0
	}
	return charmap.Windows1252, "windows-1252", 0
}

// lookupCharset maps a charset label to an encoding through the WHATWG
// index. fromMeta applies the rule that a <meta> naming UTF-16 means UTF-8.
func lookupCharset(label string, fromMeta bool) (encoding.Encoding, string, bool) {
	label = strings.TrimSpace(strings.Trim(strings.TrimSpace(label), `"'`))
	if label == "" {
		return nil, "", false
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, "", false
	}
	name, _ := htmlindex.Name(enc)
	if fromMeta && strings.HasPrefix(name, "utf-16") {
		return nil, "utf-8", true
	}
	if name == "utf-8" {
		return nil, name, true
	}
	if name == "x-user-defined" && fromMeta {
		return charmap.Windows1252, "windows-1252", true
	}
	return enc, name, true
}

// metaCharset returns the charset label a <meta> element declares in the
// first 1024 bytes of an HTML document, or "".
func metaCharset(body []byte) string {
	if len(body) > 1024 {
		body = body[:1024]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var charset, httpEquiv, content string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "charset":
					charset = string(v)
				case "http-equiv":
					httpEquiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
				if !more {
					break
				}
			}
			if charset != "" {
				return charset
			}
			if httpEquiv == "content-type" {
				if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
					return params["charset"]
				}
				// "text/html; charset=windows-1252" that mime rejects.
				if i := strings.Index(strings.ToLower(content), "charset="); i >= 0 {
					v := content[i+len("charset="):]
					if j := strings.IndexAny(v, "; "); j >= 0 {
						v = v[:j]
					}
					return v
				}
			}
		}
	}
}
