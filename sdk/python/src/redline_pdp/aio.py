"""The asyncio client, on grpc.aio: the same methods as PdpClient, as coroutines."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable
from types import TracebackType
from typing import Any, Callable, TypeVar, Union, cast, overload

import grpc
import grpc.aio

from redline_pdp import _transport, _wire
from redline_pdp._proto.pdp.v1 import decision_pb2
from redline_pdp._transport import ClientCert, Tls
from redline_pdp._wire import DecisionInput
from redline_pdp.client import InputOf
from redline_pdp.decision import Decision, PolicyDenied

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
AsyncAction = Union[Callable[[Decision], Awaitable[T]], Callable[[], Awaitable[T]]]
SyncAction = Union[Callable[[Decision], T], Callable[[], T]]


class AsyncPdpClient:
    """PdpClient for asyncio code: ``async with AsyncPdpClient(target) as pdp: await pdp.decide(...)``.

    Fails closed exactly as PdpClient: ``decide`` always returns a decision, the SDK's own deny
    when the PDP cannot decide. The channel is opened on first use, inside the running loop;
    use the client from that one loop.
    """

    def __init__(
        self,
        target: str,
        *,
        tls: Tls = None,
        client_cert: ClientCert | None = None,
        deadline: float = _transport.DEFAULT_DEADLINE,
    ) -> None:
        self._target = target
        self._credentials = _transport.credentials(tls, client_cert)
        self._deadline = _transport.positive(deadline)
        self._channel: grpc.aio.Channel | None = None
        self._decide: grpc.aio.UnaryUnaryMultiCallable[
            decision_pb2.DecideRequest, decision_pb2.DecideResponse
        ]
        self._closed = False

    @property
    def deadline(self) -> float:
        return self._deadline

    def _open(self) -> grpc.aio.Channel:
        if self._channel is None:
            options = _transport.OPTIONS
            self._channel = (
                grpc.aio.insecure_channel(self._target, options=options)
                if self._credentials is None
                else grpc.aio.secure_channel(self._target, self._credentials, options=options)
            )
            self._decide = self._channel.unary_unary(
                _wire.DECIDE_METHOD,
                request_serializer=decision_pb2.DecideRequest.SerializeToString,
                response_deserializer=decision_pb2.DecideResponse.FromString,
            )
        return self._channel

    async def decide(
        self,
        input: DecisionInput,
        request_id: str | None = None,
        path: str | None = None,
        *,
        traceparent: str | None = None,
    ) -> Decision:
        """PdpClient.decide, awaited."""
        request = _wire.request(input, request_id, path)
        metadata = _wire.metadata(traceparent)
        if self._closed:
            return _wire.closed(request.request_id)
        try:
            self._open()
            response = await self._decide(request, timeout=self._deadline, metadata=metadata)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # any failure of the call is a deny, never an allow
            return _wire.from_error(error, request.request_id)
        return _wire.from_response(response, request.request_id)

    @overload
    async def enforce(
        self,
        input: DecisionInput,
        action: AsyncAction[T],
        *,
        request_id: str | None = None,
        path: str | None = None,
        traceparent: str | None = None,
    ) -> T: ...

    @overload
    async def enforce(
        self,
        input: DecisionInput,
        action: SyncAction[T],
        *,
        request_id: str | None = None,
        path: str | None = None,
        traceparent: str | None = None,
    ) -> T: ...

    async def enforce(
        self,
        input: DecisionInput,
        action: AsyncAction[T] | SyncAction[T],
        *,
        request_id: str | None = None,
        path: str | None = None,
        traceparent: str | None = None,
    ) -> T:
        """PdpClient.enforce, awaited; the action may be a plain function or a coroutine function."""
        decision = await self.decide(input, request_id, path, traceparent=traceparent)
        if not decision.allowed:
            raise PolicyDenied(decision)
        result = _transport.run(cast(Callable[..., Any], action), decision)
        if inspect.isawaitable(result):
            return cast(T, await result)
        return cast(T, result)

    def enforcing(self, input: InputOf, *, path: str | None = None) -> Callable[[F], F]:
        """PdpClient.enforcing for coroutine functions."""

        def decorate(fn: F) -> F:
            pass_decision = _transport.wants_decision(fn)

            @functools.wraps(fn)
            async def guarded(*args: Any, **kwargs: Any) -> Any:
                document = input(*args, **kwargs) if callable(input) else input
                decision = await self.decide(document, path=path)
                if not decision.allowed:
                    raise PolicyDenied(decision)
                if pass_decision:
                    kwargs["decision"] = decision
                return await fn(*args, **kwargs)

            return cast(F, guarded)

        return decorate

    async def connect(self, timeout: float) -> bool:
        """Connects now, waiting at most ``timeout`` seconds; False when not connected by then."""
        if self._closed:
            return False
        try:
            await asyncio.wait_for(self._open().channel_ready(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Closes the channel; every decision after it is a PDP_UNAVAILABLE deny."""
        self._closed = True
        if self._channel is not None:
            await self._channel.close()

    async def __aenter__(self) -> AsyncPdpClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
