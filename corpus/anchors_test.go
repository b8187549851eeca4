package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func TestParagraphAnchors(t *testing.T) {
	for _, c := range []struct {
		unit, text string
		want       []string
	}{
		{"art-5", "Derecho a la integridad personal\n1. Toda persona.\n2. Nadie.", []string{"", "art-5-1", "art-5-2"}},
		{"art-8", "1. Uno.\n2. Dos.\n3.\na) Item;\nb) Item.", []string{"art-8-1", "art-8-2", "art-8-3", "", ""}},
		{"art-6", "Primer párrafo.\nSegundo párrafo.\nTercero.", []string{"art-6-1", "art-6-2", "art-6-3"}},
		{"art-3", "Derecho al reconocimiento\nToda persona tiene derecho.", []string{"", ""}},
		{"art-9", "Principio de legalidad\nNadie puede ser condenado.\nTampoco se puede imponer pena.", []string{"", "art-9-1", "art-9-2"}},
		{"rule-4", "Se aplican:\n(a) uno;\n(b) dos.", []string{"", "", ""}},
		{"para-2.1", "First.\nSecond.", []string{"", ""}},
		{"nl-art-2", "Eerste lid.\nTweede lid.", []string{"nl-art-2-1", "nl-art-2-2"}},
	} {
		if got := ParagraphAnchors(c.unit, strings.Split(c.text, "\n")); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q, want %q", c.unit, got, c.want)
		}
	}
	if a, ok := ParagraphAnchor("art-22", "Derecho de circulación\n1. Uno.\n8. Ocho.", "8"); !ok || a != "art-22-8" {
		t.Errorf("ParagraphAnchor 8 = %q, %v", a, ok)
	}
	if _, ok := ParagraphAnchor("art-22", "1. Uno.\n2. Dos.", "8"); ok {
		t.Error("ParagraphAnchor found a paragraph the text lacks")
	}
}
