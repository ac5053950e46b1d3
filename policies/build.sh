#!/usr/bin/env bash
# Checks, lints, tests and builds the contract policy into an OPA Wasm bundle.
#
#   policies/build.sh [OUTPUT.tar.gz]      (default: policies/target/contract.tar.gz)
#
# Uses the opa CLI and the Regal linter pinned in the parent pom (OPA_VERSION, e.g. v1.22.2;
# REGAL_VERSION, e.g. v0.42.0). When either of that version is not on PATH it is built from
# source with `go install` into .tools/ at the repository root (git-ignored); no prebuilt
# binary is downloaded. Regal's rule settings are in policies/.regal/config.yaml.
# SKIP_OPA_TEST=true skips `opa test` (fmt and check still run). The built bundle's policy.wasm
# must have the Wasm ABI opa-java-wasm loads (opa-java-wasm.abi in the parent pom, e.g. 1.3), or
# the build fails naming the ABI found and the fix.
#
# The absolute path of the opa it used is written to policies/target/opa.path, so that the
# server's tests build their bundles with that same binary wherever it came from.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$here/target/contract.tar.gz}
version=${OPA_VERSION:-$(sed -n 's:.*<opa.version>\(.*\)</opa.version>.*:\1:p' "$root/pom.xml")}
regal_version=${REGAL_VERSION:-$(sed -n 's:.*<regal.version>\(.*\)</regal.version>.*:\1:p' "$root/pom.xml")}
wasm_abi=${OPA_WASM_ABI:-$(sed -n 's:.*<opa-java-wasm.abi>\(.*\)</opa-java-wasm.abi>.*:\1:p' "$root/pom.xml")}
entrypoint=contract/decision

die() { echo "policies/build.sh: $*" >&2; exit 1; }

# True when $1 is opa of the pinned version. (Output is captured first: `opa version | grep -q`
# under pipefail fails at random when grep exits before opa has finished writing.)
is_pinned_opa() {
  local reported
  reported=$("$1" version 2>/dev/null) || return 1
  [[ $'\n'"$reported"$'\n' == *$'\n'"Version: ${version#v}"$'\n'* ]]
}

# True when $1 is Regal of the pinned version. (The JSON form skips the update check that the
# plain `regal version` makes over the network.)
is_pinned_regal() {
  local reported
  reported=$("$1" version --format json 2>/dev/null) || return 1
  [[ $reported == *'"version": "'"$regal_version"'"'* ]]
}

# The opa and Regal builds: each installs the pinned version into the directory $1.
install_opa() {
  # The pinned opa may need a newer Go than the one installed: let go fetch that toolchain.
  GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOBIN="$1" GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/opa@$version" >&2 \
    || die "go install github.com/open-policy-agent/opa@$version failed"
}

install_regal() {
  local module=github.com/open-policy-agent/regal dir
  # Regal learns its version only from the linker; without it `regal version` says "unknown".
  local ldflags="-X $module/pkg/version.Version=$regal_version"
  GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOBIN="$1" GOFLAGS=-buildvcs=false \
    go install -ldflags "$ldflags" "$module@$regal_version" >&2 && return
  # go install looks up the module's version list to warn of a deprecation, and fails when the
  # module proxy refuses that list although it serves the pinned version itself. Build the
  # same version from its downloaded module instead.
  echo "policies/build.sh: go install failed; building regal $regal_version from its module" >&2
  dir=$(go mod download -json "$module@$regal_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || die "go mod download $module@$regal_version failed"
  (cd "$dir" && GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOFLAGS=-buildvcs=false go build -ldflags "$ldflags" -o "$1/regal" .) >&2 \
    || die "building regal $regal_version from $dir failed"
}

# The path of the tool $1 (opa or regal) of the pinned version $2: the one on PATH when it is
# that version (is_pinned_$1 tells), else the one built once into .tools/$1-$2/ (install_$1),
# which needs Go $3 or later.
pinned_tool() {
  local name=$1 pinned=$2 candidate
  if candidate=$(command -v "$name") && "is_pinned_$name" "$candidate"; then
    echo "$candidate"; return
  fi
  candidate="$root/.tools/$name-$pinned/$name"
  if [ ! -x "$candidate" ]; then
    command -v go >/dev/null || die "$name $pinned is not on PATH and Go is not installed to build it; install Go $3+ (or $name $pinned) and retry"
    echo "policies/build.sh: building $name $pinned with go install (first build only)" >&2
    mkdir -p "$(dirname "$candidate")"
    "install_$name" "$(dirname "$candidate")"
  fi
  "is_pinned_$name" "$candidate" || die "$candidate is not $name $pinned"
  echo "$candidate"
}

opa=$(pinned_tool opa "$version" 1.22)
regal=$(pinned_tool regal "$regal_version" 1.26)
mkdir -p "$here/target"
echo "$(cd "$(dirname "$opa")" && pwd)/$(basename "$opa")" > "$here/target/opa.path"
cd "$here"

unformatted=$("$opa" fmt --list --v1-compatible src test)
[ -z "$unformatted" ] || die "these Rego files are not formatted (run: $opa fmt -w policies/src policies/test): $unformatted"

"$opa" check --strict src test
"$regal" lint --config-file .regal/config.yaml src test

if [ "${SKIP_OPA_TEST:-false}" != "true" ]; then
  "$opa" test --timeout 60s src test
fi

# The revision names the exact policy sources: a digest over every file of the bundle source
# tree (path and content), so the same sources always build the same revision and any change
# to a rule or to the data gives a new one.
revision="sha256:$(cd src && find . -type f ! -name '.manifest' -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"

mkdir -p "$(dirname "$out")"
built="$out.partial"
"$opa" build --bundle -t wasm -e "$entrypoint" --revision "$revision" -o "$built" src

# The server loads only one Wasm ABI; a bundle of another must fail here, not at its first load.
# The check is a single Java source file run by the JDK, so it needs no compile step and runs
# with -DskipTests too.
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -x "$java" ] || java=java
if ! "$java" "$here/tools/CheckWasmAbi.java" "$built" "$wasm_abi" "$version" >&2; then
  rm -f "$built"
  die "opa $version does not produce the Wasm ABI the PDP loads (see above); no bundle was written"
fi
# The contract cases' inputs ship in the bundle as its warm-up inputs (warmup/*.json, each file one
# input document: docs/bundles.md), so the PDP smoke-checks and warms the built-in bundle on the
# inputs the contract is about before it serves. They are added after opa build, outside src/,
# because opa would load JSON under src/ as policy data.
cases="$here/../server/src/test/resources/contract-cases"
if [ -d "$cases" ]; then
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  mkdir "$staging/warmup"
  for case in "$cases"/*.json; do
    "$opa" eval --stdin-input --format raw 'input.input' < "$case" > "$staging/warmup/$(basename "$case")"
  done
  gzip -dc "$built" > "$staging/bundle.tar"
  tar -rf "$staging/bundle.tar" -C "$staging" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 warmup
  gzip -n -c "$staging/bundle.tar" > "$built"
fi
mv "$built" "$out"
echo "policies/build.sh: built $out (revision $revision) with opa $version"
