#!/usr/bin/env bash
# bench/instances.sh: which --instances serves this machine best. Runs the PDP (decision log
# off, not pinned: it gets every core, as in production) with each instance count in turn and
# drives Decide with ghz, closed loop, over the contract mix; prints a Markdown table.
#
# Usage: bench/instances.sh [COUNT...]     (default: 1 2 4)
# Environment: WARMUP_SECONDS (default 60), MEASURE_SECONDS (default 20), CONCURRENCY (default 16).
# Needs what bench/run.sh built and installed (server/target, .tools/bin/ghz): run that first.
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
ghz=$root/.tools/bin/ghz
jar=$root/server/target/pdp-server.jar
warmup=${WARMUP_SECONDS:-60} measure=${MEASURE_SECONDS:-20} concurrency=${CONCURRENCY:-16}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 4)
[ -x "$ghz" ] && [ -f "$jar" ] || { echo "bench/instances.sh: run bench/run.sh first (needs $ghz and $jar)" >&2; exit 1; }

# The PDP refuses JDK 17 (docs/jdk.md): run it on the newest JDK 21+.
JAVA_HOME=$("$root/bin/newest-jdk" 21) || { echo "bench/instances.sh: no JDK 21 or later is installed" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdp-instances.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
python3 "$bench/lib/benchlib.py" mix "$root/server/src/test/resources/contract-cases" "$tmp" \
  http://127.0.0.1:1/unused > /dev/null
read -r port admin <<< "$(python3 "$bench/lib/benchlib.py" free-ports 2)"
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

echo "| --instances | throughput (req/s) | p50 (ms) | p99 (ms) | server CPU (cores) | errors |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
  rm -rf "$tmp/data"
  java -jar "$jar" serve --port "$port" --admin-port "$admin" --data-dir "$tmp/data" --no-audit \
    --instances "$n" > "$tmp/pdp-$n.log" 2>&1 &
  pid=$!
  until grep -q '"pdp serving"' "$tmp/pdp-$n.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/pdp-$n.log" >&2; exit 1; }
    sleep 0.2
  done
  run() { # SECONDS [GHZ OPTIONS...]
    local seconds=$1; shift
    "$ghz" --insecure --call pdp.v1.DecisionService.Decide --data-file "$tmp/decide.json" \
      -c "$concurrency" -z "${seconds}s" --timeout 10s "$@" "127.0.0.1:$port"
  }
  run "$warmup" > /dev/null
  t0=$(ticks "$pid") w0=$(date +%s.%N)
  run "$measure" -O json -o "$tmp/ghz-$n.json"
  t1=$(ticks "$pid") w1=$(date +%s.%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  python3 - "$tmp/ghz-$n.json" "$n" "$((t1 - t0))" "$(getconf CLK_TCK)" "$w0" "$w1" <<'PY'
import json, sys
report, n, ticks, tck, w0, w1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
d = json.load(open(report))
lat = {p["percentage"]: p["latency"] / 1e6 for p in d.get("latencyDistribution") or []}
ok = d.get("statusCodeDistribution", {}).get("OK", 0)
print("| %s | %.0f | %.3f | %.3f | %.2f | %d |" % (n, ok / (d["total"] / 1e9), lat.get(50, 0), lat.get(99, 0),
      ticks / tck / (w1 - w0), d["count"] - ok))
PY
done
