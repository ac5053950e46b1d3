"""What the Python SDK adds to a call: PdpClient.decide(ContractInput) against the raw generated stub.

The same comparison as SdkBenchmark (the Java SDK's), per contract case and transport:

- canned: a gRPC server in this process on loopback that answers every call with the PDP's own
  response for the case, captured at start: no policy, so the SDK's cost is not lost in the noise
  (Python gRPC has no in-process transport, so this is loopback too);
- real PDP: server/target/pdp-server.jar on loopback, end to end as a Python caller sees it.

The SDK side includes what a caller pays: the request built from the ContractInput on every call,
the deadline, and the response mapped to a Decision. The raw side sends a prebuilt DecideRequest
through decision_pb2_grpc.DecisionServiceStub. SDK and raw calls alternate in rounds, so both see
the same machine. Run from the repository root, with redline-pdp installed:

    sdk/python/target/venv/bin/python bench/python_sdk.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

import grpc
from redline_pdp._proto.pdp.v1 import decision_pb2, decision_pb2_grpc

from redline_pdp import (
    Action,
    Autonomy,
    Context,
    ContractInput,
    Deployment,
    PdpClient,
    Resource,
    Subject,
    UseOfForce,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "sdk" / "python" / "tests"))
from pdp_process import PdpProcess  # noqa: E402

CASES = ("allowed-logistics", "denied-autonomous-targeting")


def contract_input(document: dict[str, Any]) -> ContractInput:
    """The case's input as the typed ContractInput a caller would build."""
    s, d, c = document["subject"], document["resource"]["deployment"], document.get("context", {})
    force = c.get("use_of_force")
    built = ContractInput(
        Subject(
            s["id"], s["org"], type=s.get("type"), component=s.get("component"), clearance=s.get("clearance")
        ),
        Action(document["action"]["type"]),
        Resource(
            Deployment(d["id"], d["target"], platform=d.get("platform")), model=document["resource"]["model"]
        ),
        Context(
            purpose=c.get("purpose"),
            use_of_force=UseOfForce(
                force["involved"],
                Autonomy(force["autonomy"]),
                force["target_selected_by"],
                force["authorizing_human"],
            )
            if force
            else None,
        ),
    )
    if built.to_dict() != document:
        raise SystemExit(
            f"the ContractInput does not write the case's input: {built.to_dict()} != {document}"
        )
    return built


class Canned(decision_pb2_grpc.DecisionServiceServicer):
    def __init__(self, response: decision_pb2.DecideResponse) -> None:
        self.response = response

    def Decide(
        self, request: decision_pb2.DecideRequest, context: grpc.ServicerContext
    ) -> decision_pb2.DecideResponse:
        return self.response


@contextmanager
def canned_server(response: decision_pb2.DecideResponse) -> Iterator[str]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    decision_pb2_grpc.add_DecisionServiceServicer_to_server(Canned(response), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(None)


def measure(target: str, case: str, seconds: float, expect_allow: bool) -> dict[str, dict[str, float]]:
    document = json.loads((ROOT / "server/src/test/resources/contract-cases" / f"{case}.json").read_text())[
        "input"
    ]
    typed = contract_input(document)
    request = decision_pb2.DecideRequest(path="contract/decision")
    request.input.update(document)
    # Long deadlines: a call's cost does not depend on them, and a slow call must not be timed as a deny.
    with PdpClient(target, deadline=10) as client, grpc.insecure_channel(target) as channel:
        stub = decision_pb2_grpc.DecisionServiceStub(channel)
        sdk: Callable[[], object] = lambda: client.decide(typed)  # noqa: E731
        raw: Callable[[], object] = lambda: stub.Decide(request, timeout=10)  # noqa: E731
        for _ in range(200):  # connect, and warm both sides
            sdk()
            raw()
        decision = client.decide(typed)
        if decision.is_fail_closed or decision.allowed != expect_allow:
            raise SystemExit(f"{case}: expected allow={expect_allow}, the SDK answered {decision}")
        times: dict[str, list[int]] = {"sdk": [], "raw": []}
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for name, call in (("sdk", sdk), ("raw", raw)):
                for _ in range(50):
                    start = time.perf_counter_ns()
                    call()
                    times[name].append(time.perf_counter_ns() - start)
    return {name: summary(values) for name, values in times.items()}


def summary(nanos: list[int]) -> dict[str, float]:
    ordered = sorted(nanos)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.5) - 1))] / 1000

    return {"p50": rank(0.50), "p99": rank(0.99), "mean": statistics.fmean(nanos) / 1000, "n": len(nanos)}


def build_cost(case: str, rounds: int = 20000) -> float:
    """Microseconds to turn the case's ContractInput into a DecideRequest (what the SDK adds up front)."""
    from redline_pdp._wire import request

    document = json.loads((ROOT / "server/src/test/resources/contract-cases" / f"{case}.json").read_text())[
        "input"
    ]
    typed = contract_input(document)
    start = time.perf_counter_ns()
    for _ in range(rounds):
        request(typed, None, None)
    return (time.perf_counter_ns() - start) / rounds / 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per case and transport")
    args = parser.parse_args()
    expected = {"allowed-logistics": True, "denied-autonomous-targeting": False}
    print(
        "| contract case | transport | SDK p50 (µs) | raw stub p50 (µs) | SDK p50 - raw p50 (µs) "
        "| SDK p99 (µs) | raw stub p99 (µs) | SDK mean - raw mean (µs) | calls each |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="pdp-bench-py-") as data:
        pdp = PdpProcess(Path(data))
        try:
            for case in CASES:
                document = json.loads(
                    (ROOT / "server/src/test/resources/contract-cases" / f"{case}.json").read_text()
                )
                with grpc.insecure_channel(pdp.target) as channel:
                    captured = decision_pb2_grpc.DecisionServiceStub(channel).Decide(
                        decision_pb2.DecideRequest(
                            path="contract/decision", input=_struct(document["input"])
                        ),
                        timeout=30,
                    )
                with canned_server(captured) as canned:
                    rows = [("loopback, canned answer", measure(canned, case, args.seconds, expected[case]))]
                rows.append(("loopback, real PDP", measure(pdp.target, case, args.seconds, expected[case])))
                for transport, r in rows:
                    s, w = r["sdk"], r["raw"]
                    print(
                        f"| {case} | {transport} | {s['p50']:.1f} | {w['p50']:.1f} "
                        f"| {s['p50'] - w['p50']:.1f} "
                        f"| {s['p99']:.1f} | {w['p99']:.1f} | {s['mean'] - w['mean']:.1f} | {int(s['n'])} |"
                    )
        finally:
            pdp.stop()
    for case in CASES:
        print(f"\nContractInput to DecideRequest ({case}): {build_cost(case):.1f} µs per call")
    print(f"\nPython {sys.version.split()[0]}, grpcio {grpc.__version__}; --seconds {args.seconds}")


def _struct(document: dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(document)
    return struct


if __name__ == "__main__":
    main()
