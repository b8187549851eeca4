package corpus_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

// evalCase is a record of eval/extraction.jsonl.
type evalCase struct {
	Passage     string   `json:"passage"`
	Document    string   `json:"document"`
	Text        string   `json:"text"`
	Articles    []string `json:"articles"`
	States      []string `json:"states"`
	Instruments []string `json:"instruments"`
}

// prf counts true positives, false positives and false negatives.
type prf struct{ tp, fp, fn int }

func (c *prf) add(got, want []string) (missing, extra []string) {
	for _, w := range want {
		if slices.Contains(got, w) {
			c.tp++
		} else {
			c.fn++
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			c.fp++
			extra = append(extra, g)
		}
	}
	return missing, extra
}

func (c prf) f1() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	} else {
		p = 1
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	} else {
		r = 1
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

var fineSuffix = regexp.MustCompile(`\(.*\)$`)

// coarse drops sub-paragraphs: "ACHR 22(8)" → "ACHR 22".
func coarse(arts []string) []string {
	var out []string
	for _, a := range arts {
		out = append(out, fineSuffix.ReplaceAllString(a, ""))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestExtractionEval scores Extract against the shared evaluation set and
// fails if any micro-F1 falls below 0.95.
func TestExtractionEval(t *testing.T) {
	shared := corpustest.SharedDir(t)
	cat, err := corpus.ReadCatalogFile(filepath.Join(shared, "corpus", "catalog.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(shared, "eval", "extraction.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var arts, states, insts prf
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var ec evalCase
		if err := json.Unmarshal(sc.Bytes(), &ec); err != nil {
			t.Fatal(err)
		}
		e, ok := cat.Lookup(ec.Document)
		if !ok {
			t.Errorf("%s: document %s not in the catalog", ec.Passage, ec.Document)
			continue
		}
		n++
		got := corpus.Extract(ec.Text, corpus.ContextOf(e))
		for _, m := range []struct {
			name      string
			c         *prf
			got, want []string
		}{
			{"articles", &arts, coarse(got.Articles), coarse(ec.Articles)},
			{"states", &states, got.States, ec.States},
			{"instruments", &insts, got.Instruments, ec.Instruments},
		} {
			if missing, extra := m.c.add(m.got, m.want); len(missing)+len(extra) > 0 {
				t.Logf("%s %s: missing %v, extra %v", ec.Passage, m.name, missing, extra)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no evaluation records")
	}
	_, _, fa := arts.f1()
	_, _, fs := states.f1()
	_, _, fi := insts.f1()
	t.Logf("extraction micro-F1 articles=%.2f states=%.2f instruments=%.2f (%d passages)", fa, fs, fi, n)
	for name, f := range map[string]float64{"articles": fa, "states": fs, "instruments": fi} {
		if f < 0.95 {
			t.Errorf("micro-F1 %s = %.3f, want ≥ 0.95", name, f)
		}
	}
}
