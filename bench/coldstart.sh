#!/usr/bin/env bash
# bench/coldstart.sh: a cold start of the PDP against a cold start of OPA on the same policy.
#
#   1. For each JVM option set, RUNS starts of `pdp serve` (built-in bundle, decision log off, a
#      fresh data directory): exec to the "pdp serving" line (health SERVING), the warm-up that
#      line reports, and exec to the first answered Decide.
#   2. One PDP and one OPA start (`opa run --server -b policies/src`): exec to SERVING (OPA: its
#      first healthy /health), then RATE decisions/s (default: as many as 16 callers get) for
#      SECONDS, reported as p50, p99 and throughput per 5 s window counted from SERVING; then the
#      issue 12 targets: the first 10 s against OPA's last 60 s (warm) and the PDP's own last 60 s.
#
# Usage: bench/coldstart.sh [RUNS]      (default 3)
# Environment: SECONDS_AFTER (default 120), RATE (decisions/s, default max: a closed loop of 16
# callers, so that the windows show the throughput the issue's target is about), COLD_OPTION_SETS
# (';'-separated JVM option sets for part 1, default " ;-XX:-DontCompileHugeMethods"),
# PDP_JAVA_OPTS (the PDP's JVM options in part 2), WARMUP_TIMEOUT (--warmup-timeout; default the
# server's), JAVA_HOME, JAR, OPA, SERVER_CPU/LOAD_CPU. Needs ghz and vegeta in .tools/bin
# (bench/run.sh installs them). Binds 127.0.0.1 only; stops everything it started.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
script=coldstart
# shellcheck source=lib/servers.sh
. "$bench/lib/servers.sh"
runs=${1:-3}
seconds=${SECONDS_AFTER:-120}
rate=${RATE:-max}
warmup_flag=(${WARMUP_TIMEOUT:+--warmup-timeout "$WARMUP_TIMEOUT"})
first_request=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[0]))' "$work/decide.json")

echo "java: $(java -version 2>&1 | sed -n 1p); opa: $("$opa" version | sed -n 1p); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| JVM options | run | exec to SERVING (ms) | engine warm-up ms | evaluations | settled | decision-port warm-up ms | calls | settled | exec to first answer (ms) |"
echo "|---|---:|---:|---:|---:|---|---:|---:|---|---:|"
IFS=';' read -r -a option_sets <<< "${COLD_OPTION_SETS:- ;-XX:-DontCompileHugeMethods}"
for options in "${option_sets[@]}"; do
  for run in $(seq "$runs"); do
    PDP_JAVA_OPTS=$options start_pdp cold --no-audit ${warmup_flag[@]+"${warmup_flag[@]}"}
    "$ghz" --insecure --call pdp.v1.DecisionService.Decide -d "$first_request" -n 1 -c 1 "127.0.0.1:${ports[0]}" \
      > "$work/first" 2>&1 && grep -q '\[OK\] *1 responses' "$work/first" \
      || { cat "$work/first" >&2; die "the first Decide was not answered OK"; }
    answered=$(now_ns)
    read -r ms evaluations settled <<< "$(pdp_warmup cold)"
    read -r door_ms door_calls door_settled <<< "$(pdp_warmup cold front_door_warmup)"
    label=$(printf '%s' "$options" | xargs)
    echo "| \`${label:-(none)}\` | $run | $(( (pdp_serving_ns - pdp_started_ns) / 1000000 )) | $ms | $evaluations | $settled | $door_ms | $door_calls | $door_settled | $(( (answered - pdp_started_ns) / 1000000 )) |"
    stop_all
  done
done

echo
start_pdp pdp --no-audit ${warmup_flag[@]+"${warmup_flag[@]}"}
pdp_to_serving=$(( (pdp_serving_ns - pdp_started_ns) / 1000000 ))
jit_share "$pdp_pid" "$seconds" "$work/pdp-jit.md" &
jit_sampler=$!
pdp_load "$seconds" "$rate" "$work/pdp.json"
wait "$jit_sampler" || true
stop_all
start_opa
opa_to_serving=$(( (opa_serving_ns - opa_started_ns) / 1000000 ))
opa_load "$seconds" "$rate" "$work/opa.csv"
stop_all
echo "exec to SERVING: PDP $pdp_to_serving ms (engine warm-up: $(pdp_warmup pdp) = ms evaluations settled; decision port: $(pdp_warmup pdp front_door_warmup) = ms calls settled), OPA $opa_to_serving ms;"
echo "then $rate decisions/s for $seconds s (PDP: ghz Decide; OPA: vegeta POST /v1/data/contract/decision):"
echo
window_header
python3 "$lib" windows --tool ghz --raw "$work/pdp.json" --label PDP --since-ns "$pdp_serving_ns"
python3 "$lib" windows --tool vegeta --raw "$work/opa.csv" --label OPA --since-ns "$opa_serving_ns"
echo
echo "Where the PDP's CPU went after SERVING (its JIT compiler threads' share, from /proc):"
echo
echo "| seconds after SERVING | PDP CPU (cores) | JIT compiler share |"
echo "|---|---:|---:|"
cat "$work/pdp-jit.md"
echo
python3 "$lib" cold-targets --pdp "$work/pdp.json" --pdp-since-ns "$pdp_serving_ns" \
  --opa "$work/opa.csv" --opa-since-ns "$opa_serving_ns" --first 10 --last "$((seconds / 2))"
