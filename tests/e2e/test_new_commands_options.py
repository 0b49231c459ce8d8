"""Issue 11's commands behave like the existing ones: every spending command takes the same run options
as ``klingkit video`` (--json, --dry-run, the cost guards, progress control and saving), every listing
command answers in JSON, each ends its help with examples, and no help text types a Kling price or limit
that the catalog holds (they are read from it, or the help defers to --dry-run)."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from klingkit.catalog import drive, kling4, library
from klingkit.cli import cli as root

SPENDING = (
    "omni",
    "avatar",
    "motion",
    "edit",
    "elements create",
    "voices create",
    "effect",
    "image expand",
    "image omni",
    "multishot",
)
LISTING = (
    "elements list",
    "elements delete",
    "voices",
    "voices custom",
    "voices delete",
    "effects",
    "models",
)
# What `klingkit video` offers every run: JSON, a dry run, cost guards, progress control, saving.
RUN_FLAGS = ("--json", "--quiet", "--dry-run", "--max-cost", "--yes", "--confirm-above", "--output",
             "--no-download", "--force", "--max-wait")  # fmt: skip
PRICE_IN_PROSE = re.compile(r"\d+(?:\.\d+)?\s*(?:video |image |try-on )?units?\b|\$\s?\d|\d\s?USD")


def _command(path: str) -> click.Command:
    cmd: click.Command = root
    for word in path.split():
        if isinstance(cmd, click.Group):
            found = cmd.get_command(click.Context(cmd), word)
        else:  # a command with subcommands (`klingkit image expand`)
            found = cmd.subcommand(word)  # type: ignore[attr-defined]
        assert found is not None, f"klingkit {path}: no such command"
        cmd = found
    return cmd


def _flags(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}


def _help(path: str) -> str:
    res = CliRunner().invoke(root, [*path.split(), "--help"], terminal_width=200)
    assert res.exit_code == 0, res.output
    return res.output


def test_the_run_flags_are_those_of_klingkit_video() -> None:
    assert set(RUN_FLAGS) <= _flags(_command("video"))


@pytest.mark.parametrize("path", SPENDING)
def test_spending_commands_take_every_run_flag(path: str) -> None:
    missing = set(RUN_FLAGS) - _flags(_command(path))
    assert not missing, f"klingkit {path} lacks {sorted(missing)}"


@pytest.mark.parametrize("path", LISTING)
def test_listing_commands_answer_in_json(path: str) -> None:
    assert "--json" in _flags(_command(path))


@pytest.mark.parametrize("path", SPENDING + LISTING + ("tryon",))
def test_help_has_examples_and_types_no_price(path: str) -> None:
    assert "Examples:" in (_command(path).epilog or "")
    text = _help(path)
    assert not PRICE_IN_PROSE.findall(text), f"klingkit {path} --help states a price: put it in the catalog"


def test_limits_in_help_are_the_catalogs() -> None:
    omni = _help("omni")
    for number in (kling4.OMNI_IMAGES_MAX, kling4.OMNI_ELEMENTS_MAX, kling4.OMNI_VOICES_MAX):
        assert f"(up to {number})" in omni
    for m in kling4.MODELS.values():
        assert "{} {}-{}".format(m.name, *m.durations) in omni
    assert "{:g}-{:g} s".format(*drive.AVATAR_AUDIO_SECONDS) in _help("avatar")
    assert "{:g}-{:g} s".format(*library.VOICE_SAMPLE_SECONDS) in _help("voices create")
    assert "up to {:g} s".format(drive.MOTION_VIDEO_SECONDS["video"][1]) in _help("motion")


def test_the_readme_section_of_the_2026_h2_api_leaves_prices_to_the_catalog() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The 2026-H2 API", 1)[1].split("\n## ", 1)[0]
    assert not PRICE_IN_PROSE.findall(section), (
        "a price typed in the README: `klingkit models`/--dry-run read it"
    )
