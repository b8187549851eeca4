package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// View models of the librarian pages.

type librarianLayout struct {
	Layout
	Who   string // the signed-in librarian's token name
	Admin bool   // their token is an admin's
}

type signInPage struct {
	Layout
	Error string
}

// formValues are a metadata form's fields and choices.
type formValues struct {
	Values    map[string]string
	Kinds     []option
	Formats   []option
	MaxUpload string
	CanFetch  bool
}

type librarianHomePage struct {
	librarianLayout
	Flash  string
	Error  string
	Form   formValues
	Recent []auditView
}

type metaRow struct{ Label, Value string }

type facetCount struct {
	Value string
	Count int
}

type previewPassage struct {
	Unit, Label, Heading, Text string
	Instruments, Articles      []string
	States                     []string
}

type previewPage struct {
	librarianLayout
	PendingID   string
	ID          string
	Exists      bool // a document of this id is stored: saving would conflict
	Meta        []metaRow
	Passages    int
	Instruments []facetCount
	Articles    []facetCount
	States      []facetCount
	Sample      []previewPassage
	More        int        // passages not shown
	Exact       []string   // stored documents with the same bytes
	Near        []nearView // stored documents with a like text
	// Segmentation says how the text was cut; Kinds offer another kind
	// to preview the same file again with (the server keeps it under
	// PendingID).
	Segmentation string
	Kinds        []option
}

type editPage struct {
	librarianLayout
	ID         string
	DocURL     string
	Saved      bool
	Unchanged  bool
	Error      string
	Form       formValues
	Overridden []metaRow // field → the catalog's value it corrects
	Provenance []metaRow
	InEffect   []effectRow   // each field's value in effect and its source
	History    []versionView // newest first
	Near       []nearView    // documents whose text is like this one's
}

type deletePage struct {
	librarianLayout
	ID, Title, DocURL string
	TrashDays         int
}

type auditChange struct{ Field, Before, After string }

type auditView struct {
	Time, Who, Action, ID, DocURL string
	Changes                       []auditChange
}

type auditPage struct {
	librarianLayout
	Events     []auditView
	Prev, Next string
	Filter     AuditFilter
	Actions    []string
	ExportURL  string
}

func (s *server) librarianLayout(title, who string) librarianLayout {
	return librarianLayout{Layout: Layout{Title: title, Nav: "librarian", Librarian: who}, Who: who, Admin: s.isAdmin(who)}
}

func (s *server) formValues(values map[string]string) formValues {
	fv := formValues{Values: values, MaxUpload: byteSize(s.lib.maxUpload), CanFetch: s.lib.fetcher != nil}
	if fv.Values == nil {
		fv.Values = map[string]string{}
	}
	fv.Kinds = append(fv.Kinds, option{Value: "", Label: "—", Selected: fv.Values[fieldKind] == ""})
	for _, k := range kinds {
		fv.Kinds = append(fv.Kinds, option{Value: k, Label: k, Selected: fv.Values[fieldKind] == k})
	}
	fv.Formats = append(fv.Formats, option{Value: "", Label: "detect", Selected: fv.Values[fieldFormat] == ""})
	for _, f := range formats {
		fv.Formats = append(fv.Formats, option{Value: f, Label: f, Selected: fv.Values[fieldFormat] == f})
	}
	return fv
}

// submitted returns a form's catalog fields as form values, to refill it.
func submitted(v url.Values) map[string]string {
	m := map[string]string{}
	for _, f := range catalogFields {
		m[f] = strings.Join(v[f], ", ")
	}
	return m
}

// userError returns the status and message of an error a librarian can
// act on (a 4xx), or ok false for the server's own failures.
func userError(err error) (status int, msg string, ok bool) {
	status, _, msg = errorResponse(err)
	return status, msg, status >= 400 && status < 500 && status != 499
}

// Handlers.

func (s *server) handleLibrarianHome(w http.ResponseWriter, r *http.Request) error {
	sess, ok := s.session(r)
	if !ok {
		return s.render(w, http.StatusOK, "librarian-signin", signInPage{Layout: Layout{Title: "Librarian sign-in", Nav: "librarian"}})
	}
	return s.renderHome(w, r, http.StatusOK, sess.name, "", nil)
}

func (s *server) renderHome(w http.ResponseWriter, r *http.Request, status int, who, errMsg string, values map[string]string) error {
	page := librarianHomePage{librarianLayout: s.librarianLayout("Librarian", who), Error: errMsg, Form: s.formValues(values)}
	q := r.URL.Query()
	if id := q.Get("deleted"); id != "" && validDocumentID(id) {
		page.Flash = "Deleted " + id + "."
		if days := s.trashDays(); days > 0 {
			page.Flash = fmt.Sprintf("Deleted %s: it is in the trash for %d days, where it can be restored.", id, days)
		}
	}
	evs, _, err := s.lib.lib.Audit(r.Context(), 0, 10)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		page.Recent = append(page.Recent, toAuditView(ev))
	}
	return s.render(w, status, "librarian", page)
}

func (s *server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.")
	}
	tok := strings.TrimSpace(r.PostForm.Get("token"))
	fail := func() error {
		return s.render(w, http.StatusUnauthorized, "librarian-signin", signInPage{
			Layout: Layout{Title: "Librarian sign-in", Nav: "librarian"},
			Error:  "That token is not valid, or it has been revoked.",
		})
	}
	if tok == "" || len(tok) > maxTokenLength {
		return fail()
	}
	digest := tokenDigest(tok)
	name, ok := s.lib.tokens.Lookup(digest)
	if !ok {
		s.log.InfoContext(r.Context(), "librarian sign-in refused")
		return fail()
	}
	id, err := s.lib.sessions.create(name, digest, time.Now())
	if err != nil {
		return err
	}
	setSessionCookie(w, r, id, int(sessionTTL/time.Second))
	s.log.InfoContext(r.Context(), "librarian signed in", "who", name)
	http.Redirect(w, r, "/librarian", http.StatusSeeOther)
	return nil
}

func (s *server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.lib.sessions.delete(c.Value); err != nil {
			// Signed out here; the file keeps the session until it
			// expires (its cookie is cleared below).
			s.log.ErrorContext(r.Context(), "saving sessions after a sign-out", "err", err)
		}
	}
	setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/librarian", http.StatusSeeOther)
	return nil
}

func (s *server) handlePreviewPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	form, err := s.readUploadForm(r, append(slicesClone(catalogFields), fieldFile))
	if err != nil {
		return s.homeError(w, r, sess, err, nil)
	}
	e, up, err := s.newDocument(r, form)
	if err != nil {
		return s.homeError(w, r, sess, err, form.fields)
	}
	doc, err := s.lib.lib.Preview(r.Context(), e, up)
	if err != nil {
		return s.homeError(w, r, sess, err, form.fields)
	}
	return s.renderPreview(w, r, sess, e, up, doc)
}

// handlePreviewAgain previews the file of a pending preview again with
// another kind, without the file being sent again.
func (s *server) handlePreviewAgain(w http.ResponseWriter, r *http.Request, sess *session) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.")
	}
	kind := strings.TrimSpace(r.PostForm.Get(fieldKind))
	if kind != "" && !slices.Contains(kinds, kind) {
		return errBadRequest("Unknown kind %q.", kind)
	}
	pu, ok := s.lib.pending.take(r.PostForm.Get("pending"), sess.name, time.Now())
	if !ok {
		return &httpError{status: http.StatusGone, code: "gone", msg: "This preview has expired or was saved already: add the document again."}
	}
	e := pu.entry
	e.Kind = kind
	doc, err := s.lib.lib.Preview(r.Context(), e, pu.up)
	if err != nil {
		return s.homeError(w, r, sess, err, nil)
	}
	return s.renderPreview(w, r, sess, e, pu.up, doc)
}

// renderPreview keeps a previewed upload for saving and shows what it
// would be.
func (s *server) renderPreview(w http.ResponseWriter, r *http.Request, sess *session, e corpus.Entry, up *Upload, doc *corpus.Document) error {
	pid, err := s.lib.pending.put(&pendingUpload{who: sess.name, entry: e, up: up}, time.Now())
	if err != nil {
		return err
	}
	page := previewPage{librarianLayout: s.librarianLayout("Preview "+e.ID, sess.name), PendingID: pid, ID: e.ID,
		Passages: len(doc.Passages), Segmentation: segmentationOf(doc), Kinds: s.formValues(map[string]string{fieldKind: e.Kind}).Kinds}
	if _, err := s.lib.lib.Get(r.Context(), e.ID); err == nil {
		page.Exists = true
	} else if !errors.Is(err, corpus.ErrNotFound) {
		return err
	}
	page.Meta = metaRows(&doc.Entry)
	page.Meta = append(page.Meta, metaRow{"File", fileLabel(up)})
	x := extracted(doc, 50)
	conv := func(vs []apiFacetValue) []facetCount {
		out := make([]facetCount, 0, len(vs))
		for _, v := range vs {
			out = append(out, facetCount{v.Value, v.Count})
		}
		return out
	}
	page.Instruments, page.Articles, page.States = conv(x.Instrument), conv(x.Article), conv(x.State)
	for _, p := range x.Sample {
		page.Sample = append(page.Sample, previewPassage{Unit: p.Unit, Label: unitLabel(p.Unit), Heading: p.Heading,
			Text: p.Text, Instruments: p.Instrument, Articles: p.Article, States: p.State})
	}
	page.More = len(doc.Passages) - len(page.Sample)
	dups, err := s.duplicatesOf(r.Context(), e.ID, up, doc)
	if err != nil {
		return err
	}
	if dups != nil {
		page.Exact, page.Near = dups.Exact, toNearViews(dups.Near)
	}
	return s.render(w, http.StatusOK, "librarian-preview", page)
}

// homeError shows the add form again with what was wrong, for errors the
// librarian can fix.
func (s *server) homeError(w http.ResponseWriter, r *http.Request, sess *session, err error, fields url.Values) error {
	status, msg, ok := userError(err)
	if !ok {
		return err
	}
	return s.renderHome(w, r, status, sess.name, msg, submitted(fields))
}

func fileLabel(up *Upload) string {
	name := up.Filename
	if up.Source != "" && up.Origin == "crawl" {
		name = up.Source
	}
	if name == "" {
		name = "(no name)"
	}
	return fmt.Sprintf("%s, %s", name, byteSize(int64(len(up.Raw))))
}

func (s *server) handleSavePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.")
	}
	allowDup := r.PostForm.Get("allow_duplicate") == "1"
	pu, ok := s.lib.pending.take(r.PostForm.Get("pending"), sess.name, time.Now())
	if !ok {
		return &httpError{status: http.StatusGone, code: "gone", msg: "This preview has expired or was saved already: add the document again."}
	}
	if err := s.checkDuplicate(r.Context(), pu.entry.ID, pu.up, allowDup); err != nil {
		return err
	}
	if _, err := s.lib.lib.Add(r.Context(), sess.name, pu.entry, pu.up); err != nil {
		return err
	}
	http.Redirect(w, r, "/librarian/edit/"+escapePath(pu.entry.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *server) handleEditLookup(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := strings.TrimSpace(r.URL.Query().Get("id"))
	if !validDocumentID(id) {
		return s.renderHome(w, r, http.StatusBadRequest, sess.name, "That is not a valid document id.", nil)
	}
	http.Redirect(w, r, "/librarian/edit/"+escapePath(id), http.StatusSeeOther)
	return nil
}

func (s *server) handleEditPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	d, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := s.buildEditPage(sess.name, d, q.Get("saved") == "1", q.Get("unchanged") == "1", "")
	page.InEffect = effectRows(d, s.passagesForEffect(r, id))
	if page.History, err = s.versionViews(r.Context(), id); err != nil {
		return err
	}
	if page.Near, err = s.nearDuplicatesOf(r.Context(), id); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "librarian-edit", page)
}

func (s *server) buildEditPage(who string, d *LibraryDoc, saved, unchanged bool, errMsg string) editPage {
	id := d.Effective.ID
	page := editPage{librarianLayout: s.librarianLayout("Edit "+id, who), ID: id, DocURL: docURL(id, ""),
		Saved: saved, Unchanged: unchanged, Error: errMsg, Form: s.formValues(fieldsOf(&d.Effective))}
	if o := d.Overrides; o != nil {
		cat := fieldsOf(&d.Catalog)
		for _, f := range correctableFields {
			if v := fieldsOf(o)[f]; v != "" {
				was := cat[f]
				if was == "" {
					was = "(none)"
				}
				page.Overridden = append(page.Overridden, metaRow{metaLabel(f), v + " (catalog: " + was + ")"})
			}
		}
	}
	page.Provenance = []metaRow{{"Origin", d.Origin}, {"Source", d.Source}}
	if d.FinalURL != "" {
		page.Provenance = append(page.Provenance, metaRow{"Final URL", d.FinalURL})
	}
	page.Provenance = append(page.Provenance, metaRow{"Content type", d.ContentType}, metaRow{"Size", byteSize(d.Size)},
		metaRow{"SHA-256", d.SHA256}, metaRow{"Fetched", fmtTime(d.FetchedAt)})
	return page
}

func (s *server) handleEditSave(w http.ResponseWriter, r *http.Request, sess *session) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	cur, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return err
	}
	showError := func(err error) error {
		status, msg, ok := userError(err)
		if !ok {
			return err
		}
		return s.render(w, status, "librarian-edit", s.buildEditPage(sess.name, cur, false, false, msg))
	}
	form, err := s.readUploadForm(r, append(slicesClone(correctableFields), fieldFile))
	if err != nil {
		return showError(err)
	}
	sub, err := entryFromFields(form.fields)
	if err != nil {
		return showError(err)
	}
	overrides := changedFields(&cur.Effective, &sub, form.fields)
	if overrides == nil && form.file == nil {
		http.Redirect(w, r, "/librarian/edit/"+escapePath(id)+"?unchanged=1", http.StatusSeeOther)
		return nil
	}
	if _, err := s.lib.lib.Update(r.Context(), sess.name, id, overrides, form.file); err != nil {
		return showError(err)
	}
	http.Redirect(w, r, "/librarian/edit/"+escapePath(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *server) handleDeletePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	d, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return err
	}
	title := d.Effective.Title
	if title == "" {
		title = id
	}
	return s.render(w, http.StatusOK, "librarian-delete", deletePage{librarianLayout: s.librarianLayout("Delete "+id, sess.name),
		ID: id, Title: title, DocURL: docURL(id, ""), TrashDays: s.trashDays()})
}

func (s *server) handleDeleteConfirm(w http.ResponseWriter, r *http.Request, sess *session) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	if err := s.lib.lib.Delete(r.Context(), sess.name, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/librarian?deleted="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}

func (s *server) handleAuditPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	page, size, err := auditPaging(v)
	if err != nil {
		return err
	}
	f, err := auditFilter(v)
	if err != nil {
		return err
	}
	evs, more, err := s.auditEvents(r.Context(), f, (page-1)*size, size)
	if err != nil {
		return err
	}
	p := auditPage{librarianLayout: s.librarianLayout("Audit log", sess.name), Filter: f, Actions: auditActions}
	p.JSONURL = auditPageURL("/api/audit", f, page, size)
	ex := f.query()
	ex.Set("format", "jsonl")
	p.ExportURL = "/api/audit?" + ex.Encode()
	for _, ev := range evs {
		p.Events = append(p.Events, toAuditView(ev))
	}
	if page > 1 {
		p.Prev = auditPageURL("/librarian/audit", f, page-1, size)
	}
	if more {
		p.Next = auditPageURL("/librarian/audit", f, page+1, size)
	}
	return s.render(w, http.StatusOK, "librarian-audit", p)
}

// metaRows lists an entry's set fields with labels.
func metaRows(e *corpus.Entry) []metaRow {
	vals := fieldsOf(e)
	var rows []metaRow
	for _, f := range catalogFields {
		if v := vals[f]; v != "" {
			rows = append(rows, metaRow{metaLabel(f), v})
		}
	}
	return rows
}

func metaLabel(f string) string {
	switch f {
	case fieldID:
		return "Id"
	case fieldURL:
		return "URL"
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

// toAuditView shows an event as the fields it changed.
func toAuditView(ev AuditEvent) auditView {
	v := auditView{Time: fmtTime(ev.Time), Who: ev.Who, Action: ev.Action, ID: ev.ID}
	if ev.After != nil {
		v.DocURL = docURL(ev.ID, "")
	}
	var before, after map[string]string
	var bsum, asum string
	if ev.Before != nil {
		before, bsum = fieldsOf(&ev.Before.Entry), ev.Before.SHA256
	}
	if ev.After != nil {
		after, asum = fieldsOf(&ev.After.Entry), ev.After.SHA256
	}
	for _, f := range catalogFields {
		if f == fieldID {
			continue
		}
		if b, a := before[f], after[f]; a != b {
			v.Changes = append(v.Changes, auditChange{metaLabel(f), b, a})
		}
	}
	if bsum != asum {
		v.Changes = append(v.Changes, auditChange{"File (SHA-256)", shortSum(bsum), shortSum(asum)})
	}
	return v
}

func shortSum(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}
