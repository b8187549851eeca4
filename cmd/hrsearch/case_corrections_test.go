package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeDecisionCatalog writes a catalog of one decision on an individual
// communication, as paragraph JSON (a fixture written here, no corpus text).
func writeDecisionCatalog(t *testing.T, dir string, closing string) string {
	t.Helper()
	paras := []map[string]string{
		{"ID": "1", "Text": "1. The complainant is Marek Zielinski, a national of Belarus born in 1979, who faces deportation from Lithuania to Belarus."},
		{"ID": "2", "Text": "2. He claims that his return would expose him to torture, in breach of article 3 of the Convention."},
		{"ID": "7", "Text": "7. The Committee against Torture, acting under article 22 (7) of the Convention, " + closing},
	}
	b, err := json.Marshal(paras)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dec.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	line := `{"id":"cat-c-90-d-9001-2021","kind":"decision","body":"CAT","instrument":"CAT","symbol":"CAT/C/90/D/9001/2021","language":"en","format":"paragraph-json","file":"dec.json"}`
	path := filepath.Join(dir, "catalog.jsonl")
	if err := os.WriteFile(path, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type caseOf struct {
	Year int `json:"year"`
	Case struct {
		Name          string   `json:"name"`
		Communication string   `json:"communication"`
		Complainant   string   `json:"complainant"`
		Party         string   `json:"party"`
		Adopted       *string  `json:"adopted"`
		Outcome       string   `json:"outcome"`
		Violations    []string `json:"violations"`
		Destination   []string `json:"destination"`
	} `json:"case"`
}

func (ts *testServer) caseOf(id string) caseOf {
	ts.t.Helper()
	code, b, _ := ts.request("GET", "/api/documents/"+id, nil)
	if code != 200 {
		ts.t.Fatalf("GET %s: %d %s", id, code, b)
	}
	var c caseOf
	if err := json.Unmarshal(b, &c); err != nil {
		ts.t.Fatal(err)
	}
	return c
}

// TestCaseCorrections: a librarian corrects a decision's case fields and
// its year through PUT /api/documents/{id}; the corrections are in the
// document's case and its search filters at once, survive a restart, a
// re-import of a changed file and a reindex, and an emptied field falls
// back to what the text says.
func TestCaseCorrections(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	src := t.TempDir()
	data := filepath.Join(t.TempDir(), "data")
	catalog := writeDecisionCatalog(t, src, "concludes that the deportation of the complainant to Belarus would constitute a breach of article 3 of the Convention.")
	if _, errOut, err := runCLI(t, "index", "--catalog", catalog, "--data", data); err != nil {
		t.Fatalf("index: %v %s", err, errOut)
	}
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	const id = "cat-c-90-d-9001-2021"
	before := ts.caseOf(id)
	if before.Case.Outcome != "violation" || before.Case.Party != "LT" || before.Case.Complainant != "Marek Zielinski" {
		t.Fatalf("derived case: %+v", before.Case)
	}
	fields := map[string]string{
		"case.name": "Zielinski v. Lithuania (No. 2)", "case.complainant": "Marek A. Zielinski", "case.communication": "9001/2021 and 9002/2021",
		"case.party": "Lithuania", "case.adopted": "2022-05-13", "case.outcome": "no-violation", "case.destination": "BY, RU", "year": "2022",
	}
	if code, b := ts.upload("PUT", "/api/documents/"+id, tok, fields, "", nil); code != 200 {
		t.Fatalf("correct: %d %s", code, b)
	}
	check := func(when string) {
		t.Helper()
		c := ts.caseOf(id)
		if c.Case.Name != "Zielinski v. Lithuania (No. 2)" || c.Case.Complainant != "Marek A. Zielinski" ||
			c.Case.Communication != "9001/2021 and 9002/2021" || c.Case.Party != "LT" || c.Case.Adopted == nil ||
			*c.Case.Adopted != "2022-05-13" || c.Case.Outcome != "no-violation" || len(c.Case.Violations) != 0 ||
			!slices.Equal(c.Case.Destination, []string{"BY", "RU"}) || c.Year != 2022 {
			t.Errorf("%s: case %+v, year %d", when, c.Case, c.Year)
		}
		if n, docs := ts.hits("q=deportation&outcome=no-violation&year=2022"); n == 0 || docs[0] != id {
			t.Errorf("%s: the corrected outcome and year do not filter: %d %v", when, n, docs)
		}
		if n, _ := ts.hits("q=deportation&outcome=violation"); n != 0 {
			t.Errorf("%s: the derived outcome still filters: %d hits", when, n)
		}
		if n, docs := ts.hits("q=9002/2021"); n == 0 || docs[0] != id {
			t.Errorf("%s: the corrected communication does not open the decision: %d %v", when, n, docs)
		}
	}
	check("after the correction")
	for _, bad := range []map[string]string{{"case.outcome": "won"}, {"case.communication": "nine"},
		{"case.adopted": "13 May 2022"}, {"case.party": "FR, DE"}, {"case.violations": "article three"}} {
		if code, b := ts.upload("PUT", "/api/documents/"+id, tok, bad, "", nil); code != 400 {
			t.Errorf("%v: %d %s, want 400", bad, code, b)
		}
	}
	ts.close()

	// A re-import of a changed file, then a reindex, keep the corrections.
	writeDecisionCatalog(t, src, "concludes that the deportation of the complainant to Belarus would constitute a breach of articles 3 and 16 of the Convention.")
	if out, errOut, err := runCLI(t, "index", "--catalog", catalog, "--data", data); err != nil || !strings.Contains(out, "1 updated") {
		t.Fatalf("re-import: %q %q %v", out, errOut, err)
	}
	if _, errOut, err := runCLI(t, "reindex", "--data", data); err != nil {
		t.Fatalf("reindex: %v %s", err, errOut)
	}
	ts = startServer(t, data, 0, nil)
	check("after a re-import and a reindex")

	// Emptied fields fall back to what the text says.
	if code, b := ts.upload("PUT", "/api/documents/"+id, tok, map[string]string{"case.outcome": "", "case.name": "", "case.complainant": ""}, "", nil); code != 200 {
		t.Fatalf("clear: %d %s", code, b)
	}
	c := ts.caseOf(id)
	if c.Case.Outcome != "violation" || !slices.Equal(c.Case.Violations, []string{"CAT 16", "CAT 3"}) ||
		c.Case.Complainant != "Marek Zielinski" || c.Case.Name != "Zielinski v. Lithuania" || c.Case.Party != "LT" {
		t.Errorf("after clearing outcome, name and complainant: %+v", c.Case)
	}
	ts.close()
}
