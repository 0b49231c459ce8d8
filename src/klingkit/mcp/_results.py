"""Following a task for an agent, without the protocol: its status, and its result as saved files (with
the units charged), from what the background follower learned."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import ToolError, from_exception
from ._follow import KLING_CANNOT_CANCEL, Follower, downloadable, file_facts

if TYPE_CHECKING:
    from klingkit import AsyncKling, Task
    from klingkit.jobs.ledger import Ledger, TaskRecord

Progress = Callable[[str], Awaitable[None]]
"""Sends one progress message to the client (an MCP progress notification)."""


class Results:
    """The status and result half of :class:`~._service.Service` (its fields are declared there)."""

    client: Callable[[], AsyncKling]
    ledger: Ledger
    follower: Follower

    def _record(self, handle: str) -> TaskRecord:
        rec = self.ledger.get(handle)
        if rec is None:
            raise ToolError(
                "not_found",
                f"no task {handle!r} in the ledger",
                "pass the external_id a generate call returned (list_tasks shows them)",
            )
        return rec

    async def _refresh(self, rec: TaskRecord) -> Task | None:
        """The task's latest state. A followed task's comes from the follower (the hub's coalesced checks;
        no request of its own); any other is checked once and followed from then on. A create that was
        never answered is looked up by its external id; None when Kling does not have it (nothing was
        created, nothing will be charged)."""
        followed = self.follower.latest(rec.external_id)
        if followed is not None:
            return followed
        if rec.task_id is None:
            if rec.status == "rejected" or rec.fingerprint:  # 4.0: found through the task list only
                return None
            from klingkit.errors import NotFoundError

            try:
                task = await self.client().tasks.get_by_external_id(rec.external_id, feature=rec.feature)
            except NotFoundError:
                return None
        else:
            task = await self.client().tasks.get(rec.task_id, feature=rec.feature)
        self.ledger.record_task(rec.external_id, task)
        self.follower.follow(rec.external_id, task)
        return task

    async def status(self, handle: str) -> dict[str, Any]:
        rec = self._record(handle)
        if not rec.done:
            try:
                await self._refresh(rec)
            except Exception as exc:
                raise from_exception(exc, external_id=rec.external_id) from exc
            rec = self._record(handle)
        return self._status_json(rec)

    def _status_json(self, rec: TaskRecord) -> dict[str, Any]:
        out: dict[str, Any] = {
            "external_id": rec.external_id,
            "task_id": rec.task_id,
            "status": rec.status,
            "done": rec.done,
            "feature": rec.feature,
            "model": rec.model,
            "message": rec.message,
            "estimate_usd": rec.estimate_usd,
            "units_charged": rec.units,
            "outputs": [  # ids of what the task made: a video to extend, an element or voice to use
                {k: o[k] for k in ("kind", "id", "name") if o.get(k) is not None} for o in rec.outputs or []
            ],
            "created_at": rec.created_at,
            "updated_at": rec.updated_at,
        }
        if rec.status == "succeeded":
            out["next"] = "call task_result for the saved files"
        elif not rec.done:
            out["next"] = (
                "check again later (or task_result with wait_seconds): the server follows the task on "
                "the model's pace, so asking more often costs nothing and shows the same state; "
                + KLING_CANNOT_CANCEL
            )
        return out

    async def result(
        self, handle: str, wait_seconds: float = 0.0, progress: Progress | None = None
    ) -> dict[str, Any]:
        """The saved files of a finished task; waits up to ``wait_seconds`` for it, sending
        ``progress(message)`` on every status change when the caller asked for progress."""
        rec = self._record(handle)
        eid = rec.external_id
        if not rec.done:
            try:
                task = await self._refresh(rec)
            except Exception as exc:
                raise from_exception(exc, external_id=eid) from exc
            if wait_seconds > 0 and task is not None and not task.done:
                stop = None
                if progress is not None:
                    said = [f"Kling task {task.id}: {task.status.value}"]
                    await progress(said[0])

                    async def changed(t: Task) -> None:
                        line = f"Kling task {t.id}: {t.status.value}"
                        if line != said[-1]:
                            said.append(line)
                            await progress(line)

                    stop = self.follower.listen(eid, changed)
                try:
                    await self.follower.wait(eid, wait_seconds)
                finally:
                    if stop is not None:
                        stop()
            rec = self._record(eid)
        if rec.status == "failed":
            raise ToolError(
                "task_failed",
                f"task {rec.task_id} failed: {rec.message or 'no reason given'}; failed tasks are not charged",
                "if the reason is a content check, change the input before trying again",
                external_id=eid,
                task_id=rec.task_id,
            )
        if rec.status != "succeeded":
            return {**self._status_json(rec), "files": []}
        files = list(rec.files)
        if downloadable(rec.outputs) and (not files or not all(Path(f).exists() for f in files)):
            try:  # not saved yet (or moved): query again for fresh URLs and save
                task = await self.client().tasks.get(rec.task_id or eid, feature=rec.feature)
                files = await self.follower.save(eid, task)
            except Exception as exc:
                raise from_exception(exc, external_id=eid) from exc
            rec = self._record(eid)
        from klingkit import catalog

        pack = catalog.ENDPOINTS[rec.feature].pack if rec.feature in catalog.ENDPOINTS else None
        outputs = rec.outputs or []
        facts = []
        for i, f in enumerate(files):
            entry = file_facts(f)
            out = outputs[i] if i < len(outputs) else {}
            entry.update({k: out.get(k) for k in ("kind", "format", "duration") if out.get(k) is not None})
            facts.append(entry)
        return {
            **self._status_json(rec),
            "files": facts,
            "units_charged": rec.units,
            "usd_charged": catalog.usd(rec.units, pack) if rec.units is not None and pack else None,
        }

    def list_tasks(
        self,
        search: str | None,
        status: str | None,
        limit: int,
        *,
        unfinished: bool = False,
        batch: str | None = None,
    ) -> dict[str, Any]:
        """Ledger rows as ``klingkit history`` finds them (same filters, same order)."""
        found = self.ledger.find(search, status=status, batch_id=batch, unfinished=unfinished,
                                 include_abandoned=not unfinished, limit=limit, newest_first=batch is None)  # fmt: skip
        return {"tasks": [self._status_json(r) | {"files": r.files} for r in found]}
