"""The batch runner's ledger calls run off its event loop, and ledger-before-send still holds.

Each create is checked, at the moment it is sent, from a second SQLite connection (what another process,
or a rerun after a kill, would see): the row's ``pending`` record is already committed. Another process
holding the ledger's write lock no longer freezes the run: its tasks keep being followed while no create
goes out without its record, and once the lock is released every row finishes, each created once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from klingkit.jobs._batch_rows import batch_id_for, parse_rows, plan_batch
from klingkit.jobs.batch import BatchRunner
from klingkit.jobs.ledger import Ledger

from .conftest import FakeClient, fake_prepare


class WatchedClient(FakeClient):
    """A fake Kling that looks at the ledger file, as another process would, when each create arrives."""

    def __init__(self, ledger_path: Path, **kw: Any) -> None:
        super().__init__(**kw)
        self.ledger_path = ledger_path
        self.unrecorded: list[str] = []  # creates whose pending record was not committed when sent
        self.on_create: list[Any] = []

    def committed_status(self, external_id: str) -> str | None:
        db = sqlite3.connect(f"file:{self.ledger_path}?mode=ro", uri=True, timeout=30.0)
        try:
            row = db.execute("SELECT status FROM tasks WHERE external_id = ?", (external_id,)).fetchone()
        finally:
            db.close()
        return str(row[0]) if row else None

    async def submit(self, spec: Any) -> Any:
        if self.committed_status(str(spec.external_id)) != "pending":
            self.unrecorded.append(str(spec.external_id))
        for hook in self.on_create:
            hook()
        return await super().submit(spec)


def _plan(tmp_path: Path, n: int) -> Any:
    lines = [{"kind": "video", "prompt": f"shot {i}", "output": f"shot-{i}"} for i in range(1, n + 1)]
    rows = parse_rows("\n".join(json.dumps(x) for x in lines).encode(), base_dir=tmp_path)
    bid = batch_id_for(str(tmp_path / "test.jsonl"), target="http://fake")
    return plan_batch(rows, batch_id=bid, source="test.jsonl", prepare=fake_prepare)


def _runner(client: FakeClient, ledger: Ledger, plan: Any, tmp_path: Path) -> BatchRunner:
    return BatchRunner(client, ledger, plan, out_dir=tmp_path / "out", concurrency=4, backoff_floor=0.01,
                       poll_floor=0.01)  # type: ignore[arg-type]  # fmt: skip


async def test_every_create_is_sent_after_its_pending_record_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    client = WatchedClient(path, task_seconds=0.02)
    plan = _plan(tmp_path, 12)
    with Ledger(path) as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()
        assert result.ok, result.rows
        assert client.creates == 12 and client.unrecorded == []
        # What the run reported is written by the time run() returns.
        recs = ledger.batch_tasks(plan.batch_id)
        assert [r.status for r in recs] == ["succeeded"] * 12 and all(r.task_id and r.files for r in recs)


async def test_another_process_holding_the_ledger_lock_does_not_freeze_the_run(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    client = WatchedClient(path, task_seconds=2.0)
    plan = _plan(tmp_path, 6)
    seen: dict[str, int] = {}
    released = threading.Event()

    def hold_the_lock() -> None:
        # Another process writing the ledger (a second klingkit, the webhook receiver) holds its write lock
        # until the run has followed its tasks through two status rounds, or 10 s have passed.
        db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        seen["status"] = client.status_requests
        for _ in range(200):
            if client.status_requests >= seen["status"] + 2:
                break
            released.wait(0.05)
        seen["status_while_locked"] = client.status_requests - seen["status"]
        db.execute("COMMIT")
        db.close()

    holder: list[threading.Thread] = []

    def first_create() -> None:
        if not holder:  # the first row's record is committed: lock the ledger now
            holder.append(threading.Thread(target=hold_the_lock))
            holder[0].start()

    client.on_create.append(first_create)
    with Ledger(path) as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()
        holder[0].join()
        assert result.ok, result.rows
        assert seen["status_while_locked"] >= 2, seen  # the loop kept following the running tasks
        assert client.creates == 6 and client.unrecorded == []  # none was sent without its record
        assert [r.status for r in ledger.batch_tasks(plan.batch_id)] == ["succeeded"] * 6


async def test_a_ledger_write_that_fails_stops_the_run_and_a_rerun_creates_nothing_twice(
    tmp_path: Path,
) -> None:
    """A report the runner could not write (a full disk) stops the run with the ledger's error, instead
    of leaving its row waiting for a deadline; what was recorded before is enough for a rerun to finish
    every row without creating any task again."""
    import asyncio

    import pytest

    from klingkit.errors import LedgerError

    class FullDisk(Ledger):
        def record_task(self, external_id: str, task: Any) -> None:
            if getattr(task, "done", False):
                raise LedgerError("cannot write the ledger: database or disk is full (injected)")
            super().record_task(external_id, task)

    path = tmp_path / "l.sqlite3"
    client = WatchedClient(path, task_seconds=0.05)
    plan = _plan(tmp_path, 4)
    with FullDisk(path) as ledger, pytest.raises(LedgerError, match="disk is full"):
        await asyncio.wait_for(_runner(client, ledger, plan, tmp_path).run(), timeout=60)
    created = client.creates
    assert 1 <= created <= 4 and client.unrecorded == []
    with Ledger(path) as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()  # the lease was released: it runs
        assert result.ok, result.rows
        assert client.creates == 4 and len(set(client.downloads)) == 4  # the first run's tasks reused
        assert sum(1 for r in result.rows if r.attempts == 1) == 4
