# Fault suite (test/faults): the real binary against real peers, with crashes, outages, S3 faults, bad objects and
# Firehose abuse; a table of sent / received / lost / duplicated / peak RSS per scenario.
#
#   make faults        full scale (2,000 files / 100,000 records, 5 kills, 2-minute outages; about 15 minutes),
#                      then every fuzz target for FAULTS_FUZZTIME (60s) each; table in build/faults/faults-full.md,
#                      fuzz results (execs per target) in build/faults/fuzz.txt
#   make faults-short  the short form alone (what `make test` runs as part of `go test ./...`; about 2 minutes)
#
# Included by the Makefile (`include faults.mk`), which defines GO, ROOT, DIST_BIN and the build and peers targets.

FAULTS_FUZZTIME ?= 60s
FAULTS_TIMEOUT  ?= 90m

.PHONY: faults faults-short faults-fuzz

# The short form of the suite runs inside `go test ./...` and needs the distribution binary: build it first.
test-go: build

# The fuzzers run even when a scenario failed; the target fails if either did.
faults: build peers
	mkdir -p $(ROOT)/build/faults
	status=0; \
	FAULTS_SCALE=full $(GO) test -count=1 -timeout $(FAULTS_TIMEOUT) -v ./test/faults 2>&1 | tee $(ROOT)/build/faults/go-test-full.log || status=1; \
	FUZZTIME=$(FAULTS_FUZZTIME) scripts/fuzz.sh $(ROOT)/build/faults/fuzz.txt || status=1; \
	cat $(ROOT)/build/faults/faults-full.md $(ROOT)/build/faults/fuzz.txt; \
	exit $$status

faults-short: build peers
	FAULTS_SCALE=short $(GO) test -count=1 -v ./test/faults

# The fuzz targets of the suite's inputs (CloudTrail decoder, Firehose request parser, metric-stream decoders, Logz.io
# document builder) for FAULTS_FUZZTIME each; a crash fails the target and leaves its input in testdata/fuzz/.
faults-fuzz:
	mkdir -p $(ROOT)/build/faults
	FUZZTIME=$(FAULTS_FUZZTIME) scripts/fuzz.sh $(ROOT)/build/faults/fuzz.txt
