"""The README's MCP section stays true: its tool table is the registry, its prices are the catalog's, and
its configuration snippet parses and names real `klingkit mcp` options."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from klingkit import ops, prepare
from klingkit.cli.mcp_cmd import mcp

ROOT = Path(__file__).resolve().parents[2]

# The example each paid row prices (arguments only; the figures come from the catalog).
EXAMPLES: dict[str, dict[str, Any]] = {
    "generate_video": {"prompt": "x", "model": "kling-v2-6", "mode": "std", "duration": 5},
    "generate_image": {"prompt": "x", "model": "kling-v2-1"},
    "generate_audio": {"prompt": "x", "duration": 5},
    "video_to_audio": {"video": "vid-123", "sound_effect_prompt": "rain"},
    "text_to_speech": {"text": "hello", "voice_id": "genshin_vindi2"},
    "extend_video": {"video": "123"},
    "lip_sync": {"video": "123", "text": "hi", "voice_id": "genshin_vindi2"},
    "apply_effect": {"scene": "color_mixing", "images": ["https://example.com/a.png"]},
    "try_on": {"person_image": "https://example.com/a.png", "garment_image": "https://example.com/b.png"},
    "generate_avatar": {"image": "https://example.com/a.png", "audio_id": "a-1"},
    "motion_control": {"image": "https://example.com/a.png", "video": "https://example.com/d.mp4"},
    "create_element": {"name": "Hero", "images": ["https://example.com/a.png"]},
    "create_voice": {"name": "Narrator", "audio": "https://example.com/s.wav"},
    "edit_video": {"video": "vid-1", "remove": True, "points": ["0.5,0.5"]},
    "recognize_image": {"image": "https://example.com/a.png"},
    "multi_shot": {"image": "https://example.com/a.png"},
    "expand_image": {"image": "https://example.com/a.png", "left": 0.5},
    "omni_image": {"prompt": "a fox", "refs": ["https://example.com/a.png"]},
    "omni_video": {"prompt": "a fox", "refs": ["https://example.com/a.png"]},
}


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Agents: the MCP server and the skill", 1)[1].split("\n## ", 1)[0]


def _rows() -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| (.*)$", _section(), re.M)
    return dict(rows)


def test_the_tool_table_is_the_registry() -> None:
    rows = _rows()
    assert list(rows) == list(ops.OPERATIONS)
    for name, op in ops.OPERATIONS.items():
        assert ("paid:" in rows[name]) is op.paid, name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_table_types_no_price_and_points_to_estimate(name: str) -> None:
    """Prices live in the catalog only (the `estimate` tool reads it): a row says what the price depends
    on, and the example still prices through the catalog."""
    feature, params = ops.get(name).request(EXAMPLES[name])
    assert prepare(feature, **params).estimate.units >= 0
    row = _rows()[name]
    assert not re.search(r"\$\s?\d|\d\s*(video|image|audio|tryon)? ?units", row), row
    assert "call `estimate`" in _section().split("| tool |", 1)[1].split("\n", 1)[0]


def test_the_config_snippet_parses_and_uses_real_options() -> None:
    block = re.search(r"```json\n(.*?)```", _section(), re.S)
    assert block
    server = json.loads(block.group(1))["mcpServers"]["klingkit"]
    assert server["command"] == "klingkit" and server["args"][0] == "mcp"
    ctx = mcp.make_context("mcp", list(server["args"][1:]))  # click refuses unknown options
    assert ctx.params["budget"] == 5
