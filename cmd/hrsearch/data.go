package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/search"
)

const defaultData = "./data"

// library is an opened data directory: the store, the index, a searcher.
type library struct {
	dir      string
	data     *indexer.Data
	store    *indexer.Store
	index    *indexer.Index
	searcher *search.Searcher
}

// needData reports whether dir holds data to read: the commands that only
// read (search, eval, stats) would otherwise create an empty index there
// and answer from it.
func needData(dir string) error {
	_, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no data directory at %s: run hrsearch index first", dir)
	case err != nil:
		return fmt.Errorf("reading data directory %s: %w", dir, err)
	}
	return nil
}

func openLibrary(dir string, log *slog.Logger, opts ...search.Option) (*library, error) {
	d, err := indexer.OpenData(context.Background(), dir, log)
	if err != nil {
		return nil, err
	}
	s, err := search.New(d.Index.Bleve(), opts...)
	if err != nil {
		d.Close()
		return nil, err
	}
	return &library{dir: dir, data: d, store: d.Store, index: d.Index, searcher: s}, nil
}

func (l *library) Close() error { return l.index.Close() }
