package corpus

import (
	"strings"
	"testing"
)

// TestGazetteerShapes checks that the shape filter never rules out a
// phrase's first word, in any ASCII case, and does rule out common words.
func TestGazetteerShapes(t *testing.T) {
	g := extractor().gaz
	for key := range g.first {
		for _, w := range []string{key, strings.ToUpper(key), strings.ToUpper(key[:1]) + key[1:]} {
			if !g.mayOpen(w) {
				t.Errorf("mayOpen(%q) = false for a first word", w)
			}
		}
	}
	ruledOut := 0
	for _, w := range []string{"of", "and", "Committee", "paragraph", "complainant", "2004"} {
		if !g.mayOpen(w) {
			ruledOut++
		}
	}
	if ruledOut == 0 {
		t.Error("mayOpen rules out no common word")
	}
}
