#!/usr/bin/env bash
# The Python SDK's checks, run by Maven (sdk/python/pom.xml) after the server jar is packaged:
# builds the wheel (generating the stubs), installs it and the pinned dev tools into target/venv,
# then runs ruff, mypy --strict and pytest (this SDK's tests and examples/python's) against the
# real PDP (server/target/pdp-server.jar). Needs only Python 3.9+ with venv; pip brings the rest.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="$here/target/venv"
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
"${pip[@]}" install "$here[dev]"
# The same version again: reinstall, so the venv always holds the wheel of this tree.
"${pip[@]}" install --force-reinstall --no-deps "$here"

cd "$here"
lint=(. "$root/examples/python" "$root/bench/python_sdk.py")
"$venv/bin/ruff" check "${lint[@]}"
"$venv/bin/ruff" format --check "${lint[@]}"
# The installed package (with its generated stubs) as Python 3.9 sees it; then tests and examples.
(cd "$here/tests" && "$venv/bin/mypy" --strict --python-version 3.9 -p redline_pdp)
"$venv/bin/mypy" --strict tests "$root/examples/python"
"$venv/bin/python" -m pytest -c "$here/pyproject.toml" tests "$root/examples/python"
