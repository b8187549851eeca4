package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMappingGolden(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("mapping does not validate: %v", err)
	}
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "mapping.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./indexer -run TestMappingGolden -update)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Errorf("mapping differs from %s; if intended, bump PipelineVersion and run with -update", golden)
	}
}

func TestFoldKeepsOffsets(t *testing.T) {
	m, _ := NewMapping()
	for _, tc := range []struct {
		analyzer, in string
		want         []string
	}{
		{AnalyzerSpanish, "detención", []string{"detencion"}},
		{AnalyzerFolded, "Ærø Straße", []string{"aero", "strasse"}},
		{AnalyzerEnglish, "non-refoulement", []string{"non", "refoul", "=refoulement"}},
	} {
		toks := m.AnalyzerNamed(tc.analyzer).Analyze([]byte(tc.in))
		var got []string
		for _, tok := range toks {
			got = append(got, string(tok.Term))
			if tok.End > len(tc.in) || tc.in[tok.Start:tok.End] == "" {
				t.Errorf("%s: token %q has offsets %d..%d outside %q", tc.analyzer, tok.Term, tok.Start, tok.End, tc.in)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s(%q) = %v, want %v", tc.analyzer, tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s(%q) = %v, want %v", tc.analyzer, tc.in, got, tc.want)
			}
		}
	}
	// The token of "detención" spans the whole original word, and so does
	// its form as written beside its stem.
	for _, in := range []string{"la detención", "la detenciones"} {
		toks := m.AnalyzerNamed(AnalyzerSpanish).Analyze([]byte(in))
		if len(toks) < 2 {
			t.Fatalf("%q: tokens %+v", in, toks)
		}
		for _, tok := range toks[1:] {
			if tok.Start != 3 || tok.End != len(in) {
				t.Errorf("%q: offsets shifted: %+v", in, toks)
			}
		}
	}
}

func TestOwnArticle(t *testing.T) {
	for _, tc := range []struct {
		instrument, unit, want string
	}{
		{"CAT", "art-3", "CAT 3"},
		{"CAT", "nl-art-3", "CAT 3"},
		{"ICCPR-OP1", "op1-art-1", "ICCPR-OP1 1"},
		{"SMR", "rule-58", "SMR 58"},
		{"CSR", "art-1-2", "CSR 1"},
		{"CAT", "preamble", ""},
		{"", "art-3", ""},
		{"CAT", "para-3", ""},
	} {
		p := &corpus.Passage{Instrument: tc.instrument, Unit: tc.unit}
		if got := OwnArticle(p); got != tc.want {
			t.Errorf("OwnArticle(%s, %s) = %q, want %q", tc.instrument, tc.unit, got, tc.want)
		}
	}
}

// TestLongTokensAreDropped: a token longer than maxTokenRunes (a hex dump,
// a run of one letter) is neither indexed nor searched, in every analyzer;
// the words around it are.
func TestLongTokensAreDropped(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	text := "torture " + strings.Repeat("a", maxTokenRunes+1) + " " + strings.Repeat("é", maxTokenRunes) + " " +
		strings.Repeat("0f", 1<<19) + " detention"
	for _, name := range []string{AnalyzerEnglish, AnalyzerSpanish, AnalyzerFolded} {
		var got []string
		for _, tok := range m.AnalyzerNamed(name).Analyze([]byte(text)) {
			if tok.Term[0] != ExactMark { // the word as written, beside its stem
				got = append(got, string(tok.Term))
			}
		}
		if len(got) != 3 || len(got[1]) < maxTokenRunes-2 || strings.Trim(got[1], "e") != "" { // é folds to e; a stemmer may cut one
			var lens []int
			for _, g := range got {
				lens = append(lens, len(g))
			}
			t.Errorf("%s: %d tokens of lengths %v, want the two words and the %d-rune token", name, len(got), lens, maxTokenRunes)
		}
	}
}
