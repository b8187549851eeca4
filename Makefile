# hrsearch: the two commands a new user needs are `make demo` and `make test`.
SHARED   ?= $(abspath ../shared)
DATA     ?= ./data
ADDR     ?= 127.0.0.1:8080
BIN      := ./bin/hrsearch

.PHONY: build demo test check bench eval clean fingerprint

build:
	go build -o $(BIN) ./cmd/hrsearch

# Build the demo index if it is missing, then serve the UI and the API.
demo: build
	$(BIN) demo --catalog $(SHARED)/corpus/catalog.jsonl --data $(DATA) --addr $(ADDR)

# The demo index is built once with a plain binary (the race detector makes
# ingest 7x slower) and each test process works on its own copy. A server on
# another copy lets the browser tests drive the real UI end to end.
TEST_ADDR ?= 127.0.0.1:18080
test: build
	@test -f $(SHARED)/corpus/catalog.jsonl || { echo "shared corpus not found at $(SHARED) (set SHARED=...)"; exit 1; }
	@gofmt -l . | (! grep .) || { echo "gofmt: files above need formatting"; exit 1; }
	go vet ./...
	go mod tidy -diff
	go tool staticcheck ./...
	rm -rf .cache/test-demo .cache/test-serve && mkdir -p .cache
	$(BIN) index --catalog $(SHARED)/corpus/catalog.jsonl --data .cache/test-demo
	cp -r .cache/test-demo .cache/test-serve
	$(BIN) serve --data .cache/test-serve --addr $(TEST_ADDR) --rate-limit 0 2>.cache/test-serve.log & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; \
	for i in $$(seq 50); do curl -fs http://$(TEST_ADDR)/readyz >/dev/null && break; sleep 0.2; done; \
	HRSEARCH_SHARED=$(SHARED) HRSEARCH_DEMO_DATA=$(abspath .cache/test-demo) HRSEARCH_BROWSER_URL=http://$(TEST_ADDR) \
		go test -race -timeout 20m ./...
	# D1 (kill -9 during ingest, 20 rounds) runs plain binaries: not under -race.
	HRSEARCH_SHARED=$(SHARED) go test -count=1 -timeout 10m -run TestD1KillDuringIngest -v ./cmd/hrsearch/
	# Deleting a document of 120,000 passages: too slow under -race.
	go test -count=1 -timeout 10m -run TestDeleteRemovesEveryPassage ./indexer/library/

# After a change to reading, segmentation or extraction: bump PipelineVersion
# (indexer/index.go), then rewrite the demo corpus's passage fingerprint,
# which the tests compare (indexer/testdata/fingerprint.golden).
fingerprint:
	HRSEARCH_SHARED=$(SHARED) go test -count=1 -run '^TestPipelineFingerprint$$' ./indexer/ -update

eval: build
	$(BIN) eval --data $(DATA) --topics $(SHARED)/eval/topics.tsv --qrels $(SHARED)/eval/qrels.txt -v

bench:
	go test -run '^$$' -bench . -benchtime 200x ./search/

clean:
	rm -rf bin .cache

# Benchmarks: hrsearch against SQLite FTS5, PostgreSQL, Xapian and rg on the
# passages of catalog-full (bench/ is its own Go module, so `go test ./...`
# never builds it). bench-report writes BENCHMARKS.md (about an hour);
# bench-smoke checks the harness in about a minute. Work files (passages,
# indexes, a throw-away PostgreSQL cluster) go to .cache/bench.
BENCHFLAGS ?= -tier 500000
SMOKEFLAGS ?=
.PHONY: bench-report bench-smoke
bench-report:
	cd bench && go run . -catalog $(SHARED)/corpus/catalog-full.jsonl -demo-catalog $(SHARED)/corpus/catalog.jsonl \
		-work ../.cache/bench -out ../BENCHMARKS.md $(BENCHFLAGS)

bench-smoke:
	cd bench && go run . -smoke -catalog $(SHARED)/corpus/catalog-full.jsonl -demo-catalog $(SHARED)/corpus/catalog.jsonl \
		-work ../.cache/bench -out ../.cache/bench/SMOKE.md $(SMOKEFLAGS)
