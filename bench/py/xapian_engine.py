#!/usr/bin/python3
"""Xapian peer of hrsearch's benchmark (run by bench/, with /usr/bin/python3).

  xapian_engine.py index DUMP DIR   index a passage dump (JSON lines of documents)
  xapian_engine.py serve DIR        answer JSON queries, one a line on stdin

Text, heading (wdf 2) and title go to the default field through a
TermGenerator with the English Snowball stemmer (STEM_SOME: stemmed Z-terms
plus unstemmed terms with positions, for phrases); facets are boolean terms
(XK: kind, XI: instrument, ...) for filters and values for counting.
"""
import json
import sys
import time
from collections import Counter

import xapian

SLOTS = {"instrument": 0, "article": 1, "state": 2, "year": 3, "kind": 4, "language": 5}
PREFIX = {"instrument": "XI:", "article": "XA:", "state": "XS:", "year": "XY:", "kind": "XK:", "language": "XL:"}
SEP = "\x1f"


def rows(doc):
    e = doc["entry"]
    year = e.get("year") or 0
    if not year and e.get("date"):
        try:
            year = int(e["date"][:4])
        except ValueError:
            year = 0
    for p in doc["passages"]:
        yield {
            "id": p["id"], "text": p.get("text", ""), "heading": p.get("heading", ""), "title": e.get("title", ""),
            "kind": e.get("kind", ""), "language": p.get("language") or e.get("language", ""),
            "year": str(year) if year else "",
            "instrument": p.get("instrument") or [], "article": p.get("article") or [], "state": p.get("state") or [],
        }


def index(dump, path, batch):
    start = time.time()
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(tg.STEM_SOME)
    docs = passages = 0
    pending = 0
    with open(dump, encoding="utf-8") as f:
        for line in f:
            docs += 1
            for r in rows(json.loads(line)):
                d = xapian.Document()
                tg.set_document(d)
                tg.index_text(r["text"])
                if r["heading"]:
                    tg.increase_termpos()
                    tg.index_text(r["heading"], 2)
                if r["title"]:
                    tg.increase_termpos()
                    tg.index_text(r["title"])
                for field in ("kind", "language", "year"):
                    if r[field]:
                        d.add_boolean_term(PREFIX[field] + r[field])
                        d.add_value(SLOTS[field], r[field])
                for field in ("instrument", "article", "state"):
                    vals = [v for v in r[field] if v]
                    for v in vals:
                        d.add_boolean_term(PREFIX[field] + v)
                    if vals:
                        d.add_value(SLOTS[field], SEP.join(vals))
                d.set_data(json.dumps({"id": r["id"], "text": r["text"]}))
                d.add_boolean_term("Q" + r["id"])
                db.replace_document("Q" + r["id"], d)
                passages += 1
                pending += 1
            # Commit every batch passages: hrsearch's batch, durable at return.
            if pending >= batch:
                db.commit()
                pending = 0
    db.commit()
    db.close()
    size = 0
    import os
    for root, _, files in os.walk(path):
        for fn in files:
            size += os.path.getsize(os.path.join(root, fn))
    hwm = 0
    with open("/proc/self/status") as st:
        for line in st:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
    print(json.dumps({"docs": docs, "passages": passages, "seconds": time.time() - start, "index_bytes": size,
                      "peak_rss": hwm}))


class MultiValueSpy(xapian.MatchSpy):
    """Counts each value of a multi-valued slot: Xapian's ValueCountMatchSpy
    counts a slot as one value."""

    def __init__(self, slot):
        xapian.MatchSpy.__init__(self)
        self.slot = slot
        self.counts = Counter()

    def __call__(self, doc, wt):
        v = doc.get_value(self.slot)
        if v:
            for x in v.split(SEP.encode()):
                self.counts[x] += 1


def serve(path):
    db = xapian.Database(path)
    stem = xapian.Stem("english")
    qp = xapian.QueryParser()
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(qp.STEM_SOME)
    qp.set_database(db)
    n = db.get_doccount()
    flags = qp.FLAG_PHRASE | qp.FLAG_BOOLEAN | qp.FLAG_LOVEHATE | qp.FLAG_WILDCARD
    for line in sys.stdin:
        req = json.loads(line)
        words, op = req["words"], req["op"]
        if op == "phrase":
            text = '"' + " ".join(words) + '"'
        elif op == "prefix":
            text = words[0] + "*"
        else:
            text = " ".join(words)
        qp.set_default_op(xapian.Query.OP_OR if op == "or" else xapian.Query.OP_AND)
        q = qp.parse_query(text, flags)
        if req.get("kind"):
            q = xapian.Query(xapian.Query.OP_FILTER, q, xapian.Query(PREFIX["kind"] + req["kind"]))
        if req.get("instrument"):
            q = xapian.Query(xapian.Query.OP_FILTER, q, xapian.Query(PREFIX["instrument"] + req["instrument"]))
        enq = xapian.Enquire(db)
        enq.set_query(q)
        spies = {}
        for f in req.get("facets") or []:
            spy = MultiValueSpy(SLOTS[f]) if f in ("instrument", "article", "state") else xapian.ValueCountMatchSpy(SLOTS[f])
            spies[f] = spy
            enq.add_matchspy(spy)
        # checkatleast = every document: exact totals and facet counts, as
        # the other engines give.
        mset = enq.get_mset(req.get("offset", 0), req.get("size", 10), n)
        facets = {}
        for f, spy in spies.items():
            if isinstance(spy, MultiValueSpy):
                facets[f] = [(v.decode(), c) for v, c in spy.counts.most_common(10)]
            else:
                facets[f] = [(item.term.decode(), item.termfreq) for item in spy.values()]
                facets[f] = sorted(facets[f], key=lambda x: -x[1])[:10]
        ids = []
        for m in mset:
            data = json.loads(m.document.get_data())
            ids.append(data["id"])
            if req.get("highlight"):
                mset.snippet(data["text"], 240, stem, mset.SNIPPET_BACKGROUND_MODEL | mset.SNIPPET_EXHAUSTIVE,
                             "<mark>", "</mark>", "…")
        sys.stdout.write(json.dumps({"total": mset.get_matches_estimated(), "ids": ids}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "version":
        print(xapian.version_string())
