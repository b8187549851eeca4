package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

// The catalog fields a librarian may give, on upload and as corrections.
const (
	fieldID         = "id"
	fieldTitle      = "title"
	fieldKind       = "kind"
	fieldInstrument = "instrument"
	fieldBody       = "body"
	fieldSymbol     = "symbol"
	fieldDate       = "date"
	fieldYear       = "year"
	fieldLanguage   = "language"
	fieldStates     = "states"
	fieldURL        = "url"
	fieldFormat     = "format"
	fieldNote       = "note"
	fieldFile       = "file"

	// A decision's case (corpus.Case), field by field.
	fieldCaseName          = "case.name"
	fieldCaseCommunication = "case.communication"
	fieldCaseComplainant   = "case.complainant"
	fieldCaseParty         = "case.party"
	fieldCaseAdopted       = "case.adopted"
	fieldCaseOutcome       = "case.outcome"
	fieldCaseViolations    = "case.violations"
	fieldCaseDestination   = "case.destination"
)

// caseFields are a decision's case fields, in form order.
var caseFields = []string{fieldCaseName, fieldCaseCommunication, fieldCaseComplainant, fieldCaseParty, fieldCaseAdopted,
	fieldCaseOutcome, fieldCaseViolations, fieldCaseDestination}

// catalogFields are the metadata fields of an upload, in form order.
var catalogFields = append([]string{fieldID, fieldTitle, fieldKind, fieldInstrument, fieldBody, fieldSymbol, fieldDate,
	fieldYear, fieldLanguage, fieldStates, fieldURL, fieldFormat, fieldNote}, caseFields...)

// correctableFields are those a correction (an override) may set.
var correctableFields = append([]string{fieldTitle, fieldKind, fieldInstrument, fieldBody, fieldSymbol, fieldDate,
	fieldYear, fieldLanguage, fieldStates, fieldFormat}, caseFields...)

var (
	kinds = []string{corpus.KindTreaty, corpus.KindRules, corpus.KindDeclaration, corpus.KindGeneralComment,
		corpus.KindDecision, corpus.KindReport, corpus.KindArticle}
	formats = []string{corpus.FormatHTML, corpus.FormatMarkdown, corpus.FormatText, corpus.FormatParagraphJSON,
		corpus.FormatPDF}
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
	datePattern     = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	bodyPattern     = regexp.MustCompile(`^[A-Za-z0-9 .()/-]{1,40}$`)
)

// Field limits.
const (
	maxFieldBytes  = 8 << 10 // one form field
	maxFormFields  = 64
	maxStates      = 250
	maxTitleRunes  = 500
	maxNoteRunes   = 2000
	maxSymbolRunes = 100
	maxURLBytes    = 2048
	// a case's name or complainant
	maxCaseNameRunes = 300
)

// uploadForm is a parsed upload request: catalog fields, maybe a file, and
// the other fields a page's form sends.
type uploadForm struct {
	fields url.Values
	file   *Upload
}

// readUploadForm reads a multipart/form-data (or url-encoded) body as it
// streams: the file part up to the upload limit, each other field up to
// 8 KB. Fields outside allowed are refused, so a mistyped name is noticed.
func (s *server) readUploadForm(r *http.Request, allowed []string) (*uploadForm, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	form := &uploadForm{fields: url.Values{}}
	switch mt {
	case "multipart/form-data":
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, s.bodyError(err)
		}
		for k, vs := range r.PostForm {
			if !slices.Contains(allowed, k) {
				return nil, errBadRequest("Unknown field %q.", truncate(k, 40))
			}
			form.fields[k] = vs
		}
		return form, nil
	default:
		return nil, &httpError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
			msg: "Send the document as multipart/form-data (a file part named \"file\" and the catalog fields)."}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errBadRequest("The multipart body is not valid.")
	}
	n := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, s.bodyError(err)
		}
		name := part.FormName()
		if n++; n > maxFormFields {
			return nil, errBadRequest("Too many form fields.")
		}
		if name == fieldFile && slices.Contains(allowed, fieldFile) {
			if form.file != nil {
				return nil, errBadRequest("Send one file at a time.")
			}
			up, err := s.readFilePart(part)
			if err != nil {
				return nil, err
			}
			form.file = up
			continue
		}
		if !slices.Contains(allowed, name) {
			return nil, errBadRequest("Unknown field %q.", truncate(name, 40))
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return nil, s.bodyError(err)
		}
		if len(b) > maxFieldBytes {
			return nil, errBadRequest("The field %q is longer than the limit of %s.", name, byteSize(maxFieldBytes))
		}
		form.fields.Add(name, string(b))
	}
	return form, nil
}

// readFilePart reads the file up to the upload limit. A part without a file
// name and without bytes (a form's empty file input) is no file.
func (s *server) readFilePart(part *multipart.Part) (*Upload, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(part, s.lib.maxUpload+1))
	if err != nil {
		return nil, s.bodyError(err)
	}
	if n > s.lib.maxUpload {
		return nil, s.errUploadTooLarge()
	}
	up := &Upload{Raw: buf.Bytes(), Filename: cleanFilename(part.FileName()), Origin: "upload"}
	if mt, params, err := mime.ParseMediaType(part.Header.Get("Content-Type")); err == nil && len(mt) < 100 {
		up.ContentType = mime.FormatMediaType(mt, params)
	}
	if up.Filename == "" && len(up.Raw) == 0 {
		return nil, nil
	}
	return up, nil
}

// cleanFilename keeps a file name's base, in printable characters: it is a
// hint for the format and shown as the source, never used as a path.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	return truncate(name, 200)
}

// bodyError maps errors reading a request body.
func (s *server) bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return s.errUploadTooLarge()
	}
	return &httpError{status: http.StatusBadRequest, code: "bad_request", msg: "The request body could not be read.", err: err}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// entryFromFields builds catalog metadata from form fields, validating
// each. Empty fields are not set.
func entryFromFields(v url.Values) (corpus.Entry, error) {
	var e corpus.Entry
	get := func(name string) (string, error) {
		vals := v[name]
		if len(vals) > 1 && name != fieldStates {
			return "", errBadRequest("Give the field %q once.", name)
		}
		if len(vals) == 0 {
			return "", nil
		}
		val := strings.TrimSpace(vals[0])
		if !utf8.ValidString(val) || strings.ContainsFunc(val, isControl) {
			return "", errBadRequest("The field %q holds characters that are not allowed.", name)
		}
		return val, nil
	}
	var err error
	if e.ID, err = get(fieldID); err != nil {
		return e, err
	}
	if e.ID != "" && !corpus.ValidID(e.ID) {
		return e, errBadRequest("The id must be lower-case letters, digits, dots and hyphens, start with a letter or digit, and be at most %d bytes.", corpus.MaxIDLength)
	}
	if e.Title, err = get(fieldTitle); err != nil {
		return e, err
	}
	if utf8.RuneCountInString(e.Title) > maxTitleRunes {
		return e, errBadRequest("The title is longer than %d characters.", maxTitleRunes)
	}
	if e.Kind, err = get(fieldKind); err != nil {
		return e, err
	}
	if e.Kind != "" && !slices.Contains(kinds, e.Kind) {
		return e, errBadRequest("The kind must be one of: %s.", strings.Join(kinds, ", "))
	}
	if e.Instrument, err = get(fieldInstrument); err != nil {
		return e, err
	}
	if e.Instrument != "" {
		in, ok := corpus.LookupInstrument(e.Instrument)
		if !ok {
			return e, errBadRequest("The instrument %q is not known: use a short name such as CAT, ICCPR or ACHR.", truncate(e.Instrument, 40))
		}
		e.Instrument = in.Short
	}
	if e.Body, err = get(fieldBody); err != nil {
		return e, err
	}
	if e.Body != "" && !bodyPattern.MatchString(e.Body) {
		return e, errBadRequest("The body must be a short name such as CAT or HRC.")
	}
	if e.Symbol, err = get(fieldSymbol); err != nil {
		return e, err
	}
	if utf8.RuneCountInString(e.Symbol) > maxSymbolRunes {
		return e, errBadRequest("The symbol is longer than %d characters.", maxSymbolRunes)
	}
	if e.Date, err = get(fieldDate); err != nil {
		return e, err
	}
	if e.Date != "" && !validDate(e.Date) {
		return e, errBadRequest("The date must be YYYY, YYYY-MM or YYYY-MM-DD.")
	}
	if y := dateYear(e.Date); e.Date != "" && (y < minYear || y > maxYear) {
		return e, errBadRequest("The date must be in the years %d to %d.", minYear, maxYear)
	}
	year, err := get(fieldYear)
	if err != nil {
		return e, err
	}
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil || y < minYear || y > maxYear {
			return e, errBadRequest("The year must be a number such as 1984.")
		}
		e.Year = y
	}
	if err := checkYear(e.Date, e.Year); err != nil {
		return e, err
	}
	if e.Language, err = get(fieldLanguage); err != nil {
		return e, err
	}
	if e.Language != "" && !languagePattern.MatchString(e.Language) {
		return e, errBadRequest("The language must be a language code such as en, es or fr.")
	}
	if e.States, err = statesFromFields(v[fieldStates]); err != nil {
		return e, err
	}
	if e.URL, err = get(fieldURL); err != nil {
		return e, err
	}
	if e.URL != "" && !validHTTPURL(e.URL) {
		return e, errBadRequest("The url must be an absolute http or https address.")
	}
	if e.Format, err = get(fieldFormat); err != nil {
		return e, err
	}
	if e.Format != "" && !slices.Contains(formats, e.Format) {
		return e, errBadRequest("The format must be one of: %s.", strings.Join(formats, ", "))
	}
	if e.Note, err = get(fieldNote); err != nil {
		return e, err
	}
	if utf8.RuneCountInString(e.Note) > maxNoteRunes {
		return e, errBadRequest("The note is longer than %d characters.", maxNoteRunes)
	}
	c, err := caseFromFields(v, get)
	if err != nil {
		return e, err
	}
	if c.IsCorrection() {
		e.Case = c
	}
	return e, nil
}

var (
	communicationPattern = regexp.MustCompile(`^\d{1,5}/\d{4}$`)
	violationPattern     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,15} \d{1,3}[A-Za-z]?$`)
)

// caseFromFields reads a decision's case fields, validating each: the
// communication as "300/2006" (a joint decision's numbers separated by
// commas or "and"), the State party and the countries of return by code or
// name, the adoption date as YYYY-MM-DD, the outcome as one of its values,
// the violated articles as "CAT 3, CAT 22".
func caseFromFields(v url.Values, get func(string) (string, error)) (*corpus.Case, error) {
	c := &corpus.Case{}
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{fieldCaseName, &c.Name}, {fieldCaseComplainant, &c.Complainant}} {
		if *f.dst, err = get(f.name); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(*f.dst) > maxCaseNameRunes {
			return nil, errBadRequest("The field %q is longer than %d characters.", f.name, maxCaseNameRunes)
		}
	}
	comm, err := get(fieldCaseCommunication)
	if err != nil {
		return nil, err
	}
	if comm != "" {
		nums := corpus.SplitCommunications(comm)
		for _, n := range nums {
			if !communicationPattern.MatchString(n) {
				return nil, errBadRequest("The communication must be its number and year, such as 300/2006 (a joint decision's: 130/1999 and 131/1999).")
			}
		}
		c.Communication = corpus.JoinCommunications(nums)
	}
	party, err := statesFromFields(v[fieldCaseParty])
	if err != nil {
		return nil, err
	}
	if len(party) > 1 {
		return nil, errBadRequest("A decision has one State party.")
	}
	if len(party) == 1 {
		c.Party = party[0]
	}
	if c.Adopted, err = get(fieldCaseAdopted); err != nil {
		return nil, err
	}
	if c.Adopted != "" && (len(c.Adopted) != len("2006-11-01") || !validDate(c.Adopted)) {
		return nil, errBadRequest("The adoption date must be YYYY-MM-DD.")
	}
	if c.Outcome, err = get(fieldCaseOutcome); err != nil {
		return nil, err
	}
	if c.Outcome != "" && !slices.Contains(corpus.Outcomes, c.Outcome) {
		return nil, errBadRequest("The outcome must be one of: %s.", strings.Join(corpus.Outcomes, ", "))
	}
	violations, err := get(fieldCaseViolations)
	if err != nil {
		return nil, err
	}
	for _, a := range strings.Split(violations, ",") {
		if a = strings.Join(strings.Fields(a), " "); a == "" {
			continue
		}
		if !violationPattern.MatchString(a) {
			return nil, errBadRequest("Give the violated articles as the instrument and the article, such as \"CAT 3, CAT 22\".")
		}
		inst, num, _ := strings.Cut(a, " ")
		if in, ok := corpus.LookupInstrument(inst); ok {
			inst = in.Short
		}
		c.Violations = append(c.Violations, strings.ToUpper(inst)+" "+num)
	}
	if c.Destination, err = statesFromFields(v[fieldCaseDestination]); err != nil {
		return nil, err
	}
	return c, nil
}

// The years a date or a year may be in.
const (
	minYear = 1000
	maxYear = 2200
)

// dateYear is the year of a valid date (0 for none).
func dateYear(d string) int {
	if len(d) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(d[:4])
	return y
}

// checkYear refuses a year that contradicts the date.
func checkYear(date string, year int) error {
	if date != "" && year != 0 && dateYear(date) != year {
		return errBadRequest("The year %d contradicts the date %s: give the date's year, or leave the year out.", year, date)
	}
	return nil
}

func validDate(d string) bool {
	if !datePattern.MatchString(d) {
		return false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(d)]
	_, err := time.Parse(layout, d)
	return err == nil
}

func validHTTPURL(s string) bool {
	if len(s) > maxURLBytes {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// onlyFields refuses fields outside allowed that hold a value.
func onlyFields(v url.Values, allowed []string) error {
	for k, vals := range v {
		if slices.Contains(allowed, k) {
			continue
		}
		for _, val := range vals {
			if strings.TrimSpace(val) != "" {
				return errBadRequest("The field %q cannot be changed this way.", k)
			}
		}
	}
	return nil
}

// isEmptyEntry reports whether no metadata field is set.
func isEmptyEntry(e *corpus.Entry) bool {
	return e.Title == "" && e.Kind == "" && e.Instrument == "" && e.Body == "" && e.Symbol == "" &&
		e.Date == "" && e.Year == 0 && e.Language == "" && e.States == nil && e.URL == "" &&
		e.Format == "" && e.Note == "" && !e.Case.IsCorrection()
}

// fieldsOf lists an entry's fields as form values.
func fieldsOf(e *corpus.Entry) map[string]string {
	m := map[string]string{
		fieldID: e.ID, fieldTitle: e.Title, fieldKind: e.Kind, fieldInstrument: e.Instrument, fieldBody: e.Body,
		fieldSymbol: e.Symbol, fieldDate: e.Date, fieldLanguage: e.Language, fieldStates: strings.Join(e.States, ", "),
		fieldURL: e.URL, fieldFormat: e.Format, fieldNote: e.Note,
	}
	if e.Year != 0 {
		m[fieldYear] = strconv.Itoa(e.Year)
	} else {
		m[fieldYear] = ""
	}
	c := e.Case
	if c == nil {
		c = &corpus.Case{}
	}
	m[fieldCaseName], m[fieldCaseCommunication], m[fieldCaseComplainant] = c.Name, c.Communication, c.Complainant
	m[fieldCaseParty], m[fieldCaseAdopted], m[fieldCaseOutcome] = c.Party, c.Adopted, c.Outcome
	m[fieldCaseViolations], m[fieldCaseDestination] = strings.Join(c.Violations, ", "), strings.Join(c.Destination, ", ")
	return m
}

// clearOverridesKey is library.ClearOverridesKey (web does not import the
// indexer): in the Extra of the overrides given to Library.Update, the JSON
// list of fields whose corrections to clear.
const clearOverridesKey = "hrsearch:clear"

// withCleared asks, in o, for the corrections of fields to be cleared; o
// may be nil.
func withCleared(o *corpus.Entry, fields []string) *corpus.Entry {
	if len(fields) == 0 {
		return o
	}
	if o == nil {
		o = &corpus.Entry{}
	}
	b, _ := json.Marshal(fields)
	o.Extra = map[string]json.RawMessage{clearOverridesKey: b}
	return o
}

// clearedOf lists the fields whose corrections o clears.
func clearedOf(o *corpus.Entry) []string {
	if o == nil {
		return nil
	}
	var fields []string
	json.Unmarshal(o.Extra[clearOverridesKey], &fields)
	return fields
}

// emptiedFields lists the correctable fields given in v with no value.
func emptiedFields(v url.Values) []string {
	var out []string
	for _, name := range correctableFields {
		vals, ok := v[name]
		if !ok {
			continue
		}
		empty := true
		for _, val := range vals {
			if strings.TrimSpace(val) != "" {
				empty = false
			}
		}
		if empty {
			out = append(out, name)
		}
	}
	return out
}

// changedFields returns the corrections a page's edit form makes: the
// fields whose submitted value differs from the one in effect. Unchanged
// fields do not become overrides, so a later fix in the catalog still
// shows through them. A field emptied in the form clears its correction
// (the document falls back to the catalog's value; without a correction
// nothing changes). A changed date with no year in the form brings the
// year in effect along, so that they agree.
func changedFields(cur, sub *corpus.Entry, v url.Values) *corpus.Entry {
	o := &corpus.Entry{}
	changed := false
	str := func(dst *string, name, old, new string) {
		if _, ok := v[name]; ok && new != old && new != "" {
			*dst, changed = new, true
		}
	}
	var cleared []string
	for _, name := range emptiedFields(v) {
		if fieldsOf(cur)[name] != "" {
			cleared = append(cleared, name)
		}
	}
	str(&o.Title, fieldTitle, cur.Title, sub.Title)
	str(&o.Kind, fieldKind, cur.Kind, sub.Kind)
	str(&o.Instrument, fieldInstrument, cur.Instrument, sub.Instrument)
	str(&o.Body, fieldBody, cur.Body, sub.Body)
	str(&o.Symbol, fieldSymbol, cur.Symbol, sub.Symbol)
	str(&o.Date, fieldDate, cur.Date, sub.Date)
	str(&o.Language, fieldLanguage, cur.Language, sub.Language)
	str(&o.Format, fieldFormat, cur.Format, sub.Format)
	if _, ok := v[fieldYear]; ok && sub.Year != 0 && sub.Year != cur.Year {
		o.Year, changed = sub.Year, true
	}
	if _, ok := v[fieldStates]; ok && sub.States != nil && !sameSet(cur.States, sub.States) {
		o.States, changed = sub.States, true
	}
	if _, ok := v[fieldYear]; !ok && o.Date != "" && cur.Year != 0 && cur.Year != dateYear(o.Date) {
		o.Year = dateYear(o.Date)
	}
	if !changed {
		return withCleared(nil, cleared)
	}
	return withCleared(o, cleared)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// fmtTime formats a time for pages.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
