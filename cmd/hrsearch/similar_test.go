package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestSearchFoldsNearDuplicates: the seed text and its reworded copy both
// match a search; with similar=collapse they are one result listing the
// other as a similar version with its similarity (passages and documents
// alike), an unrelated match stays apart, and the search page offers the
// fold and shows "1 similar version".
func TestSearchFoldsNearDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)
	fields := func(id string) map[string]string {
		return map[string]string{"id": id, "kind": "article", "language": "en"}
	}
	other := "A note on interpreters\n\nCourts in three regions now pay an interpreter from the first interview onwards, a practice the ministry wants to extend to every asylum office by next spring."
	for _, d := range []struct{ id, text string }{{"hearing", dupOriginal}, {"hearing-reworded", dupReworded}, {"interpreters", other}} {
		if code, b := ts.upload("POST", "/api/documents", tok, fields(d.id), d.id+".txt", []byte(d.text)); code != 201 {
			t.Fatalf("add %s: %d %s", d.id, code, b)
		}
	}
	type hit struct {
		ID, Document string
		Similar      []struct {
			Document   string
			Similarity float64
		}
	}
	search := func(q string) (hits []hit, folded int) {
		t.Helper()
		code, b, _ := ts.request("GET", "/api/search?"+q, nil)
		var res struct {
			Hits   []hit
			Folded int
		}
		if err := json.Unmarshal(b, &res); err != nil || code != 200 {
			t.Fatalf("search %s: %d %s", q, code, b)
		}
		return res.Hits, res.Folded
	}
	docsOf := func(hits []hit) map[string]bool {
		m := map[string]bool{}
		for _, h := range hits {
			m[h.Document] = true
		}
		return m
	}
	plain, folded := search("q=interpreter")
	if d := docsOf(plain); !d["hearing"] || !d["hearing-reworded"] || !d["interpreters"] || folded != 0 {
		t.Fatalf("unfolded search: %+v (folded %d), want all three documents", plain, folded)
	}
	hits, folded := search("q=interpreter&similar=collapse")
	d := docsOf(hits)
	if !d["interpreters"] || d["hearing"] == d["hearing-reworded"] || folded != len(plain)-len(hits) || folded == 0 {
		t.Fatalf("folded search: %+v (folded %d), want one of the two hearings and the unrelated note", hits, folded)
	}
	for _, h := range hits {
		want := map[string]string{"hearing": "hearing-reworded", "hearing-reworded": "hearing"}[h.Document]
		if want == "" {
			if len(h.Similar) != 0 {
				t.Errorf("%s has similar versions %+v", h.ID, h.Similar)
			}
			continue
		}
		if len(h.Similar) == 0 && d[h.Document] {
			continue // a later passage of the kept document
		}
		if h.Similar[0].Document != want || h.Similar[0].Similarity < 0.3 || h.Similar[0].Similarity >= 1 {
			t.Errorf("%s: similar %+v, want %s with a similarity in [0.3, 1)", h.ID, h.Similar, want)
		}
	}

	code, b, _ := ts.request("GET", "/api/search?q=interpreter&collapse=document&similar=collapse", nil)
	var byDoc struct {
		Documents []struct {
			ID      string
			Similar []struct{ Document string }
		}
		Folded int
	}
	if err := json.Unmarshal(b, &byDoc); err != nil || code != 200 || len(byDoc.Documents) != 2 || byDoc.Folded != 1 {
		t.Errorf("collapse=document&similar=collapse: %d %s", code, b)
	}
	// Two decisions discontinuing two cases read alike, but each bears its
	// own symbol: two documents, never folded.
	for i, sym := range []string{"CAT/C/99/D/101/2020", "CAT/C/99/D/102/2020"} {
		text := fmt.Sprintf("Decision on communication %d\n\nThe complainant informed the secretariat that he no longer wished to pursue the complaint and asked the Committee to close it. The State party did not object. The Committee therefore decided to discontinue the consideration of the communication and to record the zorbulent request in its annual report to the General Assembly.", 101+i)
		f := map[string]string{"id": fmt.Sprintf("decision-%d", i), "kind": "decision", "language": "en", "symbol": sym}
		if code, b := ts.upload("POST", "/api/documents?allow_duplicate=1", tok, f, "d.txt", []byte(text)); code != 201 || !strings.Contains(string(b), `"near_duplicates"`) && i == 1 {
			t.Fatalf("add decision %d: %d %s (the second is to be flagged as a near-duplicate of the first)", i, code, b)
		}
	}
	if hits, folded := search("q=zorbulent&similar=collapse"); folded != 0 || len(docsOf(hits)) != 2 {
		t.Errorf("two decisions with their own symbols were folded: %+v (folded %d)", hits, folded)
	}

	if code, b, _ := ts.request("GET", "/api/search?q=interpreter&similar=yes", nil); code != 400 || !strings.Contains(string(b), "similar") {
		t.Errorf("similar=yes: %d %s, want a 400 naming it", code, b)
	}

	_, page, _ := ts.request("GET", "/search?q=interpreter", nil)
	if !strings.Contains(string(page), `id="fold-similar"`) || !strings.Contains(string(page), "similar=collapse") {
		t.Error("the search page does not offer to fold the near-duplicate")
	}
	_, page, _ = ts.request("GET", "/search?q=interpreter&similar=collapse", nil)
	if !strings.Contains(string(page), "1 similar version") || !strings.Contains(string(page), `id="unfold-similar"`) ||
		!strings.Contains(string(page), `name="similar" value="collapse"`) {
		t.Error("the folded search page does not show \"1 similar version\", the way back, or keep the fold in its form")
	}
}
