# otelcol-logzio-aws — the two commands a user needs:
#   make demo   run the distribution on local data (no AWS account needed)
#   make test   every unit and integration test, against real local peers
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

ROOT        := $(abspath .)
BIN         := $(ROOT)/bin
DIST_NAME   := otelcol-logzio-aws
DIST_BIN    := $(BIN)/$(DIST_NAME)
BUILD_DIR   := $(ROOT)/build/$(DIST_NAME)
DIST_CONFIG := distributions/$(DIST_NAME)/config.yaml

# Pinned tools, installed into bin/ through the Go module proxy.
OCB_VERSION         := v0.161.0
STATICCHECK_VERSION := v0.8.2
VERSITYGW_VERSION   := v1.8.0

GO          ?= go
GOTESTFLAGS ?=
BENCHTIME   ?= 2s
BENCHCOUNT  ?= 1
PKGS        := ./...
# The distribution builds with the machine's Go (>= 1.26.8, like the project's own packages): `local` makes a module that
# asks for a newer toolchain fail the build with its name instead of fetching one.
DIST_GOTOOLCHAIN ?= local

export GOBIN := $(BIN)

.PHONY: all build test test-go test-fuzz test-dist test-demo fuzz bench bench-e2e lint demo clean peers tools fmt scaleout-measure

all: build

$(BIN)/builder:
	$(GO) install go.opentelemetry.io/collector/cmd/builder@$(OCB_VERSION)

$(BIN)/staticcheck:
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(BIN)/versitygw:
	$(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

tools: $(BIN)/builder $(BIN)/staticcheck

## build: generate the distribution with ocb into build/ and compile bin/otelcol-logzio-aws
build: $(BIN)/builder
	mkdir -p $(BUILD_DIR)
	# GOFLAGS=-e reaches ocb's `go mod tidy` (go build ignores it): contrib modules' test-only dependencies that the
	# module proxy does not serve (e.g. fileexporter's tests import otlpencodingextension) must not stop the build.
	GOTOOLCHAIN=$(DIST_GOTOOLCHAIN) GOFLAGS="-buildvcs=false -e" $(BIN)/builder --config builder-config.yaml
	cp $(BUILD_DIR)/$(DIST_NAME) $(DIST_BIN).tmp && mv -f $(DIST_BIN).tmp $(DIST_BIN)
	@echo "built $(DIST_BIN)"

## peers: install the real servers the integration tests start (versitygw via go install, prometheus via apt, moto from
## the machine's Python). MOTO_SERVER and PROMETHEUS, when set, name the binaries to use instead (the tests honour them too).
peers: $(BIN)/versitygw
	@if [ -n "$${MOTO_SERVER:-}" ]; then \
	  [ -x "$$MOTO_SERVER" ] || { echo "MOTO_SERVER=$$MOTO_SERVER is not an executable file" >&2; exit 1; }; \
	elif ! command -v moto_server >/dev/null; then \
	  echo "moto_server is missing: install moto[server] in a virtualenv or with pipx (Debian's Python refuses a plain pip install), then put moto_server on PATH or set MOTO_SERVER=/path/to/moto_server" >&2; exit 1; \
	fi
	@if [ -n "$${PROMETHEUS:-}" ]; then \
	  [ -x "$$PROMETHEUS" ] || { echo "PROMETHEUS=$$PROMETHEUS is not an executable file" >&2; exit 1; }; \
	elif ! command -v prometheus >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; \
	  else echo "prometheus is missing: sudo apt-get install --no-install-recommends prometheus, or set PROMETHEUS=/path/to/prometheus" >&2; exit 1; fi; \
	fi

## test: all unit and integration tests (real peers), every fuzz target briefly, then build the distribution, validate its
## configs, and build, install and inspect its packages
test: test-go test-fuzz test-dist test-demo test-package test-helm

# -p 1: one package's tests at a time. The integration packages (receivers against moto/versitygw, the fault suite
# running the real binary) each keep both cores busy; side by side they only slow each other into timeouts.
test-go: peers
	$(GO) test -p 1 -count=1 $(GOTESTFLAGS) $(PKGS)

FUZZTIME ?= 5s
test-fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## fuzz: every fuzz target for a minute each
fuzz:
	FUZZTIME=60s scripts/fuzz.sh

test-dist: build
	$(DIST_BIN) components > $(ROOT)/build/components.txt
	scripts/check-components.sh $(ROOT)/build/components.txt
	$(DIST_BIN) validate --config $(DIST_CONFIG) --feature-gates=extension.healthcheck.useComponentStatus
	OTELCOL_BIN=$(DIST_BIN) scripts/validate-examples.sh
	@echo "distribution: components listed, $(DIST_CONFIG) and the examples validated"

## test-demo: the demo end to end, without waiting for Ctrl-C (fails unless every CloudTrail record arrives)
test-demo: build $(BIN)/versitygw
	DEMO_NO_WAIT=1 scripts/demo.sh

## bench: every go benchmark, once, without the tests
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) $(PKGS)

## bench-e2e: the real binary with the shipped config.yaml beside the receiver alone, reading versitygw and sending to a
## Logz.io stand-in, for small and large files: records per CPU-second of the collector, its peak RSS, the CPU time of
## the stand-in sharing its cores, and the bytes on the wire per record (build/bench-e2e.md).
## E2E_ONLY=<regexp> picks variants; E2E_REPEAT=3 runs each three times and reports the median and the range.
bench-e2e: build peers
	E2E_BENCH=1 $(GO) test -count=1 -timeout 60m -v -run TestE2EBench ./test/e2ebench 2>&1 | grep -E '^\s*(\||--- |ok|FAIL|PASS)|records uploaded'

## scaleout-measure: objects/s and records/s of 1 versus 3 collector processes, on one SQS queue and as shards of
## one bucket (test/scaleout, 600 objects of 100 records on moto_server; a few minutes)
scaleout-measure: build peers
	SCALEOUT_MEASURE=1 $(GO) test -count=1 -timeout 30m -v -run 'TestMeasure' ./test/scaleout 2>&1 | grep -E '^(---|=== RUN|ok|FAIL|PASS)|objects/s'

## lint: gofmt, go vet, staticcheck
lint: $(BIN)/staticcheck
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(BIN)/staticcheck $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

## demo: run the distribution on local sample data and show what would go to Logz.io
demo: build $(BIN)/versitygw
	scripts/demo.sh

clean:
	rm -rf $(ROOT)/build $(ROOT)/dist $(ROOT)/demo-output
	rm -f $(DIST_BIN)

include packaging.mk
include faults.mk
include helm.mk
