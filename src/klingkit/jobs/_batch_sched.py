"""Pure scheduling maths for the batch runner: the AIMD concurrency window and poll timing.

Times are in seconds (monotonic clock). Nothing here sleeps or does I/O, so it is unit-tested directly.
"""

from __future__ import annotations

import random
import statistics
from collections import deque
from dataclasses import dataclass, field

__all__ = ["ConcurrencyWindow", "DurationModel"]


@dataclass
class ConcurrencyWindow:
    """How many tasks may be in flight: additive increase, multiplicative decrease (AIMD).

    Starts at ``limit`` (the user's ``--concurrency``). A 1303 ("parallel task over resource pack limit")
    halves it (never below 1) and opens a back-off period of at least ``backoff_floor`` seconds that grows
    exponentially with consecutive 1303s up to ``backoff_cap``. Every task that finishes adds ``1/size``,
    so the window probes upward by about one slot per round of tasks, never past ``limit``.
    """

    limit: int
    backoff_floor: float = 1.0
    backoff_cap: float = 30.0
    size: float = 0.0
    blocked_until: float = 0.0
    strikes: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.limit = max(1, int(self.limit))
        if self.size <= 0:
            self.size = float(self.limit)

    @property
    def slots(self) -> int:
        """Tasks allowed in flight now (an integer >= 1)."""
        return max(1, int(self.size + 1e-9))

    def congested(self, now: float, in_flight: int) -> float:
        """Record a 1303 at ``now`` with ``in_flight`` tasks running; returns the back-off in seconds."""
        self.strikes += 1
        # The server told us how many it accepts: about what we had in flight.
        basis = min(self.size, float(max(1, in_flight)))
        self.size = max(1.0, basis / 2.0 if in_flight > 1 else 1.0)
        delay = min(self.backoff_cap, self.backoff_floor * 2.0 ** (self.strikes - 1))
        delay *= self.rng.uniform(1.0, 1.25)  # spread runners out; never below Kling's 1 s floor
        self.blocked_until = max(self.blocked_until, now + delay)
        return delay

    def accepted(self) -> None:
        """A create went through: the consecutive-1303 count starts again."""
        self.strikes = 0

    def finished(self) -> None:
        """A task reached a terminal state: probe upward by ``1/size``."""
        self.size = min(float(self.limit), self.size + 1.0 / max(1.0, self.size))

    def open(self, now: float) -> bool:
        """True when the back-off period (if any) is over."""
        return now >= self.blocked_until


@dataclass
class DurationModel:
    """Learns how long tasks of each feature take (server timestamps) to time status checks.

    Before anything is known a task is first checked ``initial`` seconds after it was submitted and then
    at intervals growing by ``growth`` up to ``cap``. Once tasks of the feature have finished, the first
    check is aimed just after the median observed duration, and later checks come every
    ``max(floor, 2.5 % of that duration)`` so a slot that frees is noticed quickly.
    """

    initial: float = 2.0
    growth: float = 1.5
    cap: float = 15.0
    floor: float = 0.05
    history: dict[str, deque[float]] = field(default_factory=dict)

    def observe(self, feature: str, seconds: float | None) -> None:
        """Record that a task of ``feature`` took ``seconds`` on the server (ignored when unknown)."""
        if seconds is None or seconds < 0:
            return
        self.history.setdefault(feature, deque(maxlen=50)).append(seconds)

    def expected(self, feature: str) -> float | None:
        """The median duration seen for ``feature``, or None before any task finished."""
        seen = self.history.get(feature)
        return statistics.median(seen) if seen else None

    def first_check(self, feature: str) -> float:
        """Seconds after submission at which to look at a task for the first time."""
        exp = self.expected(feature)
        if exp is None:
            return min(self.initial, self.cap)
        # Server durations are exact and our submit time is already a little after the server's start.
        return min(self.cap, max(self.floor, exp + min(0.05, 0.01 * exp)))

    def next_check(self, feature: str, age: float, previous_gap: float) -> float:
        """Seconds to wait after a check that found the task still running at ``age`` seconds old."""
        exp = self.expected(feature)
        if exp is None:
            return min(self.cap, max(self.floor, previous_gap * self.growth))
        if age < exp:  # early (a slow start): come back when it should be done
            return min(self.cap, max(self.floor, exp - age + self.floor))
        overdue = age - exp
        return min(self.cap, max(self.floor, 0.025 * exp, 0.25 * overdue))
