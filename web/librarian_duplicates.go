package web

// Duplicates: an upload whose bytes are already in the library is refused
// (409 naming the document) unless allow_duplicate=1; documents whose text
// is like it (reworded, re-paginated) are flagged, with their similarity,
// in the preview, in the answer to an add, and on both documents' pages.

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// DuplicateFinder is a Library that finds duplicates.
type DuplicateFinder interface {
	// Duplicates finds the stored documents other than id with the same
	// bytes as up (exact) and those whose text is like doc's (near, the
	// most similar first; doc may be nil).
	Duplicates(ctx context.Context, id string, up *Upload, doc *corpus.Document) (exact []string, near []NearDuplicate, err error)
	// NearDuplicates finds the documents like the stored document id.
	NearDuplicates(ctx context.Context, id string) ([]NearDuplicate, error)
}

// NearDuplicate is a document like another, with the estimated share of
// their text in common (0–1).
type NearDuplicate struct {
	ID         string
	Similarity float64
	// Distinct: both documents bear their own, different UN symbols:
	// two documents, never folded into one search result.
	Distinct bool
}

type apiNearDuplicate struct {
	ID         string  `json:"id"`
	Similarity float64 `json:"similarity"`
}

type apiDuplicates struct {
	Exact []string           `json:"exact"`
	Near  []apiNearDuplicate `json:"near"`
}

func toAPINear(near []NearDuplicate) []apiNearDuplicate {
	out := make([]apiNearDuplicate, 0, len(near))
	for _, n := range near {
		out = append(out, apiNearDuplicate{ID: n.ID, Similarity: roundSimilarity(n.Similarity)})
	}
	return out
}

func roundSimilarity(s float64) float64 { return float64(int(s*100+0.5)) / 100 }

func (s *server) duplicateFinder() DuplicateFinder {
	d, _ := s.lib.lib.(DuplicateFinder)
	return d
}

// checkDuplicate refuses an upload whose bytes the library holds, unless
// the librarian allows it.
func (s *server) checkDuplicate(ctx context.Context, id string, up *Upload, allow bool) error {
	df := s.duplicateFinder()
	if df == nil || allow {
		return nil
	}
	exact, _, err := df.Duplicates(ctx, id, up, nil)
	if err != nil {
		return err
	}
	if len(exact) == 0 {
		return nil
	}
	return &httpError{status: http.StatusConflict, code: "duplicate",
		msg: fmt.Sprintf("The same file (SHA-256 %s) is in the library as %s: edit that document, or send allow_duplicate=1 to add a second copy.",
			shortSum(sha256Hex(up.Raw)), strings.Join(exact, ", "))}
}

// allowDuplicate reads allow_duplicate (1, true: allowed).
func allowDuplicate(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errBadRequest("allow_duplicate must be 1 or 0.")
	}
	return b, nil
}

// duplicatesOf finds both kinds for a preview; nil without a finder.
func (s *server) duplicatesOf(ctx context.Context, id string, up *Upload, doc *corpus.Document) (*apiDuplicates, error) {
	df := s.duplicateFinder()
	if df == nil {
		return nil, nil
	}
	exact, near, err := df.Duplicates(ctx, id, up, doc)
	if err != nil {
		return nil, err
	}
	if exact == nil {
		exact = []string{}
	}
	return &apiDuplicates{Exact: exact, Near: toAPINear(near)}, nil
}

// nearView is a near-duplicate on a page.
type nearView struct {
	ID, URL, EditURL string
	Percent          int
}

func toNearViews(near []apiNearDuplicate) []nearView {
	out := make([]nearView, 0, len(near))
	for _, n := range near {
		out = append(out, nearView{ID: n.ID, URL: docURL(n.ID, ""), EditURL: "/librarian/edit/" + escapePath(n.ID), Percent: int(n.Similarity*100 + 0.5)})
	}
	return out
}

// nearDuplicatesOf is a stored document's near-duplicates for its page.
func (s *server) nearDuplicatesOf(ctx context.Context, id string) ([]nearView, error) {
	df := s.duplicateFinder()
	if df == nil {
		return nil, nil
	}
	near, err := df.NearDuplicates(ctx, id)
	if err != nil {
		return nil, err
	}
	return toNearViews(toAPINear(near)), nil
}
