"""The README's set-up commands are the ones CI runs (so they cannot drift apart)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _block_after(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    match = re.search(r"```(?:bash|sh)?\n(.*?)```", section, re.S)
    assert match, f"no code block under {heading!r}"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _block_after("## Run the tests")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The README shows the whole command; CI creates the venv first, then runs every line after it.
    lines = [line for line in command.splitlines() if line.strip()]
    assert lines, "the README gives no test command"
    for line in lines:
        assert line.strip() in ci, f"README line not run by .ci/run: {line}"


def test_readme_offline_command_uses_the_sandbox() -> None:
    command = _block_after("## Try it offline")
    assert "--sandbox" in command
    assert "klingkit video" in command
