"""Our own defaults are stated once, in ``klingkit.defaults``: the library uses them, the CLI's ``--help``
and the MCP server read them, and the README's table is generated from them (``python -m
klingkit.readme_defaults``), so no help text or README sentence types a default of its own."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from klingkit import _constants, defaults, readme_defaults

from ..installed import klingkit_command

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
CLI = ROOT / "src" / "klingkit" / "cli"
BLOCK = re.compile(r"<!-- defaults:table -->\n.*?<!-- /defaults:table -->", re.DOTALL)


def test_the_library_runs_on_the_public_defaults() -> None:
    import klingkit

    with klingkit.Kling(api_key="k", base_url="http://127.0.0.1:9") as client:
        assert client.timeout.read == defaults.TIMEOUT
        assert (client.max_wait, client.max_retries) == (defaults.MAX_WAIT, defaults.MAX_RETRIES)
    assert (_constants.POLL_FLOOR, _constants.POLL_CAP) == (defaults.POLL_FLOOR, defaults.POLL_CAP)


def test_the_installed_help_shows_the_defaults_values() -> None:
    video = subprocess.run(
        [klingkit_command(), "video", "--help"], capture_output=True, text=True, timeout=60
    )
    text = " ".join(video.stdout.split())
    assert f"[default: {defaults.MAX_WAIT:g}]" in text
    assert f"[default: {defaults.MAX_RETRIES}]" in text
    assert f"[default: {defaults.CONFIRM_ABOVE_USD:g}," in text


def test_the_help_reads_the_constant_not_a_copy_of_it() -> None:
    """Change the defaults before the CLI is imported: its help follows (a typed number would not)."""
    script = (
        "import klingkit.defaults as d\n"
        "d.MAX_WAIT, d.MAX_RETRIES, d.CONFIRM_ABOVE_USD = 4321.0, 7, 9.5\n"
        "from klingkit.cli import main\n"
        "main(['video', '--help'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    text = " ".join(run.stdout.split())
    assert run.returncode == 0, run.stderr
    assert "[default: 4321]" in text and "[default: 7]" in text and "[default: 9.5," in text


def test_no_help_text_types_a_number_as_its_default() -> None:
    """A ``[default: N]`` in the CLI's source must come from a name (an f-string), not be typed."""
    allowed = {"How many images. [default: 1]"}  # Kling's own default n (one image), not one of ours
    typed = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.search(r"\[default: \$?\d", text) and text not in allowed:
                typed.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {text}")
    assert typed == []


def test_the_readme_table_is_what_the_defaults_say() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(BLOCK.findall(text)) == 1
    assert readme_defaults.render(text) == text, "run: python -m klingkit.readme_defaults README.md"
    check = subprocess.run(
        [sys.executable, "-m", "klingkit.readme_defaults", "--check", str(README)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr


def test_a_changed_default_reaches_the_readme_and_check_catches_a_stale_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(defaults, "MAX_WAIT", 3600.0)
    monkeypatch.setattr(defaults, "TIMEOUT", 45.0)
    assert not readme_defaults.rewrite(stale, check=True)
    assert not readme_defaults.rewrite(stale)
    text = stale.read_text(encoding="utf-8")
    assert "| `MAX_WAIT` | 3600 s (60 min) |" in text and "| `TIMEOUT` | 45 s |" in text
    assert readme_defaults.rewrite(stale, check=True)


def test_the_prose_does_not_type_our_defaults() -> None:
    outside = BLOCK.sub("", README.read_text(encoding="utf-8"))
    for words in ("default 60 s", "default 30 min", "default $2", "(default 30)", "closer than 2 s",
                  "the 2 s floor", "up to 30 s apart", "every 1 s", "1800"):  # fmt: skip
        assert words not in outside, words
