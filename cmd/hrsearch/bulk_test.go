package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"
)

// TestBulkUploadEndToEnd: five files in one upload, one of them a PDF
// that is no PDF: four are added and searchable, the bad one is reported
// with its reason and nothing of it is stored.
func TestBulkUploadEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end; not in -short mode")
	}
	data, _ := newDataDir(t)
	tok := newToken(t, data, "alice")
	ts := startServer(t, data, 0, nil)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "article")
	mw.WriteField("language", "en")
	for i := range 5 {
		name, text := fmt.Sprintf("Bulk Note %d.txt", i), fmt.Sprintf("Bulk note %d\n\nThe grumblefit%d doctrine on returns.", i, i)
		if i == 3 {
			name, text = "broken.pdf", "%PDF-1.7\nthis is no PDF at all\n%%EOF"
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(text))
	}
	mw.Close()
	code, b, _ := ts.request("POST", "/api/documents/bulk", &body, "Authorization", "Bearer "+tok, "Content-Type", mw.FormDataContentType())
	var res struct {
		Added, Failed int
		Results       []struct {
			File, ID, Message string
			Status            int
		}
	}
	if err := json.Unmarshal(b, &res); err != nil || code != 200 {
		t.Fatalf("bulk: %d %s", code, b)
	}
	if res.Added != 4 || res.Failed != 1 || len(res.Results) != 5 || res.Results[3].Status != 422 || res.Results[3].File != "broken.pdf" || res.Results[3].Message == "" {
		t.Fatalf("bulk: %s", b)
	}
	t.Logf("the bad file: %+v", res.Results[3])
	if m := res.Results[3].Message; strings.Contains(m, "exit status") || !strings.Contains(m, "not a PDF") {
		t.Errorf("the bad file's reason is not in plain words: %q", m)
	}
	for i, r := range res.Results {
		if i == 3 {
			continue
		}
		if r.Status != 201 || r.ID != fmt.Sprintf("bulk-note-%d", i) {
			t.Errorf("file %d: %+v", i, r)
		}
		if n, docs := ts.hits(fmt.Sprintf("q=grumblefit%d", i)); n == 0 || docs[0] != r.ID {
			t.Errorf("%s not searchable: %d %v", r.ID, n, docs)
		}
	}
	if code, _, _ := ts.request("GET", "/api/documents/broken", nil); code != 404 {
		t.Errorf("the bad file was stored: %d", code)
	}
}
