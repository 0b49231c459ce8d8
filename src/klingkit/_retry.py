"""Pure retry and polling decisions: no I/O, no clock, no randomness of their own.

``classify(http_status, code)`` decides what an answer means; ``backoff_delay``, ``parse_retry_after`` and
``plan_retry`` compute how long to wait; ``next_check`` is the status-polling schedule (``poll_delay`` the older growth schedule). The sync and async
transports and waits only send and sleep.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from . import _constants as C

__all__ = [
    "BARE_RETRY_STATUSES",
    "Action",
    "Decision",
    "RetryPlan",
    "backoff_delay",
    "classify",
    "next_check",
    "parse_retry_after",
    "plan_retry",
    "poll_delay",
]


class Action(str, Enum):
    """What to do with an answer."""

    SUCCESS = "success"
    RETRY = "retry"  # send the same request again after a backoff
    RESIGN = "resign"  # sign a fresh JWT and send again, once
    RAISE = "raise"


@dataclass(frozen=True)
class Decision:
    """``action``; ``backoff`` is ``default`` or ``concurrency`` (1303: starts at >= 1 s, larger cap);
    ``ambiguous`` is True when a create may have happened although the answer was an error (5xx)."""

    action: Action
    backoff: str = "default"
    ambiguous: bool = False


# Statuses retried when the body carries no Kling code (a proxy or load balancer answered).
BARE_RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
_RETRY_CODES = {1302: "default", 1303: "concurrency", 5000: "default", 5001: "default", 5002: "default"}
_RESIGN_CODES = frozenset({1003, 1004})


def classify(http_status: int, code: int | None) -> Decision:
    """Classify an answer by its HTTP status and the body's Kling ``code`` (None when the body has none).

    The body's code always counts, even on HTTP 200. Unknown non-zero codes are never retried.
    """
    if code is not None and code != 0:
        if code in _RESIGN_CODES:
            return Decision(Action.RESIGN)
        if code in _RETRY_CODES:
            return Decision(Action.RETRY, _RETRY_CODES[code], ambiguous=code >= 5000)
        return Decision(Action.RAISE, ambiguous=http_status >= 500)
    if 200 <= http_status < 300:
        return Decision(Action.SUCCESS)
    if code is None and http_status in BARE_RETRY_STATUSES:
        return Decision(Action.RETRY, ambiguous=http_status >= 500 or http_status == 408)
    return Decision(Action.RAISE, ambiguous=http_status >= 500)


def backoff_delay(attempt: int, kind: str = "default", rand: Callable[[], float] | None = None) -> float:
    """Seconds before retry number ``attempt`` (0-based): ``min(0.5 * 2**n, 8) * U(0.75, 1)``; for
    ``concurrency`` (1303) ``min(1 * 2**n, 30) * U(0.75, 1)`` and never below 1 s."""
    u = rand() if rand is not None else 1.0
    u = min(max(u, 0.0), 1.0)
    jitter = C.JITTER_LOW + (1 - C.JITTER_LOW) * u
    n = min(max(attempt, 0), 32)  # cap the exponent: 2**big overflows float maths elsewhere
    if kind == "concurrency":
        delay = min(C.CONCURRENCY_BACKOFF_BASE * 2.0**n, C.CONCURRENCY_BACKOFF_CAP) * jitter
        return max(delay, C.CONCURRENCY_BACKOFF_FLOOR)
    return min(C.BACKOFF_BASE * 2.0**n, C.BACKOFF_CAP) * jitter


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """The delay a server asked for, in seconds: ``retry-after-ms``, or ``Retry-After`` as seconds or an
    HTTP date (``now`` is Unix seconds). None when absent or garbage (nan, inf, negative, bad dates)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        try:
            ms = float(raw_ms)
        except ValueError:
            ms = math.nan
        if math.isfinite(ms) and ms >= 0:
            return ms / 1000.0
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now
        return max(seconds, 0.0)
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


@dataclass(frozen=True)
class RetryPlan:
    """``delay`` seconds to sleep before retrying, or ``give_up`` with the reason (``exhausted`` when
    retries ran out, ``retry_after_too_long`` when the server asked for longer than ``RETRY_AFTER_MAX``)."""

    delay: float = 0.0
    give_up: str | None = None
    retry_after: float | None = None


def plan_retry(
    attempt: int,
    max_retries: int,
    kind: str = "default",
    retry_after: float | None = None,
    rand: Callable[[], float] | None = None,
) -> RetryPlan:
    """Whether and when to retry after failed attempt number ``attempt`` (0-based)."""
    if retry_after is not None and retry_after > C.RETRY_AFTER_MAX:
        return RetryPlan(give_up="retry_after_too_long", retry_after=retry_after)
    if attempt >= max_retries:
        return RetryPlan(give_up="exhausted", retry_after=retry_after)
    if retry_after is not None and retry_after > 0:
        floor = C.CONCURRENCY_BACKOFF_FLOOR if kind == "concurrency" else 0.0
        return RetryPlan(delay=max(retry_after, floor), retry_after=retry_after)
    return RetryPlan(delay=backoff_delay(attempt, kind, rand))


def poll_delay(
    n: int,
    initial: float = C.POLL_INITIAL,
    *,
    growth: float = C.POLL_GROWTH,
    cap: float = C.POLL_OLD_CAP,
    rand: Callable[[], float] | None = None,
    remaining: float | None = None,
    elapsed: float | None = None,
) -> float:
    """Seconds before status check number ``n + 1``: ``initial * 1.5**n`` up to ``cap``, times a jitter
    in ``[0.8, 1.2]``, clamped to the ``remaining`` budget (never below a small floor).

    With ``elapsed`` (seconds the task has run), the delay is also held under ``POLL_FRACTION * elapsed``
    (but not under ``POLL_FLOOR``), so the lag between a task finishing and the wait noticing it stays a
    small share of the task's own duration, for a 20-second image as for a 4-minute video.
    """
    base = min(initial * growth ** min(max(n, 0), 64), max(cap, initial))
    if elapsed is not None:
        base = min(base, max(C.POLL_FRACTION * max(elapsed, 0.0), C.POLL_OLD_FLOOR))
    u = rand() if rand is not None else 0.5
    delay = base * (1 - C.POLL_JITTER + 2 * C.POLL_JITTER * min(max(u, 0.0), 1.0))
    if remaining is not None:
        delay = min(delay, max(remaining, 0.0))
    return max(delay, C.POLL_MIN) if remaining is None or remaining > 0 else 0.0


def next_check(
    age: float,
    typical: tuple[float, float] | None = None,
    fixed: float | None = None,
    floor: float = C.POLL_FLOOR,
    learned: bool = False,
    gain: float = 1.0,
) -> float:
    """Seconds from now to the next status check of a task that has run ``age`` seconds and was just
    checked. ``typical`` is the ``(min, max)`` for the task (the catalog's, or with ``learned`` the
    range the hub learned from finished tasks of its kind); ``fixed`` is a caller's ``poll_interval``,
    kept as given.

    Without a typical time the checks are ``POLL_SHARE_LATE * age`` apart. With one, the schedule sleeps
    until ``POLL_FIRST_SHARE * min`` (at most ``POLL_CAP`` at a time), checks ``POLL_SHARE_EARLY * age`` apart up to ``min``,
    ``POLL_SHARE_TYPICAL * age`` apart up to ``max`` (where tasks end: the lag stays a few per cent of the
    task's duration), then ``POLL_SHARE_LATE * age``. Always between ``floor`` and ``POLL_CAP``. A
    learned range already has its margin: the first check comes at its minimum, and inside it the
    checks are also at most ``1 / PACE_RANGE_CHECKS`` of its width apart. ``gain`` (>= 1) divides the
    spacing from the typical minimum on: a task whose status request serves others too costs a share
    of it, so it can be looked at more often for the same requests.
    """
    if fixed is not None:
        return max(fixed, C.POLL_MIN)
    age = max(age, 0.0)
    share = C.POLL_SHARE_LATE
    cap = max(C.POLL_CAP, floor)  # even a long model's task is looked at twice a minute
    if typical is not None and typical[0] > 0:
        low, high = typical
        first = (1.0 if learned else C.POLL_FIRST_SHARE) * low
        if age < first:
            return min(max(first - age, floor), cap)
        if age < low:
            return min(max(min(C.POLL_SHARE_EARLY * age, low - age), floor), cap)
        if age < high:
            gap = C.POLL_SHARE_TYPICAL * age / gain
            if learned:
                gap = min(gap, (high - low) / C.PACE_RANGE_CHECKS)
            return min(max(gap, floor), cap)
    return min(max(share * age / gain, floor), cap)
