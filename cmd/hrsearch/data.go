package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/store"
	"github.com/hrsearch/hrsearch/search"
)

const defaultData = "./data"

// dataDir is an opened data directory: the store, the index, a searcher.
type dataDir struct {
	dir      string
	data     *indexer.Data
	store    *store.Store
	index    *indexer.Index
	searcher *search.Searcher
}

// statData reports whether the data directory dir exists. A regular file
// there (or on the way there) is an error that says so, rather than the
// complaint of some system call about a path inside it.
func statData(dir string) (bool, error) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return true, nil
	case err == nil:
		return false, fmt.Errorf("%s is a file, not a data directory", dir)
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case errors.Is(err, syscall.ENOTDIR):
		for p := filepath.Dir(dir); p != filepath.Dir(p); p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return false, fmt.Errorf("%s is a file, not a directory: there is no data directory at %s", p, dir)
			}
		}
	}
	return false, fmt.Errorf("reading data directory %s: %w", dir, err)
}

// needData reports whether dir holds data to read: the commands that only
// read (search, eval, stats) would otherwise create an empty index there
// and answer from it.
func needData(dir string) error {
	ok, err := statData(dir)
	if err == nil && !ok {
		err = fmt.Errorf("no data directory at %s: run hrsearch index first", dir)
	}
	return err
}

// needLibrary is needData for serve, token and reindex, which may start
// from an empty directory but not from a missing one: a typo in --data
// would otherwise serve, or make tokens for, a new empty library.
func needLibrary(dir string) error {
	ok, err := statData(dir)
	if err == nil && !ok {
		err = fmt.Errorf("no data directory at %s: hrsearch index --catalog FILE --data %s builds one, "+
			"and mkdir -p %s starts an empty library", dir, dir, dir)
	}
	return err
}

// openLibrary opens the data directory dir, creating it if it is missing
// (index, crawl and demo start one this way); the other commands check
// with needData or needLibrary first.
func openLibrary(dir string, log *slog.Logger, opts ...search.Option) (*dataDir, error) {
	return openLibraryWith(indexer.OpenData, dir, log, opts...)
}

// openImportLibrary is openLibrary for an import that ends with Compact
// (indexer.OpenDataForImport).
func openImportLibrary(dir string, log *slog.Logger) (*dataDir, error) {
	return openLibraryWith(indexer.OpenDataForImport, dir, log)
}

func openLibraryWith(open func(context.Context, string, *slog.Logger) (*indexer.Data, error), dir string, log *slog.Logger, opts ...search.Option) (*dataDir, error) {
	if _, err := statData(dir); err != nil {
		return nil, err
	}
	d, err := open(context.Background(), dir, log)
	if err != nil {
		return nil, err
	}
	s, err := search.New(d.Index.Bleve(), opts...)
	if err != nil {
		d.Close()
		return nil, err
	}
	return &dataDir{dir: dir, data: d, store: d.Store, index: d.Index, searcher: s}, nil
}

func (l *dataDir) Close() error { return l.index.Close() }
