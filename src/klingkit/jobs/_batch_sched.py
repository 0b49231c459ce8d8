"""Pure scheduling maths for the batch runner: the AIMD concurrency window and the status poll floor.

Times are in seconds (monotonic clock). Nothing here sleeps or does I/O, so it is unit-tested directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["POLL_FLOOR", "ConcurrencyWindow"]

POLL_FLOOR = 0.05
"""Seconds the batch's status checks may come closest together. The client's status hub learns the
batch's pace from its finished tasks and checks around it; a freed slot is worth noticing within ~50 ms
(one coalesced request serves every running row, so the floor costs few requests)."""


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
