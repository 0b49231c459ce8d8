"""The installed ``klingkit edit``: a swap on a sandbox video saves the edited video; a dry run prices it
without opening a session; missing choices and a malformed point are refused before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_swap_dry_run_and_refusals(cli: Any, photo: Path) -> None:
    made = cli.run("video", "a dog in a park", "-d", "5", "--no-download", "--json")
    assert made.code == 0, made.stderr
    video_id = json.loads(made.stdout)["outputs"][0]["id"]
    dry = cli.run(
        "edit", video_id, "--swap", str(photo), "--point", "0.5,0.5", "-p", "a cat", "--dry-run", "--json"
    )
    assert dry.code == 0, dry.stderr
    assert json.loads(dry.stdout)["usd"] == pytest.approx(0.6 * 5 * 0.14, abs=0.01)
    assert "POST /v1/videos/multi-elements/init-selection" not in cli.sandbox.counters()["requests"]
    out = cli.run(
        "edit", video_id, "--swap", str(photo), "--point", "0.5,0.5", "-p", "a cat", "-o", "e.mp4", "--json"
    )
    assert out.code == 0, (out.stdout, out.stderr)
    result = json.loads(out.stdout)
    assert result["status"] == "succeeded" and Path(result["files"][0]).exists()
    creates = cli.creates()
    bad = cli.run("edit", video_id, "--remove", "--json")
    assert bad.code != 0 and "--point" in json.loads(bad.stdout)["error"]["message"]
    assert cli.creates() == creates
    # A malformed point is refused by the one parser the CLI shares with the edit_video tool, naming the
    # flag and what was typed, before a selection session is opened.
    sessions = cli.sandbox.counters()["requests"].get("POST /v1/videos/multi-elements/init-selection", 0)
    worse = cli.run("edit", video_id, "--swap", str(photo), "--point", "half,0.5", "-p", "a cat", "--json")
    error = json.loads(worse.stdout)["error"]
    assert worse.code == 2 and error["flag"] == "--point" and "half,0.5" in error["message"], error
    assert (
        cli.sandbox.counters()["requests"].get("POST /v1/videos/multi-elements/init-selection", 0) == sessions
    )
    assert cli.creates() == creates
