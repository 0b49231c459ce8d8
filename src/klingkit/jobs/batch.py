"""The durable, exactly-once batch runner behind ``klingkit batch FILE``.

How a row goes through a run::

    queued ──(slot free)──> ledger row "pending" ──> create ──> running ──(coalesced status)──> succeeded
       ▲                   (written BEFORE the POST)    │                                     │
       └── 1303: back off, shrink the window ───────────┘                              download ──> done
                                                  content policy / validation ──> failed (not retried)

Why it survives anything:

* A row is identified by what it asks for: its ``external_task_id`` is ``kkb-<batch12>-<row key>``, the
  key a hash of the route and body the row sends (plus its optional ``id`` column), ``-a2``, ``-a3`` for
  later attempts; the batch id is a hash of the batch's name (the file's path or ``--name``) and its
  target (the API, or the embedded sandbox's state file). Editing the file creates only new or changed
  rows; reordering creates nothing. The ledger row is committed before the create request leaves, so
  after a crash, Ctrl-C or SIGKILL every create that *may* have been sent is known and is looked up by
  external id (and awaited) instead of being created again; rows recorded as finished are skipped;
  succeeded rows whose files are missing are downloaded.
* The ledger is a cache of the truth: rows it does not know are first looked for on Kling (``/tasks``
  20 external ids per request, one recent list page per legacy feature), and a create refused because
  its external id already exists adopts that task. A lost ledger costs a few requests, never a task.
* Every task is followed on the route it was sent to (``text-to-video`` for a ``kling-2.6`` row, not
  the ``text2video`` it was written as).
* One runner per batch: a lease in the ``batches`` table (renewed while running, taken over at once from
  a dead process on this host).
* Every row has a deadline (``row_deadline``): a task that never finishes fails its row as ``timeout``
  and the run ends; the task is kept for a rerun.

The parts: ``_batch_rows`` (reading and planning rows), ``_batch_state`` (rows, lease, shared steps),
``_batch_create`` (creating and adopting), ``_batch_follow`` (status and downloads), ``_batch_sched``
(the AIMD window and the poll floor), ``_batch_report`` (results and report files).

Status: every running row's task is followed on the client's status hub (``client.tasks.iter_status``
with the runner's ``poll_floor``), which coalesces all rows' checks and learns the batch's pace from its
finished tasks; a finished task frees its slot at once.

Scheduling: a new row starts as soon as a slot frees; 1303 halves the window (AIMD) and backs off; one
status request serves many tasks (``/tasks`` for 2026 routes, one list page per feature for legacy
routes); downloads run alongside generation. Times are seconds on the monotonic clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..catalog import RETENTION_DAYS
from ..errors import BatchBusyError, KlingError
from ._batch_rows import ALIASES as COLUMN_ALIASES
from ._batch_rows import (
    BatchInputError,
    BatchPlan,
    RowError,
    attempt_of,
    base_of,
    batch_id_for,
    parse_rows,
    plan_batch,
)
from .ledger import TaskRecord

__all__ = [
    "COLUMN_ALIASES",
    "BatchBusyError",
    "BatchInputError",
    "BatchPlan",
    "BatchResult",
    "BatchRunner",
    "Progress",
    "RowError",
    "RowResult",
    "load_plan",
    "pending_output_bytes",
    "write_reports",
]
from ._batch_create import _Creating
from ._batch_follow import _Following
from ._batch_ledger import LedgerThread
from ._batch_marks import batch_started, mark_batch
from ._batch_report import BatchResult, Progress, RowResult, write_reports
from ._batch_space import pending_output_bytes
from ._batch_state import LEASE_RENEW, _is_policy, _Row, _RunnerBase

# --- planning ------------------------------------------------------------------------------------


def load_plan(
    path: str | os.PathLike[str],
    *,
    base_url: str,
    prepare: Callable[..., Any],
    callback_url: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    target: str | None = None,
    defaults: Mapping[str, str] | None = None,
) -> BatchPlan:
    """Read, validate and price a batch file; errors of every row are collected in ``plan.errors``.

    The batch is named by ``name`` (default: the file's resolved path) and ``target`` (default:
    ``base_url``; the embedded sandbox passes its state file, not its port). Raises
    :class:`BatchInputError` when the file cannot be read as JSONL or CSV at all.
    """
    p = Path(path)
    try:
        content = p.read_bytes()
    except OSError as exc:
        raise BatchInputError(f"cannot read {p}: {exc.strerror}") from None
    if fmt is None and p.suffix.lower() in (".jsonl", ".ndjson", ".csv"):
        fmt = "csv" if p.suffix.lower() == ".csv" else "jsonl"
    rows = parse_rows(content, base_dir=p.resolve().parent, fmt=fmt)
    batch_id = batch_id_for(name or str(p.resolve()), target=target or base_url)
    return plan_batch(rows, batch_id=batch_id, source=str(p.resolve()), prepare=prepare,
                      callback_url=callback_url, defaults=defaults)  # fmt: skip


# --- the runner ----------------------------------------------------------------------------------


class BatchRunner(_Creating, _Following, _RunnerBase):
    """Runs a :class:`BatchPlan` to completion against an ``AsyncKling``-like ``client``.

    ``client`` needs ``submit(spec)``, ``tasks.get``, ``tasks.get_by_external_id``, ``tasks.query``,
    ``tasks.list`` and ``download(task, dest, sidecar=...)``, all awaitable. ``out_dir`` receives the
    files (named after each row's ``output``). ``concurrency`` is the most tasks in flight at once.
    ``retry_failed`` gives rows that failed in an earlier run (policy failures included) a new attempt.
    ``force`` overwrites files in ``out_dir`` that belong to another task (else such a row fails).
    ``callback_url`` (already in each request) turns status polling into a slow fallback.
    ``on_progress`` is called with a :class:`Progress` about twice a second. ``row_deadline`` (seconds)
    bounds how long a row's task may run before the row fails as ``timeout`` (the task is kept).
    ``poll_floor`` (seconds) is the closest two status checks may come (the client's hub sets the pace).
    """

    # --- resume ------------------------------------------------------------------------------------

    def _load(self) -> None:
        bid = self.plan.batch_id
        options = {
            "out": str(self.out_dir.resolve()),
            "names": {str(r.index): r.name for r in self.plan.rows},
            "base_url": self.base_url,
            "callback_url": self.callback_url,
            "rows": len(self.plan.rows),
            "estimate_units": self.plan.units,
            "estimate_usd": self.plan.usd,
        }
        known = self.ledger.get_batch(bid)
        if not self.ledger.create_batch(bid, source=self.plan.source, options=options):
            self.ledger.update_batch(bid, options=options)
        # When the batch first ran (the ledger's record, else the mark in --out; neither: it is new as
        # far as anything here knows). A row's task cannot be older, so lost-ledger discovery reads the
        # task list back only that far, less an hour for Kling's clock and ours to disagree.
        now = datetime.now(timezone.utc)
        started = datetime.fromisoformat(known.created_at) if known else batch_started(self.out_dir, bid)
        started = started or now
        mark_batch(self.out_dir, bid, started)
        oldest = now - timedelta(days=RETENTION_DAYS)  # Kling keeps tasks no longer than this
        self.discover_since = max(oldest, started - timedelta(hours=1))
        self._take_lease()
        self.ledger.update_batch(bid, status="running")
        # A row is identified by its external id (what it asks for), not its position: match the
        # ledger's records to rows by their base id and keep each row's latest attempt.
        latest: dict[str, TaskRecord] = {}
        for rec in self.ledger.batch_tasks(bid):
            base = base_of(rec.external_id)
            seen = latest.get(base)
            if seen is None or attempt_of(rec.external_id) > attempt_of(seen.external_id):
                latest[base] = rec
        for p in self.plan.rows:
            base = str(p.spec.external_id)
            cur = latest.get(base)
            row = _Row(plan=p, external_id=base, family=str(p.spec.family))
            self._rows.append(row)
            if cur is None:
                row.discover = True  # the ledger may be new: Kling may already have this row's task
                self._queue.append(row)
                continue
            rec = cur
            row.external_id, row.attempt, row.recorded = (
                rec.external_id,
                attempt_of(rec.external_id),
                True,
            )
            if rec.row_index != p.index:
                self.ledger.update(rec.external_id, row_index=p.index)
            row.task_id, row.units, row.files = rec.task_id, rec.units, list(rec.files)
            row.family = rec.family or row.family
            status = rec.status
            if status == "succeeded":
                if row.files and all(Path(f).exists() for f in row.files):
                    row.state = "done"
                else:
                    row.files = []
                    row.state = "downloading"
            elif status in ("failed", "rejected"):
                kind = (rec.error or {}).get("kind") if isinstance(rec.error, dict) else None
                permanent = kind in ("policy", "validation", "account") or _is_policy(rec.message)
                retry = self.retry_failed or (
                    not permanent and (kind == "transient" or row.attempt < self.max_task_attempts)
                )
                if retry:
                    self._new_attempt(row)
                    self._queue.append(row)
                else:
                    row.state = "failed"
                    row.error = (rec.error or {}).get("message") if isinstance(rec.error, dict) else None
                    row.error = row.error or rec.message or status
                    row.error_kind = kind or ("policy" if permanent else "failed")
            elif status == "pending" or not rec.task_id:
                row.recover = True  # the create may or may not have reached Kling
                self._queue.append(row)
            else:  # submitted / processing / unknown: await it
                row.state = "running"
                row.submitted = row.next_check = self.clock()
                self._follow_row(row)

    # --- main loop ---------------------------------------------------------------------------------

    async def run(self) -> BatchResult:
        """Run (or resume) the batch until every row has succeeded or failed; returns the result."""
        self._started = self.clock()
        self.ledger_thread = LedgerThread()
        self._hub_sent0 = _hub_sent(self.client)
        self._wake = asyncio.Event()
        self._downloads = asyncio.Queue()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._load()
        workers = [asyncio.ensure_future(self._download_worker()) for _ in range(self.download_workers)]
        for row in self._rows:
            if row.state == "downloading":
                self._downloads.put_nowait(row)
        await self._discover()
        last_renew = last_progress = self.clock()
        try:
            while True:
                now = self.clock()
                self.ledger_thread.check()  # a ledger write that failed stops the run
                if now - last_renew >= LEASE_RENEW:
                    await self.ledger_thread.call(self._renew_lease)
                    last_renew = now
                if self.callback_url:
                    await self._absorb_ledger()
                self._start_creates(now)
                self._expire(now)
                if now - last_progress >= 0.5:
                    self._report_progress()
                    last_progress = now
                if all(r.state in ("done", "failed", "not_started") for r in self._rows) and not self._aux:
                    break
                await self._sleep_until_next(now)
            await self.ledger_thread.drain()
            self._report_progress()
        finally:
            for w in workers:
                w.cancel()
            for t in list(self._aux):
                t.cancel()
            await asyncio.gather(*workers, *self._aux, return_exceptions=True)
            self.ledger_thread.close()  # what the run reported is written before the lease goes
            with contextlib.suppress(KlingError):
                self.ledger.release_lease(self.plan.batch_id, self.owner)
        result = self._result()
        self.ledger.update_batch(
            self.plan.batch_id,
            status="succeeded" if result.ok else ("stopped" if self._stopped else "failed"),
        )
        return result

    def _expire(self, now: float) -> None:
        """Every row has a deadline: a task still running ``row_deadline`` seconds after it was created
        fails the row as ``timeout`` instead of holding the run forever. The task itself is kept (its
        ledger record still says it is running), so a rerun or ``klingkit tasks wait`` collects it."""
        for row in self._rows:
            if row.state == "running" and now - row.submitted > self.row_deadline:
                self.window.finished()
                row.state, row.error_kind = "failed", "timeout"
                row.error = (
                    f"task {row.task_id} still running after {self.row_deadline:g} s; it keeps running on "
                    f"Kling's side: rerun the batch (or `klingkit tasks wait {row.external_id}`) to collect it"
                )

    async def _sleep_until_next(self, now: float) -> None:
        assert self._wake is not None
        wake_at = now + 0.5  # a finished task wakes the loop at once (``_kick``)
        if self._queue and not self._stopped:
            blocked = max(self.window.blocked_until, min(r.not_before for r in self._queue))
            if blocked > now:
                wake_at = min(wake_at, blocked)
        delay = max(0.005, wake_at - now)
        self._wake.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)

    # --- reporting ---------------------------------------------------------------------------------

    def _progress(self) -> Progress:
        counts = {"done": 0, "running": 0, "queued": 0, "failed": 0}
        for r in self._rows:
            if r.state == "done":
                counts["done"] += 1
            elif r.state in ("creating", "running", "downloading"):
                counts["running"] += 1
            elif r.state in ("failed", "not_started"):
                counts["failed"] += 1
            else:
                counts["queued"] += 1
        elapsed = self.clock() - self._started
        finished = counts["done"] + counts["failed"]
        left = len(self._rows) - finished
        eta = (elapsed / finished * left) if finished and left else (0.0 if not left else None)
        units = round(sum(r.units or 0.0 for r in self._rows), 4)
        return Progress(
            total=len(self._rows),
            units=units,
            eta=eta,
            window=self.window.slots,
            elapsed=elapsed,
            **counts,
        )

    def _report_progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self._progress())

    def _result(self) -> BatchResult:
        rows = []
        for r in self._rows:
            status = {
                "done": "succeeded",
                "failed": "failed",
                "not_started": "not_started",
            }.get(r.state, "failed")
            rows.append(
                RowResult(
                    row=r.plan.index,
                    name=r.plan.name,
                    status=status,
                    external_id=r.external_id,
                    task_id=r.task_id,
                    files=list(r.files),
                    units=r.units,
                    estimate_units=r.plan.units,
                    attempts=r.attempt,
                    error=r.error if status != "succeeded" else None,
                    error_kind=r.error_kind if status != "succeeded" else None,
                )
            )
        rows.sort(key=lambda x: x.row)
        return BatchResult(
            batch_id=self.plan.batch_id,
            rows=rows,
            elapsed=self.clock() - self._started,
            stopped=self._stopped,
            status_requests=self.status_requests + _hub_sent(self.client) - self._hub_sent0,
        )


def _hub_sent(client: Any) -> int:
    """Status requests the client's hub has sent so far (0 for a client without one)."""
    return int(getattr(getattr(client, "_hub", None), "sent", 0))
