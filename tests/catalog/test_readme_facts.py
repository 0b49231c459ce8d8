"""The README's Kling limits are written from the catalog: its marked blocks equal what
``python -m klingkit.catalog.readme`` generates, a catalog change shows in them, and the prose around them
no longer types the limits the blocks state."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from klingkit.catalog import drive, kling4, readme

README = Path(__file__).parents[2] / "README.md"
MCP_SECTION = "\n## Agents: the MCP server and the skill"
BLOCK = re.compile(r"<!-- catalog:([\w-]+) -->\n.*?<!-- /catalog:\1 -->", re.DOTALL)


def test_the_readme_blocks_are_what_the_catalog_says() -> None:
    text = README.read_text(encoding="utf-8")
    assert sorted(m.group(1) for m in BLOCK.finditer(text)) == sorted(readme.BLOCKS)
    assert readme.render(text) == text, "run: python -m klingkit.catalog.readme README.md"
    check = subprocess.run(
        [sys.executable, "-m", "klingkit.catalog.readme", "--check", str(README)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def test_a_catalog_change_reaches_the_readme_and_check_catches_a_stale_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(kling4, "OMNI_IMAGES_MAX", 12)
    monkeypatch.setattr(drive, "AVATAR_AUDIO_SECONDS", (2.0, 600.0))
    assert not readme.rewrite(stale, check=True)  # stale: reported, not written
    assert "10 images" in stale.read_text(encoding="utf-8")
    assert not readme.rewrite(stale)  # rewritten from the (changed) catalog
    text = stale.read_text(encoding="utf-8")
    assert "12 images" in text and "audio 2-600 s" in text
    assert readme.rewrite(stale, check=True)


def test_the_prose_does_not_type_the_limits_the_blocks_state() -> None:
    """Every range the blocks print (``3-30``, ``2-300``, ...) appears only inside them. (The MCP section's
    tool table is checked against the registry by tests/mcp/test_readme_mcp.py, so it is left out here.)"""
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(MCP_SECTION)
    outside = BLOCK.sub("", head + "\n## " + rest.partition("\n## ")[2])
    generated = "\n".join(f() for f in readme.BLOCKS.values())
    ranges = set(re.findall(r"\b\d+(?:\.\d+)?-\d+(?:\.\d+)?\b", generated))
    assert {"3-30", "2-300", "1-9", "2-10"} <= ranges  # the check looks at real limits
    typed = sorted(r for r in ranges if re.search(rf"(?<![\w.-]){re.escape(r)}(?![\w-])", outside))
    assert typed == [], f"limits typed in the README's prose: {typed}"
    for words in ("up to 8 middle frames", "20 ids", "at most 3x", "up to 4 images", "three pictures"):
        assert words not in outside
