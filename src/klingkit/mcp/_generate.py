"""The generate tools without the protocol: validate and price, check the money rules, record, then send
the create exactly once (and the estimate tool, which stops before sending).

Money order for a generate call: build the request from the registry, validate and price it (no network),
check the per-call cap, the session budget and the confirmation threshold, record the task in the ledger
under its external id, and only then send the create. An ``idempotency_key`` fixes the external id, so
the same key always finds the same ledger row and never sends a second create.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio

from klingkit import ops

from ._errors import ToolError, from_exception
from ._follow import KLING_CANNOT_CANCEL, Follower
from ._money import STDIO_SESSION, Guards, estimate_json

if TYPE_CHECKING:
    from klingkit import AsyncKling, Task
    from klingkit.jobs.ledger import Ledger, TaskRecord


def external_id_for(key: str) -> str:
    """The external id an idempotency key stands for (stable across calls and server restarts)."""
    return "kk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def takes_external_id(spec: Any) -> bool:
    """Whether the create carries our external id (every model but Kling 4.0)."""
    from klingkit import catalog

    return bool(catalog.takes_external_id(spec.model)) if spec.model else True


def _same_request(rec: TaskRecord, spec: Any) -> bool:
    stored = json.dumps(rec.params, sort_keys=True, default=str)
    asked = json.dumps(json.loads(json.dumps(spec.params, default=str)), sort_keys=True, default=str)
    return rec.feature == spec.feature and stored == asked


class Generating:
    """The generate and estimate half of :class:`~._service.Service` (its fields are declared there)."""

    client: Callable[[], AsyncKling]
    ledger: Ledger
    guards: Guards
    base_url: str | None
    sandbox: bool
    follower: Follower
    _key_locks: dict[str, anyio.Lock]

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

            return await self._create(name, spec, new_external_id(), confirm, session, args)
        eid = external_id_for(str(key))
        async with self._key_locks.setdefault(eid, anyio.Lock()):
            rec = self.ledger.get(eid)
            if rec is None:
                return await self._create(name, spec, eid, confirm, session, args)
            if not _same_request(rec, spec):
                raise ToolError(
                    "idempotency_conflict",
                    f"idempotency_key {key!r} was already used for a different request (task {eid})",
                    "use a new key for a new request; reuse a key only to repeat the same call",
                    external_id=eid,
                )
            return await self._replay(name, rec, spec, session, args)

    async def _opened(self, name: str, args: Mapping[str, Any], spec: Any) -> Any:
        """The spec to send: an operation with a free first step (an edit's selection session) takes it
        now, after every money check, and is prepared again with what it answered."""
        op = ops.get(name)
        if op.opens is None:
            return spec
        from klingkit import prepare

        extra = await op.opens(self.client(), args, self._resolve_video)
        feature, params = op.request(args, self._resolve_video)
        return prepare(feature, **{**params, **extra}).with_external_id(spec.external_id)

    async def _create(
        self, name: str, spec: Any, eid: str, confirm: bool, session: str, args: Mapping[str, Any]
    ) -> dict[str, Any]:
        est = spec.estimate
        self.guards.check(est, confirm, session)
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
            task = await self.client().submit(await self._opened(name, args, spec))
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

    async def _replay(
        self, name: str, rec: TaskRecord, spec: Any, session: str, args: Mapping[str, Any]
    ) -> dict[str, Any]:
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
                task = await self.client().submit(await self._opened(name, args, spec.with_external_id(eid)))
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
