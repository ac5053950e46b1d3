#!/usr/bin/env bash
# bench/activation.sh: p99 in 5 s windows before and after a bundle activation under load.
#
# The PDP (built-in contract bundle, as it ships) takes a fixed RATE of decisions; after
# WARM_SECONDS of unmeasured load, SECONDS_MEASURED of load are measured, and half way through a
# new revision of the contract (the same Rego plus one rule, so policy.wasm is new and compiled
# anew; the built-in warm-up inputs copied in) is pushed and activated with `pdp bundle push
# --activate`. The table gives each 5 s window, counted from the start of the measured load, and
# when the push was sent and answered (the new revision was compiled, checked and warmed up by
# then; decisions went to the old one meanwhile).
#
# Usage: bench/activation.sh
# Environment: RATE (default 1000/s), WARM_SECONDS (default 60), SECONDS_MEASURED (default 150, so that the 30 s after the swap are measured),
# PDP_FLAGS (extra serve flags, e.g. "--no-audit"), PDP_JAVA_OPTS, JAVA_HOME, JAR, OPA,
# SERVER_CPU/LOAD_CPU. Needs ghz and vegeta in .tools/bin (bench/run.sh installs them).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
script=activation
# shellcheck source=lib/servers.sh
. "$bench/lib/servers.sh"
rate=${RATE:-1000}
warm=${WARM_SECONDS:-60}
measured=${SECONDS_MEASURED:-150}
policies_jar=$(find "$(dirname "$server_jar")/lib" -name 'pdp-policies-*.jar' | sed -n 1p)
[ -n "$policies_jar" ] || die "no pdp-policies jar beside $server_jar"
python3 "$bench/lib/new_revision.py" "$opa" "$policies_jar" "$root/policies/src" contract/decision \
  "bench-activation-$(date +%s)" "$work/next.tar.gz"

# shellcheck disable=SC2086  # PDP_FLAGS is a list of serve flags
start_pdp pdp ${PDP_FLAGS:-}
say "serving (warm-up: $(pdp_warmup pdp) = ms evaluations settled); $warm s of load before measuring"
pdp_load "$warm" "$rate" "$work/warm.json"
measure_start=$(now_ns)
pdp_load "$measured" "$rate" "$work/measured.json" &
load_pid=$!
sleep $((measured / 2))
push_sent=$(now_ns)
java -jar "$server_jar" bundle push "$work/next.tar.gz" --activate --address "127.0.0.1:${ports[1]}" \
  --token-file "$work/pdp-data/admin.tokens" > "$work/push.out" 2>&1 || { cat "$work/push.out" >&2; die "the push failed"; }
push_answered=$(now_ns)
wait "$load_pid"
stop_all
echo "java: $(java -version 2>&1 | sed -n 1p); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$rate decisions/s; push of the new revision sent at $(( (push_sent - measure_start) / 1000000 )) ms,"
echo "answered (activated) at $(( (push_answered - measure_start) / 1000000 )) ms after the start of the measured load"
echo
echo "| system | seconds into the measured load | answered | per second | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
python3 "$lib" windows --tool ghz --raw "$work/measured.json" --label PDP --since-ns "$measure_start"
echo
python3 "$lib" activation-targets --raw "$work/measured.json" --start-ns "$measure_start" --push-ns "$push_sent" \
  --activated-ns "$push_answered" --after 30
