package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

// catalogEntry reads a catalog and finds one entry.
func catalogEntry(catalog, id string) (*corpus.Entry, error) {
	cat, err := corpus.ReadCatalogFile(catalog)
	if err != nil {
		return nil, err
	}
	e, ok := cat.Lookup(id)
	if !ok {
		return nil, fmt.Errorf("document %s is not in %s", id, catalog)
	}
	return e, nil
}

func runPassages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("passages", stderr)
	catalog := fs.String("catalog", "", "catalog `FILE`")
	id := fs.String("document", "", "document `ID`")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *catalog == "" || *id == "" {
		fmt.Fprintln(stderr, "hrsearch passages: --catalog and --document are required")
		return errUsage
	}
	e, err := catalogEntry(*catalog, *id)
	if err != nil {
		return err
	}
	if e.Path == "" {
		return fmt.Errorf("document %s has no local file", e.ID)
	}
	raw, err := os.ReadFile(e.Path)
	if err != nil {
		return err
	}
	doc, err := reader.Passages(ctx, e, raw)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i := range doc.Passages {
		if err := enc.Encode(&doc.Passages[i]); err != nil {
			return err
		}
	}
	return nil
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("extract", stderr)
	catalog := fs.String("catalog", "", "catalog `FILE`")
	id := fs.String("document", "", "document `ID` whose context (instrument, language) applies")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c := corpus.Context{}
	if *catalog != "" && *id != "" {
		e, err := catalogEntry(*catalog, *id)
		if err != nil {
			return err
		}
		c = corpus.ContextOf(e)
	} else if *catalog != "" || *id != "" {
		fmt.Fprintln(stderr, "hrsearch extract: give both --catalog and --document, or neither")
		return errUsage
	}
	text, err := io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
	if err != nil {
		return err
	}
	ext := corpus.Extract(string(text), c)
	out := struct {
		Instruments []string `json:"instruments"`
		Articles    []string `json:"articles"`
		States      []string `json:"states"`
		Symbols     []string `json:"symbols"`
	}{nonNil(ext.Instruments), nonNil(ext.Articles), nonNil(ext.States), nonNil(ext.Symbols)}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
