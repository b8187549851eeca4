package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

// segmentingLibrary previews with the real segmentation: blocks separated
// by blank lines, unit headings ("Rule 1") as headings.
type segmentingLibrary struct{ *fakeLibrary }

func (l segmentingLibrary) Preview(_ context.Context, e corpus.Entry, up *Upload) (*corpus.Document, error) {
	var blocks []corpus.Block
	for _, b := range strings.Split(string(up.Raw), "\n\n") {
		_, heading := corpus.ParseUnitHeading(b)
		blocks = append(blocks, corpus.Block{Text: b, Heading: heading})
	}
	return &corpus.Document{Entry: e, Passages: corpus.Segment(&e, blocks)}, nil
}

// TestPreviewAgainWithAnotherKind: the preview says how the file was cut;
// the librarian changes the kind and previews the same file again without
// sending it again; the earlier preview is gone and the new one saves.
func TestPreviewAgainWithAnotherKind(t *testing.T) {
	lib := newFakeLibrary()
	h, _, _ := newLibrarianHandler(t, func(c *Config) { c.Library = segmentingLibrary{lib} })
	c := signIn(t, h, testToken)
	ck := []string{"Cookie", c.Name + "=" + c.Value}
	file := []byte("Standard rules for visits\n\nRule 1\n\nVisits are allowed every week.\n\nRule 2\n\nVisitors are searched with respect.")
	body, ct := multipartBody(t, [][2]string{{"id", "visits"}}, "visits.txt", file)
	rec := send(h, "POST", "/librarian/preview", body, append(ck, "Content-Type", ct)...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "block by block") || !strings.Contains(rec.Body.String(), "kind: none given") {
		t.Fatalf("first preview: %d, segmentation %q", rec.Code, regexpFind(t, rec.Body.String(), `id="segmentation">([^<]*)<`))
	}
	first := regexpFind(t, rec.Body.String(), `name="pending" value="([^"]+)"`)
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}
	rec = send(h, "POST", "/librarian/preview/again", strings.NewReader("pending="+first+"&kind=rules"), append(ck, form...)...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "at its unit headings (kind: rules): 2 rules") {
		t.Fatalf("preview again: %d, segmentation %q", rec.Code, regexpFind(t, rec.Body.String(), `id="segmentation">([^<]*)<`))
	}
	second := regexpFind(t, rec.Body.String(), `name="pending" value="([^"]+)"`)
	if rec := send(h, "POST", "/librarian/save", strings.NewReader("pending="+first), append(ck, form...)...); rec.Code != http.StatusGone {
		t.Errorf("the first preview still saves: %d", rec.Code)
	}
	if rec := send(h, "POST", "/librarian/preview/again", strings.NewReader("pending="+second+"&kind=nonsense"), append(ck, form...)...); rec.Code != http.StatusBadRequest {
		t.Errorf("unknown kind: %d", rec.Code)
	}
	if rec := send(h, "POST", "/librarian/save", strings.NewReader("pending="+second), append(ck, form...)...); rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", rec.Code)
	}
	if d := lib.docs["visits"]; d == nil || d.Effective.Kind != corpus.KindRules {
		t.Errorf("saved %+v, want kind rules", d)
	}

	// The API's dry run says it too.
	body, ct = multipartBody(t, [][2]string{{"id", "visits-2"}, {"kind", "rules"}}, "visits.txt", file)
	rec = send(h, "POST", "/api/documents?dry_run=true", body, "Content-Type", ct, "Authorization", "Bearer "+testToken)
	var got struct{ Segmentation string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != 200 || err != nil || !strings.Contains(got.Segmentation, "2 rules") {
		t.Errorf("dry run: %d %q %v", rec.Code, got.Segmentation, err)
	}
}
