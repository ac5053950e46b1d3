"""When the PDP cannot decide, the SDK denies, and never runs the guarded action."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from inputs import logistics
from pdp_process import PdpProcess, unused_port

from redline_pdp import AsyncPdpClient, Decision, PdpClient, PolicyDenied


def assert_fail_closed(decision: Decision, code: str, message_start: str) -> None:
    assert not decision.allowed
    assert len(decision.violations) == 1
    violation = decision.violations[0]
    assert (violation.code, violation.clause) == (code, "pdp/fail-closed")
    assert violation.message.startswith(message_start), violation.message
    assert violation.message.endswith("; denied")
    assert decision.obligations == ()
    assert decision.decision_id == ""
    assert decision.bundle.name == decision.bundle.revision == ""
    assert decision.is_fail_closed


@pytest.fixture
def down_target() -> str:
    return f"127.0.0.1:{unused_port()}"


@pytest.fixture
def paused(pdp: PdpProcess) -> Iterator[PdpProcess]:
    """The shared PDP, stopped with SIGSTOP for the test: connections are accepted, nothing answers."""
    pdp.pause()
    try:
        yield pdp
    finally:
        pdp.resume()


def test_a_pdp_that_is_down_is_pdp_unavailable(down_target: str) -> None:
    with PdpClient(down_target) as client:
        decision = client.decide(logistics(), request_id="req-down")

    assert_fail_closed(decision, "PDP_UNAVAILABLE", "the PDP is unreachable (UNAVAILABLE")
    assert decision.request_id == "req-down"


def test_enforce_does_not_run_the_action_when_the_pdp_is_down(down_target: str) -> None:
    ran = []
    with PdpClient(down_target) as client, pytest.raises(PolicyDenied) as denied:
        client.enforce(logistics(), lambda: ran.append(True))

    assert ran == []
    assert denied.value.decision.violation_codes == ("PDP_UNAVAILABLE",)


def test_connect_reports_that_it_could_not_connect(down_target: str) -> None:
    with PdpClient(down_target) as client:
        assert client.connect(0.3) is False


def test_the_async_client_fails_closed_when_the_pdp_is_down(down_target: str) -> None:
    async def ask() -> Decision:
        async with AsyncPdpClient(down_target) as client:
            return await client.decide(logistics())

    assert_fail_closed(asyncio.run(ask()), "PDP_UNAVAILABLE", "the PDP is unreachable (UNAVAILABLE")


def test_a_stopped_pdp_past_the_deadline_is_pdp_timeout(paused: PdpProcess) -> None:
    with PdpClient(paused.target, deadline=0.3) as client:
        decision = client.decide(logistics())

    assert_fail_closed(decision, "PDP_TIMEOUT", "the PDP did not answer in time (DEADLINE_EXCEEDED")


def test_enforce_does_not_run_the_action_past_the_deadline(paused: PdpProcess) -> None:
    ran = []
    with PdpClient(paused.target, deadline=0.3) as client, pytest.raises(PolicyDenied) as denied:
        client.enforce(logistics(), lambda: ran.append(True))

    assert ran == []
    assert denied.value.decision.violation_codes == ("PDP_TIMEOUT",)


def test_the_async_client_fails_closed_past_the_deadline(paused: PdpProcess) -> None:
    async def ask() -> Decision:
        async with AsyncPdpClient(paused.target, deadline=0.3) as client:
            return await client.decide(logistics())

    assert_fail_closed(asyncio.run(ask()), "PDP_TIMEOUT", "the PDP did not answer in time (DEADLINE_EXCEEDED")


def test_an_error_status_is_pdp_error_naming_it(client: PdpClient) -> None:
    decision = client.decide({"user": "alice"}, path="no/such/rule")

    assert_fail_closed(decision, "PDP_ERROR", "the PDP answered NOT_FOUND: ")
    assert "no/such/rule" in decision.violations[0].message


def test_the_async_client_answers_an_error_status_with_pdp_error(pdp: PdpProcess) -> None:
    async def ask() -> Decision:
        async with AsyncPdpClient(pdp.target, deadline=10) as client:
            return await client.decide({"user": "alice"}, path="no/such/rule")

    assert_fail_closed(asyncio.run(ask()), "PDP_ERROR", "the PDP answered NOT_FOUND: ")


def test_a_closed_client_is_pdp_unavailable(pdp: PdpProcess) -> None:
    client = PdpClient(pdp.target, deadline=10)
    client.close()

    assert_fail_closed(client.decide(logistics()), "PDP_UNAVAILABLE", "the PDP is unreachable (UNAVAILABLE")


def test_a_deadline_must_be_positive() -> None:
    with pytest.raises(ValueError, match="deadline must be a positive number of seconds, got 0"):
        PdpClient("127.0.0.1:1", deadline=0)


def test_an_input_with_no_json_form_is_a_programming_error(client: PdpClient) -> None:
    with pytest.raises(TypeError, match=r"input\.when is a object, which has no JSON form"):
        client.decide({"when": object()})


def test_a_number_with_no_json_form_is_a_programming_error(client: PdpClient) -> None:
    with pytest.raises(ValueError, match=r"input\.score\[1\] is nan"):
        client.decide({"score": [1, float("nan")]})
