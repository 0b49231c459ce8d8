"""The batch runner's state: one ``_Row`` per input row, the lease, and the runner's base (its settings,
its rows and queue, and the small steps every part of the run shares).

``BatchRunner`` (``klingkit.jobs.batch``) is this base plus the creating part (``_batch_create``) and the
following part (status and downloads, ``_batch_follow``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .. import defaults
from ..catalog import RETENTION_DAYS
from ..errors import (
    APIError,
    BatchBusyError,
)
from ._batch_ledger import LedgerThread
from ._batch_report import Progress
from ._batch_rows import (
    BatchPlan,
    PlannedRow,
    base_of,
)
from ._batch_sched import POLL_FLOOR, ConcurrencyWindow
from .ledger import Ledger

LEASE_SECONDS = 30.0  # a runner that stops renewing loses the batch after this long
LEASE_RENEW = 5.0
MAX_TASK_ATTEMPTS = 3  # tasks of one row that may fail for a non-policy reason before the row fails
MAX_CREATE_ERRORS = 6  # transient create errors (5xx, network) tolerated per row in one run
MAX_DOWNLOAD_ERRORS = 3
ROW_DEADLINE = 3600.0  # seconds a row's task may run before the row fails as "timeout" (the task is kept)
DOWNLOAD_WORKERS = 4
CALLBACK_POLL_INTERVAL = 60.0  # with --callback-url, status requests are only a slow fallback
POLICY_MARKERS = (
    "risk control",
    "content security",
    "content policy",
    "moderation",
    "sensitive",
)


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


def _status(task: Any) -> str:
    value = getattr(task, "status", "unknown")
    return str(getattr(value, "value", value))


def _error_text(exc: BaseException) -> str:
    return " ".join((str(exc) or type(exc).__name__).split())


class _RunnerBase:
    """Settings, rows, queue, lease and the shared steps of a batch run (see ``BatchRunner``)."""

    def __init__(
        self,
        client: Any,
        ledger: Ledger,
        plan: BatchPlan,
        *,
        out_dir: str | os.PathLike[str],
        concurrency: int = defaults.BATCH_CONCURRENCY,
        base_url: str | None = None,
        sandbox: bool = False,
        retry_failed: bool = False,
        force: bool = False,
        callback_url: str | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        download_workers: int = DOWNLOAD_WORKERS,
        max_task_attempts: int = MAX_TASK_ATTEMPTS,
        max_create_errors: int = MAX_CREATE_ERRORS,
        row_deadline: float = ROW_DEADLINE,
        lease_seconds: float = LEASE_SECONDS,
        backoff_floor: float = 1.0,
        poll_floor: float = POLL_FLOOR,
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
        self.row_deadline = row_deadline
        self.lease_seconds = lease_seconds
        self.window = ConcurrencyWindow(concurrency, backoff_floor=backoff_floor)
        self.poll_floor = poll_floor  # the hub learns the pace; this bounds how close its checks come
        self.clock = clock
        self.owner = _lease_owner()
        self.status_requests = (
            0  # the runner's own (lookups, downloads' refetches); the hub counts its rounds
        )
        self._rows: list[_Row] = []
        self._queue: list[_Row] = []
        self._downloads: asyncio.Queue[_Row] | None = None
        self._wake: asyncio.Event | None = None
        self._hub_sent0 = 0  # the hub's count when the run started
        self._unnamed_busy = False  # a create without external id is unanswered (see _Creating._create)
        self._stopped: str | None = None
        self._started = 0.0
        # Tasks older than this cannot be this batch's (set by ``_load``): lost-ledger discovery stops there.
        self.discover_since = datetime.now(timezone.utc) - timedelta(days=RETENTION_DAYS)
        self._aux: set[asyncio.Task[None]] = set()
        # Every ledger call of a run, off the event loop and in order (``run`` starts a fresh one).
        self.ledger_thread = LedgerThread()

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
                    (
                        self.owner,
                        time.time() + self.lease_seconds,
                        bid,
                        rec.lease_owner,
                    ),
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

    def _new_attempt(self, row: _Row) -> None:
        """Detach the row's previous task record and move to the next external id."""
        if row.recorded:
            # The old attempt keeps its batch_id (history) but no longer stands for the row.
            self.ledger_thread.later(self.ledger.update, row.external_id, row_index=None)
        row.attempt += 1
        row.external_id = f"{base_of(row.external_id)}-a{row.attempt}"
        row.recorded = row.recover = False
        row.task = row.task_id = None
        row.state = "queued"
        row.error = row.error_kind = None
        row.create_errors = 0
        row.files = []

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

    def _requeue(self, row: _Row, *, front: bool) -> None:
        row.state = "queued"
        if front:
            self._queue.insert(0, row)
        else:
            self._queue.append(row)

    def _fail(self, row: _Row, exc: BaseException, kind: str, status: str) -> None:
        row.state = "failed"
        row.error, row.error_kind = _error_text(exc), kind
        error = {
            "kind": kind,
            "message": row.error,
            "type": type(exc).__name__,
            "row": row.plan.index,
        }
        code = getattr(exc, "code", None)
        if code is not None:
            error["code"] = code
        self.ledger_thread.later(self.ledger.update, row.external_id, status=status, error=error)

    # --- provided by the parts -----------------------------------------------------------------------

    def _settle(self, row: _Row, task: Any) -> None:
        raise NotImplementedError

    def _now_running(self, row: _Row, task: Any) -> None:
        raise NotImplementedError

    def _follow_row(self, row: _Row) -> None:
        raise NotImplementedError


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
