# breachscope: make demo runs the main job on the bundled sample case;
# make test runs every test.

GO      ?= go
BIN     := bin/breachscope
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/breachscope/breachscope/cmd/cli.Version=$(VERSION) \
           -X github.com/breachscope/breachscope/cmd/cli.Commit=$(COMMIT)
DEMO    := .demo

.PHONY: build test demo bench bench-ingest docs fmt vet clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/breachscope

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# The sample case is copied so runs and the case database stay out of the
# repository; the run directory is printed at the end.
demo: build
	rm -rf $(DEMO)
	mkdir -p $(DEMO)
	cp -r samples/demo-case $(DEMO)/
	./$(BIN) run $(DEMO)/demo-case

# The command reference (Markdown and man pages) is generated from the
# commands; TestDocsCurrent fails when docs/cli is stale.
docs:
	rm -rf docs/cli
	$(GO) run ./cmd/breachscope gen-docs docs/cli

# breachscope run on a synthetic case of tier $(TIER) (S, M, L, XL), next to
# baseline A (a bare DuckDB join, bench/floor) and baseline B (pandas) on the
# same files; writes bench/results/$(TIER).md. Cases are kept in bench/cases.
TIER ?= M
bench: build
	$(GO) build -o bin/floor ./bench/floor
	$(GO) run ./bench/harness -tier $(TIER)

# Ingest rate per log format on 1M-row files, next to a bare DuckDB read of
# the same file (ratio = ingest time / bare read time).
bench-ingest:
	$(GO) test -run '^$$' -bench BenchmarkIngestFormats -benchtime 1x -timeout 60m ./analysis/ingest/

fmt:
	gofmt -w cmd analysis queries

vet:
	$(GO) vet ./...

clean:
	rm -rf bin $(DEMO)
