package tokens

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// TestRolesRotateLastUsedUniqueNames: a token has a role (editor by
// default, and for tokens made before roles); rotating gives a new token
// and stops the old one; the last use is recorded at most once a minute; a
// revoked name is never given again.
func TestRolesRotateLastUsedUniqueNames(t *testing.T) {
	dir := t.TempDir()
	tk := OpenTokens(dir)
	ed, err := tk.Create("ed")
	if err != nil {
		t.Fatal(err)
	}
	ad, err := tk.CreateRole("ada", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.CreateRole("x", "owner"); !errors.Is(err, corpus.ErrInvalid) {
		t.Errorf("role owner: %v", err)
	}
	srv := OpenTokens(dir) // the server's view
	for tok, want := range map[string]string{ed: RoleEditor, ad: RoleAdmin} {
		if name, role, ok := srv.LookupRole(sha256.Sum256([]byte(tok))); !ok || role != want {
			t.Errorf("%s: role %q %v, want %q", name, role, ok, want)
		}
	}
	// A token made before roles is an editor's.
	if err := tk.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for i := range recs {
			if recs[i].Name == "ed" {
				recs[i].Role = ""
			}
		}
		return recs, nil
	}); err != nil {
		t.Fatal(err)
	}
	if role, ok := srv.Role("ed"); !ok || role != RoleEditor {
		t.Errorf("old token's role %q %v", role, ok)
	}

	now := time.Now()
	if err := srv.Touch("ed", now); err != nil {
		t.Fatal(err)
	}
	if err := srv.Touch("ed", now.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	list, _ := tk.List()
	if list[1].Name != "ed" || list[1].LastUsed == nil || !list[1].LastUsed.Equal(now.UTC().Truncate(time.Second)) {
		t.Errorf("last used %+v, want %v (the second touch within a minute is not written)", list[1].LastUsed, now)
	}
	if list[0].LastUsed != nil {
		t.Errorf("ada never used, last used %v", list[0].LastUsed)
	}

	ed2, err := tk.Rotate("ed")
	if err != nil || ed2 == ed {
		t.Fatalf("rotate: %v", err)
	}
	if _, ok := srv.Lookup(sha256.Sum256([]byte(ed))); ok {
		t.Error("the rotated-out token still works")
	}
	if name, role, ok := srv.LookupRole(sha256.Sum256([]byte(ed2))); !ok || name != "ed" || role != RoleEditor {
		t.Errorf("the new token: %q %q %v", name, role, ok)
	}
	if _, err := tk.Rotate("nobody"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("rotate nobody: %v", err)
	}

	if err := tk.Revoke("ed"); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.Create("ed"); !errors.Is(err, corpus.ErrConflict) {
		t.Errorf("re-creating a revoked name: %v, want conflict", err)
	}
	if _, ok := srv.Lookup(sha256.Sum256([]byte(ed2))); ok {
		t.Error("a revoked token works")
	}
	if list, _ := tk.List(); len(list) != 1 || list[0].Name != "ada" {
		t.Errorf("list after revoking ed: %+v", list)
	}
}
