package web

// The trash and the versions of documents: GET /api/trash,
// POST /api/trash/{id}/restore, DELETE /api/trash/{id} (purge, admins),
// GET /api/documents/{id}/versions, POST
// /api/documents/{id}/versions/{n}/restore, and their pages.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
)

// LibraryHistory is what the trash and the versions need from the library;
// a Library that also implements it gets them.
type LibraryHistory interface {
	// Trash lists the deleted documents, the latest first.
	Trash(ctx context.Context) ([]TrashedDoc, error)
	// Restore brings a document back from the trash and indexes it
	// (ErrNotFound if not in the trash, ErrConflict if the id is taken).
	Restore(ctx context.Context, who, id string) (*LibraryDoc, error)
	// Purge removes a document from the trash for good.
	Purge(ctx context.Context, who, id string) error
	// Versions lists a document's versions, oldest first, numbered
	// from 1, the current one last.
	Versions(ctx context.Context, id string) ([]DocVersion, error)
	// RestoreVersion makes version n current again, as a new version.
	RestoreVersion(ctx context.Context, who, id string, n int) (*LibraryDoc, error)
	// TrashDays is how long the trash keeps a document.
	TrashDays() int
}

// TrashedDoc is a document in the trash.
type TrashedDoc struct {
	Doc       LibraryDoc
	DeletedBy string
	DeletedAt time.Time
	Expires   time.Time
}

// DocVersion is one version of a document.
type DocVersion struct {
	N       int
	Current bool
	By      string    // who made it
	At      time.Time // when
	Action  string    // add, import, edit, replace, restore-version
	Doc     LibraryDoc
}

type apiTrashResponse struct {
	Trash []apiTrashItem `json:"trash"`
}

type apiTrashItem struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Metadata  apiEntry  `json:"metadata"`
	Overrides *apiEntry `json:"overrides,omitempty"`
	DeletedBy string    `json:"deleted_by"`
	DeletedAt time.Time `json:"deleted_at"`
	Expires   time.Time `json:"expires"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Restore   string    `json:"restore"` // the URL to POST to restore it
}

type apiVersionsResponse struct {
	ID       string       `json:"id"`
	Versions []apiVersion `json:"versions"`
}

type apiVersion struct {
	N         int         `json:"n"`
	Current   bool        `json:"current"`
	Time      time.Time   `json:"time"`
	By        string      `json:"by"`
	Action    string      `json:"action"`
	Metadata  apiEntry    `json:"metadata"`
	Overrides *apiEntry   `json:"overrides,omitempty"`
	Source    string      `json:"source,omitempty"`
	SHA256    string      `json:"sha256"`
	Size      int64       `json:"size"`
	Changes   []apiChange `json:"changes"` // from the version before
	Restore   string      `json:"restore,omitempty"`
}

// apiChange is a field that differs between two versions.
type apiChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

func (s *server) registerHistoryRoutes(r *mux.Router) {
	r.Handle("/api/trash", s.adapt(kindJSON, s.apiAuth(s.handleAPITrash))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/trash/{id}/restore", s.adapt(kindJSON, s.apiAuth(s.handleAPIRestore))).Methods(http.MethodPost)
	r.Handle("/api/trash/{id}", s.adapt(kindJSON, s.apiAuth(s.handleAPIPurge))).Methods(http.MethodDelete)
	r.Handle("/api/documents/{id}/versions", s.adapt(kindJSON, s.apiAuth(s.handleAPIVersions))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/documents/{id}/versions/{n}/restore", s.adapt(kindJSON, s.apiAuth(s.handleAPIRestoreVersion))).Methods(http.MethodPost)

	get(r, "/librarian/trash", s.adapt(kindHTML, s.pageAuth(s.handleTrashPage)))
	r.Handle("/librarian/trash/{id}/restore", s.adapt(kindHTML, s.pageAuth(s.handleTrashRestorePage))).Methods(http.MethodPost)
	r.Handle("/librarian/trash/{id}/purge", s.adapt(kindHTML, s.pageAuth(s.handleTrashPurgePage))).Methods(http.MethodPost)
	r.Handle("/librarian/edit/{id}/versions/{n}/restore", s.adapt(kindHTML, s.pageAuth(s.handleVersionRestorePage))).Methods(http.MethodPost)
}

// history returns the library's trash and versions, or a 501.
func (s *server) history() (LibraryHistory, error) {
	if s.lib.history == nil {
		return nil, &httpError{status: http.StatusNotImplemented, code: "not_implemented", msg: "This server keeps no trash or versions."}
	}
	return s.lib.history, nil
}

// noParams refuses a write's query-string parameters: these routes take
// none, and one that is not understood is not ignored.
func noParams(r *http.Request) error {
	q, err := queryValues(r)
	if err != nil {
		return err
	}
	return onlyParams(q)
}

func (s *server) handleAPITrash(w http.ResponseWriter, r *http.Request, who string) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	items, err := h.Trash(r.Context())
	if err != nil {
		return err
	}
	out := apiTrashResponse{Trash: make([]apiTrashItem, 0, len(items))}
	for _, it := range items {
		d := it.Doc
		title := d.Effective.Title
		if title == "" {
			title = d.Effective.ID
		}
		out.Trash = append(out.Trash, apiTrashItem{ID: d.Effective.ID, Title: title, Metadata: *toAPIEntry(&d.Effective),
			Overrides: toAPIEntry(d.Overrides), DeletedBy: it.DeletedBy, DeletedAt: it.DeletedAt.UTC(), Expires: it.Expires.UTC(),
			SHA256: d.SHA256, Size: d.Size, Restore: "/api/trash/" + escapePath(d.Effective.ID) + "/restore"})
	}
	return writeJSON(w, http.StatusOK, out)
}

// restoreConflict says why a restore cannot be done.
func restoreConflict(err error, id string) error {
	if errors.Is(err, corpus.ErrConflict) {
		return &httpError{status: http.StatusConflict, code: "conflict",
			msg: "A document " + id + " is in the library now: delete it first, then restore the trashed one.", err: err}
	}
	if errors.Is(err, corpus.ErrNotFound) {
		return errNotFound("The trash holds no document " + id + " (restored already, purged, or never deleted).")
	}
	return err
}

func (s *server) handleAPIRestore(w http.ResponseWriter, r *http.Request, who string) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	defer s.lib.locks.lock(id)()
	d, err := h.Restore(r.Context(), who, id)
	if err != nil {
		return restoreConflict(err, id)
	}
	w.Header().Set("ETag", docETag(d))
	return writeJSON(w, http.StatusOK, toAPIStored(d))
}

func (s *server) handleAPIPurge(w http.ResponseWriter, r *http.Request, who string) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	if err := s.requireAdmin(who, "purge the trash"); err != nil {
		return err
	}
	if err := h.Purge(r.Context(), who, id); err != nil {
		return restoreConflict(err, id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) handleAPIVersions(w http.ResponseWriter, r *http.Request, who string) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	vs, err := h.Versions(r.Context(), id)
	if err != nil {
		return err
	}
	out := apiVersionsResponse{ID: id, Versions: make([]apiVersion, 0, len(vs))}
	for i, v := range vs {
		av := apiVersion{N: v.N, Current: v.Current, Time: v.At.UTC(), By: v.By, Action: v.Action,
			Metadata: *toAPIEntry(&v.Doc.Effective), Overrides: toAPIEntry(v.Doc.Overrides), Source: v.Doc.Source,
			SHA256: v.Doc.SHA256, Size: v.Doc.Size, Changes: []apiChange{}}
		if av.Overrides != nil {
			av.Overrides.ID = ""
		}
		if i > 0 {
			for _, c := range versionChanges(&vs[i-1].Doc, &v.Doc) {
				av.Changes = append(av.Changes, apiChange(c))
			}
		}
		if !v.Current {
			av.Restore = "/api/documents/" + escapePath(id) + "/versions/" + strconv.Itoa(v.N) + "/restore"
		}
		out.Versions = append(out.Versions, av)
	}
	return writeJSON(w, http.StatusOK, out)
}

// versionChanges lists the metadata fields, and the file, that differ
// from a to b.
func versionChanges(a, b *LibraryDoc) []auditChange {
	before, after := fieldsOf(&a.Effective), fieldsOf(&b.Effective)
	var out []auditChange
	for _, f := range catalogFields {
		if f == fieldID {
			continue
		}
		if before[f] != after[f] {
			out = append(out, auditChange{metaLabel(f), before[f], after[f]})
		}
	}
	if a.SHA256 != b.SHA256 {
		out = append(out, auditChange{"File (SHA-256)", shortSum(a.SHA256), shortSum(b.SHA256)})
	}
	return out
}

// versionVar reads the {n} of a version route.
func versionVar(r *http.Request) (int, error) {
	v, err := pathVar(mux.Vars(r), "n")
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, errBadRequest("A version is a number from 1.")
	}
	return n, nil
}

func (s *server) handleAPIRestoreVersion(w http.ResponseWriter, r *http.Request, who string) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	n, err := versionVar(r)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	defer s.lib.locks.lock(id)()
	d, err := h.RestoreVersion(r.Context(), who, id, n)
	if errors.Is(err, corpus.ErrNotFound) {
		return errNotFound("Document " + id + " has no version " + strconv.Itoa(n) + " (GET /api/documents/" + id + "/versions lists them).")
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", docETag(d))
	return writeJSON(w, http.StatusOK, toAPIStored(d))
}

// Pages.

type trashPage struct {
	librarianLayout
	Flash   string
	Items   []trashView
	Admin   bool
	Days    string
	JSONURL string
}

type trashView struct {
	ID, Title, DeletedBy, DeletedAt, Expires string
}

type versionView struct {
	N                int
	Current          bool
	Time, By, Action string
	Changes          []auditChange
}

func (s *server) handleTrashPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	items, err := h.Trash(r.Context())
	if err != nil {
		return err
	}
	p := trashPage{librarianLayout: s.librarianLayout("Trash", sess.name), Admin: s.isAdmin(sess.name), JSONURL: "/api/trash"}
	q := r.URL.Query()
	if id := q.Get("restored"); validDocumentID(id) {
		p.Flash = "Restored " + id + ": it is searchable again."
	} else if id := q.Get("purged"); validDocumentID(id) {
		p.Flash = "Purged " + id + " for good."
	}
	for _, it := range items {
		title := it.Doc.Effective.Title
		if title == "" {
			title = it.Doc.Effective.ID
		}
		p.Items = append(p.Items, trashView{ID: it.Doc.Effective.ID, Title: title, DeletedBy: it.DeletedBy,
			DeletedAt: fmtTime(it.DeletedAt), Expires: fmtTime(it.Expires)})
	}
	return s.render(w, http.StatusOK, "librarian-trash", p)
}

func (s *server) handleTrashRestorePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if _, err := h.Restore(r.Context(), sess.name, id); err != nil {
		return restoreConflict(err, id)
	}
	http.Redirect(w, r, "/librarian/trash?restored="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}

func (s *server) handleTrashPurgePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if err := s.requireAdmin(sess.name, "purge the trash"); err != nil {
		return err
	}
	if err := h.Purge(r.Context(), sess.name, id); err != nil {
		return restoreConflict(err, id)
	}
	http.Redirect(w, r, "/librarian/trash?purged="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}

func (s *server) handleVersionRestorePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	h, err := s.history()
	if err != nil {
		return err
	}
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	n, err := versionVar(r)
	if err != nil {
		return err
	}
	if _, err := h.RestoreVersion(r.Context(), sess.name, id, n); err != nil {
		return err
	}
	http.Redirect(w, r, "/librarian/edit/"+escapePath(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// versionViews is a document's history for its edit page, the newest
// first; nil when the library keeps none.
func (s *server) versionViews(ctx context.Context, id string) ([]versionView, error) {
	if s.lib.history == nil {
		return nil, nil
	}
	vs, err := s.lib.history.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]versionView, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		vv := versionView{N: v.N, Current: v.Current, Time: fmtTime(v.At), By: v.By, Action: v.Action}
		if i > 0 {
			vv.Changes = versionChanges(&vs[i-1].Doc, &v.Doc)
		}
		out = append(out, vv)
	}
	return out, nil
}

// trashDays is how long the trash keeps a document (0: there is none).
func (s *server) trashDays() int {
	if s.lib.history == nil {
		return 0
	}
	return s.lib.history.TrashDays()
}
