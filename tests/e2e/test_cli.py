"""The installed ``klingkit`` command, run as a subprocess against a sandbox on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from klingkit import Kling
from klingkit.jobs.ledger import Ledger

from .conftest import CLI, Result

pytestmark = pytest.mark.e2e

ERROR_FIELDS = {"type", "code", "message", "request_id", "retryable", "hint"}
RESULT_FIELDS = {"task_id", "external_id", "status", "files", "units", "usd", "model"}


def _error(result: Result, exit_code: int) -> dict[str, Any]:
    assert result.code == exit_code, (result.code, result.stdout, result.stderr)
    obj = result.json()
    assert obj["ok"] is False
    assert set(obj["error"]) >= ERROR_FIELDS, obj
    return obj


def _ok(result: Result) -> dict[str, Any]:
    assert result.code == 0, (result.stdout, result.stderr)
    obj = result.json()
    assert obj["ok"] is True
    assert set(obj) >= RESULT_FIELDS, obj
    return obj


def _video_info(path: Path) -> tuple[float, int, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        rate = float(stream.average_rate or stream.guessed_rate)
        return frames / rate, stream.codec_context.width, stream.codec_context.height


def _wait_for(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def _ledger_rows(home: Path) -> list[sqlite3.Row]:
    path = home / "ledger.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return list(db.execute("SELECT * FROM tasks"))
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


# --- success paths ----------------------------------------------------------------------------------


def test_text_to_video_saves_a_decodable_mp4_of_the_asked_size_and_duration(cli: CLI) -> None:
    out = _ok(cli.run("video", "sunset over ocean", "-o", "sunset.mp4", "-d", "5", "-r", "9:16", "--json"))
    path = cli.cwd / "sunset.mp4"
    assert out["files"] == [str(path.resolve())]
    assert out["model"] == "kling-v2-6" and out["units"] > 0 and out["usd"] > 0
    duration, width, height = _video_info(path)
    assert abs(duration - 5.0) < 0.5
    assert (width, height) == (720, 1280)  # std = 720p, 9:16
    sidecar = json.loads(path.with_name("sunset.mp4.json").read_text())
    assert sidecar["task_id"] == out["task_id"] and sidecar["external_id"] == out["external_id"]
    # the sidecar says what was made, defaults included (no -m given: std)
    assert (sidecar["model"], sidecar["mode"], sidecar["duration"]) == ("kling-v2-6", "std", 5)
    assert sidecar["prompt"] == "sunset over ocean"
    (row,) = _ledger_rows(cli.home)
    assert row["external_id"] == out["external_id"] and row["status"] == "succeeded"


def test_plain_output_names_file_model_mode_units_and_usd(cli: CLI) -> None:
    res = cli.run("video", "a red fox", "-m", "standard", "-o", "fox.mp4")
    assert res.code == 0, res.stderr
    assert "fox.mp4" in res.stdout and "kling-v2-6" in res.stdout and "mode std" in res.stdout
    assert "units" in res.stdout and "$" in res.stdout
    assert "created" in res.stderr  # progress on stderr


def test_image_to_video_with_a_camera_preset(cli: CLI, photo: Path) -> None:
    out = _ok(
        cli.run(
            "video", "slow reveal", "-i", str(photo), "--model", "kling-v1-5", "-m", "pro",
            "-d", "5", "--camera", "zoom_in", "-o", "clip.mp4", "--json",
        )
    )  # fmt: skip
    assert out["camera_control"] == {"type": "simple", "config": {"zoom": 5}}
    assert out["feature"] == "image2video"
    duration, _, _ = _video_info(cli.cwd / "clip.mp4")
    assert abs(duration - 5.0) < 0.5


def test_camera_the_model_cannot_take_is_refused_before_sending(cli: CLI) -> None:
    res = cli.run("video", "x", "--camera", "zoom_in")
    assert res.code == 2
    assert "camera" in res.stderr and "kling-v1" in res.stderr  # names a model that can
    assert cli.creates() == 0


def test_image_n3_gives_three_pngs(cli: CLI) -> None:
    out = _ok(cli.run("image", "a red fox", "-n", "3", "-o", "imgs", "--json"))
    files = [Path(f) for f in out["files"]]
    assert len(files) == 3
    for f in files:
        assert f.suffix == ".png" and f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dry_run_sends_no_create(cli: CLI) -> None:
    out = cli.run("video", "sunset", "-d", "10", "-m", "pro", "--dry-run", "--json")
    assert out.code == 0, out.stderr
    obj = out.json()
    assert obj["ok"] is True and obj["dry_run"] is True
    assert obj["estimate"]["units"] == obj["units"] > 0 and obj["usd"] > 0
    assert cli.creates() == 0 and not cli.sandbox.counters()["requests"]
    cost = cli.run("cost", "video", "sunset", "-d", "10", "-m", "pro", "--json")
    assert cost.json()["units"] == obj["units"]


def test_max_cost_refuses_and_sends_nothing(cli: CLI) -> None:
    obj = _error(cli.run("video", "sunset", "-d", "10", "-m", "pro", "--max-cost", "0.05", "--json"), 11)
    assert obj["error"]["type"] == "CostLimitExceeded"
    # Above the confirmation threshold without a terminal: refused unless -y.
    obj = _error(cli.run("video", "sunset", "--confirm-above", "0.01", "--json"), 11)
    assert "-y" in obj["error"]["hint"]
    assert cli.creates() == 0


# --- bad input --------------------------------------------------------------------------------------


def test_bad_input_names_the_field_and_sends_nothing(cli: CLI) -> None:
    res = cli.run("video", "x", "-d", "7")
    assert res.code == 2 and "duration" in res.stderr
    obj = _error(cli.run("video", "x", "-d", "7", "--json"), 2)
    assert obj["error"]["field"] == "duration"
    obj = _error(cli.run("video", "x", "-r", "4:3", "--json"), 2)  # refused by the option parser
    assert "ratio" in obj["error"]["message"]
    res = cli.run("video", "x", "-i", "missing.png")
    assert res.code == 2 and "missing.png" in res.stderr
    assert not cli.sandbox.counters()["requests"]


# --- error paths ------------------------------------------------------------------------------------


def test_pack_used_up_1102(cli: CLI) -> None:
    cli.sandbox.configure(balances={"video": 0})
    obj = _error(cli.run("video", "x", "--json"), 4)
    assert obj["error"]["code"] == 1102 and "pack" in obj["error"]["hint"]
    res = cli.run("video", "x")
    assert res.code == 4 and "top up" in res.stderr


def test_content_policy_1301(cli: CLI) -> None:
    obj = _error(cli.run("video", "a sandbox-policy-block scene", "--json"), 6)
    assert obj["error"]["code"] == 1301 and "no credits" in obj["error"]["hint"]
    (row,) = _ledger_rows(cli.home)
    assert row["status"] == "rejected"


def test_risk_control_failure(cli: CLI) -> None:
    obj = _error(cli.run("video", "a sandbox-risk-fail scene", "--json"), 6)
    assert "risk control" in obj["error"]["message"] and "not charged" in obj["error"]["hint"]
    assert obj["task_id"]


def test_concurrency_1303(cli: CLI) -> None:
    cli.sandbox.configure(concurrency={"video": 1}, task_seconds=3600)
    with Kling(api_key=cli.sandbox.api_key, base_url=cli.sandbox.base_url) as client:
        # Kling counts concurrency per model version and pack (kling-api.md §7.1): hold the CLI's model's slot.
        client.videos.text_to_video(prompt="holds the only slot", model="kling-v2-6")
    obj = _error(cli.run("video", "x", "--model", "kling-v2-6", "--max-retries", "0", "--json"), 5)
    assert obj["error"]["code"] == 1303 and obj["error"]["retryable"] is True


def test_refused_key_names_its_source(cli: CLI) -> None:
    cli.env["KLING_API_KEY"] = "not-the-sandbox-key"
    obj = _error(cli.run("video", "x", "--json"), 3)
    assert "KLING_API_KEY" in obj["error"]["hint"] and "not-the-sandbox-key" not in str(obj)


# --- never losing a task ----------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_detaches_and_tasks_wait_finishes(cli: CLI, sig: signal.Signals) -> None:
    cli.sandbox.configure(task_seconds=600)
    proc = cli.start("video", "long one", "-o", "long.mp4")
    _wait_for(lambda: any(r["task_id"] for r in _ledger_rows(cli.home)))
    time.sleep(0.3)  # inside the wait loop
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    (row,) = _ledger_rows(cli.home)
    resume = f"klingkit tasks wait {row['external_id']}"
    assert resume in err and row["status"] in ("submitted", "processing")
    cli.clock.advance(601)
    out = _ok(cli.run("tasks", "wait", row["external_id"], "-o", "long.mp4", "--json"))
    assert out["status"] == "succeeded" and Path(out["files"][0]).exists()
    assert cli.creates() == 1


def test_sigkill_after_create_leaves_a_recoverable_row(cli: CLI) -> None:
    cli.sandbox.configure(task_seconds=600)
    proc = cli.start("video", "killed", "--json")
    _wait_for(lambda: cli.creates() == 1)
    proc.kill()
    proc.wait(timeout=30)
    (row,) = _ledger_rows(cli.home)
    assert row["status"] in ("pending", "submitted", "processing")
    cli.clock.advance(601)
    out = _ok(cli.run("tasks", "wait", row["external_id"], "--json"))
    assert out["status"] == "succeeded" and out["external_id"] == row["external_id"]
    assert cli.creates() == 1  # recovered, not created again
    with Ledger(cli.home / "ledger.sqlite3") as led:
        rec = led.get(row["external_id"])
        assert rec is not None and rec.status == "succeeded" and rec.files


def test_pending_row_without_task_is_recovered_by_external_id(cli: CLI) -> None:
    # As if killed between the ledger write and reading the create's answer.
    with Kling(api_key=cli.sandbox.api_key, base_url=cli.sandbox.base_url) as client:
        from klingkit import prepare

        spec = prepare("text2video", prompt="made elsewhere").with_external_id("kk-e2e-recover")
        client.submit(spec)
    with Ledger(cli.home / "ledger.sqlite3") as led:
        led.record_pending(
            "kk-e2e-recover", feature="text2video", prompt="made elsewhere", base_url=cli.sandbox.base_url
        )
    out = _ok(cli.run("tasks", "wait", "kk-e2e-recover", "--json"))
    assert out["external_id"] == "kk-e2e-recover" and out["files"]


def test_history_json_lists_runs(cli: CLI) -> None:
    _ok(cli.run("video", "first sunset", "--json"))
    res = cli.run("history", "sunset", "--json", base_url=False)
    assert res.code == 0, res.stderr
    obj = res.json()
    assert obj["ok"] is True and [t["prompt"] for t in obj["tasks"]] == ["first sunset"]


def test_help_is_offline_and_lists_exit_codes() -> None:
    from .conftest import klingkit_command

    res = subprocess.run([klingkit_command(), "--help"], capture_output=True, text=True, timeout=30)
    assert res.returncode == 0 and "Exit codes" in res.stdout and "130" in res.stdout


def test_sandbox_tasks_outlive_the_process(cli: CLI) -> None:
    cli.env["KLINGKIT_SANDBOX_TIME_SCALE"] = "0"
    first = _ok(cli.run("video", "offline fox", "--sandbox", "--no-download", "--json", base_url=False))
    assert first["sandbox"] is True and first["files"] == []
    # The URLs printed belong to a server that is gone; the answer says so and how to get the files.
    assert f"klingkit tasks download {first['external_id']}" in first["note"]
    # A later process starts a new embedded sandbox on the same state and finds the task from the ledger.
    got = cli.run("tasks", "get", first["external_id"], "--json", base_url=False).json()
    assert got["ok"] is True and got["task_id"] == first["task_id"] and got["status"] == "succeeded"
    saved = _ok(
        cli.run("tasks", "download", first["external_id"], "-o", "again.mp4", "--json", base_url=False)
    )
    assert Path(saved["files"][0]).name == "again.mp4" and (cli.cwd / "again.mp4.json").exists()
    assert cli.creates() == 0  # the test's own sandbox was never used


def test_the_progress_hint_on_the_embedded_sandbox_is_its_own_pace(cli: CLI) -> None:
    """``--sandbox`` runs Kling's typical times 50x faster (the default time scale): the progress line's
    "typically ~" says how long this run's task takes, not the ~2 minutes Kling would."""
    from klingkit.catalog.typical import typical_seconds
    from klingkit.cli._progress import clock
    from klingkit.cli._session import DEFAULT_SANDBOX_TIME_SCALE

    cli.env["KLINGKIT_PROGRESS_EVERY"] = "1"
    res = cli.run("video", "a quick fox", "--sandbox", "--no-download", base_url=False)
    assert res.code == 0, res.stderr
    kling = typical_seconds("video", mode="std", duration=5)
    hints = {ln.partition("(typically ~")[2] for ln in res.stderr.splitlines() if "(typically ~" in ln}
    assert hints == {f"{clock(kling * DEFAULT_SANDBOX_TIME_SCALE)})"}, (hints, res.stderr)
    assert clock(kling * DEFAULT_SANDBOX_TIME_SCALE) != clock(kling)


def test_auth_set_status_and_test_never_show_the_secret(cli: CLI) -> None:
    env = cli.environ()
    del env["KLING_API_KEY"]
    proc = subprocess.run(
        [cli.exe, "auth", "set"],
        input="sandbox-api-key\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    config = cli.home / "config" / "klingkit" / "config.toml"
    assert config.stat().st_mode & 0o777 == 0o600
    status = subprocess.run(
        [cli.exe, "auth", "status", "--json"], capture_output=True, text=True, env=env, timeout=30
    )
    obj = Result(status.returncode, status.stdout, status.stderr).json()
    assert obj["configured"] is True and "config file" in obj["credentials_source"]
    tested = subprocess.run(
        [cli.exe, "auth", "test", "--base-url", cli.sandbox.base_url, "--json"],
        capture_output=True, text=True, env=env, timeout=30,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stderr
    for text in (proc.stdout, proc.stderr, status.stdout, tested.stdout, tested.stderr):
        assert "sandbox-api-key" not in text
