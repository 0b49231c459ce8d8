"""The installed ``klingkit batch`` against a sandbox in another process: chaos, SIGKILL, cost guard."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

KLINGKIT = shutil.which("klingkit") or str(Path(sys.executable).with_name("klingkit"))

_SANDBOX = """
import json, sys, time
from klingkit.sandbox import Sandbox
with Sandbox(time_scale=0.0, seed=7, state=sys.argv[1]) as sb:
    print(json.dumps({"base_url": sb.base_url}), flush=True)
    while True:
        time.sleep(3600)
"""


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX, str(tmp_path / "sandbox.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        yield str(json.loads(line)["base_url"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["KLINGKIT_HOME"] = str(tmp_path / "home")
    env["KLING_API_KEY"] = "sandbox-api-key"
    return env


def _recorded(home: Path) -> int:
    db = home / "ledger.sqlite3"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM tasks WHERE task_id IS NOT NULL").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _batch_cmd(rows: Path, url: str, out: Path, *extra: str) -> list[str]:
    return [KLINGKIT, "batch", str(rows), "--base-url", url, "--out", str(out), "-y", *extra]


def test_chaos_sixty_rows_two_sigkills_exactly_once(tmp_path: Path, sandbox_url: str) -> None:
    admin = httpx.Client(base_url=sandbox_url, timeout=10)
    admin.post("/_sandbox/config", json={"task_seconds": 0.6, "concurrency": {"image": 6}}).raise_for_status()
    admin.post(
        "/_sandbox/faults",
        json={
            "seed": 3,
            "rules": [
                {"fault": "5000", "route": "create", "probability": 0.08},
                {"fault": "lost_response", "route": "create", "probability": 0.1},
                {"fault": "1303", "route": "create", "probability": 0.1},
                {"fault": "slow", "route": "any", "probability": 0.1, "delay": 0.4},
                {"fault": "5001", "route": "query", "probability": 0.05},
            ],
        },
    ).raise_for_status()
    rows = tmp_path / "shots.jsonl"
    rows.write_text(
        "".join(
            json.dumps({"kind": "image", "prompt": f"storyboard shot {i}", "output": f"shot-{i:02d}"}) + "\n"
            for i in range(1, 61)
        )
    )
    out, home, env = tmp_path / "out", tmp_path / "home", _env(tmp_path)
    cmd = _batch_cmd(rows, sandbox_url, out, "--concurrency", "8", "--json", "-q")

    for kill_after in (12, 30):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while _recorded(home) < kill_after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["ok"] and result["counts"] == {"succeeded": 60}

    counters = admin.get("/_sandbox/counters").json()
    assert counters["creates"] == 60, counters
    assert counters["duplicate_external_ids"] == 0
    assert sum(counters["faults_injected"].values()) > 0
    print("sandbox counters:", json.dumps(counters))

    from PIL import Image

    files = sorted(out.glob("shot-*.png"))
    assert [f.stem for f in files] == [f"shot-{i:02d}" for i in range(1, 61)]
    for f in files:
        with Image.open(f) as im:
            im.load()

    con = sqlite3.connect(home / "ledger.sqlite3")
    recs = con.execute(
        "SELECT row_index, status, files, task_id FROM tasks WHERE batch_id = ? AND row_index IS NOT NULL",
        (result["batch_id"],),
    ).fetchall()
    con.close()
    assert len(recs) == 60
    assert {r[1] for r in recs} == {"succeeded"}
    assert sorted(Path(json.loads(r[2])[0]).name for r in recs) == [f.name for f in files]
    assert len({r[3] for r in recs}) == 60
    report = json.loads((out / f"batch-{result['batch_id'][:16]}.report.json").read_text())
    assert report["counts"] == {"succeeded": 60}


def test_estimate_over_max_cost_is_refused_before_any_create(tmp_path: Path, sandbox_url: str) -> None:
    rows = tmp_path / "big.csv"
    rows.write_text("kind,prompt,duration,mode\n" + "".join(f"video,scene {i},10,pro\n" for i in range(20)))
    done = subprocess.run(
        _batch_cmd(rows, sandbox_url, tmp_path / "out", "--max-cost", "1", "--json"),
        env=_env(tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 11, done.stdout + done.stderr
    assert json.loads(done.stdout)["error"]["type"] == "CostLimitExceeded"
    counters = httpx.get(sandbox_url + "/_sandbox/counters").json()
    assert counters["creates"] == 0 and counters["tasks"] == 0


def test_invalid_rows_are_listed_together_and_nothing_is_sent(tmp_path: Path, sandbox_url: str) -> None:
    rows = tmp_path / "bad.jsonl"
    rows.write_text(
        '{"kind": "video", "prompt": "fine"}\n{"kind": "video", "prompt": "x", "duration": 7}\n'
        '{"kind": "hologram", "prompt": "y"}\n'
    )
    done = subprocess.run(
        _batch_cmd(rows, sandbox_url, tmp_path / "out", "--json"), env=_env(tmp_path),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert [r["row"] for r in error["rows"]] == [2, 3]
    assert httpx.get(sandbox_url + "/_sandbox/counters").json()["creates"] == 0


def test_a_row_with_nan_is_refused_before_any_create(tmp_path: Path, sandbox_url: str) -> None:
    rows = tmp_path / "nan.jsonl"
    rows.write_text(
        '{"kind": "image", "prompt": "fine"}\n'
        '{"kind": "video", "prompt": "x", "watermark_info": {"enabled": NaN}}\n'
    )
    done = subprocess.run(
        _batch_cmd(rows, sandbox_url, tmp_path / "out", "--json"), env=_env(tmp_path),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    error = json.loads(done.stdout)["error"]
    assert [(r["row"], r["field"]) for r in error["rows"]] == [(2, "watermark_info.enabled")]
    assert httpx.get(sandbox_url + "/_sandbox/counters").json()["creates"] == 0
