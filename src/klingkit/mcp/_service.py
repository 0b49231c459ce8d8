"""What each tool does, without the protocol: generate (guarded, recorded, exactly once), estimate,
status, result, list, models and balance. The server module only turns these into MCP tools.

Money order for a generate call: build the request from the registry, validate and price it (no network),
check the per-call cap, the session budget and the confirmation threshold, record the task in the ledger
under its external id, and only then send the create. An ``idempotency_key`` fixes the external id, so
the same key always finds the same ledger row and never sends a second create.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from klingkit import ops

from ._errors import ToolError, from_exception
from ._follow import Follower, downloadable, file_facts

if TYPE_CHECKING:
    from klingkit import AsyncKling, Task
    from klingkit.jobs.ledger import Ledger, TaskRecord

Progress = Callable[[str], Awaitable[None]]
"""Sends one progress message to the client (an MCP progress notification)."""

KLING_CANNOT_CANCEL = (
    "Kling has no cancel: stopping only stops following; a running task finishes and is billed if it succeeds"
)


STDIO_SESSION = "stdio"
"""The one session of a stdio server (the process serves a single client)."""
STATELESS_SESSION = "stateless"
"""2026-07-28 HTTP requests carry no session: they share this one budget."""


@dataclass
class Guards:
    """The server's money rules (US dollars at list price); the budget is per MCP session.

    A session is a stdio server's one client, or one HTTP session (``Mcp-Session-Id``, handshake-era
    clients). 2026-07-28 HTTP requests are stateless (the protocol has no sessions) and share one budget.
    """

    budget_usd: float | None = None  # each session
    max_call_usd: float | None = None  # one call
    confirm_above_usd: float = 2.0  # above this a call needs confirm=true
    spent: dict[str, float] = field(default_factory=dict)  # session -> estimates of the tasks it created

    def spent_usd(self, session: str = STDIO_SESSION) -> float:
        return self.spent.get(session, 0.0)

    def charge(self, session: str, usd: float) -> None:
        """Reserve (or, negative, release) ``usd`` of ``session``'s budget."""
        self.spent[session] = self.spent.get(session, 0.0) + usd

    def to_json(self, session: str = STDIO_SESSION) -> dict[str, Any]:
        spent = self.spent_usd(session)
        left = None if self.budget_usd is None else round(self.budget_usd - spent, 4)
        return {
            "session_budget_usd": self.budget_usd,
            "spent_usd": round(spent, 4),
            "remaining_usd": left,
            "max_call_usd": self.max_call_usd,
            "confirm_above_usd": self.confirm_above_usd,
        }


def external_id_for(key: str) -> str:
    """The external id an idempotency key stands for (stable across calls and server restarts)."""
    return "kk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def estimate_json(est: Any) -> dict[str, Any]:
    return {"units": est.units, "pack": est.pack, "usd": est.usd, "exact": est.exact, "basis": est.basis}


def takes_external_id(spec: Any) -> bool:
    """Whether the create carries our external id (every model but Kling 4.0)."""
    from klingkit import catalog

    return bool(catalog.takes_external_id(spec.model)) if spec.model else True


def _same_request(rec: TaskRecord, spec: Any) -> bool:
    stored = json.dumps(rec.params, sort_keys=True, default=str)
    asked = json.dumps(json.loads(json.dumps(spec.params, default=str)), sort_keys=True, default=str)
    return rec.feature == spec.feature and stored == asked


@dataclass
class Service:
    """The tools' behaviour for one server process; money is counted per session (see :class:`Guards`)."""

    client: Callable[[], AsyncKling]
    ledger: Ledger
    output_dir: Path
    guards: Guards = field(default_factory=Guards)
    base_url: str | None = None
    sandbox: bool = False

    def __post_init__(self) -> None:
        self.follower = Follower(self.client, self.ledger, self.output_dir)
        self._key_locks: dict[str, anyio.Lock] = {}

    # --- generate --------------------------------------------------------------------------------------

    def _resolve_video(self, value: str) -> str:
        """A ledger handle (external or task id) -> the id of its video output; anything else passes."""
        rec = self.ledger.get(value)
        if rec is None:
            return value
        for out in rec.outputs or []:
            if out.get("kind") == "video" and out.get("id"):
                return str(out["id"])
        raise ToolError(
            "validation",
            f"task {value} has no video output yet (status {rec.status})",
            "wait for it with task_result, then pass its external_id again",
            field="video",
        )

    def prepare(self, op: ops.Operation, args: Mapping[str, Any]) -> Any:
        """Validate and price ``args`` for ``op``; raises ValidationError (nothing sent)."""
        import difflib

        from klingkit import prepare
        from klingkit.errors import ValidationError

        known = [p.name for p in op.params]
        for name in args:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "unknown argument"
                raise ValidationError(
                    name, args[name], f"the arguments of {op.name}: {', '.join(known)}", hint
                )
        feature, params = op.request(args, self._resolve_video)
        return prepare(feature, **params)

    def estimate(self, name: str, args: Mapping[str, Any], session: str = STDIO_SESSION) -> dict[str, Any]:
        op = ops.get(name)
        if not op.paid:
            raise ToolError("validation", f"{name} is not a generate tool", "pick one of the generate tools")
        spec = self.prepare(op, args)
        return {
            "operation": name,
            "feature": spec.feature,
            "estimate": estimate_json(spec.estimate),
            "needs_confirm": spec.estimate.usd > self.guards.confirm_above_usd,
            "warnings": list(getattr(spec, "warnings", []) or []),
            "budget": self.guards.to_json(session),
            "sent": False,
        }

    def _check_money(self, est: Any, confirm: bool, session: str) -> None:
        g = self.guards
        spent = g.spent_usd(session)
        price = f"${est.usd:.2f} ({est.units:g} {est.pack} units)"
        if g.max_call_usd is not None and est.usd > g.max_call_usd:
            raise ToolError(
                "cost_limit",
                f"the estimate {price} is above this server's per-call limit ${g.max_call_usd:.2f}; "
                "nothing was sent",
                "choose a shorter duration, a cheaper mode or model (use the estimate tool to compare)",
                estimate=estimate_json(est),
            )
        if g.budget_usd is not None and spent + est.usd > g.budget_usd + 1e-9:
            raise ToolError(
                "budget",
                f"this session's budget is exhausted: {price} asked, ${g.budget_usd - spent:.2f} of "
                f"${g.budget_usd:.2f} left; nothing was sent",
                "ask the user to restart the server with a larger --budget, or choose a cheaper request",
                estimate=estimate_json(est),
                budget=g.to_json(session),
            )
        if est.usd > g.confirm_above_usd and not confirm:
            raise ToolError(
                "confirmation_required",
                f"this call would cost about {price}, above ${g.confirm_above_usd:.2f}; nothing was sent",
                "show the user the estimate and, if they agree, call again with the same arguments and "
                "confirm=true",
                estimate=estimate_json(est),
            )

    async def generate(
        self, name: str, args: Mapping[str, Any], session: str = STDIO_SESSION
    ) -> dict[str, Any]:
        """Create the task (or find the one this idempotency key already made) and answer at once;
        its estimate is charged to ``session``'s budget."""
        args = dict(args)
        key = args.pop("idempotency_key", None)
        confirm = bool(args.pop("confirm", False))
        op = ops.get(name)
        spec = self.prepare(op, args)
        if key is None:
            from klingkit import new_external_id

            return await self._create(name, spec, new_external_id(), confirm, session)
        eid = external_id_for(str(key))
        async with self._key_locks.setdefault(eid, anyio.Lock()):
            rec = self.ledger.get(eid)
            if rec is None:
                return await self._create(name, spec, eid, confirm, session)
            if not _same_request(rec, spec):
                raise ToolError(
                    "idempotency_conflict",
                    f"idempotency_key {key!r} was already used for a different request (task {eid})",
                    "use a new key for a new request; reuse a key only to repeat the same call",
                    external_id=eid,
                )
            return await self._replay(name, rec, spec, session)

    async def _create(self, name: str, spec: Any, eid: str, confirm: bool, session: str) -> dict[str, Any]:
        est = spec.estimate
        self._check_money(est, confirm, session)
        spec = spec.with_external_id(eid)
        params = spec.params
        fingerprint = None
        if not takes_external_id(spec):
            # Kling 4.0 takes no external id: the row keeps the request's fingerprint, so a lost answer is
            # resolved through the task list (`klingkit tasks wait`), never by sending again.
            from klingkit import request_fingerprint

            fingerprint = request_fingerprint(spec).to_dict()
        self.ledger.record_pending(
            eid,
            fingerprint=fingerprint,
            route=getattr(spec, "path", None),
            feature=spec.feature,
            family=getattr(spec, "family", None),
            model=spec.model or params.get("model_name"),
            mode=spec.mode,
            duration=spec.duration,
            prompt=params.get("prompt") or params.get("text"),
            params=params,
            estimate_units=est.units,
            estimate_usd=est.usd,
            base_url=self.base_url,
            sandbox=self.sandbox,
        )
        self.guards.charge(session, est.usd)  # reserved before sending: a parallel call sees it
        try:
            task = await self.client().submit(spec)
        except Exception as exc:
            status = getattr(exc, "http_status", None)
            if isinstance(status, int) and status < 500:  # refused: no task exists, nothing to pay
                self.guards.charge(session, -est.usd)
                self.ledger.update(
                    eid, status="rejected", error={"type": type(exc).__name__, "message": str(exc)}
                )
                raise from_exception(exc) from exc
            self.ledger.update(eid, error={"type": type(exc).__name__, "message": str(exc)})
            raise from_exception(exc, external_id=eid) from exc
        self.ledger.record_task(eid, task)
        self.follower.follow(eid, task)
        return self._handle(name, eid, task, est, session, replay=False)

    async def _replay(self, name: str, rec: TaskRecord, spec: Any, session: str) -> dict[str, Any]:
        """The same key again: report the recorded task; an unanswered create is looked up, not re-sent."""
        eid = rec.external_id
        if rec.task_id is None and rec.status == "rejected":
            raise ToolError(
                "rejected",
                f"the first call with this key was refused: {(rec.error or {}).get('message', '')}",
                "change the request and use a new idempotency_key",
                external_id=eid,
            )
        if rec.task_id is None and not takes_external_id(spec):
            raise ToolError(
                "unknown",
                f"the first call with this key sent task {eid} but got no answer; Kling 4.0 tasks cannot "
                "be looked up by their external id, so nothing is sent again",
                f"run `klingkit tasks wait {eid}`: it finds the task through the task list",
                external_id=eid,
            )
        if rec.task_id is None:  # the create may have arrived: ask Kling by external id first
            from klingkit.errors import NotFoundError

            try:
                task = await self.client().tasks.get_by_external_id(eid, feature=rec.feature)
            except NotFoundError:
                task = await self.client().submit(spec.with_external_id(eid))
            self.ledger.record_task(eid, task)
        else:
            task = await self.client().tasks.get(rec.task_id, feature=rec.feature)
            self.ledger.record_task(eid, task)
        self.follower.follow(eid, task)
        return self._handle(name, eid, task, spec.estimate, session, replay=True)

    def _handle(
        self, name: str, eid: str, task: Task, est: Any, session: str, *, replay: bool
    ) -> dict[str, Any]:
        return {
            "external_id": eid,
            "task_id": task.id,
            "operation": name,
            "status": task.status.value,
            "estimate": estimate_json(est),
            "budget": self.guards.to_json(session),
            "already_created": replay,
            "next": "call task_status or task_result with this external_id (task_result can wait up to "
            "50 s per call); never call the generate tool again for the same request",
            "cancel": KLING_CANNOT_CANCEL,
        }

    # --- follow -------------------------------------------------------------------------------------

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
        """One status check (and keep following it). A create that was never answered is looked up by
        its external id; None when Kling does not have it (nothing was created, nothing will be charged)."""
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
            out["next"] = "check again later (or task_result with wait_seconds); " + KLING_CANNOT_CANCEL
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

    # --- free, local -------------------------------------------------------------------------------

    def list_tasks(self, search: str | None, status: str | None, limit: int) -> dict[str, Any]:
        found = self.ledger.find(search, status=status, limit=limit)
        return {"tasks": [self._status_json(r) | {"files": r.files} for r in found]}

    async def balance(self) -> dict[str, Any]:
        try:
            result = await self.client().account.costs()
        except Exception as exc:
            raise from_exception(exc) from exc
        return {"account": json.loads(json.dumps(result, default=str))}
