"""Task routes: create (every catalog endpoint), legacy get-by-id and list, and the 2026 ``/tasks`` and
solutions query routes."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from klingkit import catalog
from klingkit import catalog as facts

from . import _validation
from ._errors import invalid, not_found
from ._fetch import fetch_inputs
from ._fetch_net import Reach
from ._http import base_of, cursor_offset, filters, gate, int_param, parse_ms, read_json, state_of
from ._lenient import legacy_body
from ._state import SandboxState
from ._tasks import TaskRecord, legacy_created, legacy_view, new_created, new_view

# A create whose body holds no string this long carries no media (base64 or fetched) to decode: it is planned
# on the event loop, which saves the thread hop (~0.4 ms of the sandbox's CPU per create, a third of it; the
# creates of bench_batch --concurrency 20 come in bursts of 20).
_MEDIA_CHARS = 4096


def _carries_media(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) > _MEDIA_CHARS
    if isinstance(value, dict):
        return any(_carries_media(v) for v in value.values())
    if isinstance(value, list):
        return any(_carries_media(v) for v in value)
    return False


async def _plan(sb: SandboxState, feature: str, body: Any, model: str | None) -> Any:
    args = (sb.context(), feature, body, model)
    if _carries_media(body):
        return await run_in_threadpool(_validation.plan_for, *args)  # decodes and stores media
    return _validation.plan_for(*args)


def _create_route(endpoint: catalog.Endpoint) -> Route:
    api_key_only = endpoint.family != "legacy"
    path = endpoint.path + ("/{model}" if endpoint.model_in_path else "")

    async def create(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            body = await read_json(request)
            if endpoint.family == "legacy":
                body = legacy_body(body)
            model = request.path_params.get("model")
            # A request refused for its fields is refused before any of its input URLs is fetched.
            plan = await _plan(sb, endpoint.feature, body, model)
            fetched = await fetch_inputs(endpoint.feature, body, Reach(sb.config.private_urls, sb.own_urls))
            if fetched.failure and endpoint.sync:
                raise invalid(fetched.failure)  # no task to fail on a synchronous route
            if fetched.body is not body:  # plan again from the fetched bytes, as if sent in base64
                plan = await _plan(sb, endpoint.feature, fetched.body, model)
            fetched.shape(plan)
            task = sb.create(plan, body, endpoint.sync, fetched.failure)
            url_for = sb.url_maker(base_of(request))
            if endpoint.feature == "identify-face":
                face = task.outputs[0].id if task.outputs else ""
                return {
                    "session_id": task.id,
                    "final_unit_deduction": f"{task.units:g}",
                    "face_data": [{**f, "face_image": url_for(face, "png")} for f in task.extra["face_data"]],
                }
            if endpoint.sync:
                return legacy_view(task, task.done_ms, url_for)
            return legacy_created(task) if endpoint.family == "legacy" else new_created(task)

        return await gate(request, "create", f"POST {request.url.path}", api_key_only, handle)

    return Route(path, create, methods=["POST"])


def _get_route(endpoint: catalog.Endpoint) -> Route:
    async def get(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            sb.counters.status_queries += 1
            task = _find(sb, endpoint.feature, request.path_params["task_id"])
            return legacy_view(task, sb.now_ms(), sb.url_maker(base_of(request)))

        return await gate(request, "query", f"GET {endpoint.path}/{{id}}", False, handle)

    return Route(endpoint.path + "/{task_id}", get, methods=["GET"])


def _find(sb: SandboxState, feature: str, task_or_external_id: str) -> TaskRecord:
    # The path slot takes a task id or an external task id (kling-api.md §2.0).
    task = sb.store.get(task_or_external_id)
    if task is None or task.feature != feature:
        task = sb.store.get_by_external_id(task_or_external_id)
    if task is None or task.feature != feature:
        raise not_found(f"task {task_or_external_id} does not exist")
    return task


def _list_route(endpoint: catalog.Endpoint) -> Route:
    async def listing(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            sb.counters.status_queries += 1
            url_for = sb.url_maker(base_of(request))
            external = request.query_params.get("external_task_id")
            if external:
                return legacy_view(_find(sb, endpoint.feature, external), sb.now_ms(), url_for)
            page = int_param(request, "pageNum", *facts.PAGE_NUM, 1)
            size = int_param(request, "pageSize", *facts.PAGE_SIZE, 30)
            tasks = sb.store.by_feature(endpoint.feature, (page - 1) * size, size)
            now = sb.now_ms()
            return [legacy_view(t, now, url_for) for t in tasks]

        return await gate(request, "query", f"GET {endpoint.path}", False, handle)

    return Route(endpoint.path, listing, methods=["GET"])


_PRODUCT_TYPES = {"video": "video", "image": "image", "tryon": "try_on", "audio": "audio"}


def _task_query_routes(path: str, family: str, default_limit: int) -> list[Route]:
    """``GET path?task_ids=|external_task_ids=`` and the ``POST path`` cursor listing."""

    async def by_ids(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            sb.counters.status_queries += 1
            ids, externals = (
                request.query_params.get("task_ids"),
                request.query_params.get("external_task_ids"),
            )
            if bool(ids) == bool(externals):
                raise invalid("exactly one of task_ids and external_task_ids is required")
            wanted = [i.strip() for i in (ids or externals or "").split(",") if i.strip()]
            if len(wanted) > facts.TASKS_QUERY_IDS_MAX:
                raise invalid(f"at most {facts.TASKS_QUERY_IDS_MAX} ids per query, got {len(wanted)}")
            lookup = sb.store.get if ids else sb.store.get_by_external_id
            now, url_for = sb.now_ms(), sb.url_maker(base_of(request))
            found = [lookup(i) for i in wanted]
            return [new_view(t, now, url_for) for t in found if t is not None and t.family == family]

        return await gate(request, "query", f"GET {path}", True, handle)

    async def listing(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            sb.counters.status_queries += 1
            body = _validation.Body(await read_json(request))
            now = sb.now_ms()
            end = parse_ms(body.data.get("end_time"), "end_time", now)
            start = parse_ms(body.data.get("start_time"), "start_time", end - 30 * 24 * 3600 * 1000)
            limit = body.integer("limit", *facts.TASKS_LIST_LIMIT, default_limit)
            offset = cursor_offset(body.data.get("cursor"))
            statuses, products = filters(body, ("status", "product_type"))
            tasks = [
                t
                for t in sb.store.in_families((family,), start, end)
                if (not statuses or t.status_at(now) in statuses)
                and (not products or _PRODUCT_TYPES.get(t.pack) in products)
            ]
            page = tasks[offset : offset + limit]
            more = offset + limit < len(tasks)
            url_for = sb.url_maker(base_of(request))
            return {
                "result": [new_view(t, now, url_for) for t in page],
                "count": len(page),
                "next_cursor": str(offset + limit) if more else "",
                "has_more": more,
            }

        return await gate(request, "query", f"POST {path}", True, handle)

    return [Route(path, by_ids, methods=["GET"]), Route(path, listing, methods=["POST"])]


def routes() -> list[Route]:
    """Create routes for every catalog endpoint; legacy get/list routes; the 2026 and solutions queries."""
    found: list[Route] = []
    for endpoint in catalog.ENDPOINTS.values():
        found.append(_create_route(endpoint))
        if endpoint.family == "legacy":
            found += [_list_route(endpoint), _get_route(endpoint)]
    found += _task_query_routes(facts.NEW_TASKS_PATH, "new", 100)
    found += _task_query_routes(facts.SOLUTIONS_PATH, "solutions", 500)
    return found
