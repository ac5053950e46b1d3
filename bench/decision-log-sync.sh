#!/usr/bin/env bash
# bench/decision-log-sync.sh: latency at half load with the decision log forced per batch
# (--decision-log-sync fsync, the default), written per batch and forced every interval
# (--decision-log-sync write), and off (--no-audit).
#
# Half load is half the maximum throughput of the PDP with the default (fsync) log, measured first
# with a closed loop of 16 callers for MAX_SECONDS. Then, for each mode, a fresh PDP takes that
# rate for WARM_SECONDS (not measured) and SECONDS_MEASURED (measured): p50 and p99 of the whole
# measured run (one row per mode), and its errors.
#
# Usage: bench/decision-log-sync.sh
# Environment: MAX_SECONDS (default 20), WARM_SECONDS (default 60), SECONDS_MEASURED (default 60),
# RATE (skip the maximum and use this rate), SYNC_INTERVAL (--decision-log-sync-interval, default
# the server's), PDP_JAVA_OPTS, JAVA_HOME, JAR, SERVER_CPU/LOAD_CPU. Needs ghz and vegeta in
# .tools/bin (bench/run.sh installs them). The log is written under $TMPDIR: put that on the disk
# to be measured.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
script=decision-log-sync
# shellcheck source=lib/servers.sh
. "$bench/lib/servers.sh"
warm=${WARM_SECONDS:-60}
measured=${SECONDS_MEASURED:-60}
interval_flag=(${SYNC_INTERVAL:+--decision-log-sync-interval "$SYNC_INTERVAL"})

rate=${RATE:-}
if [ -z "$rate" ]; then
  start_pdp max
  "${on_load_cpu[@]}" "$ghz" --insecure --call pdp.v1.DecisionService.Decide --data-file "$work/decide.json" \
    -c 16 -z "${MAX_SECONDS:-20}s" --timeout 10s -O json -o "$work/max.json" "127.0.0.1:${ports[0]}" \
    2>> "$work/ghz.log" || die "ghz failed; see $work/ghz.log"
  stop_all
  rate=$(python3 -c 'import json,sys; print(max(1, int(json.load(open(sys.argv[1]))["rps"] / 2)))' "$work/max.json")
  say "maximum with --decision-log-sync fsync: $((rate * 2))/s (closed loop, 16 callers); half load: $rate/s"
fi

echo "java: $(java -version 2>&1 | sed -n 1p); load average: $(cut -d' ' -f1-3 /proc/loadavg); log under ${TMPDIR:-/tmp}"
echo "$rate decisions/s (half load), $measured s measured after $warm s at that rate"
echo
echo "| decision log | seconds | answered | per second | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
for mode in fsync write off; do
  case $mode in
    off) flags=(--no-audit) ;;
    *) flags=(--decision-log-sync "$mode" ${interval_flag[@]+"${interval_flag[@]}"}) ;;
  esac
  start_pdp "$mode" "${flags[@]}"
  pdp_load "$warm" "$rate" "$work/$mode-warm.json"
  pdp_load "$measured" "$rate" "$work/$mode.json"
  stop_all
  python3 "$lib" windows --tool ghz --raw "$work/$mode.json" --label "$mode" --window "$measured" --whole
done
