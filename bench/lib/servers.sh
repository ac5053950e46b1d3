# Sourced by bench/coldstart.sh, bench/activation.sh and bench/decision-log-sync.sh: the jars and
# tools they need, a PDP or OPA started on loopback and stopped on exit, fixed-rate load and its
# 5 s windows. Everything started here is pinned as bench/run.sh pins: servers on SERVER_CPU
# (default 1), load tools on LOAD_CPU (default 0), when there are 2 CPUs and taskset.
# Expects $bench, $root and $script (the caller's name) to be set.

lib=$bench/lib/benchlib.py
# shellcheck source=proc.sh
. "$bench/lib/proc.sh"
cases_dir=$root/server/src/test/resources/contract-cases
tools=$root/.tools/bin
ghz=$tools/ghz vegeta=$tools/vegeta
say() { echo "$script: $*" >&2; }
die() { echo "$script: $*" >&2; exit 1; }

JAVA_HOME=${JAVA_HOME:-$("$root/bin/newest-jdk" 21)} || die "no JDK 21 or later is installed (docs/jdk.md)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
server_jar=${JAR:-$root/server/target/pdp-server.jar}
[ -f "$server_jar" ] || die "$server_jar is missing: mvn -B -pl server -am package -DskipTests"
[ -x "$ghz" ] && [ -x "$vegeta" ] || die "ghz and vegeta are missing from $tools: bench/run.sh installs them"
opa=${OPA:-$(cat "$root/policies/target/opa.path" 2>/dev/null || command -v opa)}

if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  on_server_cpu=(taskset -c "${SERVER_CPU:-1}") on_load_cpu=(taskset -c "${LOAD_CPU:-0}")
else
  on_server_cpu=(env) on_load_cpu=(env)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pdp-$script.XXXXXX")
pids=()
stop_all() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

read -r -a ports <<< "$(python3 "$lib" free-ports 3)"
opa_url=http://127.0.0.1:${ports[2]}/v1/data/contract/decision
python3 "$lib" mix "$cases_dir" "$work" "$opa_url" >&2

now_ns() { date +%s%N; }

# start_pdp NAME [SERVE FLAGS...]: starts pdp serve on ports[0]/ports[1] with its own data
# directory; sets pdp_pid, pdp_started_ns (exec) and pdp_serving_ns (its "pdp serving" line).
start_pdp() {
  local name=$1; shift
  rm -rf "$work/$name-data" && mkdir -p "$work/$name-data"
  pdp_started_ns=$(now_ns)
  # shellcheck disable=SC2086  # PDP_JAVA_OPTS is a list of JVM options, as in ./pdp
  "${on_server_cpu[@]}" java ${PDP_JAVA_OPTS:-} -jar "$server_jar" serve --bind 127.0.0.1 --port "${ports[0]}" \
    --admin-port "${ports[1]}" --data-dir "$work/$name-data" "$@" > "$work/$name.log" 2>&1 &
  pdp_pid=$!
  pids+=("$pdp_pid")
  for _ in $(seq 12000); do
    grep -q '"pdp serving"' "$work/$name.log" && break
    kill -0 "$pdp_pid" 2>/dev/null || { cat "$work/$name.log" >&2; die "$name exited before serving"; }
    sleep 0.01
  done
  pdp_serving_ns=$(now_ns)
  grep -q '"pdp serving"' "$work/$name.log" || die "$name did not serve in 120 s; see its log above"
}

# The warm-up the PDP's serving line reports, as "ms evaluations settled" (or "- - -"); with KEY
# front_door_warmup, the decision port's warm-up, as "ms calls settled".
pdp_warmup() {
  local w key=${2:-warmup}
  w=$(grep -m1 '"pdp serving"' "$work/$1.log" | grep -o "\"$key\":{[^}]*}" || true)
  [ -n "$w" ] || { echo "- - -"; return; }
  field() { printf '%s' "$w" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
  echo "$(field ms) $(field evaluations)$(field calls) $(field settled)"
}

# start_opa: opa run --server on ports[2] with a copy of policies/src (the sources of the PDP's
# built-in bundle); sets opa_pid, opa_started_ns and opa_serving_ns (first healthy answer).
start_opa() {
  rm -rf "$work/policy" && cp -r "$root/policies/src" "$work/policy"
  opa_started_ns=$(now_ns)
  "${on_server_cpu[@]}" "$opa" run --server --addr "127.0.0.1:${ports[2]}" --log-level error --skip-version-check \
    -b "$work/policy" > "$work/opa.log" 2>&1 &
  opa_pid=$!
  pids+=("$opa_pid")
  for _ in $(seq 12000); do
    curl -fsS "http://127.0.0.1:${ports[2]}/health" > /dev/null 2>&1 && break
    kill -0 "$opa_pid" 2>/dev/null || { cat "$work/opa.log" >&2; die "opa exited before serving"; }
    sleep 0.01
  done
  opa_serving_ns=$(now_ns)
}

# pdp_load SECONDS RATE OUTPUT: Decide at a fixed rate (at most 16 in flight) for SECONDS; ghz JSON.
# RATE "max" is a closed loop of 16 callers instead: each sends again as soon as it is answered.
pdp_load() {
  local rate_flag=(--rps "$2")
  [ "$2" = max ] && rate_flag=()
  "${on_load_cpu[@]}" "$ghz" --insecure --call pdp.v1.DecisionService.Decide --data-file "$work/decide.json" \
    -c 16 "${rate_flag[@]}" -z "$1s" --timeout 10s -O json -o "$3" "127.0.0.1:${ports[0]}" 2>> "$work/ghz.log" \
    || die "ghz failed; see $work/ghz.log"
}

# opa_load SECONDS RATE OUTPUT: POST /v1/data/contract/decision at a fixed rate; vegeta CSV.
# RATE "max" is a closed loop of 16 workers, as for pdp_load.
opa_load() {
  local rate=$2/1s
  [ "$2" = max ] && rate=0
  "${on_load_cpu[@]}" "$vegeta" attack -format=json -targets="$work/opa-targets.jsonl" -duration="$1s" \
    -rate="$rate" -workers=16 -max-workers=16 -timeout=10s -max-body=0 > "$3.bin" 2>> "$work/vegeta.log" \
    || die "vegeta failed; see $work/vegeta.log"
  "$vegeta" encode --to csv < "$3.bin" > "$3"
}

window_header() {
  echo "| system | seconds after SERVING | answered | per second | p50 ms | p99 ms | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|"
}

# jit_share PID SECONDS OUTPUT: every 5 s for SECONDS, the CPU the process used in that window
# (cores) and the share of it its JIT compiler threads used (from /proc/PID/task/*/stat), as the
# rows of a markdown table. Runs in the background beside a load.
jit_share() {
  local pid=$1 seconds=$2 out=$3 hz t=0 total jit last_total=0 last_jit=0
  hz=$(getconf CLK_TCK)
  : > "$out"
  while [ "$t" -lt "$seconds" ] && kill -0 "$pid" 2>/dev/null; do
    total=$(cpu_ticks "$pid") jit=$(jit_ticks "$pid") || break
    if [ "$t" -gt 0 ]; then
      python3 -c 'import sys; t, tot, jit, hz = (int(a) for a in sys.argv[1:]); print("| %d–%d | %.2f | %.0f%% |" % (t - 5, t, tot / hz / 5, 100 * jit / tot if tot else 0))' \
        "$t" "$((total - last_total))" "$((jit - last_jit))" "$hz" >> "$out"
    fi
    last_total=$total last_jit=$jit
    sleep 5
    t=$((t + 5))
  done
}
