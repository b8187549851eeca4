//go:build !race

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/indexer/indexertest"
)

// TestD1KillDuringIngest: kill -9 at 20 random points (0.5–6 s in) of
// `hrsearch index` on the demo catalog, resuming on the same data
// directory (and starting afresh whenever a run finished before its kill).
// After every kill the index opens as it is (20/20), holds only whole
// batches, and no acknowledged document — one its manifest lists, hence
// stored first — is missing from the store or, after OpenData, from the
// index. A last run resumes to the end and must count what a clean ingest
// counts.
//
// It takes about two minutes: run it alone with
// go test -run TestD1KillDuringIngest ./cmd/hrsearch/. It is skipped with
// -short and under the race detector (it runs plain binaries anyway).
func TestD1KillDuringIngest(t *testing.T) {
	bin := buildBinary(t)
	catalog := demoCatalog(t)
	data := filepath.Join(t.TempDir(), "data")
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 1))
	start := time.Now()

	const kills = 20
	var (
		killed, rounds, completed       int
		rawOpen, reopened, ackedMissing int
		problemsSeen                    int
		ackedTotal                      int
	)
	for killed < kills && rounds < 3*kills {
		rounds++
		cmd := exec.Command(bin, "index", "--catalog", catalog, "--data", data)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		delay := time.Duration(500+r.IntN(5500)) * time.Millisecond
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("round %d: index failed: %v\n%s", rounds, err, out.String())
			}
			completed++
			// Finished before the kill: start afresh so that the kills
			// keep landing in the middle of an ingest.
			if err := os.RemoveAll(data); err != nil {
				t.Fatal(err)
			}
			continue
		case <-time.After(delay):
			cmd.Process.Kill() // SIGKILL
			<-done
			killed++
		}

		state, problems, err := inspect(data)
		if err != nil {
			t.Errorf("kill %d (after %s): the index does not open as it is: %v", killed, delay, err)
		} else {
			rawOpen++
			ackedTotal += len(state.acked)
			problemsSeen += len(problems)
			for _, p := range problems {
				t.Errorf("kill %d: %s", killed, p)
			}
		}
		var acked map[string]string
		if state != nil {
			acked = state.acked
		}
		var logs bytes.Buffer
		missing, err := reopen(data, acked, &logs)
		if err != nil {
			t.Errorf("kill %d: OpenData: %v\n%s", killed, err, logs.String())
			continue
		}
		reopened++
		ackedMissing += len(missing)
		if len(missing) > 0 {
			t.Errorf("kill %d: acknowledged documents missing: %v", killed, missing)
		}
		if state != nil {
			t.Logf("kill %d after %s: %d acknowledged, %d stored, %d passages", killed, delay, len(state.acked), state.stored, state.passages)
		}
	}
	if killed < kills {
		t.Fatalf("only %d kills landed in %d rounds", killed, rounds)
	}

	// Resume to the end, and compare with a clean ingest.
	if out, err := exec.Command(bin, "index", "--catalog", catalog, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("resuming: %v\n%s", err, out)
	}
	got := statsOf(t, bin, data)
	want := statsOf(t, bin, indexertest.DemoData(t))
	fmt.Printf("RESULT D1 kills=%d reopen=%d/%d raw_open=%d/%d acknowledged_checked=%d acknowledged_missing=%d partial_batches=%d runs_completed_before_kill=%d resumed_documents=%d/%d passages=%d/%d seed=%d elapsed=%s\n",
		killed, reopened, killed, rawOpen, killed, ackedTotal, ackedMissing, problemsSeen, completed,
		got.Documents, want.Documents, got.Passages, want.Passages, seed, time.Since(start).Round(time.Second))
	if got != want {
		t.Errorf("after resuming: %+v, a clean ingest: %+v", got, want)
	}
}

type stats struct {
	Documents, Passages, StoredDocs int
	IndexedDocs                     uint64 `json:"index_doc_count"`
}

func statsOf(t *testing.T, bin, data string) stats {
	t.Helper()
	out, err := exec.Command(bin, "stats", "--json", "--data", data).Output()
	if err != nil {
		t.Fatalf("stats %s: %v", data, err)
	}
	var st struct {
		Documents   int    `json:"documents"`
		Passages    int    `json:"passages"`
		StoredDocs  int    `json:"stored_documents"`
		IndexedDocs uint64 `json:"index_doc_count"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &st); err != nil {
		t.Fatalf("stats: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return stats{st.Documents, st.Passages, st.StoredDocs, st.IndexedDocs}
}
