package web

// The librarians' side: the write API (/api/documents, /api/audit) and the
// pages under /librarian. Both need a token: the API as a bearer token, the
// pages through a session cookie made by signing in with one. Tokens are
// hashed (SHA-256) as soon as they arrive; only digests are compared, kept or
// passed on, and neither tokens nor digests are logged.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
)

// Library is what the librarian pages and the write API need from the
// document store. Errors wrap the corpus vocabulary (ErrNotFound,
// ErrConflict, ErrInvalid, ErrUnsupported, ErrTooLarge); an error with a
// UserReason() string method (a document that cannot be read) carries a
// reason written for the librarian, which is shown to them.
type Library interface {
	// Preview reads an upload as entry e would be indexed, storing nothing.
	Preview(ctx context.Context, e corpus.Entry, up *Upload) (*corpus.Document, error)
	// Add stores and indexes a new document (ErrConflict if the id is taken).
	Add(ctx context.Context, who string, e corpus.Entry, up *Upload) (*LibraryDoc, error)
	// Update sets metadata overrides (fields set in overrides), replaces
	// the bytes (up not nil), or both.
	Update(ctx context.Context, who, id string, overrides *corpus.Entry, up *Upload) (*LibraryDoc, error)
	// Delete removes a document.
	Delete(ctx context.Context, who, id string) error
	// Get returns a stored document (ErrNotFound if unknown); Doc is nil.
	Get(ctx context.Context, id string) (*LibraryDoc, error)
	// Audit returns audit events, newest first, and whether more remain.
	Audit(ctx context.Context, skip, limit int) ([]AuditEvent, bool, error)
}

// Tokens checks librarians' API tokens by their SHA-256 digests.
type Tokens interface {
	// Lookup returns the name of the token whose digest is sum.
	Lookup(sum [sha256.Size]byte) (name string, ok bool)
}

// Fetcher fetches a document a librarian gives by URL.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (*Upload, error)
}

// Upload is a document's bytes, uploaded or fetched, and where they came
// from.
type Upload struct {
	Raw         []byte
	Filename    string // the uploaded file's name (a hint for the format)
	Format      string // the format a fetch found, if any
	ContentType string
	Origin      string // "upload" or "crawl"
	Source      string // the URL fetched, for fetched documents
	FinalURL    string
	Status      int
	ETag        string
	Modified    string
}

// LibraryDoc is a stored document as a librarian sees it.
type LibraryDoc struct {
	Effective corpus.Entry  // the metadata in use: the catalog's, corrected
	Catalog   corpus.Entry  // as imported or uploaded
	Overrides *corpus.Entry // the librarians' corrections

	Origin      string // "upload", "crawl", "catalog:<path>"
	Source      string
	FinalURL    string
	ContentType string
	SHA256      string
	Size        int64
	FetchedAt   time.Time
	// Doc is the document as indexed (passages and their facets), after
	// Add and Update; nil from Get.
	Doc *corpus.Document
}

// AuditEvent is one change a librarian made.
type AuditEvent struct {
	Time          time.Time
	Who           string // the token's name
	Action        string // add, replace, edit, delete
	ID            string
	Before, After *AuditState
}

// AuditState is a document's metadata before or after a change.
type AuditState struct {
	Entry     corpus.Entry // effective
	Overrides *corpus.Entry
	Source    string
	SHA256    string
	Size      int64
}

// DefaultMaxUpload is the default limit of an uploaded file.
const DefaultMaxUpload = 50 << 20

// Librarian limits.
const (
	uploadFormOverhead = 1 << 20 // room for the form's fields around the file
	uploadTimeout      = 5 * time.Minute
	sessionTTL         = 8 * time.Hour
	maxSessions        = 10_000
	pendingTTL         = 30 * time.Minute
	sessionCookie      = "hrsearch_session"
)

// librarian is the state of the librarians' side of the server.
type librarian struct {
	lib       Library
	history   LibraryHistory // nil: no trash or versions
	locks     docLocks       // guarded writes, per document
	tokens    Tokens
	fetcher   Fetcher
	maxUpload int64
	sessions  *sessionStore
	pending   *pendingStore
}

func newLibrarian(cfg Config) (*librarian, error) {
	if cfg.Tokens == nil {
		return nil, errors.New("web: Config.Library needs Config.Tokens")
	}
	max := cfg.MaxUpload
	if max <= 0 {
		max = DefaultMaxUpload
	}
	sessions, err := openSessionStore(cfg.Sessions, time.Now())
	if err != nil {
		return nil, err
	}
	history, _ := cfg.Library.(LibraryHistory)
	return &librarian{
		lib: cfg.Library, history: history, tokens: cfg.Tokens, fetcher: cfg.Fetcher, maxUpload: max,
		sessions: sessions,
		pending:  newPendingStore(2*max + 16<<20),
	}, nil
}

// librarianPages are the librarian templates, each parsed with base.html.
var librarianPages = []string{"librarian-signin", "librarian", "librarian-preview", "librarian-edit", "librarian-delete", "librarian-audit",
	"librarian-trash", "librarian-tokens", "librarian-bulk", "librarian-documents", "librarian-import"}

func (s *server) parseLibrarianTemplates() error {
	funcs := template.FuncMap{"static": s.staticURL}
	for _, name := range librarianPages {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/base.html", "templates/librarian-parts.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("parsing template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

func (s *server) registerLibrarianRoutes(r *mux.Router) {
	if s.lib == nil {
		return
	}
	// The write API.
	r.Handle("/api/documents", s.adapt(kindJSON, s.apiAuth(s.handleAPIAdd))).Methods(http.MethodPost)
	r.Handle("/api/documents/bulk", s.adapt(kindJSON, s.apiAuth(s.handleAPIBulk))).Methods(http.MethodPost)
	r.Handle("/librarian/bulk", s.adapt(kindHTML, s.pageAuth(s.handleBulkPage))).Methods(http.MethodPost)
	get(r, "/librarian/bulk", s.adapt(kindHTML, s.pageAuth(s.handleBulkForm)))
	r.Handle("/api/documents/{id}", s.adapt(kindJSON, s.apiAuth(s.handleAPIUpdate))).Methods(http.MethodPut)
	r.Handle("/api/documents/{id}", s.adapt(kindJSON, s.apiAuth(s.handleAPIDelete))).Methods(http.MethodDelete)
	get(r, "/api/audit", s.adapt(kindJSON, s.apiAuth(s.handleAPIAudit)))

	// The pages.
	get(r, "/librarian", s.adapt(kindHTML, s.handleLibrarianHome))
	r.Handle("/librarian/signin", s.adapt(kindHTML, s.handleSignIn)).Methods(http.MethodPost)
	r.Handle("/librarian/signout", s.adapt(kindHTML, s.handleSignOut)).Methods(http.MethodPost)
	r.Handle("/librarian/preview", s.adapt(kindHTML, s.pageAuth(s.handlePreviewPage))).Methods(http.MethodPost)
	r.Handle("/librarian/save", s.adapt(kindHTML, s.pageAuth(s.handleSavePage))).Methods(http.MethodPost)
	r.Handle("/librarian/preview/again", s.adapt(kindHTML, s.pageAuth(s.handlePreviewAgain))).Methods(http.MethodPost)
	get(r, "/librarian/edit", s.adapt(kindHTML, s.pageAuth(s.handleEditLookup)))
	get(r, "/librarian/edit/{id}", s.adapt(kindHTML, s.pageAuth(s.handleEditPage)))
	r.Handle("/librarian/edit/{id}", s.adapt(kindHTML, s.pageAuth(s.handleEditSave))).Methods(http.MethodPost)
	get(r, "/librarian/delete/{id}", s.adapt(kindHTML, s.pageAuth(s.handleDeletePage)))
	r.Handle("/librarian/delete/{id}", s.adapt(kindHTML, s.pageAuth(s.handleDeleteConfirm))).Methods(http.MethodPost)
	get(r, "/librarian/audit", s.adapt(kindHTML, s.pageAuth(s.handleAuditPage)))
	get(r, "/librarian/documents", s.adapt(kindHTML, s.pageAuth(s.handleLibraryPage)))
	s.registerHistoryRoutes(r)
	s.registerTokenRoutes(r)
	s.registerImportRoutes(r)
}

// isUploadRoute reports whether r may carry a file.
func isUploadRoute(r *http.Request) bool {
	p := r.URL.Path
	switch r.Method {
	case http.MethodPost:
		return p == "/api/documents" || p == "/api/documents/bulk" || p == "/librarian/preview" || p == "/librarian/bulk" ||
			p == "/api/catalog" || p == "/librarian/import" ||
			strings.HasPrefix(p, "/librarian/edit/")
	case http.MethodPut:
		return strings.HasPrefix(p, "/api/documents/")
	}
	return false
}

// limitBodies is limitRequest, except that the routes taking uploads accept
// bodies up to the upload limit (and get longer deadlines to read them).
func (s *server) limitBodies(next http.Handler) http.Handler {
	small := s.limitRequest(next)
	if s.lib == nil {
		return small
	}
	limit := s.lib.maxUpload + uploadFormOverhead
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isUploadRoute(r) {
			small.ServeHTTP(w, r)
			return
		}
		if len(r.RequestURI) > maxURILength || len(r.URL.RawQuery) > maxURILength {
			s.writeError(w, r, kindAuto, &httpError{status: http.StatusRequestURITooLong, code: "uri_too_long", msg: "The address is too long."})
			return
		}
		if r.ContentLength > limit {
			s.writeError(w, r, kindAuto, s.errUploadTooLarge())
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout)) // not every writer supports deadlines
		_ = rc.SetWriteDeadline(time.Now().Add(uploadTimeout))
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func (s *server) errUploadTooLarge() error {
	return &httpError{status: http.StatusRequestEntityTooLarge, code: "too_large",
		msg: fmt.Sprintf("The upload is larger than the limit of %s.", byteSize(s.lib.maxUpload))}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Authentication.

// tokenDigest hashes a presented token at once: the token goes no further.
func tokenDigest(token string) [sha256.Size]byte { return sha256.Sum256([]byte(token)) }

// maxTokenLength bounds what is hashed.
const maxTokenLength = 512

// bearer returns the token of an Authorization header, and whether the
// header was there at all.
func bearer(r *http.Request) (token string, present bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(tok), true
}

// who returns the name of the librarian making r: by bearer token, or by
// session cookie when there is no Authorization header.
func (s *server) who(r *http.Request) (string, bool) {
	if tok, present := bearer(r); present {
		if tok == "" || len(tok) > maxTokenLength {
			return "", false
		}
		name, ok := s.lib.tokens.Lookup(tokenDigest(tok))
		if ok {
			s.touch(r, name)
		}
		return name, ok
	}
	sess, ok := s.session(r)
	if !ok {
		return "", false
	}
	return sess.name, true
}

// session returns r's session if it is live and its token not revoked.
func (s *server) session(r *http.Request) (*session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, false
	}
	sess, ok := s.lib.sessions.get(c.Value, time.Now())
	if !ok {
		return nil, false
	}
	name, ok := s.lib.tokens.Lookup(sess.digest)
	if !ok || name != sess.name {
		_ = s.lib.sessions.delete(c.Value) // a revoked token ends it whether or not the file follows
		return nil, false
	}
	s.touch(r, name)
	return sess, true
}

func errUnauthorized() error {
	return &httpError{status: http.StatusUnauthorized, code: "unauthorized",
		msg: "A valid librarian token is required (Authorization: Bearer <token>)."}
}

// apiAuth lets through only requests with a valid token (or session).
func (s *server) apiAuth(h func(w http.ResponseWriter, r *http.Request, who string) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		who, ok := s.who(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hrsearch"`)
			return errUnauthorized()
		}
		return h(w, r, who)
	}
}

// pageAuth lets through only signed-in librarians; others are sent to
// the sign-in page (GET) or refused (POST).
func (s *server) pageAuth(h func(w http.ResponseWriter, r *http.Request, sess *session) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sess, ok := s.session(r)
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/librarian", http.StatusSeeOther)
				return nil
			}
			return &httpError{status: http.StatusUnauthorized, code: "unauthorized", msg: "Sign in on the librarian page first (your session may have expired)."}
		}
		return h(w, r, sess)
	}
}

// Sessions.

type session struct {
	name    string
	digest  [sha256.Size]byte // the token's, so that revoking it ends the session
	expires time.Time
}

// sessionStore keeps sessions by the SHA-256 of their ids, in memory and,
// with a Persister, saved at every sign-in and sign-out, so that a restart
// signs no one out. What is saved holds no session id: only digests,
// names, token digests and expiry times.
type sessionStore struct {
	mu    sync.Mutex
	m     map[[sha256.Size]byte]*session
	saved Persister
}

// savedSession is a session as saved.
type savedSession struct {
	Key     string    `json:"key"` // hex SHA-256 of the session id
	Name    string    `json:"name"`
	Token   string    `json:"token"` // hex SHA-256 of the token
	Expires time.Time `json:"expires"`
}

func newSessionStore() *sessionStore {
	return &sessionStore{m: make(map[[sha256.Size]byte]*session)}
}

// openSessionStore reads the live sessions saved in p (nil keeps them in
// memory only). Nothing saved is no session; saved bytes that do not parse
// are an error, as a corrupt store would be.
func openSessionStore(p Persister, now time.Time) (*sessionStore, error) {
	st := newSessionStore()
	st.saved = p
	if p == nil {
		return st, nil
	}
	b, err := p.Load()
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	if b == nil {
		return st, nil
	}
	var saved []savedSession
	if err := json.Unmarshal(b, &saved); err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	for _, ss := range saved {
		key, err1 := hex.DecodeString(ss.Key)
		tok, err2 := hex.DecodeString(ss.Token)
		if err1 != nil || err2 != nil || len(key) != sha256.Size || len(tok) != sha256.Size || !now.Before(ss.Expires) {
			continue
		}
		s := &session{name: ss.Name, expires: ss.Expires}
		copy(s.digest[:], tok)
		st.m[[sha256.Size]byte(key)] = s
	}
	return st, nil
}

// saveLocked saves the live sessions, if there is a Persister.
func (st *sessionStore) saveLocked(now time.Time) error {
	if st.saved == nil {
		return nil
	}
	saved := []savedSession{}
	for k, s := range st.m {
		if now.Before(s.expires) {
			saved = append(saved, savedSession{Key: hex.EncodeToString(k[:]), Name: s.name,
				Token: hex.EncodeToString(s.digest[:]), Expires: s.expires.UTC()})
		}
	}
	b, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	return st.saved.Save(b)
}

func randomID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (st *sessionStore) create(name string, digest [sha256.Size]byte, now time.Time) (string, error) {
	id, err := randomID()
	if err != nil {
		return "", err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) >= maxSessions {
		for k, s := range st.m {
			if now.After(s.expires) {
				delete(st.m, k)
			}
		}
		if len(st.m) >= maxSessions {
			return "", errors.New("too many sessions")
		}
	}
	st.m[sha256.Sum256([]byte(id))] = &session{name: name, digest: digest, expires: now.Add(sessionTTL)}
	if err := st.saveLocked(now); err != nil {
		delete(st.m, sha256.Sum256([]byte(id)))
		return "", fmt.Errorf("saving the session: %w", err)
	}
	return id, nil
}

func (st *sessionStore) get(id string, now time.Time) (*session, bool) {
	k := sha256.Sum256([]byte(id))
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[k]
	if !ok {
		return nil, false
	}
	if now.After(s.expires) {
		delete(st.m, k)
		return nil, false
	}
	return s, true
}

// delete ends a session. A sessions file that cannot be rewritten keeps
// it until it expires or its token is revoked; the error says so.
func (st *sessionStore) delete(id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	k := sha256.Sum256([]byte(id))
	if _, ok := st.m[k]; !ok {
		return nil
	}
	delete(st.m, k)
	return st.saveLocked(time.Now())
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, id string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || forwardedHTTPS(r) || strings.HasPrefix(publicURLOf(r), "https://"),
	})
}

// forwardedHTTPS reports whether a proxy in front says the client used
// https (X-Forwarded-Proto, or Forwarded's proto). Believing it is safe
// for the cookie's Secure flag: a forged header only makes the forger's
// own cookie https-only.
func forwardedHTTPS(r *http.Request) bool {
	if strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https") {
		return true
	}
	for _, part := range strings.FieldsFunc(strings.Split(r.Header.Get("Forwarded"), ",")[0], func(c rune) bool { return c == ';' }) {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(k, "proto") && strings.EqualFold(strings.Trim(v, `"`), "https") {
			return true
		}
	}
	return false
}

// Pending uploads: previewed, waiting to be saved.

type pendingUpload struct {
	who     string
	entry   corpus.Entry
	up      *Upload
	expires time.Time
}

// pendingStore keeps previewed uploads in memory for a while, within a
// total size: the oldest go first.
type pendingStore struct {
	mu    sync.Mutex
	m     map[string]*pendingUpload
	order []string
	size  int64
	max   int64
}

func newPendingStore(max int64) *pendingStore {
	return &pendingStore{m: make(map[string]*pendingUpload), max: max}
}

func (p *pendingStore) put(pu *pendingUpload, now time.Time) (string, error) {
	id, err := randomID()
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := int64(len(pu.up.Raw))
	for len(p.order) > 0 {
		oldest := p.m[p.order[0]]
		if oldest != nil && now.Before(oldest.expires) && p.size+n <= p.max {
			break
		}
		p.dropLocked(p.order[0])
	}
	pu.expires = now.Add(pendingTTL)
	p.m[id] = pu
	p.order = append(p.order, id)
	p.size += n
	return id, nil
}

// take removes and returns the pending upload id of who.
func (p *pendingStore) take(id, who string, now time.Time) (*pendingUpload, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pu, ok := p.m[id]
	if !ok || pu.who != who || now.After(pu.expires) {
		return nil, false
	}
	p.dropLocked(id)
	return pu, true
}

func (p *pendingStore) dropLocked(id string) {
	if pu, ok := p.m[id]; ok {
		p.size -= int64(len(pu.up.Raw))
		delete(p.m, id)
	}
	for i, o := range p.order {
		if o == id {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
}
