"""Following tasks in the background through the client's status hub, then saving what they made.

A generate tool answers at once with a handle; the :class:`Follower` then follows the task with
``client.tasks.iter_status``, so every task this server follows (from any stdio or HTTP session, the Tasks
flow and the status/result tools alike) is one registration on the client's one status hub: the hub plans
one coalesced schedule for all of them (one ``/tasks`` request per 20 ids, one list page per legacy route,
spaced by each model's typical time from the catalog, or by the client's fixed ``poll_interval``), so N
tasks followed at once cost what one ``wait_many`` of them costs. The follower records each status change
in the ledger, tells listeners (progress notifications), and saves the outputs of a succeeded task (with
sidecars) as soon as it is done. Status and result tools, and the MCP Tasks flow, read what it learned;
stopping to follow never cancels anything on Kling's side.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from klingkit import AsyncKling, Task
    from klingkit.jobs.ledger import Ledger

logger = logging.getLogger("klingkit.mcp")

KLING_CANNOT_CANCEL = (
    "Kling has no cancel: stopping only stops following; a running task finishes and is billed if it succeeds"
)

FOLLOW_FLOOR_S = 1.0
"""The least seconds between two checks of one followed task. Agents act on each task as it ends, so the
follower is a throughput wait on the hub: a kind of task never seen finishing is explored from this on,
then checks follow the pace the hub learned from finished tasks of that kind."""
RETRY_AFTER_S = 5.0
"""A follow that broke (not a status error: those the hub retries itself) starts again after this."""

Listener = Callable[["Task"], Awaitable[None]]


class Follower:
    """Follows every task this server started or was asked about, on the client's status hub."""

    def __init__(self, client: Callable[[], AsyncKling], ledger: Ledger, output_dir: Path) -> None:
        self._client = client
        self._ledger = ledger
        self.output_dir = output_dir
        self._pending: dict[str, Task] = {}  # external id -> last known state, while followed
        self._scopes: dict[str, anyio.CancelScope] = {}  # external id -> its follow, to stop it
        self._settled: dict[str, anyio.Event] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._save_locks: dict[str, anyio.Lock] = {}
        self._group: TaskGroup | None = None
        self._queued: list[str] = []  # follows asked for before run() started
        self.checks: dict[str, int] = {}  # external id -> status checks the hub delivered for it

    # --- what tools call ---------------------------------------------------------------------------

    def follow(self, eid: str, task: Task) -> None:
        """Start (or keep) following ``task``; a finished one is recorded and saved at once."""
        self._settled.setdefault(eid, anyio.Event())
        known = self._pending.get(eid)
        self._pending[eid] = task if known is None or not known.done else known
        if eid in self._scopes:
            return  # already followed: the hub keeps delivering its states
        if self._group is None:
            self._queued.append(eid)
        else:
            self._start(eid)

    def unfollow(self, eid: str) -> None:
        """Stop following ``eid`` (the Kling task itself runs on; the ledger keeps it)."""
        self._pending.pop(eid, None)
        scope = self._scopes.pop(eid, None)
        if scope is not None:
            scope.cancel()  # leaves iter_status, which unregisters the task from the hub

    def following(self, eid: str) -> bool:
        return eid in self._pending

    def latest(self, eid: str) -> Task | None:
        """The last state the hub delivered for a followed task."""
        return self._pending.get(eid)

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

    # --- following ----------------------------------------------------------------------------------

    async def run(self) -> None:
        """Hold every follow until cancelled (run it in the server's task group)."""
        async with anyio.create_task_group() as group:
            self._group = group
            queued, self._queued = self._queued, []
            for eid in dict.fromkeys(queued):
                if eid in self._pending and eid not in self._scopes:
                    self._start(eid)
            try:
                await anyio.sleep_forever()
            finally:
                self._group = None

    def _start(self, eid: str) -> None:
        assert self._group is not None
        scope = anyio.CancelScope()
        self._scopes[eid] = scope
        self._group.start_soon(self._follow_one, eid, scope)

    async def _follow_one(self, eid: str, scope: anyio.CancelScope) -> None:
        """Follow one task on the hub until it is done (again after a wait's ``max_wait`` ran out)."""
        try:
            with scope:
                task = self._pending[eid]
                while not task.done:
                    try:
                        task = await self._through_hub(eid, task)
                    except Exception as exc:  # the hub's driver broke: the task is safe in the ledger
                        logger.warning("following %s failed: %s", eid, exc)
                        await anyio.sleep(RETRY_AFTER_S)
                await self._finish(eid, task)
        finally:
            if self._scopes.get(eid) is scope:
                del self._scopes[eid]

    async def _through_hub(self, eid: str, task: Task) -> Task:
        statuses = self._client().tasks.iter_status(task, poll_floor=FOLLOW_FLOOR_S)
        try:
            async for fresh in statuses:
                if fresh is task:
                    continue  # iter_status first yields the state it was given
                self.checks[eid] = self.checks.get(eid, 0) + 1
                changed = fresh.status is not task.status
                task = fresh
                if eid in self._pending:
                    self._pending[eid] = fresh
                if changed and not fresh.done:  # a finished task is recorded by _finish
                    self._ledger.record_task(eid, fresh)
                    await self._notify(eid, fresh)
        finally:
            await statuses.aclose()  # type: ignore[attr-defined]
        return task

    async def _finish(self, eid: str, task: Task) -> None:
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
            except Exception as exc:  # a gone client must not stop the follow
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
