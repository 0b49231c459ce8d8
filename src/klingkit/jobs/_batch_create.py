"""Creating the rows' tasks: the ledger record before the create leaves, recovery by external id, adoption
of tasks that already exist (a lost ledger or a lost answer), and what each refusal means for the row."""

from __future__ import annotations

import contextlib
from typing import Any

from ..catalog import PAGE_NUM, PAGE_SIZE
from ..errors import (
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
from ._batch_marks import read_claim, write_claim
from ._batch_state import (
    _already_exists,
    _error_text,
    _items,
    _Row,
    _RunnerBase,
)
from .ledger import record_before_send


class _Creating(_RunnerBase):
    """The creating part of ``BatchRunner``."""

    # --- creating ----------------------------------------------------------------------------------

    def _start_creates(self, now: float) -> None:
        if self._stopped:
            for row in self._queue:
                row.state = "not_started"
            self._queue.clear()
            return
        while self._queue and self._in_flight() < self.window.slots and self.window.open(now):
            pick = next((r for r in self._queue if self._may_start(r, now)), None)
            if pick is None:
                return
            self._queue.remove(pick)
            pick.state = "creating"
            self._unnamed_busy |= _unnamed(pick)  # before the next pick: the create starts later
            self._spawn(self._create(pick))

    def _may_start(self, row: _Row, now: float) -> bool:
        if row.not_before > now:
            return False
        if not _unnamed(row):
            return True
        # Creates without an external id go one at a time (see _create), and one that may have been sent
        # by an earlier run goes first: a new one sent before it is found would be a second candidate.
        return not self._unnamed_busy and (
            row.recover or not any(q.recover and _unnamed(q) for q in self._queue)
        )

    async def _create(self, row: _Row) -> None:
        # One create without an external id (Kling 4.0) at a time, until answered or found: then a kill
        # or a lost answer leaves at most one such task that no row has claimed, and the task list can
        # tell which row it belongs to (by time alone, several could not be told apart).
        try:
            await self._create_row(row)
        finally:
            if _unnamed(row):
                self._unnamed_busy = False
                self._kick()

    async def _create_row(self, row: _Row) -> None:
        spec = row.plan.spec.with_external_id(row.external_id)
        try:
            if row.recover:
                found = await self._lookup(row)
                if found is not None:
                    self._now_running(row, found)
                    return
            if not row.recorded:
                ok = await self.ledger_thread.call(self._record, row, spec)  # durable before the create
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
                row,
                exc,
                "policy" if isinstance(exc, ContentPolicyError) else "validation",
                "rejected",
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

    def _record(self, row: _Row, spec: Any, fingerprint: dict[str, Any] | None = None) -> bool:
        """Write the row's ledger record (``pending``) before its create may leave; False if it existed.

        A row sent without an external id (Kling 4.0) also gets its fingerprint written to --out: with
        the ledger lost, that is what finds its task again (``_discover``)."""
        fingerprint = fingerprint or _fingerprint(spec)
        ok = record_before_send(  # on the ledger's thread: see _batch_ledger
            self.ledger, row.external_id, spec, base_url=self.base_url, sandbox=self.sandbox,
            batch_id=self.plan.batch_id, row_index=row.plan.index, fingerprint=fingerprint,
        )  # fmt: skip
        if fingerprint is not None and ok:
            write_claim(self.out_dir, row.external_id, fingerprint=fingerprint)
        row.recorded = True
        return ok

    def _create_error(self, row: _Row, exc: BaseException) -> None:
        row.create_errors += 1
        if isinstance(exc, TaskUnknownError):  # it may exist: never "rejected", looked up before any resend
            self.ledger_thread.later(self.ledger.update, row.external_id, status="unknown")
        if row.create_errors >= self.max_create_errors:
            # The task may exist (a lost answer); a rerun looks it up before doing anything else.
            row.state = "failed"
            row.error, row.error_kind = _error_text(exc), "transient"
            error = {"kind": "transient", "message": row.error, "row": row.plan.index}
            self.ledger_thread.later(self.ledger.update, row.external_id, error=error)
            return
        row.not_before = self.clock() + min(30.0, 0.5 * 2 ** (row.create_errors - 1))
        self._requeue(row, front=False)

    async def _lookup(self, row: _Row) -> Any | None:
        """The row's task by external id, on the route it was sent to; None when Kling has none."""
        self.status_requests += 1
        rec = await self.ledger_thread.call(self.ledger.get, row.external_id)
        if rec is not None and rec.fingerprint:
            # Sent without an external id (Kling 4.0): found through the task list, never re-sent blindly.
            claimed = [r.task_id for r in self._rows if r.task_id and r is not row]
            try:
                return await self.client.tasks.reconcile(rec.fingerprint, claimed=claimed)
            except NotFoundError:
                return None
        if row.family == "new":
            found = await self.client.tasks.query(external_ids=[row.external_id])
            return next(
                (t for t in found if getattr(t, "external_id", None) == row.external_id),
                None,
            )
        try:
            return await self.client.tasks.get_by_external_id(row.external_id, feature=row.plan.feature)
        except NotFoundError:
            return None

    async def _discover(self) -> None:
        """Rows the ledger does not know may still have tasks (a deleted or new ``KLINGKIT_HOME``): find
        them by their deterministic external ids with as few requests as possible (``/tasks`` 20 ids
        per call; legacy list pages, newest first, back through the batch's time window) and adopt them
        instead of creating again."""
        rows = [r for r in self._rows if r.discover]
        found: dict[str, Any] = {}
        new = [r.external_id for r in rows if r.family == "new"]
        with contextlib.suppress(KlingError, OSError):
            for i in range(0, len(new), 20):
                self.status_requests += 1
                for task in await self.client.tasks.query(external_ids=new[i : i + 20]):
                    found[str(getattr(task, "external_id", ""))] = task
        for feature in sorted({r.plan.feature for r in rows if r.family == "legacy"}):
            wanted = {r.external_id for r in rows if r.family == "legacy" and r.plan.feature == feature}
            with contextlib.suppress(KlingError, OSError):
                await self._page_back(feature, wanted, found)
        claims = {r.external_id: read_claim(self.out_dir, r.external_id) or {} for r in rows if _unnamed(r)}
        await self._claimed_tasks(claims, found)
        for row in rows:
            row.discover = False
            task = found.get(row.external_id)
            claim = claims.get(row.external_id) or {}
            if task is None and claim.get("fingerprint"):
                # Sent without an external id (Kling 4.0), answer unknown: record what was sent, so the
                # create path finds the task through the task list before it may send again.
                await self.ledger_thread.call(self._record, row, row.plan.spec, claim["fingerprint"])
                row.recover = True
            if task is None:
                continue  # not seen: created normally; an "already exists" answer is adopted then
            self._queue.remove(row)
            await self.ledger_thread.call(self._record, row, row.plan.spec, claim.get("fingerprint"))
            self.window.accepted()
            self._now_running(row, task)

    async def _claimed_tasks(self, claims: dict[str, dict[str, Any]], found: dict[str, Any]) -> None:
        """The tasks whose ids --out kept for rows sent without an external id, 20 ids a request."""
        wanted = {str(c["task_id"]): eid for eid, c in claims.items() if c.get("task_id")}
        ids = sorted(wanted)
        with contextlib.suppress(KlingError, OSError):
            for i in range(0, len(ids), 20):
                self.status_requests += 1
                for task in await self.client.tasks.query(task_ids=ids[i : i + 20]):
                    if str(task.id) in wanted:
                        found[wanted[str(task.id)]] = task

    async def _page_back(self, feature: str, wanted: set[str], found: dict[str, Any]) -> None:
        """Read ``feature``'s task list (legacy routes cannot be asked by external id in bulk) from the
        newest page back until every wanted id is seen, the list ends, or its tasks are older than
        :attr:`discover_since` (the batch's window); at most the API's last page."""
        size = PAGE_SIZE[1]
        for page_no in range(PAGE_NUM[0], PAGE_NUM[1] + 1):
            self.status_requests += 1
            items = list(_items(await self.client.tasks.list(feature, page=page_no, page_size=size)))
            for task in items:
                ext = str(getattr(task, "external_id", "") or "")
                found[ext] = task
                wanted.discard(ext)
            if not wanted or len(items) < size:
                return
            stamps = [t.created_at for t in items if getattr(t, "created_at", None) is not None]
            if stamps and min(stamps) < self.discover_since:
                return

    def _now_running(self, row: _Row, task: Any) -> None:
        row.task = task
        row.task_id = str(task.id)
        row.family = getattr(task, "family", None) or row.family
        row.recover = False
        now = self.clock()
        row.submitted = row.next_check = now
        self.ledger_thread.later(self.ledger.record_task, row.external_id, task)
        if _unnamed(row):  # the one link from this row to its task that Kling does not keep
            self.ledger_thread.later(write_claim, self.out_dir, row.external_id, task_id=row.task_id)
        row.state = "running"
        if getattr(task, "done", False):
            self._settle(row, task)
        else:
            self._follow_row(row)


def _unnamed(row: _Row) -> bool:
    """The row's create carries no external id (Kling 4.0): Kling cannot be asked for it by ours."""
    from klingkit import catalog

    return not catalog.takes_external_id(getattr(row.plan.spec, "model", None))


def _fingerprint(spec: Any) -> dict[str, Any] | None:
    """The request's fingerprint when its route takes no external id (Kling 4.0), for the ledger."""
    from klingkit import catalog, request_fingerprint

    if catalog.takes_external_id(getattr(spec, "model", None)):
        return None
    found: dict[str, Any] = request_fingerprint(spec).to_dict()
    return found
