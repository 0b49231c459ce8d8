"""A local, Kling-compatible server for developing and testing without spending credits.

It speaks both API generations (legacy ``/v1/...`` and the 2026 model-in-path routes with ``/tasks``),
checks requests against the same catalog as the client, bills and limits concurrency per resource pack,
sends (optionally signed) callbacks, serves real playable outputs, and injects faults on request.
It shares nothing with the client library but :mod:`klingkit.catalog`, as a real server would.

    from klingkit.sandbox import Sandbox
    with Sandbox(time_scale=0.0, seed=0) as sb:
        sb.base_url, sb.api_key, sb.access_key, sb.secret_key

Needs the ``sandbox`` extra (starlette, uvicorn, PyAV, Pillow, numpy).
"""

from __future__ import annotations

from ._app import create_app
from ._config import DEFAULT_ACCESS_KEY, DEFAULT_API_KEY, DEFAULT_SECRET_KEY, SandboxConfig
from ._server import PortInUseError, Sandbox, serve

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET_KEY",
    "PortInUseError",
    "Sandbox",
    "SandboxConfig",
    "create_app",
    "serve",
]
