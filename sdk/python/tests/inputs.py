"""Inputs the behavioural tests ask about: the spec's examples."""

from __future__ import annotations

from redline_pdp import (
    Action,
    ActionType,
    Autonomy,
    Clearance,
    Context,
    ContractInput,
    Deployment,
    Org,
    Resource,
    Selector,
    Subject,
    Target,
    UseOfForce,
)


def logistics() -> ContractInput:
    """Allowed, no obligations."""
    return ContractInput(
        Subject("analyst-17", Org.CUSTOMER),
        Action(ActionType.INFERENCE),
        Resource(Deployment("govcloud-east", Target.CLOUD_API)),
        Context(purpose="logistics"),
    )


def targeting(autonomy: Autonomy, selector: Selector) -> ContractInput:
    """Allowed with HUMAN_DECISION_REQUIRED when a human is in the loop and selects; else denied."""
    return ContractInput(
        Subject("analyst-17", Org.CUSTOMER, clearance=Clearance.SECRET),
        Action(ActionType.INFERENCE),
        Resource(Deployment("govcloud-secret-east", Target.CLOUD_API)),
        Context(purpose="targeting", use_of_force=UseOfForce(True, autonomy, selector, "col-smith")),
    )


def human_targeting() -> ContractInput:
    return targeting(Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN)


def autonomous_targeting() -> ContractInput:
    return targeting(Autonomy.AUTONOMOUS, Selector.MACHINE)
