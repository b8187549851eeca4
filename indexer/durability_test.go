package indexer_test

// Durability tests D3 and D5 of RELIABILITY.md; each prints its RESULT
// line. D1, D4 and D7 run the real binary: cmd/hrsearch/durability_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/indexer/store"
	"github.com/hrsearch/hrsearch/search"
)

// syncBuffer is a log sink goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var words = strings.Fields("asylum return expel extradite torture detention custody refugee deportation remedy " +
	"complaint committee state party author counsel evidence risk police prison hearing appeal")

// sentence is a few random words with a marker.
func sentence(r *rand.Rand, marker string) string {
	var b strings.Builder
	b.WriteString(marker)
	for range 8 + r.IntN(10) {
		b.WriteByte(' ')
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String() + "."
}

// buildData ingests n small text documents into a new data directory and
// returns it with the counts: documents, passages and Bleve's doc count.
func buildData(t *testing.T, n int) (dir string, docs, passages int, count uint64) {
	t.Helper()
	src, dir := t.TempDir(), t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for i := range n {
		id := fmt.Sprintf("base-%03d", i)
		var blocks []string
		for range 1 + r.IntN(5) {
			blocks = append(blocks, sentence(r, "basemarker"))
		}
		if err := os.WriteFile(filepath.Join(src, id+".txt"), []byte(strings.Join(blocks, "\n\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf(`{"id":%q,"kind":"article","language":"en","format":"text","file":"%s.txt"}`, id, id))
	}
	catalog := filepath.Join(src, "catalog.jsonl")
	if err := os.WriteFile(catalog, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	d, err := indexer.OpenData(context.Background(), dir, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := (&indexer.Ingester{Store: d.Store, Index: d.Index}).IngestCatalog(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	ids, p := d.Index.Documents()
	c, err := d.Index.Bleve().DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return dir, len(ids), p, c
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestD3CorruptIndexIsRebuilt: a truncated bolt file, a missing segment,
// garbage index_meta.json, a missing index_meta.json, a deleted index and an
// index behind the store all open as the full index, rebuilt or brought up to date from the store
// with a log line saying so — never a silently empty index.
func TestD3CorruptIndexIsRebuilt(t *testing.T) {
	base, docs, passages, count := buildData(t, 40)
	segments := func(dir string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, "index", "store", "*.zap"))
		return m
	}
	if len(segments(base)) == 0 {
		t.Fatal("no segment files to remove")
	}
	// quiet marks the one case Bleve recovers from by itself, with every
	// passage intact (it recreates index_meta.json over the old store), so
	// there is nothing to rebuild or to log.
	cases := []struct {
		name    string
		quiet   bool
		corrupt func(t *testing.T, dir string)
	}{
		{"truncated root.bolt", false, func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, "index", "store", "root.bolt"), 100); err != nil {
				t.Fatal(err)
			}
		}},
		{"missing segment", false, func(t *testing.T, dir string) {
			for _, s := range segments(dir) {
				if err := os.Remove(s); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"garbage index_meta.json", false, func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "index", "index_meta.json"), []byte("\x00garbage{"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"missing index_meta.json", true, func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "index", "index_meta.json")); err != nil {
				t.Fatal(err)
			}
		}},
		{"index deleted", false, func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
				t.Fatal(err)
			}
		}},
	}
	rebuilt := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, base, dir)
			tc.corrupt(t, dir)
			var logs syncBuffer
			d, err := indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatalf("OpenData after %s: %v (a clear error would do, but the store is intact: rebuild)", tc.name, err)
			}
			defer d.Close()
			ids, p := d.Index.Documents()
			c, err := d.Index.Bleve().DocCount()
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != docs || p != passages || c != count {
				t.Fatalf("after %s: %d documents, %d passages, doc count %d; want %d, %d, %d", tc.name, len(ids), p, c, docs, passages, count)
			}
			s, err := search.New(d.Index.Bleve())
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Search(context.Background(), search.Request{Query: "basemarker", Page: 1, Size: 1})
			if err != nil || res.Total != count {
				t.Fatalf("search after %s: %v, %v hits of %d", tc.name, err, res, count)
			}
			out := logs.String()
			if !tc.quiet && !strings.Contains(out, "rebuilding it from the store") && !strings.Contains(out, "brought up to date with the store") {
				t.Fatalf("no log line says the index was rebuilt:\n%s", out)
			}
			t.Logf("%s: %s", tc.name, strings.TrimSpace(out))
			rebuilt++
		})
	}
	// Stale: the store holds a document the index has not seen (a crash
	// between the two); opening indexes it, with a log line.
	t.Run("stale index", func(t *testing.T) {
		dir := t.TempDir()
		copyTree(t, base, dir)
		st, err := store.OpenStore(filepath.Join(dir, "store"))
		if err != nil {
			t.Fatal(err)
		}
		rec := &store.Record{Entry: corpus.Entry{ID: "late", Kind: corpus.KindArticle, Language: "en", Format: corpus.FormatText}}
		if _, err := st.Put(rec, []byte("basemarker stored but not indexed.")); err != nil {
			t.Fatal(err)
		}
		var logs syncBuffer
		d, err := indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		ids, p := d.Index.Documents()
		if len(ids) != docs+1 || p != passages+1 || !strings.Contains(logs.String(), "brought up to date with the store") {
			t.Fatalf("stale index: %d documents, %d passages; log:\n%s", len(ids), p, logs.String())
		}
		rebuilt++
	})
	fmt.Printf("RESULT D3 cases=%d recovered_from_store=%d counts_equal=%d documents=%d passages=%d silent_empty=0\n",
		len(cases)+1, rebuilt, rebuilt, docs, passages)
	if rebuilt != len(cases)+1 {
		t.Fail()
	}
}

// TestD5ConcurrentSearchAndWrites: 8 searchers and 2 writers (adding,
// replacing, correcting and deleting small documents through the library)
// for 30 s (3 s with -short); run under -race. The final index holds
// exactly what the writers' own model says.
func TestD5ConcurrentSearchAndWrites(t *testing.T) {
	duration := 30 * time.Second
	if testing.Short() {
		duration = 3 * time.Second
	}
	dir, baseDocs, basePassages, _ := buildData(t, 20)
	log := slog.New(slog.DiscardHandler)
	d, err := indexer.OpenData(context.Background(), dir, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	lib, err := library.OpenLibrary(d, log)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	// Every searcher runs at once: the test is about searches beside
	// writes, not the admission limit, which on a loaded 2-core machine
	// under -race turns some away (ErrBusy) after its 250 ms wait.
	const searchers = 8
	s, err := search.New(d.Index.Bleve(), search.WithTimeout(time.Minute), search.WithMaxConcurrent(searchers))
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var searches, searchErrs, writes atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for i := range searchers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 99))
			for ctx.Err() == nil {
				var err error
				switch r.IntN(3) {
				case 0:
					_, err = s.Search(context.Background(), search.Request{Query: words[r.IntN(len(words))], Page: 1, Size: 10})
				case 1:
					_, err = s.Search(context.Background(), search.Request{Filters: map[string][]string{search.FilterKind: {corpus.KindReport}}, Page: 1, Size: 5})
				case 2:
					_, err = s.Passages(context.Background(), fmt.Sprintf("w%d-%02d", r.IntN(2), r.IntN(12)))
					if errors.Is(err, corpus.ErrNotFound) {
						err = nil
					}
				}
				searches.Add(1)
				if err != nil {
					searchErrs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	models := make([]map[string]int, 2) // id → passages, per writer
	for w := range 2 {
		models[w] = map[string]int{}
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			who := fmt.Sprintf("writer-%d", w)
			marker := fmt.Sprintf("writermarker%d", w)
			text := func() *library.Upload {
				var blocks []string
				for range 1 + r.IntN(4) {
					blocks = append(blocks, sentence(r, marker))
				}
				return &library.Upload{Raw: []byte(strings.Join(blocks, "\n\n")), Filename: "w.txt"}
			}
			for ctx.Err() == nil {
				id := fmt.Sprintf("w%d-%02d", w, r.IntN(12))
				_, present := models[w][id]
				var doc *corpus.Document
				var err error
				switch op := r.IntN(4); {
				case !present:
					_, doc, err = lib.Add(context.Background(), who, corpus.Entry{ID: id, Kind: corpus.KindReport, Language: "en"}, text())
				case op == 0:
					_, err = lib.Delete(context.Background(), who, id)
				case op == 1:
					states := []string{[]string{"SV", "GT", "CH"}[r.IntN(3)]}
					_, doc, err = lib.Update(context.Background(), who, id, library.Change{Overrides: &corpus.Entry{States: states}})
				default:
					_, doc, err = lib.Update(context.Background(), who, id, library.Change{Upload: text()})
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, fmt.Errorf("%s on %s: %w", who, id, err))
					searchErrs.Add(1)
					return
				}
				writes.Add(1)
				if doc != nil {
					models[w][id] = len(doc.Passages)
				} else {
					delete(models[w], id)
				}
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		t.Errorf("first error: %v", err)
	}

	wantIDs, wantPassages := []string{}, basePassages
	for _, m := range models {
		for id, n := range m {
			wantIDs = append(wantIDs, id)
			wantPassages += n
		}
	}
	ids, passages := d.Index.Documents()
	var writerIDs []string
	for _, id := range ids {
		if strings.HasPrefix(id, "w") {
			writerIDs = append(writerIDs, id)
		}
	}
	slices.Sort(writerIDs)
	slices.Sort(wantIDs)
	stored, _ := d.Store.IDs()
	count, _ := d.Index.Bleve().DocCount()
	res, err := s.Search(context.Background(), search.Request{Filters: map[string][]string{search.FilterKind: {corpus.KindReport}}, Page: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	exact := slices.Equal(writerIDs, wantIDs) && passages == wantPassages && count == uint64(wantPassages) &&
		len(stored) == baseDocs+len(wantIDs) && res.Total == uint64(wantPassages-basePassages)
	fmt.Printf("RESULT D5 searchers=%d writers=2 duration=%s race=%v searches=%d writes=%d errors=%d final_documents=%d/%d passages=%d/%d doc_count=%d search_total=%d/%d exact=%v\n",
		searchers, duration, raceEnabled, searches.Load(), writes.Load(), searchErrs.Load(), len(ids), baseDocs+len(wantIDs),
		passages, wantPassages, count, res.Total, wantPassages-basePassages, exact)
	if !exact {
		t.Errorf("final state differs from the writers' model: ids %v want %v", writerIDs, wantIDs)
	}
	if searchErrs.Load() != 0 {
		t.Errorf("%d errors", searchErrs.Load())
	}
	if writes.Load() < 10 {
		t.Errorf("only %d writes", writes.Load())
	}
}

// TestOutdatedMappingIsRebuilt: an index created by a version with another
// mapping (Bleve keeps an index's mapping) is rebuilt from the store when
// opened, with every document, and the old index is not left behind: one
// whose mapping differs in a setting, and one whose analyzers name what
// this version no longer uses (Bleve's length filter and unicode
// tokenizer, as indexes built before 2026-12-08 do), which must still open.
func TestOutdatedMappingIsRebuilt(t *testing.T) {
	for _, c := range []struct {
		name, marker string
		plant        func([]byte) []byte
	}{
		{"another default type", `"default_type":"an-older-default"`, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"default_type":"other"`), []byte(`"default_type":"an-older-default"`), 1)
		}},
		{"Bleve's length filter and unicode tokenizer", `"type":"length"`, func(b []byte) []byte {
			b = bytes.ReplaceAll(b, []byte(`"tokenizer":"hr_unicode"`), []byte(`"tokenizer":"unicode"`))
			return bytes.Replace(b, []byte(`"analysis":{`), []byte(`"analysis":{"token_filters":{"hr_max_length":{"max":128,"type":"length"}},`), 1)
		}},
	} {
		t.Run(c.name, func(t *testing.T) { testOutdatedMapping(t, c.marker, c.plant) })
	}
}

func testOutdatedMapping(t *testing.T, marker string, plant func([]byte) []byte) {
	dir, docs, passages, count := buildData(t, 12)
	ixDir := filepath.Join(dir, "index")
	idx, err := bleve.Open(ixDir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := schema.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.SetInternal([]byte("_mapping"), plant(b)); err != nil { // where Bleve keeps it
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err = bleve.Open(ixDir); err != nil {
		t.Fatalf("the planted mapping does not open: %v", err)
	}
	planted, err := json.Marshal(idx.Mapping())
	idx.Close()
	if err != nil || !bytes.Contains(planted, []byte(marker)) {
		t.Fatalf("the test did not plant an older mapping (%v): no %s in it", err, marker)
	}

	var logs syncBuffer
	d, err := indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got, err := json.Marshal(d.Index.Bleve().Mapping()); err != nil || bytes.Contains(got, []byte(marker)) {
		t.Fatalf("index still has the older mapping (%v)", err)
	}
	ids, p := d.Index.Documents()
	c, err := d.Index.Bleve().DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != docs || p != passages || c != count {
		t.Fatalf("after rebuild: %d documents, %d passages, doc count %d; want %d, %d, %d", len(ids), p, c, docs, passages, count)
	}
	if !strings.Contains(logs.String(), "another version's mapping") {
		t.Fatalf("no log line says why the index was rebuilt:\n%s", logs.String())
	}
	if left, _ := filepath.Glob(ixDir + ".*-*"); len(left) > 0 {
		t.Fatalf("old index left behind: %v", left)
	}
}

// TestOutdatedIndexLeftByACrashIsRemoved: an outdated index moved aside by
// a start that stopped before removing it is removed by the next start.
func TestOutdatedIndexLeftByACrashIsRemoved(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(context.Background(), dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(dir, "index.outdated-12345")
	if err := os.MkdirAll(filepath.Join(left, "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(left, "store", "root.bolt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "index.broken-12345") // kept: evidence of what broke
	if err := os.Mkdir(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if d, err = indexer.OpenData(context.Background(), dir, log); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("outdated index still there after a start: %v", err)
	}
	if _, err := os.Stat(broken); err != nil {
		t.Errorf("a broken index set aside was removed: %v", err)
	}
}
