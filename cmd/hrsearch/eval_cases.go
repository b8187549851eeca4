package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// caseIndex is what the case-metadata evaluation needs from the index.
type caseIndex interface {
	DocumentsOfKind(ctx context.Context, kind string) ([]search.DocumentInfo, error)
}

// evalCases scores the indexed case metadata of decisions against a gold
// file (eval/cases.jsonl), field by field, and counts the decisions whose
// year came from their text and from their session.
func evalCases(ctx context.Context, idx caseIndex, path string, verbose bool, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gold, err := corpus.ReadGoldCases(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	docs, err := idx.DocumentsOfKind(ctx, corpus.KindDecision)
	if err != nil {
		return err
	}
	got := map[string]corpus.ExtractedCase{}
	sources := map[string]int{}
	for _, d := range docs {
		got[d.ID] = corpus.ExtractedCase{Case: d.Case, Year: d.Year}
		switch {
		case d.Year == 0:
			sources["none"]++
		case d.Case != nil && d.Case.YearSource != "":
			sources[d.Case.YearSource]++
		default:
			sources["catalog"]++
		}
	}
	fmt.Fprintf(w, "\ncase metadata: %d decisions of %s\n", len(gold), path)
	for _, s := range corpus.ScoreCases(gold, got) {
		skipped := ""
		if s.Skipped > 0 {
			skipped = fmt.Sprintf(" (%d not stated in the text, not scored)", s.Skipped)
		}
		fmt.Fprintf(w, "  %-13s %.3f  %d/%d%s\n", s.Field, s.Accuracy(), s.Right, s.Total, skipped)
		if verbose && len(s.Mistakes) > 0 {
			fmt.Fprintf(w, "                 %s\n", strings.Join(s.Mistakes, "\n                 "))
		}
	}
	fmt.Fprintf(w, "decision years: %d from the text, %d from the session, %d from the catalog, %d without a year (%d decisions)\n",
		sources[corpus.YearFromText], sources[corpus.YearFromSession], sources["catalog"], sources["none"], len(docs))
	// What the decisions of the index do not state, field by field (a
	// one-paragraph discontinuance names neither complainant nor party).
	var noName, noComplainant, noParty, noOutcome, noViolations, violations, short int
	for _, d := range docs {
		c := d.Case
		if c == nil {
			c = &corpus.Case{}
		}
		count := func(n *int, missing bool) {
			if missing {
				*n++
			}
		}
		count(&noName, c.Name == "")
		count(&noComplainant, c.Complainant == "")
		count(&noParty, c.Party == "")
		count(&noOutcome, c.Outcome == "")
		if c.Outcome == corpus.OutcomeViolation {
			violations++
			count(&noViolations, len(c.Violations) == 0)
		}
		count(&short, c.Outcome == corpus.OutcomeDiscontinued && c.Complainant == "" && c.Party == "")
	}
	fmt.Fprintf(w, "decisions without a name: %d, complainant: %d, State party: %d, outcome: %d; violations without articles: %d of %d "+
		"(%d discontinuances name neither complainant nor State party)\n",
		noName, noComplainant, noParty, noOutcome, noViolations, violations, short)
	return nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
