package tokens

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// Roles. An editor adds, edits, deletes and restores documents; an admin
// also manages tokens and purges the trash. The command line on the
// server manages tokens whatever the role.
const (
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// ValidRole reports whether role is a role.
func ValidRole(role string) bool { return role == RoleEditor || role == RoleAdmin }

// lastUsedStep is how stale a token's last-used time may get: it is
// written at most once per step, not at every request.
const lastUsedStep = time.Minute

// LookupRole is Lookup with the token's role.
func (t *Tokens) LookupRole(sum [sha256.Size]byte) (name, role string, ok bool) {
	digests, err := t.current()
	if err != nil {
		return "", "", false
	}
	for _, d := range digests {
		if subtle.ConstantTimeCompare(d.sum[:], sum[:]) == 1 {
			name, role, ok = d.name, d.role, true
		}
	}
	return name, role, ok
}

// Role returns the role of the live token called name.
func (t *Tokens) Role(name string) (string, bool) {
	digests, err := t.current()
	if err != nil {
		return "", false
	}
	for _, d := range digests {
		if d.name == name {
			return d.role, true
		}
	}
	return "", false
}

// Touch records that the token called name was used at at; it writes the
// file only when the recorded time is older than a minute.
func (t *Tokens) Touch(name string, at time.Time) error {
	digests, err := t.current()
	if err != nil {
		return err
	}
	for _, d := range digests {
		if d.name == name && d.lastUsed != nil && at.Sub(*d.lastUsed) < lastUsedStep {
			return nil
		}
	}
	return t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for i, r := range recs {
			if r.Name == name && r.Revoked == nil {
				if r.LastUsed != nil && at.Sub(*r.LastUsed) < lastUsedStep {
					return nil, errUnchanged
				}
				u := at.UTC().Truncate(time.Second)
				recs[i].LastUsed = &u
				return recs, nil
			}
		}
		return nil, errUnchanged
	})
}

// Rotate replaces the token called name with a new one, which it returns:
// the old token stops working at once; the name, role and history stay.
func (t *Tokens) Rotate(name string) (string, error) {
	var token string
	err := t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for i, r := range recs {
			if r.Name == name && r.Revoked == nil {
				tok, sum, err := newToken()
				if err != nil {
					return nil, err
				}
				now := time.Now().UTC().Truncate(time.Second)
				token, recs[i].SHA256, recs[i].Rotated = tok, sum, &now
				return recs, nil
			}
		}
		return nil, fmt.Errorf("token %s: %w", quoteName(name), corpus.ErrNotFound)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}
