package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/fetch"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/store"
	"github.com/hrsearch/hrsearch/indexer/tokens"
	"github.com/hrsearch/hrsearch/search"
	"github.com/hrsearch/hrsearch/web"
)

// app is a served data directory: the library, its write side for
// librarians, the URL fetcher and the web handler.
type app struct {
	lib    *dataDir
	writes *library.Library
	// stopBackfill stops the signatures' backfill and waits for it.
	stopBackfill func()
	fetcher      *fetch.Fetcher
	handler      http.Handler
}

// appConfig is what serve resolves from its flags.
type appConfig struct {
	data      string
	rate      float64
	maxUpload int64
	fetch     fetch.FetchConfig
	cache     int // ranked windows kept (search.WithWindowCache)
	cors      []string
	// maxPassages refuses a document of more passages.
	maxPassages int
	trashDays   int    // how long the trash keeps a document (0: the default)
	publicURL   string // the address readers reach the server at (web.Config.PublicURL)
}

// openApp opens the data directory and builds the handler.
func openApp(cfg appConfig, log *slog.Logger) (*app, error) {
	lib, err := openLibrary(cfg.data, log, search.WithWindowCache(cfg.cache))
	if err != nil {
		return nil, err
	}
	writes, err := library.OpenLibrary(lib.data, log)
	if err != nil {
		lib.Close()
		return nil, err
	}
	writes.MaxPassages = cfg.maxPassages
	if cfg.trashDays > 0 {
		writes.SetTrashDays(cfg.trashDays)
	}
	writes.PurgeExpired()
	a := &app{lib: lib, writes: writes}
	a.stopBackfill = backfillSignatures(writes, log)
	if cfg.fetch.MaxBody == 0 || cfg.fetch.MaxBody > cfg.maxUpload {
		cfg.fetch.MaxBody = cfg.maxUpload
	}
	a.fetcher = fetch.NewFetcher(cfg.fetch)
	wc := webConfig(lib, cfg.data, cfg.rate, log)
	wc.Library = libraryAdapter{writes}
	wc.Tokens = tokenAdapter{tokens.OpenTokens(cfg.data)}
	wc.Fetcher = urlFetcher{a.fetcher}
	wc.MaxUpload = cfg.maxUpload
	wc.CORSOrigins = cfg.cors
	wc.PublicURL = cfg.publicURL
	if a.handler, err = web.NewServer(wc); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) Close() error {
	a.stopBackfill()
	a.fetcher.Close()
	a.writes.Close()
	return a.lib.Close()
}

// libraryAdapter gives the web layer the librarians' write side.
type libraryAdapter struct{ l *library.Library }

func toIndexerUpload(up *web.Upload) *library.Upload {
	if up == nil {
		return nil
	}
	origin := up.Origin
	if origin == "" {
		origin = "upload"
	}
	return &library.Upload{Raw: up.Raw, Filename: up.Filename, Format: up.Format, Provenance: store.Provenance{
		Source: up.Source, FinalURL: up.FinalURL, Origin: origin, Status: up.Status, ContentType: up.ContentType,
		ETag: up.ETag, Modified: up.Modified,
	}}
}

func toLibraryDoc(rec *store.Record, doc *corpus.Document) *web.LibraryDoc {
	return &web.LibraryDoc{
		Effective: rec.Effective(), Catalog: rec.Entry, Overrides: rec.Overrides,
		Origin: rec.Origin, Source: rec.Source, FinalURL: rec.FinalURL, ContentType: rec.ContentType,
		SHA256: rec.SHA256, Size: rec.Size, FetchedAt: rec.FetchedAt, Doc: doc,
	}
}

func (a libraryAdapter) Preview(ctx context.Context, e corpus.Entry, up *web.Upload) (*corpus.Document, error) {
	return a.l.Preview(ctx, &e, toIndexerUpload(up))
}

func (a libraryAdapter) Add(ctx context.Context, who string, e corpus.Entry, up *web.Upload) (*web.LibraryDoc, error) {
	rec, doc, err := a.l.Add(ctx, who, e, toIndexerUpload(up))
	if err != nil {
		return nil, err
	}
	return toLibraryDoc(rec, doc), nil
}

func (a libraryAdapter) Update(ctx context.Context, who, id string, overrides *corpus.Entry, up *web.Upload) (*web.LibraryDoc, error) {
	rec, doc, err := a.l.Update(ctx, who, id, library.Change{Overrides: overrides, Upload: toIndexerUpload(up)})
	if err != nil {
		return nil, err
	}
	return toLibraryDoc(rec, doc), nil
}

func (a libraryAdapter) Delete(ctx context.Context, who, id string) error {
	_, err := a.l.Delete(ctx, who, id)
	return err
}

func (a libraryAdapter) Get(ctx context.Context, id string) (*web.LibraryDoc, error) {
	rec, err := a.l.Get(id)
	if err != nil {
		return nil, err
	}
	return toLibraryDoc(rec, nil), nil
}

func (a libraryAdapter) Audit(ctx context.Context, skip, limit int) ([]web.AuditEvent, bool, error) {
	evs, more, err := a.l.Audit(skip, limit)
	if err != nil {
		return nil, false, err
	}
	return toWebAudit(evs), more, nil
}

// toWebAudit gives audit events to the web layer.
func toWebAudit(evs []library.AuditEvent) []web.AuditEvent {
	state := func(s *library.AuditState) *web.AuditState {
		if s == nil {
			return nil
		}
		return &web.AuditState{Entry: s.Entry, Overrides: s.Overrides, Source: s.Source, SHA256: s.SHA256, Size: s.Size}
	}
	out := make([]web.AuditEvent, 0, len(evs))
	for _, ev := range evs {
		out = append(out, web.AuditEvent{Time: ev.Time, Who: ev.Who, Action: ev.Action, ID: ev.ID,
			Before: state(ev.Before), After: state(ev.After)})
	}
	return out
}

// urlFetcher fetches the documents librarians give by URL with the
// crawler's fetcher: robots.txt, politeness, limits and no private
// addresses (unless --allow-private).
type urlFetcher struct{ f *fetch.Fetcher }

func (u urlFetcher) Fetch(ctx context.Context, rawURL string) (*web.Upload, error) {
	f, err := u.f.Fetch(ctx, rawURL, fetch.FetchOptions{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &fetchError{err: err}
	}
	up := library.UploadFromFetched(f)
	name := ""
	if u, err := url.Parse(f.FinalURL); err == nil {
		name = path.Base(u.Path)
	}
	return &web.Upload{Raw: up.Raw, Filename: name, Format: up.Format, ContentType: up.ContentType, Origin: up.Origin,
		Source: up.Source, FinalURL: up.FinalURL, Status: up.Status, ETag: up.ETag, Modified: up.Modified}, nil
}

// fetchError is a URL that could not be fetched; the reason is the
// fetcher's, about the librarian's own URL.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }
func (e *fetchError) UserReason() string {
	// Network errors name the server's resolver and addresses: the
	// librarian needs what went wrong, not this machine's network.
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(e.err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("The URL could not be fetched: no host called %q was found.", dns.Name)
	case errors.As(e.err, &dns):
		return fmt.Sprintf("The URL could not be fetched: the host name %q could not be looked up.", dns.Name)
	case errors.As(e.err, &op):
		return fmt.Sprintf("The URL could not be fetched: its server could not be reached (%s).", op.Err)
	}
	msg := e.err.Error()
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return fmt.Sprintf("The URL could not be fetched: %s.", msg)
}

func (a libraryAdapter) ImportCatalog(ctx context.Context, who, name string, b []byte) (*web.ImportReport, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, &library.DocumentError{Reason: "The file is not a zip that can be read.", Err: corpus.ErrInvalid}
	}
	rep, err := a.l.ImportZip(ctx, who, name, zr)
	if err != nil {
		return nil, err
	}
	out := &web.ImportReport{Documents: rep.Documents, Added: rep.Added, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Kept: rep.Kept, DeletedByLibrarian: rep.DeletedByLibrarian, Failed: rep.Failed, Passages: rep.Passages,
		CatalogErrors: rep.CatalogErrors, Unlisted: rep.Unlisted}
	for _, r := range rep.Results {
		out.Results = append(out.Results, web.ImportResult{ID: r.ID, Outcome: r.Outcome, Error: r.Err})
	}
	return out, nil
}
