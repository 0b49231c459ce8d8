"""Following the rows' tasks: coalesced status requests, settling finished tasks, and downloads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import catalog
from ..download import clear_foreign
from ..errors import (
    KlingError,
    OutputExistsError,
)
from ._batch_state import (
    MAX_DOWNLOAD_ERRORS,
    _error_text,
    _is_policy,
    _items,
    _Row,
    _RunnerBase,
    _server_seconds,
    _status,
)


class _Following(_RunnerBase):
    """The status and download part of ``BatchRunner``."""

    # --- status ------------------------------------------------------------------------------------

    def _maybe_poll(self, now: float) -> None:
        if self._polling:
            return
        due = [r for r in self._rows if r.state == "running" and r.next_check <= now]
        if not due:
            return
        self._polling = True
        self._spawn(self._poll([r for r in self._rows if r.state == "running"]))

    async def _poll(self, rows: list[_Row]) -> None:
        try:
            fresh = await self._refresh(rows)
            now = self.clock()
            for row in rows:
                if row.state != "running":
                    continue
                task = fresh.get(row.task_id or "")
                if task is not None and getattr(task, "done", False):
                    self._settle(row, task)
                    continue
                if task is not None:
                    row.task = task
                    with contextlib.suppress(KeyError):
                        self.ledger.record_task(row.external_id, task)
                age = now - row.submitted
                row.gap = self.durations.next_check(row.plan.feature, age, row.gap or 1.0)
                row.next_check = now + row.gap
        except (KlingError, OSError):
            # A failed status request is not a failed row: try again a little later.
            later = self.clock() + 2.0
            for row in rows:
                row.next_check = max(row.next_check, later)
        finally:
            self._polling = False

    async def _refresh(self, rows: Sequence[_Row]) -> dict[str, Any]:
        """Fresh Task objects for ``rows``, with as few status requests as possible."""
        out: dict[str, Any] = {}
        new_ids = [r.task_id for r in rows if r.task_id and r.family == "new"]
        for i in range(0, len(new_ids), 20):
            self.status_requests += 1
            for task in await self.client.tasks.query(new_ids[i : i + 20]):
                out[str(task.id)] = task
        by_feature: dict[str, list[_Row]] = {}
        for r in rows:
            if r.task_id and r.family != "new":
                by_feature.setdefault(r.plan.feature, []).append(r)
        for feature, group in by_feature.items():
            endpoint = catalog.ENDPOINTS.get(feature)
            if len(group) > 1 and endpoint is not None and endpoint.family == "legacy":
                self.status_requests += 1
                page = await self.client.tasks.list(
                    feature, page=1, page_size=min(500, max(30, 2 * len(group)))
                )
                for task in _items(page):
                    out[str(task.id)] = task
            for r in group:
                if r.task_id and r.task_id not in out:
                    self.status_requests += 1
                    out[r.task_id] = await self.client.tasks.get(r.task_id, feature=feature)
        return out

    def _settle(self, row: _Row, task: Any) -> None:
        """A task of ``row`` reached a terminal state."""
        row.task = task
        self.window.finished()
        self.durations.observe(row.plan.feature, _server_seconds(task))
        with contextlib.suppress(KeyError):
            self.ledger.record_task(row.external_id, task)
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
            with contextlib.suppress(KeyError):
                self.ledger.update(row.external_id, error={"kind": "transient", "message": message})
            self._new_attempt(row)
            self._queue.append(row)
        else:
            self._fail(row, KlingError(message), "failed", "failed")

    def _absorb_ledger(self) -> None:
        """With callbacks, the receiver updates the ledger: pick up what it learnt without a request."""
        for row in self._rows:
            if row.state != "running":
                continue
            rec = self.ledger.get(row.external_id)
            if rec is None or rec.status not in ("succeeded", "failed"):
                continue
            if rec.status == "succeeded" and rec.files and all(Path(f).exists() for f in rec.files):
                self.window.finished()
                row.files, row.units, row.state = list(rec.files), rec.units, "done"
            elif rec.status == "succeeded":
                row.next_check = min(row.next_check, self.clock())  # fetch it now and download
            else:
                row.next_check = min(row.next_check, self.clock())

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
        rec = self.ledger.get(row.external_id)
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
        row.files = self.ledger.add_files(row.external_id, [p for p in files if not p.endswith(".json")])
        row.units = getattr(task, "units", None) if row.units is None else row.units
        row.state = "done"

    def _dest(self, row: _Row, task: Any) -> Path:
        # A file path (with a suffix) so the library names the file after the row, not the task id;
        # several outputs get ``_<index>`` added to the stem.
        outputs = [o for o in getattr(task, "outputs", []) or [] if getattr(o, "url", None)]
        ext = (getattr(outputs[0], "format", None) if outputs else None) or "bin"
        return self.out_dir / f"{row.plan.name}.{ext}"
