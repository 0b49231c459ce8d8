"""The installed ``klingkit avatar``, ``klingkit motion`` and ``klingkit omni`` against the sandbox: saved,
decodable media of the promised length, dry runs that send nothing, and refusals that name the flag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..media_files import mp4, streams_and_length, wav

pytestmark = pytest.mark.e2e
av = pytest.importorskip("av")


def test_avatar_saves_a_video_as_long_as_the_audio(cli: Any, photo: Path) -> None:
    speech = wav(cli.cwd / "speech.wav", 3.0)
    out = cli.run(
        "avatar", "-i", str(photo), "--audio", str(speech), "-m", "pro", "-o", "talk.mp4", "--json"
    ).ok()
    kinds, seconds = streams_and_length(Path(out["files"][0]))
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3.0, abs=0.15)
    assert out["units"] == pytest.approx(2.4) and cli.creates() == 1


def test_avatar_needs_exactly_one_audio_and_sends_nothing_otherwise(cli: Any, photo: Path) -> None:
    res = cli.run("avatar", "-i", str(photo), "--json")
    assert res.code != 0 and "--audio" in json.loads(res.stdout)["error"]["message"]
    assert cli.creates() == 0


def test_motion_saves_a_video_of_the_reference_length(cli: Any, photo: Path) -> None:
    dance = mp4(cli.cwd / "dance.mp4", 4)
    out = cli.run("motion", "-i", str(photo), "--video", str(dance), "--model", "kling-3.0", "-o", "m.mp4",
                  "--json").ok()  # fmt: skip
    _, seconds = streams_and_length(Path(out["files"][0]))
    assert seconds == pytest.approx(4.0, abs=0.15)
    assert cli.sandbox.counters()["requests"]["POST /motion-control/kling-3.0"] == 1


def test_omni_dry_run_prices_and_sends_nothing(cli: Any) -> None:
    out = cli.run(
        "omni", "@hero runs", "--element", "hero=preset-element-1001", "-d", "10", "--dry-run", "--json"
    ).ok()
    assert out["dry_run"] and out["request"]["path"] == "/omni-video/kling-4.0"
    assert out["estimate"]["exact"] is False and out["usd"] == pytest.approx(1.57, abs=0.01)
    assert cli.creates() == 0


def test_omni_refuses_an_unnamed_mention_before_sending(cli: Any) -> None:
    res = cli.run("omni", "@hero meets @villain", "--element", "hero=preset-element-1001", "--json")
    assert res.code != 0
    error = json.loads(res.stdout)["error"]
    assert "@villain" in error["message"] and cli.creates() == 0


def test_omni_generates_with_audio(cli: Any, photo: Path) -> None:
    out = cli.run("omni", "@hero waves", "--element", "hero=preset-element-1001", "--ref", str(photo), "-d", "3",
                  "-o", "o.mp4", "--json").ok()  # fmt: skip
    kinds, seconds = streams_and_length(Path(out["files"][0]))
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3.0, abs=0.15)


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["motion", "-i", "PHOTO", "--video", "missing.mp4"], "--video"),
        (["avatar", "-i", "PHOTO", "--audio", "missing.wav"], "--audio"),
        (["omni", "a shot", "--ref", "missing.png"], "--ref"),
        (["omni", "a shot", "--base-video", "missing.mp4"], "--base-video"),
        (["video", "a shot", "-i", "PHOTO", "--last", "missing.png", "--model", "kling-4.0"], "--last"),
    ],
)
def test_a_missing_file_is_refused_naming_its_flag(cli: Any, photo: Path, args: list[str], flag: str) -> None:
    res = cli.run(*[str(photo) if a == "PHOTO" else a for a in args], "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    message = json.loads(res.stdout)["error"]["message"]
    assert f"invalid {flag}" in message and "missing." in message and cli.creates() == 0
