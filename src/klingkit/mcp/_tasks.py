"""The MCP Tasks extension (``io.modelcontextprotocol/tasks``) for generate tools: both sides.

The ``mcp`` SDK (2.x) ships the extension *mechanism* (SEP-2133: capability ads, extension methods, result
claims keyed by ``resultType``) but no Tasks implementation, so klingkit implements the extension on it:

- **server**: when the client declared the extension on a 2026-era connection, a generate tool answers
  ``{"resultType": "task", "task": {...}, "handle": {...}}`` instead of the handle alone. ``tasks/get``
  reports the task (``working`` -> ``completed`` | ``failed`` | ``cancelled``) from what the background
  follower learned in its coalesced status rounds, with the final tool result (saved files) inline once
  it is terminal. ``tasks/cancel`` stops following: Kling cannot cancel a task, so the Kling task keeps
  running (and is billed if it succeeds); the ledger keeps it and ``task_result`` can still fetch it.
- **client**: :class:`TasksClient`, a ``ClientExtension`` whose claim resolves a task result by polling
  ``tasks/get`` until it is terminal, calling ``on_status`` on every change; ``Client.call_tool`` then
  returns the ordinary ``CallToolResult``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

import anyio
import mcp_types as types
from pydantic import ConfigDict, Field

from ._errors import ToolError
from ._service import KLING_CANNOT_CANCEL

if TYPE_CHECKING:
    from mcp.client.extension import ClaimContext

    from ._service import Service

IDENTIFIER = "io.modelcontextprotocol/tasks"
POLL_INTERVAL_MS = 1000
"""How often a client should call tasks/get; each call reads local state (no Kling request)."""

_STATUS = {"succeeded": "completed", "failed": "failed", "rejected": "failed"}


class TaskIdParams(types.RequestParams):
    """``tasks/get`` and ``tasks/cancel`` params: the task id (our ledger's external id)."""

    task_id: str = Field(alias="taskId")


def client_declared(ctx: Any) -> bool:
    """Whether this request's client declared the Tasks extension (2026-era connections only)."""
    from mcp_types.version import MODERN_PROTOCOL_VERSIONS

    if getattr(ctx, "protocol_version", None) not in MODERN_PROTOCOL_VERSIONS:
        return False
    caps = ctx.session.client_capabilities
    return bool(caps and caps.extensions and IDENTIFIER in caps.extensions)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class TaskBoard:
    """The protocol tasks of one server: which handles are tasks, and which were cancelled."""

    def __init__(self, service: Service, result: Callable[[str], Awaitable[dict[str, Any]]]) -> None:
        self._service = service
        self._result = result  # handle -> the task_result payload
        self._created: dict[str, str] = {}
        self._cancelled: set[str] = set()

    def created(self, handle: dict[str, Any]) -> dict[str, Any]:
        """The claimed tools/call answer for a handle a generate tool just returned."""
        eid = handle["external_id"]
        self._created[eid] = _now()
        return {
            "resultType": "task",
            "task": self._task(eid, "working", f"Kling task {handle['task_id']} {handle['status']}"),
            "handle": handle,
        }

    def _task(self, eid: str, status: str, message: str, updated: str | None = None) -> dict[str, Any]:
        created = self._created.get(eid) or _now()
        return {
            "taskId": eid,
            "status": status,
            "statusMessage": message,
            "createdAt": created,
            "lastUpdatedAt": updated or created,
            "pollIntervalMs": POLL_INTERVAL_MS,
        }

    async def get(self, ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        eid = params.task_id
        rec = self._service.ledger.get(eid)
        if rec is None or eid not in self._created:
            from mcp.shared.exceptions import MCPError

            raise MCPError(code=types.INVALID_PARAMS, message=f"unknown task {eid!r}")
        if eid in self._cancelled:
            return {"task": self._task(eid, "cancelled", f"stopped following. {KLING_CANNOT_CANCEL}")}
        if not self._service.follower.following(eid) and not rec.done:
            await self._service.status(eid)  # e.g. after a restart: one check, and follow again
            rec = self._service.ledger.get(eid) or rec
        status = _STATUS.get(rec.status, "working")
        if status == "completed" and not rec.files:
            status = "working"  # done on Kling's side; still saving the files
        message = f"Kling task {rec.task_id}: {rec.status}"
        out: dict[str, Any] = {"task": self._task(eid, status, message, rec.updated_at)}
        if status != "working":
            try:
                payload = await self._result(eid)
                out["result"] = _tool_result(payload, False)
            except ToolError as err:
                out["result"] = _tool_result(err.to_json(), True)
        return out

    async def cancel(self, ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        eid = params.task_id
        if eid not in self._created:
            from mcp.shared.exceptions import MCPError

            raise MCPError(code=types.INVALID_PARAMS, message=f"unknown task {eid!r}")
        self._cancelled.add(eid)
        self._service.follower.unfollow(eid)
        return {"task": self._task(eid, "cancelled", f"stopped following. {KLING_CANNOT_CANCEL}")}


def _tool_result(payload: dict[str, Any], is_error: bool) -> dict[str, Any]:
    result = types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(payload, indent=1, default=str))],
        structured_content=payload,
        is_error=is_error,
    )
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)


def install(server: Any, board: Callable[[], TaskBoard]) -> None:
    """Advertise the extension on ``server`` and serve ``tasks/get`` and ``tasks/cancel``."""
    server.extensions[IDENTIFIER] = {}

    async def get(ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        return await board().get(ctx, params)

    async def cancel(ctx: Any, params: TaskIdParams) -> dict[str, Any]:
        return await board().cancel(ctx, params)

    server.add_request_handler("tasks/get", TaskIdParams, get)
    server.add_request_handler("tasks/cancel", TaskIdParams, cancel)


# --- the client side ---------------------------------------------------------------------------------


class TaskCreated(types.Result):
    """A tools/call answer that is a task (``resultType: "task"``)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    result_type: Literal["task"] = Field(alias="resultType")
    task: dict[str, Any]
    handle: dict[str, Any] | None = None


class TaskState(types.Result):
    """A ``tasks/get`` / ``tasks/cancel`` answer."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    task: dict[str, Any]
    result: dict[str, Any] | None = None


class _TaskRequest(types.Request[TaskIdParams, str]):
    pass


def _make_client_extension() -> Any:
    from mcp.client.extension import ClientExtension, ResultClaim

    class TasksClient(ClientExtension):
        """Follow klingkit's task answers to the end: poll ``tasks/get`` until the task is terminal.

        ``on_status(task_dict)`` sees every answer (for progress displays); ``max_wait`` bounds the whole
        follow (seconds), after which the task is cancelled (stop following) and the last state raised.
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

        async def _send(self, ctx: ClaimContext, method: str, task_id: str) -> TaskState:
            request = _TaskRequest(method=method, params=TaskIdParams(taskId=task_id))
            return await ctx.session.send_request(request, TaskState)

        async def _resolve(self, created: TaskCreated, ctx: ClaimContext) -> types.CallToolResult:
            self.created.append(created.model_dump(by_alias=True, mode="json"))
            task = created.task
            await self._seen(task)
            with anyio.move_on_after(self.max_wait):
                while True:
                    await anyio.sleep(task.get("pollIntervalMs", POLL_INTERVAL_MS) / 1000)
                    state = await self._send(ctx, "tasks/get", created.task["taskId"])
                    if state.task != task:
                        task = state.task
                        await self._seen(task)
                    if state.result is not None:
                        return types.CallToolResult.model_validate(state.result)
                    if task["status"] == "cancelled":
                        break
            await self._send(ctx, "tasks/cancel", created.task["taskId"])
            raise TimeoutError(f"task {created.task['taskId']} not finished: {task}")

        async def _seen(self, task: dict[str, Any]) -> None:
            if self.on_status is not None:
                maybe = self.on_status(task)
                if maybe is not None:
                    await maybe

    return TasksClient


def tasks_client(
    on_status: Callable[[dict[str, Any]], Awaitable[None] | None] | None = None, max_wait: float = 600.0
) -> Any:
    """A ``Client(extensions=[...])`` entry that follows klingkit's generate tasks to their result."""
    return _make_client_extension()(on_status=on_status, max_wait=max_wait)
