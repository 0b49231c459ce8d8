"""Where Kling is lenient, the sandbox is too: clients in the wild depend on it.

- The old ``model`` field of legacy create bodies is accepted and behaves like an empty ``model_name``:
  the route's default model (kling-v1 for video and image generation), whatever it names (kling-api.md
  §2.0, H). It is never read as the model name.
- Repeated slashes in a path (``/v1/images/kolors-virtual-try-on//{id}``) are read as one; a widely used
  client has polled such a path for years and its users get results (``_policy.CHOICES["double_slash"]``).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

_SLASHES = re.compile(r"/{2,}")


def legacy_body(body: Any) -> Any:
    """A legacy create body as Kling reads it: ``model`` dropped, so ``model_name`` (or the default) rules."""
    if isinstance(body, dict) and "model" in body:
        return {k: v for k, v in body.items() if k != "model"}
    return body


class CollapseSlashes:
    """ASGI middleware: ``//`` (and longer runs) in the request path become ``/`` before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = _SLASHES.sub("/", scope["path"])
            raw = scope.get("raw_path")
            if isinstance(raw, bytes):
                scope["raw_path"] = re.sub(rb"/{2,}", b"/", raw)
        await self.app(scope, receive, send)
