"""Status requests, pure: which request serves which pending task, how to read the answers, how to find a
task by its id or external id when its route is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from . import _constants as C
from ._exceptions import AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError
from ._models import Task
from ._wire import parse_task, parse_tasks
from .catalog import ENDPOINTS, NEW_TASKS_PATH, SOLUTIONS_PATH, endpoint


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


def legacy_page_size(count: int, depth: int | None) -> int:
    """Rows a list page must hold to reach ``count`` pending tasks of one feature whose oldest was last
    seen ``depth`` rows down the account's list (None: not yet seen; ours are assumed the newest)."""
    reach = depth if depth is not None else count
    size = math.ceil(max(reach, count) * C.LEGACY_PAGE_MARGIN) + 10
    return min(max(size, 1), C.LEGACY_LIST_PAGE_SIZE)


def legacy_page_is_cheaper(count: int, depth: int | None) -> bool:
    """True when one list page costs less than ``count`` single-task queries (bytes, a request's own
    cost included): several pending tasks near the top of the list; not on a busy account where the
    page would carry hundreds of other tasks."""
    if count < 2:
        return False
    page = C.LEGACY_REQUEST_BYTES + legacy_page_size(count, depth) * C.LEGACY_ROW_BYTES
    if depth is not None and depth > C.LEGACY_LIST_PAGE_SIZE:
        return False  # the oldest is beyond the largest page: it would need a single query anyway
    return page < count * (C.LEGACY_REQUEST_BYTES + C.LEGACY_ROW_BYTES)


def plan_status_queries(
    pending: Sequence[Task], depth: Mapping[str, int] | None = None, unlisted: Set[str] = frozenset()
) -> list[_Query]:
    """The cheapest status requests that cover ``pending``: 2026/solutions ids in batches of 20; legacy
    tasks of one feature through one list page when that costs less than a GET per task (``depth``: how
    far down each feature's list our oldest pending task was last seen), else one GET per task. Ids in
    ``unlisted`` were missing from a list page before: they always get their own GET."""
    queries: list[_Query] = []
    batched: dict[str, list[str]] = {}
    legacy: dict[str, list[str]] = {}
    for task in pending:
        family = task.family or (ENDPOINTS[task.feature].family if task.feature in ENDPOINTS else None)
        if family in ("new", "solutions"):
            batched.setdefault(family, []).append(task.id)
        elif task.feature in ENDPOINTS and task.id in unlisted:
            path = f"{endpoint(task.feature).path}/{task.id}"
            queries.append(_Query("GET", path, None, "legacy", task.feature, (task.id,), "single"))
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
        seen = (depth or {}).get(feature)
        if legacy_page_is_cheaper(len(ids), seen):
            page_params: dict[str, Any] = {"pageNum": 1, "pageSize": legacy_page_size(len(ids), seen)}
            queries.append(_Query("GET", path, page_params, "legacy", feature, tuple(ids), "page"))
        else:
            for tid in ids:
                queries.append(_Query("GET", f"{path}/{tid}", None, "legacy", feature, (tid,), "single"))
    return queries


def read_status_answer(
    query: _Query, data: Any, depth: dict[str, int] | None = None, unlisted: set[str] | None = None
) -> tuple[dict[str, Task], list[_Query]]:
    """Tasks found in one status answer, and the follow-up single GETs for ids a list page missed.
    From a list page, ``depth[feature]`` learns how far down the list the oldest wanted task was, and
    ``unlisted`` the ids the page did not show (deeper, or not listed: they get single GETs from now)."""
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
        rows = [i + 1 for i, t in enumerate(found) if t.id in wanted]
        if depth is not None and query.feature is not None and rows:
            depth[query.feature] = max(rows)
        if unlisted is not None:
            unlisted.update(q.ids[0] for q in follow)
    return by_id, follow


def _merge(old: Task, new: Task) -> Task:
    new.feature = new.feature or old.feature
    new.family = new.family or old.family
    new.params = new.params or old.params
    new.model = new.model or old.model
    new.external_id = new.external_id or old.external_id
    return new


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
