"""The pace the status hub learns from tasks it saw finish, pure: no clock, no I/O.

The catalog's typical times describe Kling; a task's real pace can differ a lot (a sandbox configured for
2 s tasks, a busy hour, a model that got faster). Every finished task the hub sees is one sample of how
long tasks of its kind take, the kind being what the catalog's time depends on: route, model, mode,
resolution, duration and image count. Once a kind has samples, its tasks are checked around the learned
range instead of the catalog's. A kind with no sample yet keeps the catalog's range; a throughput wait
(one with its own floor) on a kind it has never seen finish explores instead (``explore_gap``), because
a slot freed late costs it more than a few coalesced checks.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from datetime import timezone

from . import _constants as C
from ._models import Task

PaceKey = tuple[str, str, str, str, str, str]


def pace_key(task: Task) -> PaceKey | None:
    """What a task's duration depends on: its route and the parameters the catalog's time reads (None
    when the route is unknown)."""
    if not task.feature:
        return None
    params = task.params or {}

    def word(key: str) -> str:
        value = params.get(key)
        return "" if value is None else str(value).lower()

    return (task.feature, (task.model or word("model_name") or word("model")), word("mode"),
            word("resolution"), word("duration"), word("n"))  # fmt: skip


def finished_seconds(task: Task) -> float | None:
    """How long a finished task took by the server's clock (``updated_at - created_at``), or None when
    the server did not say or the figure is not believable."""
    if not task.done or task.created_at is None or task.updated_at is None:
        return None
    created, updated = task.created_at, task.updated_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=timezone.utc)
    seconds = (updated - created).total_seconds()
    return seconds if 0.0 < seconds <= C.TASK_AGE_TRUSTED else None


def learned_range(samples: Sequence[float]) -> tuple[float, float] | None:
    """The ``(min, max)`` seconds most tasks of one kind take, from the durations seen: the 10th and
    90th percentiles, widened by a margin that shrinks as samples accumulate (one sample: ±25 %, twenty:
    ±2 %). None without samples."""
    if not samples:
        return None
    ordered = sorted(samples)
    n = len(ordered)
    margin = C.PACE_MARGIN_MIN + C.PACE_MARGIN_FIRST / n
    low = ordered[math.floor(0.1 * (n - 1))] * (1.0 - margin)
    high = ordered[math.ceil(0.9 * (n - 1))] * (1.0 + margin)
    return max(low, 0.0), max(high, low)


def explore_gap(age: float, floor: float) -> float:
    """Seconds to the next check of a task whose kind was never seen finishing, for a throughput wait:
    ``PACE_EXPLORE_FIRST``, then a quarter of the task's age (checks at 0.5, 1, 1.5, 2, 2.5, 3.1, 3.9 s
    ...), never under the wait's ``floor`` nor over ``POLL_CAP``. On Kling this costs a few more
    coalesced checks for the first tasks of a run; then their pace is known."""
    return min(max(C.PACE_EXPLORE_FIRST, C.PACE_EXPLORE_SHARE * max(age, 0.0), floor), C.POLL_CAP)


class PaceBook:
    """The durations seen per kind of task, the latest ``PACE_SAMPLES`` of each (not thread-safe: the
    hub calls it under its lock)."""

    def __init__(self) -> None:
        self._seen: dict[PaceKey, deque[float]] = {}

    def observe(self, task: Task, seconds: float | None) -> None:
        """Record that ``task`` finished after ``seconds`` (ignored when unknown or its kind is)."""
        key = pace_key(task)
        if key is None or seconds is None or seconds <= 0:
            return
        self._seen.setdefault(key, deque(maxlen=C.PACE_SAMPLES)).append(seconds)

    def typical(self, task: Task) -> tuple[float, float] | None:
        """The learned range for ``task``'s kind, or None before any of its kind was seen finishing."""
        key = pace_key(task)
        seen = self._seen.get(key) if key is not None else None
        return learned_range(list(seen)) if seen else None

    def known(self) -> dict[PaceKey, tuple[float, float]]:
        """Every kind seen finishing, with its learned range."""
        return {key: r for key, seen in self._seen.items() if (r := learned_range(list(seen))) is not None}
