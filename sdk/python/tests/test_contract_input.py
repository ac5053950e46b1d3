"""ContractInput writes the spec's input document under its exact field names."""

from __future__ import annotations

import json
from typing import Any

from pdp_process import REPO

from redline_pdp import (
    Action,
    ActionType,
    Autonomy,
    Clearance,
    Context,
    ContractInput,
    Deployment,
    Org,
    PdpClient,
    Resource,
    Selector,
    Subject,
    SubjectType,
    Target,
    UseOfForce,
)

CASES = REPO / "server" / "src" / "test" / "resources" / "contract-cases"


def case(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((CASES / f"{name}.json").read_text())
    return loaded


def human_in_the_loop_targeting() -> ContractInput:
    return ContractInput(
        subject=Subject(
            "analyst-17", Org.CUSTOMER, type=SubjectType.HUMAN, component="army", clearance=Clearance.SECRET
        ),
        action=Action(ActionType.INFERENCE),
        resource=Resource(
            Deployment("govcloud-secret-east", Target.CLOUD_API, platform="datacenter"), model="frontier-2"
        ),
        context=Context(
            purpose="targeting",
            use_of_force=UseOfForce(True, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith"),
        ),
    )


def test_writes_the_document_of_the_contract_case_exactly() -> None:
    assert human_in_the_loop_targeting().to_dict() == case("allowed-targeting-human-decision")["input"]


def test_leaves_out_fields_not_set() -> None:
    document = ContractInput(
        Subject("a", Org.CUSTOMER), Action(ActionType.INFERENCE), Resource(Deployment("d", Target.EDGE))
    ).to_dict()

    assert document == {
        "subject": {"id": "a", "org": "customer"},
        "action": {"type": "inference"},
        "resource": {"deployment": {"id": "d", "target": "edge"}},
    }


def test_string_twins_write_a_value_this_sdk_does_not_know_as_given() -> None:
    document = ContractInput(
        Subject("a", "auditor", clearance="cosmic"),
        Action("summarize"),
        Resource(Deployment("d", "orbit")),
        extra={"contract_version": 2},
    ).to_dict()

    assert document["subject"] == {"id": "a", "org": "auditor", "clearance": "cosmic"}
    assert document["action"] == {"type": "summarize"}
    assert document["resource"]["deployment"]["target"] == "orbit"
    assert document["contract_version"] == 2


def test_enums_are_their_wire_strings() -> None:
    assert Autonomy("human_in_the_loop") is Autonomy.HUMAN_IN_THE_LOOP
    assert str(Clearance.TOP_SECRET) == "top_secret"
    assert json.dumps({"org": Org.PROVIDER}) == '{"org": "provider"}'


def test_the_pdp_decides_a_contract_input_as_the_raw_document(client: PdpClient) -> None:
    decision = client.decide(human_in_the_loop_targeting())

    assert decision.allowed
    assert decision.obligation_codes == ("HUMAN_DECISION_REQUIRED",)


def test_extra_fields_are_copied_so_the_document_stays_as_built() -> None:
    extra: dict[str, object] = {"contract_version": 2}
    built = ContractInput(
        Subject("a", Org.CUSTOMER),
        Action(ActionType.INFERENCE),
        Resource(Deployment("d", Target.EDGE)),
        extra=extra,
    )
    extra["contract_version"] = 3

    assert built.to_dict()["contract_version"] == 2
