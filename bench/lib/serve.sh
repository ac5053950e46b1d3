# Sourced by bench scripts (which set $bench and $root first): the jars and inputs every PDP bench
# uses, a refusal naming the build when one is missing, and a work directory $tmp removed on exit,
# with the PDP of $pid stopped.
java_home=${JAVA_HOME:-$("$root/bin/newest-jdk" 21)}
java=$java_home/bin/java
jar=${JAR:-$root/server/target/pdp-server.jar}
bench_jar=${BENCH_JAR:-$bench/target/pdp-bench.jar}
contract=$root/policies/target/classes/bundles/contract.tar.gz
cases=$root/server/src/test/resources/contract-cases
for f in "$jar" "$bench_jar" "$contract"; do
  [ -f "$f" ] || { echo "$0: $f is missing; build first (mvn -B -q -DskipTests package -pl server,bench -am)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdp-$(basename "$0" .sh)-bench.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# start_pdp DIR [SERVE FLAGS...] starts the PDP jar ($java, $jar) on free
# 127.0.0.1 ports with its data in DIR/data, waits until it serves, and sets pid, address (decision
# port) and admin (admin port). The caller stops it (kill "$pid").
start_pdp() {
  local dir=$1
  shift
  "$java" -jar "$jar" serve --bind 127.0.0.1 --port 0 --admin-port 0 --data-dir "$dir/data" "$@" \
    > "$dir/serve.out" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q '"pdp serving"' "$dir/serve.out" && break; sleep 0.05; done
  address=$(sed -n 's/.*"pdp serving".*"address":"\([^"]*\)".*/\1/p' "$dir/serve.out")
  admin=$(sed -n 's/.*"pdp serving".*"admin_address":"\([^"]*\)".*/\1/p' "$dir/serve.out")
  [ -n "$address" ] && [ -n "$admin" ] || { echo "$0: the PDP did not serve; it said:" >&2; cat "$dir/serve.out" >&2; exit 1; }
}
