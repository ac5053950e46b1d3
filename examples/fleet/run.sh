#!/usr/bin/env bash
# examples/fleet/run.sh: a PDP fleet on one machine, start to finish, then everything stops.
#
#   1. a Kafka broker (KRaft, one node, from Maven's kafka_2.13 jars; no Docker)
#   2. a bundle server (Python's http.server on loopback) serving a contract bundle, revision fleet-v1
#   3. three PDPs pulling from it (--bundle-url), shipping their decision logs to the broker
#   4. load through the Java SDK (FleetLoad): throughput of one replica, then of all three, per replica
#   5. a new bundle (fleet-v2) pushed to the bundle server, and every replica shown converging on it
#   6. the PDPs stopped, each replica's local log verified (and every decision the load got back
#      found in it), and the log verified from Kafka
#
# Usage: examples/fleet/run.sh [-h]
# Environment: LOAD_SECONDS (default 15) per load run, CALLERS (default 4) closed-loop callers per
# replica, FLEET_KAFKA=auto|on|off (default auto: on when `pdp serve --help` lists
# --audit-kafka-brokers), NO_BUILD=true to use the jars already built, MAX_SECONDS (default 900)
# after which the script stops itself and everything it started.
#
# Everything listens on 127.0.0.1 only, on ports the system picks; every load run is bounded in
# time; work files go to a temporary directory, kept (and named) only when a step fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
case ${1:-} in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "examples/fleet/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
esac

load_seconds=${LOAD_SECONDS:-15}
callers=${CALLERS:-4}
kafka_mode=${FLEET_KAFKA:-auto}
max_seconds=${MAX_SECONDS:-900}
replicas=3
topic=fleet-decisions

say() { printf '\n== %s\n' "$*"; }
note() { echo "fleet: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pdp-fleet.XXXXXX")
pids=()   # every process started here, and only those, is stopped on exit
ok=false
cleanup() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null || true
  if $ok; then rm -rf "$work"; else echo "fleet: logs and data kept in $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "examples/fleet/run.sh: $*" >&2; exit 1; }

# Stops the whole run, wherever it is, after MAX_SECONDS.
( sleep "$max_seconds"; echo "fleet: over $max_seconds s, stopping" >&2; kill -TERM $$ ) &
watchdog=$!

# The PDP, and so the build, needs JDK 21+ (docs/jdk.md): the newest one installed runs Maven,
# the PDPs, the broker and the load.
jdk=$("$root/bin/newest-jdk" 21) || die "no JDK 21 or later is installed (docs/jdk.md)"
export JAVA_HOME=$jdk
java=$jdk/bin/java

# --- build ---------------------------------------------------------------------------------------
if [ "${NO_BUILD:-false}" != true ]; then
  say "building the server, the SDK and the load driver (mvn package, tests skipped)"
  (cd "$root" && mvn -q -B -pl examples -am package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime.classpath) \
    || die "the build failed"
fi
[ -f "$root/server/target/pdp-server.jar" ] || die "no server/target/pdp-server.jar: run without NO_BUILD=true"
# Private copies, so a rebuild elsewhere cannot swap the jars under the running fleet.
mkdir -p "$work/server" "$work/load"
cp -r "$root/server/target/pdp-server.jar" "$root/server/target/lib" "$work/server/"
cp -r "$root/examples/target/classes" "$work/load/"
load_classpath="$work/load/classes:$(cat "$root/examples/target/runtime.classpath")"
pdp() { "$java" -Xmx256m -jar "$work/server/pdp-server.jar" "$@"; }
# Every decision id the load got back goes to answered.txt, to be found in the replicas' logs.
fleet_load() { ANSWERED_IDS_FILE="$work/answered.txt" "$java" -Xmx256m -cp "$load_classpath" dev.redline.pdp.examples.FleetLoad "$@"; }

if [ "$kafka_mode" = auto ]; then
  if pdp serve --help | grep -q -- '--audit-kafka-brokers'; then kafka_mode=on; else kafka_mode=off; fi
fi
[ "$kafka_mode" = off ] && note "this pdp has no Kafka shipping (pdp serve --help lists no --audit-kafka-brokers): the broker and the Kafka checks are skipped"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for_port() {  # $1 port, $2 seconds, $3 what
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || die "$3 did not listen on 127.0.0.1:$1 within $2 s"
    sleep 0.5
  done
}

# --- 1. Kafka -----------------------------------------------------------------------------------
kafka_flags=()
if [ "$kafka_mode" = on ]; then
  say "starting a Kafka broker (KRaft, one node)"
  (cd "$here/broker" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$work/kafka.classpath") \
    || die "Maven could not resolve the Kafka broker (is kafka.version in the parent pom?)"
  kafka_port=$(free_port) controller_port=$(free_port)
  mkdir -p "$work/kafka/data"
  cat > "$work/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
num.network.threads=2
num.io.threads=2
log.cleaner.enable=false
EOF
  kafka_java=("$java" -Xms64m -Xmx512m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true -cp "$(cat "$work/kafka.classpath")")
  cluster_id=$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  "${kafka_java[@]}" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
    --config "$work/kafka/server.properties" > "$work/kafka/format.log" 2>&1 || die "formatting the broker failed: $(cat "$work/kafka/format.log")"
  "${kafka_java[@]}" kafka.Kafka "$work/kafka/server.properties" > "$work/kafka/broker.log" 2>&1 &
  pids+=($!)
  wait_for_port "$kafka_port" 90 "the Kafka broker"
  echo "broker on 127.0.0.1:$kafka_port, topic $topic"
  # The mode that answers once the decision is durable locally, and ships it after.
  kafka_flags=(--audit-kafka-brokers "127.0.0.1:$kafka_port" --audit-kafka-topic "$topic" --audit-kafka-mode local)
fi

# --- 2. the bundle server -----------------------------------------------------------------------
say "building two revisions of the contract bundle and serving the first"
opa=$(cat "$root/policies/target/opa.path" 2>/dev/null || command -v opa) || die "no opa: build the policies first"
mkdir -p "$work/bundles" "$work/site"
for revision in fleet-v1 fleet-v2; do
  "$opa" build --bundle -t wasm -e contract/decision --revision "$revision" \
    -o "$work/bundles/$revision.tar.gz" "$root/policies/src" || die "opa build of $revision failed"
done
publish() {  # atomically, so a poll never reads half a bundle
  cp "$work/bundles/$1.tar.gz" "$work/site/.contract.tar.gz.partial"
  mv "$work/site/.contract.tar.gz.partial" "$work/site/contract.tar.gz"
}
publish fleet-v1
bundle_port=$(free_port)
python3 -u -m http.server "$bundle_port" --bind 127.0.0.1 --directory "$work/site" > "$work/bundle-server.log" 2>&1 &
pids+=($!)
wait_for_port "$bundle_port" 30 "the bundle server"
bundle_url="http://127.0.0.1:$bundle_port/contract.tar.gz"
echo "bundle server: $bundle_url (revision fleet-v1)"

# --- 3. the PDPs --------------------------------------------------------------------------------
say "starting $replicas PDPs polling the bundle server${kafka_flags:+, shipping to Kafka}"
targets=() pdp_pids=()
for i in $(seq "$replicas"); do
  # A longer evaluation timeout than the default: three JVMs and the load share two cores here.
  pdp serve --port 0 --data-dir "$work/pdp-$i" --instances 1 --eval-timeout 1s --queue-timeout 2s \
    --bundle-url "$bundle_url" --poll-min-delay 1s --poll-max-delay 2s \
    ${kafka_flags[@]+"${kafka_flags[@]}"} > "$work/pdp-$i.log" 2>&1 &
  pids+=($!) pdp_pids+=($!)
done
for i in $(seq "$replicas"); do
  deadline=$((SECONDS + 120)) address=""
  until address=$(sed -n 's/.*"msg":"pdp serving","address":"\([^"]*\)".*/\1/p' "$work/pdp-$i.log") && [ -n "$address" ]; do
    grep -q '"pdp failed to start"' "$work/pdp-$i.log" && die "PDP $i failed to start: $(cat "$work/pdp-$i.log")"
    [ $SECONDS -lt "$deadline" ] || die "PDP $i did not start within 120 s: $(cat "$work/pdp-$i.log")"
    sleep 0.5
  done
  targets+=("$address")
  echo "PDP $i serving on $address"
done
note "waiting for every replica's first poll (fleet-v1)"
fleet_load converge fleet-v1 120 1 "${targets[@]}" > "$work/first-poll.txt" \
  || die "not every replica got the first bundle: $(cat "$work/first-poll.txt")"
grep ' on fleet-v1 ' "$work/first-poll.txt"

# --- 4. load ------------------------------------------------------------------------------------
say "load through the SDK on one replica ($callers callers, $load_seconds s)"
fleet_load load "$load_seconds" "$callers" "${targets[0]}" || die "decisions failed closed under load"
say "load through the SDK on all $replicas replicas ($callers callers each, $load_seconds s)"
fleet_load load "$load_seconds" "$callers" "${targets[@]}" || die "decisions failed closed under load"
echo "(three JVMs, the bundle server${kafka_flags:+, the broker} and the load share this machine's $(nproc) cores: the fleet's total is bounded by the CPU, not by the number of replicas)"

# --- 5. a new bundle ----------------------------------------------------------------------------
say "pushing fleet-v2 to the bundle server; load continues until every replica answers with it"
publish fleet-v2
fleet_load converge fleet-v2 60 "$callers" "${targets[@]}" || die "the fleet did not converge on fleet-v2"

# --- 6. the evidence ----------------------------------------------------------------------------
say "stopping the PDPs and verifying every replica's local decision log"
for pid in "${pdp_pids[@]}"; do kill -TERM "$pid"; done
for pid in "${pdp_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
for i in $(seq "$replicas"); do
  echo "PDP $i:"
  pdp audit verify "$work/pdp-$i/audit" || die "the decision log of PDP $i does not verify"
  # Every decision this replica answered must be in its log (answered only once recorded).
  awk -v t="${targets[$((i - 1))]}" '$1 == t { print $2 }' "$work/answered.txt" | sort -u > "$work/answered-$i.txt"
  sed -n 's/.*"decision_id":"\([^"]*\)".*/\1/p' "$work/pdp-$i/audit/"*.jsonl | sort -u > "$work/logged-$i.txt"
  missing=$(comm -23 "$work/answered-$i.txt" "$work/logged-$i.txt" | wc -l)
  [ "$missing" -eq 0 ] || die "PDP $i answered $missing decisions that are not in its log"
  echo "   all $(wc -l < "$work/answered-$i.txt") decisions it answered are in its log"
done
if [ "$kafka_mode" = on ]; then
  say "verifying the decision log from Kafka (every replica's chain in topic $topic)"
  pdp audit verify --kafka "127.0.0.1:$kafka_port" --topic "$topic" || die "the decision log in Kafka does not verify"
fi

ok=true
say "done: everything started here is stopped"
