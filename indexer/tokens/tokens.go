package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// TokensFile is the file in the data directory that holds the librarians'
// API tokens: for each, its name, creation time and SHA-256 digest. The
// tokens themselves are shown once, when they are created, and never
// stored.
const TokensFile = "tokens.json"

// tokenBytes is the entropy of a token.
const tokenBytes = 32

// tokenPrefix makes a token recognisable (to secret scanners, and to a
// librarian reading a configuration file).
const tokenPrefix = "hrs_"

var tokenNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidTokenName reports whether name can name a token: lower-case letters,
// digits, dots, hyphens and underscores, at most 64 bytes. Names appear in
// the audit log and in the server's log; tokens never do.
func ValidTokenName(name string) bool { return tokenNamePattern.MatchString(name) }

// TokenInfo is what may be shown about a token.
type TokenInfo struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
	// Rotated is when the token was last replaced by a new one (its
	// name, role and history kept); LastUsed when it was last accepted,
	// to within a minute.
	Rotated  *time.Time `json:"rotated,omitempty"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

type tokenRecord struct {
	Name    string    `json:"name"`
	Role    string    `json:"role,omitempty"` // "" is an editor: tokens made before roles
	Created time.Time `json:"created"`
	SHA256  string    `json:"sha256,omitempty"` // hex digest of the token; none once revoked
	// Revoked keeps a revoked token's name taken, so that a name in the
	// audit log always means one librarian.
	Revoked  *time.Time `json:"revoked,omitempty"`
	Rotated  *time.Time `json:"rotated,omitempty"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

func (r *tokenRecord) role() string {
	if r.Role == "" {
		return RoleEditor
	}
	return r.Role
}

// Tokens are the librarians' API tokens of a data directory. The file is
// written by `hrsearch token` while a server may be reading it: writes are
// atomic and serialised by a lock file, and the server re-reads the file
// when it changes, so a new token works and a revoked one stops working at
// once.
type Tokens struct {
	path string

	mu      sync.Mutex
	stamp   fileStamp
	digests []tokenDigest
}

type tokenDigest struct {
	name     string
	role     string
	lastUsed *time.Time
	sum      [sha256.Size]byte
}

// fileStamp identifies a version of a file; the zero stamp is no file.
type fileStamp struct {
	ok    bool
	mod   int64 // nanoseconds
	size  int64
	inode uint64
}

// OpenTokens returns the tokens of the data directory dir; the file need
// not exist yet.
func OpenTokens(dir string) *Tokens {
	return &Tokens{path: filepath.Join(dir, TokensFile)}
}

// Create makes a new editor's token called name and returns it; see
// CreateRole.
func (t *Tokens) Create(name string) (string, error) { return t.CreateRole(name, RoleEditor) }

// CreateRole makes a new token called name with a role (RoleEditor or
// RoleAdmin) and returns it. Only its digest is stored: the token cannot be
// shown again. A name is never used twice, even after a revocation.
func (t *Tokens) CreateRole(name, role string) (string, error) {
	if !ValidTokenName(name) {
		return "", fmt.Errorf("%w: token name %s must match [a-z0-9][a-z0-9._-]* (at most 64 bytes)", corpus.ErrInvalid, quoteName(name))
	}
	if !ValidRole(role) {
		return "", fmt.Errorf("%w: role %s must be %q or %q", corpus.ErrInvalid, quoteName(role), RoleEditor, RoleAdmin)
	}
	var token string
	err := t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for _, r := range recs {
			if r.Name == name && r.Revoked != nil {
				return nil, fmt.Errorf("%w: a token called %q existed (revoked %s); a name is never reused, so that the audit log names one librarian: choose another", corpus.ErrConflict, name, r.Revoked.Format("2006-01-02"))
			}
			if r.Name == name {
				return nil, fmt.Errorf("%w: a token called %q exists (rotate it to get a new one, or choose another name)", corpus.ErrConflict, name)
			}
		}
		tok, sum, err := newToken()
		if err != nil {
			return nil, err
		}
		token = tok
		return append(recs, tokenRecord{Name: name, Role: role, Created: time.Now().UTC().Truncate(time.Second), SHA256: sum}), nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// newToken makes a random token and its hex SHA-256.
func newToken() (token, sum string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	d := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(d[:]), nil
}

// quoteName quotes a token name for a message, its first 64 bytes only:
// whatever was typed is not echoed whole.
func quoteName(name string) string {
	if len(name) <= 64 {
		return strconv.Quote(name)
	}
	return strconv.Quote(strings.ToValidUTF8(name[:64], "")) + "…"
}

// Revoke stops the token called name working; its name stays taken.
func (t *Tokens) Revoke(name string) error {
	return t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for i, r := range recs {
			if r.Name == name && r.Revoked == nil {
				now := time.Now().UTC().Truncate(time.Second)
				recs[i].Revoked, recs[i].SHA256 = &now, ""
				return recs, nil
			}
		}
		return nil, fmt.Errorf("token %s: %w", quoteName(name), corpus.ErrNotFound)
	})
}

// List returns the live tokens (not the revoked ones), by name.
func (t *Tokens) List() ([]TokenInfo, error) {
	recs, err := t.read()
	if err != nil {
		return nil, err
	}
	out := make([]TokenInfo, 0, len(recs))
	for _, r := range recs {
		if r.Revoked != nil {
			continue
		}
		out = append(out, TokenInfo{Name: r.Name, Role: r.role(), Created: r.Created, Rotated: r.Rotated, LastUsed: r.LastUsed})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Lookup returns the name of the token whose SHA-256 digest is sum. Every
// stored digest is compared in constant time, and all of them are compared
// whatever matches, so the time taken says nothing about the tokens. An
// unreadable tokens file lets no one in.
func (t *Tokens) Lookup(sum [sha256.Size]byte) (name string, ok bool) {
	digests, err := t.current()
	if err != nil {
		return "", false
	}
	for _, d := range digests {
		if subtle.ConstantTimeCompare(d.sum[:], sum[:]) == 1 {
			name, ok = d.name, true
		}
	}
	return name, ok
}

// current returns the digests, re-reading the file when it has changed
// since it was last read (an atomic write always makes a new file).
func (t *Tokens) current() ([]tokenDigest, error) {
	st := statFile(t.path)
	t.mu.Lock()
	defer t.mu.Unlock()
	if st == t.stamp {
		return t.digests, nil
	}
	recs, err := t.read()
	if err != nil {
		return nil, err
	}
	digests := make([]tokenDigest, 0, len(recs))
	for _, r := range recs {
		b, err := hex.DecodeString(r.SHA256)
		if err != nil || len(b) != sha256.Size || r.Revoked != nil {
			continue
		}
		d := tokenDigest{name: r.Name, role: r.role(), lastUsed: r.LastUsed}
		copy(d.sum[:], b)
		digests = append(digests, d)
	}
	t.digests, t.stamp = digests, st
	return digests, nil
}

func (t *Tokens) read() ([]tokenRecord, error) {
	b, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading tokens: %w", err)
	}
	var recs []tokenRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, fmt.Errorf("reading tokens %s: %w", t.path, err)
	}
	return recs, nil
}

// errUnchanged, from an update's function, leaves the file as it is.
var errUnchanged = errors.New("unchanged")

// update changes the tokens file under an exclusive lock held across
// processes, writing a new file atomically with mode 0600.
func (t *Tokens) update(fn func([]tokenRecord) ([]tokenRecord, error)) error {
	if err := os.MkdirAll(filepath.Dir(t.path), 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(t.path + ".lock")
	if err != nil {
		return fmt.Errorf("locking tokens: %w", err)
	}
	defer unlock()
	recs, err := t.read()
	if err != nil {
		return err
	}
	recs, err = fn(recs)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []tokenRecord{}
	}
	b, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(t.path, append(b, '\n')); err != nil {
		return fmt.Errorf("writing tokens: %w", err)
	}
	return nil
}
