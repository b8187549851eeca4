package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed py/xapian_engine.py
var xapianScript []byte

// writeXapianScript puts the Python peer in the work directory and returns
// its path.
func writeXapianScript(work string) string {
	p := filepath.Join(work, "xapian_engine.py")
	os.WriteFile(p, xapianScript, 0o755)
	return p
}

// xapianProc is one Python process answering queries over a pipe.
type xapianProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// xapianEngine keeps one process per client: the Python binding holds the
// GIL, so concurrency is processes, as a Xapian deployment would have it.
type xapianEngine struct {
	pool chan *xapianProc
	all  []*xapianProc
}

func openXapian(script, dir string, procs int) (*xapianEngine, error) {
	e := &xapianEngine{pool: make(chan *xapianProc, procs)}
	for range procs {
		cmd := exec.Command("/usr/bin/python3", script, "serve", dir)
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		p := &xapianProc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
		e.all = append(e.all, p)
		e.pool <- p
	}
	return e, nil
}

func (e *xapianEngine) Name() string { return eXapian }

func (e *xapianEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	p := <-e.pool
	defer func() { e.pool <- p }()
	req := map[string]any{"op": q.Op, "words": q.Words, "kind": q.Kind, "instrument": q.Instrument,
		"facets": q.Facets, "highlight": q.Highlight, "offset": q.from(), "size": q.size()}
	b, _ := json.Marshal(req)
	if _, err := p.in.Write(append(b, '\n')); err != nil {
		return 0, err
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return 0, fmt.Errorf("xapian: %w", err)
	}
	var r struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return 0, err
	}
	return r.Total, nil
}

func (e *xapianEngine) Close() error {
	for _, p := range e.all {
		p.in.Close()
		p.cmd.Wait()
	}
	return nil
}

func xapianVersion() string {
	out, err := exec.Command("/usr/bin/python3", "-c", "import xapian; print(xapian.version_string())").Output()
	if err != nil {
		return "not installed"
	}
	return strings.TrimSpace(string(out)) + " (python3-xapian)"
}
