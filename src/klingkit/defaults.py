"""klingkit's own defaults: the values the library, the CLI and the MCP server use when you give none.

These are our choices, not Kling's (Kling's facts, such as a model's durations or a prompt's length, are
the catalog's: :mod:`klingkit.catalog`). They are stated once, here: the library's internals, the CLI's
``--help``, the MCP server and the README's table of defaults (``python -m klingkit.readme_defaults``)
read them, so none of them types a number of its own. Times are in seconds.
"""

from __future__ import annotations

__all__ = [
    "BATCH_CONCURRENCY",
    "CONFIRM_ABOVE_USD",
    "MAX_RETRIES",
    "MAX_WAIT",
    "POLL_CAP",
    "POLL_EVERY_MIN",
    "POLL_FLOOR",
    "PROGRESS_EVERY",
    "SANDBOX_POLL_EVERY",
    "TIMEOUT",
]

TIMEOUT = 60.0
"""One HTTP request (read, write, pool): ``Kling(timeout=...)``."""

MAX_RETRIES = 3
"""Retries of a failed request after the first attempt (429/1303, 5xx, network); 0 disables:
``Kling(max_retries=...)``, ``--max-retries``."""

MAX_WAIT = 1800.0
"""How long a wait lasts before ``TaskTimeoutError`` (the task keeps running): ``max_wait=``, ``--max-wait``."""

POLL_FLOOR = 2.0
"""The closest two status checks of one task come on the default schedule (``poll_floor=`` lowers it)."""

POLL_CAP = 30.0
"""The widest gap between two status checks of a task on the default schedule."""

BATCH_CONCURRENCY = 4
"""Most tasks of a batch in flight at once (``klingkit batch --concurrency``; lowered on 1303)."""

CONFIRM_ABOVE_USD = 2.0
"""An estimate above this many US dollars asks first in the CLI (``--confirm-above``,
``KLINGKIT_CONFIRM_ABOVE``; ``-y`` skips it) and needs ``confirm: true`` from an MCP client."""

PROGRESS_EVERY = 30.0
"""Seconds between the CLI's progress lines when stderr is not a terminal (``KLINGKIT_PROGRESS_EVERY``)."""

POLL_EVERY_MIN = 0.5
"""The smallest ``KLINGKIT_POLL_EVERY``: a fixed spacing closer than this only spends requests."""

SANDBOX_POLL_EVERY = 1.0
"""The CLI's fixed spacing of status checks on the embedded ``--sandbox`` (its clock runs faster than
Kling's, so the default schedule would sleep long after a task is done)."""
