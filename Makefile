# wampgo developer tasks. Run `make demo` to see the library work against a
# real router and `make test` for the full check; see README.md.

SHELL := /bin/bash
# A failing command on the left of a pipe fails the recipe.
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := test

GO       ?= go
GOFMT    ?= gofmt
FUZZTIME ?= 10s
FUZZPKGS ?= ./...

BIN                 := $(CURDIR)/bin
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(BIN)/staticcheck
STATICCHECK_STAMP   := $(BIN)/.staticcheck-$(STATICCHECK_VERSION)

ROUTER_DIR   := testdata/router
ROUTER_STAMP := $(ROUTER_DIR)/node_modules/.wampgo-installed

.PHONY: tools router test fmt-check bench bench-idle fuzz demo soak interop cli clean

## tools: install pinned Go tools into ./bin
tools: $(STATICCHECK_STAMP)

$(STATICCHECK_STAMP):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	touch $@

## router: install fox-wamp, autobahn-js and wampy (testdata/router/node_modules)
# The stamp lives inside node_modules, so deleting node_modules or changing
# the lock file triggers a fresh `npm ci`.
router: $(ROUTER_STAMP)

$(ROUTER_STAMP): $(ROUTER_DIR)/package-lock.json $(ROUTER_DIR)/package.json
	cd $(ROUTER_DIR) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

## test: gofmt check, go vet, staticcheck, then all tests with the race detector
test: tools router
	@$(MAKE) --no-print-directory fmt-check
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@# The conformance summary (go test prints package output only on failure).
	@$(GO) test -count=1 -run 'TestConformance' -v ./codec/ | grep '^conformance:'
	$(GO) test -race -count=1 -timeout 12m ./...

## fmt-check: fail, listing them, if any Go files are not gofmt-formatted
fmt-check:
	@unformatted=$$(find . -name '*.go' \
		-not -path './.git/*' -not -path './bin/*' \
		-not -path '*/testdata/*' -not -path '*/node_modules/*' \
		-exec $(GOFMT) -l {} +); \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files are not formatted (run gofmt -w on them):"; \
		echo "$$unformatted"; \
		exit 1; \
	fi

## bench: run all benchmarks once (BenchmarkStream, 256 MiB a run, one iteration each)
bench:
	$(GO) test -run='^$$' -bench=. -skip='^BenchmarkStream$$' -benchmem ./...
	$(GO) test -run='^$$' -bench='^BenchmarkStream$$' -benchtime=1x -benchmem ./internal/perf/bench/

## bench-idle: the idle-session footprint alone (N idle sessions to the
## test kit's router over WebSocket and RawSocket; WAMPGO_BENCH_IDLE_N=1000,4000)
bench-idle:
	$(GO) test -run='^$$' -bench=IdleSessions -benchtime=1x ./internal/perf/bench/

## fuzz: run every fuzz target in FUZZPKGS for FUZZTIME (default 10s) each
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) bash .ci/fuzz $(FUZZPKGS)

## interop: the interop suite against fox-wamp, or against your router:
##   WAMPGO_ROUTER_URL=rs://127.0.0.1:8081 make interop
# WAMPGO_ROUTER_URL takes one URL or several, comma-separated (ws://, wss://,
# rs://, rss://, tcp://, tcps://, unix:///path); each runs with every
# serializer the router accepts there (the others are skipped, and listed).
# WAMPGO_ROUTER_REALM sets the realm (default wampgo_interop). Without
# WAMPGO_ROUTER_URL it runs against fox-wamp (WebSocket, JSON only), with the
# autobahn-js peers too. No router that `make router` installs speaks
# RawSocket.
INTEROP_SUITE := TestRealRouter(RPC|PubSub|ManyConcurrentCalls|SessionMetaAndClose|CancelIsTolerated)
interop: $(if $(WAMPGO_ROUTER_URL),,router)
	WAMPGO_ROUTER_URL='$(WAMPGO_ROUTER_URL)' WAMPGO_ROUTER_REALM='$(WAMPGO_ROUTER_REALM)' \
		$(GO) test -race -count=1 -v -timeout 10m \
		-run '^($(INTEROP_SUITE)$(if $(WAMPGO_ROUTER_URL),,|TestInterop.*))$$' ./client/

## soak: 10,000 acknowledged events to a slow subscriber through fox-wamp
# (a few minutes; not part of `make test` or CI)
soak: router
	$(GO) test -tags soak -run TestSoak -count=1 -v -timeout 10m ./internal/perf/soak/

## demo: run the demo program against a local fox-wamp router
demo: router
	$(GO) run ./internal/cmd/demo

## cli: build the wampgo command line into bin/wampgo
cli:
	$(GO) build -o $(BIN)/wampgo ./internal/cmd/wampgo

## clean: remove installed tools, node_modules and test artefacts
clean:
	rm -rf $(BIN) $(ROUTER_DIR)/node_modules
	rm -f *.test *.out
