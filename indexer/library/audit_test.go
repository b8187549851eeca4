package library

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestAuditLogAppendAndPage(t *testing.T) {
	dir := t.TempDir()
	a, err := OpenAuditLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		ev := AuditEvent{Time: time.Unix(int64(i), 0).UTC(), Who: "alice", Action: ActionAdd, ID: fmt.Sprintf("d%d", i),
			After: &AuditState{Entry: corpus.Entry{ID: fmt.Sprintf("d%d", i), States: []string{"SV"}}}}
		if err := a.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	evs, more, err := a.Events(0, 3)
	if err != nil || !more || len(evs) != 3 || evs[0].ID != "d4" || evs[2].ID != "d2" {
		t.Fatalf("page 1 = %+v more=%v err=%v", evs, more, err)
	}
	evs, more, err = a.Events(3, 3)
	if err != nil || more || len(evs) != 2 || evs[0].ID != "d1" || evs[1].ID != "d0" {
		t.Fatalf("page 2 = %+v more=%v err=%v", evs, more, err)
	}
	if evs[0].After.Entry.States[0] != "SV" {
		t.Errorf("states lost: %+v", evs[0].After)
	}
	a.Close()
	fi, _ := os.Stat(filepath.Join(dir, AuditFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v", fi.Mode().Perm())
	}
}

// A crash in the middle of a line leaves a torn last line: it is skipped
// and the next event starts a line of its own.
func TestAuditLogTornLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, AuditFile)
	if err := os.WriteFile(path, []byte(`{"time":"2026-01-01T00:00:00Z","who":"a","action":"add","id":"x"}`+"\n"+`{"time":"2026-01-01T00:00:01Z","who":"a","act`), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAuditLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Append(AuditEvent{Who: "b", Action: ActionDelete, ID: "y"}); err != nil {
		t.Fatal(err)
	}
	evs, _, err := a.Events(0, 10)
	if err != nil || len(evs) != 2 || evs[0].ID != "y" || evs[1].ID != "x" {
		t.Errorf("events = %+v, %v", evs, err)
	}
}
