"""The batch runner follows its tasks on the client's status hub, against the sandbox over HTTP: a batch
of short tasks costs at most K status requests per task, counted at the server, where K is what the
hub's own schedule (explored, then learned from the batch's finished tasks) plans for one task alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Task, TaskStatus, prepare
from klingkit._hub import StatusHub, Watch
from klingkit.jobs._batch_rows import batch_id_for, parse_rows, plan_batch
from klingkit.jobs._batch_sched import POLL_FLOOR
from klingkit.jobs.batch import BatchRunner
from klingkit.jobs.ledger import Ledger

pytestmark = pytest.mark.integration

ROWS, CONCURRENCY, TASK_SECONDS = 8, 4, 0.4
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def sb() -> Iterator[Any]:
    sandbox_mod = pytest.importorskip("klingkit.sandbox")
    with sandbox_mod.Sandbox(time_scale=0.0, seed=14) as sandbox:
        sandbox.configure(task_seconds=TASK_SECONDS, concurrency={"image": CONCURRENCY})
        yield sandbox


def checks_for_one_task(learned_from: int) -> int:
    """Status checks the hub plans for one task of ``TASK_SECONDS`` on its own (no request shared), for
    a throughput wait with the runner's floor, after ``learned_from`` tasks of its kind were seen
    finishing: the hub itself on a fake clock, the task ending exactly on time."""

    def task(tid: str, done: bool) -> Task:
        return Task(id=tid, status=TaskStatus.SUCCEEDED if done else TaskStatus.PROCESSING,
                    feature="images/generations", family="legacy", created_at=T0,
                    updated_at=T0 + timedelta(seconds=TASK_SECONDS if done else 0))  # fmt: skip

    hub = StatusHub(wall=lambda: T0.timestamp())
    for i in range(learned_from):
        hub.pace.observe(task(f"p{i}", True), TASK_SECONDS)
    hub.add(Watch(("a",), None, None, floor=POLL_FLOOR), [task("a", False)], now=0.0)
    now, checks = 0.0, 0
    while True:
        queries, next_at = hub.plan(now)
        if not queries:
            if next_at is None:
                return checks
            now = next_at
            continue
        checks += 1
        hub.apply(["a"], {"a": task("a", now >= TASK_SECONDS)}, [], now, None)


async def test_a_batch_of_short_tasks_costs_at_most_k_status_requests_per_task(
    sb: Any, tmp_path: Path
) -> None:
    rows = [{"kind": "image", "prompt": f"kite {i}", "output": f"k{i}"} for i in range(ROWS)]
    parsed = parse_rows("\n".join(json.dumps(r) for r in rows).encode(), base_dir=tmp_path)
    bid = batch_id_for(str(tmp_path / "b.jsonl"), target=sb.base_url)
    plan = plan_batch(parsed, batch_id=bid, source="b.jsonl", prepare=prepare)
    assert not plan.errors, plan.errors
    # K: the most the schedule plans for one task, before anything is learned (exploring) and after.
    k = max(checks_for_one_task(n) for n in (0, 1, 2, ROWS))
    assert 2 <= k <= 8
    before = sb.counters()
    async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
        with Ledger(tmp_path / "l.sqlite3") as ledger:
            runner = BatchRunner(client, ledger, plan, out_dir=tmp_path / "out", concurrency=CONCURRENCY,
                                 backoff_floor=0.01)  # fmt: skip
            result = await runner.run()
            learned = client._hub.pace.known()
    after = sb.counters()
    assert result.ok, result.rows
    assert after["creates"] - before["creates"] == ROWS
    used = after["status_queries"] - before["status_queries"]
    # Lost-ledger discovery reads one list page before the first create; the rest is the hub's.
    assert used <= k * ROWS + 1, (used, k)
    assert result.status_requests == used  # the run reports what the server counted
    # The hub learned the sandbox's pace from the batch itself (the catalog says 15-30 s).
    [(kind, (low, high))] = learned.items()
    assert kind[0] == "images/generations" and low < TASK_SECONDS < high < 1.0
