#!/usr/bin/env bash
# Checks that `otelcol-logzio-aws components` lists every component the distribution promises.
set -euo pipefail
list=${1:?usage: check-components.sh <output of 'otelcol-logzio-aws components'>}
expected=(
  "receivers:otlp"
  "processors:batch" "processors:memory_limiter" "processors:resource"
  "processors:attributes" "processors:filter" "processors:transform" "processors:redaction"
  "exporters:debug" "exporters:otlp_grpc" "exporters:otlp_http" "exporters:file" "exporters:prometheus_remote_write"
  "extensions:file_storage" "extensions:health_check" "extensions:pprof" "extensions:zpages"
)
# Own components join the list once they are in builder-config.yaml.
grep -q 'cloudtrails3receiver' builder-config.yaml && expected+=("receivers:cloudtrails3")
grep -q 'firehosemetricsreceiver' builder-config.yaml && expected+=("receivers:firehosemetrics")
grep -q 'firehoselogsreceiver' builder-config.yaml && expected+=("receivers:firehoselogs")
grep -q 'logzioexporter' builder-config.yaml && expected+=("exporters:logzio")
missing=0
for item in "${expected[@]}"; do
  kind=${item%%:*} name=${item#*:}
  # The components command prints YAML: a "<kind>:" section with "- name: <type>" entries.
  if ! awk -v kind="$kind:" -v name="$name" '
      /^[a-z]+:/ { section = $1 }
      section == kind && $0 ~ "^[ -]+name: " name "$" { found = 1 }
      END { exit !found }' "$list"; then
    echo "missing from the distribution: $kind $name" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] && echo "components: all ${#expected[@]} expected components present"
