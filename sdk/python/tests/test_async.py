"""AsyncPdpClient: the same methods as coroutines, against the real PDP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Callable, TypeVar

import pytest
from inputs import autonomous_targeting, human_targeting, logistics
from pdp_process import PdpProcess

from redline_pdp import AsyncPdpClient, Decision, PolicyDenied

T = TypeVar("T")


def with_client(pdp: PdpProcess, use: Callable[[AsyncPdpClient], Awaitable[T]]) -> T:
    async def run() -> T:
        async with AsyncPdpClient(pdp.target, deadline=10) as client:
            assert await client.connect(10)
            return await use(client)

    return asyncio.run(run())


def test_decide_answers_the_pdps_decision(pdp: PdpProcess) -> None:
    decision = with_client(pdp, lambda c: c.decide(human_targeting(), request_id="req-a"))

    assert decision.allowed
    assert decision.obligation_codes == ("HUMAN_DECISION_REQUIRED",)
    assert decision.request_id == "req-a"
    assert decision.decision_id


def test_decisions_run_concurrently_on_one_client(pdp: PdpProcess) -> None:
    async def many(client: AsyncPdpClient) -> list[Decision]:
        return list(await asyncio.gather(*(client.decide(logistics(), request_id=f"r{i}") for i in range(8))))

    decisions = with_client(pdp, many)

    assert [d.request_id for d in decisions] == [f"r{i}" for i in range(8)]
    assert all(d.allowed for d in decisions)


def test_enforce_awaits_a_coroutine_action_with_the_decision(pdp: PdpProcess) -> None:
    async def action(decision: Decision) -> str:
        return ",".join(decision.obligation_codes)

    assert with_client(pdp, lambda c: c.enforce(human_targeting(), action)) == "HUMAN_DECISION_REQUIRED"


def test_enforce_raises_policy_denied_without_running_the_action(pdp: PdpProcess) -> None:
    ran = []

    async def action() -> None:
        ran.append(True)

    with pytest.raises(PolicyDenied) as denied:
        with_client(pdp, lambda c: c.enforce(autonomous_targeting(), action))

    assert ran == []
    assert denied.value.decision.has_violation("MACHINE_TARGET_SELECTION")


def test_the_decorator_guards_a_coroutine_function(pdp: PdpProcess) -> None:
    async def use(client: AsyncPdpClient) -> str:
        @client.enforcing(lambda prompt: logistics())
        async def complete(prompt: str) -> str:
            return f"[model] {prompt}"

        return await complete("plan")

    assert with_client(pdp, use) == "[model] plan"


def test_the_decorator_denies_a_coroutine_function(pdp: PdpProcess) -> None:
    async def use(client: AsyncPdpClient) -> None:
        @client.enforcing(autonomous_targeting())
        async def engage() -> None:
            raise AssertionError("ran although denied")

        await engage()

    with pytest.raises(PolicyDenied):
        with_client(pdp, use)
