#!/usr/bin/env bash
# Prints the path of the helm binary of the version pinned in the parent pom (helm.version), for
# the deploy module's tests and for anyone rendering the chart by hand:
#
#   "$(deploy/helm.sh)" template pdp deploy/helm/redline-pdp
#
# The helm on PATH is used when it is that version; otherwise helm is built from source once with
# `go install helm.sh/helm/v3/cmd/helm@VERSION` into .tools/helm-VERSION/ at the repository root
# (git-ignored), as policies/build.sh does for opa. No prebuilt binary is downloaded.
# HELM_VERSION overrides the pom's pin. With an argument, the path is also written to that file.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${HELM_VERSION:-$(sed -n 's:.*<helm.version>\(.*\)</helm.version>.*:\1:p' "$root/pom.xml")}
[ -n "$version" ] || { echo "deploy/helm.sh: no <helm.version> in $root/pom.xml" >&2; exit 1; }

# helm reports the version it was linked with; a helm built without it reports no patch level.
reports_pinned_version() {
  local reported
  reported=$("$1" version --template '{{.Version}}' 2>/dev/null) || return 1
  [ "$reported" = "$version" ]
}

helm=""
if on_path=$(command -v helm) && reports_pinned_version "$on_path"; then
  helm=$on_path
else
  helm=$root/.tools/helm-$version/helm
  if [ ! -x "$helm" ]; then
    command -v go >/dev/null || { echo "deploy/helm.sh: helm $version is not on PATH and Go is not installed to build it" >&2; exit 1; }
    echo "deploy/helm.sh: building helm $version with go install (first build only)" >&2
    mkdir -p "$(dirname "$helm")"
    GOBIN=$(dirname "$helm") GOFLAGS=-buildvcs=false \
      go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$version" "helm.sh/helm/v3/cmd/helm@$version" >&2 \
      || { echo "deploy/helm.sh: go install helm.sh/helm/v3/cmd/helm@$version failed" >&2; exit 1; }
  fi
  reports_pinned_version "$helm" || { echo "deploy/helm.sh: $helm does not report version $version" >&2; exit 1; }
fi
if [ $# -gt 0 ]; then
  mkdir -p "$(dirname "$1")"
  echo "$helm" > "$1"
fi
echo "$helm"
