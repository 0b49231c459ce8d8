"""``Kling`` and ``AsyncKling``: submit, tasks, account, download, wait, estimate.

Everything that does not send or sleep lives once in the ``_Base*`` classes and the planners below (which
status requests serve which pending tasks, how long to sleep, how to read a lookup); the sync and async
classes only send and sleep, and a parity test keeps their public signatures identical.
"""

from __future__ import annotations

import asyncio
import builtins
import random
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from . import _constants as C
from ._auth import Auth
from ._config import resolve
from ._download import (
    ProgressFn,
    download_async,
    download_sync,
    new_async_download_client,
    new_download_client,
)
from ._exceptions import (
    AuthenticationError,
    BadRequestError,
    ErrorContext,
    KlingError,
    NotFoundError,
    PermissionDeniedError,
    TaskFailedError,
    TaskTimeoutError,
    ValidationError,
)
from ._logging import logger, setup_from_env
from ._models import Page, Task, TaskStatus
from ._retry import poll_delay
from ._transport import AmbiguousSend, AsyncTransport, SyncTransport
from ._wire import Envelope, parse_task, parse_tasks
from .catalog import ENDPOINTS, endpoint
from .catalog._data import (
    ACCOUNT_COSTS_PATH,
    BILLING_BALANCE_PATH,
    BILLING_PACKAGE_PATH,
    NEW_TASKS_PATH,
    PAGE_NUM,
    PAGE_SIZE,
    SOLUTIONS_PATH,
)

if TYPE_CHECKING:
    from .catalog import Estimate

__all__ = ["Account", "AsyncAccount", "AsyncKling", "AsyncTasks", "Kling", "Tasks", "new_external_id"]

ProgressCallback = Callable[[Task, float], None]


class SpecLike(Protocol):
    """What ``submit`` needs from ``klingkit._requests.RequestSpec``."""

    @property
    def feature(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def body(self) -> dict[str, Any]: ...
    @property
    def family(self) -> str: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def params(self) -> Mapping[str, Any]: ...

    def with_external_id(self, eid: str) -> Any: ...


def new_external_id() -> str:
    """A fresh external task id: ``kk-`` + 32 hex digits (unique per account, as Kling requires)."""
    return f"{C.EXTERNAL_ID_PREFIX}{uuid.uuid4().hex}"


def _ms(value: datetime | float | int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp() * 1000)
    return int(value)


def _check_range(name: str, value: int, bounds: tuple[int, int]) -> None:
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValidationError(name, value, f"an integer from {lo} to {hi}", f"use {min(max(int(value), lo), hi)}"
                              if isinstance(value, (int, float)) else "")  # fmt: skip


def _spec_model(spec: SpecLike) -> str | None:
    model = getattr(spec, "model", None)
    if isinstance(model, str) and model:
        return model
    params = spec.params or {}
    for key in ("model_name", "model"):
        if isinstance(params.get(key), str):
            return str(params[key])
    body_model = spec.body.get("model_name") if isinstance(spec.body, Mapping) else None
    if isinstance(body_model, str):
        return body_model
    ep = ENDPOINTS.get(spec.feature)
    if ep is not None and ep.model_in_path and spec.path.startswith(ep.path + "/"):
        return spec.path[len(ep.path) + 1 :]
    return None


def _decorate(task: Task, spec: SpecLike, eid: str) -> Task:
    task.feature = task.feature or spec.feature
    task.family = spec.family
    task.params = dict(spec.params or {})
    # Record what was actually asked for, defaults included, so sidecars and the ledger say "std, 5 s".
    for key in ("mode", "duration"):
        value = getattr(spec, key, None)
        if value is not None:
            task.params.setdefault(key, value)
    task.model = task.model or _spec_model(spec)
    task.external_id = task.external_id or eid
    return task


# --- status requests: which request serves which pending task (pure) -------------------------------


@dataclass(frozen=True)
class _Query:
    method: str
    path: str
    params: dict[str, Any] | None
    family: str
    feature: str | None
    ids: tuple[str, ...]
    kind: str  # "single" (legacy GET path/id), "batch" (/tasks or /solutions), "page" (legacy list page)


def _batch_path(family: str) -> str:
    return SOLUTIONS_PATH if family == "solutions" else NEW_TASKS_PATH


def plan_status_queries(pending: Sequence[Task]) -> list[_Query]:
    """The fewest status requests that cover ``pending``: 2026/solutions ids in batches of 20, legacy
    tasks of one feature through one list page when several are pending, else one GET per task."""
    queries: list[_Query] = []
    batched: dict[str, list[str]] = {}
    legacy: dict[str, list[str]] = {}
    for task in pending:
        family = task.family or (ENDPOINTS[task.feature].family if task.feature in ENDPOINTS else None)
        if family in ("new", "solutions"):
            batched.setdefault(family, []).append(task.id)
        elif task.feature in ENDPOINTS:
            legacy.setdefault(task.feature, []).append(task.id)
        else:
            queries.append(_Query("GET", "", None, "legacy", None, (task.id,), "probe"))
    for family, ids in batched.items():
        for i in range(0, len(ids), C.TASKS_QUERY_BATCH):
            chunk = tuple(ids[i : i + C.TASKS_QUERY_BATCH])
            params = {"task_ids": ",".join(chunk)}
            queries.append(_Query("GET", _batch_path(family), params, family, None, chunk, "batch"))
    for feature, ids in legacy.items():
        path = endpoint(feature).path
        if len(ids) >= 2:
            page_params: dict[str, Any] = {"pageNum": 1, "pageSize": C.LEGACY_LIST_PAGE_SIZE}
            queries.append(_Query("GET", path, page_params, "legacy", feature, tuple(ids), "page"))
        else:
            queries.append(_Query("GET", f"{path}/{ids[0]}", None, "legacy", feature, tuple(ids), "single"))
    return queries


def read_status_answer(query: _Query, data: Any) -> tuple[dict[str, Task], list[_Query]]:
    """Tasks found in one status answer, and the follow-up single GETs for ids a list page missed."""
    if query.kind == "single":
        found = (
            [parse_task(data, feature=query.feature, family="legacy")] if isinstance(data, Mapping) else []
        )
    else:
        found = parse_tasks(data, feature=query.feature, family=query.family)
    wanted = set(query.ids)
    by_id = {t.id: t for t in found if t.id in wanted}
    follow = []
    if query.kind == "page":
        for missing in query.ids:
            if missing not in by_id:
                path = f"{query.path}/{missing}"
                follow.append(_Query("GET", path, None, "legacy", query.feature, (missing,), "single"))
    return by_id, follow


def _merge(old: Task, new: Task) -> Task:
    new.feature = new.feature or old.feature
    new.family = new.family or old.family
    new.params = new.params or old.params
    new.model = new.model or old.model
    new.external_id = new.external_id or old.external_id
    return new


class _Hub:
    """Task states pushed by callbacks (``tasks.resolve``) and wake-ups for waiting loops; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resolved: dict[str, Task] = {}
        self._wakers: list[Callable[[], None]] = []

    def put(self, task: Task | None, task_id: str | None = None) -> None:
        with self._lock:
            if task is not None:
                self._resolved[task.id] = task
            wakers = list(self._wakers)
        for wake in wakers:
            wake()

    def take(self, task_id: str) -> Task | None:
        with self._lock:
            return self._resolved.pop(task_id, None)

    def add_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            self._wakers.append(wake)

    def remove_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            if wake in self._wakers:
                self._wakers.remove(wake)


@dataclass
class _WaitState:
    """The bookkeeping of one wait over several tasks (pure: the caller passes the time)."""

    tasks: list[Task]
    started: float
    max_wait: float | None
    initial: float
    rand: Callable[[], float]
    on_progress: ProgressCallback | None = None
    polls: int = 0
    errors: int = 0
    last_error: BaseException | None = None
    fixed_interval: bool = False
    _seen: dict[str, TaskStatus] = field(default_factory=dict)

    def pending(self) -> list[Task]:
        return [t for t in self.tasks if not t.done]

    def update(self, found: Mapping[str, Task], now: float) -> None:
        for i, old in enumerate(self.tasks):
            new = found.get(old.id)
            if new is None or old.done:
                continue
            new = _merge(old, new)
            self.tasks[i] = new
            if self._seen.get(new.id) is not new.status:
                logger.info("task %s: %s after %.1f s", new.id, new.status.value, now - self.started)
                self._seen[new.id] = new.status
            if self.on_progress is not None:
                self.on_progress(new, now - self.started)

    def failed(self, exc: BaseException) -> None:
        """A status check failed: remembered, not raised (the wait goes on until ``max_wait``)."""
        self.errors += 1
        self.last_error = exc
        logger.info("status check failed (%s); will retry", exc)

    def remaining(self, now: float) -> float | None:
        return None if self.max_wait is None else self.max_wait - (now - self.started)

    def next_delay(self, now: float) -> float | None:
        """Seconds to sleep before the next round, or None when the budget is spent."""
        remaining = self.remaining(now)
        if remaining is not None and remaining <= 0:
            return None
        elapsed = None if self.fixed_interval else now - self.started
        delay = poll_delay(self.polls, self.initial, rand=self.rand, remaining=remaining, elapsed=elapsed)
        self.polls += 1
        return delay


def _external_lookup(feature: str | None, family: str, eid: str, create_path: str = "") -> _Query:
    """How to find a task by external id: legacy ``GET {create_path}/{eid}``, 2026
    ``GET /tasks?external_task_ids=``, solutions ``GET /solutions?external_task_ids=``."""
    if family == "legacy":
        path = ENDPOINTS[feature].path if feature in ENDPOINTS else create_path
        return _Query("GET", f"{path}/{eid}", None, "legacy", feature, (eid,), "single")
    path = _batch_path(family)
    return _Query("GET", path, {"external_task_ids": eid}, family, feature, (eid,), "batch")


def _external_match(query: _Query, data: Any) -> Task | None:
    if query.kind == "single":
        return (
            parse_task(data, feature=query.feature, family="legacy")
            if isinstance(data, Mapping) and data
            else None
        )
    tasks = parse_tasks(data, feature=query.feature, family=query.family)
    eid = query.ids[0]
    match = [t for t in tasks if t.external_id == eid] or tasks[:1]
    return match[0] if match else None


_PROBE_FEATURES = [f for f, e in ENDPOINTS.items() if e.family == "legacy" and not e.sync]
# Errors that mean "not on this route" while probing routes for an id of unknown origin.
_PROBE_MISS = (NotFoundError, BadRequestError, PermissionDeniedError, AuthenticationError)


def _id_of(task: Task | str) -> str:
    return task.id if isinstance(task, Task) else str(task)


@dataclass(frozen=True)
class _Probe:
    """Routes to try in turn for one task, and how to read each answer (pure). ``strict``: one known
    route, whose errors are raised; otherwise a route that does not know the id is skipped."""

    queries: list[_Query]
    strict: bool
    read: Callable[[_Query, Any], Task | None]
    missing: str  # the id named by NotFoundError when no route has it


class _Create:
    """The decisions of one create across ambiguous failures (pure apart from logging): look the task
    up by its external id, and send again only while Kling does not have it."""

    def __init__(self, spec: SpecLike, eid: str, max_retries: int) -> None:
        self.spec = spec
        self.eid = eid
        self.max_retries = max_retries
        self.lookups = 0
        self.options: dict[str, Any] = {"params": getattr(spec, "query", None), "json": spec.body,
                                        "idempotent": False, "family": spec.family}  # fmt: skip

    def created(self, env: Envelope) -> Task:
        task = parse_task(env.data, feature=self.spec.feature, family=self.spec.family)
        if getattr(self.spec, "sync", False) and task.status is TaskStatus.UNKNOWN:
            task.status = TaskStatus.SUCCEEDED
        return _decorate(task, self.spec, self.eid)

    def lookup(self, amb: AmbiguousSend) -> _Query:
        """The request that finds the task if the create reached Kling."""
        spec = self.spec
        logger.info("create %s %s may have reached Kling (%s); looking up %s", spec.method, spec.path,
                    amb.error, self.eid)  # fmt: skip
        return _external_lookup(spec.feature, spec.family, self.eid, spec.path)

    def found(self, task: Task) -> Task:
        return _decorate(task, self.spec, self.eid)

    def retry(self, amb: AmbiguousSend) -> float:
        """Kling does not have the task: the seconds to wait before sending again, or raise."""
        self.lookups += 1
        if not amb.retryable or self.lookups > self.max_retries:
            raise amb.error from None
        return C.BACKOFF_BASE * self.lookups


# --- shared base ---------------------------------------------------------------------------------


class _BaseKling:
    """Configuration and pure helpers shared by :class:`Kling` and :class:`AsyncKling`."""

    def __init__(
        self,
        api_key: str | None,
        access_key: str | None,
        secret_key: str | None,
        base_url: str | None,
        region: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        max_wait: float | None,
        poll_interval: float | None,
        strict: bool,
        clock: Callable[[], float] | None,
    ) -> None:
        setup_from_env()
        if max_retries is None or max_retries < 0:
            raise ValidationError("max_retries", max_retries, "an integer >= 0", "0 disables retries")
        settings = resolve(api_key, access_key, secret_key, base_url, region)
        self.base_url = settings.base_url
        self.region = settings.region
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.poll_interval = poll_interval
        self.strict = strict
        self.timeout = (
            timeout
            if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(timeout, connect=min(timeout, C.CONNECT_TIMEOUT))
        )
        self._clock = clock
        self._monotonic: Callable[[], float] = clock or time.monotonic
        self._rand: Callable[[], float] = random.random
        self._auth = Auth(settings.credentials, clock)
        self._ctx = ErrorContext(
            credentials_source=settings.credentials.source,
            auth_kind=settings.credentials.kind,
            base_url=settings.base_url,
            region=settings.region,
        )
        self._hub = _Hub()
        self._headers = {"User-Agent": C.USER_AGENT, "Content-Type": "application/json"}

    @property
    def credentials_source(self) -> str:
        """Where the credentials came from, e.g. ``environment KLING_API_KEY`` (never the secret)."""
        return self._auth.source

    @property
    def auth_kind(self) -> str:
        """``api_key`` (static key) or ``jwt`` (AK/SK signed per request)."""
        return self._auth.kind

    def estimate(self, feature: str, **params: Any) -> Estimate:
        """The price of a request before sending it (units and US dollars); raises ValidationError."""
        from ._requests import prepare

        return prepare(feature, **params).estimate

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth_kind!r})"

    def _prepare_spec(self, spec: SpecLike) -> tuple[Any, str]:
        eid = spec.external_id or new_external_id()
        spec = spec.with_external_id(eid)  # always: the body must carry the id, whatever the spec held
        for warning in getattr(spec, "warnings", ()) or ():
            logger.debug("%s: %s", spec.feature, warning)
        return spec, eid

    def _get_probe(self, task_or_id: Task | str, feature: str | None) -> _Probe:
        """How ``tasks.get`` finds a task: its one route when known, else every route in turn."""
        tid = _id_of(task_or_id)
        query = self._task_query(task_or_id, feature)

        def read(q: _Query, data: Any) -> Task | None:
            task = read_status_answer(q, data)[0].get(q.ids[0])
            if task is not None and isinstance(task_or_id, Task):
                return _merge(task_or_id, task)
            return task

        queries = [query] if query is not None else self._probe_queries(tid)
        return _Probe(queries, query is not None, read, tid)

    @staticmethod
    def _external_probe(external_id: str, feature: str | None) -> _Probe:
        """How ``tasks.get_by_external_id`` finds a task: ``feature``'s route, else ``/tasks`` and then
        every legacy route."""
        features = [feature] if feature else [None, *_PROBE_FEATURES]
        queries = [
            _external_lookup(f, "new" if f is None else endpoint(f).family, external_id) for f in features
        ]
        return _Probe(queries, bool(feature), _external_match, external_id)

    def _settled(self, state: _WaitState) -> bool:
        """Apply states pushed by callbacks; True when nothing is pending any more."""
        self._apply_resolved(state)
        return not state.pending()

    def _outcomes(self, state: _WaitState, raise_on_error: bool) -> builtins.list[Task]:
        if raise_on_error:
            for t in state.tasks:
                _outcome(t, state, self._monotonic())
        return state.tasks

    def _task_query(self, task: Task | str, feature: str | None) -> _Query | None:
        """The request that reads one task, or None when its route is unknown (then probe)."""
        tid = _id_of(task)
        family = task.family if isinstance(task, Task) else None
        feature = feature or (task.feature if isinstance(task, Task) else None)
        if feature is not None:
            family = endpoint(feature).family
        if family in ("new", "solutions"):
            return _Query("GET", _batch_path(family), {"task_ids": tid}, family, feature, (tid,), "batch")
        if feature is not None:
            return _Query("GET", f"{endpoint(feature).path}/{tid}", None, "legacy", feature, (tid,), "single")
        return None

    def _probe_queries(self, tid: str) -> list[_Query]:
        queries = [_Query("GET", NEW_TASKS_PATH, {"task_ids": tid}, "new", None, (tid,), "batch")]
        for feature in _PROBE_FEATURES:
            path = f"{endpoint(feature).path}/{tid}"
            queries.append(_Query("GET", path, None, "legacy", feature, (tid,), "single"))
        queries.append(_Query("GET", SOLUTIONS_PATH, {"task_ids": tid}, "solutions", None, (tid,), "batch"))
        return queries

    def _not_found(self, tid: str) -> NotFoundError:
        return NotFoundError(
            f"task {tid} was not found on any route",
            http_status=404,
            hint="pass feature= (the route that created it); outputs and tasks expire after 30 days",
        )

    def _wait_state(
        self,
        tasks: Sequence[Task],
        max_wait: float | None,
        poll_interval: float | None,
        on_progress: ProgressCallback | None,
    ) -> _WaitState:
        budget = self.max_wait if max_wait is None else max_wait
        chosen = poll_interval if poll_interval is not None else self.poll_interval
        initial = chosen if chosen is not None else C.POLL_INITIAL
        state = _WaitState(list(tasks), self._monotonic(), budget, initial, self._rand, on_progress)
        state.fixed_interval = chosen is not None  # an explicit interval is the caller's schedule
        return state

    def _apply_resolved(self, state: _WaitState) -> None:
        found = {}
        for task in state.pending():
            hinted = self._hub.take(task.id)
            if hinted is not None:
                found[task.id] = hinted
        if found:
            state.update(found, self._monotonic())

    def _costs_params(
        self, start_time: datetime | float | None, end_time: datetime | float | None, name: str | None
    ) -> dict[str, Any]:
        end = _ms(end_time) or int(time.time() * 1000)
        start = _ms(start_time) or end - int(timedelta(days=C.COSTS_DEFAULT_DAYS).total_seconds() * 1000)
        return {"start_time": start, "end_time": end, "resource_pack_name": name}

    @staticmethod
    def _billing_body(
        start_time: datetime | float | None,
        end_time: datetime | float | None,
        limit: int,
        filters: Sequence[Mapping[str, Any]] | None,
        cursor: str | None,
    ) -> dict[str, Any]:
        _check_range("limit", limit, (1, 500))
        body: dict[str, Any] = {"limit": limit}
        if cursor:
            body["cursor"] = cursor
        else:
            end = _ms(end_time) or int(time.time() * 1000)
            body["end_time"] = end
            body["start_time"] = _ms(start_time) or end - C.COSTS_DEFAULT_DAYS * 86_400_000
        if filters:
            body["filters"] = [dict(f) for f in filters]
        return body

    @staticmethod
    def _billing_page(data: Any) -> Page[dict[str, Any]]:
        data = data if isinstance(data, Mapping) else {}
        result = data.get("result") if isinstance(data.get("result"), Mapping) else {}
        detail = result.get("detail") or []
        detail = detail if isinstance(detail, list) else []
        return Page(
            items=[dict(d) for d in detail if isinstance(d, Mapping)],
            next_cursor=str(data["next_cursor"]) if data.get("next_cursor") else None,
            has_more=bool(data.get("has_more")),
            count=result.get("count") if isinstance(result.get("count"), int) else None,
        )

    @staticmethod
    def _list_request(
        feature: str, page: int, page_size: int, cursor: str | None
    ) -> tuple[str, str, Any, Any]:
        _check_range("page", page, PAGE_NUM)
        _check_range("page_size", page_size, PAGE_SIZE)
        ep = endpoint(feature)
        if ep.family == "legacy":
            return "GET", ep.path, {"pageNum": page, "pageSize": page_size}, None
        return "POST", _batch_path(ep.family), None, {"limit": page_size, "cursor": cursor or ""}

    @staticmethod
    def _list_page(feature: str, page: int, page_size: int, data: Any) -> Page[Task]:
        ep = endpoint(feature)
        tasks = parse_tasks(data, feature=feature if ep.family == "legacy" else None, family=ep.family)
        if ep.family == "legacy":
            return Page(tasks, page=page, page_size=page_size, has_more=len(tasks) >= page_size)
        data = data if isinstance(data, Mapping) else {}
        return Page(
            tasks,
            page_size=page_size,
            next_cursor=str(data["next_cursor"]) if data.get("next_cursor") else None,
            has_more=bool(data.get("has_more")),
            count=data.get("count") if isinstance(data.get("count"), int) else None,
        )


def _ids_chunks(ids: Sequence[str] | None) -> list[str]:
    if not ids:
        return []
    clean = [str(i) for i in ids]
    return [",".join(clean[i : i + C.TASKS_QUERY_BATCH]) for i in range(0, len(clean), C.TASKS_QUERY_BATCH)]


def _query_chunks(
    task_ids: Sequence[str] | str | None, external_ids: Sequence[str] | None
) -> tuple[str, list[str]]:
    if isinstance(task_ids, str):
        task_ids = [task_ids]
    if bool(task_ids) == bool(external_ids):
        raise ValidationError("task_ids/external_ids", None, "exactly one of task_ids or external_ids")
    key = "task_ids" if task_ids else "external_task_ids"
    return key, _ids_chunks(task_ids or external_ids)


# --- sync -----------------------------------------------------------------------------------------


class Tasks:
    """Read and wait for tasks: ``client.tasks``."""

    def __init__(self, client: Kling) -> None:
        self._client = client

    def _send(self, q: _Query) -> Envelope:
        return self._client._transport.request(q.method, q.path, params=q.params, family=q.family)

    def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        """The current state of a task. Without ``feature`` (and for a bare id), ``/tasks`` is tried first,
        then the legacy query route of every feature. Raises NotFoundError when no route knows it."""
        return self._probe(self._client._get_probe(task_or_id, feature))

    def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        """The task created with ``external_id``. ``feature`` picks the route (default: ``/tasks``, then
        every legacy route). Raises NotFoundError."""
        return self._probe(self._client._external_probe(external_id, feature))

    def _probe(self, probe: _Probe) -> Task:
        for q in probe.queries:
            try:
                task = probe.read(q, self._send(q).data)
            except _PROBE_MISS:
                if probe.strict:
                    raise
                continue
            if task is not None:
                return task
        raise self._client._not_found(probe.missing)

    def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> list[Task]:
        """2026 tasks by id or external id through ``GET /tasks`` (20 per request)."""
        key, chunks = _query_chunks(task_ids, external_ids)
        tasks: list[Task] = []
        for chunk in chunks:
            env = self._client._transport.request("GET", NEW_TASKS_PATH, params={key: chunk}, family="new")
            tasks.extend(parse_tasks(env.data, family="new"))
        return tasks

    def list(self, feature: str, page: int = 1, page_size: int = 30, cursor: str | None = None) -> Page[Task]:
        """One page of the tasks created on ``feature``'s route (legacy: ``pageNum`` 1-1000, ``pageSize``
        1-500; 2026/solutions: a cursor list)."""
        method, path, params, body = self._client._list_request(feature, page, page_size, cursor)
        env = self._client._transport.request(method, path, params=params, json=body)
        return self._client._list_page(feature, page, page_size, env.data)

    def iter(self, feature: str, page_size: int = 100) -> Iterator[Task]:
        """Every task of ``feature``, page after page."""
        page, cursor = 1, None
        while True:
            result = self.list(feature, page=page, page_size=page_size, cursor=cursor)
            yield from result.items
            if not result.has_more or not result.items or page >= PAGE_NUM[1]:
                return
            page, cursor = page + 1, result.next_cursor

    def _round(self, state: _WaitState) -> None:
        """One coalesced round of status requests for every pending task; errors are remembered, not
        raised (the wait goes on until ``max_wait``)."""
        c = self._client
        queries = plan_status_queries(state.pending())
        found: dict[str, Task] = {}
        while queries:
            q = queries.pop(0)
            try:
                if q.kind == "probe":
                    found[q.ids[0]] = self.get(q.ids[0])
                    continue
                got, follow = read_status_answer(q, self._send(q).data)
            except KlingError as exc:
                state.failed(exc)
                continue
            found.update(got)
            queries.extend(follow)
        state.update(found, c._monotonic())

    def _sleep(self, delay: float) -> None:
        c = self._client
        if c._custom_sleep:
            c._sleep(delay)
            return
        event = threading.Event()
        c._hub.add_waker(event.set)
        try:
            event.wait(delay)
        finally:
            c._hub.remove_waker(event.set)

    def _run(self, state: _WaitState) -> _WaitState:
        c = self._client
        while True:
            if c._settled(state):
                return state
            self._round(state)
            if not state.pending() or c._settled(state):
                return state
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return state
            self._sleep(delay)

    def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else self.get(t) for t in tasks]

    def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's 1800) bounds the
        whole wait; status checks start ``poll_interval`` (default 2 s) apart and grow x1.5 up to 15 s.
        Raises TaskFailedError, or TaskTimeoutError (the task keeps running and is billed)."""
        state = self._client._wait_state(self._start([task]), max_wait, poll_interval, on_progress)
        final = self._run(state).tasks[0]
        return _outcome(final, state, self._client._monotonic())

    def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
    ) -> builtins.list[Task]:
        """Wait for several tasks with coalesced status requests (one ``/tasks`` call per 20 ids, one list
        page per legacy feature). Returns the tasks in order: finished, or still running when ``max_wait``
        ran out. With ``raise_on_error`` a failure or timeout raises as in :meth:`wait`."""
        state = self._client._wait_state(self._start(tasks), max_wait, poll_interval, on_progress)
        self._run(state)
        return self._client._outcomes(state, raise_on_error)

    def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> Iterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        c = self._client
        first = task if isinstance(task, Task) else self.get(task)
        state = c._wait_state([first], max_wait, poll_interval, None)
        yield first
        while not state.tasks[0].done:
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return
            self._sleep(delay)
            c._apply_resolved(state)
            if not state.tasks[0].done:
                self._round(state)
            yield state.tasks[0]

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.put(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.put(None, task_id)


def _outcome(task: Task, state: _WaitState, now: float) -> Task:
    if task.status is TaskStatus.FAILED:
        raise TaskFailedError(task)
    if not task.done:
        raise TaskTimeoutError(task, now - state.started)
    return task


class Account:
    """Resource packs and billing: ``client.account``."""

    def __init__(self, client: Kling) -> None:
        self._client = client

    def costs(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        resource_pack_name: str | None = None,
    ) -> dict[str, Any]:
        """Resource packs active between ``start_time`` and ``end_time`` (datetimes or Unix ms; default:
        the last 30 days). Free to call; Kling asks for at most 1 request per second."""
        params = self._client._costs_params(start_time, end_time, resource_pack_name)
        data = self._client._transport.request("GET", ACCOUNT_COSTS_PATH, params=params).data
        return dict(data) if isinstance(data, Mapping) else {}

    def billing_packages(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of resource-pack deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = self._client._transport.request("POST", BILLING_PACKAGE_PATH, json=body).data
        return self._client._billing_page(data)

    def billing_balance(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of cash-balance deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = self._client._transport.request("POST", BILLING_BALANCE_PATH, json=body).data
        return self._client._billing_page(data)


class Kling(_BaseKling):
    """The Kling API client (blocking). See the module docs of :mod:`klingkit` for an example.

    Credentials: arguments > environment > config file. ``timeout`` is per HTTP request (s), ``max_wait``
    bounds a whole wait (s), ``poll_interval`` is the first delay between status checks (s).
    ``transport`` lets tests pass ``httpx.MockTransport``; ``clock`` (Unix seconds) and ``sleep`` are
    injectable too.
    """

    def __init__(
        self,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout = C.DEFAULT_TIMEOUT,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        max_wait: float | None = C.DEFAULT_MAX_WAIT,
        poll_interval: float | None = None,
        strict: bool = False,
        transport: Any = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        super().__init__(api_key, access_key, secret_key, base_url, region, timeout, max_retries, max_wait,
                         poll_interval, strict, clock)  # fmt: skip
        self._custom_sleep = sleep is not None
        self._sleep: Callable[[float], Any] = sleep or time.sleep
        self._http = httpx.Client(base_url=self.base_url, timeout=self.timeout, transport=transport,
                                  headers=self._headers, follow_redirects=False)  # fmt: skip
        self._download_http = new_download_client(transport)
        self._transport = SyncTransport(self._http, self._auth, self._ctx, sleep=self._sleep,
                                        max_retries=max_retries, now=clock, rand=lambda: self._rand())  # fmt: skip
        self.tasks = Tasks(self)
        self.account = Account(self)
        from ._resources import Audio, Images, Videos  # the endpoint layer (imports the catalog rules)

        self.videos = Videos(self)
        self.images = Images(self)
        self.audio = Audio(self)

    def submit(self, spec: Any) -> Task:
        """Create a task from a prepared request (``klingkit.prepare(...)``) and return it (finished for
        sync endpoints). An external id is set before sending; after an ambiguous failure the task is
        looked up by it and re-submitted only when Kling does not have it: never created twice."""
        spec, eid = self._prepare_spec(spec)
        create = _Create(spec, eid, self.max_retries)
        while True:
            try:
                return create.created(self._transport.request(spec.method, spec.path, **create.options))
            except AmbiguousSend as amb:
                found = self._lookup(create.lookup(amb))
                if found is not None:
                    return create.found(found)
                self._sleep(create.retry(amb))

    def _lookup(self, q: _Query) -> Task | None:
        try:
            env = self._transport.request(q.method, q.path, params=q.params, family=q.family)
        except NotFoundError:
            return None
        return _external_match(q, env.data)

    def download(
        self,
        task: Task | str,
        dest: str | Path = ".",
        on_progress: ProgressFn | None = None,
        sidecar: bool = True,
        force: bool = False,
    ) -> list[Path]:
        """Save every output of a succeeded task under ``dest`` (a directory, or a file path for a single
        output) and return the paths. Atomic and resumable; the file host never sees credentials;
        ``on_progress(bytes_done, total_or_None)``; a JSON sidecar ``<file>.json`` is written unless
        ``sidecar=False``; existing files are kept unless ``force``."""
        current = task if isinstance(task, Task) else self.tasks.get(task)
        if not current.succeeded:
            current = self.tasks.get(current)
        return download_sync(self._download_http, current, dest, refresh=lambda: self.tasks.get(current),
                             on_progress=on_progress, sidecar=sidecar, force=force,
                             sleep=self._sleep)  # fmt: skip

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
        self._download_http.close()

    def __enter__(self) -> Kling:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- async ---------------------------------------------------------------------------------------


class AsyncTasks:
    """The async twin of :class:`Tasks`: ``client.tasks`` on :class:`AsyncKling`."""

    def __init__(self, client: AsyncKling) -> None:
        self._client = client

    async def _send(self, q: _Query) -> Envelope:
        return await self._client._transport.request(q.method, q.path, params=q.params, family=q.family)

    async def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        """The current state of a task. Without ``feature`` (and for a bare id), ``/tasks`` is tried first,
        then the legacy query route of every feature. Raises NotFoundError when no route knows it."""
        return await self._probe(self._client._get_probe(task_or_id, feature))

    async def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        """The task created with ``external_id``. ``feature`` picks the route (default: ``/tasks``, then
        every legacy route). Raises NotFoundError."""
        return await self._probe(self._client._external_probe(external_id, feature))

    async def _probe(self, probe: _Probe) -> Task:
        for q in probe.queries:
            try:
                task = probe.read(q, (await self._send(q)).data)
            except _PROBE_MISS:
                if probe.strict:
                    raise
                continue
            if task is not None:
                return task
        raise self._client._not_found(probe.missing)

    async def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> list[Task]:
        """2026 tasks by id or external id through ``GET /tasks`` (20 per request)."""
        key, chunks = _query_chunks(task_ids, external_ids)
        tasks: list[Task] = []
        for chunk in chunks:
            env = await self._client._transport.request(
                "GET", NEW_TASKS_PATH, params={key: chunk}, family="new"
            )
            tasks.extend(parse_tasks(env.data, family="new"))
        return tasks

    async def list(
        self, feature: str, page: int = 1, page_size: int = 30, cursor: str | None = None
    ) -> Page[Task]:
        """One page of the tasks created on ``feature``'s route (legacy: ``pageNum`` 1-1000, ``pageSize``
        1-500; 2026/solutions: a cursor list)."""
        method, path, params, body = self._client._list_request(feature, page, page_size, cursor)
        env = await self._client._transport.request(method, path, params=params, json=body)
        return self._client._list_page(feature, page, page_size, env.data)

    async def iter(self, feature: str, page_size: int = 100) -> AsyncIterator[Task]:
        """Every task of ``feature``, page after page."""
        page, cursor = 1, None
        while True:
            result = await self.list(feature, page=page, page_size=page_size, cursor=cursor)
            for task in result.items:
                yield task
            if not result.has_more or not result.items or page >= PAGE_NUM[1]:
                return
            page, cursor = page + 1, result.next_cursor

    async def _one(self, q: _Query) -> tuple[dict[str, Task], builtins.list[_Query]] | BaseException:
        try:
            if q.kind == "probe":
                return {q.ids[0]: await self.get(q.ids[0])}, []
            return read_status_answer(q, (await self._send(q)).data)
        except KlingError as exc:
            return exc

    async def _round(self, state: _WaitState) -> None:
        queries = plan_status_queries(state.pending())
        found: dict[str, Task] = {}
        while queries:
            answers = await asyncio.gather(*(self._one(q) for q in queries))
            queries = []
            for answer in answers:
                if isinstance(answer, BaseException):
                    state.failed(answer)
                    continue
                found.update(answer[0])
                queries.extend(answer[1])
        state.update(found, self._client._monotonic())

    async def _sleep(self, delay: float) -> None:
        c = self._client
        if c._custom_sleep:
            await c._sleep(delay)
            return
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(event.set)

        c._hub.add_waker(wake)
        try:
            await asyncio.wait_for(event.wait(), delay)
        except asyncio.TimeoutError:
            pass
        finally:
            c._hub.remove_waker(wake)

    async def _run(self, state: _WaitState) -> _WaitState:
        c = self._client
        while True:
            if c._settled(state):
                return state
            await self._round(state)
            if not state.pending() or c._settled(state):
                return state
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return state
            await self._sleep(delay)

    async def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else await self.get(t) for t in tasks]

    async def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's 1800) bounds the
        whole wait; status checks start ``poll_interval`` (default 2 s) apart and grow x1.5 up to 15 s.
        Raises TaskFailedError, or TaskTimeoutError (the task keeps running and is billed)."""
        state = self._client._wait_state(await self._start([task]), max_wait, poll_interval, on_progress)
        final = (await self._run(state)).tasks[0]
        return _outcome(final, state, self._client._monotonic())

    async def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
    ) -> builtins.list[Task]:
        """Wait for several tasks with coalesced status requests (one ``/tasks`` call per 20 ids, one list
        page per legacy feature). Returns the tasks in order: finished, or still running when ``max_wait``
        ran out. With ``raise_on_error`` a failure or timeout raises as in :meth:`wait`."""
        state = self._client._wait_state(await self._start(tasks), max_wait, poll_interval, on_progress)
        await self._run(state)
        return self._client._outcomes(state, raise_on_error)

    async def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> AsyncIterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        c = self._client
        first = task if isinstance(task, Task) else await self.get(task)
        state = c._wait_state([first], max_wait, poll_interval, None)
        yield first
        while not state.tasks[0].done:
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return
            await self._sleep(delay)
            c._apply_resolved(state)
            if not state.tasks[0].done:
                await self._round(state)
            yield state.tasks[0]

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.put(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.put(None, task_id)


class AsyncAccount:
    """The async twin of :class:`Account`."""

    def __init__(self, client: AsyncKling) -> None:
        self._client = client

    async def costs(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        resource_pack_name: str | None = None,
    ) -> dict[str, Any]:
        """Resource packs active between ``start_time`` and ``end_time`` (datetimes or Unix ms; default:
        the last 30 days). Free to call; Kling asks for at most 1 request per second."""
        params = self._client._costs_params(start_time, end_time, resource_pack_name)
        data = (await self._client._transport.request("GET", ACCOUNT_COSTS_PATH, params=params)).data
        return dict(data) if isinstance(data, Mapping) else {}

    async def billing_packages(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of resource-pack deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = (await self._client._transport.request("POST", BILLING_PACKAGE_PATH, json=body)).data
        return self._client._billing_page(data)

    async def billing_balance(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of cash-balance deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = (await self._client._transport.request("POST", BILLING_BALANCE_PATH, json=body)).data
        return self._client._billing_page(data)


async def _asleep(delay: float) -> None:
    await asyncio.sleep(delay)


class AsyncKling(_BaseKling):
    """The Kling API client for asyncio; the same API as :class:`Kling`, with ``await``."""

    def __init__(
        self,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout = C.DEFAULT_TIMEOUT,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        max_wait: float | None = C.DEFAULT_MAX_WAIT,
        poll_interval: float | None = None,
        strict: bool = False,
        transport: Any = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
    ) -> None:
        super().__init__(api_key, access_key, secret_key, base_url, region, timeout, max_retries, max_wait,
                         poll_interval, strict, clock)  # fmt: skip
        self._custom_sleep = sleep is not None
        self._sleep: Callable[[float], Awaitable[Any]] = sleep or _asleep
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout, transport=transport,
                                       headers=self._headers, follow_redirects=False)  # fmt: skip
        self._download_http = new_async_download_client(transport)
        self._transport = AsyncTransport(self._http, self._auth, self._ctx, sleep=self._sleep,
                                         max_retries=max_retries, now=clock, rand=lambda: self._rand())  # fmt: skip
        self.tasks = AsyncTasks(self)
        self.account = AsyncAccount(self)
        from ._resources import AsyncAudio, AsyncImages, AsyncVideos

        self.videos = AsyncVideos(self)
        self.images = AsyncImages(self)
        self.audio = AsyncAudio(self)

    async def submit(self, spec: Any) -> Task:
        """Create a task from a prepared request (``klingkit.prepare(...)``) and return it (finished for
        sync endpoints). An external id is set before sending; after an ambiguous failure the task is
        looked up by it and re-submitted only when Kling does not have it: never created twice."""
        spec, eid = self._prepare_spec(spec)
        create = _Create(spec, eid, self.max_retries)
        while True:
            try:
                return create.created(await self._transport.request(spec.method, spec.path, **create.options))
            except AmbiguousSend as amb:
                found = await self._lookup(create.lookup(amb))
                if found is not None:
                    return create.found(found)
                await self._sleep(create.retry(amb))

    async def _lookup(self, q: _Query) -> Task | None:
        try:
            env = await self._transport.request(q.method, q.path, params=q.params, family=q.family)
        except NotFoundError:
            return None
        return _external_match(q, env.data)

    async def download(
        self,
        task: Task | str,
        dest: str | Path = ".",
        on_progress: ProgressFn | None = None,
        sidecar: bool = True,
        force: bool = False,
    ) -> list[Path]:
        """Save every output of a succeeded task under ``dest`` (a directory, or a file path for a single
        output) and return the paths. Atomic and resumable; the file host never sees credentials;
        ``on_progress(bytes_done, total_or_None)``; a JSON sidecar ``<file>.json`` is written unless
        ``sidecar=False``; existing files are kept unless ``force``."""
        current = task if isinstance(task, Task) else await self.tasks.get(task)
        if not current.succeeded:
            current = await self.tasks.get(current)

        async def refresh() -> Task:
            return await self.tasks.get(current)

        async def sleep(delay: float) -> None:
            await self._sleep(delay)

        return await download_async(self._download_http, current, dest, refresh=refresh,
                                    on_progress=on_progress, sidecar=sidecar, force=force,
                                    sleep=sleep)  # fmt: skip

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()
        await self._download_http.aclose()

    async def __aenter__(self) -> AsyncKling:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
