package indexer_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/reader"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

var update = flag.Bool("update", false, "rewrite the pipeline fingerprint golden (after bumping indexer.PipelineVersion)")

// fingerprintGolden holds, for PipelineVersion, one line per document of
// the demo catalog: its id, its passage count and a hash of its passages
// as the index receives them (ids, a hash of each text, every facet). It
// holds no text of the corpus.
const fingerprintGolden = "testdata/fingerprint.golden"

// documentFingerprint hashes what the index receives of a document.
func documentFingerprint(t *testing.T, doc *corpus.Document) string {
	h := sha256.New()
	for i := range doc.Passages {
		fields := schema.Document(&doc.Entry, &doc.Passages[i])
		sum := sha256.Sum256([]byte(doc.Passages[i].Text))
		fields[schema.FieldText] = hex.EncodeToString(sum[:8])
		b, err := json.Marshal(fields) // map keys sorted
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%s %d %x", doc.ID, len(doc.Passages), h.Sum(nil)[:12])
}

// TestPipelineFingerprint fails when reading, segmentation or extraction
// change what a demo document turns into while PipelineVersion stays the
// same: stored documents are re-indexed only when the version changes. Bump
// the version, then `make fingerprint` (go test ./indexer -run
// TestPipelineFingerprint -update) rewrites the golden.
func TestPipelineFingerprint(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole demo corpus")
	}
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(t))
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(cat.Entries))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				e := &cat.Entries[i]
				raw, err := os.ReadFile(e.Path)
				if err != nil {
					t.Errorf("%s: %v", e.ID, err)
					continue
				}
				doc, err := reader.Passages(context.Background(), e, raw)
				if err != nil {
					t.Errorf("%s: %v", e.ID, err)
					continue
				}
				lines[i] = documentFingerprint(t, doc)
			}
		}()
	}
	for i := range cat.Entries {
		work <- i
	}
	close(work)
	wg.Wait()
	if t.Failed() {
		return
	}
	slices.Sort(lines)
	got := "pipeline " + indexer.PipelineVersion + "\n" + strings.Join(lines, "\n") + "\n"

	want, err := os.ReadFile(fingerprintGolden)
	if err != nil && !*update {
		t.Fatalf("%v: run make fingerprint", err)
	}
	wantVersion, _, _ := strings.Cut(string(want), "\n")
	wantVersion = strings.TrimPrefix(wantVersion, "pipeline ")
	switch {
	case string(want) == got:
		return
	case wantVersion == indexer.PipelineVersion && !*update:
		t.Errorf("the demo corpus's passages changed (%s) while PipelineVersion stayed %s: stored documents would not be re-indexed. "+
			"Bump PipelineVersion in indexer/index.go, then run make fingerprint.", changedDocuments(string(want), got), wantVersion)
	case wantVersion == indexer.PipelineVersion:
		t.Errorf("not rewriting %s: the passages changed (%s) but PipelineVersion is still %s; bump it first",
			fingerprintGolden, changedDocuments(string(want), got), wantVersion)
	case !*update:
		t.Errorf("PipelineVersion is %s, the fingerprint is of %s: run make fingerprint", indexer.PipelineVersion, wantVersion)
	default:
		if err := os.MkdirAll(filepath.Dir(fingerprintGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fingerprintGolden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s for pipeline %s", fingerprintGolden, indexer.PipelineVersion)
	}
}

// changedDocuments names (some of) the documents whose lines differ.
func changedDocuments(want, got string) string {
	read := func(s string) map[string]string {
		m := make(map[string]string)
		sc := bufio.NewScanner(bytes.NewReader([]byte(s)))
		for sc.Scan() {
			if id, rest, ok := strings.Cut(sc.Text(), " "); ok && id != "pipeline" {
				m[id] = rest
			}
		}
		return m
	}
	w, g := read(want), read(got)
	var diff []string
	for id, v := range g {
		if w[id] != v {
			diff = append(diff, id)
		}
	}
	for id := range w {
		if _, ok := g[id]; !ok {
			diff = append(diff, id)
		}
	}
	slices.Sort(diff)
	n := len(diff)
	if n > 10 {
		diff = append(diff[:10], "…")
	}
	return fmt.Sprintf("%d documents: %s", n, strings.Join(diff, ", "))
}
