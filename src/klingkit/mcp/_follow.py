"""Following tasks in the background: one coalesced status round for every task at once, then saving.

A generate tool answers at once with a handle; the :class:`Follower` keeps checking every unfinished task
together (``AsyncKling.tasks.wait_many`` with a zero budget is exactly one coalesced round: one ``/tasks``
call per 20 ids, one list page per legacy route), records each change in the ledger, and saves the
outputs of a succeeded task (with sidecars) as soon as it is done. Status and result tools, and the
MCP Tasks flow, read what it learned; stopping to follow never cancels anything on Kling's side.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from klingkit import AsyncKling, Task
    from klingkit.jobs.ledger import Ledger

logger = logging.getLogger("klingkit.mcp")

FIRST_CHECK_S = 1.0
"""Seconds from a new task to its first status check."""
CHECK_GROWTH = 1.5
"""Each quiet round waits this much longer than the last..."""
CHECK_MAX_S = 8.0
"""...up to this many seconds, so a finished task is noticed within a few seconds."""

KLING_CANNOT_CANCEL = (
    "Kling has no cancel: stopping only stops following; a running task finishes and is billed if it succeeds"
)

Listener = Callable[["Task"], Awaitable[None]]


class Follower:
    """Background status checks and saving for every task this server started or was asked about."""

    def __init__(self, client: Callable[[], AsyncKling], ledger: Ledger, output_dir: Path) -> None:
        self._client = client
        self._ledger = ledger
        self.output_dir = output_dir
        self._pending: dict[str, Task] = {}  # external id -> last known state
        self._settled: dict[str, anyio.Event] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._wake = anyio.Event()
        self._save_locks: dict[str, anyio.Lock] = {}
        self.rounds = 0

    # --- what tools call ---------------------------------------------------------------------------

    def follow(self, eid: str, task: Task) -> None:
        """Start (or keep) following ``task``; a finished one is saved right away by the loop."""
        self._settled.setdefault(eid, anyio.Event())
        if task.done:
            self._pending.pop(eid, None)
        self._pending[eid] = task
        self._wake.set()

    def unfollow(self, eid: str) -> None:
        """Stop checking ``eid`` (the Kling task itself runs on; the ledger keeps it)."""
        self._pending.pop(eid, None)

    def following(self, eid: str) -> bool:
        return eid in self._pending

    def listen(self, eid: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener(task)`` on every status change of ``eid``; returns the function that stops it."""
        self._listeners.setdefault(eid, []).append(listener)

        def stop() -> None:
            found = self._listeners.get(eid, [])
            if listener in found:
                found.remove(listener)

        return stop

    async def wait(self, eid: str, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``eid`` to be settled (finished, and saved if it succeeded)."""
        event = self._settled.setdefault(eid, anyio.Event())
        if event.is_set():
            return True
        with anyio.move_on_after(seconds):
            await event.wait()
        return event.is_set()

    async def save(self, eid: str, task: Task) -> list[str]:
        """Download ``task``'s outputs into the output folder (once; later calls reuse the files)."""
        lock = self._save_locks.setdefault(eid, anyio.Lock())
        async with lock:
            rec = self._ledger.get(eid)
            if rec is not None and rec.files and all(Path(f).exists() for f in rec.files):
                return list(rec.files)
            self.output_dir.mkdir(parents=True, exist_ok=True)
            paths = await self._client().download(task, self.output_dir)
            return self._ledger.add_files(eid, [str(p) for p in paths])

    # --- the loop --------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Check, record and save until cancelled (run it in the server's task group)."""
        delay = FIRST_CHECK_S
        while True:
            with anyio.move_on_after(delay if self._pending else None):
                await self._wake.wait()
            if self._wake.is_set():  # a new task: check it soon, from a short interval again
                self._wake = anyio.Event()
                delay = FIRST_CHECK_S
                await anyio.sleep(0)
                await self._finish_done()
                continue
            if not self._pending:
                continue
            try:
                await self.round()
            except Exception as exc:  # a failed round is retried; the tasks are safe in the ledger
                logger.warning("status round failed: %s", exc)
            delay = min(delay * CHECK_GROWTH, CHECK_MAX_S)

    async def round(self) -> None:
        """One coalesced status check of every unfinished task, then record, notify and save."""
        waiting = [(eid, t) for eid, t in self._pending.items() if not t.done]
        if waiting:
            self.rounds += 1
            checked = await self._client().tasks.wait_many([t for _, t in waiting], max_wait=0.0)
            for (eid, old), new in zip(waiting, checked, strict=True):
                if eid in self._pending:
                    self._pending[eid] = new
                if new.status is not old.status:
                    self._ledger.record_task(eid, new)
                    await self._notify(eid, new)
        await self._finish_done()

    async def _finish_done(self) -> None:
        for eid, task in list(self._pending.items()):
            if not task.done:
                continue
            self._pending.pop(eid, None)
            self._ledger.record_task(eid, task)
            rec = self._ledger.get(eid)
            if task.status.value == "succeeded" and (rec is None or downloadable(rec.outputs)):
                try:
                    await self.save(eid, task)
                except Exception as exc:  # paid and done: the result tool retries the download
                    logger.warning("saving %s failed: %s", eid, exc)
                    self._ledger.update(eid, error={"type": "DownloadError", "message": str(exc)})
            await self._notify(eid, task)
            self._settled.setdefault(eid, anyio.Event()).set()

    async def _notify(self, eid: str, task: Task) -> None:
        for listener in list(self._listeners.get(eid, [])):
            try:
                await listener(task)
            except Exception as exc:  # a gone client must not stop the loop
                logger.info("progress listener of %s failed: %s", eid, exc)


def downloadable(outputs: list[dict[str, Any]] | None) -> bool:
    """Whether a task made files to save (an element, say, is only an id)."""
    return outputs is None or any(o.get("url") for o in outputs)


def file_facts(path: str) -> dict[str, Any]:
    """What an agent needs about a saved file: path, size, and the sidecar beside it."""
    p = Path(path)
    facts: dict[str, Any] = {"path": str(p), "bytes": p.stat().st_size if p.exists() else None}
    sidecar = p.with_name(p.name + ".json")
    if sidecar.exists():
        facts["sidecar"] = str(sidecar)
    return facts
