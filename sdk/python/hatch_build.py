"""Generates the gRPC stubs of pdp.v1 into the wheel at build time, with grpcio-tools.

The stubs are never committed: every wheel gets them fresh from the protos of this repository
(or, in an sdist, from the copy it carries). They live in ``redline_pdp._proto``; protoc writes
absolute imports (``from pdp.v1 import ...``), which are pointed at that package here.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GENERATED_PACKAGE = "redline_pdp/_proto"


class ProtoStubsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        import grpc_tools
        from grpc_tools import protoc

        protos = self._proto_root()
        status_root = self._googleapis_root()
        well_known = Path(grpc_tools.__file__).parent / "_proto"
        self._out = Path(tempfile.mkdtemp(prefix="redline-pdp-stubs-"))
        target = self._out / GENERATED_PACKAGE
        target.mkdir(parents=True)
        sources = sorted(str(p.relative_to(protos)) for p in (protos / "pdp" / "v1").glob("*.proto"))
        if not sources:
            raise RuntimeError(f"no .proto files under {protos / 'pdp' / 'v1'}")
        args = [
            "grpc_tools.protoc",
            f"-I{protos}",
            f"-I{status_root}",
            f"-I{well_known}",
            f"--python_out={target}",
            f"--pyi_out={target}",
            f"--grpc_python_out={target}",
            *sources,
            "google/rpc/status.proto",
        ]
        if protoc.main(args) != 0:
            raise RuntimeError("grpcio-tools could not compile " + " ".join(sources))
        for package in [target, *(d for d in target.rglob("*") if d.is_dir())]:
            (package / "__init__.py").touch()
        for module in target.rglob("*.py*"):
            module.write_text(_package_imports(module.read_text(), module.suffix == ".pyi"))
        build_data["force_include"][str(target)] = GENERATED_PACKAGE

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self._out, ignore_errors=True)

    def _proto_root(self) -> Path:
        root = Path(self.root)
        for candidate in (root / "proto", root.parent.parent / "proto" / "src" / "main" / "proto"):
            if (candidate / "pdp" / "v1" / "decision.proto").is_file():
                return candidate
        raise RuntimeError(
            f"pdp/v1/decision.proto not found under {root / 'proto'} (sdist) "
            f"or {root.parent.parent / 'proto/src/main/proto'} (repository)"
        )

    @staticmethod
    def _googleapis_root() -> Path:
        import google.rpc

        for root in google.rpc.__path__:
            status = Path(root) / "status.proto"
            if status.is_file():
                return status.parent.parent.parent
        raise RuntimeError("googleapis-common-protos ships no google/rpc/status.proto")


def _package_imports(source: str, stub: bool) -> str:
    """Points protoc's absolute imports at the wheel's own packages."""
    source = re.sub(r"^from pdp\.v1 import", "from redline_pdp._proto.pdp.v1 import", source, flags=re.M)
    # google.rpc.status is the googleapis one when that is installed (one definition per process),
    # the generated copy otherwise; the type stubs always read the generated copy.
    status = "redline_pdp._proto.google.rpc" if stub else "redline_pdp._rpc_status"
    return re.sub(r"^from google\.rpc import", f"from {status} import", source, flags=re.M)
