"""klingkit's MCP server (``klingkit mcp``): the operation registry as MCP tools, for agents.

Needs the ``mcp`` extra (``pip install "klingkit[mcp]"``). See :mod:`klingkit.mcp.server`.
"""

from __future__ import annotations

__all__ = ["KLING_CANNOT_CANCEL"]

from ._service import KLING_CANNOT_CANCEL
