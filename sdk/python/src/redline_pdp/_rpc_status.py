"""google.rpc.Status for the generated stubs, defined once per process.

decision.proto imports google/rpc/status.proto. When googleapis-common-protos is installed, its
module registers that file in protobuf's default pool, and a second definition would clash; so
its module is used, and the copy generated into this wheel only when it is absent.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def _status_module() -> ModuleType:
    try:
        return importlib.import_module("google.rpc.status_pb2")
    except ImportError:
        return importlib.import_module("redline_pdp._proto.google.rpc.status_pb2")


status_pb2 = _status_module()
