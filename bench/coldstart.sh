#!/usr/bin/env bash
# bench/coldstart.sh: how long `pdp serve` takes from exec to its "pdp serving" line (JVM start,
# Chicory compiling the built-in bundle's policy.wasm to JVM bytecode, the first instances), and
# then to answer its first Decide, run after run on a fresh data directory (decision log off).
#
# Usage: bench/coldstart.sh [RUNS]     (default 5)
# Environment: JAVA_HOME (default: bin/newest-jdk), JAR (default server/target/pdp-server.jar).
# Needs ghz in .tools/bin (bench/run.sh installs it). Binds 127.0.0.1 on free ports only.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
java_home=${JAVA_HOME:-$("$root/bin/newest-jdk")}
jar=${JAR:-$root/server/target/pdp-server.jar}
ghz=$root/.tools/bin/ghz
runs=${1:-5}
[ -f "$jar" ] && [ -x "$ghz" ] || { echo "bench/coldstart.sh: needs $jar and $ghz (run bench/run.sh first)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdp-coldstart.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
case_file=$(ls "$root"/server/src/test/resources/contract-cases/*.json | sed -n 1p)
python3 -c 'import json,sys; print(json.dumps({"path": "contract/decision", "input": json.load(open(sys.argv[1]))["input"]}))' \
  "$case_file" > "$tmp/request.json"

echo "java: $("$java_home/bin/java" -version 2>&1 | sed -n 1p)"
echo "| run | exec to serving (ms) | exec to first answer (ms) |"
echo "|---:|---:|---:|"
for run in $(seq "$runs"); do
  rm -rf "$tmp/data" && mkdir -p "$tmp/data"
  start=$(date +%s%N)
  "$java_home/bin/java" -jar "$jar" serve --bind 127.0.0.1 --port 0 --admin-port 0 --data-dir "$tmp/data" \
    --no-audit > "$tmp/out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q '"pdp serving"' "$tmp/out" && break; sleep 0.01; done
  serving=$(date +%s%N)
  address=$(sed -n 's/.*"pdp serving".*"address":"\([^"]*\)".*/\1/p' "$tmp/out")
  [ -n "$address" ] || { echo "bench/coldstart.sh: the PDP did not serve; it said:" >&2; cat "$tmp/out" >&2; exit 1; }
  "$ghz" --insecure --call pdp.v1.DecisionService.Decide --data-file "$tmp/request.json" -n 1 -c 1 "$address" \
    > "$tmp/ghz" 2>&1 && grep -q '\[OK\] *1 responses' "$tmp/ghz" \
    || { echo "bench/coldstart.sh: the first Decide was not answered OK:" >&2; cat "$tmp/ghz" >&2; exit 1; }
  answered=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "| $run | $(( (serving - start) / 1000000 )) | $(( (answered - start) / 1000000 )) |"
done
