"""Running the sandbox: in a background thread for tests and scripts, or in the foreground for the CLI."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from klingkit._localca import is_loopback

from ._app import create_app
from ._config import SandboxConfig
from ._tls import ServerCert, server_cert, trust_lines

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


def _base_url(host: str, port: int, tls: bool = False, public_host: str | None = None) -> str:
    """The URL clients use. With TLS it names a host (``localhost`` or ``public_host``), never an IP
    literal: many clients refuse result URLs on IP addresses, and the certificate is issued to names."""
    if tls or public_host:
        name = public_host or "localhost"
        return f"{'https' if tls else 'http'}://{name}:{port}"
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _sockets(host: str, port: int, named: bool) -> list[socket.socket]:
    """The listening socket, plus ``::1`` on the same port when clients reach the sandbox as
    ``localhost`` (some resolve it to ::1 first and do not fall back to 127.0.0.1)."""
    first = _bind(host, port)
    sockets = [first]
    if named and host == "127.0.0.1" and socket.has_ipv6:
        with contextlib.suppress(OSError):
            sockets.append(_bind("::1", first.getsockname()[1]))
    return sockets


def _uvicorn_server(app: Any, cert: ServerCert | None = None) -> Any:
    import uvicorn

    _quiet_dropped_connections()
    tls: dict[str, Any] = {}
    if cert is not None:
        tls = {"ssl_certfile": str(cert.certfile), "ssl_keyfile": str(cert.keyfile)}
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", **tls)
    return uvicorn.Server(config)


def _private_urls(host: str, asked: bool | None) -> bool:
    """Whether input URLs on private addresses are fetched: as asked, else only when listening on
    loopback (a sandbox reachable from the network must not fetch the user's network for anyone)."""
    return asked if asked is not None else is_loopback(host)


def _own_urls(host: str, port: int, base_url: str) -> tuple[str, ...]:
    """The sandbox's own origins (its result URLs, fed back in as inputs, are always fetched)."""
    return (base_url, f"http{'s' if base_url.startswith('https') else ''}://127.0.0.1:{port}")


def _admin_verify(cert: ServerCert | None) -> ssl.SSLContext | bool:
    if cert is None:
        return True
    return ssl.create_default_context(cafile=str(cert.ca_file))


class Sandbox:
    """A Kling-compatible server on a free port of 127.0.0.1, in a background thread.

    ``time_scale`` multiplies the model-based task time (1.0 about as slow as Kling, 0.0 instant);
    ``seed`` makes task ids, outputs and fault coin tosses repeatable (without it, task ids are unique
    across sandboxes and restarts); ``state`` is a SQLite file that keeps tasks across restarts.
    ``tls=True`` serves https on ``https://localhost:<port>`` (or ``public_host``) with a certificate from
    the local sandbox CA (:attr:`ca_file`), which klingkit trusts by itself. ``private_urls``: whether
    input URLs on loopback or private addresses are fetched (default: only when ``host`` is loopback).
    Other keyword arguments are :class:`SandboxConfig` fields.

        with Sandbox(time_scale=0.0, seed=0) as sb:
            client = Kling(api_key=sb.api_key, base_url=sb.base_url)
    """

    def __init__(
        self,
        time_scale: float = 1.0,
        seed: int | None = None,
        *,
        state: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        tls: bool = False,
        public_host: str | None = None,
        private_urls: bool | None = None,
        **settings: Any,
    ) -> None:
        self.config = SandboxConfig(
            time_scale=float(time_scale),
            seed=seed or 0,
            id_seed=seed,
            state=Path(state) if state else None,
            private_urls=_private_urls(host, private_urls),
            **settings,
        )
        self._host, self._port, self._clock = host, port, clock
        self.tls, self.public_host = tls, public_host
        self._server: Any = None
        self._sockets: list[socket.socket] = []
        self._thread: threading.Thread | None = None
        self._admin: httpx.Client | None = None
        self._cert: ServerCert | None = None
        self.base_url = ""
        self.ca_file: Path | None = None  # the CA certificate clients must trust (tls only)

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
        named = self.tls or bool(self.public_host)
        sockets = _sockets(self._host, self._port, named)
        port = sockets[0].getsockname()[1]
        self.base_url = _base_url(self._host, port, self.tls, self.public_host)
        app.state.sandbox.base_url = self.base_url
        app.state.sandbox.own_urls = _own_urls(self._host, port, self.base_url)
        if named:
            app.state.sandbox.public_base_url = self.base_url
        if self.tls:
            self._cert = server_cert(self.public_host)
            self.ca_file = self._cert.ca_file
        self._server = _uvicorn_server(app, self._cert)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": sockets}, name="klingkit-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                for sock in sockets:
                    sock.close()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        self._sockets = sockets  # uvicorn serves on these very sockets; closed in stop()
        self._admin = httpx.Client(base_url=self.base_url, timeout=30.0, verify=_admin_verify(self._cert))
        return self

    def trust_lines(self) -> list[str]:
        """Shell lines that make common clients (Python, requests, Node, curl) trust this sandbox."""
        return trust_lines(self.ca_file) if self.ca_file else []

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        for sock in self._sockets:
            sock.close()
        if self._cert is not None:
            self._cert.remove()
        self._server = self._thread = self._cert = None
        self._sockets = []

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


class PortInUseError(OSError):
    """The port the sandbox should listen on is taken."""


def env_lines(base_url: str, config: SandboxConfig) -> list[str]:
    """The lines a user pastes to point klingkit (and Kling clients reading these variables) here."""
    return [f"export KLING_BASE_URL={base_url}", f"export KLING_API_KEY={config.api_key}"]


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    time_scale: float = 1.0,
    seed: int | None = None,
    state: str | os.PathLike[str] | None = None,
    json_output: bool = False,
    *,
    tls: bool = False,
    public_host: str | None = None,
    private_urls: bool | None = None,
    render_processes: int = 0,
) -> None:
    """Serve the sandbox in the foreground until interrupted (Ctrl-C).

    Prints the base URL, the sandbox credentials and the ``export`` lines to paste first: as text for
    people, or as exactly one JSON line (``base_url``, ``api_key``, ``access_key``, ``secret_key``,
    ``time_scale``, ``seed``, ``state``, ``env`` {name: value}, ``tls``, ``ca_file``, ``trust_env``
    {name: value}, ``private_urls``) with ``json_output``. ``port`` 0 picks a free port; a port in use
    raises :class:`PortInUseError`. ``seed`` None: task ids unique across runs. ``private_urls`` None:
    input URLs on private addresses are fetched only when ``host`` is loopback. ``render_processes`` > 0
    renders outputs in that many worker processes, so downloads never slow the answers to creates and
    status checks under load; they end with the server.
    """
    config = SandboxConfig(
        time_scale=float(time_scale),
        seed=seed or 0,
        id_seed=seed,
        state=Path(state) if state else None,
        private_urls=_private_urls(host, private_urls),
        render_processes=render_processes,
    )
    named = tls or bool(public_host)
    try:
        sockets = _sockets(host, port, named)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(exc.errno, f"port {port} on {host} is already in use") from None
        raise
    app = create_app(config)
    base_url = _base_url(host, sockets[0].getsockname()[1], tls, public_host)
    app.state.sandbox.base_url = base_url
    app.state.sandbox.own_urls = _own_urls(host, sockets[0].getsockname()[1], base_url)
    if named:
        app.state.sandbox.public_base_url = base_url
    cert = server_cert(public_host) if tls else None
    exports = env_lines(base_url, config)
    trust = trust_lines(cert.ca_file) if cert else []
    info = {
        "base_url": base_url,
        "api_key": config.api_key,
        "access_key": config.access_key,
        "secret_key": config.secret_key,
        "time_scale": config.time_scale,
        "seed": seed,
        "state": str(config.state) if config.state else None,
        "env": dict(line.removeprefix("export ").split("=", 1) for line in exports),
        "tls": tls,
        "ca_file": str(cert.ca_file) if cert else None,
        "trust_env": dict(line.removeprefix("export ").split("=", 1) for line in trust),
        "private_urls": config.private_urls,
    }
    if json_output:
        print(json.dumps(info), flush=True)
    else:
        lines = [
            f"Kling sandbox listening on {base_url}",
            f"  API key:     {config.api_key}",
            f"  Access key:  {config.access_key}",
            f"  Secret key:  {config.secret_key}",
            f"  time scale {config.time_scale:g}, "
            + (f"seed {seed}" if seed is not None else "unique task ids")
            + f", state {info['state'] or 'in memory'}",
            "These are the sandbox's fixed, public credentials, not real Kling keys. Ctrl-C stops it.",
            "Input URLs on loopback or private addresses: "
            + (
                "fetched."
                if config.private_urls
                else "not fetched (listening beyond loopback; --private-urls allows them)."
            ),
            "",
            "Point a shell at it:",
            *(f"  {line}" for line in exports),
        ]
        if cert:
            lines += [
                "",
                f"TLS: certificates from the local sandbox CA {cert.ca_file}",
                "Make other clients trust it (klingkit trusts it already):",
                *(f"  {line}" for line in trust),
            ]
        print("\n".join(lines), flush=True)
    server = _uvicorn_server(app, cert)
    try:
        server.run(sockets=sockets)
    finally:
        for sock in sockets:
            sock.close()
        if cert:
            cert.remove()
        sys.stdout.flush()
