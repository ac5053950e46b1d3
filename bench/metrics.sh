#!/usr/bin/env bash
# bench/metrics.sh: what Prometheus metrics cost a decision (issue 11: "metrics must not slow
# decisions measurably").
#
# The same jar, the decision log on as it ships, in two modes: without --metrics-port (no metrics
# registry exists) and with it, scraped every SCRAPE_INTERVAL seconds while the load runs (much
# more often than a Prometheus would). The modes alternate (off, on, on, off, ...) so that neither
# gets the machine's better minutes. For each run: a fresh PDP, WARM_SECONDS at RATE (not
# measured), MAX_SECONDS of closed loop (16 callers) for the maximum and the server's CPU per
# decision, then MEASURE_SECONDS at RATE for p50 and p99.
#
# Usage: bench/metrics.sh [ROUNDS]      (default 2: off on on off)
# Environment: RATE (default 1000/s), WARM_SECONDS (default 60), MAX_SECONDS (default 20),
# MEASURE_SECONDS (default 30), SCRAPE_INTERVAL (default 1), PDP_JAVA_OPTS, JAVA_HOME, JAR,
# SERVER_CPU/LOAD_CPU. Needs ghz and vegeta in .tools/bin (bench/run.sh installs them).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
script=metrics
# shellcheck source=lib/servers.sh
. "$bench/lib/servers.sh"
rounds=${1:-2}
rate=${RATE:-1000}
warm=${WARM_SECONDS:-60}
max_seconds=${MAX_SECONDS:-20}
measured=${MEASURE_SECONDS:-30}
scrape_interval=${SCRAPE_INTERVAL:-1}
read -r metrics_port <<< "$(python3 "$lib" free-ports 1)"

scrape_until_stopped() {
  local scrapes=0
  while [ ! -e "$work/stop-scraping" ]; do
    curl -fsS "http://127.0.0.1:$metrics_port/metrics" > "$work/last-scrape" && scrapes=$((scrapes + 1))
    sleep "$scrape_interval"
  done
  echo "$scrapes" > "$work/scrapes"
}

run_mode() { # MODE ROUND
  local mode=$1 round=$2 flags=() before after scraper=
  [ "$mode" = on ] && flags=(--metrics-port "$metrics_port")
  start_pdp "$mode-$round" ${flags[@]+"${flags[@]}"}
  if [ "$mode" = on ]; then
    rm -f "$work/stop-scraping"
    scrape_until_stopped &
    scraper=$!
  fi
  pdp_load "$warm" "$rate" "$work/$mode-$round-warm.json"
  before=$(cpu_ticks "$pdp_pid")
  "${on_load_cpu[@]}" "$ghz" --insecure --call pdp.v1.DecisionService.Decide --data-file "$work/decide.json" \
    -c 16 -z "${max_seconds}s" --timeout 10s -O json -o "$work/$mode-$round-max.json" "127.0.0.1:${ports[0]}" \
    2>> "$work/ghz.log" || die "ghz failed; see $work/ghz.log"
  after=$(cpu_ticks "$pdp_pid")
  pdp_load "$measured" "$rate" "$work/$mode-$round.json"
  if [ -n "$scraper" ]; then
    touch "$work/stop-scraping"
    wait "$scraper"
    grep -q '^pdp_decisions_total' "$work/last-scrape" || die "the scrape had no pdp_decisions_total"
  fi
  stop_all
  python3 - "$work/$mode-$round-max.json" "$((after - before))" "$(getconf CLK_TCK)" "$mode" "$round" \
    "$(cat "$work/scrapes" 2>/dev/null || echo -)" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ticks, hz, mode, rnd, scrapes = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
answered = sum(n for status, n in report.get("statusCodeDistribution", {}).items() if status == "OK")
cpu_us = ticks / hz * 1e6 / answered if answered else float("nan")
print("| %s | %s | %.0f | %.1f | %s |" % (mode, rnd, report["rps"], cpu_us, scrapes if mode == "on" else "-"), end="")
PY
  python3 "$lib" windows --tool ghz --raw "$work/$mode-$round.json" --label x --window "$measured" --whole \
    | awk -F'|' '{ printf " %s | %s | %s |\n", $6, $7, $8 }'
  rm -f "$work/scrapes"
}

echo "java: $(java -version 2>&1 | sed -n 1p); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "decision log on; $warm s warm at $rate/s, $max_seconds s closed loop (16 callers), $measured s at $rate/s; scrape every $scrape_interval s"
echo
echo "| metrics | round | max decisions/s | server CPU per decision at max (µs) | scrapes | p50 ms at $rate/s | p99 ms at $rate/s | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order=(off on); else order=(on off); fi
  for mode in "${order[@]}"; do run_mode "$mode" "$round"; done
done
