package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/schema"
	"github.com/hrsearch/hrsearch/search"
	"github.com/hrsearch/hrsearch/web"
)

// streamDocs calls fn for each record of a dump, in order.
func streamDocs(path string, fn func(*docRecord) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 512<<20)
	for sc.Scan() {
		d := &docRecord{}
		if err := json.Unmarshal(sc.Bytes(), d); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return sc.Err()
}

func update(d *docRecord) indexer.Update {
	return indexer.Update{Doc: &corpus.Document{Entry: d.Entry, Passages: d.Passages}, Key: "bench-" + d.Entry.ID, Origin: "bench"}
}

// childIngestCatalog is hrsearch's real ingest: IngestCatalog (read, segment,
// enrich, store, Apply) on the catalog into a fresh data directory.
func childIngestCatalog(ctx context.Context, catalog, data string, limit int) (*ingestResult, error) {
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		return nil, err
	}
	if limit > 0 && limit < len(cat.Entries) {
		cat.Entries = cat.Entries[:limit]
	}
	start := time.Now()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := indexer.OpenData(ctx, data, log)
	if err != nil {
		return nil, err
	}
	// As `hrsearch index` runs it: with the bulk GC target (unless GOGC is set).
	ing := &indexer.Ingester{Store: d.Store, Index: d.Index}
	if os.Getenv("GOGC") == "" {
		ing.GCPercent = indexer.BulkGCPercent
	}
	rep, err := ing.IngestCatalog(ctx, cat)
	if err != nil {
		d.Close()
		return nil, err
	}
	if err := d.Close(); err != nil {
		return nil, err
	}
	return &ingestResult{Docs: rep.Added + rep.Updated, Passages: rep.Passages, Seconds: time.Since(start).Seconds(),
		IndexBytes: dirSize(filepath.Join(data, "index")), StoreBytes: dirSize(filepath.Join(data, "store")),
		Note: fmt.Sprintf("%d failed", rep.Failed)}, nil
}

// childCompact merges an index's segments into one, as `hrsearch index`
// does after an import that changed the index.
func childCompact(dir string) (*ingestResult, error) {
	start := time.Now()
	ix, err := indexer.OpenIndex(dir)
	if err != nil {
		return nil, err
	}
	before := segmentFiles(dir)
	err = ix.Compact(context.Background())
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	return &ingestResult{Seconds: time.Since(start).Seconds(), IndexBytes: dirSize(dir),
		Note: fmt.Sprintf("%d segments before, %d after", before, segmentFiles(dir))}, err
}

// segmentFiles counts the scorch segment files under an index directory.
func segmentFiles(dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	return len(m)
}

// childApply indexes a dump with the ingest path's BatchWriter.
func childApply(dump, dir string) (*ingestResult, error) {
	start := time.Now()
	ix, err := indexer.OpenIndex(dir)
	if err != nil {
		return nil, err
	}
	w := ix.NewBatchWriter()
	r := &ingestResult{}
	err = streamDocs(dump, func(d *docRecord) error {
		r.Docs++
		r.Passages += len(d.Passages)
		return w.Add(update(d))
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	r.Seconds = time.Since(start).Seconds()
	r.IndexBytes = dirSize(dir)
	r.Note = fmt.Sprintf("%d batches", w.Batches())
	return r, err
}

// childBulk indexes a dump with indexer.BulkBuilder (Bleve's offline builder).
func childBulk(dump, dir string, batch, mergeMax int) (*ingestResult, error) {
	start := time.Now()
	bb, err := indexer.NewBulkBuilder(dir, indexer.BulkOptions{BatchSize: batch, MergeMax: mergeMax})
	if err != nil {
		return nil, err
	}
	r := &ingestResult{}
	err = streamDocs(dump, func(d *docRecord) error {
		r.Docs++
		r.Passages += len(d.Passages)
		return bb.Add(update(d))
	})
	if err != nil {
		return nil, err
	}
	if err := bb.Finish(); err != nil {
		return nil, err
	}
	r.Seconds = time.Since(start).Seconds()
	r.IndexBytes = dirSize(dir)
	return r, nil
}

func shardOf(doc string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(doc))
	return int(h.Sum32() % uint32(n))
}

// childShards indexes a dump into n indexes (documents hashed by id), one
// writer goroutine each.
func childShards(dump, dir string, n int) (*ingestResult, error) {
	start := time.Now()
	chans := make([]chan *docRecord, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		chans[i] = make(chan *docRecord, 16)
		ix, err := indexer.OpenIndex(filepath.Join(dir, fmt.Sprintf("shard-%d", i)))
		if err != nil {
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := ix.NewBatchWriter()
			for d := range chans[i] {
				if errs[i] == nil {
					errs[i] = w.Add(update(d))
				}
			}
			if err := w.Flush(); errs[i] == nil {
				errs[i] = err
			}
			if err := ix.Close(); errs[i] == nil {
				errs[i] = err
			}
		}()
	}
	r := &ingestResult{}
	err := streamDocs(dump, func(d *docRecord) error {
		r.Docs++
		r.Passages += len(d.Passages)
		chans[shardOf(d.Entry.ID, n)] <- d
		return nil
	})
	for _, c := range chans {
		close(c)
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil && err == nil {
			err = e
		}
	}
	r.Seconds = time.Since(start).Seconds()
	r.IndexBytes = dirSize(dir)
	return r, err
}

// hrsearchEngine is the real search path in-process: search.Searcher.Search.
type hrsearchEngine struct {
	name    string
	s       *search.Searcher
	closers []func() error
	ix      *indexer.Index // the single index, for the writer test
}

func openHrsearch(name, indexDir string) (*hrsearchEngine, error) {
	ix, err := indexer.OpenIndex(indexDir)
	if err != nil {
		return nil, err
	}
	// No window cache: the harness repeats each query, and a cached
	// window would measure the cache, not the search.
	s, err := search.New(ix.Bleve(), search.WithWindowCache(0))
	if err != nil {
		ix.Close()
		return nil, err
	}
	return &hrsearchEngine{name: name, s: s, ix: ix, closers: []func() error{ix.Close}}, nil
}

// openShards searches n shard indexes through one bleve.IndexAlias.
func openShards(name, dir string, n int) (*hrsearchEngine, error) {
	e := &hrsearchEngine{name: name}
	var idxs []bleve.Index
	for i := range n {
		ix, err := indexer.OpenIndex(filepath.Join(dir, fmt.Sprintf("shard-%d", i)))
		if err != nil {
			e.Close()
			return nil, err
		}
		e.closers = append(e.closers, ix.Close)
		idxs = append(idxs, ix.Bleve())
	}
	alias := bleve.NewIndexAlias(idxs...)
	// An alias over several indexes has no mapping of its own (Mapping()
	// is nil), and search.New needs the analyzers: give it the shared one.
	m, err := schema.NewMapping()
	if err != nil {
		return nil, err
	}
	if err := alias.SetIndexMapping(m); err != nil {
		return nil, err
	}
	s, err := search.New(alias, search.WithWindowCache(0))
	if err != nil {
		e.Close()
		return nil, err
	}
	e.s = s
	return e, nil
}

func (e *hrsearchEngine) Name() string { return e.name }

func (e *hrsearchEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	res, err := e.s.Search(ctx, q.hrsearchRequest())
	if err != nil {
		return 0, err
	}
	return int(res.Total), nil
}

func (e *hrsearchEngine) Close() error {
	var err error
	for _, c := range e.closers {
		if cerr := c(); err == nil {
			err = cerr
		}
	}
	return err
}

// write adds batches of docs with Apply until ctx ends; it returns the
// batches written.
func (e *hrsearchEngine) write(ctx context.Context, docs []*docRecord, batch int) (int, error) {
	n := 0
	for i := 0; ctx.Err() == nil; {
		var us []indexer.Update
		for k := 0; k < batch && i < len(docs); i++ {
			us = append(us, update(docs[i]))
			k += len(docs[i].Passages)
		}
		if len(us) == 0 {
			break
		}
		if err := e.ix.Apply(us); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// httpEngine is the JSON API: web.NewServer on an httptest server, every
// request a full results page (six facets, snippets), as the UI asks.
type httpEngine struct {
	srv    *httptest.Server
	client *http.Client
}

func newHTTPEngine(s *search.Searcher) (*httpEngine, error) {
	h, err := web.NewServer(web.Config{Searcher: s, RateLimit: 0})
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(h)
	return &httpEngine{srv: srv, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}, nil
}

func (e *httpEngine) Name() string { return "hrsearch HTTP" }

func apiQuery(q benchQuery) url.Values {
	v := url.Values{"q": {q.hrsearchText()}, "size": {strconv.Itoa(q.size())}, "page": {strconv.Itoa(max(q.Page, 1))}}
	if q.Kind != "" {
		v.Set("kind", q.Kind)
	}
	return v
}

func (e *httpEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/search?"+apiQuery(q).Encode(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var out struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, err
	}
	return out.Total, nil
}

func (e *httpEngine) Close() error { e.srv.Close(); return nil }
