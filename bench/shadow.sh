#!/usr/bin/env bash
# bench/shadow.sh: the cost of shadow evaluation on decision throughput. Starts a real PDP (decision
# log on, built-in contract bundle), sends DECISIONS decisions through the SDK (the contract cases,
# round-robin, THREADS at once) and prints the decisions/s; then shadows a bundle deciding the same
# policy (the contract archive gzipped again: another digest, the same answers, so no shadow
# records) with `pdp bundle shadow`, sends the same load again, and prints the decisions/s and the
# shadow report's evaluated and dropped counts.
#
# Usage: bench/shadow.sh [DECISIONS] [THREADS] [SHADOW_SAMPLE_RATE]   (default 20000, 8, 1.0)
# Environment: JAVA_HOME (default: bin/newest-jdk 21), JAR (default server/target/pdp-server.jar),
#   BENCH_JAR (default bench/target/pdp-bench.jar). Build first: mvn -B -q -DskipTests package
#   -pl server,bench -am. Binds 127.0.0.1 on free ports only.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
. "$bench/lib/serve.sh"
decisions=${1:-20000}
threads=${2:-8}
rate=${3:-1.0}

start_pdp "$tmp" --shadow-sample-rate "$rate"
pdp() { "$java" -jar "$jar" "$@" --address "$admin" --token-file "$tmp/data/admin.tokens"; }

echo "without a shadow:"
"$java" -cp "$bench_jar" dev.redline.pdp.bench.DecisionLogFiller "$address" "$cases" "$decisions" "$threads"

gzip -dc "$contract" | gzip -1 > "$tmp/shadow.tar.gz"
digest=$(pdp bundle push "$tmp/shadow.tar.gz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bundle"]["digest"])')
pdp bundle shadow "$digest" > /dev/null
echo "with a shadow (sample rate $rate):"
"$java" -cp "$bench_jar" dev.redline.pdp.bench.DecisionLogFiller "$address" "$cases" "$decisions" "$threads"
pdp bundle shadow-report | python3 -c 'import json,sys; r=json.load(sys.stdin); print("shadow: evaluated %d, changed %d, dropped %d, failed %d" % (r["report"]["evaluated"], r["report"]["changed"], r["dropped"], sum(r["report"]["failed"].values())))'
