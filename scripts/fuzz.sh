#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for FUZZTIME each (default 5s), one after the other, and prints each
# target's final exec/coverage line. `make test` runs it briefly; `make fuzz` and `make faults` for a minute each.
# Seeds are each target's committed f.Add calls and its package's testdata/fuzz/<FuzzName>/, where a crash also writes
# its input and fails the run. Usage: scripts/fuzz.sh [results-file]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
out=${1:-/dev/null}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
: > "$out"
failed=0
count=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # Only packages whose test files declare fuzz targets.
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
  for target in $targets; do
    count=$((count + 1))
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" > "$log" 2>&1; then
      stats=$(grep -o 'elapsed: [^,]*, execs: [0-9]* ([^)]*), new interesting: [0-9]* (total: [0-9]*)' "$log" | tail -1 || true)
      line="ok   fuzz $target ($pkg, $fuzztime): ${stats:-no stats}"
    else
      line="FAIL fuzz $target ($pkg): see the crash input under $dir/testdata/fuzz/$target/"
      tail -30 "$log"
      failed=1
    fi
    echo "$line" | tee -a "$out"
  done
done
echo "fuzz: $count targets run for $fuzztime each"
exit $failed
