"""The drivers of a client's status hub: the only code that sends status requests for waits.

``SyncDriver`` runs in a daemon thread while some wait is registered (``Kling``), ``AsyncDriver`` as an
asyncio task (``AsyncKling``). Both loop over the same steps: ask the hub what is due, send that round
(concurrently: the sync round uses a few worker threads, so both twins send the same requests at the same
moments), hand the answers back, sleep until the next due check or a wake-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ._exceptions import KlingError
from ._hub import StatusHub
from ._models import Task
from ._status import _Query, read_status_answer

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling

_Answer = tuple[dict[str, Task], list[_Query]] | BaseException
_IDLE_CHECK = 0.5  # s: how often an idle driver (all tasks done, waits not yet gone) looks again
_ROUND_WORKERS = 8  # sync rounds: at most this many status requests in flight at once


def _asked(queries: Sequence[_Query]) -> list[str]:
    return [tid for q in queries for tid in q.ids]


class SyncDriver:
    """Drives the hub of a :class:`~klingkit.Kling` from one daemon thread, started on demand."""

    def __init__(self, client: Kling, hub: StatusHub) -> None:
        self._client = client
        self._hub = hub
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._event = threading.Event()
        hub.wake = self._event.set

    def ensure(self) -> None:
        """Make sure a driver thread runs (after a wait registered)."""
        with self._lock:
            if self._thread is not None and self._pid != os.getpid():
                self._thread = None  # a forked child: the parent's driver thread did not come along
            if self._thread is None:
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="klingkit-status", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        c, hub = self._client, self._hub
        try:
            while True:
                self._event.clear()
                with self._lock:
                    if hub.idle():
                        self._thread = None
                        return
                now = c._monotonic()
                queries, next_at = hub.plan(now)
                if queries:
                    found, errors = self._round(queries)
                    hub.apply(_asked(queries), found, errors, c._monotonic(), c.poll_interval)
                    continue
                delay = _IDLE_CHECK if next_at is None else max(next_at - now, 0.0)
                if c._custom_sleep and next_at is not None:
                    c._sleep(delay)
                else:
                    self._event.wait(delay)
        except BaseException as exc:  # a bug, not a status error: the waits must not hang on it
            with self._lock:
                self._thread = None
            hub.fail_all(exc)

    def _one(self, q: _Query) -> _Answer:
        c = self._client
        try:
            if q.kind == "probe":
                return {q.ids[0]: c.tasks.get(q.ids[0])}, []
            env = c._transport.request(q.method, q.path, params=q.params, family=q.family)
            return read_status_answer(q, env.data, self._hub.depth, self._hub.unlisted)
        except KlingError as exc:
            return exc

    def _round(self, queries: list[_Query]) -> tuple[dict[str, Task], list[BaseException]]:
        found: dict[str, Task] = {}
        errors: list[BaseException] = []
        while queries:
            self._hub.sent += len(queries)
            if len(queries) == 1:
                answers = [self._one(queries[0])]
            else:
                with ThreadPoolExecutor(min(len(queries), _ROUND_WORKERS)) as pool:
                    answers = list(pool.map(self._one, queries))
            queries = _collect(answers, found, errors)
        return found, errors


class AsyncDriver:
    """Drives the hub of an :class:`~klingkit.AsyncKling` as an asyncio task, started on demand."""

    def __init__(self, client: AsyncKling, hub: StatusHub) -> None:
        self._client = client
        self._hub = hub
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def ensure(self) -> None:
        """Make sure a driver task runs on the current event loop (after a wait registered)."""
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        event = self._event = asyncio.Event()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nothing waits on it any more
                loop.call_soon_threadsafe(event.set)

        self._hub.wake = wake
        self._task = loop.create_task(self._run(event))

    async def _run(self, event: asyncio.Event) -> None:
        c, hub = self._client, self._hub
        try:
            while not hub.idle():
                event.clear()
                now = c._monotonic()
                queries, next_at = hub.plan(now)
                if queries:
                    found, errors = await self._round(queries)
                    hub.apply(_asked(queries), found, errors, c._monotonic(), c.poll_interval)
                    continue
                delay = _IDLE_CHECK if next_at is None else max(next_at - now, 0.0)
                if c._custom_sleep and next_at is not None:
                    await c._sleep(delay)
                    continue
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(event.wait(), delay)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # a bug, not a status error: the waits must not hang on it
            hub.fail_all(exc)

    async def _one(self, q: _Query) -> _Answer:
        c = self._client
        try:
            if q.kind == "probe":
                return {q.ids[0]: await c.tasks.get(q.ids[0])}, []
            env = await c._transport.request(q.method, q.path, params=q.params, family=q.family)
            return read_status_answer(q, env.data, self._hub.depth, self._hub.unlisted)
        except KlingError as exc:
            return exc

    async def _round(self, queries: list[_Query]) -> tuple[dict[str, Task], list[BaseException]]:
        found: dict[str, Task] = {}
        errors: list[BaseException] = []
        while queries:
            self._hub.sent += len(queries)
            answers = await asyncio.gather(*(self._one(q) for q in queries))
            queries = _collect(answers, found, errors)
        return found, errors


def _collect(answers: Sequence[Any], found: dict[str, Task], errors: list[BaseException]) -> list[_Query]:
    """Merge one batch of answers; return the follow-up queries (ids a list page did not show)."""
    follow: list[_Query] = []
    for answer in answers:
        if isinstance(answer, BaseException):
            errors.append(answer)
            continue
        found.update(answer[0])
        follow.extend(answer[1])
    return follow
