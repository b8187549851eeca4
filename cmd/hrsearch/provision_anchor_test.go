package main

import (
	"context"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// TestProvisionAnchor: an article value naming a paragraph links to that
// paragraph's anchor in its article when the article has it, else to the
// article.
func TestProvisionAnchor(t *testing.T) {
	passages := map[string]*search.Passage{
		"ACHR 22":   {Document: "achr", Unit: "art-22", Text: "Derecho de circulación\n1. Uno.\n2. Dos.\n8. Ocho."},
		"IACPPT 13": {Document: "iacppt", Unit: "art-13", Text: "Primero.\nSegundo.\nTercero.\nCuarto."},
		"CAT 3":     {Document: "cat", Unit: "art-3", Text: "1. No State Party shall expel.\n2. For the purpose."},
	}
	find := func(_ context.Context, a string) (*search.Passage, error) {
		if p, ok := passages[a]; ok {
			return p, nil
		}
		return nil, corpus.ErrNotFound
	}
	for _, c := range []struct{ in, doc, unit string }{
		{"ACHR 22(8)", "achr", "art-22-8"},
		{"IACPPT 13(4)", "iacppt", "art-13-4"},
		{"CAT 3", "cat", "art-3"},
		{"CAT 3(7)", "cat", "art-3"},
		{"ACHR 22", "achr", "art-22"},
	} {
		doc, unit, ok := provisionAnchor(context.Background(), find, c.in)
		if !ok || doc != c.doc || unit != c.unit {
			t.Errorf("%s: %s#%s %v, want %s#%s", c.in, doc, unit, ok, c.doc, c.unit)
		}
	}
	if _, _, ok := provisionAnchor(context.Background(), find, "ICCPR 7(1)"); ok {
		t.Error("a provision the library lacks was found")
	}
}
