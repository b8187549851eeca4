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
	Created time.Time `json:"created"`
}

type tokenRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	SHA256  string    `json:"sha256"` // hex digest of the token
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
	name string
	sum  [sha256.Size]byte
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

// Create makes a new token called name and returns it. Only its digest is
// stored: the token cannot be shown again.
func (t *Tokens) Create(name string) (string, error) {
	if !ValidTokenName(name) {
		return "", fmt.Errorf("%w: token name %s must match [a-z0-9][a-z0-9._-]* (at most 64 bytes)", corpus.ErrInvalid, quoteName(name))
	}
	var token string
	err := t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		for _, r := range recs {
			if r.Name == name {
				return nil, fmt.Errorf("%w: a token called %q exists (revoke it first)", corpus.ErrConflict, name)
			}
		}
		b := make([]byte, tokenBytes)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
		sum := sha256.Sum256([]byte(token))
		return append(recs, tokenRecord{Name: name, Created: time.Now().UTC().Truncate(time.Second), SHA256: hex.EncodeToString(sum[:])}), nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// quoteName quotes a token name for a message, its first 64 bytes only:
// whatever was typed is not echoed whole.
func quoteName(name string) string {
	if len(name) <= 64 {
		return strconv.Quote(name)
	}
	return strconv.Quote(strings.ToValidUTF8(name[:64], "")) + "…"
}

// Revoke removes the token called name.
func (t *Tokens) Revoke(name string) error {
	return t.update(func(recs []tokenRecord) ([]tokenRecord, error) {
		out := recs[:0]
		found := false
		for _, r := range recs {
			if r.Name == name {
				found = true
				continue
			}
			out = append(out, r)
		}
		if !found {
			return nil, fmt.Errorf("token %s: %w", quoteName(name), corpus.ErrNotFound)
		}
		return out, nil
	})
}

// List returns the tokens' names and creation times, by name.
func (t *Tokens) List() ([]TokenInfo, error) {
	recs, err := t.read()
	if err != nil {
		return nil, err
	}
	out := make([]TokenInfo, 0, len(recs))
	for _, r := range recs {
		out = append(out, TokenInfo{Name: r.Name, Created: r.Created})
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
		if err != nil || len(b) != sha256.Size {
			continue
		}
		d := tokenDigest{name: r.Name}
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
