# Lumbung build, test and lint entry points.
#
# CI runs `bash .ci/run`, which runs `make test` and then `make lint`.
# Everything here works from a fresh clone: staticcheck is installed into
# ./bin by the Makefile itself, pinned below.

# The project's toolchain lives in /usr/local/go; it may not be on PATH
# (CI shells, cron, a fresh login), so put it first.
export PATH := /usr/local/go/bin:$(PATH)

GO       ?= go
GOFMT    ?= gofmt
BIN      := $(CURDIR)/bin
FUZZTIME ?= 20s

# staticcheck 2026.2.2 supports Go 1.26. Bump deliberately: a new release
# can bring new checks.
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(BIN)/staticcheck
STATICCHECK_STAMP   := $(BIN)/.staticcheck-$(STATICCHECK_VERSION)

# Go files we own: not bin/, not testdata (which may hold broken code on
# purpose), not hidden directories.
GOFILES = $(shell find . -name '*.go' -not -path './bin/*' -not -path '*/testdata/*' -not -path '*/.*/*')

# The release and commit lumbung version and GET /api/v1/node report.
RELEASE ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS := -X github.com/lumbung/lumbung/version.Release=$(RELEASE) -X github.com/lumbung/lumbung/version.Commit=$(COMMIT)

.PHONY: all build test test-chaos testrace fmtcheck vet windows lint staticcheck bench demo fuzz clean release release-check installer-wine

all: build

## release: binaries for windows/amd64, linux/amd64 and linux/arm64, the .deb for servers, and
## SHA256SUMS, into dist/ (scripts/release.sh); release-check builds it twice and compares
release:
	RELEASE=$(RELEASE) COMMIT=$(COMMIT) scripts/release.sh

release-check:
	RELEASE=$(RELEASE) COMMIT=$(COMMIT) scripts/release-check.sh

## installer-wine: lumbung-setup.exe run under Wine: install, upgrade, uninstall (scripts/installer/wine/check.sh)
installer-wine:
	scripts/installer/wine/check.sh

## build: the lumbung binary into bin/
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lumbung ./cmd/lumbung

## test: formatting, vet, the Windows cross-build, then every test under -race
test: fmtcheck vet windows testrace

## testrace: every test, with the race detector
testrace:
	$(GO) test -race -count=1 -timeout 14m ./...

## fmtcheck: fail if any Go file is not gofmt-formatted
fmtcheck:
	@unformatted="$$($(GOFMT) -l $(GOFILES))"; \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files need formatting (run gofmt -w):"; \
		echo "$$unformatted"; \
		exit 1; \
	fi

vet:
	$(GO) vet ./...

## windows: most desa laptops run Windows; everything must cross-build
windows:
	GOOS=windows GOARCH=amd64 $(GO) build ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./service/ ./cmd/lumbung/ ./node/

## lint: gofmt, go vet, staticcheck and the house rules in internal/lint
lint: fmtcheck vet staticcheck
	$(GO) test -count=1 ./internal/lint/

staticcheck: $(STATICCHECK_STAMP)
	$(STATICCHECK) ./...

$(STATICCHECK_STAMP):
	@mkdir -p $(BIN)
	rm -f $(BIN)/.staticcheck-*
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@touch $@

## test-chaos: the fault suite, CHAOS_SEEDS seeds from CHAOS_SEED (a hundred from 1 by default), without -race
CHAOS_SEED  ?= 1
CHAOS_SEEDS ?= 100
test-chaos:
	$(GO) test -count=1 -timeout 120m -run '^TestChaos$$' -v ./testcluster -args -chaos.seed=$(CHAOS_SEED) -chaos.seeds=$(CHAOS_SEEDS)

## bench: every figure of intake, cluster, sync and aggregation on this machine against its target, written to BENCHMARKS.md
bench:
	$(GO) run ./cmd/lumbung bench --out BENCHMARKS.md
	@{ echo "## Go benchmarks of the write path (in-process)"; echo; \
	  echo "Command: \`go test -run XXX -bench 'Serial|BareSyncCommit|StoreCreate$$|IntakeHTTP|Login' -benchtime 2s ./node ./httpapi\`."; \
	  echo "The parallel ones run 16 goroutines (2 procs x 8); Store* has no HTTP, Bare* is Pebble alone."; echo; \
	  echo '```'; $(GO) test -run XXX -bench 'Serial|BareSyncCommit|StoreCreate$$|IntakeHTTP|Login' -benchtime 2s ./node ./httpapi | grep '^Benchmark'; \
	  echo '```'; } >> BENCHMARKS.md
	@{ echo; echo "## Cluster members over TLS"; echo; \
	  echo "Command: \`go test -run XXX -bench ReplicatedPropose -benchtime 3s ./replication/cluster\`."; \
	  echo "64 proposers at the leader of a 3-member cluster on loopback, 300-byte commands, each answered once a quorum"; \
	  echo "committed it: raft over mutual TLS 1.3 (Ed25519 certificates) beside the same over plain TCP, in the same run."; echo; \
	  echo '```'; $(GO) test -run XXX -bench ReplicatedPropose -benchtime 3s ./replication/cluster | grep '^Benchmark'; \
	  echo '```'; } >> BENCHMARKS.md
	@{ echo; echo "## Sealing reporters' identities"; echo; \
	  echo "Command: \`go test -run XXX -bench . -benchtime 1s ./seal\` and \`go test -run XXX -bench IntakeSealing -benchtime 2s ./node\`."; \
	  echo "Seal: one identity sealed to three offices' keys (HPKE X25519 each); EpochSeal: under an epoch's key (seal/DESIGN.md);"; \
	  echo "IntakeSealing: intake at a desa, 16 writers, ordinary reporters sealed to the desa, kecamatan and kabupaten (and anonymous ones to the desa)"; \
	  echo "beside the same intake in clear (an office with no key); p50-µs is each complaint's median latency."; echo; \
	  echo '```'; $(GO) test -run XXX -bench . -benchtime 1s ./seal | grep '^Benchmark'; \
	  $(GO) test -run XXX -bench IntakeSealing -benchtime 2s ./node | grep '^Benchmark'; \
	  echo '```'; } >> BENCHMARKS.md
	@{ echo; echo "## The triage queue over 2G, in Chromium"; echo; \
	  echo "Command: \`go test -run XXX -bench Queue2G -benchtime 3x ./httpapi\` (needs chromium; a browser is not in the lumbung binary)."; \
	  echo "A kecamatan officer, session held, cold cache (a fresh browser profile, no connection open), opens the full triage"; \
	  echo "queue (200 rows) over HTTPS through Chromium's emulation of 2G: 64 kbit/s both ways, 300 ms latency per request."; \
	  echo "s-to-act is the first contentful paint (the queue shown, its links usable without script), budget 5 s;"; \
	  echo "s-loaded the load event (htmx included); KB-wire the bytes received."; echo; \
	  echo '```'; $(GO) test -run XXX -bench Queue2G -benchtime 3x ./httpapi | grep '^Benchmark'; \
	  echo '```'; } >> BENCHMARKS.md
	@{ echo; echo "## Upgrades"; echo; \
	  echo "Command: \`go test -count=1 -run 'TestRollingClusterUpgrade|TestUpgradeInPlace' -v ./testcluster\` (a test, not a benchmark:"; \
	  echo "the figure is the longest time in which no write was acknowledged, against the bound of one election)."; \
	  echo "Three kecamatan members of the previous release (built from git, scripts/previous-release) as processes, raft timeout 500 ms,"; \
	  echo "4 writers sending to every member; each member stopped and started on the current release, followers first."; \
	  echo "A desa upgraded in place from the previous release, then an upgrade to a release that cannot start, rolled back."; echo; \
	  echo '```'; $(GO) test -count=1 -run 'TestRollingClusterUpgrade|TestUpgradeInPlace' -v ./testcluster | grep 'upgrade_test.go'; \
	  echo '```'; } >> BENCHMARKS.md

## demo: a whole kabupaten on this machine
demo:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/lumbung demo

## fuzz: every Fuzz target in every package, FUZZTIME each (default 20s)
fuzz:
	@set -e; \
	for pkg in $$($(GO) list ./...); do \
		list="$$($(GO) test -list '^Fuzz' "$$pkg")"; \
		for target in $$(echo "$$list" | grep '^Fuzz'); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
		done; \
	done

clean:
	rm -rf bin
