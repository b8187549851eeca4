package library

import (
	"context"
	"slices"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestStatesCorrectionKeepsMentions: correcting a document's states sets
// them on every passage without erasing the states a passage's own text
// names.
func TestStatesCorrectionKeepsMentions(t *testing.T) {
	ctx := context.Background()
	_, l := openTestLibrary(t, t.TempDir())
	text := "A note\n\nThe author was removed to Switzerland after the hearing.\n\nThe remedy was found wanting."
	if _, _, err := l.Add(ctx, "alice", corpus.Entry{ID: "st", Kind: corpus.KindArticle, Language: "en"}, textUpload("st.txt", text)); err != nil {
		t.Fatal(err)
	}
	_, doc, err := l.Update(ctx, "alice", "st", Change{Overrides: &corpus.Entry{States: []string{"FR"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, p := range doc.Passages {
		got[p.Unit] = p.States
	}
	if want := []string{"CH", "FR"}; !slices.Equal(got["p-2"], want) {
		t.Errorf("the passage naming Switzerland has %v, want %v", got["p-2"], want)
	}
	if want := []string{"FR"}; !slices.Equal(got["p-3"], want) {
		t.Errorf("a passage naming no state has %v, want %v", got["p-3"], want)
	}
}
