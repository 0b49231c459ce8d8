"""Fakes for the batch runner's unit tests: a request spec, ``prepare`` and an in-memory async client."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from klingkit import catalog
from klingkit._base import _BaseKling
from klingkit._drive import AsyncDriver
from klingkit._exceptions import (
    ContentPolicyError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from klingkit._hub import StatusHub
from klingkit._models import Output, Page, Task, TaskStatus
from klingkit._status import _Query
from klingkit._tasks_async import AsyncTasks


@dataclass(frozen=True)
class FakeSpec:
    feature: str
    params: dict[str, Any]
    estimate: catalog.Estimate
    family: str = "legacy"
    external_id: str | None = None
    warnings: list[str] = field(default_factory=list)

    def with_external_id(self, eid: str) -> FakeSpec:
        return dataclasses.replace(self, external_id=eid)


def fake_prepare(feature: str, **params: Any) -> FakeSpec:
    if "prompt" not in params:
        raise ValidationError("prompt", None, "a text prompt")
    if params.get("duration") not in (None, 5, 10, "5", "10"):
        raise ValidationError("duration", params["duration"], (5, 10))
    pack = catalog.endpoint(feature).pack
    return FakeSpec(feature, params, catalog.Estimate.of(2.0 if pack == "video" else 1.0, pack, "fake"))


class FakeTasks:
    # The real follow of ``AsyncKling.tasks`` on the fake client's hub.
    iter_status = AsyncTasks.iter_status
    _follow = AsyncTasks._follow
    notify = AsyncTasks.notify

    def __init__(self, client: FakeClient) -> None:
        self.c = client
        self._client = client

    async def get(self, task_id: str, feature: str | None = None) -> Task:
        self.c.status_requests += 1
        return self.c.view(task_id)

    async def get_by_external_id(self, eid: str, feature: str | None = None) -> Task:
        self.c.status_requests += 1
        for tid, rec in self.c.store.items():
            if rec["external_id"] == eid:
                return self.c.view(tid)
        raise NotFoundError("no such task", http_status=404, code=1203)

    async def query(
        self, task_ids: list[str] | None = None, external_ids: list[str] | None = None
    ) -> list[Task]:
        self.c.status_requests += 1
        if external_ids is not None:
            wanted = set(external_ids)
            return [self.c.view(i) for i, r in self.c.store.items() if r["external_id"] in wanted]
        return [self.c.view(i) for i in task_ids or [] if i in self.c.store]

    async def list(self, feature: str, page: int = 1, page_size: int = 30) -> Page[Task]:
        self.c.status_requests += 1
        ids = list(self.c.store)[-page_size:]
        return Page(items=[self.c.view(i) for i in ids], page=page, page_size=page_size)


class FakeDriver(AsyncDriver):
    """The client's real status hub and driver loop; only the requests are answered from the store (one
    status request per planned query, counted like the others)."""

    async def _one(self, q: _Query) -> Any:
        c: FakeClient = self._client  # type: ignore[assignment]
        c.status_requests += 1
        return {tid: c.view(tid) for tid in q.ids if tid in c.store}, []


class FakeClient:
    """Tasks finish after ``task_seconds`` of the fake clock; scripted failures by prompt words. Waits
    go through a real :class:`StatusHub` (what ``AsyncKling`` does), answered by :class:`FakeDriver`."""

    max_wait: float | None = None
    poll_interval: float | None = None
    _custom_sleep = False
    _wait_state = _BaseKling._wait_state
    _watch = _BaseKling._watch
    _take = _BaseKling._take

    def __init__(self, clock: list[float] | None = None, task_seconds: float = 0.0, limit: int = 100) -> None:
        self.now = clock if clock is not None else [0.0]
        self.task_seconds = task_seconds
        self.limit = limit
        self.store: dict[str, dict[str, Any]] = {}
        self.creates = 0
        self.create_attempts = 0
        self.status_requests = 0
        self.downloads: list[str] = []
        self.fail_next: list[Exception] = []
        self.lose_next = 0
        self.tasks = FakeTasks(self)
        self._hub = StatusHub()
        self._driver = FakeDriver(self, self._hub)  # type: ignore[arg-type]

    def _monotonic(self) -> float:
        import time

        return time.monotonic()

    def running(self) -> int:
        import time

        t = time.monotonic()
        return sum(1 for r in self.store.values() if r["done_at"] > t)

    def view(self, task_id: str) -> Task:
        import time

        rec = self.store[task_id]
        done = time.monotonic() >= rec["done_at"]
        status = TaskStatus.PROCESSING
        outputs: list[Output] = []
        if done:
            status = TaskStatus.FAILED if rec["fail"] else TaskStatus.SUCCEEDED
            if not rec["fail"]:
                outputs = [Output(kind="video", url=f"https://cdn.invalid/{task_id}.mp4", format="mp4")]
        created = datetime(2026, 1, 1, tzinfo=timezone.utc)
        return Task(
            id=task_id,
            status=status,
            external_id=rec["external_id"],
            message=rec["fail"] if done else "",
            created_at=created,
            updated_at=created + timedelta(seconds=self.task_seconds if done else 0),
            outputs=outputs,
            units=2.0 if done and not rec["fail"] else None,
            feature=rec["feature"],
            family="legacy",
        )

    async def submit(self, spec: FakeSpec) -> Task:
        import time

        self.create_attempts += 1
        if self.fail_next:
            raise self.fail_next.pop(0)
        prompt = str(spec.params.get("prompt", ""))
        if "policy-block" in prompt:
            raise ContentPolicyError("content security policy", http_status=400, code=1301)
        if self.running() >= self.limit:
            raise RateLimitError("parallel task over resource pack limit", http_status=429, code=1303)
        for rec in self.store.values():
            assert rec["external_id"] != spec.external_id, "duplicate external id created"
        self.creates += 1
        tid = f"t{self.creates}"
        fail = "Failure to pass the risk control system" if "risk-fail" in prompt else ""
        self.store[tid] = {
            "external_id": spec.external_id,
            "feature": spec.feature,
            "done_at": time.monotonic() + self.task_seconds,
            "fail": fail,
        }
        if self.lose_next:
            self.lose_next -= 1
            raise ServerError("lost answer", http_status=500, code=5000, retryable=True)
        return self.view(tid)

    async def download(self, task: Task, dest: Path, sidecar: bool = True) -> list[Path]:
        assert task.outputs, "download of a task without outputs"
        self.downloads.append(task.id)
        dest.parent.mkdir(parents=True, exist_ok=True)
        path = dest
        path.write_bytes(b"fake video " + task.id.encode())
        return [path]


@pytest.fixture
def fake_client() -> FakeClient:
    client = FakeClient()
    return client
