"""The blocking client: ask the PDP allow / deny / why, and fail closed."""

from __future__ import annotations

import functools
from types import TracebackType
from typing import Any, Callable, TypeVar, Union, cast

import grpc

from redline_pdp import _transport, _wire
from redline_pdp._proto.pdp.v1 import decision_pb2
from redline_pdp._transport import ClientCert, Tls
from redline_pdp._wire import DecisionInput
from redline_pdp.decision import Decision, PolicyDenied

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
InputOf = Union[DecisionInput, Callable[..., DecisionInput]]


class _Channel:
    """One channel, shared by a client and the views ``with_deadline`` makes of it."""

    def __init__(self, channel: grpc.Channel) -> None:
        self.channel = channel
        self.closed = False
        self.decide: grpc.UnaryUnaryMultiCallable[decision_pb2.DecideRequest, decision_pb2.DecideResponse]
        self.decide = channel.unary_unary(
            _wire.DECIDE_METHOD,
            request_serializer=decision_pb2.DecideRequest.SerializeToString,
            response_deserializer=decision_pb2.DecideResponse.FromString,
        )


class PdpClient:
    """Asks the PDP whether an action is allowed, and why, before the model acts.

    ::

        with PdpClient("localhost:9191") as pdp:
            decision = pdp.decide(input)                        # never raises for PDP failures
            answer = pdp.enforce(input, lambda: model(prompt))  # runs only when allowed

    A PDP failure is never an allow: when the PDP is unreachable, does not answer within the
    deadline, or answers an error status, ``decide`` returns a deny with one violation of clause
    ``pdp/fail-closed`` and code ``PDP_UNAVAILABLE``, ``PDP_TIMEOUT`` or ``PDP_ERROR``.

    Thread-safe: share one per process and PDP. ``tls`` is ``None`` (plaintext, the default),
    ``True`` (TLS trusting the system's CAs) or the CA certificates to trust (PEM bytes or a path);
    ``client_cert`` is ``(certificate chain, private key)`` for mutual TLS. ``deadline`` is the
    seconds each decision may take, end to end.
    """

    def __init__(
        self,
        target: str,
        *,
        tls: Tls = None,
        client_cert: ClientCert | None = None,
        deadline: float = _transport.DEFAULT_DEADLINE,
    ) -> None:
        self._deadline = _transport.positive(deadline)
        creds = _transport.credentials(tls, client_cert)
        options = _transport.OPTIONS
        channel = (
            grpc.insecure_channel(target, options=options)
            if creds is None
            else grpc.secure_channel(target, creds, options=options)
        )
        self._shared = _Channel(channel)
        self._owns = True

    @classmethod
    def _view(cls, shared: _Channel, deadline: float) -> PdpClient:
        view = cls.__new__(cls)
        view._shared, view._owns, view._deadline = shared, False, deadline
        return view

    @property
    def deadline(self) -> float:
        """Seconds each decision may take."""
        return self._deadline

    def with_deadline(self, deadline: float) -> PdpClient:
        """A client sharing this one's channel with another deadline; closing it does nothing."""
        return PdpClient._view(self._shared, _transport.positive(deadline))

    def decide(
        self,
        input: DecisionInput,
        request_id: str | None = None,
        path: str | None = None,
        *,
        traceparent: str | None = None,
    ) -> Decision:
        """Asks the PDP, blocking until it answers or the deadline passes.

        ``input`` is a ContractInput or any JSON-like mapping; ``path`` the entrypoint (default
        ``contract/decision``); ``request_id`` a correlation id the decision echoes;
        ``traceparent`` a W3C trace context sent as ``traceparent`` metadata. Returns the PDP's
        decision, or the SDK's fail-closed deny. Raises only for programming errors: an input
        with no JSON form (TypeError/ValueError), a malformed traceparent (ValueError).
        """
        request = _wire.request(input, request_id, path)
        metadata = _wire.metadata(traceparent)
        if self._shared.closed:
            return _wire.closed(request.request_id)
        try:
            response = self._shared.decide(request, timeout=self._deadline, metadata=metadata)
        except Exception as error:  # any failure of the call is a deny, never an allow
            return _wire.from_error(error, request.request_id)
        return _wire.from_response(response, request.request_id)

    def enforce(
        self,
        input: DecisionInput,
        action: Callable[[Decision], T] | Callable[[], T],
        *,
        request_id: str | None = None,
        path: str | None = None,
        traceparent: str | None = None,
    ) -> T:
        """Runs ``action`` only when the PDP allows, and returns its result; otherwise raises
        PolicyDenied (carrying the decision) without running it. An action that takes one
        positional argument gets the allowing decision, to honour its obligations."""
        decision = self.decide(input, request_id, path, traceparent=traceparent)
        if not decision.allowed:
            raise PolicyDenied(decision)
        return _transport.run(action, decision)

    def enforcing(self, input: InputOf, *, path: str | None = None) -> Callable[[F], F]:
        """Decorator form of ``enforce``: the function runs only when the PDP allows.

        ``input`` is the input, or a function of the decorated function's arguments that builds
        it. A decorated function with a ``decision`` parameter gets the allowing decision there.
        A deny raises PolicyDenied.
        """

        def decorate(fn: F) -> F:
            pass_decision = _transport.wants_decision(fn)

            @functools.wraps(fn)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                document = input(*args, **kwargs) if callable(input) else input
                decision = self.decide(document, path=path)
                if not decision.allowed:
                    raise PolicyDenied(decision)
                if pass_decision:
                    kwargs["decision"] = decision
                return fn(*args, **kwargs)

            return cast(F, guarded)

        return decorate

    def connect(self, timeout: float) -> bool:
        """Connects now rather than on the first decision, waiting at most ``timeout`` seconds.
        False when not connected by then (decisions meanwhile fail closed)."""
        if self._shared.closed:
            return False
        try:
            grpc.channel_ready_future(self._shared.channel).result(timeout=timeout)
        except grpc.FutureTimeoutError:
            return False
        return True

    def close(self) -> None:
        """Closes the channel (not for a view); every decision after it is a PDP_UNAVAILABLE deny."""
        if self._owns and not self._shared.closed:
            self._shared.closed = True
            self._shared.channel.close()

    def __enter__(self) -> PdpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
