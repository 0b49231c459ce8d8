"""One sandbox server per test module, reset before every test; its clock moves only when a test says so."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from klingkit.sandbox import Sandbox

from .media_server import MediaServer


class ManualClock:
    """Unix seconds that stand still until ``advance`` is called (thread-safe reads)."""

    def __init__(self) -> None:
        self._now = time.time()
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="module")
def server(clock: ManualClock) -> Iterator[Sandbox]:
    with Sandbox(time_scale=0.0, seed=7, clock=clock) as sb:
        yield sb


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    server.reset()
    return server


@pytest.fixture
def web() -> Iterator[MediaServer]:
    """A web server on 127.0.0.1 serving the test's input files (and receiving callbacks)."""
    server = MediaServer()
    yield server
    server.close()


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A raw HTTP client holding the sandbox's API key."""
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=30) as client:
        yield client


def png_base64(width: int, height: int, fmt: str = "PNG") -> str:
    """A solid-colour image of width x height px as raw base64 (no data: prefix)."""
    import base64

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buf, format=fmt)
    return base64.b64encode(buf.getvalue()).decode()


def data(response: httpx.Response) -> Any:
    """The ``data`` of a successful Kling answer (asserting it was one)."""
    body = response.json()
    assert response.status_code == 200 and body["code"] == 0, body
    return body["data"]


def failure(response: httpx.Response) -> tuple[int, int, str]:
    """(HTTP status, Kling code, message) of an error answer."""
    body = response.json()
    assert set(body) == {"code", "message", "request_id"}, body
    return response.status_code, body["code"], body["message"]
