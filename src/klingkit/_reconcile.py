"""Exactly-once without an external id: find a create whose answer was lost, through the task list.

Kling 4.0 takes no ``external_task_id`` (conf M), so a create whose answer is lost (a read timeout, a
dropped connection, a 5xx after sending) cannot be looked up by an id we chose. Instead, before the create
leaves, its :class:`Fingerprint` is taken (route, SHA-256 of the normalised body, time sent, what it will
produce) and, by the CLI, written to the ledger. After an ambiguous failure the client lists the account's
tasks created around that time (``POST /tasks`` with a time window and the ``product_type`` filter, one
request per 500 tasks) and decides (pure, :func:`decide`):

* **adopt**: exactly one candidate (a 2026 task created in the window, without an external id, not claimed
  by another create we know of); when several are left, finished ones whose output does not match the
  request (duration, kind) are ruled out;
* **absent**: no candidate; trusted only once a listing ran at least :data:`ABSENT_AFTER_S` seconds after
  the send (a server may still be writing a slow create), and only then may the create be sent again;
* **undecided**: several candidates remain: nothing is sent again and the caller gets
  :class:`~klingkit.errors.CreateUnresolvedError` (the task stays ``unknown``, resumable with the
  fingerprint).

The listing's ``task`` objects do not echo the request (A.13), so the match rests on time, route family,
the absence of an external id (every other klingkit create carries one) and the output's shape.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ._logging import logger
from ._models import Task, TaskStatus
from ._wire import parse_tasks

__all__ = [
    "ABSENT_AFTER_S",
    "Fingerprint",
    "Reconciler",
    "Verdict",
    "decide",
    "fingerprint",
    "list_body",
    "reconcile_async",
    "reconcile_sync",
    "request_fingerprint",
]

EARLY_MS = 60_000
"""A task created up to this long before our clock said "sent" still counts (clock skew)."""
LATE_MS = 180_000
"""... and up to this long after (a slow server, our read timeout)."""
ABSENT_AFTER_S = 10.0
"""An empty listing proves the create never arrived only this long after it was sent."""
LIST_LIMIT = 500
INFLIGHT_WAITS, INFLIGHT_STEP_S = 300, 0.2
"""Before listing, wait (up to a minute) for this client's other unanswered creates: until their answers
claim their tasks, those tasks would look like candidates."""
_PRODUCT = {"video": "video", "image": "image", "tryon": "try_on", "audio": "audio"}


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one create that carries no external id.

    ``route`` is ``POST /text-to-video/kling-4.0``; ``body_sha256`` the hash of the body as JSON with
    sorted keys; ``sent_ms`` Unix milliseconds just before sending; ``product_type`` the ``/tasks`` filter
    value; ``output`` the kind produced and ``seconds`` its expected length (None when unknown).
    """

    route: str
    body_sha256: str
    sent_ms: int
    product_type: str
    output: str = "video"
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        return cls(
            route=str(data["route"]),
            body_sha256=str(data["body_sha256"]),
            sent_ms=int(data["sent_ms"]),
            product_type=str(data.get("product_type") or "video"),
            output=str(data.get("output") or "video"),
            seconds=float(data["seconds"]) if data.get("seconds") is not None else None,
        )


def body_hash(body: Mapping[str, Any]) -> str:
    """SHA-256 of the body normalised as compact JSON with sorted keys."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(spec: Any, sent_ms: int | None = None) -> Fingerprint:
    """The fingerprint of a prepared request (``klingkit.prepare``) about to be sent at ``sent_ms``
    (Unix milliseconds; default now). Public as ``klingkit.request_fingerprint``."""
    if sent_ms is None:
        sent_ms = int(time.time() * 1000)
    return Fingerprint(
        route=f"{spec.method} {spec.path}",
        body_sha256=body_hash(spec.body),
        sent_ms=int(sent_ms),
        product_type=_PRODUCT.get(getattr(spec, "pack", "video"), "video"),
        output="image" if getattr(spec, "pack", "video") == "image" else "video",
        seconds=getattr(spec, "duration", None),
    )


def list_body(fp: Fingerprint, cursor: str | None = None) -> dict[str, Any]:
    """The ``POST /tasks`` body that lists every task that could be this create."""
    return {
        "start_time": str(fp.sent_ms - EARLY_MS),
        "end_time": str(fp.sent_ms + LATE_MS),
        "cursor": cursor or "",
        "limit": LIST_LIMIT,
        "filters": [{"key": "product_type", "values": [fp.product_type]}],
    }


@dataclass(frozen=True)
class Verdict:
    """``task`` to adopt, or ``absent`` (no candidate at all), or neither: undecided (``candidates``)."""

    task: Task | None
    absent: bool
    candidates: tuple[str, ...] = ()


def _ms(value: Any) -> int | None:
    return int(value.timestamp() * 1000) if value is not None else None


def _fits(task: Task, fp: Fingerprint) -> bool:
    """A finished task rules itself out when its output does not look like what was asked."""
    if task.status is not TaskStatus.SUCCEEDED:
        return True
    outputs = [o for o in task.outputs if o.kind == fp.output]
    if not outputs:
        return False
    if fp.seconds is None or fp.output != "video":
        return True
    lengths = [o.duration for o in outputs if o.duration is not None]
    return not lengths or any(abs(d - fp.seconds) <= 0.6 for d in lengths)


def decide(fp: Fingerprint, tasks: Iterable[Task], claimed: Iterable[str] = ()) -> Verdict:
    """Choose among the listed ``tasks`` the one this create made (pure)."""
    taken = set(claimed)
    lo, hi = fp.sent_ms - EARLY_MS, fp.sent_ms + LATE_MS
    window = []
    for task in tasks:
        created = _ms(task.created_at)
        if task.id in taken or task.external_id or created is None or not lo <= created <= hi:
            continue
        window.append(task)
    if not window:
        return Verdict(None, True)
    fitting = [t for t in window if _fits(t, fp)]
    if len(fitting) == 1:
        return Verdict(fitting[0], False)
    if not fitting:
        return Verdict(None, True)
    return Verdict(None, False, tuple(t.id for t in fitting))


def page_tasks(data: Any, parse: Any = parse_tasks) -> tuple[Sequence[Task], str | None]:
    """The tasks of one ``POST /tasks`` page and the next cursor (None at the end)."""
    data = data if isinstance(data, Mapping) else {}
    tasks = parse(data.get("result") or [], family="new")
    more = bool(data.get("has_more")) and data.get("next_cursor")
    return tasks, str(data["next_cursor"]) if more else None


@dataclass(frozen=True)
class Step:
    """What to do after one complete listing: adopt ``task``, treat the create as ``absent`` (it may be
    sent again), sleep ``delay`` seconds and list again, or raise ``error``."""

    task: Task | None = None
    absent: bool = False
    delay: float = 0.0
    error: Exception | None = None


class Reconciler:
    """The decisions of one reconciliation (pure): the sync and async clients only send and sleep.

    ``requests`` counts the list requests sent (the cost of a reconciliation: one per listing page,
    normally one; retries on a rate limit are the transport's and are not counted here).
    """

    def __init__(self, fp: Fingerprint, claimed: Iterable[str] = ()) -> None:
        self.fp = fp
        self.claimed = set(claimed)
        self.requests = 0
        self.listings = 0

    def query(self, cursor: str | None) -> tuple[str, str, dict[str, Any]]:
        self.requests += 1
        return "POST", "/tasks", list_body(self.fp, cursor)

    def step(self, tasks: Sequence[Task], now_s: float) -> Step:
        from ._exceptions import CreateUnresolvedError

        self.listings += 1
        verdict = decide(self.fp, tasks, self.claimed)
        if verdict.task is not None:
            return Step(task=verdict.task)
        if verdict.absent:
            waited = now_s - self.fp.sent_ms / 1000
            if waited >= ABSENT_AFTER_S:
                return Step(absent=True)
            return Step(delay=max(0.5, ABSENT_AFTER_S - waited))
        ids = ", ".join(verdict.candidates)
        message = (
            f"the create {self.fp.route} got no answer and {len(verdict.candidates)} tasks created around "
            f"then could be it ({ids}); nothing was sent again. Resume later with "
            "client.tasks.reconcile(fingerprint) or adopt one by id"
        )
        return Step(
            error=CreateUnresolvedError(message, fingerprint=self.fp.to_dict(), candidates=verdict.candidates)
        )


# --- the thin twins: send and sleep ----------------------------------------------------------------------


def _as_fp(fp: Fingerprint | Mapping[str, Any]) -> Fingerprint:
    return fp if isinstance(fp, Fingerprint) else Fingerprint.from_dict(fp)


def _settle(r: Reconciler, tasks: Sequence[Task], now_s: float, raise_absent: bool, client: Any) -> Step:
    step = r.step(tasks, now_s)
    logger.info("reconcile %s: %d list request(s) so far: %s", r.fp.route, r.requests,
                "adopt " + step.task.id if step.task else "absent" if step.absent else
                "undecided" if step.error else f"list again in {step.delay:.1f} s")  # fmt: skip
    if step.error is not None:
        raise step.error
    if step.absent and raise_absent:
        raise client._not_found(f"a task for {r.fp.route} sent at {r.fp.sent_ms}")
    return step


@dataclass(frozen=True)
class _List:
    """One ``POST /tasks`` page the reconciliation asks for."""

    method: str
    path: str
    body: dict[str, Any]


@dataclass(frozen=True)
class _Done:
    """The reconciliation's end: the task adopted, or None when absent."""

    task: Task | None


def _reconcile(
    client: Any, fp: Fingerprint | Mapping[str, Any], claimed: Iterable[str], raise_absent: bool
) -> Generator[_List | float | _Done, Any, None]:
    """The reconciliation, once for both clients: yields a page to list (send back its envelope), seconds
    to sleep (send back None), and last :class:`_Done`. The sync and async twins only carry the steps out."""
    r = Reconciler(_as_fp(fp), claimed)
    for _ in range(INFLIGHT_WAITS):  # another create's task is not ours: let its answer claim it first
        if client._inflight <= 0:
            break
        yield INFLIGHT_STEP_S
    while True:
        tasks: list[Task] = []
        cursor: str | None = None
        while True:
            env = yield _List(*r.query(cursor))
            page, cursor = page_tasks(env.data, parse_tasks)
            tasks.extend(page)
            if not cursor:
                break
        step = _settle(r, tasks, client._wall(), raise_absent, client)
        if step.task is not None or step.absent:
            yield _Done(step.task)
            return
        yield step.delay


def _do(client: Any, action: _List | float | _Done) -> Any:
    """What one step asks of the client: a list request or a sleep (awaitable for the async client)."""
    if isinstance(action, _List):
        return client._transport.request(action.method, action.path, json=action.body, family="new")
    return client._sleep(action)


def reconcile_sync(
    client: Any, fp: Fingerprint | Mapping[str, Any], claimed: Iterable[str], raise_absent: bool
) -> Task | None:
    """``Tasks.reconcile`` (and ``submit`` after an ambiguous failure of a create without external id)."""
    steps = _reconcile(client, fp, claimed, raise_absent)
    action = next(steps)
    while not isinstance(action, _Done):
        action = steps.send(_do(client, action))
    return action.task


async def reconcile_async(
    client: Any, fp: Fingerprint | Mapping[str, Any], claimed: Iterable[str], raise_absent: bool
) -> Task | None:
    """The async twin of :func:`reconcile_sync`."""
    steps = _reconcile(client, fp, claimed, raise_absent)
    action = next(steps)
    while not isinstance(action, _Done):
        action = steps.send(await _do(client, action))
    return action.task


request_fingerprint = fingerprint
"""The public name of :func:`fingerprint` (``klingkit.request_fingerprint``)."""
