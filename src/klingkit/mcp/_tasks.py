"""The MCP Tasks extension (``io.modelcontextprotocol/tasks``, 2026-07-28, SEP-2663) for generate tools.

The ``mcp`` SDK (2.x) ships the extension *mechanism* (SEP-2133: capability ads, extension methods, result
claims keyed by ``resultType``) but no Tasks implementation, so klingkit implements the extension's wire
shapes on it. The SDK delivers claimed results on 2026-07-28 connections only (the 2025-11-25 core tasks
are deliberately absent from it), which is also the revision the extension is defined for.

- **server**: when a request declares the extension in its capabilities, a generate tool answers with a
  ``CreateTaskResult`` (``resultType: "task"`` and the task's fields: ``taskId`` is the ledger's external
  id, ``ttlMs`` is null since the ledger keeps every task, ``pollIntervalMs``); the handle a client without
  Tasks would get rides in ``_meta`` under :data:`HANDLE_META`. ``tasks/get`` answers the task from what the
  background follower learned in its coalesced status rounds (no Kling request per poll): ``working``
  until the outputs are saved, then ``completed`` with the ``task_result`` tool result inline. A Kling task
  that failed is a *tool* error, so it is ``completed`` with ``isError: true`` (the extension keeps
  ``failed`` for JSON-RPC errors). ``tasks/update`` acknowledges (these tasks never ask for input).
  ``tasks/cancel`` acknowledges and stops following: Kling cannot cancel a task, so it runs on (and is
  billed if it succeeds); the ledger keeps it and ``task_result`` can still fetch it. A request that did
  not declare the extension gets -32021 (missing required client capability); over HTTP, one whose
  ``Mcp-Name`` header is not its task id gets the header-mismatch error (SEP-2663 routing header).
- **client**: :func:`tasks_client`, a ``ClientExtension`` whose claim resolves a task result by polling
  ``tasks/get`` (with ``Mcp-Name: <taskId>`` over HTTP) until it is terminal, calling ``on_status`` on every change; ``Client.call_tool`` then
  returns the ordinary ``CallToolResult``.

Not implemented: ``notifications/tasks`` pushes (the SDK's ``subscriptions/listen`` bus carries a closed
set of event kinds) and ``tasks/list``, which the 2026-07-28 extension does not define (the ``list_tasks``
tool lists the ledger).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

import anyio
import mcp_types as types
from pydantic import ConfigDict, Field

from ._errors import ToolError
from ._follow import KLING_CANNOT_CANCEL, downloadable

if TYPE_CHECKING:
    from mcp.client.extension import ClaimContext

    from ._service import Service

IDENTIFIER = "io.modelcontextprotocol/tasks"
HANDLE_META = "dev.klingkit/handle"
"""``_meta`` key of a CreateTaskResult: the handle (external id, task id, estimate) a generate tool made."""
POLL_INTERVAL_MS = 1000
"""How often a client should call tasks/get; each call reads local state (no Kling request)."""
TERMINAL = ("completed", "failed", "cancelled")


class TaskIdParams(types.RequestParams):
    """``tasks/get``, ``tasks/update`` and ``tasks/cancel`` params: the task id (the ledger's external id)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    task_id: str = Field(alias="taskId")


def client_declared(ctx: Any) -> bool:
    """Whether this request declared the Tasks extension (2026-era requests carry it in ``_meta``)."""
    from mcp_types.version import MODERN_PROTOCOL_VERSIONS

    if getattr(ctx, "protocol_version", None) not in MODERN_PROTOCOL_VERSIONS:
        return False
    caps = ctx.session.client_capabilities
    return bool(caps and caps.extensions and IDENTIFIER in caps.extensions)


def _missing_capability() -> Exception:
    from mcp.shared.exceptions import MCPError

    return MCPError(
        code=types.MISSING_REQUIRED_CLIENT_CAPABILITY,
        message=f"Missing required client capability: declare the {IDENTIFIER} extension",
        data={"requiredCapabilities": {"extensions": {IDENTIFIER: {}}}},
    )


def _check_routing_header(ctx: Any, eid: str) -> None:
    """Over streamable HTTP a tasks request must carry ``Mcp-Name: <taskId>`` (SEP-2663's routing header,
    defined by SEP-2243, so a load balancer can send every request of a task to the instance holding it);
    a missing or different header is refused like the SDK refuses one on ``tools/call``. stdio has no
    headers."""
    from mcp.shared.exceptions import MCPError
    from mcp.shared.inbound import MCP_NAME_HEADER, decode_header_value

    headers = getattr(getattr(ctx, "request", None), "headers", None)
    if headers is None:
        return
    if decode_header_value(headers.get(MCP_NAME_HEADER)) != eid:
        raise MCPError(
            code=types.HEADER_MISMATCH,
            message=f"{MCP_NAME_HEADER} header does not match the request body's 'taskId' parameter",
        )


def _unknown(eid: str) -> Exception:
    from mcp.shared.exceptions import MCPError

    return MCPError(
        code=types.INVALID_PARAMS, message=f"Failed to retrieve task: no task {eid!r} in the ledger"
    )


class TaskBoard:
    """The protocol tasks of one server: every ledger task is one (durable), some were cancelled."""

    def __init__(self, service: Service, result: Callable[[str], Awaitable[dict[str, Any]]]) -> None:
        self._service = service
        self._result = result  # handle -> the task_result payload
        self._cancelled: set[str] = set()

    def _task(self, eid: str, status: str, message: str) -> dict[str, Any]:
        rec = self._service.ledger.get(eid)
        created = rec.created_at if rec is not None else None
        updated = rec.updated_at if rec is not None else None
        return {
            "taskId": eid,
            "status": status,
            "statusMessage": message,
            "createdAt": created,
            "lastUpdatedAt": updated or created,
            "ttlMs": None,  # the ledger keeps the task (and klingkit tasks can find it) indefinitely
            "pollIntervalMs": POLL_INTERVAL_MS,
        }

    def created(self, handle: dict[str, Any]) -> dict[str, Any]:
        """The CreateTaskResult for a handle a generate tool just returned."""
        eid = handle["external_id"]
        message = (
            f"Kling task {handle['task_id']} {handle['status']}; estimate ${handle['estimate']['usd']:g}"
        )
        return {"resultType": "task", **self._task(eid, "working", message), "_meta": {HANDLE_META: handle}}

    def _known(self, ctx: Any, eid: str) -> Any:
        if not client_declared(ctx):
            raise _missing_capability()
        _check_routing_header(ctx, eid)
        rec = self._service.ledger.get(eid)
        if rec is None:
            raise _unknown(eid)
        return rec

    async def get(self, ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        eid = params.task_id
        rec = self._known(ctx, eid)
        if eid in self._cancelled:
            return {"resultType": "complete", **self._task(eid, "cancelled", KLING_CANNOT_CANCEL)}
        if not self._service.follower.following(eid) and not rec.done:
            await self._service.status(eid)  # e.g. after a restart: one check, and follow again
            rec = self._service.ledger.get(eid) or rec
        saved = rec.status == "succeeded" and (bool(rec.files) or not downloadable(rec.outputs))
        if not (saved or (rec.done and rec.status != "succeeded")):  # running, or done and still saving
            return {
                "resultType": "complete",
                **self._task(eid, "working", f"Kling task {rec.task_id}: {rec.status}"),
            }
        try:
            payload, is_error = await self._result(eid), False
        except ToolError as err:  # a failed Kling task is a tool error: completed, isError
            payload, is_error = err.to_json(), True
        task = self._task(eid, "completed", f"Kling task {rec.task_id}: {rec.status}")
        return {"resultType": "complete", **task, "result": _tool_result(payload, is_error)}

    async def update(self, ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        self._known(ctx, params.task_id)  # nothing is ever asked of the client: inputResponses are ignored
        return {"resultType": "complete"}

    async def cancel(self, ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        eid = params.task_id
        self._known(ctx, eid)
        self._cancelled.add(eid)
        self._service.follower.unfollow(eid)
        return {"resultType": "complete"}


def _tool_result(payload: dict[str, Any], is_error: bool) -> dict[str, Any]:
    result = types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(payload, indent=1, default=str))],
        structured_content=payload,
        is_error=is_error,
    )
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)


def install(server: Any, board: Callable[[], TaskBoard]) -> None:
    """Advertise the extension on ``server`` and serve ``tasks/get``, ``tasks/update`` and ``tasks/cancel``."""
    server.extensions[IDENTIFIER] = {}

    async def get(ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        return await board().get(ctx, params)

    async def update(ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        return await board().update(ctx, params)

    async def cancel(ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        return await board().cancel(ctx, params)

    server.add_request_handler("tasks/get", TaskIdParams, get)
    server.add_request_handler("tasks/update", TaskIdParams, update)
    server.add_request_handler("tasks/cancel", TaskIdParams, cancel)


# --- the client side ---------------------------------------------------------------------------------


class TaskCreated(types.Result):
    """A tools/call answer that is a task: ``CreateTaskResult`` (``resultType: "task"`` and the Task)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    result_type: Literal["task"] = Field(alias="resultType")
    task_id: str = Field(alias="taskId")
    status: str
    poll_interval_ms: int | None = Field(default=None, alias="pollIntervalMs")


class TaskState(types.Result):
    """A ``tasks/get`` answer (a DetailedTask), or the empty acknowledgement of update/cancel."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    task_id: str | None = Field(default=None, alias="taskId")
    status: str | None = None


class _TaskRequest(types.Request[TaskIdParams, str]):
    name_param = "taskId"  # sent as the Mcp-Name header over HTTP (SEP-2663)


async def send(session: Any, method: str, task_id: str) -> dict[str, Any]:
    """Send ``tasks/get|update|cancel`` for ``task_id`` on an SDK client session; the answer as wire JSON."""
    request = _TaskRequest(method=method, params=TaskIdParams(taskId=task_id))
    state = await session.send_request(request, TaskState)
    return dict(state.model_dump(by_alias=True, mode="json", exclude_unset=True))


def _make_client_extension() -> Any:
    from mcp.client.extension import ClientExtension, ResultClaim

    class TasksClient(ClientExtension):
        """Follow task answers to the end: poll ``tasks/get`` (at ``pollIntervalMs``) until terminal.

        ``on_status(task)`` sees the CreateTaskResult and every changed ``tasks/get`` answer (wire JSON);
        ``max_wait`` bounds the whole follow (seconds), after which the task is cancelled and TimeoutError
        raised. ``created`` keeps every CreateTaskResult seen.
        """

        identifier = IDENTIFIER

        def __init__(
            self,
            on_status: Callable[[dict[str, Any]], Awaitable[None] | None] | None = None,
            max_wait: float = 600.0,
        ) -> None:
            self.on_status = on_status
            self.max_wait = max_wait
            self.created: list[dict[str, Any]] = []

        def claims(self) -> list[ResultClaim[Any]]:
            return [ResultClaim(result_type="task", model=TaskCreated, resolve=self._resolve)]

        async def _resolve(self, created: TaskCreated, ctx: ClaimContext) -> types.CallToolResult:
            seen = created.model_dump(by_alias=True, mode="json", exclude_unset=True)
            self.created.append(seen)
            await self._seen(seen)
            task = seen
            with anyio.move_on_after(self.max_wait):
                while task.get("status") not in TERMINAL:
                    await anyio.sleep(int(task.get("pollIntervalMs") or POLL_INTERVAL_MS) / 1000)
                    state = await send(ctx.session, "tasks/get", created.task_id)
                    if state != task:
                        task = state
                        await self._seen(task)
                if task["status"] == "completed":
                    return types.CallToolResult.model_validate(task["result"])
                raise RuntimeError(f"task {created.task_id} {task['status']}: {task.get('error') or task}")
            await send(ctx.session, "tasks/cancel", created.task_id)
            raise TimeoutError(f"task {created.task_id} not finished after {self.max_wait:g} s: {task}")

        async def _seen(self, task: dict[str, Any]) -> None:
            if self.on_status is not None:
                maybe = self.on_status(task)
                if maybe is not None:
                    await maybe

    return TasksClient


def tasks_client(
    on_status: Callable[[dict[str, Any]], Awaitable[None] | None] | None = None, max_wait: float = 600.0
) -> Any:
    """A ``Client(extensions=[...])`` entry that follows Tasks-extension answers to their tool result."""
    return _make_client_extension()(on_status=on_status, max_wait=max_wait)
