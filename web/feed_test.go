package web

import (
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer"
)

// TestFeedNewestOfMany: the feed lists the documents that entered the
// library last among all that match, however many match: a document that
// entered last with one weak match comes first, above more than a
// thousand older documents that match more often and better.
func TestFeedNewestOfMany(t *testing.T) {
	l := newRealLibrary(t)
	const older = 1100
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var updates []indexer.Update
	for i := range older {
		e := corpus.Entry{ID: fmt.Sprintf("fixture-old-%04d", i), Kind: "report", Title: fmt.Sprintf("Old fixture %d", i), Language: "en"}
		d := &corpus.Document{Entry: e, Entered: at.Add(time.Duration(i) * time.Minute)}
		for j := range 3 {
			unit := fmt.Sprintf("para-%d", j+1)
			d.Passages = append(d.Passages, corpus.Passage{ID: e.ID + "#" + unit, Document: e.ID, Unit: unit, Order: j, Language: "en",
				Text: "Fixture: the polygraph, the polygraph and the polygraph again."})
		}
		updates = append(updates, indexer.Update{Doc: d, Key: "old" + e.ID})
		l.mu.Lock()
		l.docs[e.ID] = &DocInfo{Entry: e, FetchedAt: d.Entered}
		l.mu.Unlock()
	}
	if err := l.ix.Apply(updates); err != nil {
		t.Fatal(err)
	}
	// Entered last: one long passage that names the word once.
	l.add(t, corpus.Entry{ID: "fixture-newest", Kind: "report", Title: "The newest fixture", Language: "en"}, 1,
		"polygraph, among many other words that dilute its weight in this passage of a fixture written for the feed test,", at.Add(24*365*time.Hour))
	h := l.handler(t, nil)
	rec := do(h, "GET", "/feed.atom?q=polygraph")
	var feed atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); rec.Code != 200 || err != nil {
		t.Fatalf("%d %v", rec.Code, err)
	}
	if len(feed.Entries) != feedEntries {
		t.Fatalf("%d entries, want %d", len(feed.Entries), feedEntries)
	}
	if feed.Entries[0].Title != "The newest fixture" {
		t.Errorf("first entry %q, want the document entered last", feed.Entries[0].Title)
	}
	// Then the older ones, newest first.
	for i, e := range feed.Entries[1:] {
		if want := fmt.Sprintf("Old fixture %d", older-1-i); e.Title != want {
			t.Fatalf("entry %d: %q, want %q", i+1, e.Title, want)
		}
	}
}
