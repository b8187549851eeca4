//go:build unix

package reader_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

// BenchmarkDerive derives every document of the demo catalog per iteration,
// one after another, as an import's prepare step does: reading, segmentation
// and extraction. The files are read into memory first. A sub-benchmark per
// format measures that format's documents alone; "all" measures them all.
// Besides the time per iteration it reports the process's CPU time per
// iteration (cpu-ns/op).
func BenchmarkDerive(b *testing.B) {
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(b))
	if err != nil {
		b.Fatal(err)
	}
	type file struct {
		entry *corpus.Entry
		raw   []byte
	}
	byFormat := make(map[string][]file)
	var all []file
	for i := range cat.Entries {
		e := &cat.Entries[i]
		raw, err := os.ReadFile(e.Path)
		if err != nil {
			b.Fatal(err)
		}
		f := file{e, raw}
		byFormat[e.Format] = append(byFormat[e.Format], f)
		all = append(all, f)
	}
	ctx := context.Background()
	run := func(b *testing.B, files []file) {
		size, passages := 0, 0
		for _, f := range files {
			size += len(f.raw)
			doc, err := reader.Passages(ctx, f.entry, f.raw) // also loads the registries and the PDF engine outside the timing
			if err != nil {
				b.Fatalf("%s: %v", f.entry.ID, err)
			}
			passages += len(doc.Passages)
		}
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		cpu := processCPU(b)
		for b.Loop() {
			for _, f := range files {
				if _, err := reader.Passages(ctx, f.entry, f.raw); err != nil {
					b.Fatalf("%s: %v", f.entry.ID, err)
				}
			}
		}
		b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(len(files)), "documents")
		b.ReportMetric(float64(passages), "passages")
	}
	b.Run("all", func(b *testing.B) { run(b, all) })
	for _, format := range slices.Sorted(maps.Keys(byFormat)) {
		b.Run(format, func(b *testing.B) { run(b, byFormat[format]) })
	}
}

// processCPU returns the CPU time the process has used, user and system,
// garbage collection included: on a shared machine it varies less than
// the time on the clock.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
