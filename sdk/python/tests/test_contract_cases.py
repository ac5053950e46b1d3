"""Every case of the contract corpus, through the Python SDK, decided exactly as the spec demands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pdp_process import REPO

from redline_pdp import PdpClient

CASES = sorted((REPO / "server" / "src" / "test" / "resources" / "contract-cases").glob("*.json"))


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 20, f"expected the contract corpus, found {len(CASES)} cases"


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_contract_case_is_decided_exactly_as_the_spec_demands(client: PdpClient, case_file: Path) -> None:
    case: dict[str, Any] = json.loads(case_file.read_text())
    expect = case["expect"]

    decision = client.decide(case["input"], request_id=case_file.stem)

    assert not decision.is_fail_closed, decision
    assert decision.allowed is expect["allow"]
    assert [(v.code, v.clause) for v in decision.violations] == [
        (v["code"], v["clause"]) for v in expect["violations"]
    ]
    assert list(decision.obligation_codes) == expect["obligations"]
    assert decision.request_id == case_file.stem
    assert decision.decision_id
    assert decision.bundle.name and decision.bundle.revision
