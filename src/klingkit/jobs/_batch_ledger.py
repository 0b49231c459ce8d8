"""The batch runner's ledger calls, on a thread of their own: the event loop never waits on SQLite.

Every ledger call of a run goes through one :class:`LedgerThread`, whose single worker runs them one at a
time in the order they were made, so a read always sees the writes made before it and a row's records land
in the order its life went. Two kinds of call:

* ``await ledger_thread.call(fn, ...)``: what the run must know is written (or read) before it goes on.
  A row's ``pending`` record is one: its create is sent only after the call returned, so ledger-before-send
  holds exactly as before; the loop meanwhile creates, follows and downloads the other rows.
* ``ledger_thread.later(fn, ...)``: what the run only reports (a status, a task id, an error). The loop goes
  on at once. A process killed before such a write lands leaves the row's earlier record, which a rerun
  already handles (a ``pending`` row is looked up by external id, a running one is asked for its status).

A record that vanished (``KeyError``) is ignored, as the runner's own calls did; any other failure (a disk
that fills, a folder made read-only) is kept and raised by :meth:`LedgerThread.check` in the runner's loop,
which stops the run instead of leaving a row waiting on a write that never happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["LedgerThread"]


class LedgerThread:
    """One worker thread running a run's ledger calls in order (see the module docstring)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="klingkit-ledger")
        self._last: Future[Any] | None = None
        self._failure: BaseException | None = None
        self._lock = threading.Lock()

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the ledger's thread after every call made before it; its result."""
        future: Future[T] = self._submit(fn, *args, **kwargs)
        return await asyncio.wrap_future(future)

    def later(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` on the ledger's thread, in order, without waiting for it."""
        self._submit(self._quiet, fn, args, kwargs)

    def check(self) -> None:
        """Raise the first failure of a :meth:`later` call, if one failed."""
        if self._failure is not None:
            raise self._failure

    async def drain(self) -> None:
        """Wait until every call made so far has run; then :meth:`check`."""
        last = self._last
        if last is not None:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(last)
        self.check()

    def close(self) -> None:
        """Run what is queued and stop the thread (blocking: the run is over)."""
        self._pool.shutdown(wait=True)

    def _submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        future = self._pool.submit(fn, *args, **kwargs)
        self._last = future
        return future

    def _quiet(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            fn(*args, **kwargs)
        except KeyError:
            pass  # the record is gone (a row detached by a new attempt): nothing to report into
        except Exception as exc:
            with self._lock:
                self._failure = self._failure or exc
