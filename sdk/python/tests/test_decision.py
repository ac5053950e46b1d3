"""A Decision is never an allow the PDP did not make."""

from __future__ import annotations

import dataclasses

import pytest
from redline_pdp._proto.pdp.v1 import decision_pb2

from redline_pdp import Decision, Obligation, PolicyDenied, Violation
from redline_pdp._wire import from_response


def test_an_allow_that_lists_violations_is_a_deny() -> None:
    response = decision_pb2.DecideResponse(
        allow=True,
        violations=[decision_pb2.Violation(code="X", clause="c", message="m")],
        obligations=[decision_pb2.Obligation(code="O", message="o")],
    )

    decision = from_response(response, "r")

    assert not decision.allowed
    assert decision.violation_codes == ("X",)
    assert decision.obligations == ()


def test_a_deny_drops_its_obligations() -> None:
    response = decision_pb2.DecideResponse(allow=False, obligations=[decision_pb2.Obligation(code="O")])

    assert from_response(response, "").obligations == ()


def test_the_sent_request_id_stands_when_the_pdp_echoes_none() -> None:
    assert from_response(decision_pb2.DecideResponse(allow=True), "req-9").request_id == "req-9"


def test_cannot_be_built_as_an_allow_with_violations() -> None:
    with pytest.raises(ValueError, match="an allow cannot carry violations"):
        Decision(True, (Violation("X", "c", "m"),))


def test_cannot_be_built_as_a_deny_with_obligations() -> None:
    with pytest.raises(ValueError, match="a deny cannot carry obligations"):
        Decision(False, obligations=(Obligation("O", "o"),))


def test_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Decision(True).allowed = False  # type: ignore[misc]


def test_a_policy_deny_is_not_fail_closed() -> None:
    assert not Decision(
        False, (Violation("AUTONOMOUS_WEAPONS", "red-line/autonomous-weapons", "m"),)
    ).is_fail_closed


def test_policy_denied_names_every_violation() -> None:
    denied = PolicyDenied(Decision(False, (Violation("A", "x", "one"), Violation("B", "y", "two"))))

    assert str(denied) == "denied by policy: A [x] one; B [y] two"


def test_policy_denied_refuses_an_allow() -> None:
    with pytest.raises(ValueError, match="an allow is not a denial"):
        PolicyDenied(Decision(True))
