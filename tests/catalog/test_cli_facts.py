"""Kling facts the CLI shows come from the catalog: ``klingkit models``' try-on price, the voice speed's
range and default, the editing, avatar and Kling 4.0 modes, durations and keyframe counts. Run as the
installed command (what a user reads), plus a scan that the CLI's source no longer types them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import drive, edit, kling4

# The installed console script: next to this interpreter (a venv's), else on PATH.
BESIDE = Path(sys.executable).with_name("klingkit")
KLINGKIT = str(BESIDE) if BESIDE.exists() else shutil.which("klingkit")
pytestmark = pytest.mark.skipif(KLINGKIT is None, reason="the installed klingkit command is needed")


def _run(*args: str) -> str:
    done = subprocess.run([str(KLINGKIT), *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())  # help is wrapped to the terminal: compare words


def _mode(m: str) -> str:
    return f"{m} ({catalog.MODE_RESOLUTION[m]})"


def test_models_prices_try_on_from_the_catalog() -> None:
    data = json.loads(_run("models", "--kind", "image", "--json"))
    tryon = [row for row in data["image"] if row["name"] in catalog.TRYON_MODELS]
    assert {row["name"] for row in tryon} == set(catalog.TRYON_MODELS)
    for row in tryon:
        params = {"model_name": row["name"], "human_image": "-", "cloth_image": "-"}
        assert row["price_image"] == catalog.price("kolors-virtual-try-on", params).units


def test_voice_speed_range_and_default_come_from_the_catalog() -> None:
    lo, hi = catalog.VOICE_SPEED
    for command in (("audio", "tts"), ("lipsync",)):
        text = _run(*command, "--help")
        assert f"--speed {lo:.1f}..{hi:.1f}" in text
        assert f"[default: {catalog.VOICE_SPEED_DEFAULT:.1f}]" in text


def test_edit_avatar_and_video_help_read_modes_and_durations_from_the_catalog() -> None:
    # (edit's and omni's options come from the operation registry, checked by tests/mcp/test_cli_agrees.py)
    text = _run("edit", "--help")
    assert f"Seconds. [default: {edit.DEFAULT_DURATION}]" in text
    text = _run("avatar", "--help")
    assert " or ".join(_mode(m) for m in drive.AVATAR_MODES) in text
    assert f"[default: {drive.AVATAR_DEFAULT_MODE}]" in text
    text = _run("video", "--help")
    for m in kling4.MODELS.values():
        if m.keyframes_middle_max:
            assert f"{m.name}: up to {m.keyframes_middle_max}" in text
        else:
            assert f"none on {m.name}" in text
    assert ", ".join(_mode(m) for m in catalog.VIDEO_MODES[:-1]) in text


def test_the_cli_source_no_longer_types_these_facts() -> None:
    cli = Path(klingkit.__file__).parent / "cli"
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(cli.glob("*.py")))
    for typed in (
        "[default: 1.0]",
        '"0.8..2.0"',
        'Choice(("5", "10"))',
        'Choice(("std", "pro"))',
        '"std (720p) or pro (1080p)',
        "1 try-on unit",
        '"price_image": 1,',
        "up to 8, with",
        "<= 1000 characters",
        "/motion-control/kling-3.0.",
        "kling-v1.x only",
    ):
        assert typed not in source, typed


def test_the_operation_registry_does_not_type_the_mode_resolutions() -> None:
    # The MCP tools' descriptions and the CLI options built from them say "std (720p)" from the catalog.
    ops = Path(klingkit.__file__).parent / "ops"
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ops.glob("_registry*.py")))
    for resolution in catalog.MODE_RESOLUTION.values():
        if resolution not in catalog.MODE_RESOLUTION:  # "4k" is both a mode and its resolution
            assert resolution not in source, resolution
    from klingkit.ops import OPERATIONS

    video = OPERATIONS["generate_video"]
    mode = next(p for p in video.params if p.name == "mode")
    assert _mode("std") in str(mode.schema)
