package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/hrsearch/hrsearch/indexer"
)

// SQLite FTS5 (pure Go, modernc.org/sqlite). Passages in a plain table,
// multi-valued facets in a (field, value, rid) table, text in an FTS5
// table with the Porter stemmer and diacritics folded. Every query matches
// FTS5 first in a MATERIALIZED CTE and joins metadata to that (a plain join
// lets the planner scan metadata first: FACTS.md's ten-minute trap).

const sqliteSchema = `
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE passage(rid INTEGER PRIMARY KEY, pid TEXT NOT NULL UNIQUE, doc TEXT, ord INTEGER, kind TEXT, lang TEXT, year TEXT);
CREATE TABLE facet(field TEXT NOT NULL, value TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY(field, value, rid)) WITHOUT ROWID;
CREATE INDEX facet_rid ON facet(rid, field, value);
CREATE INDEX passage_kind ON passage(kind);
CREATE VIRTUAL TABLE fts USING fts5(text, heading, title, tokenize='porter unicode61 remove_diacritics 2');
`

func openSQLite(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, err
	}
	return db, nil
}

type sqliteWriter struct {
	tx               *sql.Tx
	insP, insF, insT *sql.Stmt
}

func (w *sqliteWriter) begin(db *sql.DB) error {
	var err error
	if w.tx, err = db.Begin(); err != nil {
		return err
	}
	if w.insP, err = w.tx.Prepare(`INSERT INTO passage(pid, doc, ord, kind, lang, year) VALUES(?,?,?,?,?,?)`); err != nil {
		return err
	}
	if w.insF, err = w.tx.Prepare(`INSERT OR IGNORE INTO facet(field, value, rid) VALUES(?,?,?)`); err != nil {
		return err
	}
	w.insT, err = w.tx.Prepare(`INSERT INTO fts(rowid, text, heading, title) VALUES(?,?,?,?)`)
	return err
}

func (w *sqliteWriter) add(r *row) error {
	res, err := w.insP.Exec(r.ID, r.Doc, r.Order, r.Kind, r.Lang, r.Year)
	if err != nil {
		return err
	}
	rid, _ := res.LastInsertId()
	if _, err := w.insT.Exec(rid, r.Text, r.Heading, r.Title); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		vs   []string
	}{{"instrument", r.Instrument}, {"article", r.Article}, {"state", r.State},
		{"kind", []string{r.Kind}}, {"language", []string{r.Lang}}, {"year", []string{r.Year}}} {
		for _, v := range f.vs {
			if v == "" {
				continue
			}
			if _, err := w.insF.Exec(f.name, v, rid); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *sqliteWriter) commit() error { return w.tx.Commit() }

// childSQLite loads a dump into a new database, committing every
// indexer.BatchPassages passages (the batch size of hrsearch's ingest).
func childSQLite(dump, path string) (*ingestResult, error) {
	start := time.Now()
	os.Remove(path)
	db, err := openSQLite(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(sqliteSchema); err != nil {
		return nil, err
	}
	r := &ingestResult{}
	w := &sqliteWriter{}
	if err := w.begin(db); err != nil {
		return nil, err
	}
	n := 0
	err = streamDocs(dump, func(d *docRecord) error {
		r.Docs++
		for _, rw := range rowsOf(d) {
			if err := w.add(&rw); err != nil {
				return err
			}
			r.Passages++
			n++
		}
		if n >= indexer.BatchPassages {
			n = 0
			if err := w.commit(); err != nil {
				return err
			}
			return w.begin(db)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	// A fresh FTS5 index is many b-tree segments; 'optimize' merges them,
	// as one does after a bulk load.
	if _, err := db.Exec(`INSERT INTO fts(fts) VALUES('optimize')`); err != nil {
		return nil, err
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, err
	}
	r.Seconds = time.Since(start).Seconds()
	fi, err := os.Stat(path)
	if err == nil {
		r.IndexBytes = fi.Size()
	}
	var ftsPages int64
	db.QueryRow(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'`).Scan(&ftsPages)
	r.Note = fmt.Sprintf("FTS5 tables %.0f MB of %.0f MB (rest: metadata and facet tables)", float64(ftsPages)/1e6, float64(r.IndexBytes)/1e6)
	return r, nil
}

type sqliteEngine struct {
	db *sql.DB
}

func openSQLiteEngine(path string, conns int) (*sqliteEngine, error) {
	db, err := openSQLite(path)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns + 1)
	db.SetMaxIdleConns(conns + 1)
	return &sqliteEngine{db: db}, nil
}

func (e *sqliteEngine) Name() string { return "SQLite FTS5" }
func (e *sqliteEngine) Close() error { return e.db.Close() }

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ftsMatch writes q in FTS5's query syntax.
func ftsMatch(q benchQuery) string {
	var parts []string
	for _, w := range q.Words {
		parts = append(parts, ftsQuote(w))
	}
	switch q.Op {
	case opPhrase:
		return ftsQuote(strings.Join(q.Words, " "))
	case opOr:
		return strings.Join(parts, " OR ")
	case opPrefix:
		return ftsQuote(q.Words[0]) + "*"
	}
	return strings.Join(parts, " AND ")
}

func (e *sqliteEngine) Query(ctx context.Context, q benchQuery) (int, error) {
	match := ftsMatch(q)
	// m: the FTS5 matches with their BM25 (lower is better), computed once;
	// f: those that pass the metadata filters.
	filter := "1"
	args := []any{match}
	if q.Kind != "" {
		filter = "p.kind = ?"
		args = append(args, q.Kind)
	}
	if q.Instrument != "" {
		filter += " AND EXISTS (SELECT 1 FROM facet x WHERE x.rid = p.rid AND x.field = 'instrument' AND x.value = ?)"
		args = append(args, q.Instrument)
	}
	cte := `WITH m AS MATERIALIZED (SELECT rowid AS rid, bm25(fts, 1.0, 1.5, 0.3) AS score FROM fts WHERE fts MATCH ?),
f AS MATERIALIZED (SELECT m.rid, m.score, p.pid FROM m JOIN passage p ON p.rid = m.rid WHERE ` + filter + `)`
	rows, err := e.db.QueryContext(ctx, cte+`
SELECT (SELECT count(*) FROM f), rid, pid FROM f ORDER BY score, pid LIMIT ? OFFSET ?`, append(args, q.size(), q.from())...)
	if err != nil {
		return 0, err
	}
	total := 0
	var rids []any
	for rows.Next() {
		var rid int64
		var pid string
		if err := rows.Scan(&total, &rid, &pid); err != nil {
			rows.Close()
			return 0, err
		}
		rids = append(rids, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(rids) == 0 && q.from() > 0 {
		// Past the last hit: the count alone.
		if err := e.db.QueryRowContext(ctx, cte+` SELECT count(*) FROM f`, args...).Scan(&total); err != nil {
			return 0, err
		}
	}
	if len(q.Facets) > 0 {
		fields := "'" + strings.Join(q.Facets, "','") + "'"
		frows, err := e.db.QueryContext(ctx, cte+`,
c AS (SELECT x.field, x.value, count(*) AS n FROM facet x JOIN f ON x.rid = f.rid WHERE x.field IN (`+fields+`) GROUP BY x.field, x.value)
SELECT field, value, n FROM (SELECT field, value, n, row_number() OVER (PARTITION BY field ORDER BY n DESC, value) AS k FROM c) WHERE k <= 10`, args...)
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
	if q.Highlight && len(rids) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(rids)), ",")
		hrows, err := e.db.QueryContext(ctx, `SELECT rowid, snippet(fts, 0, '<mark>', '</mark>', '…', 40) FROM fts WHERE fts MATCH ? AND rowid IN (`+ph+`)`,
			append([]any{match}, rids...)...)
		if err != nil {
			return 0, err
		}
		for hrows.Next() {
			var rid int64
			var snip string
			if err := hrows.Scan(&rid, &snip); err != nil {
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

// write adds batches of rows in transactions until ctx ends.
func (e *sqliteEngine) write(ctx context.Context, docs []*docRecord, batch int) (int, error) {
	n := 0
	for i := 0; ctx.Err() == nil && i < len(docs); {
		w := &sqliteWriter{}
		if err := w.begin(e.db); err != nil {
			return n, err
		}
		for k := 0; k < batch && i < len(docs); i++ {
			for _, r := range rowsOf(docs[i]) {
				if err := w.add(&r); err != nil {
					w.tx.Rollback()
					return n, err
				}
				k++
			}
		}
		if err := w.commit(); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func sqliteVersion() string {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	db.QueryRow(`SELECT sqlite_version()`).Scan(&v)
	return v
}
