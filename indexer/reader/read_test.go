package reader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// bt is a compact view of a block for comparisons.
type bt struct {
	Text    string
	Heading bool
}

func view(blocks []corpus.Block) []bt {
	out := []bt{}
	for _, b := range blocks {
		out = append(out, bt{b.Text, b.Heading})
	}
	return out
}

func TestReadUnsupported(t *testing.T) {
	for _, f := range []string{"docx", "", "rtf"} {
		if _, err := Read(context.Background(), f, []byte("x")); !errors.Is(err, corpus.ErrUnsupported) {
			t.Errorf("Read(%q) error = %v, want ErrUnsupported", f, err)
		}
	}
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name, in string
		want     []bt
	}{
		{"title and paragraphs", "Title\n\nFirst line\nsecond line\n\n\nLast.\n", []bt{{"Title", false}, {"First line\nsecond line", false}, {"Last.", false}}},
		{"white-space lines are blank, CRLF", "a\r\n  \t\r\nb", []bt{{"a", false}, {"b", false}}},
		{"empty", "", []bt{}},
		{"bom", "\ufeffA", []bt{{"A", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(context.Background(), "text", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(view(got), tt.want) {
				t.Errorf("got %+v, want %+v", view(got), tt.want)
			}
		})
	}
}

func TestReadMarkdown(t *testing.T) {
	in := "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n" +
		"##Verdrag tegen tests\n\n### Convention \n\n####against tests\n\n" +
		"The States, considering the [Charter](../x/README.md), *Preamble*text\n" +
		"### PART  I  \n\n### Article  1  \n\n1. One.\n2. Two ![img](http://x/y.png)\n\n" +
		"|Australia |Luxembourg |\n| --- | --- |\n"
	want := []bt{
		{"Verdrag tegen tests", true}, {"Convention", true}, {"against tests", true},
		{"The States, considering the Charter, Preambletext", false},
		{"PART I", true}, {"Article 1", true}, {"1. One.\n2. Two", false}, {"Australia; Luxembourg", false},
	}
	got, err := Read(context.Background(), "markdown", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(view(got), want) {
		t.Errorf("got  %+v\nwant %+v", view(got), want)
	}
	if got[0].Level != 2 || got[2].Level != 4 {
		t.Errorf("levels = %d, %d; want 2, 4", got[0].Level, got[2].Level)
	}
}

func TestReadParagraphJSON(t *testing.T) {
	in := `[{"ID": "2.1.", "Section": "The facts", "Labels": ["Refugees", " "], "Text": "The author[[fn:14]] fled."},
	        {"ID": 3, "Text": "Three."},
	        {"ID": "4.\u00a0", "Text": "Four."},
	        {"ID": null, "Text": "12.6 The Committee concludes."},
	        {"ID": "", "Text": "   "}]`
	got, err := Read(context.Background(), "paragraph-json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []corpus.Block{
		{Text: "The author fled.", Number: "2.1.", Section: "The facts", Labels: []string{"Refugees"}},
		{Text: "Three.", Number: "3"},
		{Text: "Four.", Number: "4.\u00a0"},
		{Text: "12.6 The Committee concludes."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// The first JSON value is the document, whatever follows it.
	after, err := Read(context.Background(), "paragraph-json", []byte(in+"\n] trailing"))
	if err != nil || !reflect.DeepEqual(after, want) {
		t.Errorf("with text after the array: got %+v, %v\nwant %+v", after, err, want)
	}
	for _, bad := range []string{`{"ID": 1}`, `[{"ID": 1`, `not json`} {
		if _, err := Read(context.Background(), "paragraph-json", []byte(bad)); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Read(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestReadHTML(t *testing.T) {
	in := `<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
	<nav><a href="/">Home</a></nav><script>var x = "hidden";</script>
	<h1>Universal Declaration</h1>
	<header><h2>Preamble</h2><p>Whereas <em>recognition</em>
	of dignity,</p></header>
	<article data-number="1"><h2>Article 1</h2><p>All human beings are born free.</p></article>
	<article><h2>Article 29</h2><ol><li><p>Everyone has duties.</p></li><li>Second duty.</li></ol>
	loose text</article></body></html>`
	got, err := Read(context.Background(), "html", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []bt{
		{"Universal Declaration", true}, {"Preamble", true}, {"Whereas recognition of dignity,", false},
		{"Article 1", true}, {"All human beings are born free.", false},
		{"Article 29", true}, {"1. Everyone has duties.", false}, {"2. Second duty.", false}, {"loose text", false},
	}
	if !reflect.DeepEqual(view(got), want) {
		t.Errorf("got  %+v\nwant %+v", view(got), want)
	}
}

func FuzzReadHTML(f *testing.F) {
	for _, s := range []string{
		"<article><h2>Article 1</h2><p>x</p></article>",
		"<ol start=x><li value=3>a<li>b</ol>",
		"<script>alert(1)</script><p>a</p>",
		"<h7>x</h7><h1><p>y</h1>",
		"<table><tr><td>a<td>b</table>",
		"\xff<p>\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		blocks, err := Read(context.Background(), "html", raw)
		if err != nil {
			if !errors.Is(err, corpus.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for _, b := range blocks {
			if b.Text == "" || b.Text != strings.TrimSpace(b.Text) || strings.Contains(b.Text, "\n") {
				t.Fatalf("block text not trimmed to one line: %q", b.Text)
			}
			if !utf8.ValidString(b.Text) {
				t.Fatalf("invalid UTF-8: %q", b.Text)
			}
			if b.Heading != (b.Level >= 1 && b.Level <= 6) {
				t.Fatalf("heading %v with level %d", b.Heading, b.Level)
			}
		}
		// Script content never becomes text.
		marked := append([]byte("<script>zq9marker</script>"), raw...)
		blocks, err = Read(context.Background(), "html", marked)
		if err == nil && !bytes.Contains(raw, []byte("zq9marker")) {
			for _, b := range blocks {
				if strings.Contains(b.Text, "zq9marker") {
					t.Fatalf("script text in block %q", b.Text)
				}
			}
		}
	})
}

func TestPDFText(t *testing.T) {
	page := func(n int, body ...string) string {
		lines := append([]string{"9/3/23, 9:24 CONVENCION DE PRUEBA", "Bienvenidos a las Naciones Unidas Recursos Español"}, body...)
		lines = append(lines, "https://www.example.org/tratados/a-51.html", fmt.Sprintf("%d/4", n))
		return strings.Join(lines, "\n")
	}
	text := strings.Join([]string{
		page(1, "Instrumentos de derechos humanos", "CORE INSTRUMENT", "Comparte", "Descargar:", "Preámbulo", "Los Estados Partes,"),
		page(2, "Parte I", "Artículo 1", "1. Todos los pueblos tienen derecho en su te-", "rritorio. Los auto-", "incriminación"),
		page(3, "Artículo 2. Deber de adoptar disposiciones", "de derecho interno", "Texto del artículo dos con non-", "refoulement.", "Contact with the world", "Artículo 3"),
		page(4, "Toda persona tiene derecho.", "Artículo 4", "Final."),
	}, "\f")
	got := view(pdfText(text))
	want := []bt{
		{"Preámbulo", true}, {"Los Estados Partes,", false},
		{"Parte I", true}, {"Artículo 1", true}, {"1. Todos los pueblos tienen derecho en su territorio. Los auto-incriminación", false},
		{"Artículo 2. Deber de adoptar disposiciones de derecho interno", true}, {"Texto del artículo dos con non-refoulement.", false},
		{"Contact with the world", true}, {"Artículo 3", true}, {"Toda persona tiene derecho.", false},
		{"Artículo 4", true}, {"Final.", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%+v\nwant:\n%+v", got, want)
	}
}

// minimalPDF builds a one-page PDF showing lines of text.
func minimalPDF(lines ...string) []byte { return titledPDF("", lines...) }

// titledPDF builds a one-page PDF showing lines of text, with a Title in
// its document information dictionary when title is not empty.
func titledPDF(title string, lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) Tj T*\n", l)
	}
	content.WriteString("ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	info := ""
	if title != "" {
		objs = append(objs, fmt.Sprintf("<< /Title (%s) >>", title))
		info = fmt.Sprintf(" /Info %d 0 R", len(objs))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, info, xref)
	return b.Bytes()
}

func TestReadPDF(t *testing.T) {
	corpustest.WithoutPdftotext(t)
	raw := minimalPDF("Rule 1", "Prisoners shall be treated with respect.", "Rule 2", "No torture.")
	got, err := Read(context.Background(), "pdf", raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []bt{{"Rule 1", true}, {"Prisoners shall be treated with respect.", false}, {"Rule 2", true}, {"No torture.", false}}
	if !reflect.DeepEqual(view(got), want) {
		t.Errorf("got %+v, want %+v", view(got), want)
	}
}

func TestReadPDFErrors(t *testing.T) {
	corpustest.WithoutPdftotext(t)
	ctx := context.Background()
	for name, raw := range map[string][]byte{
		"not a pdf": []byte("hello"),
		"truncated": minimalPDF("x")[:40],
		"garbage":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, '('}, 500)...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(ctx, "pdf", raw)
			if !errors.Is(err, corpus.ErrInvalid) {
				t.Errorf("error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestReadPDFLimits(t *testing.T) {
	raw := minimalPDF("x")
	t.Run("timeout", func(t *testing.T) {
		opt := pdfOptions{Timeout: time.Nanosecond, MaxOutput: 1 << 20}
		_, err := readPDF(context.Background(), raw, opt)
		if !errors.Is(err, corpus.ErrInvalid) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want ErrInvalid and DeadlineExceeded", err)
		}
	})
	t.Run("output cap", func(t *testing.T) {
		opt := pdfOptions{Timeout: time.Minute, MaxOutput: 4}
		if _, err := readPDF(context.Background(), minimalPDF("a line of text"), opt); !errors.Is(err, corpus.ErrTooLarge) {
			t.Errorf("error = %v, want ErrTooLarge", err)
		}
	})
}

// TestBinaryIsNotText: random bytes, an image or an archive sent as text
// or Markdown is refused as invalid rather than indexed as a garbage
// passage; text with tabs, form feeds and accents in any encoding is read.
func TestBinaryIsNotText(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 20000)
	for i := range random {
		random[i] = byte(rnd.IntN(256))
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), random[:2000]...)
	for name, raw := range map[string][]byte{"random": random, "png": png, "nul": []byte(strings.Repeat("a\x00", 100))} {
		for _, format := range []string{corpus.FormatText, corpus.FormatMarkdown} {
			_, err := Derive(context.Background(), &store.Record{Entry: corpus.Entry{ID: "b", Format: format}, Provenance: store.Provenance{ContentType: "text/plain"}}, raw, 0)
			if !errors.Is(err, corpus.ErrInvalid) {
				t.Errorf("%s as %s: err %v, want corpus.ErrInvalid", name, format, err)
			}
		}
	}
	for name, raw := range map[string][]byte{
		"tabs and form feeds": []byte("Article 1\tText.\fPage two.\n\nTwo\tcolumns\there.\n"),
		"latin-1":             []byte("D\xe9tention arbitraire et torture.\n"),
		"utf-8":               []byte("Détention arbitraire, tortura y desaparición.\n"),
	} {
		if _, err := Derive(context.Background(), &store.Record{Entry: corpus.Entry{ID: "t", Format: corpus.FormatText}, Provenance: store.Provenance{ContentType: "text/plain"}}, raw, 0); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPDFTextParagraphEnds: an unnumbered paragraph ends at a short line
// that ends a sentence when a capital follows; a full line does not end it.
func TestPDFTextParagraphEnds(t *testing.T) {
	long := "cada Estado parte tomara medidas efectivas para prevenir y sancionar los actos de"
	text := strings.Join([]string{
		"Artículo 13",
		"El delito a que se hace referencia en el artículo dos se considerará incluido entre",
		long, "futuro.",
		"Todo Estado parte que subordine la extradición a la existencia de un tratado podrá",
		long + " final.",
		"Nada de lo dispuesto.",
	}, "\n")
	got := view(pdfText(text))
	want := []bt{
		{"Artículo 13", true},
		{"El delito a que se hace referencia en el artículo dos se considerará incluido entre " + long + " futuro.", false},
		{"Todo Estado parte que subordine la extradición a la existencia de un tratado podrá " + long + " final. Nada de lo dispuesto.", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%+v\nwant:\n%+v", got, want)
	}
}

// TestPDFTextParagraphGaps: a blank line (the wider space pdftext marks
// between paragraphs) ends a paragraph after a sentence's end before a
// capital, however long the line before it; within a sentence it does not.
// A paragraph number alone on its line starts a paragraph.
func TestPDFTextParagraphGaps(t *testing.T) {
	long := "cada Estado parte tomara medidas efectivas para prevenir y sancionar los actos de"
	text := strings.Join([]string{
		"Artículo 13",
		"Los Estados partes que no subordinen la extradición a la existencia de un tratado",
		long + " tortura.",
		"",
		"No se concederá la extradición cuando haya presunción fundada de que corre peligro",
		"",
		"su vida en el Estado requirente.",
		"Artículo 14",
		"1. Toda persona privada de libertad será tratada humanamente y con el respeto debido.",
		"2.",
		"a) Los procesados estarán separados de los condenados;",
	}, "\n")
	got := view(pdfText(text))
	want := []bt{
		{"Artículo 13", true},
		{"Los Estados partes que no subordinen la extradición a la existencia de un tratado " + long + " tortura.", false},
		{"No se concederá la extradición cuando haya presunción fundada de que corre peligro su vida en el Estado requirente.", false},
		{"Artículo 14", true},
		{"1. Toda persona privada de libertad será tratada humanamente y con el respeto debido.", false},
		{"2.", false},
		{"a) Los procesados estarán separados de los condenados;", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%+v\nwant:\n%+v", got, want)
	}
}
