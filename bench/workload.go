package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

// docRecord is one line of the passage dump: a document's catalog entry and
// the passages hrsearch's own reading, segmentation and enrichment gave it.
type docRecord struct {
	Entry    corpus.Entry     `json:"entry"`
	Passages []corpus.Passage `json:"passages"`
}

// row is one passage as every engine indexes it: the fields hrsearch's
// mapping fills (see schema.Document), flattened.
type row struct {
	ID         string   `json:"id"`
	Doc        string   `json:"doc"`
	Order      int      `json:"order"`
	Title      string   `json:"title"`
	Heading    string   `json:"heading"`
	Text       string   `json:"text"`
	Lang       string   `json:"lang"`
	Kind       string   `json:"kind"`
	Year       string   `json:"year"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
}

func rowsOf(d *docRecord) []row {
	out := make([]row, 0, len(d.Passages))
	for i := range d.Passages {
		p := &d.Passages[i]
		lang := p.Language
		if lang == "" {
			lang = d.Entry.Language
		}
		y := ""
		if v := d.Entry.YearOf(); v > 0 {
			y = strconv.Itoa(v)
		}
		out = append(out, row{ID: p.ID, Doc: d.Entry.ID, Order: p.Order, Title: d.Entry.Title, Heading: p.Heading,
			Text: p.Text, Lang: lang, Kind: d.Entry.Kind, Year: y,
			Instrument: p.Instruments, Article: p.Articles, State: p.States})
	}
	return out
}

// dumpPassages segments every entry of the catalog with reader.Passages
// (the ingest path's own reading, segmentation and enrichment) and writes
// one docRecord a line to out. It is skipped when out is newer than the
// catalog.
func dumpPassages(ctx context.Context, catalog, out string, limit int) error {
	if fi, err := os.Stat(out); err == nil {
		if ci, err := os.Stat(catalog); err == nil && fi.ModTime().After(ci.ModTime()) {
			return nil
		}
	}
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		return err
	}
	entries := cat.Entries
	if limit > 0 && limit < len(entries) {
		entries = entries[:limit]
	}
	type res struct {
		rec *docRecord
		err error
	}
	results := make([]res, len(entries))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				e := &entries[i]
				if e.Path == "" {
					results[i].err = fmt.Errorf("%s: no local file", e.ID)
					continue
				}
				raw, err := os.ReadFile(e.Path)
				if err != nil {
					results[i].err = err
					continue
				}
				doc, err := reader.Passages(ctx, e, raw)
				if err != nil {
					results[i].err = err
					continue
				}
				results[i].rec = &docRecord{Entry: doc.Entry, Passages: doc.Passages}
			}
		}()
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, r := range results {
		if r.err != nil {
			failed++
			continue
		}
		if err := enc.Encode(r.rec); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if failed > 0 {
		logf("dump: %d of %d documents failed to read (skipped, as ingest skips them)", failed, len(entries))
	}
	return os.Rename(tmp, out)
}

// loadDocs reads a passage dump.
func loadDocs(path string) ([]*docRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*docRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 512<<20)
	for sc.Scan() {
		d := &docRecord{}
		if err := json.Unmarshal(sc.Bytes(), d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, sc.Err()
}

// resample draws whole documents (with replacement, seeded) until target
// passages are reached; copies get the id suffix -rN, so every passage id
// stays unique and valid.
func resample(docs []*docRecord, target int, seed uint64) []*docRecord {
	out := append([]*docRecord(nil), docs...)
	n := 0
	for _, d := range docs {
		n += len(d.Passages)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	copyNo := map[string]int{}
	for n < target {
		src := docs[rng.IntN(len(docs))]
		copyNo[src.Entry.ID]++
		out = append(out, renamed(src, fmt.Sprintf("%s-r%d", src.Entry.ID, copyNo[src.Entry.ID])))
		n += len(src.Passages)
	}
	return out
}

// renamed returns a copy of d under a new document id.
func renamed(d *docRecord, id string) *docRecord {
	c := &docRecord{Entry: d.Entry, Passages: make([]corpus.Passage, len(d.Passages))}
	c.Entry.ID = id
	for i, p := range d.Passages {
		p.Document = id
		p.ID = id + "#" + p.Unit
		c.Passages[i] = p
	}
	return c
}

func countPassages(docs []*docRecord) (passages int, textBytes int64) {
	for _, d := range docs {
		passages += len(d.Passages)
		for i := range d.Passages {
			textBytes += int64(len(d.Passages[i].Text))
		}
	}
	return
}

// writeDocs writes docs as a dump, and the passage texts one a line (for
// rg) beside it.
func writeDocs(docs []*docRecord, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeLines writes each passage's text on one line, for rg.
func writeLines(docs []*docRecord, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := strings.NewReplacer("\n", " ", "\r", " ")
	for _, d := range docs {
		for i := range d.Passages {
			r.WriteString(w, d.Passages[i].Text)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// updatesOf turns dump records into the index updates Ingester builds.
func updatesOf(docs []*docRecord, origin string) []indexer.Update {
	out := make([]indexer.Update, len(docs))
	for i, d := range docs {
		out[i] = indexer.Update{Doc: &corpus.Document{Entry: d.Entry, Passages: d.Passages},
			Key: "bench-" + d.Entry.ID, Origin: origin}
	}
	return out
}
