package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hrsearch/hrsearch/corpus"
)

// PipelineVersion changes whenever reading, segmentation, extraction or the
// mapping change what a document turns into; a stored document whose indexed
// version differs is re-indexed.
const PipelineVersion = "9"

// boltTimeout is how long opening an index waits for another process's
// lock before failing: without it a second process blocks for ever.
const boltTimeout = "2s"

// DocState is what the index knows about one indexed document. The
// manifest of every document's state is kept in Bleve's internal keys (see
// write.go): it holds counts, not passage ids, which the index itself
// answers (PassageIDs).
type DocState struct {
	// Key identifies what was indexed: raw bytes, effective entry, pipeline.
	Key    string `json:"key"`
	Origin string `json:"origin,omitempty"`
	// Passages counts the document's indexed passages.
	Passages int `json:"n"`
}

// Index is the Bleve index of passages with its manifest. Searches run
// concurrently with writes; writes take turns as write.go describes.
type Index struct {
	idx bleve.Index
	dir string // on disk; "" in memory

	mu       sync.Mutex // guards the fields below
	changed  *sync.Cond // a write finished
	manifest map[string]DocState
	w        writeState
}

// ErrIndexLocked is returned when another process holds the index.
var ErrIndexLocked = errors.New("index is in use by another process")

// OpenIndex opens the index in dir, creating it if it does not exist.
func OpenIndex(dir string) (*Index, error) {
	cfg := map[string]interface{}{"bolt_timeout": boltTimeout}
	var idx bleve.Index
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		idx, err = bleve.OpenUsing(dir, cfg)
		if err != nil {
			if strings.Contains(err.Error(), "timeout") {
				return nil, fmt.Errorf("opening index %s: %w", dir, ErrIndexLocked)
			}
			return nil, fmt.Errorf("opening index %s: %w", dir, err)
		}
	} else {
		m, err := NewMapping()
		if err != nil {
			return nil, err
		}
		idx, err = bleve.NewUsing(dir, m, scorch.Name, scorch.Name, cfg)
		if err != nil {
			return nil, fmt.Errorf("creating index %s: %w", dir, err)
		}
	}
	ix := newIndex(idx)
	ix.dir = dir
	if err := ix.loadManifest(); err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

// NewMemIndex returns an index in memory, for tests.
func NewMemIndex() (*Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	return newIndex(idx), nil
}

// mappingCurrent reports whether the index was built with this version's
// mapping (Bleve keeps the mapping an index was created with).
func (ix *Index) mappingCurrent() (bool, error) {
	m, err := NewMapping()
	if err != nil {
		return false, err
	}
	want, err := json.Marshal(m)
	if err != nil {
		return false, err
	}
	have, err := json.Marshal(ix.idx.Mapping())
	if err != nil {
		return false, err
	}
	return bytes.Equal(want, have), nil
}

// maxPassageIDs bounds one document's passages read back from the index.
const maxPassageIDs = 100000

// PassageIDs returns the ids of document id's indexed passages.
func (ix *Index) PassageIDs(id string) ([]string, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.passageIDs(id)
}

func (ix *Index) passageIDs(id string) ([]string, error) {
	q := query.NewTermQuery(id)
	q.SetField(FieldDocument)
	req := bleve.NewSearchRequestOptions(q, maxPassageIDs, 0, false)
	req.SortBy([]string{FieldOrder, "_id"})
	res, err := ix.idx.Search(req)
	if err != nil {
		return nil, fmt.Errorf("reading the passages of %s: %w", id, err)
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// Bleve returns the underlying index for searching.
func (ix *Index) Bleve() bleve.Index { return ix.idx }

// Close closes the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// oneMerge is Bleve's single-segment merge plan with every segment in one
// merge task: with its default of 10 a task, 24 segments are merged in
// three rounds, copying the first rounds' output again.
var oneMerge = func() mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = 1 << 16
	return o
}()

// Compact merges the index's segments into one, as after a bulk import:
// each segment costs every query term a lookup and a postings iterator,
// so a search of one segment does less (the demo's topics over the API:
// 11 segments 6.1 ms, one 5.2 ms). Scorch merges in steps; Compact asks
// until one segment is left or a step merges nothing. Writes may go on
// meanwhile; a crash leaves the segments as they were. An index of
// another kind is left as it is.
func (ix *Index) Compact(ctx context.Context) error {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	segments := func() (int, error) {
		r, err := sc.Reader()
		if err != nil {
			return 0, err
		}
		defer r.Close()
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok || snap == nil {
			return 0, bleve.ErrorIndexClosed
		}
		return len(snap.Segments()), nil
	}
	n, err := segments()
	for err == nil && n > 1 {
		if err = sc.ForceMerge(ctx, &oneMerge); err != nil {
			break
		}
		var m int
		if m, err = segments(); err == nil && m >= n {
			break // no progress
		}
		n = m
	}
	if err != nil {
		return fmt.Errorf("compacting the index: %w", err)
	}
	ix.awaitRemoval(ctx, n)
	return nil
}

// awaitRemoval waits, briefly, until Bleve has removed the files of the
// segments a compaction merged away (it does so after persisting the
// merged one, within about 100 ms): a process that closes the index at
// once would otherwise leave them on disk, twice the index's size, until
// the index is next opened.
func (ix *Index) awaitRemoval(ctx context.Context, segments int) {
	if ix.dir == "" {
		return
	}
	pattern := filepath.Join(ix.dir, "store", "*.zap")
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		if files, _ := filepath.Glob(pattern); len(files) <= segments {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// State returns what the index knows of document id.
func (ix *Index) State(id string) (DocState, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.manifest[id]
	return s, ok
}

// Documents returns the ids of the indexed documents and the passage count.
func (ix *Index) Documents() (ids []string, passages int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for id, s := range ix.manifest {
		ids = append(ids, id)
		passages += s.Passages
	}
	return ids, passages
}

// typeField names the document mapping (and so the analyzers) of a
// passage; it is Bleve's default type field.
const typeField = "_type"

// Tiers of text, from the most to the least authoritative.
const (
	TierProvision      = "provision"      // treaty articles, rules, declarations
	TierInterpretation = "interpretation" // general comments
	TierFinding        = "finding"        // decisions on individual complaints
	TierReport         = "report"         // special-procedure reports
	TierCommentary     = "commentary"     // articles and everything else
)

// TierOf returns the tier of a document kind.
func TierOf(kind string) string {
	switch kind {
	case corpus.KindTreaty, corpus.KindRules, corpus.KindDeclaration:
		return TierProvision
	case corpus.KindGeneralComment:
		return TierInterpretation
	case corpus.KindDecision:
		return TierFinding
	case corpus.KindReport, corpus.KindFollowUp:
		return TierReport
	}
	return TierCommentary
}

// newPassageDoc is the Bleve document of one passage: the mapping's field
// names to values. Empty values are left out, so that no facet counts an
// empty string and no filter matches one.
func newPassageDoc(e *corpus.Entry, p *corpus.Passage) map[string]interface{} {
	lang := p.Language
	if lang == "" {
		lang = e.Language
	}
	d := map[string]interface{}{
		typeField:     typeFor(lang),
		FieldDocument: e.ID,
		FieldUnit:     p.Unit,
		FieldOrder:    OrderKey(p.Order),
		FieldText:     p.Text,
		FieldTier:     TierOf(e.Kind),
	}
	set := func(field, v string) {
		if v != "" {
			d[field] = v
		}
	}
	set(FieldHeading, p.Heading)
	set(FieldTitle, e.Title)
	set(FieldKind, e.Kind)
	set(FieldLanguage, lang)
	set(FieldBody, e.Body)
	set(FieldDate, e.Date)
	set(FieldOwnArticle, OwnArticle(p))
	if y := e.YearOf(); y > 0 {
		d[FieldYear] = strconv.Itoa(y)
		d[FieldWhen] = strconv.Itoa(y)
	}
	set(FieldWhen, e.Date)
	// The document's own symbol first: results name a decision by it.
	symbols := p.Symbols
	if e.Symbol != "" {
		symbols = []string{e.Symbol}
		for _, sym := range p.Symbols {
			if sym != e.Symbol {
				symbols = append(symbols, sym)
			}
		}
	}
	setAll := func(field string, vs []string) {
		var out []string
		for _, v := range vs {
			if v != "" {
				out = append(out, v)
			}
		}
		if len(out) > 0 {
			d[field] = out
		}
	}
	setAll(FieldSymbol, symbols)
	setAll(FieldInstr, p.Instruments)
	setAll(FieldArticle, p.Articles)
	setAll(FieldState, p.States)
	keys := make([]string, 0, len(p.Defines))
	for _, t := range p.Defines {
		keys = append(keys, corpus.DefinitionKey(t))
	}
	setAll(FieldDefines, keys)
	setCase(d, e, p)
	return d
}

// OwnArticle returns the provision a passage is ("CAT 3" for cat#art-3,
// "SMR 58" for a rule, "ICCPR-OP1 1" for iccpr#op1-art-1), or "".
func OwnArticle(p *corpus.Passage) string {
	if p.Instrument == "" {
		return ""
	}
	unit := p.Unit
	if i := strings.LastIndex(unit, "art-"); i >= 0 && (i == 0 || unit[i-1] == '-') {
		unit = unit[i+len("art-"):]
	} else if strings.HasPrefix(unit, "rule-") {
		unit = unit[len("rule-"):]
	} else {
		return ""
	}
	if j := strings.IndexByte(unit, '-'); j >= 0 { // a repeat suffix: art-3-2
		unit = unit[:j]
	}
	if unit == "" {
		return ""
	}
	return p.Instrument + " " + strings.ToUpper(unit)
}

// setCase adds a passage's case-law fields: its paragraph's concerned
// groups, and its document's case party, outcome and name; the first
// passage also holds the document's groups (the union of the
// paragraphs'), the case as JSON and its lookup keys.
func setCase(d map[string]interface{}, e *corpus.Entry, p *corpus.Passage) {
	if len(p.Labels) > 0 {
		d[FieldGroup] = p.Labels
	}
	c := e.Case
	if c == nil {
		return
	}
	first := p.Order == 0
	if first && len(c.Groups) > 0 {
		d[FieldDocGroup] = c.Groups
	}
	if c.Party != "" {
		d[FieldParty] = c.Party
	}
	if c.Outcome != "" {
		d[FieldOutcome] = c.Outcome
	}
	if c.Name != "" {
		d[FieldCaseName] = c.Name
	}
	if !first || !c.IsCase() {
		return
	}
	if b, err := json.Marshal(c); err == nil {
		d[FieldCase] = string(b)
	}
	if keys := corpus.CaseKeys(c, e.Symbol); len(keys) > 0 {
		d[FieldCaseKey] = keys
	}
}
