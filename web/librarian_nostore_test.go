package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
)

// deskLibrary is the fake library with every optional part of the
// librarian's desk, so that every librarian route is registered.
type deskLibrary struct{ *fakeLibrary }

func (deskLibrary) Trash(context.Context) ([]TrashedDoc, error) { return nil, nil }
func (deskLibrary) Restore(context.Context, string, string) (*LibraryDoc, error) {
	return nil, corpus.ErrNotFound
}
func (deskLibrary) Purge(context.Context, string, string) error { return corpus.ErrNotFound }
func (deskLibrary) Versions(context.Context, string) ([]DocVersion, error) {
	return nil, corpus.ErrNotFound
}
func (deskLibrary) RestoreVersion(context.Context, string, string, int) (*LibraryDoc, error) {
	return nil, corpus.ErrNotFound
}
func (deskLibrary) TrashDays() int { return 30 }
func (deskLibrary) AuditMatching(context.Context, AuditFilter, int, int) ([]AuditEvent, bool, error) {
	return nil, false, nil
}
func (deskLibrary) List(context.Context) ([]ListedDoc, error) { return nil, nil }
func (deskLibrary) Duplicates(context.Context, string, *Upload, *corpus.Document) ([]string, []NearDuplicate, error) {
	return nil, nil, nil
}
func (deskLibrary) NearDuplicates(context.Context, string) ([]NearDuplicate, error) { return nil, nil }
func (deskLibrary) ImportCatalog(context.Context, string, string, []byte) (*ImportReport, error) {
	return &ImportReport{}, nil
}

// TestNoStoreEveryLibrarianRoute walks every route the librarian's desk
// registers and asks each, signed out, with a token and with a session:
// every answer is Cache-Control: no-store, without an ETag. And a public
// page asked for with a session is no-store too (it carries Edit links).
func TestNoStoreEveryLibrarianRoute(t *testing.T) {
	lib, toks := deskLibrary{newFakeLibrary()}, newFakeTokens(map[string]string{"alice": testToken})
	g := &genIndex{fakeIndex: newFakeIndex()}
	g.gen.Store(7)
	cfg := fakeConfig(g.fakeIndex)
	cfg.Searcher = g
	cfg.Library, cfg.Tokens, cfg.MaxUpload = lib, toks, 1<<20
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := mux.NewRouter()
	s.registerLibrarianRoutes(r)
	h := s.handler(cfg)
	cookie := signIn(t, h, testToken)
	vars := strings.NewReplacer("{id}", "cat", "{n}", "1", "{name}", "bob")
	walked := 0
	err = r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		methods, _ := route.GetMethods()
		for _, m := range methods {
			target := vars.Replace(tpl)
			for _, who := range []struct {
				name string
				hdr  []string
			}{
				{"signed out", nil},
				{"token", bearerHdr},
				{"session", []string{"Cookie", cookie.Name + "=" + cookie.Value, "Origin", "http://example.com"}},
			} {
				rec := send(h, m, "http://example.com"+target, strings.NewReader(""), who.hdr...)
				if cc := rec.Header().Get("Cache-Control"); cc != "no-store" || rec.Header().Get("ETag") != "" {
					t.Errorf("%s %s (%s): %d, Cache-Control %q, ETag %q", m, target, who.name, rec.Code, cc, rec.Header().Get("ETag"))
				}
			}
			walked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/api/catalog", "/librarian/import", "/api/trash", "/api/tokens", "/librarian/documents"} {
		if !strings.Contains(routeList(r), want+" ") {
			t.Errorf("the walk did not meet %s", want)
		}
	}
	t.Logf("%d librarian routes and methods walked", walked)

	// A public page: cached publicly when signed out, never stored for a
	// signed-in librarian, whose copy has Edit links and their name.
	pub := send(h, "GET", "/search?q=torture", nil)
	if cc := pub.Header().Get("Cache-Control"); cc == "no-store" || pub.Header().Get("ETag") == "" {
		t.Errorf("a public page signed out: Cache-Control %q ETag %q", cc, pub.Header().Get("ETag"))
	}
	rec := send(h, "GET", "/search?q=torture", nil, "Cookie", cookie.Name+"="+cookie.Value, "If-None-Match", pub.Header().Get("ETag"))
	if cc := rec.Header().Get("Cache-Control"); rec.Code != http.StatusOK || cc != "no-store" || rec.Header().Get("ETag") != "" {
		t.Errorf("a public page signed in: %d, Cache-Control %q, ETag %q", rec.Code, cc, rec.Header().Get("ETag"))
	}
}

func routeList(r *mux.Router) string {
	var b strings.Builder
	r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, _ := route.GetPathTemplate()
		b.WriteString(tpl + " ")
		return nil
	})
	return b.String()
}

// TestSignedInPages: for a signed-in librarian the search page has an Edit
// link on each result, the document page one, and the footer names them
// and offers signing out instead of signing in; signed out, none of it.
func TestSignedInPages(t *testing.T) {
	h, _, _ := newLibrarianHandler(t, nil)
	cookie := signIn(t, h, testToken)
	withCookie := []string{"Cookie", cookie.Name + "=" + cookie.Value}
	for _, target := range []string{"/search?q=torture", "/doc/cat", "/help", "/documents", "/nowhere"} {
		out := send(h, "GET", target, nil).Body.String()
		in := send(h, "GET", target, nil, withCookie...).Body.String()
		if !strings.Contains(out, "Librarians: sign in") || strings.Contains(out, `id="footer-librarian"`) || strings.Contains(out, "/librarian/edit/") {
			t.Errorf("%s signed out: no sign-in link, or a librarian's footer or Edit link", target)
		}
		if strings.Contains(in, "Librarians: sign in") || !strings.Contains(in, `id="footer-librarian"`) ||
			!strings.Contains(in, "Signed in as <strong>alice</strong>") || !strings.Contains(in, `action="/librarian/signout"`) {
			t.Errorf("%s signed in: the footer does not name alice and offer signing out", target)
		}
	}
	page := send(h, "GET", "/search?q=torture", nil, withCookie...).Body.String()
	results, edits := strings.Count(page, `<li class="result">`), strings.Count(page, `class="edit-link"`)
	if results == 0 || edits != results || !strings.Contains(page, `<a href="/librarian/edit/cat" class="edit-link">Edit</a>`) {
		t.Errorf("signed-in search page: %d results, %d Edit links", results, edits)
	}
	if doc := send(h, "GET", "/doc/cat", nil, withCookie...).Body.String(); !strings.Contains(doc, `href="/librarian/edit/cat" id="edit-link"`) {
		t.Error("signed-in document page: no Edit link")
	}
}
