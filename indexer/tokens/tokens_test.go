package tokens

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestTokensCreateLookupRevoke(t *testing.T) {
	dir := t.TempDir()
	server := OpenTokens(dir) // a server reading the file
	cli := OpenTokens(dir)    // `hrsearch token` in another process

	if _, ok := server.Lookup(sha256.Sum256([]byte("anything"))); ok {
		t.Fatal("a token worked before any was made")
	}
	tok, err := cli.Create("alice")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, tokenPrefix) || len(tok) < len(tokenPrefix)+43 {
		t.Errorf("token %q: want the prefix and 32 random bytes in base64url", tok)
	}
	if _, err := cli.Create("alice"); !errors.Is(err, corpus.ErrConflict) {
		t.Errorf("second alice: %v, want ErrConflict", err)
	}
	for _, bad := range []string{"", "Alice", "../x", "a b", strings.Repeat("a", 65)} {
		if _, err := cli.Create(bad); !errors.Is(err, corpus.ErrInvalid) {
			t.Errorf("Create(%q): %v, want ErrInvalid", bad, err)
		}
	}
	bob, err := cli.Create("bob")
	if err != nil {
		t.Fatal(err)
	}
	if tok == bob {
		t.Fatal("two tokens alike")
	}
	if name, ok := server.Lookup(sha256.Sum256([]byte(tok))); !ok || name != "alice" {
		t.Errorf("Lookup(alice's token) = %q %v", name, ok)
	}
	if name, ok := server.Lookup(sha256.Sum256([]byte(bob))); !ok || name != "bob" {
		t.Errorf("Lookup(bob's token) = %q %v", name, ok)
	}
	if _, ok := server.Lookup(sha256.Sum256([]byte(tok + "x"))); ok {
		t.Error("a wrong token worked")
	}

	// Only digests are stored, in a private file.
	b, err := os.ReadFile(filepath.Join(dir, TokensFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), tok) || strings.Contains(string(b), bob) {
		t.Error("the tokens file holds a token")
	}
	fi, _ := os.Stat(filepath.Join(dir, TokensFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("tokens file mode %v, want 0600", fi.Mode().Perm())
	}
	list, err := cli.List()
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" || list[0].Created.IsZero() {
		t.Errorf("List = %+v, %v", list, err)
	}

	if err := cli.Revoke("alice"); err != nil {
		t.Fatal(err)
	}
	if _, ok := server.Lookup(sha256.Sum256([]byte(tok))); ok {
		t.Error("a revoked token still works")
	}
	if _, ok := server.Lookup(sha256.Sum256([]byte(bob))); !ok {
		t.Error("revoking alice broke bob")
	}
	if err := cli.Revoke("alice"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("second revoke: %v, want ErrNotFound", err)
	}
}

func TestTokensUnreadableFileLetsNoOneIn(t *testing.T) {
	dir := t.TempDir()
	ts := OpenTokens(dir)
	tok, err := ts.Create("alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, TokensFile), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := ts.Lookup(sha256.Sum256([]byte(tok))); ok {
		t.Error("a corrupt tokens file let a token in")
	}
}

func TestTokensConcurrentCreate(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, err := OpenTokens(dir).Create("t" + string(rune('a'+i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	list, err := OpenTokens(dir).List()
	if err != nil || len(list) != 8 {
		t.Errorf("after 8 concurrent creates: %d tokens, %v", len(list), err)
	}
}

// TestTokenNameNotEchoedWhole: a long name typed as a token name is not
// repeated whole in the error.
func TestTokenNameNotEchoedWhole(t *testing.T) {
	tk := OpenTokens(t.TempDir())
	name := strings.Repeat("x", 5000)
	_, err := tk.Create(name)
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("Create(5000 bytes): error of %d bytes: %.120v…", len(fmt.Sprint(err)), err)
	}
	if err := tk.Revoke(name); err == nil || len(err.Error()) > 300 {
		t.Errorf("Revoke(5000 bytes): error of %d bytes", len(fmt.Sprint(err)))
	}
}
