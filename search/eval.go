package search

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Topic is one evaluation query.
type Topic struct {
	ID, Query string
}

// Qrels maps a topic id to its judged passages and their grades.
type Qrels map[string]map[string]int

// ReadTopics reads "id<TAB>query" lines.
func ReadTopics(r io.Reader) ([]Topic, error) {
	var out []Topic
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, q, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("topics line %d: want id<TAB>query", n)
		}
		out = append(out, Topic{ID: strings.TrimSpace(id), Query: strings.TrimSpace(q)})
	}
	return out, sc.Err()
}

// ReadQrels reads TREC qrels: "qid 0 passage-id grade".
func ReadQrels(r io.Reader) (Qrels, error) {
	q := Qrels{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("qrels line %d: want 4 fields", n)
		}
		g, err := strconv.Atoi(f[3])
		if err != nil {
			return nil, fmt.Errorf("qrels line %d: grade: %w", n, err)
		}
		if q[f[0]] == nil {
			q[f[0]] = map[string]int{}
		}
		q[f[0]][f[2]] = g
	}
	return q, sc.Err()
}

// Scores are the evaluation measures of one ranking (or their mean).
type Scores struct {
	NDCG, MRR, Recall float64
}

// Evaluate scores a ranking against judgments at depth k: nDCG with gain
// 2^grade−1 and log2 discount, the ideal from the judged grades; MRR of the
// first passage of grade ≥ 2; recall of the passages of grade ≥ 2.
func Evaluate(ranked []string, judged map[string]int, k int) Scores {
	// A passage counts once, at its first rank.
	seen := make(map[string]bool, len(ranked))
	uniq := ranked[:0:0]
	for _, id := range ranked {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	ranked = uniq
	if len(ranked) > k {
		ranked = ranked[:k]
	}
	var dcg float64
	var s Scores
	found := 0
	for i, id := range ranked {
		g := judged[id]
		dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i)+2)
		if g >= 2 {
			if s.MRR == 0 {
				s.MRR = 1 / float64(i+1)
			}
			found++
		}
	}
	var grades []int
	relevant := 0
	for _, g := range judged {
		grades = append(grades, g)
		if g >= 2 {
			relevant++
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	var idcg float64
	for i := 0; i < len(grades) && i < k; i++ {
		idcg += (math.Pow(2, float64(grades[i])) - 1) / math.Log2(float64(i)+2)
	}
	if idcg > 0 {
		s.NDCG = dcg / idcg
	}
	if relevant > 0 {
		s.Recall = float64(found) / float64(relevant)
	}
	return s
}
