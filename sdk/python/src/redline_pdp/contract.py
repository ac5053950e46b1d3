"""The contract policy's input document (shared/spec/contract-terms.md), typed.

Every enumeration of the contract is an ``Enum`` whose value is the wire form
(``Org.CUSTOMER`` is ``"customer"``); wherever one is taken, a plain ``str`` is taken too, for a
value a newer contract adds before this SDK knows it. Fields left ``None`` are left out of the
document, and the policy applies the contract's defaults or denies a missing required field with
``INVALID_INPUT``: the policy, not the SDK, judges the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

CONTRACT_PATH = "contract/decision"
"""The contract policy's entrypoint."""


class WireEnum(str, Enum):
    """A value of one of the contract's enumerations; ``.value`` is how the contract writes it."""

    def __str__(self) -> str:
        return str(self.value)


class Org(WireEnum):
    """``subject.org``: which party asks."""

    CUSTOMER = "customer"
    PROVIDER = "provider"


class SubjectType(WireEnum):
    """``subject.type``."""

    HUMAN = "human"
    SERVICE = "service"


class Clearance(WireEnum):
    """``subject.clearance``, lowest first."""

    NONE = "none"
    CONFIDENTIAL = "confidential"
    SECRET = "secret"
    TOP_SECRET = "top_secret"


class ActionType(WireEnum):
    """``action.type``."""

    INFERENCE = "inference"
    TOOL_CALL = "tool_call"
    FINE_TUNE = "fine_tune"
    DEPLOY = "deploy"
    SAFETY_CONFIG = "safety_config"
    OVERRIDE_REFUSAL = "override_refusal"


class Target(WireEnum):
    """``resource.deployment.target``: the provider's cloud API, or an edge system."""

    CLOUD_API = "cloud_api"
    EDGE = "edge"


class Classification(WireEnum):
    """``resource.deployment.classification``, lowest first."""

    UNCLASSIFIED = "unclassified"
    SECRET = "secret"
    TOP_SECRET = "top_secret"


class Autonomy(WireEnum):
    """``context.use_of_force.autonomy``, in the sense of DoD Directive 3000.09."""

    HUMAN_IN_THE_LOOP = "human_in_the_loop"
    HUMAN_ON_THE_LOOP = "human_on_the_loop"
    AUTONOMOUS = "autonomous"


class Selector(WireEnum):
    """``context.use_of_force.target_selected_by``: who selects targets."""

    HUMAN = "human"
    MACHINE = "machine"


class UsPersons(WireEnum):
    """``context.surveillance.us_persons``."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Location(WireEnum):
    """``context.surveillance.location``."""

    DOMESTIC = "domestic"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"


class Scope(WireEnum):
    """``context.surveillance.scope``."""

    TARGETED = "targeted"
    BULK = "bulk"


class Impact(WireEnum):
    """``context.automated_decision.impact``."""

    LOW = "low"
    HIGH = "high"


class CallerMethod(WireEnum):
    """``caller.method``: how the PDP verified the caller (set by the PDP, never sent)."""

    MTLS = "mtls"
    JWT = "jwt"


def _fields(**values: Any) -> dict[str, Any]:
    """The set fields under their wire names, enums as their wire strings."""
    return {name: str(v) if isinstance(v, WireEnum) else v for name, v in values.items() if v is not None}


@dataclass(frozen=True)
class Subject:
    """``subject``: who asks, and for which party."""

    id: str
    org: Org | str
    type: SubjectType | str | None = None
    component: str | None = None
    """The customer component asking, e.g. "army" or "nsa"."""
    clearance: Clearance | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            id=self.id, org=self.org, type=self.type, component=self.component, clearance=self.clearance
        )


@dataclass(frozen=True)
class Action:
    """``action``: what the model is asked to do."""

    type: ActionType | str
    tool: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(type=self.type, tool=self.tool)


@dataclass(frozen=True)
class Deployment:
    """``resource.deployment``: where the model runs (looked up in the contract's deployment table)."""

    id: str
    target: Target | str
    platform: str | None = None
    classification: Classification | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            id=self.id, target=self.target, platform=self.platform, classification=self.classification
        )


@dataclass(frozen=True)
class Resource:
    """``resource``: the deployment, and optionally the model asked."""

    deployment: Deployment
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(model=self.model, deployment=self.deployment.to_dict())


@dataclass(frozen=True)
class UseOfForce:
    """``context.use_of_force``."""

    involved: bool
    autonomy: Autonomy | str
    target_selected_by: Selector | str
    authorizing_human: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            involved=self.involved,
            autonomy=self.autonomy,
            target_selected_by=self.target_selected_by,
            authorizing_human=self.authorizing_human,
        )


@dataclass(frozen=True)
class Surveillance:
    """``context.surveillance``."""

    us_persons: UsPersons | str
    location: Location | str
    scope: Scope | str
    data_source: str | None = None
    """E.g. "commercially_acquired"."""
    legal_authority: str | None = None
    """E.g. "eo12333"."""

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            us_persons=self.us_persons,
            location=self.location,
            scope=self.scope,
            data_source=self.data_source,
            legal_authority=self.legal_authority,
        )


@dataclass(frozen=True)
class AutomatedDecision:
    """``context.automated_decision``."""

    affects_individuals: bool
    impact: Impact | str
    human_review: bool

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            affects_individuals=self.affects_individuals, impact=self.impact, human_review=self.human_review
        )


@dataclass(frozen=True)
class Context:
    """``context``: what the output is for. A purpose of use of force, surveillance or high impact
    needs its block, or the policy denies with ``INSUFFICIENT_CONTEXT``."""

    purpose: str | None = None
    model_refused: bool | None = None
    use_of_force: UseOfForce | None = None
    surveillance: Surveillance | None = None
    automated_decision: AutomatedDecision | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(
            purpose=self.purpose,
            model_refused=self.model_refused,
            use_of_force=self.use_of_force.to_dict() if self.use_of_force else None,
            surveillance=self.surveillance.to_dict() if self.surveillance else None,
            automated_decision=self.automated_decision.to_dict() if self.automated_decision else None,
        )


@dataclass(frozen=True)
class ContractInput:
    """The input document of the contract policy (``contract/decision``).

    ``extra`` adds top-level fields the typed ones do not cover, for a newer contract (the policy
    ignores fields it does not know); its values are JSON-like, and not to be changed once given
    (the client builds the document once per ContractInput). ``caller`` is not here: the PDP
    sets it from the verified identity and replaces any the caller sends.
    """

    subject: Subject
    action: Action
    resource: Resource
    context: Context | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    path = CONTRACT_PATH

    def __post_init__(self) -> None:
        # A copy, so that the document stays as built (the client sends it as first written).
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON-like values, under the contract's exact field names."""
        document: dict[str, Any] = {
            "subject": self.subject.to_dict(),
            "action": self.action.to_dict(),
            "resource": self.resource.to_dict(),
        }
        if self.context is not None:
            document["context"] = self.context.to_dict()
        document.update(self.extra)
        return document
