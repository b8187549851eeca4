# hrsearch: the two commands a new user needs are `make demo` and `make test`.
SHARED   ?= $(abspath ../shared)
DATA     ?= ./data
ADDR     ?= 127.0.0.1:8080
BIN      := ./bin/hrsearch

.PHONY: build demo test check bench eval clean

build:
	go build -o $(BIN) ./cmd/hrsearch

# Build the demo index if it is missing, then serve the UI and the API.
demo: build
	$(BIN) demo --catalog $(SHARED)/corpus/catalog.jsonl --data $(DATA) --addr $(ADDR)

# The demo index is built once with a plain binary (the race detector makes
# ingest 7x slower) and each test process works on its own copy.
test: build
	@test -f $(SHARED)/corpus/catalog.jsonl || { echo "shared corpus not found at $(SHARED) (set SHARED=...)"; exit 1; }
	@gofmt -l . | (! grep .) || { echo "gofmt: files above need formatting"; exit 1; }
	go vet ./...
	rm -rf .cache/test-demo && mkdir -p .cache
	$(BIN) index --catalog $(SHARED)/corpus/catalog.jsonl --data .cache/test-demo
	HRSEARCH_SHARED=$(SHARED) HRSEARCH_DEMO_DATA=$(abspath .cache/test-demo) go test -race -timeout 20m ./...

eval: build
	$(BIN) eval --data $(DATA) --topics $(SHARED)/eval/topics.tsv --qrels $(SHARED)/eval/qrels.txt -v

bench:
	go test -run '^$$' -bench . -benchtime 200x ./search/

clean:
	rm -rf bin .cache
