package main

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

// floor is the cost of one step every engine pays (or would pay), over the
// same passages: what ingest cannot beat.
type floor struct {
	Name     string  `json:"name"`
	Seconds  float64 `json:"seconds"`
	Passages int     `json:"passages"`
	Bytes    int64   `json:"bytes"` // text bytes processed
	Note     string  `json:"note"`
}

func floors(ctx context.Context, dump, lines string, docs []*docRecord) []floor {
	passages, text := countPassages(docs)
	var out []floor
	t := func(name, note string, fn func()) {
		runtime.GC()
		start := time.Now()
		fn()
		out = append(out, floor{Name: name, Seconds: time.Since(start).Seconds(), Passages: passages, Bytes: text, Note: note})
		logf("floor %s: %.2f s", name, out[len(out)-1].Seconds)
	}
	t("file read (dump)", "os.ReadFile of the JSON-lines dump, page cache warm", func() { os.ReadFile(dump) })
	t("JSON decode (dump)", "encoding/json of every document record, one core", func() { loadDocs(dump) })
	m, _ := schema.NewMapping()
	cache := registry.NewCache()
	tok, err := cache.TokenizerNamed(unicode.Name)
	if err == nil {
		t("Bleve unicode tokenizer", "tokenizing every passage text, one core", func() {
			for _, d := range docs {
				for i := range d.Passages {
					tok.Tokenize([]byte(d.Passages[i].Text))
				}
			}
		})
	}
	if a := m.AnalyzerNamed(schema.AnalyzerEnglish); a != nil {
		t("Bleve hr_en analyzer", "tokenize, lower, fold, stop, Snowball stem: every passage, one core", func() {
			for _, d := range docs {
				for i := range d.Passages {
					a.Analyze([]byte(d.Passages[i].Text))
				}
			}
		})
		t("Bleve hr_en analyzer ×2 cores", "the same on GOMAXPROCS goroutines", func() {
			var wg sync.WaitGroup
			n := runtime.GOMAXPROCS(0)
			for k := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := k; j < len(docs); j += n {
						for i := range docs[j].Passages {
							a.Analyze([]byte(docs[j].Passages[i].Text))
						}
					}
				}()
			}
			wg.Wait()
		})
	}
	t("hrsearch segmentation+enrichment", "corpus.Enrich (instruments, articles, states) on the dumped passages, GOMAXPROCS goroutines", func() {
		var wg sync.WaitGroup
		n := runtime.GOMAXPROCS(0)
		for k := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := k; j < len(docs); j += n {
					d := &corpus.Document{Entry: docs[j].Entry, Passages: append([]corpus.Passage(nil), docs[j].Passages...)}
					corpus.Enrich(d)
				}
			}()
		}
		wg.Wait()
	})
	if _, err := exec.LookPath("rg"); err == nil {
		t("rg scan", "rg --count -i -w torture over the passages, one a line", func() {
			exec.CommandContext(ctx, "rg", "--count", "-i", "-w", "torture", lines).Run()
		})
	}
	return out
}
