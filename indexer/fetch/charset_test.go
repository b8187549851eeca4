package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/store"
	"golang.org/x/text/encoding/unicode"
)

// C9 over HTTP: the stored text is UTF-8 and reads correctly.
func TestFetchCharsetsEndToEnd(t *testing.T) {
	srv := httptest.NewServer(noRobots(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cp1252.html":
			w.Header().Set("Content-Type", "text/html") // no charset: the meta says
			w.Write([]byte("<html><head><meta charset=windows-1252></head><body><h1>Art\xedculo 3</h1><p>Ning\xfan Estado \x93expulsar\xe1\x94</p></body></html>"))
		case "/utf16.txt":
			w.Header().Set("Content-Type", "text/plain")
			w.Write(utf16Bytes(t, "Artículo 3\n\nNingún Estado", unicode.LittleEndian))
		}
	}))
	defer srv.Close()
	f := NewFetcher(testFetchConfig())
	defer f.Close()
	res, err := f.Fetch(context.Background(), srv.URL+"/cp1252.html", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := reader.Read(context.Background(), res.Format, res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || blocks[0].Text != "Artículo 3" || blocks[1].Text != "Ningún Estado “expulsará”" {
		t.Errorf("windows-1252 page read as %+v", blocks)
	}
	// The store keeps the bytes and the Content-Type as sent; reading them
	// again decodes them the same way.
	prov := res.Provenance()
	if prov.ContentType != res.ContentType || string(res.Raw) == string(res.Body) {
		t.Errorf("stored content type %q, raw bytes decoded: %v", prov.ContentType, string(res.Raw) == string(res.Body))
	}
	doc, err := reader.Derive(context.Background(), &store.Record{Entry: corpus.Entry{ID: "x", Format: res.Format}, Provenance: prov}, res.Raw, 0)
	if err != nil || len(doc.Passages) == 0 || !strings.Contains(doc.Passages[len(doc.Passages)-1].Text, "Ningún Estado “expulsará”") {
		t.Errorf("stored bytes re-read as %+v, %v", doc, err)
	}
	res, err = f.Fetch(context.Background(), srv.URL+"/utf16.txt", FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Body) != "Artículo 3\n\nNingún Estado" || res.Format != corpus.FormatText {
		t.Errorf("UTF-16 text: %q (%s)", res.Body, res.Format)
	}
}

func utf16Bytes(t *testing.T, s string, e unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
