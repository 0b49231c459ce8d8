"""The batch runner against an in-memory fake client: exactly-once, resume, 1303, failures, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klingkit._exceptions import ServerError
from klingkit.jobs._batch_rows import batch_id_for, external_id_for, parse_rows, plan_batch, row_key
from klingkit.jobs._batch_sched import ConcurrencyWindow
from klingkit.jobs.batch import BatchBusyError, BatchRunner, write_reports
from klingkit.jobs.ledger import Ledger

from .conftest import FakeClient, fake_prepare


def _plan(tmp_path: Path, lines: list[dict[str, object]]) -> object:
    content = "\n".join(json.dumps(x) for x in lines).encode()
    rows = parse_rows(content, base_dir=tmp_path)
    bid = batch_id_for(str(tmp_path / "test.jsonl"), target="http://fake")
    return plan_batch(rows, batch_id=bid, source="test.jsonl", prepare=fake_prepare)


def _runner(client: FakeClient, ledger: Ledger, plan: object, tmp_path: Path, **kw: object) -> BatchRunner:
    kw.setdefault("concurrency", 4)
    kw.setdefault("backoff_floor", 0.01)
    kw.setdefault("poll_floor", 0.01)
    return BatchRunner(client, ledger, plan, out_dir=tmp_path / "out", **kw)  # type: ignore[arg-type]


def _rows(n: int, **extra: object) -> list[dict[str, object]]:
    return [{"kind": "video", "prompt": f"shot {i}", "output": f"shot-{i}", **extra} for i in range(1, n + 1)]


def test_plan_lists_every_invalid_row_at_once(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        [
            {"kind": "video", "prompt": "ok"},
            {"kind": "video"},
            {"kind": "teleport", "prompt": "x"},
            {"kind": "video", "prompt": "y", "duration": 7},
        ],
    )
    assert [e.index for e in plan.errors] == [2, 3, 4]  # type: ignore[attr-defined]
    assert "duration" in str(plan.errors[2])  # type: ignore[attr-defined]
    assert len(plan.rows) == 1  # type: ignore[attr-defined]


def test_csv_rows_and_aliases(tmp_path: Path) -> None:
    content = b"kind,prompt,model,ratio,duration,camera,output\nvideo,a cat,kling-v1,16:9,5,zoom_in,cat\n"
    plan = plan_batch(
        parse_rows(content, base_dir=tmp_path), batch_id="b" * 32, source="x", prepare=fake_prepare
    )
    spec = plan.rows[0].spec
    assert spec.params["model_name"] == "kling-v1"
    assert spec.params["aspect_ratio"] == "16:9"
    assert spec.params["duration"] == 5
    assert spec.params["camera_control"]["type"] == "simple"
    assert spec.external_id == external_id_for("b" * 32, row_key(spec))
    assert spec.external_id.startswith("kkb-bbbbbbbbbbbb-") and len(spec.external_id) == 33


def test_batch_id_depends_on_name_and_api_only() -> None:
    a = batch_id_for("/data/x.jsonl", target="http://a")
    assert a == batch_id_for("/data/x.jsonl", target="http://a/")
    assert a != batch_id_for("/data/y.jsonl", target="http://a")
    assert a != batch_id_for("/data/x.jsonl", target="http://b")


def test_row_identity_is_what_the_row_asks_for() -> None:
    def ids(lines: list[dict[str, object]]) -> list[str]:
        content = "\n".join(json.dumps(x) for x in lines).encode()
        plan = plan_batch(parse_rows(content, base_dir=Path(".")), batch_id="c" * 32, source="x",
                          prepare=fake_prepare, callback_url=None)  # fmt: skip
        return [str(r.spec.external_id) for r in plan.rows]

    a, b, c = ({"kind": "video", "prompt": p} for p in ("one", "two", "three"))
    assert ids([a, b, c]) == list(reversed(ids([c, b, a])))  # order does not matter
    assert ids([a, b])[0] == ids([a, {"kind": "video", "prompt": "changed"}])[0]
    twice = ids([a, a])
    assert len(set(twice)) == 2 and twice[0] == ids([a])[0]  # identical rows are two tasks
    assert ids([{**a, "id": "take-2"}]) != ids([a])  # an explicit id column is part of it


async def test_all_rows_once_each_with_coalesced_status(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=0.05)
    plan = _plan(tmp_path, _rows(12))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()
        assert result.ok, result.rows
        assert client.creates == 12
        assert sorted(client.downloads) == sorted(client.store)
        assert client.status_requests < 12 * 2
        recs = ledger.batch_tasks(plan.batch_id)  # type: ignore[attr-defined]
        assert [r.status for r in recs] == ["succeeded"] * 12
        assert all(Path(r.files[0]).name == f"shot-{r.row_index}.mp4" for r in recs)
        json_path, csv_path = write_reports(result, tmp_path / "out")
        doc = json.loads(json_path.read_text())
        assert doc["counts"] == {"succeeded": 12}
        assert csv_path.read_text().count("\n") == 13
        # A rerun finds nothing to do.
        again = await _runner(client, ledger, plan, tmp_path).run()
        assert again.ok and client.creates == 12 and len(client.downloads) == 12


async def test_policy_failures_are_not_retried_and_do_not_stop_others(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=0.01)
    rows = _rows(5)
    rows[1]["prompt"] = "sandbox-policy-block"
    rows[3]["prompt"] = "sandbox-risk-fail"
    plan = _plan(tmp_path, rows)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()
        by_row = {r.row: r for r in result.rows}
        assert [by_row[i].status for i in range(1, 6)] == [
            "succeeded",
            "failed",
            "succeeded",
            "failed",
            "succeeded",
        ]
        assert by_row[2].error_kind == "policy" and by_row[4].error_kind == "policy"
        assert "risk control" in (by_row[4].error or "")
        assert client.create_attempts == 5  # nothing retried
        # A rerun leaves them failed; --retry-failed tries again.
        again = await _runner(client, ledger, plan, tmp_path).run()
        assert client.create_attempts == 5 and not again.ok
        await _runner(client, ledger, plan, tmp_path, retry_failed=True).run()
        assert client.create_attempts == 7
        row4 = str(plan.rows[3].spec.external_id)  # type: ignore[attr-defined]
        assert ledger.get(f"{row4}-a2") is not None


async def test_1303_shrinks_the_window_and_everything_still_runs_once(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=0.03, limit=2)
    plan = _plan(tmp_path, _rows(10))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        runner = _runner(client, ledger, plan, tmp_path, concurrency=6)
        # The window after each 1303 (the final window may have grown back, so watch it on the way).
        shrunk_to: list[float] = []
        congested = runner.window.congested

        def watch(now: float, in_flight: int) -> float:
            delay = congested(now, in_flight)
            shrunk_to.append(runner.window.size)
            return delay

        runner.window.congested = watch  # type: ignore[method-assign]
        result = await runner.run()
        assert result.ok
        assert client.creates == 10
        assert client.create_attempts > 10  # some 1303s happened
        assert len(shrunk_to) == client.create_attempts - 10  # every 1303 reached the window ...
        assert min(shrunk_to) <= 3  # ... and it halved from 6 at least once


async def test_lost_create_answers_are_recovered_by_lookup_not_repost(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=0.01)
    client.lose_next = 3
    client.fail_next = [ServerError("boom", http_status=503, code=5001, retryable=True)]
    plan = _plan(tmp_path, _rows(6))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        result = await _runner(client, ledger, plan, tmp_path).run()
        assert result.ok
        assert client.creates == 6  # the fake asserts no external id is created twice
        assert len(client.downloads) == 6


async def test_resume_after_crash_awaits_in_flight_and_skips_finished(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=0.01)
    plan = _plan(tmp_path, _rows(3))
    bid = plan.batch_id  # type: ignore[attr-defined]
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        # A previous run recorded row 1 and sent its create, then died before hearing back.
        ledger.create_batch(bid)
        eid = plan.rows[0].spec.external_id  # type: ignore[attr-defined]
        ledger.record_pending(eid, feature="text2video", batch_id=bid, row_index=1)
        await client.submit(plan.rows[0].spec)  # type: ignore[attr-defined]
        # ... and holds a lease as a process that no longer exists.
        assert ledger.acquire_lease(bid, "nohost:1:dead", 60)
        with pytest.raises(BatchBusyError):
            await _runner(client, ledger, plan, tmp_path).run()
        ledger.release_lease(bid, "nohost:1:dead")
        result = await _runner(client, ledger, plan, tmp_path).run()
        assert result.ok
        assert client.creates == 3
        assert len(client.downloads) == 3


def test_window_aimd() -> None:
    w = ConcurrencyWindow(8, backoff_floor=1.0)
    assert w.slots == 8
    delay = w.congested(now=0.0, in_flight=8)
    assert w.slots == 4 and delay >= 1.0 and not w.open(0.5)
    w.congested(now=0.0, in_flight=4)
    assert w.slots == 2
    for _ in range(20):
        w.finished()
    assert 2 < w.slots <= 8


async def test_every_row_has_a_deadline_and_the_task_is_kept(tmp_path: Path) -> None:
    client = FakeClient(task_seconds=3600)  # a task that never finishes within the run
    plan = _plan(tmp_path, _rows(2))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        result = await _runner(client, ledger, plan, tmp_path, row_deadline=0.2).run()
        assert [r.status for r in result.rows] == ["failed", "failed"]
        assert {r.error_kind for r in result.rows} == {"timeout"}
        assert all("tasks wait" in (r.error or "") for r in result.rows)
        # The tasks are kept: their ledger records still say they run, so a rerun awaits them.
        assert {ledger.get(r.external_id).status for r in result.rows} <= {"submitted", "processing"}  # type: ignore[union-attr]
        assert client.creates == 2
