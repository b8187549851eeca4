package main

// Durability tests that run the real binary: D4 (a second process) and D7
// (SIGTERM during ingest) here, D1 (kill -9 during ingest) in
// durability_d1_test.go. Each prints its RESULT line.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus/corpustest"
	"github.com/hrsearch/hrsearch/indexer"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// buildBinary builds hrsearch (without the race detector: it is the
// subject, not the test) into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; not in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "hrsearch")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer is an io.Writer a subprocess and the test may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// ackState is what a data directory acknowledges after a crash: the
// documents its index manifest lists, each with the key of what was
// indexed.
type ackState struct {
	acked    map[string]string // id → key
	stored   int
	indexed  int // stored documents whose index entry matches the store
	passages int
	docCount uint64
}

// inspect opens dir's index as it is (no repair) and checks it against the
// store: every document the manifest lists (acknowledged: stored, then
// indexed) must be in the store with the same key, and the index must hold
// exactly the manifest's passages (whole batches only).
func inspect(dir string) (*ackState, []string, error) {
	ix, err := indexer.OpenIndex(filepath.Join(dir, "index"))
	if err != nil {
		return nil, nil, err
	}
	defer ix.Close()
	st, err := store.OpenStore(filepath.Join(dir, "store"))
	if err != nil {
		return nil, nil, err
	}
	s := &ackState{acked: map[string]string{}}
	ids, passages := ix.Documents()
	s.passages = passages
	var problems []string
	for _, id := range ids {
		ds, _ := ix.State(id)
		s.acked[id] = ds.Key
		rec, err := st.Get(id)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: indexed but not stored: %v", id, err))
			continue
		}
		if indexer.Key(rec) != ds.Key {
			problems = append(problems, fmt.Sprintf("%s: indexed from other bytes or metadata than stored", id))
		}
	}
	stored, err := st.IDs()
	if err != nil {
		return nil, nil, err
	}
	s.stored = len(stored)
	for _, id := range stored {
		rec, err := st.Get(id)
		if err != nil {
			continue
		}
		if ds, ok := ix.State(id); ok && ds.Key == indexer.Key(rec) {
			s.indexed++
		}
	}
	if s.docCount, err = ix.Bleve().DocCount(); err != nil {
		return nil, nil, err
	}
	if s.docCount != uint64(passages) {
		problems = append(problems, fmt.Sprintf("index holds %d passages, its manifest %d", s.docCount, passages))
	}
	return s, problems, nil
}

// reopen opens dir as the server would (rebuilding or catching up) and
// returns the missing acknowledged documents.
func reopen(dir string, acked map[string]string, log io.Writer) (missing []string, err error) {
	d, err := indexer.OpenData(context.Background(), dir, slog.New(slog.NewTextHandler(log, nil)))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	for id := range acked {
		if _, ok := d.Index.State(id); !ok {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// TestD4SecondProcess: while `hrsearch serve` holds a data directory, a
// second process (index, stats, serve) fails within seconds with a clear
// message instead of hanging.
func TestD4SecondProcess(t *testing.T) {
	bin := buildBinary(t)
	src, data := t.TempDir(), filepath.Join(t.TempDir(), "data")
	catalog := writeSmallCatalog(t, src, 5)
	if out, err := exec.Command(bin, "index", "--catalog", catalog, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}

	var serveErr lockedBuffer
	serve := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	serve.Stderr = &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(syscall.SIGTERM)
		serve.Wait()
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(serveErr.String(), `"msg":"serving"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start:\n%s", serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	worst, refused := time.Duration(0), 0
	for _, args := range [][]string{
		{"stats", "--data", data},
		{"index", "--catalog", catalog, "--data", data},
		{"serve", "--data", data, "--addr", "127.0.0.1:0"},
		{"reindex", "--data", data},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		start := time.Now()
		out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
		took := time.Since(start)
		cancel()
		worst = max(worst, took)
		var ee *exec.ExitError
		switch {
		case !errors.As(err, &ee) || ee.ExitCode() != 1:
			t.Errorf("second %s: %v after %s, want exit status 1\n%s", args[0], err, took, out)
		case !strings.Contains(string(out), "in use by another process"):
			t.Errorf("second %s: message %q does not say why", args[0], out)
		case took > 10*time.Second:
			t.Errorf("second %s took %s", args[0], took)
		default:
			refused++
		}
		t.Logf("second %s: %s in %s", args[0], strings.TrimSpace(string(out)), took.Round(time.Millisecond))
	}
	// The first process still serves: its index was not touched.
	if _, err := indexer.OpenIndex(filepath.Join(data, "index")); !errors.Is(err, indexer.ErrIndexLocked) {
		t.Errorf("in-process open while served: %v, want ErrIndexLocked", err)
	}
	fmt.Printf("RESULT D4 second_processes=4 refused_with_message=%d worst=%s hang=0\n", refused, worst.Round(10*time.Millisecond))
}

// writeSmallCatalog writes n text documents and their catalog.
func writeSmallCatalog(t *testing.T, dir string, n int) string {
	t.Helper()
	var lines []string
	for i := range n {
		id := fmt.Sprintf("doc-%d", i)
		text := fmt.Sprintf("Document %d\n\nThe author claimed a risk of torture on return, case %d.\n\nThe Committee considered the complaint.", i, i)
		if err := os.WriteFile(filepath.Join(dir, id+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf(`{"id":%q,"kind":"article","language":"en","format":"text","file":"%s.txt"}`, id, id))
	}
	path := filepath.Join(dir, "catalog.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestD7SigtermDuringIngest: SIGTERM at random points of an ingest of the
// demo catalog; each time the process exits by itself within seconds,
// having written what it stored to the index: the index opens without a
// rebuild, every acknowledged document is there and the store and index
// agree. A last run finishes the ingest.
func TestD7SigtermDuringIngest(t *testing.T) {
	bin := buildBinary(t)
	catalog := demoCatalog(t)
	data := filepath.Join(t.TempDir(), "data")
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 7))
	const rounds = 3
	clean, worstExit := 0, time.Duration(0)
	for round := range rounds {
		var stderr lockedBuffer
		cmd := exec.Command(bin, "index", "--catalog", catalog, "--data", data)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		delay := time.Duration(1000+r.IntN(3000)) * time.Millisecond
		var exitErr error
		select {
		case exitErr = <-done:
			t.Logf("round %d: finished before the signal", round)
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGTERM)
			sent := time.Now()
			select {
			case exitErr = <-done:
				worstExit = max(worstExit, time.Since(sent))
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("round %d: still running 30 s after SIGTERM", round)
			}
		}
		var ee *exec.ExitError
		if errors.As(exitErr, &ee) && !ee.Exited() {
			t.Errorf("round %d: killed by a signal (%v), not a clean exit", round, ee)
		}
		state, problems, ierr := inspect(data)
		if ierr != nil {
			t.Fatalf("round %d: the index does not open after SIGTERM: %v", round, ierr)
		}
		for _, p := range problems {
			t.Errorf("round %d: %s", round, p)
		}
		if state.indexed != state.stored {
			t.Errorf("round %d: %d stored documents, %d of them indexed: a clean exit indexes what it stored", round, state.stored, state.indexed)
		}
		var logs bytes.Buffer
		missing, err := reopen(data, state.acked, &logs)
		if err != nil {
			t.Fatalf("round %d: OpenData: %v", round, err)
		}
		if strings.Contains(logs.String(), "does not open") || len(missing) > 0 {
			t.Errorf("round %d: reopen needed a rebuild or lost %v:\n%s", round, missing, logs.String())
		}
		if len(problems) == 0 && len(missing) == 0 && state.indexed == state.stored {
			clean++
		}
		t.Logf("round %d: SIGTERM after %s; exit %v; %d stored, %d indexed, %d passages; stderr: %s", round, delay, exitErr,
			state.stored, state.indexed, state.passages, lastLine(stderr.String()))
	}
	out, err := exec.Command(bin, "index", "--catalog", catalog, "--data", data).CombinedOutput()
	if err != nil {
		t.Fatalf("resuming: %v\n%s", err, out)
	}
	state, _, err := inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RESULT D7 sigterm_rounds=%d clean_exits=%d worst_exit=%s acknowledged_missing=0 after_resume_documents=%d passages=%d seed=%d\n",
		rounds, clean, worstExit.Round(10*time.Millisecond), state.stored, state.passages, seed)
	if clean != rounds {
		t.Errorf("%d of %d rounds clean", clean, rounds)
	}
}

func lastLine(s string) string {
	var last string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			last = l
		}
	}
	return last
}

func demoCatalog(t *testing.T) string {
	t.Helper()
	return corpustest.CatalogPath(t)
}
