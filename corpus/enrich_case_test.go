package corpus_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestEnrichWithCaseSame checks that EnrichWithCase, which hands DeriveCase
// the references Enrich found, gives every document of the demo catalog's
// paragraph files the passages and case of Enrich then DeriveCase.
func TestEnrichWithCaseSame(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the demo corpus")
	}
	docs, _, _ := benchDocuments(t)
	decisions := 0
	for _, d := range docs {
		if d.Kind == corpus.KindDecision {
			decisions++
		}
		apart, together := d, d
		apart.Passages = slices.Clone(d.Passages)
		together.Passages = slices.Clone(d.Passages)
		corpus.Enrich(&apart)
		corpus.DeriveCase(&apart)
		corpus.EnrichWithCase(&together)
		if !reflect.DeepEqual(apart, together) {
			t.Errorf("%s: EnrichWithCase differs from Enrich then DeriveCase", d.ID)
		}
	}
	if decisions == 0 {
		t.Fatal("no decision in the demo catalog's paragraph files")
	}
}
