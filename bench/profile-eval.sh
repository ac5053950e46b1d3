#!/usr/bin/env bash
# bench/profile-eval.sh: where the time of one in-process evaluation goes, from a JFR recording.
#
# Runs EvaluationProfile (one thread, one instance, the engine as the server calls it) twice:
#   - the fixed cost: a trivial policy (`allow := true`, built here with opa) on the input {};
#   - the contract: the built-in bundle's contract/decision on the allowed-logistics case.
# Each runs WARM_SECONDS unrecorded, then MEASURE_SECONDS under JFR ("profile" settings), prints
# its p50 and mean, and lib/jfr_breakdown.py splits the samples into: engine, input write, OPA's
# JSON parse in Wasm (opa_eval: opa_value_parse), evaluation (opa_eval: eval), result dump
# (opa_eval: opa_value_dump), result read and result parse. `opa bench` on the same policy and
# input is printed beside it.
#
# Usage: bench/profile-eval.sh
# Environment: WARM_SECONDS (default 60), MEASURE_SECONDS (default 30), PDP_JAVA_OPTS (JVM options
# of the evaluating JVM, e.g. -XX:-DontCompileHugeMethods), CPU (taskset CPU, default 1).
# Needs bench/target/pdp-bench.jar (mvn -B -pl bench -am package -DskipTests).
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
die() { echo "bench/profile-eval.sh: $*" >&2; exit 1; }
JAVA_HOME=${JAVA_HOME:-$("$root/bin/newest-jdk" 21)} || die "no JDK 21 or later is installed (docs/jdk.md)"
export PATH="$JAVA_HOME/bin:$PATH"
jar=$bench/target/pdp-bench.jar
[ -f "$jar" ] || die "$jar is missing: mvn -B -pl bench -am package -DskipTests"
opa=${OPA:-$(cat "$root/policies/target/opa.path" 2>/dev/null || command -v opa)}
warm=${WARM_SECONDS:-60} measure=${MEASURE_SECONDS:-30}
pin=(env)
[ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null && pin=(taskset -c "${CPU:-1}")
work=$(mktemp -d "${TMPDIR:-/tmp}/pdp-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/trivial"
printf 'package trivial\n\nallow := true\n' > "$work/trivial/trivial.rego"
"$opa" build --bundle -t wasm -e trivial/allow -o "$work/trivial.tar.gz" "$work/trivial"
tar -xzf "$work/trivial.tar.gz" -C "$work/trivial" /policy.wasm 2>/dev/null || tar -xzf "$work/trivial.tar.gz" -C "$work/trivial" policy.wasm
python3 - "$root" "$work" <<'PY'
import io, json, os, sys, tarfile, zipfile, glob
root, work = sys.argv[1], sys.argv[2]
jar = glob.glob(os.path.join(root, "server/target/lib/pdp-policies-*.jar")) or glob.glob(os.path.join(root, "bench/target/lib/pdp-policies-*.jar"))
archive = zipfile.ZipFile(jar[0]).read("bundles/contract.tar.gz")
with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as t:
    for m in t.getmembers():
        if m.name.lstrip("/") == "policy.wasm":
            open(os.path.join(work, "contract.wasm"), "wb").write(t.extractfile(m).read())
case = json.load(open(os.path.join(root, "server/src/test/resources/contract-cases/allowed-logistics.json")))
json.dump(case["input"], open(os.path.join(work, "logistics.json"), "w"))
PY

profile() { # NAME BUNDLE ENTRYPOINT INPUT WASM
  echo "### $1"
  echo
  # shellcheck disable=SC2086  # PDP_JAVA_OPTS is a list of JVM options
  "${pin[@]}" java ${PDP_JAVA_OPTS:-} -Xms1g -Xmx1g -cp "$jar" dev.redline.pdp.bench.EvaluationProfile "$2" "$3" "$4" \
    "$warm" "$measure" "$work/$1.jfr"
  jfr print --json --events jdk.ExecutionSample --stack-depth 256 "$work/$1.jfr" > "$work/$1.json"
  echo
  python3 "$bench/lib/jfr_breakdown.py" "$5" "$work/$1.json"
  echo
}
echo "java: $(java -version 2>&1 | sed -n 1p); JVM options: ${PDP_JAVA_OPTS:-(none)}; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
profile trivial "$work/trivial.tar.gz" trivial/allow '{}' "$work/trivial/policy.wasm"
profile contract builtin contract/decision case:allowed-logistics "$work/contract.wasm"
echo "### opa bench, the same contract policy and input"
echo
"${pin[@]}" "$opa" bench --count 1 -d "$root/policies/src" -i "$work/logistics.json" 'data.contract.decision' --format pretty \
  | grep -E 'samples|ns/op|B/op|allocs/op|query_eval_ns_median'
