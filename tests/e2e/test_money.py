"""Money promises of the installed command, counted on the sandbox's side: nothing paid twice, nothing
paid for that cannot be saved, nothing lost to an ambiguous answer."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from .conftest import CLI, Result, wait_for

pytestmark = pytest.mark.e2e


def _json(res: Result) -> dict[str, Any]:
    return res.json()


# --- output conflicts are settled before money moves --------------------------------------------------


def test_existing_output_is_refused_before_the_create_unless_force(cli: CLI) -> None:
    target = cli.cwd / "clip.mp4"
    target.write_bytes(b"the user's own clip")
    res = cli.run("video", "a calm lake", "-o", "clip.mp4", "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    err = _json(res)["error"]
    assert "clip.mp4" in err["message"] and "--force" in (err["hint"] or "")
    assert "force=True" not in res.stdout + res.stderr
    assert cli.creates() == 0
    assert target.read_bytes() == b"the user's own clip"
    ok = cli.run("video", "a calm lake", "-o", "clip.mp4", "--force", "--json")
    assert ok.code == 0, ok.stderr
    assert cli.creates() == 1 and target.read_bytes() != b"the user's own clip"


def test_two_runs_cannot_both_claim_one_output(cli: CLI) -> None:
    cli.sandbox.configure(task_seconds=600)
    cli.env["KLINGKIT_POLL_EVERY"] = "1"  # see the finish soon after the clock jumps (documented setting)
    first = cli.start("video", "first claim", "-o", "same.mp4", "--json")
    wait_for(lambda: cli.creates() == 1)
    second = cli.run("video", "second claim", "-o", "same.mp4", "--json", timeout=20)
    assert second.code == 2, (second.stdout, second.stderr)
    assert "same.mp4" in _json(second)["error"]["message"]
    assert cli.creates() == 1
    cli.clock.advance(601)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert json.loads(out)["files"] == [str((cli.cwd / "same.mp4").resolve())]


def test_batch_out_that_cannot_be_written_is_refused_before_any_create(cli: CLI, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"kind": "image", "prompt": "a kite"}) + "\n")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    res = cli.run("batch", str(rows), "--out", str(blocker / "out"), "-y", "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    assert "--out" in _json(res)["error"]["message"]
    assert cli.creates() == 0
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        res = cli.run("batch", str(rows), "--out", str(ro), "-y", "--json")
        assert res.code == 2 and cli.creates() == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB file system of its own (tmpfs; needs root, as in CI's container)."""
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mnt)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_batch_out_on_a_disk_too_small_for_its_outputs_is_refused_before_any_create(
    cli: CLI, tmp_path: Path, small_disk: Path
) -> None:
    """The room needed is estimated from the rows (duration, resolution, count), not a fixed amount:
    one image fits on 24 MiB; ten 10 s 1080p videos do not, and nothing is paid for them."""
    videos = tmp_path / "videos.jsonl"
    videos.write_text(
        "".join(
            json.dumps({"kind": "video", "prompt": f"shot {i}", "mode": "pro", "duration": 10}) + "\n"
            for i in range(10)
        )
    )
    res = cli.run("batch", str(videos), "--out", str(small_disk / "v"), "-y", "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    err = _json(res)["error"]
    assert "--out" in err["message"] and "MiB free" in err["message"] and "nothing was sent" in err["message"]
    assert cli.creates() == 0
    image = tmp_path / "image.jsonl"
    image.write_text(json.dumps({"kind": "image", "prompt": "a kite", "output": "kite"}) + "\n")
    ok = cli.run("batch", str(image), "--out", str(small_disk / "i"), "-y", "--json")
    assert ok.code == 0, ok.stderr
    assert cli.creates() == 1
    with Image.open(small_disk / "i" / "kite.png") as img:
        img.verify()


# --- ambiguity is never resolved as "rejected" --------------------------------------------------------

LOST_THEN_RATE_LIMITED = [
    {"fault": "lost_response", "route": "create", "count": 1},
    {"fault": "1302", "route": "query", "count": 4},
]


def test_lost_create_answer_then_rate_limited_lookups_is_recovered_not_rejected(cli: CLI) -> None:
    cli.sandbox.set_faults(LOST_THEN_RATE_LIMITED, seed=1)
    res = cli.run("video", "lost then limited", "--json", timeout=120)
    assert res.code == 0, (res.stdout, res.stderr)
    assert cli.creates() == 1


def test_an_undecided_create_stays_unknown_and_is_resumed(cli: CLI) -> None:
    cli.sandbox.set_faults(
        [{"fault": "lost_response", "route": "create", "count": 1},
         {"fault": "1302", "route": "query", "count": 1000}], seed=1
    )  # fmt: skip
    res = cli.run("video", "never decided", "--json", "--max-retries", "0", timeout=180)
    assert res.code != 0 and res.code != 5, (res.stdout, res.stderr)
    err = _json(res)
    eid = err["external_id"]
    assert f"klingkit tasks wait {eid}" in json.dumps(err)
    con = sqlite3.connect(cli.home / "ledger.sqlite3")
    (status,) = con.execute("SELECT status FROM tasks WHERE external_id = ?", (eid,)).fetchone()
    con.close()
    assert status == "unknown"
    listed = cli.run("history", "--unfinished", "--json", base_url=False)
    assert eid in listed.stdout
    cli.sandbox.clear_faults()
    done = cli.run("tasks", "wait", eid, "--json")
    assert done.code == 0, done.stderr
    assert cli.creates() == 1


def test_batch_lost_create_then_rate_limited_lookups_then_retry_failed_pays_once(
    cli: CLI, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"kind": "video", "prompt": "batch lost then limited", "output": "a"}) + "\n")
    cli.sandbox.set_faults(LOST_THEN_RATE_LIMITED, seed=1)
    out = tmp_path / "out"
    res = cli.run("batch", str(rows), "--out", str(out), "-y", "--json", timeout=120)
    again = cli.run("batch", str(rows), "--out", str(out), "-y", "--json", "--retry-failed", timeout=120)
    assert again.code == 0, (res.stdout, again.stdout, again.stderr)
    assert cli.creates() == 1
    assert cli.sandbox.counters()["duplicate_external_ids"] == 0


# --- the embedded sandbox batch resumes -------------------------------------------------------------


def test_sandbox_batch_rerun_creates_nothing(cli: CLI, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"kind": "image", "prompt": f"p{i}"}) + "\n" for i in range(2)))
    cli.env["KLINGKIT_SANDBOX_TIME_SCALE"] = "0"
    cmd = ("batch", str(rows), "--sandbox", "--out", str(tmp_path / "out"), "-y", "--json")
    first = cli.run(*cmd, base_url=False, timeout=120)
    assert first.code == 0, first.stderr

    def tasks() -> int:
        con = sqlite3.connect(cli.home / "sandbox.sqlite3")
        try:
            return int(con.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])
        finally:
            con.close()

    assert tasks() == 2
    second = cli.run(*cmd, base_url=False, timeout=120)
    assert second.code == 0, second.stderr
    assert tasks() == 2
    assert _json(first)["batch_id"] == _json(second)["batch_id"]


# --- the ledger is a cache: a lost one is rebuilt from Kling, even on a busy account ----------------------


def _list_requests(cli: CLI) -> int:
    counts = cli.sandbox.counters()["requests"]
    return int(counts.get("GET /v1/images/generations", 0))


def test_a_lost_ledger_on_a_busy_legacy_account_finds_older_tasks_and_pays_nothing(
    cli: CLI, tmp_path: Path
) -> None:
    """More than a list page (500) of newer tasks on the row's legacy route: with a new KLINGKIT_HOME,
    discovery reads back through the batch's time window (kept in --out), adopts the rows' tasks and sends
    no create, not even one Kling refuses. The window bounds the reading: older tasks are not paged."""
    from klingkit import Kling

    def make(n: int, what: str) -> None:
        with Kling(api_key=cli.sandbox.api_key, base_url=cli.sandbox.base_url) as client:
            for i in range(n):
                client.images.generate(prompt=f"{what} {i}")

    def forget_ledger() -> None:
        for f in cli.home.glob("ledger.sqlite3*"):
            f.unlink()

    cli.clock.advance(-3 * 3600)
    make(480, "from before the batch")  # older than the batch's window
    cli.clock.advance(3 * 3600)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"kind": "image", "prompt": f"old row {i}"}) + "\n" for i in range(2)))
    out = tmp_path / "out"
    cmd = ("batch", str(rows), "--out", str(out), "-y", "--json")
    assert cli.run(*cmd).code == 0
    make(520, "someone else's")  # the account got busy: the batch's tasks are on page 2
    assert cli.creates() == 1002
    saved = {p: p.read_bytes() for p in out.glob("*.png")}
    assert len(saved) == 2

    forget_ledger()
    again = cli.run(*cmd, timeout=120)
    assert again.code == 0, again.stderr
    assert cli.creates() == 1002 and cli.sandbox.counters()["duplicate_external_ids"] == 0
    assert {p: p.read_bytes() for p in out.glob("*.png")} == saved  # their own files, kept

    # A row added later: the list is read back to the batch's start (page 2 holds older tasks), no further.
    rows.write_text(rows.read_text() + json.dumps({"kind": "image", "prompt": "a new row"}) + "\n")
    before = _list_requests(cli)
    third = cli.run(*cmd, timeout=120)
    assert third.code == 0, third.stderr
    assert cli.creates() == 1003 and cli.sandbox.counters()["duplicate_external_ids"] == 0
    assert _list_requests(cli) - before == 2
    for png in out.glob("*.png"):
        with Image.open(png) as img:
            img.verify()

    # Ledger and --out both gone: nothing says when the batch ran; Kling's "already exists" answer is
    # adopted instead, so still nothing is paid twice.
    forget_ledger()
    shutil.rmtree(out)
    fourth = cli.run(*cmd, timeout=120)
    assert fourth.code == 0, fourth.stderr
    assert cli.creates() == 1003
