"""The installed ``klingkit video --model kling-4.0``: a 4.0 create carries no external id, so the ledger row
holds the request's fingerprint before it leaves; a lost answer or a killed process ends with exactly one
task, found through the task list and delivered."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ..media_files import streams_and_length
from .conftest import wait_for

pytestmark = pytest.mark.e2e
av = pytest.importorskip("av")


def _rows(home: Path) -> list[dict[str, Any]]:
    path = home / "ledger.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM tasks")]
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def test_lost_answer_and_rate_limited_list_end_with_one_delivered_task(cli: Any) -> None:
    cli.sandbox.set_faults([
        {"fault": "lost_response", "route": "create", "count": 1},
        {"fault": "1302", "route": "/tasks", "count": 1},
    ])  # fmt: skip
    res = cli.run("video", "a fox in snow", "--model", "kling-4.0", "-d", "3", "-o", "fox.mp4", "--json")
    assert res.code == 0, (res.stdout, res.stderr)
    out = json.loads(res.stdout)
    assert out["ok"] and out["status"] == "succeeded"
    kinds, seconds = streams_and_length(Path(out["files"][0]))
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3, abs=0.15)
    counters = cli.sandbox.counters()
    assert counters["creates"] == 1 and counters["requests"]["POST /text-to-video/kling-4.0"] == 1
    (row,) = _rows(cli.home)
    fingerprint = json.loads(row["fingerprint"])
    assert fingerprint["route"] == "POST /text-to-video/kling-4.0" and len(fingerprint["body_sha256"]) == 64
    assert row["status"] == "succeeded" and row["task_id"] == out["task_id"]


def test_sigkill_between_send_and_answer_then_resume_adopts_the_task(cli: Any) -> None:
    # The create is held 2 s before the server handles it: the process dies while its request is in flight.
    cli.sandbox.set_faults([{"fault": "slow", "route": "/text-to-video/kling-4.0", "delay": 2.0, "count": 1}])
    proc = cli.start("video", "killed in flight", "--model", "kling-4.0", "-d", "3", "--json")
    wait_for(lambda: cli.sandbox.counters()["requests"].get("POST /text-to-video/kling-4.0") == 1)
    proc.kill()
    proc.wait(timeout=30)
    (row,) = _rows(cli.home)
    assert row["status"] == "pending" and row["task_id"] is None and row["fingerprint"]
    wait_for(lambda: cli.sandbox.counters()["creates"] == 1)  # the server handled it after all
    res = cli.run("tasks", "wait", row["external_id"], "-o", "resumed.mp4", "--json")
    assert res.code == 0, (res.stdout, res.stderr)
    out = json.loads(res.stdout)
    assert out["status"] == "succeeded" and Path(out["files"][0]).exists()
    assert cli.sandbox.counters()["creates"] == 1  # adopted, never sent again
    (row,) = _rows(cli.home)
    assert row["task_id"] == out["task_id"] and row["status"] == "succeeded"


def test_video_keyframes_with_frame_and_last(cli: Any, photo: Path) -> None:
    res = cli.run("video", "the seasons pass", "-i", str(photo), "--frame", str(photo), "--frame", str(photo),
                  "--last", str(photo), "--model", "kling-4.0", "-d", "3", "-o", "k.mp4", "--json")  # fmt: skip
    assert res.code == 0, (res.stdout, res.stderr)
    kinds, seconds = streams_and_length(Path(json.loads(res.stdout)["files"][0]))
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3, abs=0.15)
    assert cli.sandbox.counters()["requests"]["POST /image-to-video/kling-4.0"] == 1
    refused = cli.run(
        "video", "x", "-i", str(photo), "--frame", str(photo), "--model", "kling-4.0-flash", "--json"
    )
    assert refused.code != 0 and "middle_frame" in json.loads(refused.stdout)["error"]["message"]


def test_models_lists_4_0_and_every_route(cli: Any) -> None:
    res = cli.run("models", "--json", base_url=False)
    assert res.code == 0, res.stderr
    out = json.loads(res.stdout)
    assert {"kling-4.0", "kling-4.0-flash"} <= {m["name"] for m in out["video"]}
    assert {"kling-image-4.0", "kling-long-image-4.0"} <= {m["name"] for m in out["image"]}
    paths = {r["path"] for r in out["routes"]}
    assert {"/v1/videos/avatar/image2video", "/motion-control/{model}", "/v1/videos/multi-elements"} <= paths
