"""The sandbox's own admin routes (``/_sandbox/...``): counters, faults, config, reset. No auth; loopback
clients only."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._faults import parse_rules
from ._http import state_of
from ._state import SandboxState

LOOPBACK = ("127.0.0.1", "::1", "localhost", "testclient")


def _admin(
    handler: Callable[[Request, SandboxState], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    async def route(request: Request) -> Response:
        sb = state_of(request)
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


def routes() -> list[Route]:
    """Counters, faults (set/get/clear), config (set/get) and reset."""
    return [
        Route("/_sandbox/counters", _admin(_counters), methods=["GET"]),
        Route("/_sandbox/faults", _admin(_set_faults), methods=["POST"]),
        Route("/_sandbox/faults", _admin(_get_faults), methods=["GET"]),
        Route("/_sandbox/faults", _admin(_clear_faults), methods=["DELETE"]),
        Route("/_sandbox/config", _admin(_set_config), methods=["POST"]),
        Route("/_sandbox/config", _admin(_get_config), methods=["GET"]),
        Route("/_sandbox/reset", _admin(_reset), methods=["POST"]),
    ]
