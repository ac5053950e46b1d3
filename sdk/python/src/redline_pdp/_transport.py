"""What both clients share: how to reach the PDP, and how to call an action with its decision."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any, Callable, TypeVar, Union, cast

import grpc

from redline_pdp.decision import Decision

Pem = Union[str, "os.PathLike[str]", bytes]
"""PEM data: the bytes themselves, or the path of a file holding them."""
Tls = Union[bool, Pem, None]
"""``None``/``False``: plaintext; ``True``: TLS trusting the system's CAs; PEM: only those CAs."""
ClientCert = tuple[Pem, Pem]
"""(certificate chain, private key), both PEM: the client's identity for mutual TLS."""

DEFAULT_DEADLINE = 0.5
"""Seconds a decision may take, end to end, unless the client is given another deadline."""
USER_AGENT = "redline-pdp-sdk-python"
OPTIONS: tuple[tuple[str, Any], ...] = (("grpc.primary_user_agent", USER_AGENT),)

T = TypeVar("T")


def pem(value: Pem, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    path = Path(value)
    try:
        return path.read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read the {what} PEM file {path}: {e.strerror}") from e


def credentials(tls: Tls, client_cert: ClientCert | None) -> grpc.ChannelCredentials | None:
    """The channel's TLS credentials, or None for plaintext."""
    if tls is None or tls is False:
        if client_cert is not None:
            raise ValueError("client_cert is for mutual TLS: give tls=True or tls=<CA PEM> as well")
        return None
    roots = None if tls is True else pem(tls, "CA certificate")
    if client_cert is None:
        return grpc.ssl_channel_credentials(root_certificates=roots)
    chain, key = client_cert
    return grpc.ssl_channel_credentials(
        root_certificates=roots,
        private_key=pem(key, "client private key"),
        certificate_chain=pem(chain, "client certificate"),
    )


def positive(deadline: float) -> float:
    if not deadline > 0:
        raise ValueError(f"deadline must be a positive number of seconds, got {deadline!r}")
    return float(deadline)


def takes_decision(action: Callable[..., Any]) -> bool:
    """Whether ``action`` accepts one positional argument, the allowing decision."""
    try:
        inspect.signature(action).bind(None)
    except TypeError:
        return False
    except ValueError:  # no signature to read (some builtins): give it the decision
        return True
    return True


def run(action: Callable[[Decision], T] | Callable[[], T], decision: Decision) -> T:
    if takes_decision(action):
        return cast(Callable[[Decision], T], action)(decision)
    return cast(Callable[[], T], action)()


def wants_decision(fn: Callable[..., Any]) -> bool:
    """Whether a decorated function takes the allowing decision as its ``decision`` keyword."""
    try:
        return "decision" in inspect.signature(fn).parameters
    except ValueError:
        return False
