package schema

import (
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
