"""``KLINGKIT_POLL_EVERY``: the documented setting that fixes the spacing of a command's status checks.

Against a fast server (a sandbox with short tasks) the default schedule follows Kling's typical times and
can sleep up to 30 s after the task is done; the setting is how a user (and this suite) waits less.
Status checks are counted on the server.
"""

from __future__ import annotations

import json

import pytest

from .conftest import CLI, wait_for


def _status_queries(cli: CLI) -> int:
    return int(cli.sandbox.counters().get("status_queries", 0))


def test_the_setting_spaces_status_checks_while_the_task_runs(cli: CLI) -> None:
    cli.sandbox.configure(task_seconds=600)
    cli.env["KLINGKIT_POLL_EVERY"] = "0.5"
    run = cli.start("video", "a patient fox", "-o", "fox.mp4", "--json")
    try:
        # The default schedule makes one check and then sleeps up to 30 s: four checks while the
        # task is still running are only reached by following the setting.
        wait_for(lambda: _status_queries(cli) >= 4, timeout=20)
        assert run.poll() is None, run.communicate()
        cli.clock.advance(601)
        out, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 0, err
    assert json.loads(out)["files"] == [str((cli.cwd / "fox.mp4").resolve())]
    assert cli.creates() == 1


@pytest.mark.parametrize("value", ["0.1", "0", "-3", "soon", "inf", "nan"])
def test_a_bad_setting_is_refused_before_anything_is_sent(cli: CLI, value: str) -> None:
    cli.env["KLINGKIT_POLL_EVERY"] = value
    res = cli.run("video", "a fox", "-o", "fox.mp4", "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    message = res.json()["error"]["message"]
    assert "KLINGKIT_POLL_EVERY" in message and repr(value) in message and ">= 0.5" in message
    assert cli.creates() == 0 and cli.sandbox.counters()["requests"] == {}
