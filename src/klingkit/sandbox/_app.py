"""The Kling-compatible ASGI app, assembled from route modules.

Each route module has one job and offers ``routes() -> list[Route]``; :data:`ROUTE_GROUPS` lists those
functions in matching order. To add routes (a new API family, a new solution), write a module
``_routes_<name>.py`` with a ``routes()`` function and add it to :data:`ROUTE_GROUPS`; take the gate,
envelope and parsing helpers from :mod:`._http` and the state from :mod:`._state`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import _edit, _library, _routes_account, _routes_admin, _routes_files, _routes_tasks
from ._config import SandboxConfig
from ._errors import KlingFailure
from ._http import error_response, state_of
from ._lenient import CollapseSlashes
from ._state import SandboxState

# Route groups, in matching order (Starlette takes the first route that matches).
ROUTE_GROUPS: tuple[Callable[[], list[Route]], ...] = (
    _routes_tasks.routes,
    _routes_account.routes,
    _routes_files.routes,
    _routes_admin.routes,
    _library.routes,  # elements and voices: presets and deletes (2026-H2)
    _edit.routes,  # multi-element editing: the selection session steps
)


def _routes() -> list[Route]:
    return [route for group in ROUTE_GROUPS for route in group()]


async def _unknown_route(request: Request, exc: Exception) -> Response:
    # Kling answers a path or method it does not have with 404/1202 in its usual envelope.
    sb = state_of(request)
    failure = KlingFailure(1202, f"The requested method is invalid: {request.method} {request.url.path}")
    return error_response(sb, failure)


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
        routes=_routes(),
        lifespan=lifespan,
        exception_handlers={404: _unknown_route, 405: _unknown_route},
        middleware=[Middleware(CollapseSlashes)],
    )
    app.state.sandbox = sandbox
    return app
