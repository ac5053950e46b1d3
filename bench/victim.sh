#!/usr/bin/env bash
# bench/victim.sh: the latency of a well-behaved client while two others flood the PDP with large
# batches (issue 10, item 7), with the per-client limit off (--max-client-concurrency 0: how the
# PDP behaved before the limit) and on (each value in LIMITS). One PDP per run, decision log on as
# it ships; the clients are dev.redline.pdp.bench.VictimLatency (see its Javadoc).
#
# Usage: bench/victim.sh [SECONDS [WARMUP_SECONDS]]     (default 30 s measured after 10 s warm-up)
# Environment: JAVA_HOME (default: bin/newest-jdk), JAR (default server/target/pdp-server.jar),
#   BENCH_JAR (default bench/target/pdp-bench.jar), LIMITS (default "0 64"), BATCH_BYTES (default
#   1048576), OUTSTANDING (batches each abuser keeps in flight, default 4), INSTANCES (default: the
#   server's own default).
# Binds the server to 127.0.0.1 on a free port; the clients connect from 127.0.0.2-4 (loopback).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
java_home=${JAVA_HOME:-$("$root/bin/newest-jdk")}
jar=${JAR:-$root/server/target/pdp-server.jar}
bench_jar=${BENCH_JAR:-$root/bench/target/pdp-bench.jar}
seconds=${1:-30}
warmup=${2:-10}
limits=${LIMITS:-0 64}
[ -f "$jar" ] && [ -f "$bench_jar" ] || { echo "bench/victim.sh: needs $jar and $bench_jar (mvn -pl server,bench -am package)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdp-victim.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

echo "java: $("$java_home/bin/java" -version 2>&1 | sed -n 1p); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| --max-client-concurrency | victim p50 (ms) | victim p99 (ms) | victim decisions | victim errors | abuser batches answered | abuser batches refused by the limit |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for limit in $limits; do
  rm -rf "$tmp/data" && mkdir -p "$tmp/data"
  "$java_home/bin/java" -jar "$jar" serve --bind 127.0.0.1 --port 0 --admin-port 0 --data-dir "$tmp/data" \
    --max-client-concurrency "$limit" ${INSTANCES:+--instances "$INSTANCES"} > "$tmp/out" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q '"pdp serving"' "$tmp/out" && break; sleep 0.05; done
  address=$(sed -n 's/.*"pdp serving".*"address":"\([^"]*\)".*/\1/p' "$tmp/out")
  [ -n "$address" ] || { echo "bench/victim.sh: the PDP did not serve; it said:" >&2; cat "$tmp/out" >&2; exit 1; }
  result=$("$java_home/bin/java" -cp "$bench_jar" dev.redline.pdp.bench.VictimLatency "$address" "$seconds" "$warmup" \
    "${BATCH_BYTES:-1048576}" "${OUTSTANDING:-4}")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  python3 -c 'import json,sys; r=json.loads(sys.argv[2]); print("| %s | %s | %s | %s | %s | %s | %s |" % (sys.argv[1],
    r["victim_p50_ms"], r["victim_p99_ms"], r["victim_decisions"], r["victim_errors"], r["abuser_batches_answered"],
    r["abuser_batches_refused_by_share"]))' "$limit" "$result"
  echo "$result" >> "$tmp/results.jsonl"
done
echo
echo "raw results (one JSON object per limit):"
cat "$tmp/results.jsonl"
