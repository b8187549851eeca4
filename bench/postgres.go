package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/hrsearch/hrsearch/indexer"
)

// PostgreSQL full-text search: a throw-away cluster (initdb in the work
// directory, a unix socket only, no TCP), one table with a stored tsvector
// (heading weighted A, title C, text D; the 'english' configuration:
// Snowball stemmer and stop words), a GIN index, ts_rank, and GIN indexes on
// the facet arrays.

type pgCluster struct {
	dir, sock string
}

func (p *pgCluster) dsn() string {
	return fmt.Sprintf("host=%s user=bench dbname=postgres sslmode=disable", p.sock)
}

func pgBin(name string) string {
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(m) == 0 {
		return name
	}
	return m[len(m)-1]
}

// asPostgres runs a command as the postgres user (the server refuses root).
func asPostgres(args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
	}
	return exec.Command(args[0], args[1:]...)
}

func startPostgres(dir string) (*pgCluster, error) {
	p := &pgCluster{dir: filepath.Join(dir, "data"), sock: filepath.Join(dir, "sock")}
	if _, err := os.Stat(filepath.Join(p.dir, "postmaster.pid")); err == nil {
		asPostgres(pgBin("pg_ctl"), "-D", p.dir, "-m", "immediate", "stop").Run()
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(p.sock, 0o755); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "-R", "postgres:postgres", dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("chown: %v: %s", err, out)
		}
	}
	if out, err := asPostgres(pgBin("initdb"), "-D", p.dir, "-U", "bench", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := "-c listen_addresses='' -k " + p.sock + " -c shared_buffers=1GB -c max_wal_size=8GB -c maintenance_work_mem=1GB -c work_mem=64MB -c jit=off"
	if out, err := asPostgres(pgBin("pg_ctl"), "-D", p.dir, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return p, nil
}

func (p *pgCluster) stop() {
	asPostgres(pgBin("pg_ctl"), "-D", p.dir, "-m", "fast", "stop").Run()
}

// clusterCPU sums the CPU seconds of the postmaster and its children.
func clusterCPU(dataDir string) float64 {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pm, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	total := procCPU(pm)
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(st)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			f := strings.Fields(s[i+2:])
			if len(f) > 1 && f[1] == strconv.Itoa(pm) {
				total += procCPU(pid)
			}
		}
	}
	return total
}

const pgSchema = `
DROP TABLE IF EXISTS passage;
CREATE TABLE passage(
  rid serial PRIMARY KEY, pid text NOT NULL, doc text, ord int, kind text, lang text, year text,
  title text, heading text, body text, instrument text[], article text[], state text[],
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(heading, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(title, '')), 'C') ||
    to_tsvector('english', body)) STORED);
`

const pgIndexes = `
CREATE INDEX passage_tsv ON passage USING gin(tsv);
CREATE UNIQUE INDEX passage_pid ON passage(pid);
CREATE INDEX passage_kind ON passage(kind);
CREATE INDEX passage_instrument ON passage USING gin(instrument);
CREATE INDEX passage_article ON passage USING gin(article);
CREATE INDEX passage_state ON passage USING gin(state);
`

func pgCopy(ctx context.Context, db *sql.DB, rows []row) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	st, err := tx.Prepare(pq.CopyIn("passage", "pid", "doc", "ord", "kind", "lang", "year", "title", "heading", "body", "instrument", "article", "state"))
	if err != nil {
		tx.Rollback()
		return err
	}
	nz := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, r := range rows {
		if _, err := st.Exec(r.ID, r.Doc, r.Order, nz(r.Kind), nz(r.Lang), nz(r.Year), nz(r.Title), nz(r.Heading), r.Text,
			pq.Array(nonEmpty(r.Instrument)), pq.Array(nonEmpty(r.Article)), pq.Array(nonEmpty(r.State))); err != nil {
			tx.Rollback()
			return err
		}
	}
	if _, err := st.Exec(); err != nil {
		tx.Rollback()
		return err
	}
	st.Close()
	return tx.Commit()
}

func nonEmpty(vs []string) []string {
	out := []string{}
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// childPostgres loads a dump with COPY in transactions of
// indexer.BatchPassages rows (hrsearch's batch), then
// builds the indexes (PostgreSQL's own advice for bulk loads).
func childPostgres(dump, dsn, dataDir string) (*ingestResult, error) {
	ctx := context.Background()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(pgSchema); err != nil {
		return nil, err
	}
	var backend int
	db.QueryRow(`SELECT pg_backend_pid()`).Scan(&backend)
	cpu0 := clusterCPU(dataDir)
	start := time.Now()
	r := &ingestResult{}
	var batch []row
	err = streamDocs(dump, func(d *docRecord) error {
		r.Docs++
		batch = append(batch, rowsOf(d)...)
		if len(batch) >= indexer.BatchPassages {
			r.Passages += len(batch)
			err := pgCopy(ctx, db, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Passages += len(batch)
	if err := pgCopy(ctx, db, batch); err != nil {
		return nil, err
	}
	if _, err := db.Exec(pgIndexes); err != nil {
		return nil, err
	}
	if _, err := db.Exec(`VACUUM ANALYZE passage`); err != nil {
		return nil, err
	}
	if _, err := db.Exec(`CHECKPOINT`); err != nil {
		return nil, err
	}
	r.Seconds = time.Since(start).Seconds()
	r.ServerCPU = clusterCPU(dataDir) - cpu0
	r.ServerRSS = procStatus(backend, "VmHWM")
	var total, tsvIdx int64
	db.QueryRow(`SELECT pg_total_relation_size('passage'), pg_relation_size('passage_tsv')`).Scan(&total, &tsvIdx)
	r.IndexBytes = total
	r.Note = fmt.Sprintf("table+TOAST+indexes; GIN on tsvector %.0f MB; server CPU %.1f s, backend peak RSS %.0f MB (shared buffers included)",
		float64(tsvIdx)/1e6, r.ServerCPU, float64(r.ServerRSS)/1e6)
	return r, nil
}

type pgEngine struct{ db *sql.DB }

func openPGEngine(dsn string, conns int) (*pgEngine, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns + 1)
	db.SetMaxIdleConns(conns + 1)
	return &pgEngine{db: db}, db.Ping()
}

func (e *pgEngine) Name() string { return ePG }
func (e *pgEngine) Close() error { return e.db.Close() }

// pgTSQuery is q's tsquery expression on $1 and its argument.
func pgTSQuery(q benchQuery) (string, string) {
	text := strings.Join(q.Words, " ")
	switch q.Op {
	case opPhrase:
		return "phraseto_tsquery('english', $1)", text
	case opOr:
		return "websearch_to_tsquery('english', $1)", strings.Join(q.Words, " or ")
	case opPrefix:
		return "to_tsquery('english', $1)", q.Words[0] + ":*"
	}
	return "plainto_tsquery('english', $1)", text
}

func (e *pgEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	tsq, arg := pgTSQuery(q)
	filter := ""
	args := []any{arg}
	if q.Kind != "" {
		args = append(args, q.Kind)
		filter += fmt.Sprintf(" AND p.kind = $%d", len(args))
	}
	if q.Instrument != "" {
		args = append(args, pq.Array([]string{q.Instrument}))
		filter += fmt.Sprintf(" AND p.instrument @> $%d", len(args))
	}
	head := "WITH q AS (SELECT " + tsq + " AS q)"
	rows, err := e.db.QueryContext(ctx, head+`
SELECT p.pid, ts_rank(p.tsv, q.q) AS score, count(*) OVER () AS total FROM passage p, q
WHERE p.tsv @@ q.q`+filter+fmt.Sprintf(` ORDER BY score DESC, p.pid LIMIT %d OFFSET %d`, q.size(), q.from()), args...)
	if err != nil {
		return 0, err
	}
	total := 0
	var pids []string
	for rows.Next() {
		var pid string
		var score float64
		if err := rows.Scan(&pid, &score, &total); err != nil {
			rows.Close()
			return 0, err
		}
		pids = append(pids, pid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(pids) == 0 && q.from() > 0 {
		// Past the last hit: the count alone.
		if err := e.db.QueryRowContext(ctx, head+` SELECT count(*) FROM passage p, q WHERE p.tsv @@ q.q`+filter, args...).Scan(&total); err != nil {
			return 0, err
		}
	}
	if len(q.Facets) > 0 {
		var parts []string
		for _, f := range q.Facets {
			if f == "year" || f == "kind" || f == "language" {
				col := map[string]string{"year": "year", "kind": "kind", "language": "lang"}[f]
				parts = append(parts, fmt.Sprintf(`(SELECT '%s', %s, count(*) FROM m WHERE %s IS NOT NULL GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 10)`, f, col, col))
			} else {
				parts = append(parts, fmt.Sprintf(`(SELECT '%s', v, count(*) FROM m, unnest(m.%s) v GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 10)`, f, f))
			}
		}
		frows, err := e.db.QueryContext(ctx, head+`, m AS MATERIALIZED (SELECT p.instrument, p.article, p.state, p.year, p.kind, p.lang FROM passage p, q WHERE p.tsv @@ q.q`+filter+`)
`+strings.Join(parts, "\nUNION ALL\n"), args...)
		if err != nil {
			return 0, err
		}
		for frows.Next() {
			var f, v string
			var n int
			if err := frows.Scan(&f, &v, &n); err != nil {
				frows.Close()
				return 0, err
			}
		}
		frows.Close()
		if err := frows.Err(); err != nil {
			return 0, err
		}
	}
	if q.Highlight && len(pids) > 0 {
		hrows, err := e.db.QueryContext(ctx, head+`
SELECT p.pid, ts_headline('english', p.body, q.q, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=30, MinWords=10')
FROM passage p, q WHERE p.pid = ANY($2)`, arg, pq.Array(pids))
		if err != nil {
			return 0, err
		}
		for hrows.Next() {
			var pid, h string
			if err := hrows.Scan(&pid, &h); err != nil {
				hrows.Close()
				return 0, err
			}
		}
		hrows.Close()
		if err := hrows.Err(); err != nil {
			return 0, err
		}
	}
	return total, nil
}

func (e *pgEngine) write(ctx context.Context, docs []*docRecord, batch int) (int, error) {
	n := 0
	for i := 0; ctx.Err() == nil && i < len(docs); {
		var rows []row
		for len(rows) < batch && i < len(docs) {
			rows = append(rows, rowsOf(docs[i])...)
			i++
		}
		if err := pgCopy(ctx, e.db, rows); err != nil {
			if ctx.Err() != nil {
				return n, nil
			}
			return n, err
		}
		n++
	}
	return n, nil
}

func pgVersion() string {
	out, err := exec.Command(pgBin("postgres"), "--version").Output()
	if err != nil {
		return "not found"
	}
	return strings.TrimSpace(string(out))
}
