package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// GoldCase is one decision of a case-metadata test collection
// (eval/cases.jsonl): the metadata a reader annotated.
type GoldCase struct {
	ID            string   `json:"id"`
	Symbol        string   `json:"symbol"`
	Communication string   `json:"communication"`
	Name          string   `json:"name"`
	NameVariants  []string `json:"name_variants"`
	Complainant   *string  `json:"complainant"`
	Party         string   `json:"party"`
	Adopted       *string  `json:"adopted"`
	Year          int      `json:"year"`
	Outcome       string   `json:"outcome"`
	Violations    []string `json:"violations"`
	Destination   []string `json:"destination"`
	// NameInText and PartyInText are false where the decision's text does
	// not name the complainant or the State party (the gold value comes
	// from elsewhere): those fields are not scored for it.
	NameInText  *bool `json:"name_in_text"`
	PartyInText *bool `json:"party_in_text"`
}

// ReadGoldCases reads a JSON Lines file of GoldCase records.
func ReadGoldCases(r io.Reader) ([]GoldCase, error) {
	var out []GoldCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g GoldCase
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, g)
	}
	return out, sc.Err()
}

// CaseFields are the fields ScoreCases scores, in the order it prints them.
var CaseFields = []string{"name", "communication", "complainant", "party", "adopted", "year", "outcome", "violations", "destination"}

// ExtractedCase is what the engine holds for one decision: its case
// metadata and its year.
type ExtractedCase struct {
	Case *Case
	Year int
}

// CaseScore is the share of decisions whose field was right, and the ones
// that were not ("id: got X, want Y").
type CaseScore struct {
	Field    string
	Right    int
	Total    int
	Skipped  int // decisions whose text does not state the field
	Mistakes []string
}

// Accuracy is Right/Total (1 for an empty set).
func (s CaseScore) Accuracy() float64 {
	if s.Total == 0 {
		return 1
	}
	return float64(s.Right) / float64(s.Total)
}

// ScoreCases scores extracted case metadata against gold, field by field.
// A name is right when it equals the gold name or one of its variants
// (case and the dot after an initial ignored); lists compare as sets; a
// decision the engine does not know counts as wrong in every field.
func ScoreCases(gold []GoldCase, got map[string]ExtractedCase) []CaseScore {
	scores := make([]CaseScore, len(CaseFields))
	for i, f := range CaseFields {
		scores[i].Field = f
	}
	for _, g := range gold {
		x := got[g.ID]
		c := x.Case
		if c == nil {
			c = &Case{}
		}
		wantAdopted := ""
		if g.Adopted != nil {
			wantAdopted = *g.Adopted
		}
		// A null complainant says the same as name_in_text false: the
		// decision never names who brought it.
		nameInText := (g.NameInText == nil || *g.NameInText) && g.Complainant != nil
		wantComplainant := ""
		if g.Complainant != nil {
			wantComplainant = *g.Complainant
		}
		partyInText := g.PartyInText == nil || *g.PartyInText
		checks := []struct {
			ok        bool
			got, want any
			skip      bool
		}{
			{nameMatches(c.Name, g.Name, g.NameVariants), c.Name, g.Name, !nameInText || !partyInText},
			{c.Communication == g.Communication, c.Communication, g.Communication, false},
			{nameMatches(c.Complainant, wantComplainant, nil), c.Complainant, wantComplainant, !nameInText},
			{c.Party == g.Party, c.Party, g.Party, !partyInText},
			{c.Adopted == wantAdopted, c.Adopted, wantAdopted, false},
			{x.Year == g.Year, x.Year, g.Year, false},
			{c.Outcome == g.Outcome, c.Outcome, g.Outcome, false},
			{sameSet(c.Violations, g.Violations), c.Violations, g.Violations, false},
			{sameSet(c.Destination, g.Destination), c.Destination, g.Destination, false},
		}
		for i, ch := range checks {
			if ch.skip {
				scores[i].Skipped++
				continue
			}
			scores[i].Total++
			if ch.ok {
				scores[i].Right++
			} else {
				scores[i].Mistakes = append(scores[i].Mistakes, fmt.Sprintf("%s: got %v, want %v", g.Symbol, ch.got, ch.want))
			}
		}
	}
	return scores
}

func nameMatches(got, want string, variants []string) bool {
	norm := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), ".", ". ")), " ")
	}
	if got == "" {
		return want == ""
	}
	for _, w := range append([]string{want}, variants...) {
		if norm(got) == norm(w) {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	a, b = sortedSet(slices.Clone(a)), sortedSet(slices.Clone(b))
	return slices.Equal(a, b)
}
