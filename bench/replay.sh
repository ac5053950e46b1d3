#!/usr/bin/env bash
# bench/replay.sh: replay throughput. Fills a real PDP's decision log with DECISIONS decisions
# (the contract cases, round-robin, through the SDK: the real recorder writes every record), stops
# it, then times `pdp replay` of the whole log on the built-in contract bundle and prints the
# records/s it reports (evaluation only: the log is verified before the clock starts).
#
# Usage: bench/replay.sh [DECISIONS] [REPLAY_INSTANCES]    (default 100000, and CPU count - 1)
# Environment: JAVA_HOME (default: bin/newest-jdk 21), JAR (default server/target/pdp-server.jar),
#   BENCH_JAR (default bench/target/pdp-bench.jar). Build first: mvn -B -q -DskipTests package
#   -pl server,bench -am. Binds 127.0.0.1 on free ports only.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
. "$bench/lib/serve.sh"
decisions=${1:-100000}
instances=${2:-$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))}

start_pdp "$tmp"
"$java" -cp "$bench_jar" dev.redline.pdp.bench.DecisionLogFiller "$address" "$cases" "$decisions" 8
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

echo "log: $(du -sh "$tmp/data/audit" | cut -f1) in $(ls "$tmp/data/audit"/*.jsonl | wc -l) segment(s); java: $("$java" -version 2>&1 | sed -n 1p)"
"$java" -jar "$jar" replay --bundle "$contract" --audit-dir "$tmp/data/audit" --instances "$instances" --json \
  > "$tmp/report.json" 2> "$tmp/replay.err" || { cat "$tmp/replay.err" >&2; exit 1; }
grep 'records evaluated in' "$tmp/replay.err"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("evaluated %d, same %d, changed %d, skipped %d, failed %d" % (r["evaluated"], r["same"], r["changed"], sum(r["skipped"].values()), sum(r["failed"].values())))' "$tmp/report.json"
