"""Following the rows' tasks: coalesced status requests, settling finished tasks, and downloads."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from .. import Task, TaskStatus
from ..download import clear_foreign
from ..errors import (
    KlingError,
    OutputExistsError,
)
from ._batch_state import (
    CALLBACK_POLL_INTERVAL,
    MAX_DOWNLOAD_ERRORS,
    _error_text,
    _is_policy,
    _Row,
    _RunnerBase,
    _status,
)

CALLBACK_NUDGE = 5.0  # s: a row the receiver saw finish is re-checked at most this often until it settles


class _Following(_RunnerBase):
    """The status and download part of ``BatchRunner``."""

    # --- status ------------------------------------------------------------------------------------

    def _follow_row(self, row: _Row) -> None:
        """Follow the running row's task on the client's status hub, with every other row's: one
        ``/tasks`` request per 20 ids, or one list page per legacy feature, at the pace the hub learns
        from the batch's finished tasks."""
        self._spawn(self._track(row, str(row.task_id)))

    async def _track(self, row: _Row, task_id: str) -> None:
        first = row.task if row.task is not None and str(getattr(row.task, "id", "")) == task_id else None
        task = first if isinstance(first, Task) else self._stub(row, task_id)
        interval = CALLBACK_POLL_INTERVAL if self.callback_url else None
        follow = self.client.tasks.iter_status(
            task, max_wait=self.row_deadline, poll_interval=interval, poll_floor=self.poll_floor
        )
        try:
            async for state in follow:
                if row.state != "running" or row.task_id != task_id:
                    return  # the row timed out or moved on: stop following this task
                if state is task:
                    continue  # what we handed in
                if getattr(state, "done", False):
                    self._settle(row, state)
                    self._kick()  # a slot is free: the next create goes out now
                    return
                if _status(state) != _status(row.task):
                    self.ledger_thread.later(self.ledger.record_task, row.external_id, state)
                row.task = state
        finally:
            await follow.aclose()

    @staticmethod
    def _stub(row: _Row, task_id: str) -> Task:
        """A task known only by id (resumed from the ledger): its route and parameters tell the hub how
        to ask for it and at what pace."""
        spec = row.plan.spec
        return Task(
            id=task_id,
            status=TaskStatus.SUBMITTED,
            feature=row.plan.feature,
            family=row.family,
            model=getattr(spec, "model", None),
            params=dict(getattr(spec, "params", None) or {}),
        )

    def _settle(self, row: _Row, task: Any) -> None:
        """A task of ``row`` reached a terminal state."""
        row.task = task
        self.window.finished()
        self.ledger_thread.later(self.ledger.record_task, row.external_id, task)
        row.units = getattr(task, "units", None)
        if _status(task) == "succeeded":
            row.state = "downloading"
            assert self._downloads is not None
            self._downloads.put_nowait(row)
            return
        message = getattr(task, "message", "") or "the task failed"
        if _is_policy(message):
            self._fail(row, KlingError(message), "policy", "failed")
        elif row.attempt < self.max_task_attempts:
            error = {"kind": "transient", "message": message}
            self.ledger_thread.later(self.ledger.update, row.external_id, error=error)
            self._new_attempt(row)
            self._queue.append(row)
        else:
            self._fail(row, KlingError(message), "failed", "failed")

    async def _absorb_ledger(self) -> None:
        """With callbacks, the receiver updates the ledger: pick up what it learnt without a request."""
        running = [row for row in self._rows if row.state == "running"]
        ids = [row.external_id for row in running]
        records = await self.ledger_thread.call(lambda: [self.ledger.get(eid) for eid in ids])
        for row, eid, rec in zip(running, ids, records, strict=True):
            if row.state != "running" or row.external_id != eid:
                continue  # settled (or moved on) while the ledger was read
            if rec is None or rec.status not in ("succeeded", "failed"):
                continue
            if rec.status == "succeeded" and rec.files and all(Path(f).exists() for f in rec.files):
                self.window.finished()
                row.files, row.units, row.state = list(rec.files), rec.units, "done"
            elif self.clock() >= row.next_check:  # the hub checks it now (once per CALLBACK_NUDGE)
                row.next_check = self.clock() + CALLBACK_NUDGE
                self.client.tasks.notify(str(row.task_id))

    # --- downloads ---------------------------------------------------------------------------------

    async def _download_worker(self) -> None:
        assert self._downloads is not None
        while True:
            row = await self._downloads.get()
            try:
                await self._download(row)
            except asyncio.CancelledError:
                raise
            except OutputExistsError as exc:  # not ours to overwrite: no retry helps
                row.state = "failed"
                row.error, row.error_kind = (
                    _error_text(exc) + " (rerun with --force to overwrite it)",
                    "download",
                )
            except Exception as exc:  # never let one download kill the worker
                row.download_errors += 1
                if row.download_errors >= MAX_DOWNLOAD_ERRORS:
                    row.state = "failed"
                    row.error, row.error_kind = _error_text(exc), "download"
                else:
                    row.task = None  # fetch fresh URLs next time
                    await asyncio.sleep(min(5.0, 0.5 * 2**row.download_errors))
                    self._downloads.put_nowait(row)
            finally:
                self._kick()

    async def _download(self, row: _Row) -> None:
        rec = await self.ledger_thread.call(self.ledger.get, row.external_id)
        if rec is not None and rec.files and all(Path(f).exists() for f in rec.files):
            row.files, row.state = (
                list(rec.files),
                "done",
            )  # the webhook receiver (or a rerun) got it
            return
        task = row.task
        if task is None or not getattr(task, "outputs", None):
            self.status_requests += 1
            task = await self.client.tasks.get(row.task_id, feature=row.plan.feature)
            row.task = task
        # A re-fetched task knows only what the server says: the sidecar must still name the model
        # that ran and what the row asked for.
        spec = row.plan.spec
        with contextlib.suppress(AttributeError):
            task.model = (
                getattr(task, "model", None) or (rec.model if rec else None) or getattr(spec, "model", None)
            )
            task.params = getattr(task, "params", None) or dict(getattr(spec, "params", None) or {})
            task.external_id = getattr(task, "external_id", None) or row.external_id
        dest = self._dest(row, task)
        if self.force:
            clear_foreign(task, dest)
        paths = await self.client.download(task, dest, sidecar=True)
        files = [str(p) for p in paths]
        saved = [p for p in files if not p.endswith(".json")]
        row.files = await self.ledger_thread.call(self.ledger.add_files, row.external_id, saved)
        row.units = getattr(task, "units", None) if row.units is None else row.units
        row.state = "done"

    def _dest(self, row: _Row, task: Any) -> Path:
        # A file path (with a suffix) so the library names the file after the row, not the task id;
        # several outputs get ``_<index>`` added to the stem.
        outputs = [o for o in getattr(task, "outputs", []) or [] if getattr(o, "url", None)]
        ext = (getattr(outputs[0], "format", None) if outputs else None) or "bin"
        return self.out_dir / f"{row.plan.name}.{ext}"
