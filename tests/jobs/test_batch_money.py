"""The batch runner against a real sandbox over HTTP: every promise about money, counted server-side.

Each test is a workflow a user runs (a 2026-model row, an edited file, a lost ledger, a foreign ``.part``)
and counts creates on the sandbox's side.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, prepare
from klingkit.jobs.batch import BatchResult, BatchRunner, load_plan
from klingkit.jobs.ledger import Ledger

sandbox_mod = pytest.importorskip("klingkit.sandbox")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with sandbox_mod.Sandbox(time_scale=0.0, seed=0) as sb:
        yield sb


@pytest.fixture
def sb(sandbox: Any) -> Any:
    sandbox.clear_faults()
    sandbox.reset()
    sandbox.configure(task_seconds=0.05)
    return sandbox


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def run_batch(sb: Any, file: Path, out: Path, ledger_path: Path, **kw: Any) -> BatchResult:
    async def go() -> BatchResult:
        client = AsyncKling(api_key=sb.api_key, base_url=sb.base_url, max_retries=3)
        try:
            extra = {"name": kw.pop("name")} if "name" in kw else {}
            plan = load_plan(file, base_url=sb.base_url, prepare=prepare, **extra)
            assert not plan.errors, plan.errors
            with Ledger(ledger_path) as ledger:
                runner = BatchRunner(
                    client, ledger, plan, out_dir=out, concurrency=4, base_url=sb.base_url,
                    backoff_floor=0.01, poll_floor=0.01, **kw,
                )  # fmt: skip
                return await asyncio.wait_for(runner.run(), timeout=60)
        finally:
            await client.close()

    return asyncio.run(go())


ROWS_2026 = [
    {"kind": "video", "prompt": "a lighthouse at dusk", "model": "kling-2.6", "output": "new26"},
    {"kind": "video", "prompt": "a fox in snow", "model": "kling-3.0", "output": "new30"},
    {"kind": "video", "prompt": "a legacy shot", "output": "legacy"},
    {"kind": "image", "prompt": "a red kite", "output": "kite"},
]


def test_2026_model_rows_are_tracked_by_their_route_through_a_broken_download(
    sb: Any, tmp_path: Path
) -> None:
    """A kling-2.6 row whose first download fails must be found again on its own route (not 404)."""
    rows = _write(tmp_path / "rows.jsonl", ROWS_2026)
    out = tmp_path / "out"
    out.mkdir()
    (out / "new26.mp4.part").mkdir()  # the download of this row cannot write its file
    (out / "new30.mp4.part").mkdir()
    first = run_batch(sb, rows, out, tmp_path / "ledger.sqlite3")
    assert not first.ok
    (out / "new26.mp4.part").rmdir()
    (out / "new30.mp4.part").rmdir()
    second = run_batch(sb, rows, out, tmp_path / "ledger.sqlite3")
    assert second.ok, [r.error for r in second.rows]
    assert sb.counters()["creates"] == 4
    for name in ("new26.mp4", "new30.mp4", "legacy.mp4", "kite.png"):
        assert (out / name).stat().st_size > 0
    side = json.loads((out / "new26.mp4.json").read_text())
    assert side["model"] == "kling-2.6"
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        rec = next(r for r in ledger.find(limit=None) if r.model == "kling-2.6")
        assert rec.family == "new" and rec.route == "/text-to-video/kling-2.6"


def test_edited_file_creates_only_new_and_changed_rows_and_reordering_creates_nothing(
    sb: Any, tmp_path: Path
) -> None:
    rows = [{"kind": "image", "prompt": f"card {i}", "output": f"card-{i}"} for i in range(1, 5)]
    file = _write(tmp_path / "cards.jsonl", rows)
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    assert run_batch(sb, file, out, ledger).ok
    assert sb.counters()["creates"] == 4
    rows[1]["prompt"] = "card 2, fixed"  # one changed row
    rows.append({"kind": "image", "prompt": "card 5", "output": "card-5"})  # one new row
    _write(file, rows)
    result = run_batch(sb, file, out, ledger, force=True)
    assert result.ok, [r.error for r in result.rows]
    assert sb.counters()["creates"] == 6
    _write(file, list(reversed(rows)))
    assert run_batch(sb, file, out, ledger, force=True).ok
    assert sb.counters()["creates"] == 6
    assert sb.counters()["duplicate_external_ids"] == 0


def test_a_lost_ledger_adopts_every_task_and_pays_nothing(sb: Any, tmp_path: Path) -> None:
    file = _write(tmp_path / "rows.jsonl", ROWS_2026)
    out = tmp_path / "out"
    assert run_batch(sb, file, out, tmp_path / "ledger-a.sqlite3").ok
    assert sb.counters()["creates"] == 4
    again = run_batch(sb, file, out, tmp_path / "ledger-b.sqlite3")  # a new KLINGKIT_HOME
    assert again.ok, [r.error for r in again.rows]
    assert run_batch(sb, file, out, tmp_path / "ledger-c.sqlite3", retry_failed=True).ok
    assert sb.counters()["creates"] == 4


def test_a_file_of_another_task_is_never_overwritten(sb: Any, tmp_path: Path) -> None:
    file = _write(tmp_path / "rows.jsonl", [{"kind": "image", "prompt": "mine", "output": "x"}])
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.png").write_bytes(b"the user's own picture")
    result = run_batch(sb, file, out, tmp_path / "l.sqlite3")
    assert not result.ok and "--force" in (result.rows[0].error or "")
    assert (out / "x.png").read_bytes() == b"the user's own picture"
    assert run_batch(sb, file, out, tmp_path / "l.sqlite3", force=True).ok
    assert sb.counters()["creates"] == 1
    assert (out / "x.png").read_bytes() != b"the user's own picture"


def test_omni_and_solutions_rows_are_followed_on_their_routes(sb: Any, tmp_path: Path) -> None:
    """The other two families (2026 omni, 2026 solutions) through a broken first download and a rerun."""
    from PIL import Image

    Image.new("RGB", (600, 800), (200, 10, 10)).save(tmp_path / "person.png")
    Image.new("RGB", (600, 800), (10, 200, 10)).save(tmp_path / "shirt.png")
    rows = _write(
        tmp_path / "rows.jsonl",
        [
            {"kind": "omni-video", "prompt": "a dancer", "model": "kling-3.0-omni", "output": "omni"},
            {"kind": "try-on", "person_image": "person.png", "product_image": "shirt.png", "output": "fit"},
        ],
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "omni.mp4.part").mkdir()
    (out / "fit.png.part").mkdir()
    assert not run_batch(sb, rows, out, tmp_path / "ledger.sqlite3").ok
    (out / "omni.mp4.part").rmdir()
    (out / "fit.png.part").rmdir()
    again = run_batch(sb, rows, out, tmp_path / "ledger.sqlite3")
    assert again.ok, [r.error for r in again.rows]
    assert sb.counters()["creates"] == 2
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        routes = sorted((r.family, r.route) for r in ledger.find(limit=None))
    assert routes == [("new", "/omni-video/kling-3.0-omni"), ("solutions", "/solutions/virtual_try_on")]


def test_the_room_a_batch_needs_follows_its_rows_and_only_what_is_not_saved_yet(tmp_path: Path) -> None:
    from klingkit.jobs.batch import pending_output_bytes

    def need(rows: list[dict[str, Any]], out: Path) -> int:
        plan = load_plan(
            _write(tmp_path / "rows.jsonl", rows), base_url="http://127.0.0.1:1", prepare=prepare
        )
        assert not plan.errors, plan.errors
        return pending_output_bytes(plan.rows, out)

    out = tmp_path / "out"
    short = need([{"kind": "video", "prompt": "a", "output": "a"}], out)
    longer = need([{"kind": "video", "prompt": "a", "duration": 10, "output": "a"}], out)
    sharper = need([{"kind": "video", "prompt": "a", "duration": 10, "mode": "pro", "output": "a"}], out)
    assert 0 < short < longer < sharper
    one, four = (need([{"kind": "image", "prompt": "b", "n": n, "output": "b"}], out) for n in (1, 4))
    assert one < four
    both = [{"kind": "video", "prompt": "a", "output": "a"}, {"kind": "image", "prompt": "b", "output": "b"}]
    out.mkdir()
    (out / "a.mp4").write_bytes(b"saved")  # a resumed batch needs room only for what is still to save
    (out / "b.png.part").write_bytes(b"not yet")
    assert need(both, out) == one


ROWS_4 = [
    {"kind": "video", "model": "kling-4.0", "prompt": "a 4.0 shot", "duration": 3, "output": "k4"},
    {"kind": "video", "prompt": "a legacy shot", "output": "legacy"},
]


def test_a_lost_ledger_never_pays_again_for_a_kling_4_row(sb: Any, tmp_path: Path) -> None:
    """Kling 4.0 rows carry no external id: with the ledger gone, the row's task is found again through what
    the batch kept in --out (the task id), never created a second time."""
    file = _write(tmp_path / "rows.jsonl", ROWS_4)
    out = tmp_path / "out"
    assert run_batch(sb, file, out, tmp_path / "ledger-a.sqlite3").ok
    assert sb.counters()["creates"] == 2
    again = run_batch(sb, file, out, tmp_path / "ledger-b.sqlite3")  # a new KLINGKIT_HOME
    assert again.ok, [r.error for r in again.rows]
    assert sb.counters()["creates"] == 2 and sb.counters()["duplicate_external_ids"] == 0


def test_a_kling_4_row_sent_then_killed_then_ledger_lost_is_adopted(sb: Any, tmp_path: Path) -> None:
    """The runner recorded a 4.0 row, sent its create and was killed before the answer; then the ledger
    was lost. The fingerprint kept in --out finds the task through the task list: 1 create in all."""
    from klingkit import AsyncKling as Client
    from klingkit import request_fingerprint
    from klingkit.jobs._batch_marks import write_claim

    file = _write(tmp_path / "rows.jsonl", ROWS_4[:1])
    out = tmp_path / "out"
    plan = load_plan(file, base_url=sb.base_url, prepare=prepare)
    spec = plan.rows[0].spec
    write_claim(out, str(spec.external_id), fingerprint=request_fingerprint(spec).to_dict())

    async def send_and_die() -> None:
        async with Client(api_key=sb.api_key, base_url=sb.base_url) as previous_process:
            await previous_process.submit(spec)

    asyncio.run(send_and_die())
    assert sb.counters()["creates"] == 1
    result = run_batch(sb, file, out, tmp_path / "new-ledger.sqlite3")
    assert result.ok, [r.error for r in result.rows]
    assert sb.counters()["creates"] == 1
    assert (out / "k4.mp4").exists()


def test_kling_4_rows_whose_answers_are_lost_are_each_found_never_confused(sb: Any, tmp_path: Path) -> None:
    """Three 4.0 rows, every create answer lost: the task list tells tasks apart only by time, so the
    runner sends one such create at a time and finds each before the next; 3 creates, each row its own."""
    rows = [{"kind": "video", "model": "kling-4.0", "prompt": f"lost {i}", "duration": 3, "output": f"k{i}"}
            for i in range(3)]  # fmt: skip
    sb.set_faults([{"fault": "lost_response", "route": "create", "count": 3}])
    result = run_batch(sb, _write(tmp_path / "rows.jsonl", rows), tmp_path / "out", tmp_path / "l.sqlite3")
    assert result.ok, [r.error for r in result.rows]
    assert sb.counters()["creates"] == 3
    assert len({r.task_id for r in result.rows}) == 3
