"""What ``Kling`` and ``AsyncKling`` share: configuration, auth, and the pure helpers of their resources
(how to probe for a task, how to build list and billing requests and read their pages).
"""

from __future__ import annotations

import builtins
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import httpx

from . import _constants as C
from ._auth import Auth
from ._config import resolve
from ._exceptions import ErrorContext, NotFoundError, ValidationError
from ._hub import StatusHub, Watch
from ._logging import setup_from_env
from ._models import Page, Task
from ._status import (
    _PROBE_FEATURES,
    _batch_path,
    _external_lookup,
    _external_match,
    _id_of,
    _merge,
    _Probe,
    _Query,
    read_status_answer,
)
from ._wait import ProgressCallback, _outcome, _WaitState
from ._wire import parse_tasks
from .catalog import NEW_TASKS_PATH, PAGE_NUM, PAGE_SIZE, SOLUTIONS_PATH, endpoint

if TYPE_CHECKING:
    from .catalog import Estimate


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
        self._hub = StatusHub(clock or time.time)  # the clock is Unix seconds, like created_at
        self._claimed: set[str] = set()  # task ids this client created or adopted (for _reconcile)
        self._inflight = 0  # creates without external id sent and not yet answered (for _reconcile)
        self._wall: Callable[[], float] = clock or time.time  # Unix seconds: when a create was sent
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

    def _wait_state(self, tasks: Sequence[Task], on_progress: ProgressCallback | None) -> _WaitState:
        return _WaitState(list(tasks), self._monotonic(), on_progress)

    def _watch(
        self,
        state: _WaitState,
        max_wait: float | None,
        poll_interval: float | None,
        floor: float | None,
        signal: Callable[[], None],
    ) -> Watch:
        """The hub registration of one wait: its deadline and, when the caller chose one (here or on
        the client), a fixed interval between checks."""
        budget = self.max_wait if max_wait is None else max_wait
        deadline = None if budget is None else state.started + budget
        fixed = poll_interval if poll_interval is not None else self.poll_interval
        return Watch(tuple(t.id for t in state.tasks), deadline, fixed, signal, floor=floor)

    def _take(self, watch: Watch, state: _WaitState) -> Iterator[bool]:
        """Apply what the hub delivered to ``watch``, one status check at a time; yields after each,
        True on the last once the wait's deadline has passed."""
        with self._hub.lock:
            inbox, watch.inbox = watch.inbox, []
            errors, watch.errors = watch.errors, []
            expired, broken = watch.expired, watch.broken
        if broken is not None:
            raise broken
        for exc in errors:
            state.failed(exc)
        for delivered in inbox[:-1]:
            state.update(delivered, self._monotonic())
            yield False
        if inbox:
            state.update(inbox[-1], self._monotonic())
        yield expired

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
