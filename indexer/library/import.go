package library

// Catalog import by librarians: a zip holding a JSON Lines catalog and the
// files it names, imported as `hrsearch index --catalog` imports a catalog
// (each document whole or not at all, a librarian's replacement kept, a
// deleted document left deleted), with the same report. The zip is
// untrusted: its entries are bounded in number and size (read sizes, not
// the sizes the zip claims), a name that leaves the archive refuses the
// whole zip, and only the files the catalog names are written, into a
// directory of the data directory removed afterwards.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

// Import limits.
const (
	// MaxImportEntries bounds the entries (files and directories) of a zip.
	MaxImportEntries = 10_000
	// MaxImportFileBytes bounds one file of a zip, uncompressed.
	MaxImportFileBytes = 200 << 20
	// MaxImportTotalBytes bounds all the files of a zip, uncompressed.
	MaxImportTotalBytes = 2 << 30
	// maxImportCatalogBytes bounds the catalog file.
	maxImportCatalogBytes = 64 << 20
)

// ActionImport is the audit action of a document a catalog import added
// or changed.
const ActionImport = "import"

// ImportReport is what a catalog import did: the report of `hrsearch
// index --json`, each document's outcome, and the zip's files the catalog
// does not name (not imported).
type ImportReport struct {
	indexer.Report
	CatalogErrors []string `json:"catalog_errors,omitempty"`
	Unlisted      []string `json:"unlisted_files,omitempty"` // as the zip names them
}

// ImportZip imports the catalog a librarian uploaded as a zip (name is
// the zip's file name, kept as the documents' origin). An error is a zip
// that cannot be imported at all (ErrInvalid, ErrTooLarge); a document
// that fails is in the report.
func (l *Library) ImportZip(ctx context.Context, who, name string, zr *zip.Reader) (*ImportReport, error) {
	if who == "" {
		return nil, importErr(corpus.ErrInvalid, "no librarian named")
	}
	catFile, files, err := zipContents(zr)
	if err != nil {
		return nil, err
	}
	catBytes, err := readZipFile(catFile, maxImportCatalogBytes)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(filepath.Dir(l.store.Dir()), ".import-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cat, err := corpus.ReadCatalog(bytes.NewReader(catBytes), dir)
	if err != nil {
		return nil, importErr(corpus.ErrInvalid, "the catalog %s: %v", catFile.Name, err)
	}
	rep := &ImportReport{}
	for _, le := range cat.Errors {
		rep.CatalogErrors = append(rep.CatalogErrors, le.Error())
	}

	// Only the files the catalog names are written; an entry whose file
	// the zip lacks, or that leaves the archive, fails on its own.
	named := map[string]bool{}
	var failed []indexer.DocResult
	entries := cat.Entries[:0]
	for _, e := range cat.Entries {
		switch {
		case e.File == "" && e.URL != "":
			failed = append(failed, indexer.DocResult{ID: e.ID, Outcome: indexer.OutcomeFailed,
				Err: "an entry to fetch by url is imported by `hrsearch index` or a crawl, not from a zip"})
			continue
		case e.File == "":
			failed = append(failed, indexer.DocResult{ID: e.ID, Outcome: indexer.OutcomeFailed, Err: "the entry names no file"})
			continue
		}
		f := path.Clean(strings.TrimPrefix(e.File, "./"))
		if _, ok := files[f]; !ok || !filepath.IsLocal(filepath.FromSlash(f)) {
			failed = append(failed, indexer.DocResult{ID: e.ID, Outcome: indexer.OutcomeFailed,
				Err: fmt.Sprintf("the zip holds no file %q", e.File)})
			continue
		}
		e.Path = filepath.Join(dir, filepath.FromSlash(f))
		named[f] = true
		entries = append(entries, e)
	}
	cat.Entries = entries
	for f, zf := range files {
		if !named[f] {
			rep.Unlisted = append(rep.Unlisted, zf.Name) // as the zip names it
		}
	}
	slices.Sort(rep.Unlisted)
	var total int64
	for f := range named {
		n, err := extractZipFile(files[f], filepath.Join(dir, filepath.FromSlash(f)), MaxImportTotalBytes-total)
		if err != nil {
			return nil, err
		}
		total += n
	}

	// The documents' ids are locked, in order, as a librarian's single
	// changes lock theirs.
	ids := make([]string, 0, len(cat.Entries))
	for _, e := range cat.Entries {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	for _, id := range ids {
		defer l.locks.lock(id)()
	}
	ing := &indexer.Ingester{Store: l.store, Index: l.index, Workers: 2, MaxPassages: l.MaxPassages,
		Origin: "catalog:upload:" + path.Base(strings.ReplaceAll(name, `\`, "/")), KeepUnlisted: true, PerDocument: true}
	irep, err := ing.IngestCatalog(ctx, cat)
	if irep != nil {
		rep.Report = *irep
	}
	rep.Documents += len(failed)
	rep.Failed += len(failed)
	for i := range rep.Errors {
		rep.Errors[i].Err = l.importReason(rep.Errors[i].Err, dir)
	}
	for i := range rep.Results {
		rep.Results[i].Err = l.importReason(rep.Results[i].Err, dir)
	}
	for _, f := range failed {
		rep.Errors = append(rep.Errors, indexer.DocError{ID: f.ID, Err: f.Err})
		rep.Results = append(rep.Results, f)
	}
	slices.SortFunc(rep.Errors, func(a, b indexer.DocError) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(rep.Results, func(a, b indexer.DocResult) int { return strings.Compare(a.ID, b.ID) })
	if err != nil {
		return rep, err
	}
	l.auditImport(who, rep)
	l.signImported(ctx, rep)
	return rep, nil
}

// importReason is an import error in words for the librarian: no paths
// of the server's.
func (l *Library) importReason(msg, dir string) string {
	return plainReason(strings.ReplaceAll(msg, dir+string(filepath.Separator), ""))
}

// auditImport records each document the import added or changed.
func (l *Library) auditImport(who string, rep *ImportReport) {
	for _, r := range rep.Results {
		if r.Outcome != indexer.OutcomeAdded && r.Outcome != indexer.OutcomeUpdated {
			continue
		}
		ev := AuditEvent{Time: l.now().UTC(), Who: who, Action: ActionImport, ID: r.ID}
		if rec, err := l.store.Get(r.ID); err == nil {
			ev.After = StateOf(rec)
		}
		if err := l.audit.Append(ev); err != nil {
			l.log.Warn("recording an import in the audit log", "id", r.ID, "err", err)
		}
	}
}

// signImported gives a signature to each document the import added or
// changed, read from the index, so that near-duplicates are found.
func (l *Library) signImported(ctx context.Context, rep *ImportReport) {
	for _, r := range rep.Results {
		if r.Outcome != indexer.OutcomeAdded && r.Outcome != indexer.OutcomeUpdated {
			continue
		}
		if doc, err := l.indexedText(ctx, r.ID); err == nil {
			l.keepSignature(r.ID, doc)
		}
	}
}

// zipContents checks a zip's entries and returns its catalog (the one
// .jsonl file) and its other files by cleaned name.
func zipContents(zr *zip.Reader) (catalog *zip.File, files map[string]*zip.File, err error) {
	if len(zr.File) > MaxImportEntries {
		return nil, nil, importErr(corpus.ErrTooLarge, "the zip has %d entries, over the limit of %d", len(zr.File), MaxImportEntries)
	}
	files = map[string]*zip.File{}
	var catalogs []*zip.File
	for _, f := range zr.File {
		name := f.Name
		if strings.Contains(name, `\`) || !filepath.IsLocal(filepath.FromSlash(name)) || path.IsAbs(name) {
			return nil, nil, importErr(corpus.ErrInvalid, "the zip entry %q leaves the archive", truncateName(name))
		}
		if f.FileInfo().IsDir() || strings.HasSuffix(name, "/") {
			continue
		}
		if !f.Mode().IsRegular() {
			return nil, nil, importErr(corpus.ErrInvalid, "the zip entry %q is not a plain file", truncateName(name))
		}
		clean := path.Clean(name)
		if _, dup := files[clean]; dup {
			return nil, nil, importErr(corpus.ErrInvalid, "the zip holds %q twice", truncateName(name))
		}
		if strings.EqualFold(path.Ext(clean), ".jsonl") {
			catalogs = append(catalogs, f)
			continue
		}
		files[clean] = f
	}
	switch len(catalogs) {
	case 0:
		return nil, nil, importErr(corpus.ErrInvalid, "the zip holds no catalog (a JSON Lines file ending in .jsonl)")
	case 1:
	default:
		return nil, nil, importErr(corpus.ErrInvalid, "the zip holds %d catalogs (.jsonl files): send one", len(catalogs))
	}
	if dir := path.Dir(path.Clean(catalogs[0].Name)); dir != "." {
		// Files are named relative to the catalog, as on disk.
		moved := map[string]*zip.File{}
		for name, f := range files {
			if rel, ok := strings.CutPrefix(name, dir+"/"); ok {
				moved[rel] = f
			} else {
				moved["../"+name] = f // never named by a valid entry
			}
		}
		files = moved
	}
	return catalogs[0], files, nil
}

func truncateName(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// readZipFile reads one file of a zip, at most limit bytes of it.
func readZipFile(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, importErr(corpus.ErrInvalid, "the zip entry %q cannot be read: %v", truncateName(f.Name), err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, importErr(corpus.ErrInvalid, "the zip entry %q cannot be read: %v", truncateName(f.Name), err)
	}
	if int64(len(b)) > limit {
		return nil, importErr(corpus.ErrTooLarge, "the zip entry %q is larger than the limit of %d MB", truncateName(f.Name), limit>>20)
	}
	return b, nil
}

// extractZipFile writes one file of a zip to dst, refusing it beyond
// MaxImportFileBytes or left bytes (what remains of the total), counted
// as read, so that a zip bomb stops at the limit.
func extractZipFile(f *zip.File, dst string, left int64) (int64, error) {
	limit := min(int64(MaxImportFileBytes), left)
	rc, err := f.Open()
	if err != nil {
		return 0, importErr(corpus.ErrInvalid, "the zip entry %q cannot be read: %v", truncateName(f.Name), err)
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, limit+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil && errors.Is(err, zip.ErrChecksum), err != nil && errors.Is(err, zip.ErrFormat):
		return n, importErr(corpus.ErrInvalid, "the zip entry %q is damaged: %v", truncateName(f.Name), err)
	case err != nil:
		return n, err
	case n > limit && limit < MaxImportFileBytes:
		return n, importErr(corpus.ErrTooLarge, "the zip's files are larger than the limit of %d MB together", MaxImportTotalBytes>>20)
	case n > limit:
		return n, importErr(corpus.ErrTooLarge, "the zip entry %q is larger than the limit of %d MB", truncateName(f.Name), limit>>20)
	}
	return n, nil
}

// importErr is a zip that cannot be imported, said in words for the
// librarian who sent it.
func importErr(kind error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &DocumentError{Reason: strings.ToUpper(msg[:1]) + msg[1:] + ".", Err: kind}
}
