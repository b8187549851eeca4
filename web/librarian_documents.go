package web

// The library as a list, for librarians: /librarian/documents, with a
// search over ids and titles, filters by kind, origin, instrument,
// language and year, the most recently changed first, and an Edit link
// per document.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

// LibraryLister is a Library that lists its documents.
type LibraryLister interface {
	// List returns every stored document (Doc nil), the most recently
	// changed first, with the time of its last change.
	List(ctx context.Context) ([]ListedDoc, error)
}

// ListedDoc is a document in the library's list.
type ListedDoc struct {
	Doc     LibraryDoc
	Changed time.Time
}

const listPageSize = 50

type libraryPage struct {
	librarianLayout
	Q, Kind, Origin, Instrument, Language, Year string
	Kinds, Origins, Instruments, Languages      []string
	Total                                       int
	Rows                                        []listRow
	Prev, Next                                  string
}

type listRow struct {
	ID, Title, Kind, Origin, Instrument, Language, Year, Changed, EditURL, DocURL string
}

// originKind is an origin as a filter value: catalog, upload or crawl.
func originKind(origin string) string {
	if strings.HasPrefix(origin, "catalog:") {
		return "catalog"
	}
	return origin
}

func (s *server) handleLibraryPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	lister, ok := s.lib.lib.(LibraryLister)
	if !ok {
		return &httpError{status: http.StatusNotImplemented, code: "not_implemented", msg: "This server cannot list its documents."}
	}
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	if err := onlyParams(v, "q", "kind", "origin", "instrument", "language", "year", "page"); err != nil {
		return err
	}
	page, err := intParam(v, "page", 1)
	if err != nil || page < 1 || page > 100_000 {
		return errBadRequest("page must be between 1 and 100000.")
	}
	docs, err := lister.List(r.Context())
	if err != nil {
		return err
	}
	p := libraryPage{librarianLayout: s.librarianLayout("Documents", sess.name), Q: strings.TrimSpace(v.Get("q")),
		Kind: v.Get("kind"), Origin: v.Get("origin"), Instrument: v.Get("instrument"), Language: v.Get("language"), Year: v.Get("year")}
	q := corpus.Fold(p.Q)
	var rows []listRow
	kinds, origins, instruments, langs := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, ld := range docs {
		e := ld.Doc.Effective
		year := ""
		if y := e.YearOf(); y != 0 {
			year = strconv.Itoa(y)
		}
		origin := originKind(ld.Doc.Origin)
		kinds[e.Kind], origins[origin], instruments[e.Instrument], langs[e.Language] = true, true, true, true
		if q != "" && !strings.Contains(corpus.Fold(e.ID+" "+e.Title+" "+e.Symbol), q) ||
			p.Kind != "" && e.Kind != p.Kind || p.Origin != "" && origin != p.Origin ||
			p.Instrument != "" && e.Instrument != p.Instrument || p.Language != "" && e.Language != p.Language ||
			p.Year != "" && year != p.Year {
			continue
		}
		title := corpus.DisplayTitle(&e)
		rows = append(rows, listRow{ID: e.ID, Title: title, Kind: e.Kind, Origin: origin, Instrument: e.Instrument,
			Language: e.Language, Year: year, Changed: fmtTime(ld.Changed), EditURL: "/librarian/edit/" + escapePath(e.ID), DocURL: docURL(e.ID, "")})
	}
	keys := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			if k != "" {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	p.Kinds, p.Origins, p.Instruments, p.Languages = keys(kinds), keys(origins), keys(instruments), keys(langs)
	p.Total = len(rows)
	from := min((page-1)*listPageSize, len(rows))
	p.Rows = rows[from:min(from+listPageSize, len(rows))]
	link := func(n int) string {
		u := url.Values{}
		for k, val := range map[string]string{"q": p.Q, "kind": p.Kind, "origin": p.Origin, "instrument": p.Instrument, "language": p.Language, "year": p.Year} {
			if val != "" {
				u.Set(k, val)
			}
		}
		u.Set("page", strconv.Itoa(n))
		return "/librarian/documents?" + u.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if from+listPageSize < len(rows) {
		p.Next = link(page + 1)
	}
	return s.render(w, http.StatusOK, "librarian-documents", p)
}

// signedIn is the name of the librarian signed in on r, or "".
func (s *server) signedIn(r *http.Request) string {
	if s.lib == nil {
		return ""
	}
	if sess, ok := s.session(r); ok {
		return sess.name
	}
	return ""
}

// librarianEditURL is a document's edit page for a signed-in librarian,
// "" for anyone else.
func (s *server) librarianEditURL(r *http.Request, id string) string {
	if s.lib == nil || !validDocumentID(id) {
		return ""
	}
	if _, ok := s.session(r); !ok {
		return ""
	}
	return "/librarian/edit/" + escapePath(id)
}
