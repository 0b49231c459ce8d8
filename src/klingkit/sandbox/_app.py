"""The Kling-compatible ASGI app: every create, query and list route in the catalog, plus account,
output files (``/_cdn``) and the sandbox's own admin routes (``/_sandbox``).

Every API request passes the same gate, in this order: counted, fault rules consulted, credentials
checked, then handled; any :class:`KlingFailure` becomes Kling's error body with the matching HTTP status.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import random
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from klingkit import catalog
from klingkit.catalog import _data as facts

from . import _auth, _validation
from ._callbacks import CallbackSender
from ._config import SESSION_SECONDS, SandboxConfig
from ._errors import KlingFailure, invalid, not_found
from ._faults import FaultPlan, FaultRule
from ._outputs import MediaFiles
from ._store import TaskStore
from ._tasks import (
    FAILED,
    SUCCEEDED,
    OutputFile,
    TaskRecord,
    legacy_created,
    legacy_view,
    new_created,
    new_view,
    view,
)

POLICY_BLOCK_WORD = "sandbox-policy-block"
RISK_FAIL_WORD = "sandbox-risk-fail"
SUBMITTED_SHARE = 0.15  # part of a task's time spent queued as "submitted"
LOOPBACK = ("127.0.0.1", "::1", "localhost", "testclient")

Handler = Callable[[Request], Awaitable[Any]]


@dataclass
class Counters:
    """What ``GET /_sandbox/counters`` reports (``tasks`` and ``callbacks_sent`` are read live)."""

    requests: dict[str, int] = field(default_factory=dict)
    creates: int = 0
    duplicate_external_ids: int = 0
    status_queries: int = 0


class SandboxState:
    """The server's state, shared by every route (``app.state.sandbox``)."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], float]) -> None:
        self.initial = config.copy()
        self.config = config
        self.clock = clock
        self.store = TaskStore(config.state)
        saved = self.store.get_meta("config")
        if saved:
            self.config.update(saved)
        self._tmp: str | None = None
        if config.media_dir is not None:
            media_root = config.media_dir
        elif config.state is not None:
            media_root = config.state.with_name(config.state.name + ".media")
        else:
            self._tmp = tempfile.mkdtemp(prefix="klingkit-sandbox-")
            media_root = Path(self._tmp)
        self.media = MediaFiles(media_root, lambda: self.config.seed)
        self.faults = FaultPlan(config.seed)
        self.counters = Counters()
        self.rng = random.Random(config.seed)
        self.lock = threading.Lock()
        self.base_url = ""  # set by the server runner; else learnt from the first request
        self.callbacks = CallbackSender(
            self.store, clock, self._callback_body, lambda: self.config.webhook_secret
        )
        self.started_ms = self.store.get_meta("started_ms") or self.now_ms()
        self.store.set_meta("started_ms", self.started_ms)

    def close(self) -> None:
        self.store.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def new_id(self) -> str:
        """An 18-digit numeric id like Kling's, from the seeded RNG (so runs repeat), never reused."""
        while True:
            candidate = str(self.rng.randrange(10**17, 10**18))
            if not self.store.exists(candidate):
                return candidate

    def request_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # --- output URLs ------------------------------------------------------------------------------

    def _cdn_key(self) -> bytes:
        return hashlib.sha256(b"cdn:" + self.config.secret_key.encode()).digest()

    def url_signature(self, name: str, expires: int) -> str:
        return hmac.new(self._cdn_key(), f"{name}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def url_maker(self, base: str) -> Callable[[str, str], str]:
        """Builds output URLs under ``base``; with a ``url_ttl`` they carry an expiry and a signature."""
        ttl = self.config.url_ttl
        expires = int(self.clock() + ttl) if ttl is not None else None

        def url_for(file_id: str, ext: str) -> str:
            name = f"{file_id}.{ext}"
            url = f"{base}/_cdn/{quote(name)}"
            if expires is not None:
                url += f"?expires={expires}&sig={self.url_signature(name, expires)}"
            return url

        return url_for

    def _callback_body(self, task: TaskRecord, status: str) -> dict[str, Any]:
        return view(task, self.now_ms(), self.url_maker(self.base_url), status)

    # --- lookups for validation -----------------------------------------------------------------

    def find_video(self, video_id: str) -> dict[str, Any] | None:
        found = self.store.find_output(video_id)
        if found is None:
            return None
        task, out = found
        now = self.now_ms()
        if out.kind != "video" or task.status_at(now) != SUCCEEDED or self.expired(task, now):
            return None
        return {"duration": out.duration, "model": task.model, "mode": task.billing.get("mode", "std")}

    def find_session(self, session_id: str) -> dict[str, Any] | None:
        task = self.store.get(session_id)
        if task is None or task.feature != "identify-face":
            return None
        if self.now_ms() - task.created_ms > SESSION_SECONDS * 1000:
            return None
        return {**task.extra, "parent_video": task.parent_video}

    def expired(self, task: TaskRecord, now_ms: int) -> bool:
        return now_ms > task.done_ms + self.config.retention_seconds * 1000

    def context(self) -> _validation.Context:
        return _validation.Context(self.media.keep_input, self.find_video, self.find_session)

    # --- creating tasks -------------------------------------------------------------------------

    def create(self, plan: _validation.Plan, body: Any, sync: bool) -> TaskRecord:
        """Admit and store a planned task, or raise the failure Kling would answer with."""
        words = " ".join(_validation.texts(body))
        if POLICY_BLOCK_WORD in words:
            raise KlingFailure(1301)
        with self.lock:
            now = self.now_ms()
            if plan.external_id and self.store.get_by_external_id(plan.external_id) is not None:
                self.counters.duplicate_external_ids += 1
                raise invalid(f"external_task_id {plan.external_id} already exists")
            charged, reserved = self.store.units(plan.pack, now)
            if plan.units > self.config.balances.get(plan.pack, 0.0) - charged - reserved + 1e-9:
                raise KlingFailure(1102, "Account balance not enough")
            limit = self.config.concurrency.get(plan.pack, 1)
            if plan.weight and self.store.slots_in_use(plan.pack, now) + plan.weight > limit:
                raise KlingFailure(1303)
            if sync:
                total = 0.0
            elif self.config.task_seconds is not None:
                total = self.config.task_seconds
            else:
                total = plan.work_seconds * self.config.time_scale
            failed = RISK_FAIL_WORD in words
            task_id = self.new_id()
            outputs = [
                OutputFile(self.new_id(), o.kind, o.render.get("index", 0), o.duration, o.render)
                for o in plan.outputs
            ]
            task = TaskRecord(
                id=task_id,
                external_id=plan.external_id,
                feature=plan.feature,
                family=plan.family,
                pack=plan.pack,
                model=plan.model,
                weight=plan.weight,
                units=plan.units,
                created_ms=now,
                processing_ms=now + round(total * SUBMITTED_SHARE * 1000),
                done_ms=now + round(total * 1000),
                outcome=FAILED if failed else SUCCEEDED,
                message=facts.RISK_CONTROL_MESSAGE if failed else "",
                callback_url=plan.callback_url,
                watermark=plan.watermark,
                outputs=outputs,
                parent_video=plan.parent_video,
                billing=plan.billing,
                extra=plan.extra,
            )
            self.store.insert(task)
            self.counters.creates += 1
        if task.callback_url:
            self.callbacks.wake()
        return task

    def reset(self) -> None:
        self.store.clear()
        self.config = self.initial.copy()
        self.faults = FaultPlan(self.config.seed)
        self.counters = Counters()
        self.rng = random.Random(self.config.seed)
        self.callbacks.sent = self.callbacks.failed = 0
        self.started_ms = self.now_ms()
        self.store.set_meta("started_ms", self.started_ms)

    def save_config(self) -> None:
        self.store.set_meta("config", self.config.tunables())


# --- responses ------------------------------------------------------------------------------------------


def _ok(sb: SandboxState, data: Any) -> JSONResponse:
    return JSONResponse({"code": 0, "message": "SUCCEED", "request_id": sb.request_id(), "data": data})


def _error(sb: SandboxState, failure: KlingFailure) -> JSONResponse:
    body = {"code": failure.code, "message": failure.message, "request_id": sb.request_id()}
    return JSONResponse(body, status_code=failure.status)


class DroppedConnection(Response):
    """Announces a body and closes the connection before sending it: the client gets no usable answer.

    ASGI has no "hang up" message; a response cut short of its Content-Length is what servers treat as a
    broken connection, and what an HTTP client reports as a transport error.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"code":0', "more_body": True})
        raise ConnectionAbortedError("sandbox fault: connection dropped on purpose")


def _sb(request: Request) -> SandboxState:
    sandbox: SandboxState = request.app.state.sandbox
    if not sandbox.base_url:
        sandbox.base_url = str(request.base_url).rstrip("/")
    return sandbox


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise KlingFailure(1200, "Invalid request parameters: the body is not valid JSON") from None


async def _gate(request: Request, kind: str, label: str, api_key_only: bool, handler: Handler) -> Response:
    """Count, inject faults, authenticate, handle, and shape the answer."""
    sb = _sb(request)
    sb.counters.requests[label] = sb.counters.requests.get(label, 0) + 1
    rule: FaultRule | None = sb.faults.pick(kind, request.url.path)
    if rule is not None:
        if rule.delay:
            await asyncio.sleep(rule.delay)
        if rule.code is not None:
            return _error(sb, KlingFailure(rule.code))
        if rule.fault == "drop":
            return DroppedConnection()
    try:
        _auth.check(
            request.headers.get("authorization"), sb.config, api_key_only=api_key_only, now=sb.clock()
        )
        response = _ok(sb, await handler(request))
    except KlingFailure as failure:
        response = _error(sb, failure)
    if rule is not None and rule.fault == "lost_response":
        return DroppedConnection()
    return response


# --- API routes -----------------------------------------------------------------------------------------


def _create_route(endpoint: catalog.Endpoint) -> Route:
    api_key_only = endpoint.family != "legacy"
    path = endpoint.path + ("/{model}" if endpoint.model_in_path else "")

    async def create(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            body = await _json(request)
            model = request.path_params.get("model")
            plan = await run_in_threadpool(_validation.plan_for, sb.context(), endpoint.feature, body, model)
            task = sb.create(plan, body, endpoint.sync)
            url_for = sb.url_maker(_base(request))
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

        return await _gate(request, "create", f"POST {request.url.path}", api_key_only, handle)

    return Route(path, create, methods=["POST"])


def _get_route(endpoint: catalog.Endpoint) -> Route:
    async def get(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            sb.counters.status_queries += 1
            task = _find(sb, endpoint.feature, request.path_params["task_id"])
            return legacy_view(task, sb.now_ms(), sb.url_maker(_base(request)))

        return await _gate(request, "query", f"GET {endpoint.path}/{{id}}", False, handle)

    return Route(endpoint.path + "/{task_id}", get, methods=["GET"])


def _find(sb: SandboxState, feature: str, task_or_external_id: str) -> TaskRecord:
    # The path slot takes a task id or an external task id (kling-api.md §2.0).
    task = sb.store.get(task_or_external_id)
    if task is None or task.feature != feature:
        task = sb.store.get_by_external_id(task_or_external_id)
    if task is None or task.feature != feature:
        raise not_found(f"task {task_or_external_id} does not exist")
    return task


def _int_param(request: Request, key: str, low: int, high: int, default: int) -> int:
    raw = request.query_params.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"{key} must be an integer") from None
    if not low <= value <= high:
        raise invalid(f"{key} {value} is out of range [{low}, {high}]")
    return value


def _list_route(endpoint: catalog.Endpoint) -> Route:
    async def listing(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            sb.counters.status_queries += 1
            url_for = sb.url_maker(_base(request))
            external = request.query_params.get("external_task_id")
            if external:
                return legacy_view(_find(sb, endpoint.feature, external), sb.now_ms(), url_for)
            page = _int_param(request, "pageNum", *facts.PAGE_NUM, 1)
            size = _int_param(request, "pageSize", *facts.PAGE_SIZE, 30)
            tasks = sb.store.by_feature(endpoint.feature, (page - 1) * size, size)
            now = sb.now_ms()
            return [legacy_view(t, now, url_for) for t in tasks]

        return await _gate(request, "query", f"GET {endpoint.path}", False, handle)

    return Route(endpoint.path, listing, methods=["GET"])


def _ms(value: Any, name: str, default: int) -> int:
    """A millisecond time that may arrive as a number or a numeric string (Kling's own sample)."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"{name} must be a Unix time in milliseconds") from None


_PRODUCT_TYPES = {"video": "video", "image": "image", "tryon": "try_on", "audio": "audio"}


def _task_query_routes(path: str, family: str, default_limit: int) -> list[Route]:
    """``GET path?task_ids=|external_task_ids=`` and the ``POST path`` cursor listing."""

    async def by_ids(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
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
            now, url_for = sb.now_ms(), sb.url_maker(_base(request))
            found = [lookup(i) for i in wanted]
            return [new_view(t, now, url_for) for t in found if t is not None and t.family == family]

        return await _gate(request, "query", f"GET {path}", True, handle)

    async def listing(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            sb.counters.status_queries += 1
            body = _validation.Body(await _json(request))
            now = sb.now_ms()
            end = _ms(body.data.get("end_time"), "end_time", now)
            start = _ms(body.data.get("start_time"), "start_time", end - 30 * 24 * 3600 * 1000)
            limit = body.integer("limit", *facts.TASKS_LIST_LIMIT, default_limit)
            offset = _cursor(body.data.get("cursor"))
            statuses, products = _filters(body, ("status", "product_type"))
            tasks = [
                t
                for t in sb.store.in_families((family,), start, end)
                if (not statuses or t.status_at(now) in statuses)
                and (not products or _PRODUCT_TYPES.get(t.pack) in products)
            ]
            page = tasks[offset : offset + limit]
            more = offset + limit < len(tasks)
            url_for = sb.url_maker(_base(request))
            return {
                "result": [new_view(t, now, url_for) for t in page],
                "count": len(page),
                "next_cursor": str(offset + limit) if more else "",
                "has_more": more,
            }

        return await _gate(request, "query", f"POST {path}", True, handle)

    return [Route(path, by_ids, methods=["GET"]), Route(path, listing, methods=["POST"])]


def _cursor(value: Any) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise invalid("cursor is not one this server handed out")


def _filters(body: _validation.Body, keys: tuple[str, ...]) -> tuple[set[str], ...]:
    chosen: dict[str, set[str]] = {k: set() for k in keys}
    for i, raw in enumerate(body.items("filters", 0, 20)):
        item = _validation.Body(raw, f"filters[{i}].")
        key = item.choice("key", keys)
        values = item.items("values", 1, 100, required=True)
        chosen[key].update(str(v) for v in values)
    return tuple(chosen[k] for k in keys)


# --- account --------------------------------------------------------------------------------------------


def _account_routes() -> list[Route]:
    async def costs(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            for key in ("start_time", "end_time"):
                if not request.query_params.get(key):
                    raise invalid(f"{key} is required (Unix time in milliseconds)")
                _ms(request.query_params.get(key), key, 0)
            name = request.query_params.get("resource_pack_name")
            now = sb.now_ms()
            packs = []
            for pack, total in sb.config.balances.items():
                charged, _ = sb.store.units(pack, now)
                remaining = max(0.0, total - charged)
                info = {
                    "resource_pack_name": f"Sandbox {pack} pack",
                    "resource_pack_id": f"sandbox-{pack}-pack",
                    "resource_pack_type": "decreasing_total",
                    "total_quantity": float(total),
                    "remaining_quantity": round(remaining, 4),
                    "purchase_time": sb.started_ms,
                    "effective_time": sb.started_ms,
                    "invalid_time": sb.started_ms + 365 * 24 * 3600 * 1000,
                    "status": "online" if remaining > 0 else "runOut",
                }
                if not name or name == info["resource_pack_name"]:
                    packs.append(info)
            return {"code": 0, "msg": "success", "resource_pack_subscribe_infos": packs}

        return await _gate(request, "query", "GET /account/costs", False, handle)

    async def package(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = _sb(request)
            body = _validation.Body(await _json(request))
            now = sb.now_ms()
            start = _ms(body.data.get("start_time"), "start_time", 0)
            end = _ms(body.data.get("end_time"), "end_time", now)
            limit = body.integer("limit", *facts.BILLING_LIMIT, 500)
            offset = _cursor(body.data.get("cursor"))
            keys = ("api_key_name", "product_type", "package_name", "package_id")
            _, products, names, ids = _filters(body, keys)
            rows: list[dict[str, Any]] = []
            spent: dict[str, float] = {}
            for task in sb.store.charges(now):
                before = sb.config.balances.get(task.pack, 0.0) - spent.get(task.pack, 0.0)
                spent[task.pack] = spent.get(task.pack, 0.0) + task.units
                product = "try-on" if task.pack == "tryon" else task.pack
                pack_name, pack_id = f"Sandbox {task.pack} pack", f"sandbox-{task.pack}-pack"
                if not start <= task.done_ms <= end or (products and product not in products):
                    continue
                if (names and pack_name not in names) or (ids and pack_id not in ids):
                    continue
                rows.append(
                    {
                        "package_id": pack_id,
                        "product_type": product,
                        "task_id": task.id,
                        "api_key_name": "sandbox",
                        "product_function": task.feature,
                        "model_name": task.billing.get("model_name") or task.model or "",
                        "resolution": task.billing.get("resolution", ""),
                        "duration": str(task.billing.get("duration", "")),
                        "refer_video_input": bool(task.billing.get("refer_video_input", False)),
                        "video_sound": task.billing.get("video_sound", "off"),
                        "voice_control": bool(task.billing.get("voice_control", False)),
                        "deduction_time": task.done_ms,
                        "unit_before_deduction": round(before, 4),
                        "deduction_amount": task.units,
                        "unit_after_deduction": round(before - task.units, 4),
                    }
                )
            page = rows[offset : offset + limit]
            more = offset + limit < len(rows)
            return {
                "result": {"detail": page, "count": len(page)},
                "next_cursor": str(offset + limit) if more else "",
                "has_more": more,
            }

        return await _gate(request, "query", "POST /account/billing/package", False, handle)

    async def balance(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            await _json(request)
            # The sandbox account pays with resource packs only; there is no cash balance to export.
            return {"result": {"detail": [], "count": 0}, "next_cursor": "", "has_more": False}

        return await _gate(request, "query", "POST /account/billing/balance", False, handle)

    return [
        Route(facts.ACCOUNT_COSTS_PATH, costs, methods=["GET"]),
        Route(facts.BILLING_PACKAGE_PATH, package, methods=["POST"]),
        Route(facts.BILLING_BALANCE_PATH, balance, methods=["POST"]),
    ]


# --- output files -------------------------------------------------------------------------------------


async def _cdn(request: Request) -> Response:
    """Output files: no credentials (like Kling's CDN), byte ranges for resumed downloads."""
    sb = _sb(request)
    name = request.path_params["name"]
    file_id, _, ext = name.rpartition(".")
    expires = request.query_params.get("expires")
    if expires is not None or sb.config.url_ttl is not None:
        sig = request.query_params.get("sig", "")
        try:
            deadline = int(expires or "")
        except ValueError:
            return Response("Forbidden: this URL needs a valid signature", status_code=403)
        if not hmac.compare_digest(sig, sb.url_signature(name, deadline)):
            return Response("Forbidden: bad URL signature", status_code=403)
        if sb.clock() > deadline:
            return Response(
                "Forbidden: this URL has expired; query the task again for a fresh one", status_code=403
            )
    watermark = file_id.endswith("-wm")
    found = sb.store.find_output(file_id.removesuffix("-wm"))
    if found is None:
        return Response("Not Found", status_code=404)
    task, output = found
    now = sb.now_ms()
    from ._outputs import EXTENSIONS

    if task.status_at(now) != SUCCEEDED or ext not in EXTENSIONS[output.kind]:
        return Response("Not Found", status_code=404)
    if sb.expired(task, now):
        sb.media.remove(output.id)
        return Response("Not Found: outputs are cleared after the retention period", status_code=404)

    def find(output_id: str) -> OutputFile | None:
        hit = sb.store.find_output(output_id)
        return hit[1] if hit else None

    path = await run_in_threadpool(sb.media.ensure, output, ext, watermark, find)
    return _file_response(request, path, ext)


_MEDIA_TYPES = {"mp4": "video/mp4", "png": "image/png", "mp3": "audio/mpeg", "wav": "audio/wav"}


def _file_response(request: Request, path: Path, ext: str) -> Response:
    data_size = path.stat().st_size
    headers = {"accept-ranges": "bytes", "content-type": _MEDIA_TYPES[ext]}
    start, end = 0, data_size - 1
    ranged = request.headers.get("range")
    status = 200
    if ranged:
        unit, _, spec = ranged.partition("=")
        first, _, last = spec.partition("-")
        try:
            if unit.strip() != "bytes" or "," in spec:
                raise ValueError
            if first:
                start, end = int(first), int(last) if last else data_size - 1
            else:
                start, end = max(0, data_size - int(last)), data_size - 1
        except ValueError:
            start, end = 0, data_size - 1
        else:
            if start >= data_size or start > end:
                return Response(status_code=416, headers={"content-range": f"bytes */{data_size}"})
            end = min(end, data_size - 1)
            status = 206
            headers["content-range"] = f"bytes {start}-{end}/{data_size}"
    if request.method == "HEAD":
        headers["content-length"] = str(end - start + 1)
        return Response(status_code=status, headers=headers)
    with path.open("rb") as fh:
        fh.seek(start)
        body = fh.read(end - start + 1)
    return Response(body, status_code=status, headers=headers)


# --- admin --------------------------------------------------------------------------------------------


def _admin(
    handler: Callable[[Request, SandboxState], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    async def route(request: Request) -> Response:
        sb = _sb(request)
        if request.client is not None and request.client.host not in LOOPBACK:
            return JSONResponse({"error": "the sandbox admin routes answer loopback clients only"}, 403)
        try:
            return JSONResponse(await handler(request, sb))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    return route


async def _counters(request: Request, sb: SandboxState) -> Any:
    c = sb.counters
    return {
        "requests": dict(c.requests),
        "creates": c.creates,
        "tasks": sb.store.count(),
        "duplicate_external_ids": c.duplicate_external_ids,
        "status_queries": c.status_queries,
        "callbacks_sent": sb.callbacks.sent,
        "callbacks_failed": sb.callbacks.failed,
        "faults_injected": dict(sb.faults.injected),
    }


async def _admin_body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError:
        raise ValueError("the body is not valid JSON") from None


async def _set_faults(request: Request, sb: SandboxState) -> Any:
    from ._faults import parse_rules

    seed, rules = parse_rules(await _admin_body(request))
    sb.faults.set(seed, rules)
    return {"rules": sb.faults.rules()}


async def _get_faults(request: Request, sb: SandboxState) -> Any:
    return {"rules": sb.faults.rules(), "faults_injected": dict(sb.faults.injected)}


async def _clear_faults(request: Request, sb: SandboxState) -> Any:
    sb.faults.clear()
    return {"rules": []}


async def _set_config(request: Request, sb: SandboxState) -> Any:
    body = await _admin_body(request)
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object of settings")
    sb.config.update(body)
    sb.save_config()
    sb.callbacks.wake()
    return sb.config.public()


async def _get_config(request: Request, sb: SandboxState) -> Any:
    return sb.config.public()


async def _reset(request: Request, sb: SandboxState) -> Any:
    sb.reset()
    return {"reset": True}


# --- the app ------------------------------------------------------------------------------------------


def _routes() -> list[Route]:
    routes: list[Route] = []
    for endpoint in catalog.ENDPOINTS.values():
        routes.append(_create_route(endpoint))
        if endpoint.family == "legacy":
            routes += [_list_route(endpoint), _get_route(endpoint)]
    routes += _task_query_routes(facts.NEW_TASKS_PATH, "new", 100)
    routes += _task_query_routes(facts.SOLUTIONS_PATH, "solutions", 500)
    routes += _account_routes()
    routes += [
        Route("/_cdn/{name}", _cdn, methods=["GET", "HEAD"]),
        Route("/_sandbox/counters", _admin(_counters), methods=["GET"]),
        Route("/_sandbox/faults", _admin(_set_faults), methods=["POST"]),
        Route("/_sandbox/faults", _admin(_get_faults), methods=["GET"]),
        Route("/_sandbox/faults", _admin(_clear_faults), methods=["DELETE"]),
        Route("/_sandbox/config", _admin(_set_config), methods=["POST"]),
        Route("/_sandbox/config", _admin(_get_config), methods=["GET"]),
        Route("/_sandbox/reset", _admin(_reset), methods=["POST"]),
    ]
    return routes


async def _unknown_route(request: Request, exc: Exception) -> Response:
    # Kling answers a path or method it does not have with 404/1202 in its usual envelope.
    sb = _sb(request)
    failure = KlingFailure(1202, f"The requested method is invalid: {request.method} {request.url.path}")
    return _error(sb, failure)


def create_app(config: SandboxConfig | None = None, *, clock: Callable[[], float] = time.time) -> Starlette:
    """The sandbox as an ASGI app. ``clock`` (Unix seconds) is injectable so tests can move time.

    Callbacks are sent by a task started in the app's lifespan, so they need a server that runs the
    lifespan (uvicorn does; ``httpx.ASGITransport`` does not).
    """
    sandbox = SandboxState(config or SandboxConfig(), clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sender = asyncio.get_running_loop().create_task(sandbox.callbacks.run())
        try:
            yield
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            sandbox.close()

    app = Starlette(
        routes=_routes(), lifespan=lifespan, exception_handlers={404: _unknown_route, 405: _unknown_route}
    )
    app.state.sandbox = sandbox
    return app
