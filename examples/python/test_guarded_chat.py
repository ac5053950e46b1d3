"""The guarded chat handler against the real PDP: obligations honoured, denials explained."""

from __future__ import annotations

import io
from typing import Any

from guarded_chat import GuardedChat, Messages, run, sample_requests
from pdp_process import PdpProcess, unused_port

from redline_pdp import PdpClient


def serve_all(pdp: PdpProcess) -> tuple[dict[str, dict[str, Any]], list[str]]:
    prompts: list[str] = []

    def model(messages: Messages) -> str:
        prompts.append(messages[-1]["content"])
        return "[model] ok"

    with PdpClient(pdp.target, deadline=10) as client:
        chat = GuardedChat(client, model)
        return {r.id: chat.complete(r) for r in sample_requests()}, prompts


def content(response: dict[str, Any]) -> str:
    text: str = response["choices"][0]["message"]["content"]
    return text


def test_each_request_is_allowed_or_denied_as_the_contract_says(pdp: PdpProcess) -> None:
    responses, _ = serve_all(pdp)

    assert {i: r["redline"]["allowed"] for i, r in responses.items()} == {
        "req-1": True,
        "req-2": False,
        "req-3": True,
        "req-4": True,
        "req-5": True,
        "req-6": False,
        "req-7": False,
        "req-8": True,
    }


def test_the_model_runs_only_for_allowed_requests(pdp: PdpProcess) -> None:
    _, prompts = serve_all(pdp)

    allowed = [
        r.body["messages"][-1]["content"]
        for r in sample_requests()
        if r.id in {"req-1", "req-3", "req-4", "req-5", "req-8"}
    ]
    assert prompts == allowed


def test_obligations_are_honoured_in_the_output(pdp: PdpProcess) -> None:
    responses, _ = serve_all(pdp)

    assert content(responses["req-4"]).startswith("ADVICE ONLY, an accountable human decides: ")
    assert "(incidental U.S.-person information minimized)" in content(responses["req-3"])
    assert "(held for human review before it takes effect)" in content(responses["req-5"])
    assert "(provider override recorded for audit)" in content(responses["req-8"])
    assert content(responses["req-1"]) == "[model] ok"


def test_a_denial_is_explained_with_each_violation(pdp: PdpProcess) -> None:
    responses, _ = serve_all(pdp)

    denied = responses["req-2"]
    assert denied["choices"][0]["finish_reason"] == "content_filter"
    assert denied["redline"]["violations"] == ["AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"]
    assert "AUTONOMOUS_WEAPONS [red-line/autonomous-weapons]: " in content(denied)
    assert responses["req-6"]["redline"]["violations"] == ["EDGE_DEPLOYMENT", "OPERATIONAL_HARDWARE"]


def test_with_the_pdp_down_everything_is_denied_and_said_so() -> None:
    out = io.StringIO()

    responses = run(f"127.0.0.1:{unused_port()}", out)

    assert all(r["redline"]["violations"] == ["PDP_UNAVAILABLE"] for r in responses)
    assert "is unreachable, so everything was denied (fail closed)" in out.getvalue()
