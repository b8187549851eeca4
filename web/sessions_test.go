package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// memPersister keeps saved bytes in memory, as a file would across
// restarts.
type memPersister struct {
	mu sync.Mutex
	b  []byte
}

func (p *memPersister) Load() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.b, nil
}

func (p *memPersister) Save(b []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.b = b
	return nil
}

// TestSessionsSurviveARestart: with a Persister, a librarian signed in
// stays signed in on a new server over the same saved sessions; signing
// out, and revoking the token, still end the session. What is saved holds
// no session id.
func TestSessionsSurviveARestart(t *testing.T) {
	saved := &memPersister{}
	withFile := func(c *Config) { c.Sessions = saved }
	h, _, _ := newLibrarianHandler(t, withFile)
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}

	b, _ := saved.Load()
	if len(b) == 0 {
		t.Fatal("nothing saved after a sign-in")
	}
	if strings.Contains(string(b), c.Value) || strings.Contains(string(b), testToken) {
		t.Errorf("the saved sessions hold a session id or a token: %s", b)
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

	// Corrupt saved sessions are an error, not a silent empty store.
	saved.Save([]byte("{garbage"))
	if _, err := openSessionStore(saved, time.Now()); err == nil {
		t.Error("corrupt saved sessions opened without an error")
	}
}
