package web

// Guarded writes: a document read carries an ETag naming its version;
// PUT and DELETE honour If-Match (412 when the document changed since it
// was read); dry_run=true on PUT and DELETE says what would change and
// changes nothing; unknown query-string parameters on writes are a 400.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hrsearch/hrsearch/corpus"
)

// docETag is the strong entity tag of a stored document's version: its
// bytes' digest and the metadata in effect (with the corrections).
func docETag(d *LibraryDoc) string {
	b, _ := json.Marshal(struct {
		S string
		E corpus.Entry
		O *corpus.Entry
	}{d.SHA256, d.Effective, d.Overrides})
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// setDocumentETag sets the ETag of a document read from the library's
// record, when the server has one (the public document read and the
// write API's answers share it).
func (s *server) setDocumentETag(w http.ResponseWriter, r *http.Request, id string) {
	if s.lib == nil {
		return
	}
	d, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return
	}
	w.Header().Set("ETag", docETag(d))
}

// checkIfMatch refuses a write whose If-Match names none of cur's tags:
// the document changed since the client read it.
func checkIfMatch(r *http.Request, cur *LibraryDoc) error {
	h := r.Header.Values("If-Match")
	if len(h) == 0 {
		return nil
	}
	tag := docETag(cur)
	for _, v := range h {
		for part := range strings.SplitSeq(v, ",") {
			// The tag names the document's version, not the bytes of one
			// answer: the compression layer marks it weak (W/) on the
			// compressed answers it sends, and it still names that version.
			part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
			if part == "*" || part == tag {
				return nil
			}
		}
	}
	return &httpError{status: http.StatusPreconditionFailed, code: "precondition_failed",
		msg: "The document has changed since you read it (its ETag is now " + tag + "): read it again, and redo your change on what it is now."}
}

// writeParams checks a write's query string: only allowed parameters, and
// dry_run true or false. It returns whether the write is a dry run.
func writeParams(r *http.Request, allowed ...string) (dry bool, err error) {
	q, err := queryValues(r)
	if err != nil {
		return false, err
	}
	if err := onlyParams(q, allowed...); err != nil {
		return false, err
	}
	if !slices.Contains(allowed, "dry_run") {
		return false, nil
	}
	v := q.Get("dry_run")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errBadRequest("dry_run must be true or false.")
	}
	return b, nil
}

// apiDryRun is what a write would do.
type apiDryRun struct {
	ID     string `json:"id"`
	DryRun bool   `json:"dry_run"`
	// Action is what would happen: edit, replace, delete (to the
	// trash), or none.
	Action   string      `json:"action"`
	Changes  []apiChange `json:"changes"`
	Metadata apiEntry    `json:"metadata"` // as it would be
	Passages int         `json:"passages,omitempty"`
	ETag     string      `json:"etag"` // the document's version now
}

// wouldBe is the metadata in effect after overrides (and the clearing of
// corrections) apply to cur, as the library would apply them.
func wouldBe(cur *LibraryDoc, o *corpus.Entry) corpus.Entry {
	e := cur.Catalog
	kept := corpus.Entry{}
	if cur.Overrides != nil {
		kept = *cur.Overrides
	}
	cleared := clearedOf(o)
	clearField(&kept, cleared)
	corpus.Overlay(&e, &kept)
	if o != nil {
		corpus.Overlay(&e, o)
	}
	return e
}

func clearField(o *corpus.Entry, fields []string) {
	for _, f := range fields {
		switch f {
		case fieldTitle:
			o.Title = ""
		case fieldKind:
			o.Kind = ""
		case fieldInstrument:
			o.Instrument = ""
		case fieldBody:
			o.Body = ""
		case fieldSymbol:
			o.Symbol = ""
		case fieldDate:
			o.Date = ""
		case fieldYear:
			o.Year = 0
		case fieldLanguage:
			o.Language = ""
		case fieldStates:
			o.States = nil
		case fieldFormat:
			o.Format = ""
		}
		if o.Case != nil {
			cs := *o.Case // o may share its case with a stored record
			o.Case = &cs
			switch f {
			case fieldCaseName:
				o.Case.Name = ""
			case fieldCaseCommunication:
				o.Case.Communication = ""
			case fieldCaseComplainant:
				o.Case.Complainant = ""
			case fieldCaseParty:
				o.Case.Party = ""
			case fieldCaseAdopted:
				o.Case.Adopted = ""
			case fieldCaseOutcome:
				o.Case.Outcome = ""
			case fieldCaseViolations:
				o.Case.Violations = nil
			case fieldCaseDestination:
				o.Case.Destination = nil
			}
		}
	}
}

// entryChanges lists the fields that differ from a to b.
func entryChanges(a, b *corpus.Entry) []apiChange {
	before, after := fieldsOf(a), fieldsOf(b)
	out := []apiChange{}
	for _, f := range catalogFields {
		if f != fieldID && before[f] != after[f] {
			out = append(out, apiChange{Field: f, Before: before[f], After: after[f]})
		}
	}
	return out
}

// docLocks serialises the guarded writes to one document, so that the
// If-Match check and the write it guards happen with no other write of
// that document between them.
type docLocks struct {
	mu sync.Mutex
	m  map[string]*docLock
}

type docLock struct {
	sync.Mutex
	n int
}

func (k *docLocks) lock(id string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*docLock{}
	}
	l := k.m[id]
	if l == nil {
		l = &docLock{}
		k.m[id] = l
	}
	l.n++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.n--; l.n == 0 {
			delete(k.m, id)
		}
		k.mu.Unlock()
	}
}

// addParams are the query-string parameters of POST /api/documents.
var addParams = []string{"dry_run", "allow_duplicate"}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
