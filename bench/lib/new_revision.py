#!/usr/bin/env python3
"""Builds a new revision of the built-in contract bundle for bench/activation.sh: the same policy
sources plus one extra rule, built with opa as a second entrypoint (so policy.wasm differs and the
PDP must compile it anew, as for a real policy change; opa would prune an unreachable rule), with
the built-in bundle's warm-up inputs copied in.

  new_revision.py OPA POLICIES_JAR POLICY_SRC_DIR ENTRYPOINT REVISION OUT.tar.gz
"""
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile


def main():
    opa, policies_jar, src, entrypoint, revision, out = sys.argv[1:7]
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "src")
        shutil.copytree(src, copy)
        with open(os.path.join(copy, "bench_revision.rego"), "w") as f:
            f.write("package contract.bench\n\nrevision := %s\n" % ('"' + revision + '"'))
        built = os.path.join(tmp, "built.tar.gz")
        subprocess.run([opa, "build", "--bundle", "-t", "wasm", "-e", entrypoint, "-e", "contract/bench/revision", "--revision", revision,
                        "-o", built, copy], check=True)
        with zipfile.ZipFile(policies_jar) as jar:
            builtin = jar.read("bundles/contract.tar.gz")
        with tarfile.open(built, "r:gz") as new, tarfile.open(fileobj=io.BytesIO(builtin), mode="r:gz") as old, \
                tarfile.open(out, "w:gz") as result:
            for member in new.getmembers():
                result.addfile(member, new.extractfile(member) if member.isfile() else None)
            for member in old.getmembers():
                if member.name.lstrip("/").startswith("warmup/"):
                    result.addfile(member, old.extractfile(member) if member.isfile() else None)


if __name__ == "__main__":
    main()
