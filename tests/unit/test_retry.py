"""The retry policy as a table: every (HTTP status, Kling code) row, the backoff maths, Retry-After."""

from __future__ import annotations

import itertools

import pytest

from klingkit._retry import Action, backoff_delay, classify, parse_retry_after, plan_retry, poll_delay

R, X, S, RS = Action.RETRY, Action.RAISE, Action.SUCCESS, Action.RESIGN

# (http status, body code, action, backoff kind, ambiguous for a create)
TABLE = [
    (200, 0, S, "default", False),
    (200, None, S, "default", False),
    (401, 1000, X, "default", False),
    (401, 1001, X, "default", False),
    (401, 1002, X, "default", False),
    (401, 1003, RS, "default", False),
    (401, 1004, RS, "default", False),
    (429, 1100, X, "default", False),
    (429, 1101, X, "default", False),
    (429, 1102, X, "default", False),  # billing, not a rate limit, although it arrives as 429
    (403, 1103, X, "default", False),
    (400, 1200, X, "default", False),
    (400, 1201, X, "default", False),
    (404, 1202, X, "default", False),
    (404, 1203, X, "default", False),
    (400, 1300, X, "default", False),
    (400, 1301, X, "default", False),
    (429, 1302, R, "default", False),
    (429, 1303, R, "concurrency", False),
    (429, 1304, X, "default", False),
    (500, 5000, R, "default", True),
    (503, 5001, R, "default", True),
    (504, 5002, R, "default", True),
    (200, 1303, R, "concurrency", False),  # the body's code counts even on HTTP 200
    (200, 1102, X, "default", False),
    (200, 1201, X, "default", False),
    (429, None, R, "default", False),  # bare statuses: a proxy answered
    (502, None, R, "default", True),
    (503, None, R, "default", True),
    (504, None, R, "default", True),
    (408, None, R, "default", True),
    (500, None, X, "default", True),
    (400, None, X, "default", False),
    (401, None, X, "default", False),
    (404, None, X, "default", False),
    (429, 9999, X, "default", False),  # unknown codes are never retried
    (500, 9999, X, "default", True),
]


@pytest.mark.parametrize(("status", "code", "action", "kind", "ambiguous"), TABLE)
def test_classify_table(status: int, code: int | None, action: Action, kind: str, ambiguous: bool) -> None:
    d = classify(status, code)
    assert (d.action, d.backoff, d.ambiguous) == (action, kind, ambiguous)


def test_every_catalog_error_code_has_a_row() -> None:
    from klingkit.catalog import ERROR_CODES

    covered = {code for _, code, *_ in TABLE if code}
    assert set(ERROR_CODES) <= covered


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(0, 0.375, 0.5), (1, 0.75, 1.0), (2, 1.5, 2.0), (4, 6.0, 8.0), (10, 6.0, 8.0), (10_000, 6.0, 8.0)],
)
def test_default_backoff_bounds(attempt: int, low: float, high: float) -> None:
    assert backoff_delay(attempt, rand=lambda: 0.0) == pytest.approx(low)
    assert backoff_delay(attempt, rand=lambda: 1.0) == pytest.approx(high)


def test_concurrency_backoff_starts_at_one_second_and_caps_at_30() -> None:
    assert backoff_delay(0, "concurrency", rand=lambda: 0.0) >= 1.0
    assert backoff_delay(3, "concurrency", rand=lambda: 1.0) == pytest.approx(8.0)
    assert backoff_delay(20, "concurrency", rand=lambda: 1.0) == pytest.approx(30.0)
    assert backoff_delay(20, "default", rand=lambda: 1.0) == pytest.approx(8.0)


def test_retry_after_forms() -> None:
    now = 1_000_000.0
    assert parse_retry_after({"Retry-After": "3"}, now) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}, now) == 1.5
    assert parse_retry_after({"retry-after-ms": "250"}, now) == 0.25
    date = "Mon, 12 Jan 1970 13:46:50 GMT"  # 1_000_010 s after the epoch
    assert parse_retry_after({"Retry-After": date}, now) == pytest.approx(10.0)
    for garbage in ("nan", "inf", "-3", "soon", ""):
        assert parse_retry_after({"Retry-After": garbage}, now) is None
    assert parse_retry_after({}, now) is None


def test_plan_retry_honours_and_caps_retry_after() -> None:
    assert plan_retry(0, 3, retry_after=5.0).delay == 5.0
    too_long = plan_retry(0, 3, retry_after=120.0)
    assert too_long.give_up == "retry_after_too_long" and too_long.retry_after == 120.0
    assert plan_retry(3, 3).give_up == "exhausted"
    assert plan_retry(0, 0).give_up == "exhausted"


def test_poll_schedule_grows_to_a_cap_and_respects_the_budget() -> None:
    mid = [poll_delay(n, 2.0, rand=lambda: 0.5) for n in range(10)]
    assert mid[0] == pytest.approx(2.0) and mid[1] == pytest.approx(3.0)
    assert max(mid) == pytest.approx(15.0)
    assert all(b >= a for a, b in itertools.pairwise(mid))
    assert poll_delay(8, 2.0, rand=lambda: 1.0) == pytest.approx(15.0 * 1.2)
    assert poll_delay(8, 2.0, rand=lambda: 0.5, remaining=1.25) == pytest.approx(1.25)
    assert poll_delay(0, 2.0, remaining=0.0) == 0.0


def test_default_poll_schedule_keeps_the_lag_a_small_share_of_the_running_time() -> None:
    # A task that has run 60 s is checked again within 8% of that (4.8 s), a long one within the cap,
    # and a young one no more often than once a second.
    assert poll_delay(10, 2.0, rand=lambda: 0.5, elapsed=60.0) == pytest.approx(4.8)
    assert poll_delay(10, 2.0, rand=lambda: 0.5, elapsed=600.0) == pytest.approx(15.0)
    assert poll_delay(10, 2.0, rand=lambda: 0.5, elapsed=0.2) == pytest.approx(1.0)
