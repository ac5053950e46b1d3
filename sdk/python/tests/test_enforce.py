"""enforce and its decorator run the action only when allowed, and hand it the decision."""

from __future__ import annotations

import pytest
from inputs import autonomous_targeting, human_targeting, logistics

from redline_pdp import ContractInput, Decision, PdpClient, PolicyDenied


def test_enforce_runs_the_action_and_returns_its_result_when_allowed(client: PdpClient) -> None:
    assert client.enforce(logistics(), lambda: "answer") == "answer"


def test_enforce_hands_the_action_the_decision_to_honour_its_obligations(client: PdpClient) -> None:
    def advise(decision: Decision) -> str:
        return "ADVICE ONLY: x" if decision.has_obligation("HUMAN_DECISION_REQUIRED") else "x"

    assert client.enforce(human_targeting(), advise) == "ADVICE ONLY: x"


def test_enforce_raises_policy_denied_with_the_decision_and_does_not_run_the_action(
    client: PdpClient,
) -> None:
    ran = []
    with pytest.raises(PolicyDenied) as denied:
        client.enforce(autonomous_targeting(), lambda: ran.append(True), request_id="req-7")

    assert ran == []
    assert denied.value.decision.violation_codes == ("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION")
    assert denied.value.decision.request_id == "req-7"
    assert str(denied.value).startswith("denied by policy: AUTONOMOUS_WEAPONS [red-line/autonomous-weapons] ")


def test_the_decorator_builds_the_input_from_the_arguments_and_runs_when_allowed(client: PdpClient) -> None:
    @client.enforcing(lambda prompt, request: request)
    def complete(prompt: str, request: ContractInput) -> str:
        return f"[model] {prompt}"

    assert complete("plan fuel resupply", logistics()) == "[model] plan fuel resupply"


def test_the_decorator_passes_the_decision_to_a_decision_parameter(client: PdpClient) -> None:
    @client.enforcing(human_targeting())
    def complete(prompt: str, decision: Decision | None = None) -> tuple[str, ...]:
        assert decision is not None
        return decision.obligation_codes

    assert complete("summarize") == ("HUMAN_DECISION_REQUIRED",)


def test_the_decorator_raises_policy_denied_and_does_not_run_the_function(client: PdpClient) -> None:
    ran = []

    @client.enforcing(autonomous_targeting())
    def engage() -> None:
        ran.append(True)

    with pytest.raises(PolicyDenied) as denied:
        engage()

    assert ran == []
    assert denied.value.decision.has_violation("AUTONOMOUS_WEAPONS")


def test_a_raw_mapping_is_decided_at_the_contract_entrypoint_by_default(client: PdpClient) -> None:
    assert client.decide(logistics().to_dict()).allowed


def test_a_traceparent_is_sent_with_the_call(client: PdpClient) -> None:
    decision = client.decide(
        logistics(), traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    )

    assert decision.allowed


def test_a_malformed_traceparent_is_refused_before_the_call(client: PdpClient) -> None:
    with pytest.raises(ValueError, match="is not a W3C trace context"):
        client.decide(logistics(), traceparent="not-a-trace")


def test_a_view_with_another_deadline_shares_the_channel(client: PdpClient) -> None:
    view = client.with_deadline(5.0)
    view.close()

    assert view.deadline == 5.0
    assert client.decide(logistics()).allowed
