"""The installed command names every bad flag of an avatar or an element at once (the rule tables collect
every refusal) and sends nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..media_files import wav

pytestmark = pytest.mark.e2e


def _problems(res: Any) -> list[tuple[str, str]]:
    assert res.code == 2, (res.stdout, res.stderr)
    error = json.loads(res.stdout)["error"]
    return [(p["field"], p.get("flag") or "") for p in error["problems"]]


def test_an_element_with_three_bad_flags_gets_three_problems(cli: Any, photo: Path) -> None:
    five = [arg for _ in range(5) for arg in ("-i", str(photo))]
    res = cli.run("elements", "create", "x" * 21, *five, "--description", "d" * 201, "--json")
    assert [field for field, _ in _problems(res)] == ["name", "description", "images"]
    text = cli.run("elements", "create", "x" * 21, *five, "--description", "d" * 201)
    assert "3 problems" in text.stderr and "nothing was sent" in text.stderr
    assert "allowed 1-4 images" in text.stderr and "allowed text of 1-20 characters" in text.stderr
    assert cli.creates() == 0


def test_an_avatar_with_a_short_audio_and_a_long_prompt_gets_both_problems(cli: Any, photo: Path) -> None:
    pytest.importorskip("av")
    short = wav(cli.cwd / "short.wav", 1.0)  # avatar audio is 2-300 s
    res = cli.run("avatar", "-i", str(photo), "--audio", str(short), "-p", "y" * 2501, "--json")
    problems = _problems(res)
    assert [field for field, _ in problems] == ["prompt", "sound_file"]
    assert dict(problems)["sound_file"] == "--audio"  # named by the flag the user typed
    assert cli.creates() == 0
