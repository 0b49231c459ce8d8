"""The operation registry: what klingkit can do, described once for the CLI, the MCP server and the skill.

Each :class:`Operation` has a name, a summary, parameters whose JSON schemas come from the catalog (enums,
ranges, defaults), whether it is paid, the CLI command that does the same and, for paid operations, how
its arguments become a ``klingkit.prepare`` request::

    from klingkit import ops, prepare

    op = ops.get("generate_video")
    feature, params = op.request({"prompt": "a fox", "duration": 5})
    spec = prepare(feature, **params)  # validated and priced; nothing sent
"""

from __future__ import annotations

from ._build_h2 import parse_points
from ._registry import OPERATIONS, Operation, Param, ResolveVideo
from ._schema import DEFAULT_IMAGE_MODEL, DEFAULT_VIDEO_MODEL, mode_aliases, models_overview

MODE_ALIASES = mode_aliases()
"""Other names of the video modes (standard, professional) the CLI accepts beside the schemas' own."""

__all__ = [
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_VIDEO_MODEL",
    "MODE_ALIASES",
    "OPERATIONS",
    "Operation",
    "Param",
    "ResolveVideo",
    "get",
    "models_overview",
    "paid",
    "parse_points",
]


def get(name: str) -> Operation:
    """The operation called ``name``; KeyError naming the known ones otherwise."""
    try:
        return OPERATIONS[name]
    except KeyError:
        raise KeyError(f"unknown operation {name!r}; known: {', '.join(OPERATIONS)}") from None


def paid() -> list[Operation]:
    """The operations that create a (paid) Kling task."""
    return [op for op in OPERATIONS.values() if op.paid]
