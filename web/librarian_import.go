package web

// Catalog import: a librarian sends a zip holding a JSON Lines catalog and
// the files it names (POST /api/catalog, as application/zip or as the
// "file" part of a multipart form; the page /librarian/import) and gets
// the report `hrsearch index --json` gives: each document added, updated,
// unchanged, kept (a librarian's version), deleted by a librarian (its
// tombstone stands) or failed with the reason. The zip is bounded by the
// upload limit; its entries in number and size; a name that leaves the
// archive refuses it; files the catalog does not name are listed, not
// imported. An uploaded catalog adds and updates, it never removes.

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"

	"github.com/gorilla/mux"
)

// CatalogImporter is a Library that imports catalogs sent as zips.
type CatalogImporter interface {
	// ImportCatalog imports the zip's catalog and files; name is the
	// zip's file name. An error is a zip that cannot be imported at all.
	ImportCatalog(ctx context.Context, who, name string, zip []byte) (*ImportReport, error)
}

// ImportReport is what a catalog import did.
type ImportReport struct {
	Documents, Added, Updated, Unchanged, Kept, DeletedByLibrarian, Failed, Passages int
	Results                                                                          []ImportResult
	CatalogErrors                                                                    []string // catalog lines skipped, with their numbers
	Unlisted                                                                         []string // files of the zip the catalog does not name
}

// ImportResult is one document's outcome.
type ImportResult struct {
	ID      string
	Outcome string // added, updated, unchanged, kept, deleted-by-librarian, failed
	Error   string
}

type apiImportResult struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

type apiDocError struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// apiImportResponse has the fields of `hrsearch index --json`, and each
// document's outcome.
type apiImportResponse struct {
	Documents          int               `json:"documents"`
	Added              int               `json:"added"`
	Updated            int               `json:"updated"`
	Unchanged          int               `json:"unchanged"`
	Removed            int               `json:"removed"` // always 0: an uploaded catalog removes nothing
	Kept               int               `json:"kept"`
	DeletedByLibrarian int               `json:"deleted_by_librarian"`
	Failed             int               `json:"failed"`
	Passages           int               `json:"passages_written"`
	Errors             []apiDocError     `json:"errors"`
	Results            []apiImportResult `json:"results"`
	CatalogErrors      []string          `json:"catalog_errors"`
	Unlisted           []string          `json:"unlisted_files"`
}

func toAPIImport(rep *ImportReport) apiImportResponse {
	out := apiImportResponse{Documents: rep.Documents, Added: rep.Added, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Kept: rep.Kept, DeletedByLibrarian: rep.DeletedByLibrarian, Failed: rep.Failed, Passages: rep.Passages,
		Errors: []apiDocError{}, Results: make([]apiImportResult, 0, len(rep.Results)),
		CatalogErrors: append([]string{}, rep.CatalogErrors...), Unlisted: append([]string{}, rep.Unlisted...)}
	for _, r := range rep.Results {
		out.Results = append(out.Results, apiImportResult(r))
		if r.Error != "" {
			out.Errors = append(out.Errors, apiDocError{ID: r.ID, Error: r.Error})
		}
	}
	return out
}

func (s *server) importer() CatalogImporter {
	im, _ := s.lib.lib.(CatalogImporter)
	return im
}

func (s *server) registerImportRoutes(r *mux.Router) {
	if s.importer() == nil {
		return
	}
	r.Handle("/api/catalog", s.adapt(kindJSON, s.apiAuth(s.handleAPIImport))).Methods(http.MethodPost)
	get(r, "/librarian/import", s.adapt(kindHTML, s.pageAuth(s.handleImportForm)))
	r.Handle("/librarian/import", s.adapt(kindHTML, s.pageAuth(s.handleImportPage))).Methods(http.MethodPost)
}

// errNotAZip is an import that is not a zip.
func errNotAZip() error {
	return &httpError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
		msg: "Send the catalog and its files as one zip: the body as application/zip, or a multipart form whose part \"file\" is the zip."}
}

// readImportZip reads the zip of an import request, within the upload
// limit, and its file name.
func (s *server) readImportZip(r *http.Request) (name string, zip []byte, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/zip", "application/x-zip-compressed":
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(r.Body, s.lib.maxUpload+1))
		if err != nil {
			return "", nil, s.bodyError(err)
		}
		if n > s.lib.maxUpload {
			return "", nil, s.errUploadTooLarge()
		}
		name = "catalog.zip"
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
			name = cleanFilename(params["filename"])
		}
		return name, buf.Bytes(), nil
	case "multipart/form-data":
	default:
		return "", nil, errNotAZip()
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errBadRequest("The multipart body is not valid.")
	}
	var up *Upload
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, s.bodyError(err)
		}
		if n >= maxFormFields {
			return "", nil, errBadRequest("Too many parts: send the zip alone, in a part named \"file\".")
		}
		if part.FormName() != fieldFile {
			return "", nil, errBadRequest("Unknown field %q: send the zip alone, in a part named \"file\".", truncate(part.FormName(), 40))
		}
		if up != nil {
			return "", nil, errBadRequest("Send one zip at a time.")
		}
		if up, err = s.readFilePart(part); err != nil {
			return "", nil, err
		}
	}
	if up == nil || len(up.Raw) == 0 {
		return "", nil, errBadRequest("Send the zip in a part named \"file\".")
	}
	if up.Filename == "" {
		up.Filename = "catalog.zip"
	}
	return up.Filename, up.Raw, nil
}

func (s *server) importZip(r *http.Request, who string) (*ImportReport, error) {
	name, zip, err := s.readImportZip(r)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(zip, []byte("PK")) {
		return nil, errNotAZip()
	}
	rep, err := s.importer().ImportCatalog(r.Context(), who, name, zip)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (s *server) handleAPIImport(w http.ResponseWriter, r *http.Request, who string) error {
	if _, err := writeParams(r); err != nil {
		return err
	}
	rep, err := s.importZip(r, who)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAPIImport(rep))
}

// The page.

type importPage struct {
	librarianLayout
	Error  string
	Report *apiImportResponse
}

func (s *server) handleImportForm(w http.ResponseWriter, r *http.Request, sess *session) error {
	return s.render(w, http.StatusOK, "librarian-import", importPage{librarianLayout: s.librarianLayout("Import a catalog", sess.name)})
}

func (s *server) handleImportPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	p := importPage{librarianLayout: s.librarianLayout("Import a catalog", sess.name)}
	rep, err := s.importZip(r, sess.name)
	if err != nil {
		status, msg, ok := userError(err)
		if !ok {
			return err
		}
		p.Error = msg
		return s.render(w, status, "librarian-import", p)
	}
	out := toAPIImport(rep)
	p.Report = &out
	return s.render(w, http.StatusOK, "librarian-import", p)
}
