package corpus_test

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

var caseSample = flag.Int("case.sample", 0, "print the case metadata of N random decisions of catalog-full (TestCaseSample)")

// decisionsOf reads the decisions of a shared catalog as documents whose
// passages hold the paragraphs' text (paragraph JSON only).
func decisionsOf(t *testing.T, catalog string) []corpus.Document {
	t.Helper()
	f, err := os.Open(catalog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpus.Document
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var e corpus.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind != corpus.KindDecision || e.Format != corpus.FormatParagraphJSON {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(filepath.Dir(catalog), e.File))
		if err != nil {
			t.Fatal(err)
		}
		var paras []struct{ Text string }
		if err := json.Unmarshal(raw, &paras); err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		doc := corpus.Document{Entry: e}
		for i, p := range paras {
			doc.Passages = append(doc.Passages, corpus.Passage{Order: i, Text: p.Text})
		}
		out = append(out, doc)
	}
	return out
}

// TestCaseDevSet scores DeriveCase on eval/cases.jsonl against the targets
// of issue 16: name, party, communication and year at least 0.95, outcome
// at least 0.90.
func TestCaseDevSet(t *testing.T) {
	shared := corpustest.SharedDir(t)
	f, err := os.Open(filepath.Join(shared, "eval", "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gold, err := corpus.ReadGoldCases(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, g := range gold {
		want[g.ID] = true
	}
	got := map[string]corpus.ExtractedCase{}
	for _, d := range decisionsOf(t, filepath.Join(shared, "corpus", "catalog.jsonl")) {
		if !want[d.ID] {
			continue
		}
		corpus.DeriveCase(&d)
		got[d.ID] = corpus.ExtractedCase{Case: d.Case, Year: d.YearOf()}
	}
	targets := map[string]float64{"name": 0.95, "party": 0.95, "communication": 0.95, "year": 0.95, "outcome": 0.90}
	for _, s := range corpus.ScoreCases(gold, got) {
		t.Logf("%-13s %.3f  %v", s.Field, s.Accuracy(), s.Mistakes)
		if min, ok := targets[s.Field]; ok && s.Accuracy() < min {
			t.Errorf("%s: accuracy %.3f, want ≥ %.2f: %v", s.Field, s.Accuracy(), min, s.Mistakes)
		}
	}
}

// TestSessionYearAgreesWithDatedDecisions checks the session table against
// the decisions of the full catalog that state their adoption date: the
// session's year is the adoption's year.
func TestSessionYearAgreesWithDatedDecisions(t *testing.T) {
	shared := corpustest.SharedDir(t)
	checked, wrong := 0, 0
	for _, d := range decisionsOf(t, filepath.Join(shared, "corpus", "catalog-full.jsonl")) {
		sym, err := corpus.ParseSymbol(d.Symbol)
		if err != nil || sym.Session == 0 {
			continue
		}
		y := corpus.SessionYear(sym.Committee, sym.Session)
		if y == 0 {
			continue
		}
		corpus.DeriveCase(&d)
		if d.Case == nil || d.Case.Adopted == "" {
			continue
		}
		checked++
		if fmt.Sprint(y) != d.Case.Adopted[:4] {
			wrong++
			t.Logf("%s: session %d in %d by the table, adopted %s", d.Symbol, sym.Session, y, d.Case.Adopted)
		}
	}
	t.Logf("%d dated decisions checked, %d disagree", checked, wrong)
	// A few texts misprint a date or state an earlier one (an
	// admissibility decision's): the table holds if nearly all agree.
	if wrong*50 > checked {
		t.Errorf("%d of %d dated decisions disagree with the session table", wrong, checked)
	}
	if checked < 50 {
		t.Errorf("only %d dated decisions: the check says little", checked)
	}
}

// TestCaseSample prints the case metadata of random decisions of the full
// catalog with their opening and closing words, for reading by eye:
// go test ./corpus -run TestCaseSample -case.sample 20 -v
func TestCaseSample(t *testing.T) {
	if *caseSample == 0 {
		t.Skip("-case.sample N prints N decisions")
	}
	docs := decisionsOf(t, filepath.Join(corpustest.SharedDir(t), "corpus", "catalog-full.jsonl"))
	r := rand.New(rand.NewSource(int64(*caseSample)))
	for range *caseSample {
		d := docs[r.Intn(len(docs))]
		corpus.DeriveCase(&d)
		b, _ := json.Marshal(d.Case)
		first, last := "", ""
		if n := len(d.Passages); n > 0 {
			first = clip(d.Passages[0].Text, 300)
			last = clip(d.Passages[n-1].Text, 400)
			if n > 1 {
				last = clip(d.Passages[n-2].Text, 300) + " ‖ " + last
			}
		}
		t.Logf("\n%s kind=%s year=%d\n  %s\n  FIRST %s\n  LAST %s", d.Symbol, d.Kind, d.YearOf(), b, first, last)
	}
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
