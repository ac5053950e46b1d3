"""The PDP's answer: allow or deny, and why; and the SDK's own fail-closed denies."""

from __future__ import annotations

from dataclasses import dataclass, field

PDP_UNAVAILABLE = "PDP_UNAVAILABLE"
"""Fail-closed code: the PDP could not be reached."""
PDP_TIMEOUT = "PDP_TIMEOUT"
"""Fail-closed code: the PDP did not answer within the deadline."""
PDP_ERROR = "PDP_ERROR"
"""Fail-closed code: the PDP answered an error status; the message names the status."""
FAIL_CLOSED_CLAUSE = "pdp/fail-closed"
"""The clause of the SDK's own fail-closed violations."""

_FAIL_CLOSED_CODES = frozenset({PDP_UNAVAILABLE, PDP_TIMEOUT, PDP_ERROR})


@dataclass(frozen=True)
class Violation:
    """Why a request was denied. Match on ``code``; ``message`` is for logs and operators."""

    code: str
    clause: str
    message: str


@dataclass(frozen=True)
class Obligation:
    """What the caller must do when it acts on an allowed decision."""

    code: str
    message: str


@dataclass(frozen=True)
class Bundle:
    """The policy bundle that decided; all empty when the PDP was not reached."""

    name: str = ""
    revision: str = ""
    digest: str = ""


@dataclass(frozen=True)
class Decision:
    """The PDP's answer, immutable.

    Never an allow the PDP did not make: an allow cannot carry violations and a deny cannot carry
    obligations (construction raises ``ValueError``). When the PDP cannot decide, the SDK answers
    a deny itself with exactly one violation of clause ``pdp/fail-closed``: see ``is_fail_closed``.
    """

    allowed: bool
    violations: tuple[Violation, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    decision_id: str = ""
    """The PDP's unique id for this decision, for audit ("" for the SDK's own denies)."""
    request_id: str = ""
    """The caller's correlation id, echoed ("" when none was given)."""
    bundle: Bundle = field(default_factory=Bundle)

    def __post_init__(self) -> None:
        object.__setattr__(self, "violations", tuple(self.violations))
        object.__setattr__(self, "obligations", tuple(self.obligations))
        if self.allowed and self.violations:
            raise ValueError(f"an allow cannot carry violations: {self.violations}")
        if not self.allowed and self.obligations:
            raise ValueError(f"a deny cannot carry obligations: {self.obligations}")

    @classmethod
    def fail_closed(cls, code: str, message: str, request_id: str = "") -> Decision:
        """A deny the SDK makes itself because the PDP could not decide."""
        return cls(False, (Violation(code, FAIL_CLOSED_CLAUSE, message),), request_id=request_id)

    def has_violation(self, code: str) -> bool:
        """Whether a violation with this code denied the request."""
        return any(v.code == code for v in self.violations)

    def has_obligation(self, code: str) -> bool:
        """Whether the caller must honour an obligation with this code."""
        return any(o.code == code for o in self.obligations)

    def obligation(self, code: str) -> Obligation | None:
        """The obligation with this code, or None."""
        return next((o for o in self.obligations if o.code == code), None)

    @property
    def violation_codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.violations)

    @property
    def obligation_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.obligations)

    @property
    def is_fail_closed(self) -> bool:
        """True for the SDK's own deny (PDP_UNAVAILABLE, PDP_TIMEOUT, PDP_ERROR), not a policy's."""
        return not self.allowed and any(
            v.clause == FAIL_CLOSED_CLAUSE and v.code in _FAIL_CLOSED_CODES for v in self.violations
        )


class PolicyDenied(Exception):
    """Raised by ``enforce`` when the request was denied, by the policy or by the SDK failing
    closed; the action was not run. Carries the whole decision."""

    def __init__(self, decision: Decision) -> None:
        if decision.allowed:
            raise ValueError(f"an allow is not a denial: {decision}")
        super().__init__(_denial_message(decision))
        self.decision = decision

    @property
    def violations(self) -> tuple[Violation, ...]:
        return self.decision.violations


def _denial_message(decision: Decision) -> str:
    if not decision.violations:
        return "denied by policy (no violation given)"
    return "denied by policy: " + "; ".join(f"{v.code} [{v.clause}] {v.message}" for v in decision.violations)
