package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MaxIDLength bounds document ids: they become file names in the store.
const MaxIDLength = 200

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// ValidID reports whether id is a well-formed document id: lower-case
// letters, digits, dots and hyphens, starting with a letter or digit, at most
// MaxIDLength bytes, and never "." or "..".
func ValidID(id string) bool {
	return len(id) <= MaxIDLength && idPattern.MatchString(id) && !strings.Contains(id, "..")
}

// Entry is one document of a catalog (the librarian's manifest).
type Entry struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind,omitempty"`
	Title      string   `json:"title,omitempty"`
	Instrument string   `json:"instrument,omitempty"`
	Body       string   `json:"body,omitempty"`
	Symbol     string   `json:"symbol,omitempty"`
	Date       string   `json:"date,omitempty"`
	Year       int      `json:"year,omitempty"`
	Language   string   `json:"language,omitempty"`
	URL        string   `json:"url,omitempty"`
	File       string   `json:"file,omitempty"`
	Format     string   `json:"format,omitempty"`
	States     []string `json:"states,omitempty"`
	Note       string   `json:"note,omitempty"`
	Case       *Case    `json:"case,omitempty"` // a decision's case metadata (DeriveCase)

	// Extra holds fields this version does not know, kept as they were.
	Extra map[string]json.RawMessage `json:"-"`
	// Path is File resolved against the catalog's directory (or absolute).
	Path string `json:"-"`
}

// knownFields are the Entry fields with their own struct field.
var knownFields = map[string]bool{
	"id": true, "kind": true, "title": true, "instrument": true, "body": true,
	"symbol": true, "date": true, "year": true, "language": true, "url": true,
	"file": true, "format": true, "states": true, "note": true, "case": true,
}

// UnmarshalJSON reads an entry and keeps unknown fields in Extra. A year
// given as a string ("1997") is accepted.
func (e *Entry) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if y, ok := raw["year"]; ok && len(y) > 0 && y[0] == '"' {
		var s string
		if err := json.Unmarshal(y, &s); err != nil {
			return err
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil && s != "" {
			return fmt.Errorf("year %q: not a number", s)
		}
		raw["year"] = json.RawMessage(strconv.Itoa(n))
	}
	type plain Entry
	var p plain
	known, _ := json.Marshal(filterKeys(raw, true))
	if err := json.Unmarshal(known, &p); err != nil {
		return err
	}
	*e = Entry(p)
	if extra := filterKeys(raw, false); len(extra) > 0 {
		e.Extra = extra
	}
	return nil
}

// MarshalJSON writes the entry with its unknown fields.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	b, err := json.Marshal(plain(e))
	if err != nil || len(e.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range e.Extra {
		if !knownFields[k] {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

func filterKeys(raw map[string]json.RawMessage, known bool) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage)
	for k, v := range raw {
		if knownFields[k] == known {
			out[k] = v
		}
	}
	return out
}

// YearOf is the entry's year: Year if set, else the year that opens Date.
func (e *Entry) YearOf() int {
	if e.Year != 0 {
		return e.Year
	}
	if len(e.Date) >= 4 {
		if y, err := strconv.Atoi(e.Date[:4]); err == nil {
			return y
		}
	}
	return 0
}

// Validate checks the fields an entry must have to be ingested.
func (e *Entry) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: missing id", ErrInvalid)
	case !ValidID(e.ID):
		return fmt.Errorf("%w: id %q must match [a-z0-9][a-z0-9.-]* (at most %d bytes)", ErrInvalid, e.ID, MaxIDLength)
	case e.File == "" && e.URL == "":
		return fmt.Errorf("%w: entry %s has neither file nor url", ErrInvalid, e.ID)
	}
	return nil
}

// LineError is a catalog line that could not be read.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Catalog is a parsed catalog file.
type Catalog struct {
	Path    string
	Entries []Entry
	// Errors are the lines that were skipped, with their line numbers.
	Errors []*LineError
}

// Lookup returns the entry with the given id.
func (c *Catalog) Lookup(id string) (*Entry, bool) {
	for i := range c.Entries {
		if c.Entries[i].ID == id {
			return &c.Entries[i], true
		}
	}
	return nil, false
}

// ReadCatalogFile reads a JSON Lines catalog. File paths are resolved relative
// to the catalog's directory unless absolute.
func ReadCatalogFile(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening catalog: %w", err)
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c, err := ReadCatalog(f, filepath.Dir(abs))
	if c != nil {
		c.Path = abs
	}
	return c, err
}

// maxCatalogLine bounds one catalog line.
const maxCatalogLine = 1 << 20

// ReadCatalog reads JSON Lines from r. A bad line is recorded in
// Catalog.Errors with its line number and skipped; only an I/O error fails.
// Duplicate ids are errors on the later line.
func ReadCatalog(r io.Reader, dir string) (*Catalog, error) {
	c := &Catalog{}
	seen := make(map[string]int)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxCatalogLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		var e Entry
		if err := json.Unmarshal(b, &e); err != nil {
			c.Errors = append(c.Errors, &LineError{line, fmt.Errorf("%w: %v", ErrInvalid, err)})
			continue
		}
		if err := e.Validate(); err != nil {
			c.Errors = append(c.Errors, &LineError{line, err})
			continue
		}
		if prev, dup := seen[e.ID]; dup {
			c.Errors = append(c.Errors, &LineError{line, fmt.Errorf("%w: id %s already on line %d", ErrConflict, e.ID, prev)})
			continue
		}
		seen[e.ID] = line
		if e.File != "" {
			if filepath.IsAbs(e.File) {
				e.Path = filepath.Clean(e.File)
			} else {
				e.Path = filepath.Join(dir, filepath.FromSlash(e.File))
			}
		}
		c.Entries = append(c.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("reading catalog at line %d: %w", line+1, err)
	}
	return c, nil
}

// Overlay sets on e the fields that o gives: the ones a librarian may
// correct (not the id, url, file or note).
func Overlay(e, o *Entry) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&e.Title, o.Title)
	set(&e.Kind, o.Kind)
	set(&e.Instrument, o.Instrument)
	set(&e.Body, o.Body)
	set(&e.Symbol, o.Symbol)
	set(&e.Date, o.Date)
	set(&e.Language, o.Language)
	set(&e.Format, o.Format)
	if o.Year != 0 {
		e.Year = o.Year
	}
	if o.States != nil {
		e.States = append([]string(nil), o.States...)
	}
	if o.Case.IsCorrection() {
		e.Case = overlayCase(e.Case, o.Case)
	}
}
