package reader

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

func utf16Bytes(t *testing.T, s string, e unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// C9: charsets are converted to UTF-8 by the WHATWG order: BOM, header,
// <meta>, UTF-8 validity, windows-1252.
func TestDecodeText(t *testing.T) {
	// "café “quoted” €" in windows-1252.
	cp1252 := []byte("caf\xe9 \x93quoted\x94 \x80")
	const want1252 = "café “quoted” €"
	metaPage := func(cs string, body string) []byte {
		return []byte(`<!DOCTYPE html><html><head><meta charset="` + cs + `"><title>t</title></head><body><p>` + body + `</p></body></html>`)
	}
	cases := []struct {
		name, ct string
		html     bool
		body     []byte
		want     string // a substring of the result
		charset  string
	}{
		{"windows-1252 header", "text/plain; charset=windows-1252", false, cp1252, want1252, "windows-1252"},
		{"ISO-8859-1 header (read as windows-1252)", "text/plain; charset=ISO-8859-1", false, cp1252, want1252, "windows-1252"},
		{"latin1 label", "text/html; charset=latin1", true, []byte("<p>Convenci\xf3n</p>"), "Convención", "windows-1252"},
		{"UTF-16LE BOM", "text/plain", false, utf16Bytes(t, "Artículo 3 — ñ", unicode.LittleEndian), "Artículo 3 — ñ", "utf-16le"},
		{"UTF-16BE BOM", "text/html; charset=windows-1252", true, utf16Bytes(t, "<p>Artículo 3</p>", unicode.BigEndian), "<p>Artículo 3</p>", "utf-16be"},
		{"UTF-8 BOM beats header", "text/plain; charset=windows-1252", false, []byte("\xef\xbb\xbfcafé"), "café", "utf-8"},
		{"meta when header is silent", "text/html", true, metaPage("windows-1252", "caf\xe9"), "café", "windows-1252"},
		{"meta http-equiv", "text/html", true, []byte(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>caf` + "\xe9"), "café", "windows-1252"},
		{"header beats contradicting meta", "text/html; charset=utf-8", true, metaPage("windows-1252", "café"), "café", "utf-8"},
		{"meta UTF-16 means UTF-8", "text/html", true, metaPage("utf-16", "café"), "café", "utf-8"},
		{"meta ignored for text", "text/plain", false, metaPage("windows-1252", "café"), "café", "utf-8"},
		{"unknown header label ignored", "text/plain; charset=x-nonsense", false, []byte("café"), "café", "utf-8"},
		{"valid UTF-8 late in a long page", "text/html", true, []byte("<p>" + strings.Repeat("a", 3000) + " café</p>"), "café", "utf-8"},
		{"undeclared invalid UTF-8 is windows-1252", "", false, cp1252, want1252, "windows-1252"},
		{"shift_jis header", "text/plain; charset=shift_jis", false, []byte("\x93\xfa\x96\x7b"), "日本", "shift_jis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, cs := DecodeText(c.body, c.ct, c.html)
			if !utf8.Valid(out) {
				t.Fatalf("invalid UTF-8: %q", out)
			}
			if !strings.Contains(string(out), c.want) || cs != c.charset {
				t.Errorf("decoded %q as %s; want %q as %s", out, cs, c.want, c.charset)
			}
			if strings.HasPrefix(string(out), "\uFEFF") && c.charset != "utf-8" {
				t.Errorf("byte-order mark kept: %q", out)
			}
		})
	}
	// Valid UTF-8 comes back as the same bytes (same SHA-256 as the file).
	same := []byte("<p>Artículo 3</p>")
	if out, _ := DecodeText(same, "text/html", true); &out[0] != &same[0] {
		t.Error("valid UTF-8 was copied or changed")
	}
	t.Logf("RESULT C9 charsets: %d cases (windows-1252, ISO-8859-1, UTF-16 LE/BE BOM, meta vs header, Shift_JIS) decoded to valid UTF-8; order BOM > header > meta > UTF-8 > windows-1252", len(cases))
}

func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("caf\xe9"), "text/html; charset=windows-1252", true)
	f.Add([]byte("\xff\xfea\x00"), "", false)
	f.Add([]byte("<meta charset=utf-16><p>\xe9"), "text/html", true)
	f.Fuzz(func(t *testing.T, body []byte, ct string, isHTML bool) {
		out, cs := DecodeText(body, ct, isHTML)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 from %q as %s", body, cs)
		}
		if cs == "" {
			t.Fatal("no charset named")
		}
	})
}
