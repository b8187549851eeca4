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
