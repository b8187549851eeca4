package reader

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

// The metadata a crawl derives for the shared corpus's treaty files, as if
// fetched, agrees with the catalog's on kind and instrument, and so gives
// the same units. Files are read at test time, never copied.
func TestDescribeCorpusTreaties(t *testing.T) {
	shared := corpustest.SharedDir(t)
	cat, err := corpus.ReadCatalogFile(filepath.Join(shared, "corpus", "catalog.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	// Known misses: the Spanish ICCPR PDF is a browser print whose head is
	// site furniture; it never names the Covenant as a title.
	knownMiss := map[string]bool{"iccpr-es": true}
	agree, same, total := 0, 0, 0
	for _, e := range cat.Entries {
		if !strings.HasPrefix(e.File, "files/treaties/") {
			continue
		}
		total++
		raw, err := os.ReadFile(e.Path)
		if err != nil {
			t.Fatal(err)
		}
		f := Source{URL: "https://example.org/" + filepath.Base(e.File), Format: e.Format}
		blocks, err := Read(context.Background(), e.Format, raw)
		if err != nil {
			t.Fatal(err)
		}
		var page *Page
		if e.Format == corpus.FormatHTML {
			p := ParsePage(raw, mustURL(t, f.URL), "hrsearch")
			page = &p
		}
		got, _ := Describe(f, page, blocks)
		got.ID = e.ID
		if got.Kind == e.Kind && got.Instrument == e.Instrument {
			agree++
		} else if !knownMiss[e.ID] {
			t.Errorf("%s: derived kind %q instrument %q title %q; catalog %q %q", e.ID, got.Kind, got.Instrument, got.Title, e.Kind, e.Instrument)
		}
		want, err := Passages(context.Background(), &e, raw)
		if err != nil {
			t.Fatal(err)
		}
		have, err := Passages(context.Background(), &got, raw)
		if err != nil {
			t.Fatal(err)
		}
		unitsOf := func(d *corpus.Document) []string {
			var u []string
			for _, p := range d.Passages {
				u = append(u, p.Unit)
			}
			return u
		}
		if slices.Equal(unitsOf(want), unitsOf(have)) {
			same++
		} else if !knownMiss[e.ID] {
			t.Errorf("%s: %d units from derived metadata, %d from the catalog's", e.ID, len(have.Passages), len(want.Passages))
		}
	}
	t.Logf("RESULT META treaty files: derived kind and instrument agree with the catalog for %d/%d, same units for %d/%d", agree, total, same, total)
}

// TestNameOf: an upload's bytes name it in every format: a Markdown "#"
// heading, a PDF's metadata title (else its first line), a plain text's
// first line; and its words give its language.
func TestNameOf(t *testing.T) {
	en := "The delegation visited three detention centres and met the detainees held there. " +
		"It found that the persons deprived of their liberty were not informed of their rights and that the conditions of detention were poor. " +
		"The report of the delegation was sent to the authorities, who were asked to reply within six months and to say which of its recommendations they would follow."
	es := "La delegación visitó tres centros de detención y se reunió con las personas que estaban detenidas allí. " +
		"Comprobó que las personas privadas de libertad no eran informadas de sus derechos y que las condiciones de la detención eran malas. " +
		"El informe de la delegación fue enviado a las autoridades, a las que se pidió que respondieran en un plazo de seis meses y que dijeran cuáles de sus recomendaciones iban a seguir. " +
		"El Estado parte explicó por escrito los motivos de la detención de los solicitantes de asilo y las medidas adoptadas por el personal con los detenidos del centro."
	for _, c := range []struct {
		name, format string
		raw          []byte
		title, lang  string
	}{
		{"markdown", corpus.FormatMarkdown, []byte("# Quixotl briefing on detention\n\n" + en + "\n"), "Quixotl briefing on detention", "en"},
		{"text", corpus.FormatText, []byte("Informe sobre la visita\n\n" + es + "\n"), "Informe sobre la visita", "es"},
		{"pdf metadata", corpus.FormatPDF, titledPDF("Quixotl annual report", append([]string{"Annual report of the visits"}, wrap(en)...)...), "Quixotl annual report", "en"},
		{"pdf first line", corpus.FormatPDF, minimalPDF(append([]string{"Informe anual de las visitas"}, wrap(unaccented(es))...)...), "Informe anual de las visitas", "es"},
	} {
		title, lang, err := NameOf(context.Background(), c.format, c.raw, "")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !strings.HasPrefix(title, c.title) || lang != c.lang {
			t.Errorf("%s: title %q, language %q; want %q, %q", c.name, title, lang, c.title, c.lang)
		}
	}
}

// wrap cuts text into lines of about 90 characters, as a PDF prints them.
func wrap(text string) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(text) {
		if n+len(w) > 90 && len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		cur = append(cur, w)
		n += len(w) + 1
	}
	return append(lines, strings.Join(cur, " "))
}

// unaccented writes Spanish in the ASCII a test PDF's standard font shows.
func unaccented(s string) string {
	return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n").Replace(s)
}
