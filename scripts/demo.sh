#!/usr/bin/env bash
# make demo: runs otelcol-logzio-aws on local data and shows what would go to Logz.io.
#  1. starts versitygw (a local S3 server) and fills a bucket with generated CloudTrail files for two accounts (one
#     through an organization trail) and three regions, plus a digest and a Config file the receiver must skip;
#  2. starts a local stand-in for the Logz.io listeners that writes what it receives to demo-output/;
#  3. runs the collector (cloudtrails3 + firehosemetrics receivers -> logzio exporter) with the demo config;
#  4. replays recorded Firehose metric-stream requests (JSON, OpenTelemetry 0.7 and 1.0) into it;
#  5. prints the first CloudTrail documents and metric series, then keeps running until Ctrl-C (in a terminal) or exits.
# With LOGZIO_LOGS_TOKEN / LOGZIO_METRICS_TOKEN set, it ships to Logz.io (LOGZIO_REGION, default us) instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# free_port prints a loopback TCP port nobody listens on (the demo must not fail because a port is taken; set
# DEMO_*_PORT to choose one).
taken=" "
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    case "$taken" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then taken="$taken$p "; echo "$p"; return 0; fi
  done
  echo "no free port found on 127.0.0.1" >&2; return 1
}

OUT=${DEMO_OUT:-$PWD/demo-output}
S3_PORT=${DEMO_S3_PORT:-$(free_port)}
LOGS_PORT=${DEMO_LOGS_PORT:-$(free_port)}
METRICS_PORT=${DEMO_METRICS_PORT:-$(free_port)}
FIREHOSE_PORT=${DEMO_FIREHOSE_PORT:-$(free_port)}
TELEMETRY_PORT=${DEMO_TELEMETRY_PORT:-$(free_port)}
BIN=$PWD/bin

rm -rf "$OUT" && mkdir -p "$OUT/s3" "$OUT/storage"
export DEMO_OUT=$OUT DEMO_BUCKET=demo-cloudtrail
export DEMO_S3_ENDPOINT=http://127.0.0.1:$S3_PORT DEMO_ACCESS_KEY=demo-access DEMO_SECRET_KEY=demo-secret-key-0123
export DEMO_FIREHOSE_ENDPOINT=127.0.0.1:$FIREHOSE_PORT DEMO_FIREHOSE_KEY=demo-firehose-access-key
export DEMO_TELEMETRY_PORT=$TELEMETRY_PORT
if [ -n "${LOGZIO_LOGS_TOKEN:-}" ]; then
  export DEMO_LOGS_TOKEN=$LOGZIO_LOGS_TOKEN DEMO_LOGS_ENDPOINT=""
else
  export DEMO_LOGS_TOKEN=demo-logs-token DEMO_LOGS_ENDPOINT=http://127.0.0.1:$LOGS_PORT/
fi
if [ -n "${LOGZIO_METRICS_TOKEN:-}" ]; then
  export DEMO_METRICS_TOKEN=$LOGZIO_METRICS_TOKEN DEMO_METRICS_ENDPOINT=""
else
  export DEMO_METRICS_TOKEN=demo-metrics-token DEMO_METRICS_ENDPOINT=http://127.0.0.1:$METRICS_PORT/
fi

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo stopped; output kept in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() { # host:port, name
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$2 did not start on $1; see $OUT/*.log" >&2; return 1
}

echo "== building demo tools"
go build -o "$BIN/demo-listener" ./distributions/otelcol-logzio-aws/demo/listener
go build -o "$BIN/demo-seed" ./distributions/otelcol-logzio-aws/demo/seed
go build -o "$BIN/demo-replay" ./distributions/otelcol-logzio-aws/demo/replay

echo "== starting a local S3 server (versitygw) on 127.0.0.1:$S3_PORT"
ROOT_ACCESS_KEY=$DEMO_ACCESS_KEY ROOT_SECRET_KEY=$DEMO_SECRET_KEY \
  "$BIN/versitygw" --port "127.0.0.1:$S3_PORT" --quiet posix "$OUT/s3" >"$OUT/versitygw.log" 2>&1 &
pids+=($!)
wait_port "127.0.0.1:$S3_PORT" versitygw

records=$("$BIN/demo-seed" -endpoint "$DEMO_S3_ENDPOINT" -bucket "$DEMO_BUCKET")
echo "== bucket $DEMO_BUCKET holds $records CloudTrail records in 24 log files (2 accounts x 3 regions), plus a digest and a Config file"

if [ -n "$DEMO_LOGS_ENDPOINT$DEMO_METRICS_ENDPOINT" ]; then
  echo "== starting the local Logz.io stand-in (logs :$LOGS_PORT, metrics :$METRICS_PORT)"
  "$BIN/demo-listener" -logs-addr "127.0.0.1:$LOGS_PORT" -metrics-addr "127.0.0.1:$METRICS_PORT" -out "$OUT" >"$OUT/listener.log" 2>&1 &
  pids+=($!)
  wait_port "127.0.0.1:$LOGS_PORT" listener
fi

echo "== starting otelcol-logzio-aws (log: $OUT/collector.log)"
"$BIN/otelcol-logzio-aws" --config distributions/otelcol-logzio-aws/demo/config.yaml >"$OUT/collector.log" 2>&1 &
pids+=($!)
wait_port "$DEMO_FIREHOSE_ENDPOINT" "the collector's Firehose receiver"

echo "== replaying Firehose metric-stream requests"
"$BIN/demo-replay" -url "http://$DEMO_FIREHOSE_ENDPOINT/"

if [ -z "$DEMO_LOGS_ENDPOINT" ]; then
  echo "== shipping to Logz.io; watch $OUT/collector.log"
else
  docs="$OUT/logzio-logs.ndjson"
  for _ in $(seq 1 600); do
    [ "$(wc -l <"$docs" 2>/dev/null || echo 0)" -ge "$records" ] && break
    sleep 0.2
  done
  got=$(wc -l <"$docs")
  echo "== $got of $records CloudTrail records reached the Logz.io stand-in ($docs); the first two documents:"
  head -n 2 "$docs"
  echo "== metric series received ($OUT/logzio-metrics.txt), first ten:"
  head -n 10 "$OUT/logzio-metrics.txt"
  [ "$got" -ge "$records" ] || { echo "not every record arrived; see $OUT/collector.log" >&2; exit 1; }
fi

if [ -t 0 ] && [ -z "${DEMO_NO_WAIT:-}" ]; then
  echo "== running; press Ctrl-C to stop"
  wait "${pids[-1]}"
fi
