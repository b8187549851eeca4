package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/schema"
)

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", stderr)
	catalog := fs.String("catalog", "", "catalog `FILE` (JSON Lines)")
	data := fs.String("data", defaultData, "data `DIR`")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	maxPassages := maxPassagesFlag(fs)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest to `FILE` (for developers)")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the ingest to `FILE` (for developers)")
	var ff fetchFlags // for entries with a url and no file
	ff.register(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *memProfile != "" {
		defer writeMemProfile(*memProfile, stderr)
	}
	if err := ff.check("index", stderr); err != nil {
		return err
	}
	if *catalog == "" {
		fmt.Fprintln(stderr, "hrsearch index: --catalog is required")
		return errUsage
	}
	if *maxPassages <= 0 {
		fmt.Fprintln(stderr, "hrsearch index: --max-passages must be positive")
		return errUsage
	}
	rep, cat, err := indexCatalogWith(ctx, *catalog, *data, stderr, ff, *maxPassages)
	if err != nil {
		return err
	}
	return printReport(stdout, stderr, cat, rep, *jsonOut)
}

// indexCatalog ingests a catalog into the data directory, fetching the
// entries that have a url and no file with the default fetcher settings.
func indexCatalog(ctx context.Context, catalog, data string, stderr io.Writer) (*indexer.Report, *corpus.Catalog, error) {
	var ff fetchFlags
	ff.register(newFlags("index", io.Discard)) // the flags' defaults
	return indexCatalogWith(ctx, catalog, data, stderr, ff, defaultMaxPassages)
}

// defaultMaxPassages is how many passages one document may have: the
// 52 MB text upload of the review made 576,119, and 64 s and 8 GB of work.
const defaultMaxPassages = 50_000

// maxPassagesFlag registers --max-passages.
func maxPassagesFlag(fs *flag.FlagSet) *int {
	return fs.Int("max-passages", defaultMaxPassages, "most passages one document may have; a larger one is refused")
}

// indexCatalogWith ingests a catalog; entries with a url and no file are
// fetched with ff's settings (robots.txt, delays and limits as the crawler).
func indexCatalogWith(ctx context.Context, catalog, data string, stderr io.Writer, ff fetchFlags, maxPassages int) (*indexer.Report, *corpus.Catalog, error) {
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	lib, err := openImportLibrary(data, log) // closed before anything serves it
	if err != nil {
		return nil, nil, err
	}
	defer lib.Close()
	fetcher := fetch.NewFetcher(ff.config(log))
	defer fetcher.Close()
	ing := &indexer.Ingester{Store: lib.store, Index: lib.index, Fetcher: fetcher, MaxPassages: maxPassages}
	if os.Getenv("GOGC") == "" { // a user's GOGC wins
		ing.GCPercent = indexer.BulkGCPercent
	}
	if os.Getenv("GOMEMLIMIT") == "" { // and so does a user's GOMEMLIMIT
		ing.MemoryLimit = indexer.BulkMemoryLimit
	}
	if isTerminal(stderr) {
		start := time.Now()
		last := time.Time{}
		ing.Progress = func(done, total int) {
			if time.Since(last) < 100*time.Millisecond && done < total {
				return
			}
			last = time.Now()
			fmt.Fprintf(stderr, "\rindexing %d/%d documents (%.0f%%) %s ", done, total,
				100*float64(done)/float64(max(total, 1)), time.Since(start).Round(time.Second))
			if done == total {
				fmt.Fprintln(stderr)
			}
		}
	}
	rep, err := ing.IngestCatalog(ctx, cat)
	if err != nil || rep.Added+rep.Updated+rep.Removed == 0 {
		return rep, cat, err
	}
	// An import is most of the index: merge its segments into one.
	start := time.Now()
	if err := lib.index.Compact(ctx); err != nil {
		return rep, cat, err
	}
	log.Info("index compacted", "took", time.Since(start).Round(time.Millisecond))
	return rep, cat, nil
}

func printReport(stdout, stderr io.Writer, cat *corpus.Catalog, rep *indexer.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			*indexer.Report
			CatalogErrors []string `json:"catalog_errors,omitempty"`
		}{rep, lineErrors(cat)})
	}
	// A librarian's replaced files and deletions, which the import kept,
	// are named when there are any.
	librarians := ""
	if rep.Kept > 0 {
		librarians += fmt.Sprintf(", %d kept (a librarian's version)", rep.Kept)
	}
	if rep.DeletedByLibrarian > 0 {
		librarians += fmt.Sprintf(", %d deleted by a librarian", rep.DeletedByLibrarian)
	}
	fmt.Fprintf(stdout, "indexed %d documents in %s: %d added, %d updated, %d unchanged, %d removed, %d failed%s; %d passages written\n",
		rep.Documents, rep.Elapsed.Round(time.Millisecond), rep.Added, rep.Updated, rep.Unchanged, rep.Removed, rep.Failed,
		librarians, rep.Passages)
	for _, e := range lineErrors(cat) {
		fmt.Fprintf(stderr, "catalog %s\n", e)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "document %s: %s\n", e.ID, e.Err)
	}
	return nil
}

func lineErrors(cat *corpus.Catalog) []string {
	var out []string
	for _, e := range cat.Errors {
		out = append(out, e.Error())
	}
	return out
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reindex", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := needLibrary(*data); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	n, passages, err := indexer.Rebuild(ctx, *data, log)
	var skipped *indexer.SkippedError
	if err != nil && !errors.As(err, &skipped) {
		return err
	}
	fmt.Fprintf(stdout, "rebuilt the index from the store: %d documents, %d passages in %s\n", n, passages, time.Since(start).Round(time.Millisecond))
	return err // the documents it could not read, if any: a failure to see
}

func runMapping(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	m, err := schema.NewMapping()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, string(b))
	return err
}

func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("stats", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := needData(*data); err != nil {
		return err
	}
	lib, err := openLibrary(*data, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer lib.Close()
	ids, passages := lib.index.Documents()
	stored, err := lib.store.IDs()
	if err != nil {
		return err
	}
	count, err := lib.index.Bleve().DocCount()
	if err != nil {
		return err
	}
	st := struct {
		Documents      int    `json:"documents"`
		Passages       int    `json:"passages"`
		IndexedDocs    uint64 `json:"index_doc_count"`
		StoredDocs     int    `json:"stored_documents"`
		IndexSizeBytes int64  `json:"index_bytes"`
	}{len(ids), passages, count, len(stored), dirSize(lib.dir + "/index")}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(st)
	}
	fmt.Fprintf(stdout, "documents %d\npassages %d\nstored documents %d\nindex bytes %d\n", st.Documents, st.Passages, st.StoredDocs, st.IndexSizeBytes)
	return nil
}
