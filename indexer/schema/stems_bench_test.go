package schema

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkAnalyzeEnglish: the index's English analysis of a paragraph of
// legal prose (a sentence of our own, repeated).
func BenchmarkAnalyzeEnglish(b *testing.B) {
	m, err := NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	text := []byte(strings.Repeat("The Committee considers that the complainant's removal to the requesting State would not constitute a violation of the obligations under article 3, given the assurances provided by its authorities. ", 8))
	// The index's analysis, and the plain words' (stop words dropped, no
	// written forms): what the index did before.
	for _, name := range []string{AnalyzerEnglish, analyzerEnglishWords} {
		a := m.AnalyzerNamed(name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				a.Analyze(text)
			}
		})
	}
}

// BenchmarkAnalyzeVocabulary: the index's English analysis on both cores
// of text drawn from a vocabulary as large as the demo catalog's (about
// 60,000 words, a few common ones most of the time), where looking a word's
// reading up costs what the import pays, not what a hot cache does.
func BenchmarkAnalyzeVocabulary(b *testing.B) {
	m, err := NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	a := m.AnalyzerNamed(AnalyzerEnglish)
	syllables := []string{"ra", "to", "ne", "mi", "co", "ser", "tal", "pen", "dor", "gu", "li", "var", "ex", "qua", "sim"}
	suffixes := []string{"", "s", "ed", "ing", "ation", "ly", "ment", "ness"}
	stop := []string{"the", "of", "and", "to", "in", "a", "not", "that", "by", "which"}
	vocab := make([]string, 0, 60000)
	for i := 0; len(vocab) < cap(vocab); i++ {
		w := syllables[i%15] + syllables[i/15%15] + syllables[i/225%15] + syllables[i/3375%15]
		vocab = append(vocab, w+suffixes[i%len(suffixes)])
	}
	// Zipf-like: the i-th text word is word r of the vocabulary with r
	// skewed towards the front; every third word a stop word.
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 4, uint64(len(vocab)-1))
	texts := make([][]byte, 256)
	for i := range texts {
		var sb strings.Builder
		for j := range 150 {
			if j%3 == 0 {
				sb.WriteString(stop[rng.IntN(len(stop))])
			} else {
				sb.WriteString(vocab[zipf.Uint64()])
			}
			sb.WriteByte(' ')
		}
		texts[i] = []byte(sb.String())
	}
	b.SetBytes(int64(len(texts[0])))
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			a.Analyze(texts[i%len(texts)])
		}
	})
}
