"""Reads written once for both clients: a read is a generator of the HTTP requests it needs (:class:`_Call`);
it is sent each answer's ``data`` (or the request's error, thrown in) and returns its result. ``run_steps``
drives one with a blocking transport, ``arun_steps`` with an async one: the only difference between the
``Kling`` and ``AsyncKling`` twins of a resource (``_tasks``, ``_account``).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ._transport import AsyncTransport, SyncTransport

T = TypeVar("T")


@dataclass(frozen=True)
class _Call:
    """One HTTP request a read needs."""

    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    family: str | None = None


Steps = Generator[_Call, Any, T]  # yields requests, is sent each answer's data, returns the result


def run_steps(transport: SyncTransport, steps: Steps[T]) -> T:
    """Drive ``steps`` with blocking requests."""
    reply: Any = None
    error: BaseException | None = None
    while True:
        try:
            call = steps.throw(error) if error is not None else steps.send(reply)
        except StopIteration as stop:
            result: T = stop.value
            return result
        try:
            env = transport.request(
                call.method, call.path, params=call.params, json=call.json, family=call.family
            )
            reply, error = env.data, None
        except Exception as exc:  # handed to the steps, which raise it or try another route
            reply, error = None, exc


async def arun_steps(transport: AsyncTransport, steps: Steps[T]) -> T:
    """Drive ``steps`` with awaited requests."""
    reply: Any = None
    error: BaseException | None = None
    while True:
        try:
            call = steps.throw(error) if error is not None else steps.send(reply)
        except StopIteration as stop:
            result: T = stop.value
            return result
        try:
            env = await transport.request(
                call.method, call.path, params=call.params, json=call.json, family=call.family
            )
            reply, error = env.data, None
        except Exception as exc:  # handed to the steps, which raise it or try another route
            reply, error = None, exc


def share_docs(twin: type, original: type) -> None:
    """The async twin's public methods carry the blocking ones' docstrings (written once, there)."""
    for name, member in vars(twin).items():
        source = getattr(original, name, None)
        if not name.startswith("_") and callable(member) and not member.__doc__ and source is not None:
            member.__doc__ = source.__doc__
