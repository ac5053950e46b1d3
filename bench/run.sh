#!/usr/bin/env bash
# bench/run.sh: measures the Redline PDP the way its users judge it, against OPA serving the
# same contract policy over REST and against the floor of a gRPC call that does nothing; then
# in process (JMH on the engine and the SDK, `opa bench` on OPA's evaluator).
#
# Usage: bench/run.sh [--full] [--no-build] [--skip-load] [--skip-jmh] [--skip-startup] [-c N] [-h]
#
#   (default)    a short trial: 5 s warm-up, 5 s per measurement, short JMH settings (~4 min)
#   --full       the real run, for a quiet machine: 120 s warm-up, 60 s per measurement,
#                full JMH settings, then the start-up scripts at their defaults (~50 min)
#   --no-build   use the jars already built (server/target, bench/target)
#   --skip-load  only the in-process benchmarks (JMH and opa bench)
#   --skip-jmh   only the load benchmarks (PDP, OPA, gRPC floor)
#   --skip-startup  without the start-up part: cold start against OPA (coldstart.sh), activation
#                under load (activation.sh), the decision log's durability modes
#                (decision-log-sync.sh). A trial run gives them short durations.
#   -c N         concurrency of every load run (default 16)
#
# Environment: WARMUP_SECONDS and MEASURE_SECONDS override the durations; PDP_JAVA_OPTS is passed
# to the PDP's JVM (as ./pdp does); SERVER_CPU (default 1) and LOAD_CPU (default 0) choose the
# cores the servers and the load tools are pinned to.
#
# Writes bench/RESULTS.md and bench/results.json; raw data and logs go to bench/results/<time>/
# (git-ignored). Installs ghz and vegeta with `go install` into .tools/bin when missing. Every
# load targets 127.0.0.1 only and runs for a fixed time; everything started here is stopped on exit.
set -euo pipefail

GHZ_MODULE=github.com/bojand/ghz/cmd/ghz
GHZ_VERSION=v0.120.0
VEGETA_MODULE=github.com/tsenart/vegeta/v12
VEGETA_VERSION=v12.13.0
# The contract cases the in-process benchmarks use; keep in step with EngineBenchmark's @Param.
ENGINE_CASES_FULL=(allowed-logistics allowed-targeting-human-decision denied-autonomous-targeting
                   mass-domestic-surveillance several-violations-at-once)
ENGINE_CASES_SHORT=(allowed-logistics denied-autonomous-targeting)

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
tools=$root/.tools/bin
lib=$bench/lib/benchlib.py
cases_dir=$root/server/src/test/resources/contract-cases
command_line="bench/run.sh${*:+ $*}"

full=false build=true load=true jmh=true startup=true concurrency=16
while [ $# -gt 0 ]; do
  case $1 in
    --full) full=true ;;
    --no-build) build=false ;;
    --skip-load) load=false ;;
    --skip-jmh) jmh=false ;;
    --skip-startup) startup=false ;;
    -c) concurrency=${2:?-c needs a number}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if $full; then
  warmup_seconds=${WARMUP_SECONDS:-120} measure_seconds=${MEASURE_SECONDS:-60} rate_warmup_seconds=10
  engine_cases=("${ENGINE_CASES_FULL[@]}") opa_bench_count=5
  jmh_settings=()   # the benchmarks' own annotations: 5 x 2 s warm-up, 10 x 2 s measurement
else
  warmup_seconds=${WARMUP_SECONDS:-5} measure_seconds=${MEASURE_SECONDS:-5} rate_warmup_seconds=2
  engine_cases=("${ENGINE_CASES_SHORT[@]}") opa_bench_count=1
  jmh_settings=(-wi 2 -w 1s -i 3 -r 1s -p "contractCase=$(IFS=,; echo "${ENGINE_CASES_SHORT[*]}")")
fi
server_cpu=${SERVER_CPU:-1} load_cpu=${LOAD_CPU:-0}

say() { echo "bench: $*" >&2; }
die() { echo "bench/run.sh: $*" >&2; exit 1; }

# The PDP refuses JDK 17 (docs/jdk.md); Maven and every JVM started here use the newest JDK 21+.
JAVA_HOME=$("$root/bin/newest-jdk" 21) || die "no JDK 21 or later is installed (docs/jdk.md)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

# --- where things go, and stopping everything we start -----------------------------------------

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$bench/results/$stamp
mkdir -p "$work/raw/opa-bench" "$work/pieces" "$work/logs"
ln -sfn "$stamp" "$bench/results/latest"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdp-bench.XXXXXX")

pids=()   # the servers started here, and only those, are stopped by stop_servers
stop_servers() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do
    kill -CONT "$pid" 2>/dev/null || true   # a paused server must run to stop cleanly
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_servers
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- pinning ------------------------------------------------------------------------------------

# Command prefixes, not functions: a server started as `"${on_server_cpu[@]}" java ... &` is the
# background job itself (taskset and env exec the command), so $! is the server's own pid, the
# one whose /proc/PID/stat is read and which is stopped at the end.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  pinning="servers (PDP, OPA) and in-process benchmarks on CPU $server_cpu, load tools (ghz, vegeta) on CPU $load_cpu (taskset)"
  on_server_cpu=(taskset -c "$server_cpu")
  on_load_cpu=(taskset -c "$load_cpu")
else
  pinning="none (fewer than 2 CPUs or no taskset): servers and load tools share the CPUs"
  on_server_cpu=(env)
  on_load_cpu=(env)
fi
say "pinning: $pinning"

# --- build and tools ----------------------------------------------------------------------------

if $build; then
  say "building proto, policies, server, sdk and bench in one reactor (mvn -pl bench -am package -DskipTests)"
  offline=-o   # only the first run needs Maven Central, for JMH
  [ -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-generator-annprocess" ] || offline=
  (cd "$root" && mvn -q -B $offline -Dstyle.color=never -pl bench -am package -DskipTests) >&2 \
    || die "the build failed"
fi
[ -f "$root/server/target/pdp-server.jar" ] || die "server/target/pdp-server.jar is missing; run without --no-build"
[ -f "$bench/target/pdp-bench.jar" ] || die "bench/target/pdp-bench.jar is missing; run without --no-build"
# Private copies, so a concurrent rebuild of server/ or bench/ cannot change the jars mid-run.
mkdir -p "$tmp/server" "$tmp/bench"
cp -r "$root/server/target/pdp-server.jar" "$root/server/target/lib" "$tmp/server/"
cp -r "$bench/target/pdp-bench.jar" "$bench/target/lib" "$tmp/bench/"
server_jar=$tmp/server/pdp-server.jar bench_jar=$tmp/bench/pdp-bench.jar

# OPA serves, and opa bench evaluates, a copy of policies/src taken now, checked to be the very
# sources the PDP's bundle was built from: policies/build.sh names the bundle revision after a
# digest of them. (The bundle's own Rego cannot serve: `opa build -t wasm` moves the entrypoint
# rule into policy.wasm.)
policies_jar=$(find "$tmp/server/lib" -name 'pdp-policies-*.jar' | sed -n 1p)
[ -n "$policies_jar" ] || die "no pdp-policies jar in server/target/lib"
bundle_revision=$(python3 "$lib" bundle-revision "$policies_jar")
policy=$tmp/policy
mkdir -p "$policy"
cp -r "$root/policies/src/." "$policy/"
src_revision="sha256:$(cd "$policy" && find . -type f ! -name '.manifest' -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
[ "$src_revision" = "$bundle_revision" ] || die "policies/src (revision $src_revision) is not what the \
PDP's bundle was built from ($bundle_revision): it changed since the build; run again (without --no-build)"
say "policy: bundle revision $bundle_revision; OPA gets the same sources"

opa_version=$(sed -n 's:.*<opa.version>\(.*\)</opa.version>.*:\1:p' "$root/pom.xml")
opa=$root/.tools/opa-$opa_version/opa
[ -x "$opa" ] || die "$opa is missing: it is built by policies/build.sh (run without --no-build)"

go_tool_version() { go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'; }
install_go_tool() { # NAME MODULE VERSION
  local bin=$tools/$1
  if [ -x "$bin" ] && { ! command -v go >/dev/null || [ "$(go_tool_version "$bin")" = "$3" ]; }; then
    return
  fi
  command -v go >/dev/null || die "$1 is not in $tools and Go is not installed to build it"
  say "installing $1 $3 with go install into $tools (first run only)"
  mkdir -p "$tools"
  GOBIN=$tools GOFLAGS=-buildvcs=false go install "$2@$3" >&2 || die "go install $2@$3 failed"
}
if $load; then
  install_go_tool ghz "$GHZ_MODULE" "$GHZ_VERSION"
  install_go_tool vegeta "$VEGETA_MODULE" "$VEGETA_VERSION"
fi
ghz=$tools/ghz vegeta=$tools/vegeta

# --- the machine, the versions, the input mix ---------------------------------------------------

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
loadavg_start=$(loadavg)
java_version=$(java -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
git_dirty=false
[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ] || git_dirty=true

read -r -a ports <<< "$(python3 "$lib" free-ports 5)"
opa_url=http://127.0.0.1:${ports[4]}/v1/data/contract/decision
python3 "$lib" mix "$cases_dir" "$work" "$opa_url" >&2

# --- servers ------------------------------------------------------------------------------------

declare -A server_pid server_port system_server
pdp_instances=unknown
clk_tck=$(getconf CLK_TCK)

# shellcheck source=lib/proc.sh
. "$bench/lib/proc.sh"
now() { date +%s.%N; }
# CPU seconds (user + system) of every child this shell has waited for, from a file written by
# the `times` builtin (run in this shell, not in $(...): a subshell starts with no children). The
# delta over a run is the load tool's own CPU time.
children_cpu() { awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } print s }' "$1"; }

wait_until() { # NAME PID SECONDS COMMAND...: waits until COMMAND succeeds while PID lives
  local name=$1 pid=$2 deadline=$((SECONDS + $3)); shift 3
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "$name exited before serving; see $work/logs/$name.log"
    [ "$SECONDS" -lt "$deadline" ] || die "$name is not serving after $3 s; see $work/logs/$name.log"
    sleep 0.2
  done
}

start_pdp() { # NAME PORT ADMIN_PORT [EXTRA FLAGS...]
  local name=$1 port=$2 admin=$3; shift 3
  mkdir -p "$tmp/$name-data"
  # shellcheck disable=SC2086  # PDP_JAVA_OPTS is a list of JVM options, as in ./pdp
  "${on_server_cpu[@]}" java ${PDP_JAVA_OPTS:-} -jar "$server_jar" serve --port "$port" --admin-port "$admin" \
    --data-dir "$tmp/$name-data" "$@" > "$work/logs/$name.log" 2>&1 &
  server_pid[$name]=$! server_port[$name]=$port
  pids+=($!)
  wait_until "$name" "$!" 120 grep -q '"pdp serving"' "$work/logs/$name.log"
  java -cp "$bench_jar" dev.redline.pdp.bench.LiveCheck "127.0.0.1:$port" "$cases_dir" >&2
  pdp_instances=$(grep -o '"instances":[0-9]*' "$work/logs/$name.log" | sed -n 1p | cut -d: -f2)
  say "$name serving on 127.0.0.1:$port (pid ${server_pid[$name]}, $pdp_instances policy instances)"
}

start_opa() { # NAME PORT
  local name=$1 port=$2
  "${on_server_cpu[@]}" "$opa" run --server --addr "127.0.0.1:$port" --log-level error --skip-version-check \
    -b "$policy" > "$work/logs/$name.log" 2>&1 &
  server_pid[$name]=$! server_port[$name]=$port
  pids+=($!)
  wait_until "$name" "$!" 60 curl -fsS "http://127.0.0.1:$port/health"
  python3 "$lib" opa-check "$cases_dir" "$opa_url" >&2
  say "$name serving on 127.0.0.1:$port (pid ${server_pid[$name]})"
}

# An idle server still runs timers and GC; pausing the ones not under load keeps them off the
# measured server's core.
pause() { kill -STOP "${server_pid[$1]}"; }
resume() { kill -CONT "${server_pid[$1]}"; }

# --- load ---------------------------------------------------------------------------------------

# drive SYSTEM SECONDS RATE OUTPUT: one bounded load run; RATE 0 is a closed loop at $concurrency.
drive() {
  local system=$1 seconds=$2 rate=$3 output=$4 server=${system_server[$1]}
  local port=${server_port[$server]}
  case $system in
    opa)
      local rate_arg=0
      [ "$rate" -eq 0 ] || rate_arg=$rate/1s
      "${on_load_cpu[@]}" "$vegeta" attack -format=json -targets="$work/opa-targets.jsonl" -duration="${seconds}s" \
        -rate="$rate_arg" -workers="$concurrency" -max-workers="$concurrency" -timeout=10s -max-body=0 \
        > "$output.bin" 2>> "$work/logs/vegeta.log" || die "vegeta failed; see $work/logs/vegeta.log"
      ;;
    *)
      local call=pdp.v1.DecisionService.Decide data=$work/decide.json
      if [ "$system" = grpc-floor ]; then
        call=grpc.health.v1.Health.Check data=$work/health.json
      fi
      local args=(--insecure --call "$call" --data-file "$data" -c "$concurrency" -z "${seconds}s"
                  --timeout 10s -O json -o "$output.json")
      [ "$rate" -eq 0 ] || args+=(--rps "$rate")
      "${on_load_cpu[@]}" "$ghz" "${args[@]}" "127.0.0.1:$port" 2>> "$work/logs/ghz.log" \
        || die "ghz failed; see $work/logs/ghz.log"
      ;;
  esac
}

# measure SYSTEM MODE RATE: a measured run, with the server's CPU time over it.
measure() {
  local system=$1 mode=$2 rate=$3 server=${system_server[$1]}
  local pid=${server_pid[$server]} raw=$work/raw/$1-$2 t0 t1 j0 j1 w0 w1 c0 c1 tool=ghz file
  times > "$tmp/times-before"
  t0=$(cpu_ticks "$pid") j0=$(jit_ticks "$pid") w0=$(now)
  drive "$system" "$measure_seconds" "$rate" "$raw"
  w1=$(now) t1=$(cpu_ticks "$pid") j1=$(jit_ticks "$pid")
  times > "$tmp/times-after"
  c0=$(children_cpu "$tmp/times-before") c1=$(children_cpu "$tmp/times-after")
  file=$raw.json
  if [ "$system" = opa ]; then
    tool=vegeta file=$raw.csv
    "$vegeta" encode --to csv < "$raw.bin" > "$file" && rm -f "$raw.bin"
  fi
  python3 "$lib" summarize --tool "$tool" --raw "$file" --system "$system" --mode "$mode" \
    --concurrency "$concurrency" --rate "$rate" --seconds "$measure_seconds" --cpu-ticks $((t1 - t0)) \
    --jit-ticks $((j1 - j0)) --clk-tck "$clk_tck" --load-tool-cpu-seconds "$(awk "BEGIN { print $c1 - $c0 }")" --wall-seconds "$(awk "BEGIN { print $w1 - $w0 }")" --out "$work/pieces/$system-$mode.json" >&2
}

help_text=$(java -jar "$server_jar" serve --help 2>&1 || true)
if [[ $help_text == *--no-audit* ]]; then
  decision_log="measured both ways: pdp-audit (as it ships) and pdp-no-audit (serve --no-audit)"
  systems=(pdp-audit pdp-no-audit opa grpc-floor) ours=pdp-audit
  system_server=([pdp-audit]=pdp-audit [pdp-no-audit]=pdp-no-audit [opa]=opa [grpc-floor]=pdp-no-audit)
else
  decision_log="not built yet (pdp serve has no --no-audit)"
  systems=(pdp opa grpc-floor) ours=pdp
  system_server=([pdp]=pdp [opa]=opa [grpc-floor]=pdp)
fi
say "decision log: $decision_log"

rate=0
if $load; then
  say "maximum throughput: closed loop, concurrency $concurrency, ${warmup_seconds} s warm-up, ${measure_seconds} s measured"
  for system in "${systems[@]}"; do
    server=${system_server[$system]}
    if [ -z "${server_pid[$server]:-}" ]; then
      case $server in
        opa) start_opa opa "${ports[4]}" ;;
        pdp-no-audit) start_pdp "$server" "${ports[2]}" "${ports[3]}" --no-audit ;;
        *) start_pdp "$server" "${ports[0]}" "${ports[1]}" ;;
      esac
    else
      resume "$server"
    fi
    say "$system: warming up"
    drive "$system" "$warmup_seconds" 0 "$tmp/warmup"
    measure "$system" max 0
    pause "$server"
  done

  max_pieces=()
  for system in "${systems[@]}"; do
    [ "$system" = grpc-floor ] || max_pieces+=("$work/pieces/$system-max.json")
  done
  rate=$(python3 "$lib" half-rate "${max_pieces[@]}")
  say "fixed rate: $rate req/s (half the slower system's maximum), ${measure_seconds} s each"
  for system in "${systems[@]}"; do
    server=${system_server[$system]}
    resume "$server"
    drive "$system" "$rate_warmup_seconds" "$rate" "$tmp/warmup"
    measure "$system" rate "$rate"
    pause "$server"
  done
  stop_servers   # nothing else may run on the servers' core during the in-process benchmarks
fi

# --- in process ---------------------------------------------------------------------------------

if $jmh; then
  say "in process: JMH (EngineBenchmark, SdkBenchmark, ContractInputBenchmark); log in $work/logs/jmh.log"
  "${on_server_cpu[@]}" java -jar "$bench_jar" "${jmh_settings[@]}" -rf json -rff "$work/raw/jmh.json" \
    'dev\.redline\.pdp\.bench\..*Benchmark' > "$work/logs/jmh.log" 2>&1 \
    || die "JMH failed; see $work/logs/jmh.log"
  say "in process: opa bench on the same inputs (count $opa_bench_count)"
  for name in "${engine_cases[@]}"; do
    "${on_server_cpu[@]}" "$opa" bench -b "$policy" -i "$work/inputs/$name.json" --format json \
      --count "$opa_bench_count" 'data.contract.decision' > "$work/raw/opa-bench/$name.json" \
      2>> "$work/logs/opa-bench.log" || die "opa bench failed for $name; see $work/logs/opa-bench.log"
  done
fi

# --- start-up: cold start, activation, durability -----------------------------------------------

# Each script starts its own servers on the same cores and stops them; they run after everything
# above has stopped, on the private copies of the jars. A trial gives them short durations.
if $startup; then
  mkdir -p "$work/startup"
  if $full; then
    startup_env=()
  else
    startup_env=(SECONDS_AFTER=20 WARM_SECONDS=10 SECONDS_MEASURED=20 MAX_SECONDS=5)
  fi
  for piece in coldstart activation decision-log-sync; do
    say "start-up: bench/$piece.sh (output in $work/startup/$piece.md)"
    env ${startup_env[@]+"${startup_env[@]}"} JAR="$server_jar" OPA="$opa" SERVER_CPU="$server_cpu" LOAD_CPU="$load_cpu" \
      "$bench/$piece.sh" $([ "$piece" = coldstart ] && { $full && echo 3 || echo 1; }) \
      > "$work/startup/$piece.md" 2> "$work/logs/$piece.log" \
      || { say "bench/$piece.sh failed; see $work/logs/$piece.log"; echo "**bench/$piece.sh failed in this run** (its log: \`bench/results/$stamp/logs/$piece.log\`)." >> "$work/startup/$piece.md"; }
  done
fi

# --- report -------------------------------------------------------------------------------------

python3 "$lib" write-json "$work/machine.json" nproc:="$(nproc)" \
  cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
  memory="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  kernel="Linux $(uname -r)" loadavg_start="$loadavg_start" loadavg_end="$(loadavg)"
python3 "$lib" write-json "$work/versions.json" java="$java_version" \
  opa="$("$opa" version | awk -F': ' '/^Version/ { print $2; exit }')" \
  ghz="$( [ -x "$ghz" ] && { go_tool_version "$ghz" || true; } )" \
  vegeta="$( [ -x "$vegeta" ] && { go_tool_version "$vegeta" || true; } )" \
  go="$(go version 2>/dev/null | awk '{ print $3 }')" \
  git_commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" git_dirty:="$git_dirty"
python3 "$lib" write-json "$work/settings.json" full:="$full" command="$command_line" \
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" concurrency:="$concurrency" warmup_seconds:="$warmup_seconds" \
  measure_seconds:="$measure_seconds" rate_warmup_seconds:="$rate_warmup_seconds" rate:="$rate" \
  pinning="$pinning" decision_log="$decision_log" ours="$ours" \
  systems:="$(printf '%s\n' "${systems[@]}" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split()))')" \
  pdp_command="java ${PDP_JAVA_OPTS:+$PDP_JAVA_OPTS }-jar server/target/pdp-server.jar serve --port P --admin-port A --data-dir DIR [--no-audit]" \
  opa_command="opa run --server --addr 127.0.0.1:P --log-level error --skip-version-check -b policies/src" \
  opa_policy="a copy of policies/src whose digest is the PDP bundle's revision" \
  bundle_revision="$bundle_revision" pdp_instances="$pdp_instances" jmh_settings="${jmh_settings[*]:-annotation defaults}" load_measured:="$load" jmh_measured:="$jmh" startup_measured:="$startup"
python3 "$lib" report "$work" "$bench"
