package web

import (
	"context"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// apiCase is a decision's case metadata in the API (DESIGN.md, "Case law").
type apiCase struct {
	Name          string   `json:"name,omitempty"`
	Communication string   `json:"communication,omitempty"`
	Complainant   string   `json:"complainant,omitempty"`
	Party         string   `json:"party,omitempty"`
	Adopted       *string  `json:"adopted"`
	Outcome       string   `json:"outcome,omitempty"`
	Violations    []string `json:"violations"`
	Destination   []string `json:"destination"`
	// Groups are the concerned groups of the document's paragraphs.
	Groups []string `json:"groups,omitempty"`
}

// toAPICase is nil for a document without a case of its own.
func toAPICase(c *corpus.Case) *apiCase {
	if !c.IsCase() {
		return nil
	}
	out := &apiCase{Name: c.Name, Communication: c.Communication, Complainant: c.Complainant, Party: c.Party,
		Outcome: c.Outcome, Violations: nonNil(c.Violations), Destination: nonNil(c.Destination), Groups: c.Groups}
	if c.Adopted != "" {
		a := c.Adopted
		out.Adopted = &a
	}
	return out
}

// documentIndex is what the server may ask the index about a document as a
// whole (the derived kind and year, a decision's case): search.Searcher
// has it; a Searcher without it serves documents without a case.
type documentIndex interface {
	DocumentInfo(ctx context.Context, documentID string) (*search.DocumentInfo, error)
}

// indexedDocument is what the index holds about a document, or nil.
func (s *server) indexedDocument(ctx context.Context, id string) *search.DocumentInfo {
	di, ok := s.search.(documentIndex)
	if !ok {
		return nil
	}
	d, err := di.DocumentInfo(ctx, id)
	if err != nil {
		return nil // a document whose passages are not indexed has no case to show
	}
	return d
}

// withIndexedDocument completes a document's API form with what
// derivation found: its kind (a follow-up report filed as a decision), its
// year (a decision's, from its text or session) and its case.
func (s *server) withIndexedDocument(ctx context.Context, out *apiDocument) {
	d := s.indexedDocument(ctx, out.ID)
	if d == nil {
		return
	}
	if d.Kind != "" {
		out.Kind = d.Kind
	}
	if d.Year != 0 {
		out.Year = d.Year
	}
	out.Case = toAPICase(d.Case)
}

// caseMeta is the heading of a decision's page: case name, parties,
// adoption date or year, outcome, articles found violated.
func (s *server) caseMeta(ctx context.Context, p *docPage) {
	d := s.indexedDocument(ctx, p.ID)
	if d == nil || !d.Case.IsCase() {
		return
	}
	c := d.Case
	var meta []kv
	add := func(label, value, title string) {
		if value != "" {
			meta = append(meta, kv{Label: label, Value: value, Title: title})
		}
	}
	if c.Name != "" {
		p.CaseName = c.Name
	}
	add("Complainant", c.Complainant, "")
	if c.Party != "" {
		add("State party", s.name(search.FilterState, c.Party), c.Party)
	}
	add("Communication", c.Communication, "")
	when := c.Adopted
	if when == "" && d.Year != 0 {
		when = itoa(d.Year)
		if c.YearSource == corpus.YearFromSession {
			when += " (session " + itoa(c.Session) + ")"
		}
	}
	add("Adopted", when, "")
	add("Outcome", outcomeLabels[c.Outcome], "")
	add("Violations", strings.Join(c.Violations, ", "), "")
	if len(c.Destination) > 0 {
		names := make([]string, len(c.Destination))
		for i, code := range c.Destination {
			names[i] = s.name(search.FilterState, code)
		}
		add("Country of return", strings.Join(names, ", "), strings.Join(c.Destination, ", "))
	}
	p.Meta = append(meta, p.Meta...)
}

// outcomeLabels name the outcomes of decisions.
var outcomeLabels = map[string]string{
	corpus.OutcomeViolation:    "Violation",
	corpus.OutcomeNoViolation:  "No violation",
	corpus.OutcomeInadmissible: "Inadmissible",
	corpus.OutcomeDiscontinued: "Discontinued",
}
