package reader

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

// readCorpus reads and segments every document of the demo catalog.
func readCorpus(t *testing.T) (*corpus.Catalog, map[string][]corpus.Passage) {
	t.Helper()
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) > 0 {
		t.Fatalf("catalog errors: %v", cat.Errors)
	}
	ctx := context.Background()
	docs := make(map[string][]corpus.Passage, len(cat.Entries))
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan *corpus.Entry)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				raw, err := os.ReadFile(e.Path)
				if err != nil {
					t.Errorf("%s: %v", e.ID, err)
					continue
				}
				blocks, err := Read(ctx, e.Format, raw)
				if err != nil {
					t.Errorf("%s: %v", e.ID, err)
					continue
				}
				ps := corpus.Segment(e, blocks)
				mu.Lock()
				docs[e.ID] = ps
				mu.Unlock()
			}
		}()
	}
	for i := range cat.Entries {
		work <- &cat.Entries[i]
	}
	close(work)
	wg.Wait()
	return cat, docs
}

// TestCorpusPassages checks segmentation against the shared demo corpus:
// unit counts of the treaties, ids the evaluation and the docs rely on, and
// the absence of page furniture.
func TestCorpusPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole demo corpus")
	}
	corpustest.WithoutPdftotext(t)
	cat, docs := readCorpus(t)

	ids := make(map[string]bool)
	for id, ps := range docs {
		if len(ps) == 0 {
			t.Errorf("%s: no passages", id)
		}
		for i, p := range ps {
			if ids[p.ID] {
				t.Errorf("duplicate passage id %s", p.ID)
			}
			ids[p.ID] = true
			if p.Document != id || p.Order != i || p.ID != id+"#"+p.Unit || strings.TrimSpace(p.Text) == "" || p.Language == "" {
				t.Errorf("malformed passage %s: order %d, language %q, %d bytes", p.ID, p.Order, p.Language, len(p.Text))
			}
		}
	}

	t.Run("unit counts", func(t *testing.T) {
		want := map[string]map[string]int{
			"cat":                  {"art": 33, "nl-art": 33},
			"iccpr":                {"art": 53, "op1-art": 14, "nl-art": 53},
			"iccpr-es":             {"art": 53},
			"achr":                 {"art": 82},
			"iacppt":               {"art": 24},
			"nelson-mandela-rules": {"rule": 122},
			"udhr":                 {"art": 30},
			"udhr-es":              {"art": 30},
			"echr":                 {"art": 59, "nl-art": 59},
			"refugee-convention":   {"art": 46, "nl-art": 46},
			"opcat":                {"art": 37, "nl-art": 37},
		}
		unitRe := regexp.MustCompile(`^((?:[a-z]{2}-)?(?:op\d-)?(?:art|rule))-\d+$`)
		for doc, kinds := range want {
			got := map[string]int{}
			for _, p := range docs[doc] {
				if m := unitRe.FindStringSubmatch(p.Unit); m != nil {
					got[m[1]]++
				}
			}
			for kind, n := range kinds {
				if got[kind] != n {
					t.Errorf("%s: %d %s-N units, want %d", doc, got[kind], kind, n)
				}
			}
		}
	})

	t.Run("known ids", func(t *testing.T) {
		known := []string{
			"cat#art-3", "achr#art-22", "nelson-mandela-rules#rule-58", "udhr#preamble",
			"cat-gc4#para-9", "cat-c-34-d-233-2003#para-13.4", "cat-c-54-d-542-2013#para-OP1-1",
			"cat-c-13-d-15-1994#para-12.6", "people-as-products-2025#p-10", "iccpr#op1-art-1",
			"cat#nl-art-3", "udhr-es#preamble", "iccpr-es#art-14",
		}
		for _, id := range known {
			if !ids[id] {
				t.Errorf("missing passage %s", id)
			}
		}
		checkPassage(t, docs, "iccpr#op1-art-1", func(p corpus.Passage) bool { return p.Instrument == "ICCPR-OP1" })
		checkPassage(t, docs, "cat#nl-art-3", func(p corpus.Passage) bool { return p.Language == "nl" && p.Heading == "Artikel 3" })
		checkPassage(t, docs, "cat#art-3", func(p corpus.Passage) bool { return p.Instrument == "CAT" && p.Heading == "Article 3" })
	})

	t.Run("qrels ids", func(t *testing.T) {
		f, err := os.Open(filepath.Join(corpustest.SharedDir(t), "eval", "qrels.txt"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 {
				continue
			}
			n++
			if !ids[fields[2]] {
				t.Errorf("qrels passage %s does not exist", fields[2])
			}
		}
		if n == 0 {
			t.Error("no qrels read")
		}
	})

	t.Run("paragraph numbers", func(t *testing.T) {
		// A paragraph whose text opens with its number is para-X, never p-N.
		opens := regexp.MustCompile(`^\d{1,3}(?:\.\d{1,3})*\.?\s+[A-Z]`)
		month := regexp.MustCompile(`^\d+\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)`)
		for _, e := range cat.Entries {
			if e.Format != corpus.FormatParagraphJSON {
				continue
			}
			for _, p := range docs[e.ID] {
				if strings.HasPrefix(p.Unit, "p-") && opens.MatchString(p.Text) && !month.MatchString(p.Text) {
					t.Errorf("%s: numbered text not recovered: %.40q", p.ID, p.Text)
				}
				if strings.Contains(p.Text, "[[fn:") {
					t.Errorf("%s: footnote marker left in text", p.ID)
				}
			}
		}
	})

	t.Run("paragraph anchors", func(t *testing.T) {
		// In the PDF-read instruments, a paragraph number never hides
		// inside a paragraph ("… humano. 2." or ". 3. El …"): every
		// numbered paragraph of an article opens a line and has its anchor.
		inner := regexp.MustCompile(`[.;:]\s+(\d{1,2})[.)](?:\s+\p{Lu}|$)`)
		bad := 0
		for _, d := range []string{"achr", "iacppt", "iccpr-es", "nelson-mandela-rules"} {
			for _, p := range docs[d] {
				if !strings.HasPrefix(p.Unit, "art-") && !strings.HasPrefix(p.Unit, "rule-") {
					continue // a preamble's numbered paragraphs are the resolution's
				}
				lines := strings.Split(p.Text, "\n")
				anchors := corpus.ParagraphAnchors(p.Unit, lines)
				has := map[string]bool{}
				for _, a := range anchors {
					has[a] = true
				}
				for _, l := range lines {
					for _, m := range inner.FindAllStringSubmatch(l, -1) {
						if !has[p.Unit+"-"+m[1]] {
							bad++
							t.Errorf("%s: paragraph %s inside a line: %.60q", p.ID, m[1], l)
						}
					}
				}
			}
		}
		t.Logf("numbered paragraphs inside a line, not anchored: %d", bad)
		for id, n := range map[string]int{"iacppt#art-13": 4, "achr#art-22": 9} {
			checkPassage(t, docs, id, func(p corpus.Passage) bool {
				got := 0
				for _, a := range corpus.ParagraphAnchors(p.Unit, strings.Split(p.Text, "\n")) {
					if a != "" {
						got++
					}
				}
				return got == n
			})
		}
	})

	t.Run("no furniture", func(t *testing.T) {
		bad := []struct {
			docs []string
			re   *regexp.Regexp
		}{
			{[]string{"nelson-mandela-rules"}, regexp.MustCompile(`(?:[Rr]esolution )?\b\d{1,2}/33\b|A/RES/70/175|Please recycle`)},
			{[]string{"iccpr-es", "iacppt"}, regexp.MustCompile(`\d{1,2}/\d{1,2}/23, \d{1,2}:\d{2}|https?://|www\.|\b\d{1,2}/(?:31|5)\b`)},
			{[]string{"iccpr-es"}, regexp.MustCompile(`Bienvenidos a las Naciones Unidas|Redes sociales|Etiquetas|Descargar|Recursos\s+Español|Contáctenos`)},
			{[]string{"iacppt"}, regexp.MustCompile(`Estado de Firmas y Ratificaciones|\[English\]`)},
			{[]string{"achr"}, regexp.MustCompile(`te- ?\n?rritorio|\b[a-záéíóúñ]+-\s+[a-záéíóúñ]+`)},
		}
		for _, b := range bad {
			for _, d := range b.docs {
				for _, p := range docs[d] {
					for _, m := range b.re.FindAllString(p.Text, -1) {
						if !strings.HasPrefix(strings.ToLower(m), "resolution ") { // "resolution 40/33" is a citation
							t.Errorf("%s contains furniture %q", p.ID, m)
						}
					}
				}
			}
		}
		for id, ps := range docs {
			for _, p := range ps {
				if strings.Contains(p.Text, "Sign up to receive") || strings.Contains(p.Text, "Print Friendly") {
					t.Errorf("%s contains the newsletter footer", id)
				}
			}
		}
		found := false
		for _, p := range docs["achr"] {
			found = found || strings.Contains(p.Text, "territorio")
		}
		if !found {
			t.Error(`no ACHR passage contains "territorio"`)
		}
	})
}

func checkPassage(t *testing.T, docs map[string][]corpus.Passage, id string, ok func(corpus.Passage) bool) {
	t.Helper()
	doc, _, _ := strings.Cut(id, "#")
	for _, p := range docs[doc] {
		if p.ID == id {
			if !ok(p) {
				t.Errorf("%s: unexpected fields: heading %q, language %q, instrument %q", id, p.Heading, p.Language, p.Instrument)
			}
			return
		}
	}
	t.Errorf("missing passage %s", id)
}
