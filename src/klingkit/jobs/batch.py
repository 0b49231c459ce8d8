"""The durable, exactly-once batch runner behind ``klingkit batch FILE``.

How a row goes through a run::

    queued ──(slot free)──> ledger row "pending" ──> create ──> running ──(coalesced status)──> succeeded
       ▲                   (written BEFORE the POST)    │                                     │
       └── 1303: back off, shrink the window ───────────┘                              download ──> done
                                                  content policy / validation ──> failed (not retried)

Why it survives anything:

* The batch id is a hash of the file, the API base URL and the request-shaping options; each row's
  ``external_task_id`` is ``kkb-<batch16>-<row>`` (``-a2``, ``-a3`` for later attempts). The ledger row is
  committed before the create request leaves, so after a crash, Ctrl-C or SIGKILL every create that
  *may* have been sent is known. A rerun looks such rows up by external id (and awaits them) instead of
  creating them again; rows recorded as finished are skipped; succeeded rows whose files are missing are
  downloaded.
* One runner per batch: a lease in the ``batches`` table (renewed while running, taken over at once from
  a dead process on this host). ``(batch_id, row_index)`` is unique in the ledger, so even without the
  lease a row could not be recorded twice.

Scheduling: a new row starts as soon as a slot frees; 1303 halves the window (AIMD) and backs off; one
status request serves many tasks (``/tasks`` for 2026 routes, one list page per feature for legacy
routes); downloads run alongside generation. Times are seconds on the monotonic clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import catalog
from .._download import OutputExistsError, clear_foreign
from .._exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ContentPolicyError,
    KlingError,
    NotFoundError,
    PermissionDeniedError,
    QuotaError,
    RateLimitError,
    ServerError,
    TaskUnknownError,
    ValidationError,
)
from ._batch_rows import (
    BatchInputError,
    BatchPlan,
    PlannedRow,
    RowError,
    attempt_of,
    base_of,
    batch_id_for,
    parse_rows,
    plan_batch,
)
from ._batch_sched import ConcurrencyWindow, DurationModel
from .ledger import Ledger, TaskRecord

__all__ = [
    "BatchBusyError",
    "BatchInputError",
    "BatchPlan",
    "BatchResult",
    "BatchRunner",
    "Progress",
    "RowError",
    "RowResult",
    "load_plan",
    "write_reports",
]

LEASE_SECONDS = 30.0  # a runner that stops renewing loses the batch after this long
LEASE_RENEW = 5.0
MAX_TASK_ATTEMPTS = 3  # tasks of one row that may fail for a non-policy reason before the row fails
MAX_CREATE_ERRORS = 6  # transient create errors (5xx, network) tolerated per row in one run
MAX_DOWNLOAD_ERRORS = 3
DOWNLOAD_WORKERS = 4
CALLBACK_POLL_INTERVAL = 60.0  # with --callback-url, status requests are only a slow fallback
POLICY_MARKERS = ("risk control", "content security", "content policy", "moderation", "sensitive")


class BatchBusyError(KlingError):
    """Another live runner holds this batch's lease."""

    def __init__(self, batch_id: str, owner: str) -> None:
        super().__init__(
            f"batch {batch_id[:16]} is being run by another klingkit process ({owner}); "
            "wait for it to finish, or stop it and run the command again"
        )
        self.batch_id = batch_id
        self.owner = owner


@dataclass
class Progress:
    """A snapshot for the progress line. ``units`` are units charged so far; ``eta`` seconds or None."""

    total: int
    done: int
    running: int
    queued: int
    failed: int
    units: float
    eta: float | None
    window: int
    elapsed: float


@dataclass
class RowResult:
    """How one row ended. ``status``: ``succeeded``, ``failed`` or ``not_started`` (the run stopped)."""

    row: int
    name: str
    status: str
    external_id: str
    task_id: str | None = None
    files: list[str] = field(default_factory=list)
    units: float | None = None
    estimate_units: float | None = None
    attempts: int = 1
    error: str | None = None
    error_kind: str | None = None  # policy | validation | transient | download | account

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dict(self.__dict__)


@dataclass
class BatchResult:
    """The outcome of a run: one :class:`RowResult` per row, in row order, plus totals."""

    batch_id: str
    rows: list[RowResult]
    elapsed: float
    stopped: str | None = None  # why the run stopped early (an account problem), else None
    status_requests: int = 0

    @property
    def ok(self) -> bool:
        """True when every row succeeded."""
        return all(r.status == "succeeded" for r in self.rows)

    @property
    def units(self) -> float:
        """Units charged for the rows of this batch (as reported by the API)."""
        return round(sum(r.units or 0.0 for r in self.rows), 4)

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out


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


@dataclass
class _Row:
    plan: PlannedRow
    external_id: str
    attempt: int = 1
    state: str = "queued"  # queued | creating | running | downloading | done | failed | not_started
    recorded: bool = False  # the ledger row for external_id exists
    recover: bool = False  # a create may have been sent: look it up before creating
    discover: bool = False  # not in the ledger: look for it (coalesced) before the first create
    task: Any = None
    task_id: str | None = None
    family: str = "legacy"
    submitted: float = 0.0
    next_check: float = 0.0
    gap: float = 0.0
    create_errors: int = 0
    download_errors: int = 0
    not_before: float = 0.0
    files: list[str] = field(default_factory=list)
    units: float | None = None
    error: str | None = None
    error_kind: str | None = None


def _lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_dead(owner: str) -> bool:
    """True when ``owner`` is a klingkit process on this host that no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    # A zombie (killed, not yet reaped by its parent) still answers kill(0): read its state.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] in ("Z", "X")
    return False


def _is_policy(message: str | None) -> bool:
    text = (message or "").lower()
    return any(m in text for m in POLICY_MARKERS)


def _server_seconds(task: Any) -> float | None:
    start, end = getattr(task, "created_at", None), getattr(task, "updated_at", None)
    if start is None or end is None:
        return None
    return max(0.0, float((end - start).total_seconds()))


def _status(task: Any) -> str:
    value = getattr(task, "status", "unknown")
    return str(getattr(value, "value", value))


def _error_text(exc: BaseException) -> str:
    return " ".join((str(exc) or type(exc).__name__).split())


class BatchRunner:
    """Runs a :class:`BatchPlan` to completion against an ``AsyncKling``-like ``client``.

    ``client`` needs ``submit(spec)``, ``tasks.get``, ``tasks.get_by_external_id``, ``tasks.query``,
    ``tasks.list`` and ``download(task, dest, sidecar=...)``, all awaitable. ``out_dir`` receives the
    files (named after each row's ``output``). ``concurrency`` is the most tasks in flight at once.
    ``retry_failed`` gives rows that failed in an earlier run (policy failures included) a new attempt.
    ``force`` overwrites files in ``out_dir`` that belong to another task (else such a row fails).
    ``callback_url`` (already in each request) turns status polling into a slow fallback.
    ``on_progress`` is called with a :class:`Progress` about twice a second.
    """

    def __init__(
        self,
        client: Any,
        ledger: Ledger,
        plan: BatchPlan,
        *,
        out_dir: str | os.PathLike[str],
        concurrency: int = 4,
        base_url: str | None = None,
        sandbox: bool = False,
        retry_failed: bool = False,
        force: bool = False,
        callback_url: str | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        download_workers: int = DOWNLOAD_WORKERS,
        max_task_attempts: int = MAX_TASK_ATTEMPTS,
        max_create_errors: int = MAX_CREATE_ERRORS,
        lease_seconds: float = LEASE_SECONDS,
        backoff_floor: float = 1.0,
        durations: DurationModel | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if plan.errors:
            raise ValueError("the plan has invalid rows; fix them before running")
        self.client = client
        self.ledger = ledger
        self.plan = plan
        self.out_dir = Path(out_dir)
        self.base_url = base_url
        self.sandbox = sandbox
        self.retry_failed = retry_failed
        self.force = force
        self.callback_url = callback_url
        self.on_progress = on_progress
        self.download_workers = max(1, download_workers)
        self.max_task_attempts = max(1, max_task_attempts)
        self.max_create_errors = max(1, max_create_errors)
        self.lease_seconds = lease_seconds
        self.window = ConcurrencyWindow(concurrency, backoff_floor=backoff_floor)
        self.durations = durations or DurationModel()
        if callback_url:
            self.durations.cap = CALLBACK_POLL_INTERVAL
            self.durations.initial = CALLBACK_POLL_INTERVAL
        self.clock = clock
        self.owner = _lease_owner()
        self.status_requests = 0
        self._rows: list[_Row] = []
        self._queue: list[_Row] = []
        self._downloads: asyncio.Queue[_Row] | None = None
        self._wake: asyncio.Event | None = None
        self._polling = False
        self._stopped: str | None = None
        self._started = 0.0
        self._aux: set[asyncio.Task[None]] = set()

    # --- lease -------------------------------------------------------------------------------------

    def _take_lease(self) -> None:
        bid = self.plan.batch_id
        if self.ledger.acquire_lease(bid, self.owner, self.lease_seconds):
            return
        rec = self.ledger.get_batch(bid)
        holder = (rec.lease_owner if rec else None) or "unknown"
        if rec and rec.lease_owner and _owner_dead(rec.lease_owner):
            # The Ledger API has no conditional takeover; do it here against the documented schema,
            # only if the dead owner still holds it (another runner may have won the race).
            db = sqlite3.connect(self.ledger.path, timeout=30.0, isolation_level=None)
            try:
                cur = db.execute(
                    "UPDATE batches SET lease_owner = ?, lease_until = ? WHERE batch_id = ? AND lease_owner = ?",
                    (self.owner, time.time() + self.lease_seconds, bid, rec.lease_owner),
                )
                if cur.rowcount == 1:
                    return
            finally:
                db.close()
        raise BatchBusyError(bid, holder)

    def _renew_lease(self) -> None:
        if not self.ledger.acquire_lease(self.plan.batch_id, self.owner, self.lease_seconds):
            rec = self.ledger.get_batch(self.plan.batch_id)
            raise BatchBusyError(self.plan.batch_id, (rec.lease_owner if rec else None) or "unknown")

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
        if not self.ledger.create_batch(bid, source=self.plan.source, options=options):
            self.ledger.update_batch(bid, options=options)
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
            row.external_id, row.attempt, row.recorded = rec.external_id, attempt_of(rec.external_id), True
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
                row.submitted = self.clock()
                row.next_check = self.clock()

    def _new_attempt(self, row: _Row) -> None:
        """Detach the row's previous task record and move to the next external id."""
        if row.recorded:
            # The old attempt keeps its batch_id (history) but no longer stands for the row.
            self.ledger.update(row.external_id, row_index=None)
        row.attempt += 1
        row.external_id = f"{base_of(row.external_id)}-a{row.attempt}"
        row.recorded = row.recover = False
        row.task = row.task_id = None
        row.state = "queued"
        row.error = row.error_kind = None
        row.create_errors = 0
        row.files = []

    # --- main loop ---------------------------------------------------------------------------------

    def _in_flight(self) -> int:
        return sum(1 for r in self._rows if r.state in ("creating", "running"))

    def _kick(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._aux.add(task)
        task.add_done_callback(self._aux.discard)
        task.add_done_callback(lambda _t: self._kick())

    async def run(self) -> BatchResult:
        """Run (or resume) the batch until every row has succeeded or failed; returns the result."""
        self._started = self.clock()
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
                if now - last_renew >= LEASE_RENEW:
                    self._renew_lease()
                    last_renew = now
                if self.callback_url:
                    self._absorb_ledger()
                self._start_creates(now)
                self._maybe_poll(now)
                if now - last_progress >= 0.5:
                    self._report_progress()
                    last_progress = now
                if all(r.state in ("done", "failed", "not_started") for r in self._rows) and not self._aux:
                    break
                await self._sleep_until_next(now)
            self._report_progress()
        finally:
            for w in workers:
                w.cancel()
            for t in list(self._aux):
                t.cancel()
            await asyncio.gather(*workers, *self._aux, return_exceptions=True)
            with contextlib.suppress(KlingError):
                self.ledger.release_lease(self.plan.batch_id, self.owner)
        result = self._result()
        self.ledger.update_batch(
            self.plan.batch_id,
            status="succeeded" if result.ok else ("stopped" if self._stopped else "failed"),
        )
        return result

    async def _sleep_until_next(self, now: float) -> None:
        assert self._wake is not None
        wake_at = now + 0.5
        running = [r for r in self._rows if r.state == "running"]
        if running and not self._polling:
            wake_at = min(wake_at, min(r.next_check for r in running))
        if self._queue and not self._stopped:
            blocked = max(self.window.blocked_until, min(r.not_before for r in self._queue))
            if blocked > now:
                wake_at = min(wake_at, blocked)
        delay = max(0.005, wake_at - now)
        self._wake.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)

    # --- creating ----------------------------------------------------------------------------------

    def _start_creates(self, now: float) -> None:
        if self._stopped:
            for row in self._queue:
                row.state = "not_started"
            self._queue.clear()
            return
        while self._queue and self._in_flight() < self.window.slots and self.window.open(now):
            pick = next((r for r in self._queue if r.not_before <= now), None)
            if pick is None:
                return
            self._queue.remove(pick)
            pick.state = "creating"
            self._spawn(self._create(pick))

    async def _create(self, row: _Row) -> None:
        spec = row.plan.spec.with_external_id(row.external_id)
        try:
            if row.recover:
                found = await self._lookup(row)
                if found is not None:
                    self._now_running(row, found)
                    return
            if not row.recorded:
                ok = self._record(row, spec)
                if not ok:  # already recorded (a previous run): it may exist, look first
                    found = await self._lookup(row)
                    if found is not None:
                        self._now_running(row, found)
                        return
            row.recover = True  # from here on the create may have been sent
            try:
                task = await self.client.submit(spec)
            except APIError as exc:
                if not _already_exists(exc):
                    raise
                # Kling already has a task with this row's external id (a lost ledger, a lost answer):
                # it is this row's task. Adopt it; never create another.
                found = await self._lookup(row)
                if found is None:
                    raise
                task = found
        except RateLimitError as exc:
            # Definitive: Kling refused the create; nothing was made. Shrink the window and try later.
            row.recover = False
            delay = self.window.congested(self.clock(), self._in_flight())
            if exc.code not in (1303, None):
                row.not_before = self.clock() + delay
            self._requeue(row, front=True)
            return
        except (ContentPolicyError, ValidationError) as exc:
            self._fail(
                row, exc, "policy" if isinstance(exc, ContentPolicyError) else "validation", "rejected"
            )
            return
        except (QuotaError, AuthenticationError, PermissionDeniedError) as exc:
            # An account problem stops the whole run: no point sending more creates.
            self._stopped = _error_text(exc)
            self._fail(row, exc, "account", "rejected")
            return
        except ServerError as exc:
            self._create_error(row, exc)
            return
        except APIError as exc:
            if not exc.retryable:
                self._fail(row, exc, "validation", "rejected")
                return
            self._create_error(row, exc)
            return
        except (APIConnectionError, KlingError, OSError) as exc:
            self._create_error(row, exc)
            return
        self.window.accepted()
        self._now_running(row, task)

    def _record(self, row: _Row, spec: Any) -> bool:
        """Write the row's ledger record (``pending``) before its create may leave; False if it existed."""
        est = spec.estimate
        params = getattr(spec, "params", None) or {}
        ok = self.ledger.record_pending(
            row.external_id,
            feature=row.plan.feature,
            family=str(spec.family),
            route=getattr(spec, "path", None),
            model=getattr(spec, "model", None) or params.get("model_name") or params.get("model"),
            mode=params.get("mode"),
            duration=_float(params.get("duration")),
            prompt=params.get("prompt") or params.get("text"),
            params=params,
            estimate_units=float(est.units),
            estimate_usd=float(est.usd),
            base_url=self.base_url,
            sandbox=self.sandbox,
            batch_id=self.plan.batch_id,
            row_index=row.plan.index,
        )
        row.recorded = True
        return ok

    def _create_error(self, row: _Row, exc: BaseException) -> None:
        row.create_errors += 1
        if isinstance(exc, TaskUnknownError):  # it may exist: never "rejected", looked up before any resend
            with contextlib.suppress(KeyError):
                self.ledger.update(row.external_id, status="unknown")
        if row.create_errors >= self.max_create_errors:
            # The task may exist (a lost answer); a rerun looks it up before doing anything else.
            row.state = "failed"
            row.error, row.error_kind = _error_text(exc), "transient"
            with contextlib.suppress(KeyError):
                self.ledger.update(
                    row.external_id, error={"kind": "transient", "message": row.error, "row": row.plan.index}
                )
            return
        row.not_before = self.clock() + min(30.0, 0.5 * 2 ** (row.create_errors - 1))
        self._requeue(row, front=False)

    def _requeue(self, row: _Row, *, front: bool) -> None:
        row.state = "queued"
        if front:
            self._queue.insert(0, row)
        else:
            self._queue.append(row)

    async def _lookup(self, row: _Row) -> Any | None:
        """The row's task by external id, on the route it was sent to; None when Kling has none."""
        self.status_requests += 1
        if row.family == "new":
            found = await self.client.tasks.query(external_ids=[row.external_id])
            return next((t for t in found if getattr(t, "external_id", None) == row.external_id), None)
        try:
            return await self.client.tasks.get_by_external_id(row.external_id, feature=row.plan.feature)
        except NotFoundError:
            return None

    async def _discover(self) -> None:
        """Rows the ledger does not know may still have tasks (a deleted or new ``KLINGKIT_HOME``): find
        them by their deterministic external ids with as few requests as possible (``/tasks`` 20 ids
        per call; one recent list page per legacy feature) and adopt them instead of creating again."""
        rows = [r for r in self._rows if r.discover]
        found: dict[str, Any] = {}
        new = [r.external_id for r in rows if r.family == "new"]
        with contextlib.suppress(KlingError, OSError):
            for i in range(0, len(new), 20):
                self.status_requests += 1
                for task in await self.client.tasks.query(external_ids=new[i : i + 20]):
                    found[str(getattr(task, "external_id", ""))] = task
            features = {r.plan.feature for r in rows if r.family == "legacy"}
            for feature in sorted(features):
                self.status_requests += 1
                page = await self.client.tasks.list(feature, page=1, page_size=500)
                for task in _items(page):
                    found[str(getattr(task, "external_id", ""))] = task
        for row in rows:
            row.discover = False
            task = found.get(row.external_id)
            if task is None:
                continue  # not seen: created normally; an "already exists" answer is adopted then
            self._queue.remove(row)
            self._record(row, row.plan.spec)
            self.window.accepted()
            self._now_running(row, task)

    def _now_running(self, row: _Row, task: Any) -> None:
        row.task = task
        row.task_id = str(task.id)
        row.family = getattr(task, "family", None) or row.family
        row.recover = False
        now = self.clock()
        row.submitted = now
        row.gap = self.durations.first_check(row.plan.feature)
        row.next_check = now + row.gap
        self.ledger.record_task(row.external_id, task)
        row.state = "running"
        if getattr(task, "done", False):
            self._settle(row, task)

    def _fail(self, row: _Row, exc: BaseException, kind: str, status: str) -> None:
        row.state = "failed"
        row.error, row.error_kind = _error_text(exc), kind
        error = {"kind": kind, "message": row.error, "type": type(exc).__name__, "row": row.plan.index}
        code = getattr(exc, "code", None)
        if code is not None:
            error["code"] = code
        with contextlib.suppress(KeyError):
            self.ledger.update(row.external_id, status=status, error=error)

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
            row.files, row.state = list(rec.files), "done"  # the webhook receiver (or a rerun) got it
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
            status = {"done": "succeeded", "failed": "failed", "not_started": "not_started"}.get(
                r.state, "failed"
            )
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
            status_requests=self.status_requests,
        )


def _already_exists(exc: APIError) -> bool:
    """Kling refused a create because a task with its external id exists (code 1201 or a route's own)."""
    return "already exist" in (getattr(exc, "message", None) or str(exc)).lower()


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _items(page: Any) -> Iterable[Any]:
    items = getattr(page, "items", page)
    return list(items) if isinstance(items, Iterable) else []


def write_reports(result: BatchResult, out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``batch-<id16>.report.json`` and ``.report.csv`` into ``out_dir``; returns both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"batch-{result.batch_id[:16]}.report"
    json_path, csv_path = out / f"{stem}.json", out / f"{stem}.csv"
    doc = {
        "batch_id": result.batch_id,
        "ok": result.ok,
        "counts": result.counts(),
        "units": result.units,
        "elapsed_seconds": round(result.elapsed, 3),
        "stopped": result.stopped,
        "rows": [r.to_dict() for r in result.rows],
    }
    tmp = out / f"{stem}.json.part"
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, json_path)
    tmp = out / f"{stem}.csv.part"
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["row", "name", "status", "task_id", "external_id", "files", "units", "attempts", "error"]
        )
        for r in result.rows:
            writer.writerow(
                [
                    r.row,
                    r.name,
                    r.status,
                    r.task_id or "",
                    r.external_id,
                    " ".join(r.files),
                    "" if r.units is None else r.units,
                    r.attempts,
                    r.error or "",
                ]
            )
    os.replace(tmp, csv_path)
    return json_path, csv_path
