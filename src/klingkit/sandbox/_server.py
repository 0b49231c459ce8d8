"""Running the sandbox: in a background thread for tests and scripts, or in the foreground for the CLI."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from ._app import create_app
from ._config import SandboxConfig

_START_TIMEOUT = 15.0  # seconds to wait for the server thread to accept connections


class _DroppedConnectionFilter(logging.Filter):
    """Keeps deliberate ``drop``/``lost_response`` faults out of the server's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, ConnectionAbortedError) and "sandbox fault" in str(exc))


def _quiet_dropped_connections() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DroppedConnectionFilter) for f in logger.filters):
        logger.addFilter(_DroppedConnectionFilter())


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only when the listening
    # socket says TCP, and without it every answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _uvicorn_server(app: Any) -> Any:
    import uvicorn

    _quiet_dropped_connections()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    return uvicorn.Server(config)


class Sandbox:
    """A Kling-compatible server on a free port of 127.0.0.1, in a background thread.

    ``time_scale`` multiplies the model-based task time (1.0 about as slow as Kling, 0.0 instant);
    ``seed`` makes ids, outputs and fault coin tosses repeatable; ``state`` is a SQLite file that keeps
    tasks across restarts. Other keyword arguments are :class:`SandboxConfig` fields.

        with Sandbox(time_scale=0.0, seed=0) as sb:
            client = Kling(api_key=sb.api_key, base_url=sb.base_url)
    """

    def __init__(
        self,
        time_scale: float = 1.0,
        seed: int = 0,
        *,
        state: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        **settings: Any,
    ) -> None:
        self.config = SandboxConfig(
            time_scale=float(time_scale), seed=seed, state=Path(state) if state else None, **settings
        )
        self._host, self._port, self._clock = host, port, clock
        self._server: Any = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._admin: httpx.Client | None = None
        self.base_url = ""

    @property
    def access_key(self) -> str:
        return self.config.access_key

    @property
    def secret_key(self) -> str:
        return self.config.secret_key

    @property
    def api_key(self) -> str:
        return self.config.api_key

    def start(self) -> Sandbox:
        """Start serving; returns once the server accepts connections."""
        app = create_app(self.config, clock=self._clock)
        sock = _bind(self._host, self._port)
        port = sock.getsockname()[1]
        self.base_url = _base_url(self._host, port)
        app.state.sandbox.base_url = self.base_url
        self._server = _uvicorn_server(app)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="klingkit-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        self._socket = sock  # uvicorn serves on this very socket; closed in stop()
        self._admin = httpx.Client(base_url=self.base_url, timeout=30.0)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        if self._admin is None:
            raise RuntimeError("the sandbox is not running; use it as a context manager or call start()")
        response = self._admin.request(method, path, json=body)
        if response.status_code >= 400:
            raise ValueError(response.json().get("error", response.text))
        return response.json()

    def counters(self) -> dict[str, Any]:
        """``GET /_sandbox/counters``: requests per route, creates, tasks, duplicates, faults injected."""
        result: dict[str, Any] = self._call("GET", "/_sandbox/counters")
        return result

    def set_faults(self, rules: list[dict[str, Any]], seed: int | None = None) -> None:
        """``POST /_sandbox/faults``: replace the fault rules (see ``klingkit.sandbox._faults``)."""
        self._call("POST", "/_sandbox/faults", {"seed": seed, "rules": rules})

    def clear_faults(self) -> None:
        """``DELETE /_sandbox/faults``."""
        self._call("DELETE", "/_sandbox/faults")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """``POST /_sandbox/config``: time_scale, task_seconds, concurrency, balances, url_ttl,
        retention_seconds, webhook_secret. Returns the settings now in force (without secrets)."""
        result: dict[str, Any] = self._call("POST", "/_sandbox/config", settings)
        return result

    def reset(self) -> None:
        """``POST /_sandbox/reset``: forget every task, counter and fault; restore the starting settings."""
        self._call("POST", "/_sandbox/reset")


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    time_scale: float = 1.0,
    seed: int = 0,
    state: str | os.PathLike[str] | None = None,
    json_output: bool = False,
) -> None:
    """Serve the sandbox in the foreground until interrupted (Ctrl-C).

    Prints the base URL and the sandbox credentials first: as text for people, or as exactly one JSON
    line (``base_url``, ``api_key``, ``access_key``, ``secret_key``, ``time_scale``, ``seed``, ``state``)
    with ``json_output``. ``port`` 0 picks a free port.
    """
    config = SandboxConfig(time_scale=float(time_scale), seed=seed, state=Path(state) if state else None)
    app = create_app(config)
    sock = _bind(host, port)
    base_url = _base_url(host, sock.getsockname()[1])
    app.state.sandbox.base_url = base_url
    info = {
        "base_url": base_url,
        "api_key": config.api_key,
        "access_key": config.access_key,
        "secret_key": config.secret_key,
        "time_scale": config.time_scale,
        "seed": config.seed,
        "state": str(config.state) if config.state else None,
    }
    if json_output:
        print(json.dumps(info), flush=True)
    else:
        print(
            f"Kling sandbox listening on {base_url}\n"
            f"  API key:     {config.api_key}\n"
            f"  Access key:  {config.access_key}\n"
            f"  Secret key:  {config.secret_key}\n"
            f"  time scale {config.time_scale:g}, seed {config.seed}, "
            f"state {info['state'] or 'in memory'}\n"
            "These are the sandbox's fixed, public credentials, not real Kling keys. Ctrl-C stops it.",
            flush=True,
        )
    server = _uvicorn_server(app)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        sys.stdout.flush()
