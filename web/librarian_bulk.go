package web

// Bulk additions: several files in one upload (POST /api/documents/bulk,
// and the page's "Add several files" form). Each file is added on its own,
// all or nothing; the answer has one result per file and says which were
// added. The other fields apply to every file; a file's id comes from its
// name (lower-cased, other characters made hyphens).

import (
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

// maxBulkFiles bounds the files of one bulk upload.
const maxBulkFiles = 100

type apiBulkResult struct {
	File   string `json:"file"`
	ID     string `json:"id,omitempty"`
	Status int    `json:"status"` // as if the file had been sent alone: 201, or the error's
	Error  string `json:"error,omitempty"`
	// Message says why the file was refused.
	Message        string             `json:"message,omitempty"`
	NearDuplicates []apiNearDuplicate `json:"near_duplicates,omitempty"`
}

type apiBulkResponse struct {
	Added   int             `json:"added"`
	Failed  int             `json:"failed"`
	Results []apiBulkResult `json:"results"`
}

// bulkFields are the fields a bulk upload takes besides its files.
var bulkFields = []string{fieldTitle, fieldKind, fieldInstrument, fieldBody, fieldSymbol, fieldDate, fieldYear,
	fieldLanguage, fieldStates, fieldFormat, fieldNote}

// idFromFilename makes a document id of a file name: its base without the
// extension, lower-cased, runs of other characters made one hyphen.
func idFromFilename(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' {
			b.WriteRune(r)
			hyphen = false
		} else if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	id := strings.Trim(b.String(), "-.")
	return truncate(id, corpus.MaxIDLength)
}

// readBulkForm reads the fields and every file of a multipart upload;
// the request's body limit bounds them together.
func (s *server) readBulkForm(r *http.Request) (fields map[string][]string, files []*Upload, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, nil, &httpError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
			msg: "Send the files as multipart/form-data, each in a part named \"file\"."}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, errBadRequest("The multipart body is not valid.")
	}
	fields = map[string][]string{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, s.bodyError(err)
		}
		if n > maxBulkFiles+maxFormFields {
			return nil, nil, errBadRequest("Too many parts: send at most %d files at a time.", maxBulkFiles)
		}
		name := part.FormName()
		if name == fieldFile {
			if len(files) == maxBulkFiles {
				return nil, nil, errBadRequest("Send at most %d files at a time.", maxBulkFiles)
			}
			up, err := s.readFilePart(part)
			if err != nil {
				return nil, nil, err
			}
			if up != nil {
				files = append(files, up)
			}
			continue
		}
		if err := onlyParams(map[string][]string{name: nil}, append(slicesClone(bulkFields), "allow_duplicate")...); err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return nil, nil, s.bodyError(err)
		}
		if len(b) > maxFieldBytes {
			return nil, nil, errBadRequest("The field %q is longer than the limit of %s.", name, byteSize(maxFieldBytes))
		}
		fields[name] = append(fields[name], string(b))
	}
	if len(files) == 0 {
		return nil, nil, errBadRequest("Send one or more files, each in a part named \"file\".")
	}
	return fields, files, nil
}

// addBulk adds each file on its own and reports each.
func (s *server) addBulk(r *http.Request, who string, fields map[string][]string, files []*Upload, allowDup bool) (apiBulkResponse, error) {
	common, err := entryFromFields(fields)
	if err != nil {
		return apiBulkResponse{}, err
	}
	out := apiBulkResponse{Results: make([]apiBulkResult, 0, len(files))}
	seen := map[string]bool{}
	for _, up := range files {
		res := apiBulkResult{File: up.Filename, ID: idFromFilename(up.Filename)}
		err := func() error {
			if !validDocumentID(res.ID) {
				return errBadRequest("No document id can be made of the file name %q: rename the file (letters, digits, dots, hyphens).", truncate(up.Filename, 80))
			}
			if seen[res.ID] {
				return &httpError{status: http.StatusConflict, code: "conflict", msg: "Another file of this upload has the id " + res.ID + "."}
			}
			seen[res.ID] = true
			if err := s.checkDuplicate(r.Context(), res.ID, up, allowDup); err != nil {
				return err
			}
			e := common
			e.ID = res.ID
			e.States = append([]string(nil), common.States...)
			if common.States == nil {
				e.States = nil
			}
			d, err := s.lib.lib.Add(r.Context(), who, e, up)
			if err != nil {
				return err
			}
			if df := s.duplicateFinder(); df != nil {
				if _, near, err := df.Duplicates(r.Context(), res.ID, up, d.Doc); err == nil {
					res.NearDuplicates = toAPINear(near)
				}
			}
			return nil
		}()
		if err != nil {
			if r.Context().Err() != nil {
				return out, r.Context().Err()
			}
			status, code, msg := errorResponse(err)
			if status >= 500 {
				s.log.ErrorContext(r.Context(), "bulk upload: adding a file", "id", res.ID, "err", err)
			}
			res.Status, res.Error, res.Message = status, code, msg
			out.Failed++
		} else {
			res.Status = http.StatusCreated
			out.Added++
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

func (s *server) handleAPIBulk(w http.ResponseWriter, r *http.Request, who string) error {
	if _, err := writeParams(r, "allow_duplicate"); err != nil {
		return err
	}
	q, _ := queryValues(r)
	fields, files, err := s.readBulkForm(r)
	if err != nil {
		return err
	}
	v := q.Get("allow_duplicate")
	if f := fields["allow_duplicate"]; len(f) > 0 {
		v = f[0]
	}
	delete(fields, "allow_duplicate")
	allowDup, err := allowDuplicate(v)
	if err != nil {
		return err
	}
	out, err := s.addBulk(r, who, fields, files, allowDup)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if out.Added == 0 {
		// Nothing was added: the first refusal's status, so a client that
		// reads only statuses sees the failure.
		status = out.Results[0].Status
	}
	return writeJSON(w, status, out)
}

// The page.

type bulkPage struct {
	librarianLayout
	Form          formValues
	Error         string
	Added, Failed int
	Results       []apiBulkResult
}

func (s *server) bulkPage(who string) bulkPage {
	return bulkPage{librarianLayout: s.librarianLayout("Add several files", who), Form: s.formValues(nil)}
}

func (s *server) handleBulkForm(w http.ResponseWriter, r *http.Request, sess *session) error {
	return s.render(w, http.StatusOK, "librarian-bulk", s.bulkPage(sess.name))
}

func (s *server) handleBulkPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	p := s.bulkPage(sess.name)
	showErr := func(err error) error {
		status, msg, ok := userError(err)
		if !ok {
			return err
		}
		p.Error = msg
		return s.render(w, status, "librarian-bulk", p)
	}
	fields, files, err := s.readBulkForm(r)
	if err != nil {
		return showErr(err)
	}
	allowDup := len(fields["allow_duplicate"]) > 0 && fields["allow_duplicate"][0] == "1"
	delete(fields, "allow_duplicate")
	out, err := s.addBulk(r, sess.name, fields, files, allowDup)
	if err != nil {
		return showErr(err)
	}
	p.Added, p.Failed, p.Results = out.Added, out.Failed, out.Results
	return s.render(w, http.StatusOK, "librarian-bulk", p)
}
