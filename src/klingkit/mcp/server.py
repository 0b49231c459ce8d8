"""The MCP server: the registry's operations as tools, over stdio or streamable HTTP.

Built on the official ``mcp`` SDK's low-level :class:`mcp.server.Server` so that every input schema is the
registry's (generated from the catalog), not one inferred from Python signatures. Generate tools answer
within a second or two with a handle; :mod:`._follow` follows the task in the background, and the MCP
Tasks extension (:mod:`._tasks`) lets a client that supports it follow the call as a protocol task.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server import Server

from klingkit import __version__, ops

from ._errors import ToolError, from_exception
from ._service import STATELESS_SESSION, STDIO_SESSION, Progress, Service
from ._service import Guards as Guards
from ._tasks import TaskBoard, client_declared
from ._tasks import install as install_tasks

if TYPE_CHECKING:
    from klingkit import AsyncKling
    from klingkit.jobs.ledger import Ledger

logger = logging.getLogger("klingkit.mcp")

LOOPBACK = ("127.0.0.1", "localhost", "::1")
"""Hosts the HTTP server may listen on without a bearer token."""

INSTRUCTIONS = (
    "klingkit drives the Kling AI API. Generate tools cost money: each answer carries the estimate, and "
    "calls above the server's threshold need confirm=true (ask the user first). A generate call returns "
    "at once with a handle (external_id); the server's budget counts each MCP session separately. Follow it with task_status or task_result (which saves the "
    "files). Never call a generate tool twice for one request: pass an idempotency_key, and after a "
    "timeout or network error reuse the same key. Use estimate and models (free, offline) to explore. "
    "Errors say their kind: billing is not a rate limit; content_policy means change the input."
)


@dataclass
class Settings:
    """How one server process runs (the ``klingkit mcp`` options)."""

    output_dir: Path
    guards: Guards = field(default_factory=Guards)
    sandbox: bool = False
    base_url: str | None = None
    region: str | None = None


def _mcp_only(op: ops.Operation) -> dict[str, Any]:
    """Arguments every generate tool takes on top of the operation's own."""
    return {
        "idempotency_key": {
            "type": "string",
            "description": "Any unique string for this request: repeating the call with the same key returns "
            "the same task instead of creating (and paying for) another.",
        },
        "confirm": {
            "type": "boolean",
            "default": False,
            "description": "Set to true (after asking the user) when the estimate is above the server's "
            "confirmation threshold.",
        },
    }


def tool_for(op: ops.Operation, guards: Guards) -> types.Tool:
    """The MCP tool of one registry operation."""
    schema = op.input_schema()
    if op.paid:
        schema["properties"].update(_mcp_only(op))
        budget = (
            f" This session may spend ${guards.budget_usd:g} in all." if guards.budget_usd is not None else ""
        )
        cost = (
            f" Paid: the answer includes the estimate (units and USD at list price); above "
            f"${guards.confirm_above_usd:g} pass confirm=true.{budget} Returns at once with a handle."
        )
    elif op.name == "task_result":
        cost = " Free (downloads outputs already paid for)."
    else:
        cost = " Free." if op.network else " Free and offline."
    return types.Tool(
        name=op.name,
        title=op.title,
        description=op.summary + cost,
        input_schema=schema,
        annotations=types.ToolAnnotations(
            title=op.title,
            read_only_hint=not op.paid and op.name != "task_result",
            destructive_hint=False,
            idempotent_hint=not op.paid,
            open_world_hint=op.network,
        ),
    )


def _ok(payload: dict[str, Any]) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(payload, indent=1, default=str))],
        structured_content=payload,
    )


def _error(err: ToolError) -> types.CallToolResult:
    payload = err.to_json()
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(payload, indent=1, default=str))],
        structured_content=payload,
        is_error=True,
    )


def progress_sender(ctx: Any) -> Progress | None:
    """Progress notifications for this request, when the client asked for them (a progress token)."""
    meta = getattr(ctx, "meta", None) or {}
    token = meta.get("progress_token", meta.get("progressToken")) if isinstance(meta, dict) else None
    if token is None:
        return None
    count = 0

    async def send(message: str) -> None:
        nonlocal count
        count += 1
        request_id = getattr(ctx, "request_id", None)  # rides this request's stream (HTTP)
        related = None if request_id is None else str(request_id)
        await ctx.session.send_progress_notification(token, float(count), None, message, related)

    return send


def session_key(ctx: Any) -> str:
    """Which MCP session a request belongs to, for its budget.

    stdio serves one client; handshake-era HTTP clients carry ``Mcp-Session-Id``; 2026-07-28 HTTP requests
    are stateless (that protocol has no sessions), so they share one budget.
    """
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return STDIO_SESSION
    found = headers.get("mcp-session-id")
    return f"http:{found}" if found else STATELESS_SESSION


def _check_choices(op: ops.Operation, args: dict[str, Any]) -> None:
    """A free tool's argument outside its schema's allowed values is refused naming it (a paid tool's
    arguments are judged by the library, which names the field the same way)."""
    for p in op.params:
        allowed = p.schema.get("enum")
        if allowed is not None and args.get(p.name) is not None and args[p.name] not in allowed:
            raise ToolError(
                "validation",
                f"invalid {p.name}={args[p.name]!r}: allowed {', '.join(map(str, allowed))}",
                "use one of the allowed values; nothing was sent",
                field=p.name,
            )


async def call(
    service: Service,
    name: str,
    args: dict[str, Any],
    progress: Progress | None = None,
    session: str = STDIO_SESSION,
) -> dict[str, Any]:
    """Run tool ``name`` for ``session``; raises ToolError for anything the agent should read as a failure."""
    if name not in ops.OPERATIONS:
        raise ToolError("validation", f"unknown tool {name!r}", f"known tools: {', '.join(ops.OPERATIONS)}")
    op = ops.OPERATIONS[name]
    if op.paid:
        return await service.generate(name, args, session)
    _check_choices(op, args)
    if name == "estimate":
        return service.estimate(str(args.get("operation")), dict(args.get("arguments") or {}), session)
    if name == "task_status":
        return await service.status(str(args["handle"]))
    if name == "task_result":
        return await service.result(str(args["handle"]), float(args.get("wait_seconds") or 0), progress)
    if name == "list_tasks":
        limit = args.get("limit") or op.param("limit").schema["default"]
        search, status, batch = args.get("search"), args.get("status"), args.get("batch")
        return service.list_tasks(
            search, status, int(limit), unfinished=bool(args.get("unfinished")), batch=batch
        )
    if name == "models":
        return ops.models_overview(str(args.get("kind") or "all"))
    if name == "account_balance":
        return await service.balance()
    raise ToolError("internal", f"tool {name!r} has no runner", "this is a klingkit bug; please report it")


def build_server(
    settings: Settings,
    client: Callable[[], AsyncKling],
    ledger: Callable[[], Ledger],
    *,
    on_close: Callable[[], Any] | None = None,
) -> Server[Any]:
    """The MCP server; ``client``/``ledger`` are made on first use inside the server's event loop."""
    state: dict[str, Any] = {}
    tools = [tool_for(op, settings.guards) for op in ops.OPERATIONS.values()]

    def service() -> Service:
        found = state.get("service")
        if found is None:
            raise RuntimeError("the server is not running")
        return found  # type: ignore[no-any-return]

    def board() -> TaskBoard:
        found = state.get("board")
        if found is None:
            raise RuntimeError("the server is not running")
        return found  # type: ignore[no-any-return]

    @asynccontextmanager
    async def lifespan(_: Server[Any]) -> AsyncIterator[dict[str, Any]]:
        made: dict[str, Any] = {}

        def get_client() -> AsyncKling:
            if "client" not in made:
                made["client"] = client()
            return made["client"]  # type: ignore[no-any-return]

        svc = Service(
            get_client,
            ledger(),
            settings.output_dir,
            settings.guards,
            base_url=settings.base_url,
            sandbox=settings.sandbox,
        )
        state["service"] = svc
        state["board"] = TaskBoard(svc, lambda eid: svc.result(eid))
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(svc.follower.run)
                yield {"service": svc}
                tg.cancel_scope.cancel()
        finally:
            if "client" in made:
                await made["client"].close()
            svc.ledger.close()
            if on_close is not None:
                on_close()

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        args = dict(params.arguments or {})
        try:
            answer = await call(service(), params.name, args, progress_sender(ctx), session_key(ctx))
            if ops.OPERATIONS[params.name].paid and client_declared(ctx):
                # A Tasks-aware client follows the call as a protocol task (a claimed result shape).
                return board().created(answer)  # type: ignore[return-value]
            return _ok(answer)
        except Exception as exc:
            err = from_exception(exc)
            if err.kind == "internal":
                logger.exception("tool %s failed", params.name)
            return _error(err)

    server: Server[Any] = Server(
        "klingkit",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
    install_tasks(server, board)
    return server


# --- transports ------------------------------------------------------------------------------------


async def serve_stdio(server: Server[Any]) -> None:
    """Serve one client over this process's stdin/stdout until it closes."""
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class BearerToken:
    """ASGI guard: every request needs ``Authorization: Bearer <token>`` (compared in constant time)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                body = b'{"error": "a bearer token is required: Authorization: Bearer <token>"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(server: Server[Any], host: str, token: str | None) -> Any:
    """The streamable-HTTP ASGI app at ``/mcp``; refuses to listen beyond loopback without a token."""
    if host not in LOOPBACK and not token:
        raise ValueError(
            f"listening on {host} (beyond this machine) needs a bearer token: pass --token or set "
            "KLINGKIT_MCP_TOKEN"
        )
    app = server.streamable_http_app(host=host)
    return BearerToken(app, token) if token else app


async def serve_http(
    server: Server[Any],
    host: str,
    port: int,
    token: str | None,
    *,
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Serve streamable HTTP at ``http://host:port/mcp`` until cancelled."""
    import socket

    import uvicorn

    app = http_app(server, host, token)
    # proto=IPPROTO_TCP: asyncio then sets TCP_NODELAY on accepted connections (else ~40 ms per answer).
    sock = socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
    )
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    userver = uvicorn.Server(config)
    port = sock.getsockname()[1]

    async def announce() -> None:  # only once it accepts connections
        while not userver.started:
            await anyio.sleep(0.02)
        if on_ready is not None:
            on_ready(port)

    async with anyio.create_task_group() as tg:
        tg.start_soon(announce)
        await userver.serve(sockets=[sock])
        tg.cancel_scope.cancel()
