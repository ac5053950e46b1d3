"""Between the SDK's types and the generated messages: requests out, decisions and statuses in."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Union

import grpc
from google.protobuf import struct_pb2

from redline_pdp._proto.pdp.v1 import decision_pb2
from redline_pdp.contract import CONTRACT_PATH, ContractInput
from redline_pdp.decision import (
    PDP_ERROR,
    PDP_TIMEOUT,
    PDP_UNAVAILABLE,
    Bundle,
    Decision,
    Obligation,
    Violation,
)

DecisionInput = Union[ContractInput, Mapping[str, Any]]
"""A ContractInput, or a raw JSON-like document for any other entrypoint."""

DECIDE_METHOD = "/pdp.v1.DecisionService/Decide"
_CACHED_STRUCT = "_redline_struct"
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def request(input: DecisionInput, request_id: str | None, path: str | None) -> decision_pb2.DecideRequest:
    """The DecideRequest for ``input``; raises TypeError/ValueError for an input with no JSON form."""
    if isinstance(input, ContractInput):
        struct = _contract_struct(input)
    elif isinstance(input, Mapping):
        struct = to_struct(input)
    else:
        raise TypeError(f"input must be a ContractInput or a mapping, got {type(input).__name__}")
    return decision_pb2.DecideRequest(
        request_id=request_id or "", path=CONTRACT_PATH if path is None else path, input=struct
    )


def _contract_struct(input: ContractInput) -> struct_pb2.Struct:
    """The ContractInput's document, built once: a ContractInput is immutable, and asked often."""
    cached: struct_pb2.Struct | None = input.__dict__.get(_CACHED_STRUCT)
    if cached is None:
        cached = to_struct(input.to_dict())
        object.__setattr__(input, _CACHED_STRUCT, cached)
    return cached


def to_struct(document: Mapping[str, Any]) -> struct_pb2.Struct:
    """A JSON-like mapping as a protobuf Struct; TypeError/ValueError name what has no JSON form."""
    struct = struct_pb2.Struct()
    for key, value in document.items():
        _set(struct.fields[_key(key, "input")], value, f"input.{key}")
    return struct


def _key(key: object, where: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"{where} has a key that is not a string: {key!r}")
    return key


def _set(target: struct_pb2.Value, value: object, where: str) -> None:
    if value is None:
        target.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}, which has no JSON form")
        target.number_value = value
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, Mapping):
        fields = target.struct_value.fields
        target.struct_value.SetInParent()
        for key, item in value.items():
            _set(fields[_key(key, where)], item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        values = target.list_value.values
        target.list_value.SetInParent()
        for index, item in enumerate(value):
            _set(values.add(), item, f"{where}[{index}]")
    else:
        raise TypeError(f"{where} is a {type(value).__name__}, which has no JSON form")


def metadata(traceparent: str | None) -> tuple[tuple[str, str], ...] | None:
    """The call's metadata: the W3C trace context, when one is given."""
    if traceparent is None:
        return None
    if not _TRACEPARENT.match(traceparent):
        raise ValueError(
            f"traceparent {traceparent!r} is not a W3C trace context (version-traceid-parentid-flags, "
            "lower-case hex, e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01)"
        )
    return (("traceparent", traceparent),)


def from_response(response: decision_pb2.DecideResponse, request_id: str) -> Decision:
    """The PDP's answer as a Decision, read defensively: an allow that lists violations is a deny,
    and a deny's obligations are dropped."""
    violations = tuple(Violation(v.code, v.clause, v.message) for v in response.violations)
    allowed = response.allow and not violations
    obligations = tuple(Obligation(o.code, o.message) for o in response.obligations) if allowed else ()
    return Decision(
        allowed,
        violations,
        obligations,
        decision_id=response.decision_id,
        request_id=response.request_id or request_id,
        bundle=Bundle(response.bundle.name, response.bundle.revision, response.bundle.digest),
    )


def from_error(error: BaseException, request_id: str) -> Decision:
    """The SDK's deny for a call that failed with ``error``."""
    if isinstance(error, (grpc.Call, grpc.aio.AioRpcError)):
        code = error.code()
        details = error.details()
        description = code.name + (f": {details}" if details else "")
        if code == grpc.StatusCode.UNAVAILABLE:
            return Decision.fail_closed(
                PDP_UNAVAILABLE, f"the PDP is unreachable ({description}); denied", request_id
            )
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            return Decision.fail_closed(
                PDP_TIMEOUT, f"the PDP did not answer in time ({description}); denied", request_id
            )
        return Decision.fail_closed(PDP_ERROR, f"the PDP answered {description}; denied", request_id)
    return Decision.fail_closed(PDP_ERROR, f"the PDP call failed: {error!r}; denied", request_id)


def closed(request_id: str) -> Decision:
    """The deny of a client that was closed, as the Java SDK's (an UNAVAILABLE channel)."""
    return Decision.fail_closed(
        PDP_UNAVAILABLE, "the PDP is unreachable (UNAVAILABLE: the client is closed); denied", request_id
    )
