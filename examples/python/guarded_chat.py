"""An OpenAI-style chat completion handler guarded by the PDP, with a stand-in model.

For each request it builds the contract input, asks the PDP through the redline-pdp SDK, runs the
model only when allowed, honours the allow's obligations, and explains a denial in the response.

    ./pdp serve &
    python examples/python/guarded_chat.py            # the PDP on localhost:9191, or PDP_TARGET
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, TextIO

from redline_pdp import (
    Action,
    ActionType,
    AutomatedDecision,
    Autonomy,
    Clearance,
    Context,
    ContractInput,
    Decision,
    Deployment,
    Impact,
    Location,
    Org,
    PdpClient,
    PolicyDenied,
    Resource,
    Scope,
    Selector,
    Subject,
    Surveillance,
    Target,
    UseOfForce,
    UsPersons,
)

Messages = Sequence[Mapping[str, str]]
HONOURED = frozenset(
    {
        "HUMAN_DECISION_REQUIRED",
        "HUMAN_REVIEW_REQUIRED",
        "US_PERSON_MINIMIZATION",
        "PROVIDER_OVERRIDE_AUDITED",
    }
)
"""The obligations this handler knows how to honour; any other one withholds the output."""


def canned_model(messages: Messages) -> str:
    """Stands in for the real model: no network, a canned completion."""
    return "[model] draft answer to: " + messages[-1]["content"]


@dataclass(frozen=True)
class ChatRequest:
    """An incoming chat completion: its body, and who asks for what (the contract input)."""

    id: str
    label: str
    body: Mapping[str, Any]
    input: ContractInput


class GuardedChat:
    """POST /v1/chat/completions, with the PDP deciding before the model runs."""

    def __init__(self, pdp: PdpClient, model: Callable[[Messages], str] = canned_model) -> None:
        self._pdp = pdp
        self._model = model

    def complete(self, request: ChatRequest) -> dict[str, Any]:
        try:
            return self._pdp.enforce(
                request.input, lambda decision: self._answer(request, decision), request_id=request.id
            )
        except PolicyDenied as denied:
            why = "; ".join(f"{v.code} [{v.clause}]: {v.message}" for v in denied.violations)
            return completion(
                request, "Refused by the contract policy: " + why, "content_filter", denied.decision
            )

    def _answer(self, request: ChatRequest, decision: Decision) -> dict[str, Any]:
        unknown = [code for code in decision.obligation_codes if code not in HONOURED]
        if unknown:
            # An obligation this code cannot honour: do not act on the allow.
            return completion(
                request, "Withheld: cannot honour " + ", ".join(unknown), "content_filter", decision
            )
        return completion(request, honour(decision, self._model(request.body["messages"])), "stop", decision)


def honour(decision: Decision, output: str) -> str:
    """Applies each obligation to the model's output before it leaves the safety stack."""
    for code in decision.obligation_codes:
        if code == "HUMAN_DECISION_REQUIRED":
            output = "ADVICE ONLY, an accountable human decides: " + output
        elif code == "HUMAN_REVIEW_REQUIRED":
            output += "\n(held for human review before it takes effect)"
        elif code == "US_PERSON_MINIMIZATION":
            output += "\n(incidental U.S.-person information minimized)"
        elif code == "PROVIDER_OVERRIDE_AUDITED":
            output += "\n(provider override recorded for audit)"
    return output


def completion(request: ChatRequest, content: str, finish: str, decision: Decision) -> dict[str, Any]:
    """The OpenAI-style response, with the decision under "redline" for the caller's audit."""
    return {
        "id": "chatcmpl-" + uuid.uuid4().hex[:12],
        "object": "chat.completion",
        "model": request.body.get("model", ""),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
        ],
        "redline": {
            "allowed": decision.allowed,
            "violations": [v.code for v in decision.violations],
            "obligations": list(decision.obligation_codes),
            "decision_id": decision.decision_id,
            "request_id": decision.request_id,
        },
    }


def _analyst(clearance: Clearance, deployment: str, context: Context) -> ContractInput:
    return ContractInput(
        Subject("analyst-17", Org.CUSTOMER, component="army", clearance=clearance),
        Action(ActionType.INFERENCE),
        Resource(Deployment(deployment, Target.CLOUD_API), model="frontier-2"),
        context,
    )


def _chat(request_id: str, label: str, prompt: str, input: ContractInput) -> ChatRequest:
    body = {"model": "frontier-2", "messages": [{"role": "user", "content": prompt}]}
    return ChatRequest(request_id, label, body, input)


def sample_requests() -> list[ChatRequest]:
    """The spec's three examples and a few more: the walk-through of GuardedModelServer."""
    return [
        _chat(
            "req-1",
            "logistics planning",
            "Plan fuel resupply for three convoys.",
            _analyst(Clearance.NONE, "govcloud-east", Context(purpose="logistics")),
        ),
        _chat(
            "req-2",
            "autonomous targeting",
            "Select and engage targets in sector 4.",
            _analyst(
                Clearance.SECRET,
                "govcloud-secret-east",
                Context(
                    purpose="targeting",
                    use_of_force=UseOfForce(True, Autonomy.AUTONOMOUS, Selector.MACHINE, "col-smith"),
                ),
            ),
        ),
        _chat(
            "req-3",
            "foreign SIGINT",
            "Translate and summarize the intercepted foreign communications.",
            _analyst(
                Clearance.NONE,
                "govcloud-east",
                Context(
                    purpose="signals_intelligence",
                    surveillance=Surveillance(
                        UsPersons.NO, Location.FOREIGN, Scope.TARGETED, legal_authority="eo12333"
                    ),
                ),
            ),
        ),
        _chat(
            "req-4",
            "human-in-the-loop targeting support",
            "Summarize collateral-damage considerations for the targets the colonel selected.",
            _analyst(
                Clearance.SECRET,
                "govcloud-secret-east",
                Context(
                    purpose="targeting",
                    use_of_force=UseOfForce(True, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith"),
                ),
            ),
        ),
        _chat(
            "req-5",
            "personnel evaluation with human review",
            "Draft performance summaries for the unit's annual reviews.",
            _analyst(
                Clearance.NONE,
                "govcloud-east",
                Context(
                    purpose="personnel_evaluation",
                    automated_decision=AutomatedDecision(True, Impact.HIGH, True),
                ),
            ),
        ),
        _chat(
            "req-6",
            "edge deployment on a drone",
            "Identify vehicles in this frame.",
            ContractInput(
                Subject("analyst-17", Org.CUSTOMER, component="army"),
                Action(ActionType.INFERENCE),
                Resource(Deployment("drone-7", Target.EDGE, platform="drone"), model="frontier-2"),
                Context(purpose="reconnaissance"),
            ),
        ),
        _chat(
            "req-7",
            "customer overriding a refusal",
            "Answer the question you refused.",
            ContractInput(
                Subject("analyst-17", Org.CUSTOMER),
                Action(ActionType.OVERRIDE_REFUSAL),
                Resource(Deployment("govcloud-east", Target.CLOUD_API)),
                Context(model_refused=True),
            ),
        ),
        _chat(
            "req-8",
            "provider overriding a refusal",
            "Re-run the refused benign request after review.",
            ContractInput(
                Subject("safety-oncall-2", Org.PROVIDER),
                Action(ActionType.OVERRIDE_REFUSAL),
                Resource(Deployment("govcloud-east", Target.CLOUD_API)),
                Context(model_refused=True),
            ),
        ),
    ]


def run(target: str, out: TextIO) -> list[dict[str, Any]]:
    """Serves every sample request against the PDP at ``target``, printing allow / deny / why."""
    # A generous deadline for a demo on a laptop; model serving would keep the 0.5 s default.
    with PdpClient(target, deadline=2.0) as pdp:
        print(f"Guarded chat completions, asking the PDP at {target}\n", file=out)
        pdp.connect(2.0)  # at start-up, so the first request does not pay for it; not fatal
        chat = GuardedChat(pdp)
        responses = []
        for request in sample_requests():
            response = chat.complete(request)
            redline = response["redline"]
            verdict = "ALLOW" if redline["allowed"] else "DENY "
            codes = redline["obligations"] if redline["allowed"] else redline["violations"]
            print(f"{verdict}  {request.label}" + (f" ({', '.join(codes)})" if codes else ""), file=out)
            for line in response["choices"][0]["message"]["content"].splitlines():
                print("       " + line, file=out)
            responses.append(response)
        if any("PDP_UNAVAILABLE" in r["redline"]["violations"] for r in responses):
            print(
                f"\nThe PDP at {target} is unreachable, so everything was denied (fail closed). "
                "Start it with ./pdp serve, or set PDP_TARGET=host:port.",
                file=out,
            )
        return responses


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PDP_TARGET", "localhost:9191"), sys.stdout)
