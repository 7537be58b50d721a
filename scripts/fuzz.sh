#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for FUZZTIME each (default 5s), one after the other.
# `make test` runs it briefly; `make fuzz FUZZTIME=60s` runs it for longer. Seeds live in each package's
# testdata/fuzz/<FuzzName>/ and in the f.Add calls; a crash writes its input there and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
failed=0
count=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # Only packages whose test files declare fuzz targets.
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
  for target in $targets; do
    count=$((count + 1))
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" > /tmp/fuzz-$$.log 2>&1; then
      echo "ok   fuzz $pkg $target ($fuzztime)"
    else
      echo "FAIL fuzz $pkg $target"
      tail -30 /tmp/fuzz-$$.log
      failed=1
    fi
  done
done
rm -f /tmp/fuzz-$$.log
echo "fuzz: $count targets run for $fuzztime each"
exit $failed
