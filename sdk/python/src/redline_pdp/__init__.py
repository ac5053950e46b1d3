"""Redline PDP client: ask allow / deny / why before the model acts, and fail closed.

::

    from redline_pdp import PdpClient, ContractInput

    with PdpClient("localhost:9191") as pdp:
        decision = pdp.decide(input)
"""

from redline_pdp.aio import AsyncPdpClient
from redline_pdp.client import PdpClient
from redline_pdp.contract import (
    CONTRACT_PATH,
    Action,
    ActionType,
    AutomatedDecision,
    Autonomy,
    CallerMethod,
    Classification,
    Clearance,
    Context,
    ContractInput,
    Deployment,
    Impact,
    Location,
    Org,
    Resource,
    Scope,
    Selector,
    Subject,
    SubjectType,
    Surveillance,
    Target,
    UseOfForce,
    UsPersons,
    WireEnum,
)
from redline_pdp.decision import (
    FAIL_CLOSED_CLAUSE,
    PDP_ERROR,
    PDP_TIMEOUT,
    PDP_UNAVAILABLE,
    Bundle,
    Decision,
    Obligation,
    PolicyDenied,
    Violation,
)

__all__ = [
    "CONTRACT_PATH",
    "FAIL_CLOSED_CLAUSE",
    "PDP_ERROR",
    "PDP_TIMEOUT",
    "PDP_UNAVAILABLE",
    "Action",
    "ActionType",
    "AsyncPdpClient",
    "AutomatedDecision",
    "Autonomy",
    "Bundle",
    "CallerMethod",
    "Classification",
    "Clearance",
    "Context",
    "ContractInput",
    "Decision",
    "Deployment",
    "Impact",
    "Location",
    "Obligation",
    "Org",
    "PdpClient",
    "PolicyDenied",
    "Resource",
    "Scope",
    "Selector",
    "Subject",
    "SubjectType",
    "Surveillance",
    "Target",
    "UsPersons",
    "UseOfForce",
    "Violation",
    "WireEnum",
]
