package search_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/search"
)

func TestEvaluate(t *testing.T) {
	log2 := math.Log2
	tests := []struct {
		name   string
		ranked []string
		judged map[string]int
		k      int
		want   search.Scores
	}{
		{
			// DCG = 7/1 + 0 + 3/log2(4); ideal = 7/1 + 3/log2(3) + 1/log2(4).
			name:   "relevant first",
			ranked: []string{"a", "b", "c"},
			judged: map[string]int{"a": 3, "c": 2, "d": 1},
			k:      10,
			want:   search.Scores{NDCG: (7 + 3/2.0) / (7 + 3/log2(3) + 1/2.0), MRR: 1, Recall: 1},
		},
		{
			name:   "relevant third",
			ranked: []string{"x", "y", "c"},
			judged: map[string]int{"a": 3, "c": 2},
			k:      10,
			want:   search.Scores{NDCG: (3 / 2.0) / (7 + 3/log2(3)), MRR: 1.0 / 3, Recall: 0.5},
		},
		{
			name:   "perfect",
			ranked: []string{"a", "b", "c", "x"},
			judged: map[string]int{"a": 3, "b": 2, "c": 1},
			k:      10,
			want:   search.Scores{NDCG: 1, MRR: 1, Recall: 1},
		},
		{
			// Swapping grades 3 and 2: DCG = 3 + 7/log2(3), ideal = 7 + 3/log2(3).
			name:   "swapped",
			ranked: []string{"b", "a"},
			judged: map[string]int{"a": 3, "b": 2},
			k:      10,
			want:   search.Scores{NDCG: (3 + 7/log2(3)) / (7 + 3/log2(3)), MRR: 1, Recall: 1},
		},
		{
			name:   "cut at k",
			ranked: []string{"x", "y", "a"},
			judged: map[string]int{"a": 3},
			k:      2,
			want:   search.Scores{},
		},
		{
			// The ideal ranking is cut at k too: two grade-3 passages, k = 1.
			name:   "ideal cut at k",
			ranked: []string{"a", "b"},
			judged: map[string]int{"a": 3, "b": 3},
			k:      1,
			want:   search.Scores{NDCG: 1, MRR: 1, Recall: 0.5},
		},
		{
			// Grade 1 counts for nDCG, not for MRR and recall.
			name:   "only useful",
			ranked: []string{"x", "u"},
			judged: map[string]int{"u": 1},
			k:      10,
			want:   search.Scores{NDCG: (1 / log2(3)) / 1, MRR: 0, Recall: 0},
		},
		{
			name:   "grade zero is not relevant",
			ranked: []string{"z", "a"},
			judged: map[string]int{"z": 0, "a": 2},
			k:      10,
			want:   search.Scores{NDCG: (3 / log2(3)) / 3, MRR: 0.5, Recall: 1},
		},
		{name: "empty ranking", ranked: nil, judged: map[string]int{"a": 3}, k: 10, want: search.Scores{}},
		{name: "no judgments", ranked: []string{"a", "b"}, judged: nil, k: 10, want: search.Scores{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search.Evaluate(tt.ranked, tt.judged, tt.k)
			if !near(got.NDCG, tt.want.NDCG) || !near(got.MRR, tt.want.MRR) || !near(got.Recall, tt.want.Recall) {
				t.Errorf("Evaluate(%v, %v, %d) = %+v, want %+v", tt.ranked, tt.judged, tt.k, got, tt.want)
			}
		})
	}
}

// TestEvaluateBounds: every score lies in [0, 1], even for a ranking that
// lists a passage twice (a run file with a duplicate line).
func TestEvaluateBounds(t *testing.T) {
	judged := map[string]int{"a": 3, "b": 2}
	for _, ranked := range [][]string{
		{"a", "b"},
		{"a", "a"},
		{"b", "b", "a", "a"},
	} {
		s := search.Evaluate(ranked, judged, 10)
		for name, v := range map[string]float64{"nDCG": s.NDCG, "MRR": s.MRR, "Recall": s.Recall} {
			if v < 0 || v > 1+1e-9 || math.IsNaN(v) {
				t.Errorf("Evaluate(%v): %s = %v, want in [0, 1]", ranked, name, v)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestReadTopics(t *testing.T) {
	in := "# comment\n\nd01\tnon-refoulement\n d02 \t family visits \n"
	got, err := search.ReadTopics(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []search.Topic{{ID: "d01", Query: "non-refoulement"}, {ID: "d02", Query: "family visits"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ReadTopics = %+v, want %+v", got, want)
	}

	for _, bad := range []string{
		"d01 non-refoulement\n",     // spaces, no tab
		"d01\tok\nd02\n",            // second line
		"d01\tok\n" + "d02 query\n", // second line, spaces
	} {
		if _, err := search.ReadTopics(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadTopics(%q): no error", bad)
		} else if !strings.Contains(err.Error(), "line") {
			t.Errorf("ReadTopics(%q) = %v, want the line number", bad, err)
		}
	}
}

func TestReadQrels(t *testing.T) {
	in := "d01 0 cat#art-3 3\n\nd01 0 cat-gc4#para-9 2\nd02 0 nelson-mandela-rules#rule-58 3\n"
	got, err := search.ReadQrels(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got["d01"]["cat#art-3"] != 3 || got["d01"]["cat-gc4#para-9"] != 2 || got["d02"]["nelson-mandela-rules#rule-58"] != 3 {
		t.Errorf("ReadQrels = %v", got)
	}
	if len(got) != 2 || len(got["d01"]) != 2 {
		t.Errorf("ReadQrels = %v, want 2 topics, 2 judgments for d01", got)
	}

	for _, bad := range []string{
		"d01 0 cat#art-3\n",         // 3 fields
		"d01 0 cat#art-3 3 extra\n", // 5 fields
		"d01 0 cat#art-3 high\n",    // grade not a number
		"d01 0 a 1\nd01 0 b 2.5\n",  // second line
	} {
		if _, err := search.ReadQrels(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadQrels(%q): no error", bad)
		} else if !strings.Contains(err.Error(), "line") {
			t.Errorf("ReadQrels(%q) = %v, want the line number", bad, err)
		}
	}
}
