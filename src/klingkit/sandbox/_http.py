"""What every API route shares: the Kling envelope, the request gate (count, faults, auth), body parsing
and the small query-parameter readers.

Every API request passes the same gate, in this order: counted, fault rules consulted, credentials
checked, then handled; any :class:`KlingFailure` becomes Kling's error body with the matching HTTP status.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from . import _auth, _validation
from ._errors import KlingFailure, invalid
from ._faults import FaultRule
from ._state import SandboxState

Handler = Callable[[Request], Awaitable[Any]]


def ok(sb: SandboxState, data: Any) -> JSONResponse:
    return JSONResponse({"code": 0, "message": "SUCCEED", "request_id": sb.request_id(), "data": data})


def error_response(sb: SandboxState, failure: KlingFailure) -> JSONResponse:
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


def state_of(request: Request) -> SandboxState:
    sandbox: SandboxState = request.app.state.sandbox
    if not sandbox.base_url:
        sandbox.base_url = str(request.base_url).rstrip("/")
    return sandbox


def base_of(request: Request) -> str:
    """The base of result URLs: the public one when set (TLS), else the host the request came to."""
    public: str | None = request.app.state.sandbox.public_base_url
    return public or str(request.base_url).rstrip("/")


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise KlingFailure(1200, "Invalid request parameters: the body is not valid JSON") from None


async def gate(request: Request, kind: str, label: str, api_key_only: bool, handler: Handler) -> Response:
    """Count, inject faults, authenticate, handle, and shape the answer."""
    sb = state_of(request)
    rule: FaultRule | None = sb.faults.pick(kind, request.url.path)
    if rule is not None and rule.delay:
        # Read the request first: a slow server has received it, and handles it even if the client
        # hangs up meanwhile (what a client killed between send and answer must recover from). It is
        # counted only once whole, so a test that kills the client on seeing the count never kills it
        # between its headers and its body.
        await request.body()
    sb.counters.requests[label] = sb.counters.requests.get(label, 0) + 1
    if rule is not None:
        if rule.delay:
            await asyncio.sleep(rule.delay)
        if rule.code is not None:
            return error_response(sb, KlingFailure(rule.code))
        if rule.fault == "drop":
            return DroppedConnection()
    try:
        _auth.check(
            request.headers.get("authorization"), sb.config, api_key_only=api_key_only, now=sb.clock()
        )
        response = ok(sb, await handler(request))
    except KlingFailure as failure:
        response = error_response(sb, failure)
    if rule is not None and rule.fault == "lost_response":
        return DroppedConnection()
    return response


def int_param(request: Request, key: str, low: int, high: int, default: int) -> int:
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


def parse_ms(value: Any, name: str, default: int) -> int:
    """A millisecond time that may arrive as a number or a numeric string (Kling's own sample)."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"{name} must be a Unix time in milliseconds") from None


def cursor_offset(value: Any) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise invalid("cursor is not one this server handed out")


def filters(body: _validation.Body, keys: tuple[str, ...]) -> tuple[set[str], ...]:
    chosen: dict[str, set[str]] = {k: set() for k in keys}
    for i, raw in enumerate(body.items("filters", 0, 20)):
        item = _validation.Body(raw, f"filters[{i}].")
        key = item.choice("key", keys)
        values = item.items("values", 1, 100, required=True)
        chosen[key].update(str(v) for v in values)
    return tuple(chosen[k] for k in keys)
