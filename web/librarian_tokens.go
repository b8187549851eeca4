package web

// Roles and token management: an editor adds, edits, deletes and restores;
// an admin also manages tokens (GET/POST /api/tokens, POST
// /api/tokens/{name}/rotate, DELETE /api/tokens/{name}, the page
// /librarian/tokens) and purges the trash. A new or rotated token is shown
// once, in the response that made it, and never logged.

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
)

// Roles.
const (
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// TokenManager is a Tokens that knows roles and can manage tokens; with
// a Tokens that is not one, every librarian is an editor.
type TokenManager interface {
	// Role returns the role of the live token called name.
	Role(name string) (string, bool)
	// Touch records that the token called name was used at at.
	Touch(name string, at time.Time) error
	List() ([]TokenInfo, error)
	// Create makes a token and returns it (ErrConflict for a name used
	// before, ErrInvalid for a bad name or role).
	Create(name, role string) (string, error)
	Revoke(name string) error
	// Rotate replaces a token by a new one, which it returns.
	Rotate(name string) (string, error)
}

// TokenInfo is what may be shown about a token (never the token).
type TokenInfo struct {
	Name, Role        string
	Created           time.Time
	Rotated, LastUsed *time.Time
}

type apiToken struct {
	Name     string     `json:"name"`
	Role     string     `json:"role"`
	Created  time.Time  `json:"created"`
	Rotated  *time.Time `json:"rotated,omitempty"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

type apiTokensResponse struct {
	Tokens []apiToken `json:"tokens"`
}

// apiNewToken is a token just made: the only time it is shown.
type apiNewToken struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Token string `json:"token"`
}

func (s *server) registerTokenRoutes(r *mux.Router) {
	r.Handle("/api/tokens", s.adapt(kindJSON, s.apiAuth(s.handleAPITokens))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/tokens", s.adapt(kindJSON, s.apiAuth(s.handleAPITokenCreate))).Methods(http.MethodPost)
	r.Handle("/api/tokens/{name}/rotate", s.adapt(kindJSON, s.apiAuth(s.handleAPITokenRotate))).Methods(http.MethodPost)
	r.Handle("/api/tokens/{name}", s.adapt(kindJSON, s.apiAuth(s.handleAPITokenRevoke))).Methods(http.MethodDelete)

	get(r, "/librarian/tokens", s.adapt(kindHTML, s.pageAuth(s.handleTokensPage)))
	r.Handle("/librarian/tokens", s.adapt(kindHTML, s.pageAuth(s.handleTokensPost))).Methods(http.MethodPost)
}

func (s *server) tokenManager() TokenManager {
	tm, _ := s.lib.tokens.(TokenManager)
	return tm
}

// role is the role of the librarian called who.
func (s *server) role(who string) string {
	if tm := s.tokenManager(); tm != nil {
		if role, ok := tm.Role(who); ok {
			return role
		}
	}
	return RoleEditor
}

func (s *server) isAdmin(who string) bool { return s.role(who) == RoleAdmin }

// requireAdmin refuses an editor what only an admin may do.
func (s *server) requireAdmin(who, what string) error {
	if s.isAdmin(who) {
		return nil
	}
	return &httpError{status: http.StatusForbidden, code: "forbidden",
		msg: "Only an admin may " + what + ": this token is an editor's (hrsearch token create --role admin makes an admin's)."}
}

// touch records a token's use; a failure is logged, not the request's.
func (s *server) touch(r *http.Request, who string) {
	tm := s.tokenManager()
	if tm == nil {
		return
	}
	if err := tm.Touch(who, time.Now()); err != nil {
		s.log.WarnContext(r.Context(), "recording a token's last use", "who", who, "err", err)
	}
}

// tokenAdmin returns the token manager for an admin, or why not.
func (s *server) tokenAdmin(who string) (TokenManager, error) {
	if err := s.requireAdmin(who, "manage tokens"); err != nil {
		return nil, err
	}
	tm := s.tokenManager()
	if tm == nil {
		return nil, &httpError{status: http.StatusNotImplemented, code: "not_implemented", msg: "This server cannot manage tokens: use hrsearch token."}
	}
	return tm, nil
}

func toAPIToken(t TokenInfo) apiToken {
	return apiToken{Name: t.Name, Role: t.Role, Created: t.Created.UTC(), Rotated: t.Rotated, LastUsed: t.LastUsed}
}

func (s *server) handleAPITokens(w http.ResponseWriter, r *http.Request, who string) error {
	tm, err := s.tokenAdmin(who)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	list, err := tm.List()
	if err != nil {
		return err
	}
	out := apiTokensResponse{Tokens: make([]apiToken, 0, len(list))}
	for _, t := range list {
		out.Tokens = append(out.Tokens, toAPIToken(t))
	}
	return writeJSON(w, http.StatusOK, out)
}

// tokenForm reads a token creation's fields: name and role.
func tokenForm(r *http.Request) (name, role string, err error) {
	if err := noParams(r); err != nil {
		return "", "", err
	}
	if err := r.ParseForm(); err != nil {
		return "", "", errBadRequest("The form could not be read: send name and role as a form.")
	}
	if err := onlyParams(r.PostForm, "name", "role"); err != nil {
		return "", "", err
	}
	name, role = r.PostForm.Get("name"), r.PostForm.Get("role")
	if role == "" {
		role = RoleEditor
	}
	if role != RoleEditor && role != RoleAdmin {
		return "", "", errBadRequest("The role must be %q or %q.", RoleEditor, RoleAdmin)
	}
	if name == "" {
		return "", "", errBadRequest("The token's name is required: lower-case letters, digits, dots, hyphens and underscores, at most 64.")
	}
	return name, role, nil
}

// tokenError turns the token store's refusals into messages.
func tokenError(err error, name string) error {
	switch {
	case errors.Is(err, corpus.ErrConflict):
		return &httpError{status: http.StatusConflict, code: "conflict",
			msg: "A token called " + strconv.Quote(truncate(name, 64)) + " exists or existed: a name is never reused, so that the audit log names one librarian.", err: err}
	case errors.Is(err, corpus.ErrInvalid):
		return errBadRequest("A token's name is lower-case letters, digits, dots, hyphens and underscores, at most 64, starting with a letter or digit.")
	case errors.Is(err, corpus.ErrNotFound):
		return errNotFound("There is no live token called " + strconv.Quote(truncate(name, 64)) + ".")
	}
	return err
}

func (s *server) handleAPITokenCreate(w http.ResponseWriter, r *http.Request, who string) error {
	tm, err := s.tokenAdmin(who)
	if err != nil {
		return err
	}
	name, role, err := tokenForm(r)
	if err != nil {
		return err
	}
	tok, err := tm.Create(name, role)
	if err != nil {
		return tokenError(err, name)
	}
	s.log.InfoContext(r.Context(), "token created", "who", who, "name", name, "role", role)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/tokens")
	return writeJSON(w, http.StatusCreated, apiNewToken{Name: name, Role: role, Token: tok})
}

func (s *server) handleAPITokenRotate(w http.ResponseWriter, r *http.Request, who string) error {
	tm, err := s.tokenAdmin(who)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	name := mux.Vars(r)["name"]
	tok, err := tm.Rotate(name)
	if err != nil {
		return tokenError(err, name)
	}
	role, _ := tm.Role(name)
	s.log.InfoContext(r.Context(), "token rotated", "who", who, "name", name)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, apiNewToken{Name: name, Role: role, Token: tok})
}

func (s *server) handleAPITokenRevoke(w http.ResponseWriter, r *http.Request, who string) error {
	tm, err := s.tokenAdmin(who)
	if err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	name := mux.Vars(r)["name"]
	if err := tm.Revoke(name); err != nil {
		return tokenError(err, name)
	}
	s.log.InfoContext(r.Context(), "token revoked", "who", who, "name", name)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// The page.

type tokensPage struct {
	librarianLayout
	Tokens   []tokenView
	NewName  string // a token just made or rotated, shown once
	NewToken string
	Flash    string
	Error    string
}

type tokenView struct {
	Name, Role, Created, LastUsed, Rotated string
	Self                                   bool
}

func (s *server) renderTokens(w http.ResponseWriter, status int, who string, p tokensPage) error {
	tm, err := s.tokenAdmin(who)
	if err != nil {
		return err
	}
	list, err := tm.List()
	if err != nil {
		return err
	}
	p.librarianLayout = s.librarianLayout("Tokens", who)
	for _, t := range list {
		v := tokenView{Name: t.Name, Role: t.Role, Created: fmtTime(t.Created), LastUsed: "never", Self: t.Name == who}
		if t.LastUsed != nil {
			v.LastUsed = fmtTime(*t.LastUsed)
		}
		if t.Rotated != nil {
			v.Rotated = fmtTime(*t.Rotated)
		}
		p.Tokens = append(p.Tokens, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "librarian-tokens", p)
}

func (s *server) handleTokensPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	p := tokensPage{}
	if name := r.URL.Query().Get("revoked"); name != "" {
		p.Flash = "Revoked " + truncate(name, 64) + "."
	}
	return s.renderTokens(w, http.StatusOK, sess.name, p)
}

// handleTokensPost creates, rotates or revokes a token (the form's action
// field), and shows a new token once.
func (s *server) handleTokensPost(w http.ResponseWriter, r *http.Request, sess *session) error {
	tm, err := s.tokenAdmin(sess.name)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.")
	}
	f := r.PostForm
	if err := onlyParams(f, "action", "name", "role"); err != nil {
		return err
	}
	name := f.Get("name")
	showErr := func(err error) error {
		status, msg, ok := userError(err)
		if !ok {
			return err
		}
		return s.renderTokens(w, status, sess.name, tokensPage{Error: msg})
	}
	switch f.Get("action") {
	case "create":
		role := f.Get("role")
		if role == "" {
			role = RoleEditor
		}
		if role != RoleEditor && role != RoleAdmin {
			return showErr(errBadRequest("The role must be %q or %q.", RoleEditor, RoleAdmin))
		}
		tok, err := tm.Create(name, role)
		if err != nil {
			return showErr(tokenError(err, name))
		}
		s.log.InfoContext(r.Context(), "token created", "who", sess.name, "name", name, "role", role)
		return s.renderTokens(w, http.StatusCreated, sess.name, tokensPage{NewName: name, NewToken: tok})
	case "rotate":
		tok, err := tm.Rotate(name)
		if err != nil {
			return showErr(tokenError(err, name))
		}
		s.log.InfoContext(r.Context(), "token rotated", "who", sess.name, "name", name)
		return s.renderTokens(w, http.StatusOK, sess.name, tokensPage{NewName: name, NewToken: tok})
	case "revoke":
		if err := tm.Revoke(name); err != nil {
			return showErr(tokenError(err, name))
		}
		s.log.InfoContext(r.Context(), "token revoked", "who", sess.name, "name", name)
		http.Redirect(w, r, "/librarian/tokens?revoked="+url.QueryEscape(name), http.StatusSeeOther)
		return nil
	}
	return errBadRequest("The action must be create, rotate or revoke.")
}
