package web

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSessionsSurviveARestart: with a sessions file, a librarian signed in
// stays signed in on a new server over the same file; signing out, and
// revoking the token, still end the session. The file holds no session id.
func TestSessionsSurviveARestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sessions.json")
	withFile := func(c *Config) { c.SessionsFile = file }
	h, _, _ := newLibrarianHandler(t, withFile)
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}

	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no sessions file after a sign-in: %v", err)
	}
	if strings.Contains(string(b), c.Value) || strings.Contains(string(b), testToken) {
		t.Errorf("the sessions file holds a session id or a token: %s", b)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("sessions file mode %v (%v), want owner-only", fi.Mode(), err)
	}

	restarted, _, _ := newLibrarianHandler(t, withFile)
	if rec := do(restarted, "GET", "/api/audit", ck...); rec.Code != 200 {
		t.Fatalf("session after a restart: %d, want 200", rec.Code)
	}
	if rec := send(restarted, "POST", "/librarian/signout", nil, ck...); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", rec.Code)
	}
	again, _, toks := newLibrarianHandler(t, withFile)
	if rec := do(again, "GET", "/api/audit", ck...); rec.Code != 401 {
		t.Errorf("session signed out, after a restart: %d, want 401", rec.Code)
	}

	// A revoked token ends a saved session too.
	c = signIn(t, again, testToken)
	ck = []string{"Cookie", c.Name + "=" + c.Value}
	if rec := do(again, "GET", "/api/audit", ck...); rec.Code != 200 {
		t.Fatalf("new session: %d", rec.Code)
	}
	toks.revoke(testToken)
	if rec := do(again, "GET", "/api/audit", ck...); rec.Code != 401 {
		t.Errorf("session of a revoked token: %d, want 401", rec.Code)
	}

	// A corrupt file is an error, not a silent empty store.
	if err := os.WriteFile(file, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openSessionStore(file, time.Now()); err == nil {
		t.Error("a corrupt sessions file opened without an error")
	}
}
