"""Helpers for the library-core unit tests: a scripted Kling behind httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "sk-test-secret-0123456789abcdef-long"
ACCESS = "ak-test-access"


def fixture(name: str) -> Any:
    """A JSON fixture from tests/unit/fixtures (Appendix A of the reference, comments stripped)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def ok(data: Any, request_id: str = "rid-1") -> httpx.Response:
    """A successful Kling envelope."""
    return httpx.Response(200, json={"code": 0, "message": "SUCCEED", "request_id": request_id, "data": data})


def err(status: int, code: int | None, message: str = "boom", **headers: str) -> httpx.Response:
    """A Kling error body (or a bare status when code is None)."""
    if code is None:
        return httpx.Response(status, text="<html>gateway</html>", headers=headers)
    return httpx.Response(
        status, json={"code": code, "message": message, "request_id": f"rid-{code}"}, headers=headers
    )


class Clock:
    """A fake clock (seconds) that sleeping advances; records the sleeps."""

    def __init__(self, start: float = 1_781_080_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass(frozen=True)
class Spec:
    """A RequestSpec look-alike (the endpoint layer's real one is tested there)."""

    feature: str = "text2video"
    method: str = "POST"
    path: str = "/v1/videos/text2video"
    body: dict[str, Any] = field(default_factory=lambda: {"model_name": "kling-v2-6", "prompt": "a fox"})
    family: str = "legacy"
    pack: str = "video"
    params: dict[str, Any] = field(default_factory=lambda: {"model_name": "kling-v2-6", "prompt": "a fox"})
    query: dict[str, Any] | None = None
    external_id: str | None = None
    warnings: tuple[str, ...] = ()
    sync: bool = False

    def with_external_id(self, eid: str) -> Spec:
        body = dict(self.body)
        if self.family == "legacy":
            body["external_task_id"] = eid
        else:
            body["options"] = {**body.get("options", {}), "external_task_id": eid}
        return replace(self, body=body, external_id=eid)


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_client(clock: Clock) -> Callable[..., Any]:
    """make_client(handler, **kwargs) -> Kling over MockTransport with the fake clock and sleep."""
    from klingkit import Kling

    made: list[Any] = []

    def make(handler: Handler, **kwargs: Any) -> Any:
        kwargs.setdefault("access_key", ACCESS)
        kwargs.setdefault("secret_key", SECRET)
        kwargs.setdefault("base_url", "https://api-singapore.klingai.com")
        client = Kling(transport=httpx.MockTransport(handler), clock=clock, sleep=clock.sleep, **kwargs)
        made.append(client)
        return client

    yield make
    for c in made:
        c.close()


@pytest.fixture
def make_async_client(clock: Clock) -> Callable[..., Any]:
    from klingkit import AsyncKling

    def make(handler: Handler, **kwargs: Any) -> Any:
        kwargs.setdefault("access_key", ACCESS)
        kwargs.setdefault("secret_key", SECRET)
        kwargs.setdefault("base_url", "https://api-singapore.klingai.com")
        return AsyncKling(transport=httpx.MockTransport(handler), clock=clock, sleep=clock.asleep, **kwargs)

    return make


@pytest.fixture
def kk() -> Any:
    """The helpers above, for test modules (importlib mode cannot import conftest directly)."""
    import types

    return types.SimpleNamespace(
        ok=ok, err=err, Spec=Spec, fixture=fixture, SECRET=SECRET, ACCESS=ACCESS, Clock=Clock
    )
