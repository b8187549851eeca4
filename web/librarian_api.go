package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/corpus"
)

// The write API's JSON types.

// apiEntry is a document's catalog metadata.
type apiEntry struct {
	ID         string   `json:"id,omitempty"`
	Title      string   `json:"title,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	Instrument string   `json:"instrument,omitempty"`
	Body       string   `json:"body,omitempty"`
	Symbol     string   `json:"symbol,omitempty"`
	Date       string   `json:"date,omitempty"`
	Year       int      `json:"year,omitempty"`
	Language   string   `json:"language,omitempty"`
	States     []string `json:"states,omitempty"`
	URL        string   `json:"url,omitempty"`
	Format     string   `json:"format,omitempty"`
	Note       string   `json:"note,omitempty"`
}

func toAPIEntry(e *corpus.Entry) *apiEntry {
	if e == nil {
		return nil
	}
	return &apiEntry{ID: e.ID, Title: e.Title, Kind: e.Kind, Instrument: e.Instrument, Body: e.Body, Symbol: e.Symbol,
		Date: e.Date, Year: e.Year, Language: e.Language, States: e.States, URL: e.URL, Format: e.Format, Note: e.Note}
}

// apiStoredDocument is a stored document as the write API returns it.
type apiStoredDocument struct {
	ID         string              `json:"id"`
	URL        string              `json:"url"` // the document's page
	Metadata   apiEntry            `json:"metadata"`
	Catalog    apiEntry            `json:"catalog"`
	Overrides  *apiEntry           `json:"overrides,omitempty"`
	Provenance apiStoredProvenance `json:"provenance"`
	Passages   int                 `json:"passages"`
	Extracted  *apiExtracted       `json:"extracted,omitempty"`
	// NearDuplicates, in the answer to an add, are the documents whose
	// text is like this one's.
	NearDuplicates []apiNearDuplicate `json:"near_duplicates,omitempty"`
}

type apiStoredProvenance struct {
	Origin      string     `json:"origin,omitempty"`
	Source      string     `json:"source,omitempty"`
	FinalURL    string     `json:"final_url,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	SHA256      string     `json:"sha256"`
	Size        int64      `json:"size"`
	FetchedAt   *time.Time `json:"fetched_at,omitempty"`
}

// apiExtracted is what reading a document found: its facets, counted in
// passages, and (for previews) a sample of the passages.
type apiExtracted struct {
	Units      []string          `json:"units"`
	Instrument []apiFacetValue   `json:"instrument"`
	Article    []apiFacetValue   `json:"article"`
	State      []apiFacetValue   `json:"state"`
	Sample     []apiPreviewEntry `json:"sample,omitempty"`
}

type apiPreviewEntry struct {
	ID         string   `json:"id"`
	Unit       string   `json:"unit"`
	Heading    string   `json:"heading,omitempty"`
	Text       string   `json:"text"`
	Instrument []string `json:"instrument"`
	Article    []string `json:"article"`
	State      []string `json:"state"`
}

// apiPreview is a dry run's answer: what the document would be.
type apiPreview struct {
	ID         string         `json:"id"`
	Metadata   apiEntry       `json:"metadata"`
	Passages   int            `json:"passages"`
	Extracted  apiExtracted   `json:"extracted"`
	Duplicates *apiDuplicates `json:"duplicates,omitempty"`
	// Segmentation says how the text was cut into passages, and by what
	// (the kind given, or the numbers or headings found).
	Segmentation string `json:"segmentation"`
}

type apiAuditResponse struct {
	Page   int             `json:"page"`
	Size   int             `json:"size"`
	More   bool            `json:"more"`
	Events []apiAuditEvent `json:"events"`
}

type apiAuditEvent struct {
	Time   time.Time      `json:"time"`
	Who    string         `json:"who"`
	Action string         `json:"action"`
	ID     string         `json:"id"`
	Before *apiAuditState `json:"before,omitempty"`
	After  *apiAuditState `json:"after,omitempty"`
}

type apiAuditState struct {
	Metadata  apiEntry  `json:"metadata"`
	Overrides *apiEntry `json:"overrides,omitempty"`
	Source    string    `json:"source,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
	Size      int64     `json:"size"`
}

const (
	previewSample    = 20
	previewTextRunes = 400
	defaultAuditSize = 50
	maxAuditSize     = 500
)

func toAPIStored(d *LibraryDoc) apiStoredDocument {
	id := d.Effective.ID
	out := apiStoredDocument{ID: id, URL: docURL(id, ""), Metadata: *toAPIEntry(&d.Effective), Catalog: *toAPIEntry(&d.Catalog),
		Overrides: toAPIEntry(d.Overrides),
		Provenance: apiStoredProvenance{Origin: d.Origin, Source: d.Source, FinalURL: d.FinalURL, ContentType: d.ContentType,
			SHA256: d.SHA256, Size: d.Size}}
	if out.Overrides != nil {
		out.Overrides.ID = ""
	}
	if !d.FetchedAt.IsZero() {
		t := d.FetchedAt.UTC()
		out.Provenance.FetchedAt = &t
	}
	if d.Doc != nil {
		out.Passages = len(d.Doc.Passages)
		x := extracted(d.Doc, 0)
		out.Extracted = &x
	}
	return out
}

// extracted counts a document's facet values over its passages, and keeps
// a sample of up to sample passages.
func extracted(doc *corpus.Document, sample int) apiExtracted {
	count := func(get func(p *corpus.Passage) []string) []apiFacetValue {
		n := map[string]int{}
		for i := range doc.Passages {
			for _, v := range get(&doc.Passages[i]) {
				n[v]++
			}
		}
		out := make([]apiFacetValue, 0, len(n))
		for v, c := range n {
			out = append(out, apiFacetValue{Value: v, Count: c})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Count != out[j].Count {
				return out[i].Count > out[j].Count
			}
			return out[i].Value < out[j].Value
		})
		return out
	}
	x := apiExtracted{
		Units:      make([]string, 0, len(doc.Passages)),
		Instrument: count(func(p *corpus.Passage) []string { return p.Instruments }),
		Article:    count(func(p *corpus.Passage) []string { return p.Articles }),
		State:      count(func(p *corpus.Passage) []string { return p.States }),
	}
	for i, p := range doc.Passages {
		x.Units = append(x.Units, p.Unit)
		if i < sample {
			x.Sample = append(x.Sample, apiPreviewEntry{ID: p.ID, Unit: p.Unit, Heading: p.Heading,
				Text: truncateRunes(p.Text, previewTextRunes), Instrument: nonNil(p.Instruments),
				Article: nonNil(p.Articles), State: nonNil(p.States)})
		}
	}
	return x
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

func toAPIAudit(ev AuditEvent) apiAuditEvent {
	st := func(a *AuditState) *apiAuditState {
		if a == nil {
			return nil
		}
		o := &apiAuditState{Metadata: *toAPIEntry(&a.Entry), Overrides: toAPIEntry(a.Overrides), Source: a.Source,
			SHA256: a.SHA256, Size: a.Size}
		return o
	}
	return apiAuditEvent{Time: ev.Time.UTC(), Who: ev.Who, Action: ev.Action, ID: ev.ID, Before: st(ev.Before), After: st(ev.After)}
}

// docIDVar reads and validates the {id} of a write route.
func docIDVar(r *http.Request) (string, error) {
	id, err := pathVar(mux.Vars(r), "id")
	if err != nil {
		return "", err
	}
	if !validDocumentID(id) {
		return "", errBadRequest("That is not a valid document id: lower-case letters, digits, dots and hyphens, at most %d bytes.", corpus.MaxIDLength)
	}
	return id, nil
}

// fetch gets a document by URL with the configured fetcher.
func (s *server) fetch(ctx context.Context, rawURL string) (*Upload, error) {
	if s.lib.fetcher == nil {
		return nil, &httpError{status: http.StatusNotImplemented, code: "not_implemented",
			msg: "This server cannot fetch documents by URL (no crawler is configured): upload the file instead."}
	}
	up, err := s.lib.fetcher.Fetch(ctx, rawURL)
	if err != nil {
		var ur userReasoner
		if errors.As(err, &ur) || ctx.Err() != nil {
			return nil, err
		}
		return nil, &httpError{status: http.StatusUnprocessableEntity, code: "unprocessable",
			msg: "The URL could not be fetched.", err: err}
	}
	if up.Origin == "" {
		up.Origin = "crawl"
	}
	if up.Source == "" {
		up.Source = rawURL
	}
	return up, nil
}

// newDocument reads an upload request into an entry and its bytes,
// fetching them when only a url is given.
func (s *server) newDocument(r *http.Request, form *uploadForm) (corpus.Entry, *Upload, error) {
	e, err := entryFromFields(form.fields)
	if err != nil {
		return e, nil, err
	}
	if e.ID == "" {
		return e, nil, errBadRequest("The id is required: lower-case letters, digits, dots and hyphens, such as cat-c-70-d-1111-2021.")
	}
	up := form.file
	if up == nil {
		if e.URL == "" {
			return e, nil, errBadRequest("Send a file (the part named \"file\"), or a url to fetch the document from.")
		}
		if up, err = s.fetch(r.Context(), e.URL); err != nil {
			return e, nil, err
		}
	}
	return e, up, nil
}

func (s *server) handleAPIAdd(w http.ResponseWriter, r *http.Request, who string) error {
	dry, err := writeParams(r, addParams...)
	if err != nil {
		return err
	}
	form, err := s.readUploadForm(r, append(slicesClone(catalogFields), fieldFile))
	if err != nil {
		return err
	}
	e, up, err := s.newDocument(r, form)
	if err != nil {
		return err
	}
	q, _ := queryValues(r) // checked by writeParams
	allowDup, err := allowDuplicate(q.Get("allow_duplicate"))
	if err != nil {
		return err
	}
	if dry {
		doc, err := s.lib.lib.Preview(r.Context(), e, up)
		if err != nil {
			return err
		}
		dups, err := s.duplicatesOf(r.Context(), e.ID, up, doc)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, apiPreview{ID: doc.ID, Metadata: *toAPIEntry(&doc.Entry),
			Passages: len(doc.Passages), Extracted: extracted(doc, previewSample), Duplicates: dups, Segmentation: segmentationOf(doc)})
	}
	if err := s.checkDuplicate(r.Context(), e.ID, up, allowDup); err != nil {
		return err
	}
	d, err := s.lib.lib.Add(r.Context(), who, e, up)
	if err != nil {
		return err
	}
	out := toAPIStored(d)
	if df := s.duplicateFinder(); df != nil {
		if _, near, err := df.Duplicates(r.Context(), e.ID, up, d.Doc); err == nil {
			out.NearDuplicates = toAPINear(near)
		}
	}
	w.Header().Set("Location", "/api/documents/"+escapePath(e.ID))
	w.Header().Set("ETag", docETag(d))
	return writeJSON(w, http.StatusCreated, out)
}

func (s *server) handleAPIUpdate(w http.ResponseWriter, r *http.Request, who string) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	dry, err := writeParams(r, "dry_run")
	if err != nil {
		return err
	}
	form, err := s.readUploadForm(r, append(slicesClone(catalogFields), fieldFile))
	if err != nil {
		return err
	}
	if ids := form.fields[fieldID]; len(ids) > 0 && (len(ids) > 1 || strings.TrimSpace(ids[0]) != id) {
		return errBadRequest("A document's id cannot be changed: add it under the new id and delete the old one.")
	}
	delete(form.fields, fieldID)
	if err := onlyFields(form.fields, correctableFields); err != nil {
		return err
	}
	o, err := entryFromFields(form.fields)
	if err != nil {
		return err
	}
	defer s.lib.locks.lock(id)()
	cur, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, cur); err != nil {
		return err
	}
	// An empty field clears the field's correction: the document falls
	// back to the catalog's value.
	var cleared []string
	if cur.Overrides != nil {
		corrected := fieldsOf(cur.Overrides)
		for _, name := range emptiedFields(form.fields) {
			if corrected[name] != "" {
				cleared = append(cleared, name)
			}
		}
	}
	var overrides *corpus.Entry
	if !isEmptyEntry(&o) {
		overrides = &o
	}
	overrides = withCleared(overrides, cleared)
	if overrides == nil && form.file == nil {
		return errBadRequest("Nothing to change: send a file, corrected metadata, or both (an empty field clears a correction, and this document has none of the fields sent).")
	}
	if err := checkMergedYear(cur, &o, cleared); err != nil {
		return err
	}
	if dry {
		return s.dryRunUpdate(w, r, cur, overrides, form.file)
	}
	d, err := s.lib.lib.Update(r.Context(), who, id, overrides, form.file)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", docETag(d))
	return writeJSON(w, http.StatusOK, toAPIStored(d))
}

// dryRunUpdate answers what an update would change, changing nothing.
func (s *server) dryRunUpdate(w http.ResponseWriter, r *http.Request, cur *LibraryDoc, overrides *corpus.Entry, up *Upload) error {
	e := wouldBe(cur, overrides)
	out := apiDryRun{ID: cur.Effective.ID, DryRun: true, Action: "edit", Changes: entryChanges(&cur.Effective, &e),
		ETag: docETag(cur)}
	if up != nil {
		out.Action = "replace"
		pe := e
		pe.ID = cur.Effective.ID
		if overrides == nil || overrides.Format == "" {
			pe.Format = "" // new bytes: their format is detected
		}
		doc, err := s.lib.lib.Preview(r.Context(), pe, up)
		if err != nil {
			return err
		}
		e.Format = doc.Entry.Format
		out.Changes = entryChanges(&cur.Effective, &e)
		out.Passages = len(doc.Passages)
		if sum := sha256Hex(up.Raw); sum != cur.SHA256 {
			out.Changes = append(out.Changes, apiChange{Field: "sha256", Before: cur.SHA256, After: sum})
		}
	} else if len(out.Changes) == 0 {
		out.Action = "none"
	}
	out.Metadata = *toAPIEntry(&e)
	w.Header().Set("ETag", out.ETag)
	return writeJSON(w, http.StatusOK, out)
}

// checkMergedYear refuses a change after which the document's year and
// date would contradict each other.
func checkMergedYear(cur *LibraryDoc, o *corpus.Entry, cleared []string) error {
	date, year := cur.Effective.Date, cur.Effective.Year
	if slices.Contains(cleared, fieldDate) {
		date = cur.Catalog.Date
	}
	if slices.Contains(cleared, fieldYear) {
		year = cur.Catalog.Year
	}
	if o.Date != "" {
		date = o.Date
	}
	if o.Year != 0 {
		year = o.Year
	}
	if o.Date == "" && o.Year == 0 && len(cleared) == 0 {
		return nil // the dates in effect are not this change's
	}
	if date != "" && year != 0 && dateYear(date) != year {
		return errBadRequest("The year %d and the date %s would contradict each other: send a year that agrees with the date.", year, date)
	}
	return nil
}

func (s *server) handleAPIDelete(w http.ResponseWriter, r *http.Request, who string) error {
	id, err := docIDVar(r)
	if err != nil {
		return err
	}
	dry, err := writeParams(r, "dry_run")
	if err != nil {
		return err
	}
	defer s.lib.locks.lock(id)()
	cur, err := s.lib.lib.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, cur); err != nil {
		return err
	}
	if dry {
		w.Header().Set("ETag", docETag(cur))
		return writeJSON(w, http.StatusOK, apiDryRun{ID: id, DryRun: true, Action: "delete", Changes: []apiChange{},
			Metadata: *toAPIEntry(&cur.Effective), ETag: docETag(cur)})
	}
	if err := s.lib.lib.Delete(r.Context(), who, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func auditPaging(v url.Values) (page, size int, err error) {
	if page, err = intParam(v, "page", 1); err != nil {
		return 0, 0, err
	}
	if size, err = intParam(v, "size", defaultAuditSize); err != nil {
		return 0, 0, err
	}
	if page < 1 || page > 100_000 {
		return 0, 0, errBadRequest("page must be between 1 and 100000.")
	}
	if size < 1 || size > maxAuditSize {
		return 0, 0, errBadRequest("size must be between 1 and %d.", maxAuditSize)
	}
	return page, size, nil
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// segmentationOf says how a document was cut into passages: at its unit
// headings (articles, rules), at its numbered paragraphs, or block by
// block, and why (the kind given, or what the text holds).
func segmentationOf(doc *corpus.Document) string {
	units := map[string]int{}
	for _, p := range doc.Passages {
		u := p.Unit
		switch {
		case strings.Contains(u, "art-"):
			units["articles"]++
		case strings.Contains(u, "rule-"):
			units["rules"]++
		case strings.HasPrefix(u, "para-"):
			units["numbered paragraphs"]++
		default:
			units["other blocks"]++
		}
	}
	kind := doc.Kind
	if kind == "" {
		kind = "none given"
	}
	var how string
	switch {
	case units["articles"]+units["rules"] > 0:
		how = "at its unit headings"
	case units["numbered paragraphs"] > 0:
		how = "at its numbered paragraphs"
	default:
		how = "block by block (p-N)"
	}
	var parts []string
	for _, k := range []string{"articles", "rules", "numbered paragraphs", "other blocks"} {
		if n := units[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	return fmt.Sprintf("Cut %s (kind: %s): %s.", how, kind, strings.Join(parts, ", "))
}
