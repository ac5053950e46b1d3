#!/usr/bin/env bash
# Cold start of the PDP: time from process start to the "pdp serving" line (health SERVING), and
# the warm-up that line reports (ms, evaluations, settled), for each JVM option set given.
#
#   bench/cold-start.sh [RUNS]            (default 3 runs per option set)
#
# Environment: COLD_OPTION_SETS overrides the option sets (';'-separated), WARMUP_TIMEOUT the
# --warmup-timeout (default the server's), CPUS the taskset CPU list (default 0,1).
# Only issue 12's first measurement (time to SERVING and the warm-up) is here: the fixed-rate
# p50/p99/throughput windows of the first 120 s, and the same for OPA, need ghz and are not yet
# scripted (see bench/RESULTS.md, "Cold start").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/server/target/pdp-server.jar"
[ -f "$jar" ] || { echo "bench/cold-start.sh: build the server first (mvn -pl server -am package)" >&2; exit 1; }
runs=${1:-3}
cpus=${CPUS:-0,1}
IFS=';' read -r -a option_sets <<< "${COLD_OPTION_SETS:- ;-XX:-DontCompileHugeMethods}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| JVM options | run | ms to SERVING | warm-up ms | warm-up evaluations | settled |"
echo "|---|---|---|---|---|---|"
for options in "${option_sets[@]}"; do
  for run in $(seq 1 "$runs"); do
    data="$work/data-$RANDOM"
    start=$(date +%s%N)
    # shellcheck disable=SC2086  # $options is a list of JVM options
    taskset -c "$cpus" java $options -jar "$jar" serve --port 0 --admin-port 0 --instances 1 \
      --data-dir "$data" ${WARMUP_TIMEOUT:+--warmup-timeout "$WARMUP_TIMEOUT"} > "$work/out" 2>&1 &
    pid=$!
    line=""
    for _ in $(seq 1 1200); do
      line=$(grep -m1 '"msg":"pdp serving"' "$work/out" || true)
      [ -n "$line" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    end=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -n "$line" ] || { echo "bench/cold-start.sh: the server did not serve; its output:" >&2; cat "$work/out" >&2; exit 1; }
    warmup=$(printf '%s' "$line" | grep -o '"warmup":{[^}]*}' || echo '"warmup":{}')
    field() { printf '%s' "$warmup" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
    label=$(printf "%s" "$options" | xargs); echo "| \`${label:-(none)}\` | $run | $(( (end - start) / 1000000 )) | $(field ms) | $(field evaluations) | $(field settled) |"
  done
done
