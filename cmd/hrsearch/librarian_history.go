package main

import (
	"context"
	"log/slog"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/library"
	"github.com/hrsearch/hrsearch/indexer/tokens"
	"github.com/hrsearch/hrsearch/web"
)

// The trash, versions and token roles, for the web layer.

func (a libraryAdapter) Trash(ctx context.Context) ([]web.TrashedDoc, error) {
	items, err := a.l.Trash()
	if err != nil {
		return nil, err
	}
	out := make([]web.TrashedDoc, 0, len(items))
	for _, it := range items {
		out = append(out, web.TrashedDoc{Doc: *toLibraryDoc(&it.Record, nil), DeletedBy: it.By, DeletedAt: it.At, Expires: it.Expires})
	}
	return out, nil
}

func (a libraryAdapter) Restore(ctx context.Context, who, id string) (*web.LibraryDoc, error) {
	rec, doc, err := a.l.Restore(ctx, who, id)
	if err != nil {
		return nil, err
	}
	return toLibraryDoc(rec, doc), nil
}

func (a libraryAdapter) Purge(ctx context.Context, who, id string) error {
	return a.l.Purge(ctx, who, id)
}

func (a libraryAdapter) Versions(ctx context.Context, id string) ([]web.DocVersion, error) {
	vs, err := a.l.Versions(id)
	if err != nil {
		return nil, err
	}
	out := make([]web.DocVersion, 0, len(vs))
	for i := range vs {
		v := &vs[i]
		out = append(out, web.DocVersion{N: v.N, Current: v.Current, By: v.By, At: v.At, Action: v.Action,
			Doc: *toLibraryDoc(&v.Record, nil)})
	}
	return out, nil
}

func (a libraryAdapter) RestoreVersion(ctx context.Context, who, id string, n int) (*web.LibraryDoc, error) {
	rec, doc, err := a.l.RestoreVersion(ctx, who, id, n)
	if err != nil {
		return nil, err
	}
	return toLibraryDoc(rec, doc), nil
}

func (a libraryAdapter) TrashDays() int { return a.l.TrashDays() }

var _ web.LibraryHistory = libraryAdapter{}

// tokenAdapter gives the web layer the tokens with their roles.
type tokenAdapter struct{ *tokens.Tokens }

func (t tokenAdapter) Create(name, role string) (string, error) {
	return t.Tokens.CreateRole(name, role)
}

func (t tokenAdapter) List() ([]web.TokenInfo, error) {
	list, err := t.Tokens.List()
	if err != nil {
		return nil, err
	}
	out := make([]web.TokenInfo, 0, len(list))
	for _, ti := range list {
		out = append(out, web.TokenInfo{Name: ti.Name, Role: ti.Role, Created: ti.Created, Rotated: ti.Rotated, LastUsed: ti.LastUsed})
	}
	return out, nil
}

var (
	_ web.TokenManager = tokenAdapter{}
	_ web.Tokens       = tokenAdapter{}
)

func (a libraryAdapter) AuditMatching(ctx context.Context, f web.AuditFilter, skip, limit int) ([]web.AuditEvent, bool, error) {
	evs, more, err := a.l.AuditMatching(library.AuditFilter{ID: f.ID, Who: f.Who, Action: f.Action}, skip, limit)
	if err != nil {
		return nil, false, err
	}
	return toWebAudit(evs), more, nil
}

func (a libraryAdapter) Duplicates(ctx context.Context, id string, up *web.Upload, doc *corpus.Document) ([]string, []web.NearDuplicate, error) {
	exact, near, err := a.l.Duplicates(id, up.Raw, doc)
	if err != nil {
		return nil, nil, err
	}
	return exact, toWebNear(near), nil
}

func (a libraryAdapter) NearDuplicates(ctx context.Context, id string) ([]web.NearDuplicate, error) {
	near, err := a.l.NearDuplicates(id)
	if err != nil {
		return nil, err
	}
	return toWebNear(near), nil
}

func toWebNear(near []library.Near) []web.NearDuplicate {
	out := make([]web.NearDuplicate, 0, len(near))
	for _, n := range near {
		out = append(out, web.NearDuplicate{ID: n.ID, Similarity: n.Similarity, Distinct: n.Distinct})
	}
	return out
}

var _ web.DuplicateFinder = libraryAdapter{}

func (a libraryAdapter) List(ctx context.Context) ([]web.ListedDoc, error) {
	list, err := a.l.List()
	if err != nil {
		return nil, err
	}
	out := make([]web.ListedDoc, 0, len(list))
	for i := range list {
		out = append(out, web.ListedDoc{Doc: *toLibraryDoc(&list[i].Record, nil), Changed: list[i].Changed})
	}
	return out, nil
}

var _ web.LibraryLister = libraryAdapter{}

// backfillSignatures gives, in the background, a near-duplicate signature
// to the stored documents that have none (see
// library.BackfillSignatures); the returned stop ends it and waits.
func backfillSignatures(l *library.Library, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		n, err := l.BackfillSignatures(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("near-duplicate signatures", "made", n, "err", err)
		case n > 0:
			log.Info("near-duplicate signatures", "made", n)
		}
	}()
	return func() { cancel(); <-done }
}
