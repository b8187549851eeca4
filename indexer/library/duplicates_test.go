package library

import (
	"context"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/indexertest"
)

// Fixtures written for this test: an essay, a machine-style rewording of
// it (synonyms swapped, a sentence moved, paragraphs split differently),
// and another essay on the same subject.
const (
	essay = `Detention without review

When a person is held in custody for months without seeing a judge, every other safeguard weakens. Lawyers cannot challenge the grounds of arrest, families do not know where their relatives are kept, and officials face little pressure to justify the measure.

The practice is common in places where emergency laws have become permanent. Such laws often allow the police to keep suspects for long periods on the basis of vague accusations, and the courts rarely ask for evidence.

International bodies have repeatedly said that prompt judicial review is the first protection against ill-treatment. A detainee brought before a judge within a few days can complain of abuse, ask for a doctor and contact a lawyer of their choice.

Reform therefore starts with a simple rule: nobody should disappear into a cell without a record, a hearing and a way to reach the outside world.`

	reworded = `Detention lacking review

Whenever a person is held in custody for months without seeing a judge, every other safeguard weakens. Lawyers are unable to challenge the grounds of arrest, families do not know where their relatives are kept, and officials face little pressure to justify the measure.

The practice is widespread in places where emergency laws have become permanent.

Such laws frequently allow the police to keep suspects for long periods on the basis of vague accusations, and the courts seldom ask for evidence. International bodies have repeatedly stated that prompt judicial review is the first protection against ill-treatment.

A detainee brought before a judge within a few days can complain of abuse, request a doctor and contact a lawyer of their choosing. Reform therefore begins with a simple rule: nobody should vanish into a cell without a record, a hearing and a way to reach the outside world.`

	other = `Access to a lawyer in police custody

The right to consult a lawyer from the first hour of questioning is recognised in many national codes, yet it is often denied in practice. Officers delay the call, tell suspects that counsel is unnecessary, or hold interviews at night when no duty lawyer is available.

Statements obtained in these conditions are then used at trial, although the accused had no advice about the right to remain silent. Appeal courts seldom exclude them.

Effective access requires written notice of rights in a language the suspect understands, a free lawyer for those who cannot pay, and recordings of every interview, so that judges can see how a confession was made.`
)

// TestDuplicates: the same bytes are an exact duplicate; a reworded and
// re-paginated copy is a near-duplicate of the original, on both sides,
// with a similarity figure; an essay on the same subject is not.
func TestDuplicates(t *testing.T) {
	ctx := context.Background()
	_, l := openTestLibrary(t, t.TempDir())
	add := func(id, text string) *corpus.Document {
		t.Helper()
		_, doc, err := l.Add(ctx, "alice", corpus.Entry{ID: id, Kind: corpus.KindArticle, Language: "en"}, textUpload(id+".txt", text))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	add("essay", essay)
	add("other", other)

	e := corpus.Entry{ID: "copy", Kind: corpus.KindArticle, Language: "en"}
	doc, err := l.Preview(ctx, &e, textUpload("copy.txt", essay))
	if err != nil {
		t.Fatal(err)
	}
	exact, _, err := l.Duplicates("copy", []byte(essay), doc)
	if err != nil || len(exact) != 1 || exact[0] != "essay" {
		t.Errorf("exact duplicates of the essay's bytes: %v %v", exact, err)
	}

	e = corpus.Entry{ID: "reworded", Kind: corpus.KindArticle, Language: "en"}
	doc, err = l.Preview(ctx, &e, textUpload("reworded.txt", reworded))
	if err != nil {
		t.Fatal(err)
	}
	exact, near, err := l.Duplicates("reworded", []byte(reworded), doc)
	if err != nil || len(exact) != 0 || len(near) != 1 || near[0].ID != "essay" {
		t.Fatalf("duplicates of the reworded essay: exact %v, near %+v, %v", exact, near, err)
	}
	t.Logf("reworded vs essay: similarity %.2f", near[0].Similarity)
	add("reworded", reworded)
	if near, err := l.NearDuplicates("essay"); err != nil || len(near) != 1 || near[0].ID != "reworded" || near[0].Similarity < NearThreshold {
		t.Errorf("the essay's near-duplicates: %+v %v", near, err)
	}
	if near, err := l.NearDuplicates("other"); err != nil || len(near) != 0 {
		t.Errorf("the other essay's near-duplicates: %+v %v", near, err)
	}
	a, _ := SignatureOf(&corpus.Document{Passages: []corpus.Passage{{Text: essay}}})
	b, _ := SignatureOf(&corpus.Document{Passages: []corpus.Passage{{Text: other}}})
	c, _ := SignatureOf(&corpus.Document{Passages: []corpus.Passage{{Text: strings.ReplaceAll(essay, "\n\n", " ")}}})
	t.Logf("essay vs other: %.2f; essay vs itself re-paginated: %.2f", a.Similarity(&b), a.Similarity(&c))
	if a.Similarity(&c) != 1 {
		t.Errorf("re-paginating changed the signature: %.2f", a.Similarity(&c))
	}
}

// TestBackfillSignatures: documents a catalog import brought get their
// signature from the index, so a librarian's reworded copy of one is
// flagged.
func TestBackfillSignatures(t *testing.T) {
	ctx := context.Background()
	src, data := t.TempDir(), t.TempDir()
	cat := indexertest.WriteCatalog(t, src, map[string]string{"essay": essay, "other": other})
	indexertest.Ingest(t, data, cat)
	_, l := openTestLibrary(t, data)
	e := corpus.Entry{ID: "reworded", Kind: corpus.KindArticle, Language: "en"}
	doc, err := l.Preview(ctx, &e, textUpload("reworded.txt", reworded))
	if err != nil {
		t.Fatal(err)
	}
	if _, near, _ := l.Duplicates("reworded", []byte(reworded), doc); len(near) != 0 {
		t.Fatalf("near-duplicates before the backfill: %+v (the catalog's documents have no signature yet)", near)
	}
	n, err := l.BackfillSignatures(ctx)
	if err != nil || n != 2 {
		t.Fatalf("backfill: %d %v, want 2", n, err)
	}
	_, near, err := l.Duplicates("reworded", []byte(reworded), doc)
	if err != nil || len(near) != 1 || near[0].ID != "essay" {
		t.Errorf("near-duplicates after the backfill: %+v %v", near, err)
	}
	if n, _ := l.BackfillSignatures(ctx); n != 0 {
		t.Errorf("a second backfill made %d signatures", n)
	}
}
