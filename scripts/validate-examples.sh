#!/usr/bin/env bash
# Validates every collector configuration shipped with the distribution with `otelcol-logzio-aws validate`:
# distributions/otelcol-logzio-aws/examples/*.yaml, the default config.yaml, and config.yaml with its optional commented
# blocks (the Firehose metrics and CloudWatch Logs receivers, exporters and pipelines) uncommented.
#
# Each file is validated in a clean environment (env -i) that holds only the placeholder values below, so a setting
# that an example needs but does not document, or a variable the developer happens to have set, cannot hide a
# mistake. The placeholders are marker strings, not secrets. Exits non-zero when any file fails.
#
# Every file is validated the way the packages, the image and the Kubernetes manifests start the binary: with the feature
# gate that makes health_check follow component status (config.yaml's health_check block is refused without it; the
# examples' older form is accepted with it too).
#
# Usage: scripts/validate-examples.sh            (after `make build`)
#        OTELCOL_BIN=/path/to/otelcol-logzio-aws scripts/validate-examples.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${OTELCOL_BIN:-$root/bin/otelcol-logzio-aws}
examples_dir=$root/distributions/otelcol-logzio-aws/examples
default_config=$root/distributions/otelcol-logzio-aws/config.yaml
feature_gates=--feature-gates=extension.healthcheck.useComponentStatus

if [ ! -x "$bin" ]; then
  echo "validate-examples: $bin not found: run 'make build' first (or set OTELCOL_BIN)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# TLS files: `validate` does not read them (they are loaded when the collector starts); they exist so that a
# check of their presence would also pass.
touch "$tmp/tls.crt" "$tmp/tls.key"

placeholders=(
  "PATH=$PATH"
  "HOME=$tmp"
  "CLOUDTRAIL_BUCKET=example-cloudtrail-bucket"
  "CLOUDTRAIL_SQS_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/111122223333/example-cloudtrail-objects"
  "LOGZIO_LOGS_TOKEN=placeholder-logs-token"
  "LOGZIO_METRICS_TOKEN=placeholder-metrics-token"
  "FIREHOSE_ACCESS_KEY=placeholder-firehose-access-key"
  "FIREHOSE_LOGS_ACCESS_KEY=placeholder-firehose-logs-access-key"
  "TLS_CERT_FILE=$tmp/tls.crt"
  "TLS_KEY_FILE=$tmp/tls.key"
  "GATEWAY_OTLP_ENDPOINT=https://otel-gateway.example.invalid:4318"
  "STORAGE_DIR=$tmp/storage"
)

failed=0
checked=0
validate() { # <description> <config> [VAR=value ...]
  local what=$1 config=$2
  shift 2
  local out
  if out=$(env -i "$@" "$bin" validate --config "$config" "$feature_gates" 2>&1); then
    echo "ok      $what"
  else
    echo "FAILED  $what" >&2
    printf '%s\n' "$out" | sed 's/^/        /' >&2
    failed=1
  fi
  checked=$((checked + 1))
}

shopt -s nullglob
examples=("$examples_dir"/*.yaml)
if [ ${#examples[@]} -eq 0 ]; then
  echo "validate-examples: no examples in $examples_dir" >&2
  exit 1
fi
for config in "${examples[@]}"; do
  validate "examples/$(basename "$config")" "$config" "${placeholders[@]}"
  # Every variable an example reads must be named in its header comment, where users look for what to set.
  header=$(grep '^#' "$config" || true)
  for name in $(grep -o '\${env:[A-Za-z_][A-Za-z0-9_]*' "$config" | sed 's/^\${env://' | sort -u); do
    if ! grep -qw "$name" <<<"$header"; then
      echo "FAILED  examples/$(basename "$config"): \${env:$name} is not listed in the file's header comment" >&2
      failed=1
    fi
  done
done
validate "config.yaml (with the placeholders)" "$default_config" "${placeholders[@]}"
# The default configuration promises to validate as shipped, with nothing set.
validate "config.yaml (empty environment)" "$default_config" "PATH=$PATH" "HOME=$tmp"

# config.yaml's optional blocks, as a user enables them: each block starts with a commented key line ("  # key:") and
# goes on with the lines commented at the same place and indented deeper ("  #   ..."); uncommenting removes "# ".
# Every block named here must exist, so that renaming one in config.yaml cannot silently skip its check.
optional_blocks="firehosemetrics logzio/metrics metrics firehoselogs logzio/cloudwatch logs/cloudwatch"
uncomment_blocks() { # <block keys> <config>
  awk -v keys="$1" '
    BEGIN { n = split(keys, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
    {
      if (inblock && index($0, blockind "#   ") == 1) { print blockind substr($0, length(blockind) + 3); next }
      inblock = 0
      match($0, /^ */); ind = substr($0, 1, RLENGTH)
      if ($0 ~ /^ *# [A-Za-z0-9_\/]+:$/) {
        key = substr($0, length(ind) + 3); sub(/:$/, "", key)
        if (key in want) { inblock = 1; blockind = ind; found[key] = 1; print ind substr($0, length(ind) + 3); next }
      }
      print
    }
    END { for (key in want) if (!(key in found)) { print "no commented block \"" key ":\"" > "/dev/stderr"; bad = 1 } exit bad }
  ' "$2"
}
uncommented=$tmp/config-uncommented.yaml
if uncomment_blocks "$optional_blocks" "$default_config" >"$uncommented" 2>"$tmp/uncomment.err"; then
  validate "config.yaml (optional blocks uncommented: $optional_blocks)" "$uncommented" "${placeholders[@]}"
  # Self-check: the uncommented firehoselogs receiver is really in the configuration (refused without its key).
  if env -i "PATH=$PATH" "HOME=$tmp" LOGZIO_LOGS_TOKEN=x LOGZIO_METRICS_TOKEN=y FIREHOSE_ACCESS_KEY=z "STORAGE_DIR=$tmp/storage" \
    "$bin" validate --config "$uncommented" "$feature_gates" >/dev/null 2>&1; then
    echo "FAILED  self-check: config.yaml's uncommented firehoselogs block validated without FIREHOSE_LOGS_ACCESS_KEY" >&2
    failed=1
  else
    echo "ok      self-check: the uncommented firehoselogs block is refused without FIREHOSE_LOGS_ACCESS_KEY"
  fi
else
  echo "FAILED  config.yaml (optional blocks uncommented): $(cat "$tmp/uncomment.err")" >&2
  failed=1
fi

# Self-check: the validator must refuse an example whose required settings are missing, otherwise the checks above
# prove nothing.
if env -i "PATH=$PATH" "HOME=$tmp" "$bin" validate --config "$examples_dir/agent.yaml" "$feature_gates" >/dev/null 2>&1; then
  echo "FAILED  self-check: examples/agent.yaml validated without CLOUDTRAIL_BUCKET and tokens" >&2
  failed=1
else
  echo "ok      self-check: examples/agent.yaml is refused without its required settings"
fi

if [ "$failed" != 0 ]; then
  echo "validate-examples: some configurations are invalid (see above)" >&2
  exit 1
fi
echo "validate-examples: $checked configurations valid"
