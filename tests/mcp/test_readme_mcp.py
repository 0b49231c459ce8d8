"""The README's MCP section stays true: its tool table is the registry, its prices are the catalog's, and
its configuration snippet parses and names real `klingkit mcp` options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from klingkit import ops
from klingkit.cli.mcp_cmd import mcp

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("name", sorted(op.name for op in ops.paid()))
def test_the_table_types_no_price_and_points_to_estimate(name: str) -> None:
    """Prices live in the catalog only (the `estimate` tool reads it): a row says what the price depends
    on. That every paid tool's arguments price through the catalog is tests/mcp/test_ops.py's
    ``test_minimal_arguments_make_a_priced_request``."""
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
