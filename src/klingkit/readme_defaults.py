"""The README's table of klingkit's own defaults, written from :mod:`klingkit.defaults` (so the README
cannot state a default the code does not use).

The README marks the block with ``<!-- defaults:table -->`` ... ``<!-- /defaults:table -->``;
``python -m klingkit.readme_defaults README.md`` rewrites it in place, ``--check`` only reports (exit 1)
when it differs; ``tests/unit/test_defaults.py`` runs it. The mechanics are the catalog's README
generator's (:mod:`klingkit.catalog.readme`), with this block instead of Kling's limits.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from . import defaults as D
from .catalog import readme

__all__ = ["BLOCKS", "MARKER", "render", "rewrite", "table"]

MARKER = "defaults"


def _s(seconds: float) -> str:
    text = f"{seconds:g} s"
    return text + (f" ({seconds / 60:g} min)" if seconds >= 600 and seconds % 60 == 0 else "")


def table() -> str:
    """Every default of ``klingkit.defaults``: its name, its value and where it applies."""
    rows = [
        ("TIMEOUT", _s(D.TIMEOUT), "one HTTP request: `Kling(timeout=...)`"),
        ("MAX_RETRIES", str(D.MAX_RETRIES), "retries of a failed request: `max_retries=`, `--max-retries`"),
        ("MAX_WAIT", _s(D.MAX_WAIT), "one wait, then `TaskTimeoutError`: `max_wait=`, `--max-wait`"),
        ("POLL_FLOOR", _s(D.POLL_FLOOR), "closest two status checks of one task (`poll_floor=` lowers it)"),
        ("POLL_CAP", _s(D.POLL_CAP), "widest gap between two status checks of a task"),
        (
            "CONFIRM_ABOVE_USD",
            f"${D.CONFIRM_ABOVE_USD:g}",
            "an estimate above it asks first: `--confirm-above`, `KLINGKIT_CONFIRM_ABOVE`, MCP `confirm`",
        ),
        (
            "BATCH_CONCURRENCY",
            str(D.BATCH_CONCURRENCY),
            "tasks of a batch in flight at once: `--concurrency`",
        ),
        ("PROGRESS_EVERY", _s(D.PROGRESS_EVERY), "CLI progress lines when stderr is not a terminal"),
        ("POLL_EVERY_MIN", _s(D.POLL_EVERY_MIN), "the smallest `KLINGKIT_POLL_EVERY`"),
        ("SANDBOX_POLL_EVERY", _s(D.SANDBOX_POLL_EVERY), "CLI status checks on the embedded `--sandbox`"),
    ]
    return "\n".join(
        [
            "| `klingkit.defaults.` | value | where |",
            "|---|---|---|",
            *(f"| `{name}` | {value} | {where} |" for name, value, where in rows),
        ]
    )


BLOCKS: dict[str, Callable[[], str]] = {"table": table}
"""The generated block (``<!-- defaults:table -->``) and the function that writes it."""


def render(text: str) -> str:
    """``text`` with the defaults block replaced by what :mod:`klingkit.defaults` says."""
    return readme.render(text, BLOCKS, MARKER)


def rewrite(path: Path, check: bool = False) -> bool:
    """Rewrite ``path``'s defaults block (or, with ``check``, only compare); True when it already matched."""
    return readme.rewrite(path, check, BLOCKS, MARKER)


if __name__ == "__main__":
    raise SystemExit(readme.main(sys.argv[1:], BLOCKS, MARKER))
