"""The pace the status hub learns from finished tasks, as pure functions, and what the hub does with it:
a batch of 2 s tasks is checked at their real pace (not the catalog's 15-30 s), a throughput wait's own
floor holds, a kind never seen finishing is explored, and a caller's ``poll_interval`` still wins."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from klingkit import Task, TaskStatus, catalog
from klingkit._hub import StatusHub, Watch
from klingkit._hub_pace import PaceBook, explore_gap, finished_seconds, learned_range, pace_key
from klingkit._retry import next_check

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def image(tid: str, seconds: float | None = None, n: int = 1) -> Task:
    """A legacy image task; with ``seconds``, finished that long after it was created (server clock)."""
    done = seconds is not None
    return Task(
        id=tid,
        status=TaskStatus.SUCCEEDED if done else TaskStatus.PROCESSING,
        feature="images/generations",
        family="legacy",
        model="kling-v2-1",
        params={"n": n},
        created_at=T0,
        updated_at=T0 + timedelta(seconds=seconds or 0.0),
    )


def test_the_kind_of_a_task_is_what_its_time_depends_on() -> None:
    five = Task(id="a", feature="text-to-video", model="kling-3.0", params={"duration": 5, "mode": "std"})
    ten = Task(id="b", feature="text-to-video", model="kling-3.0", params={"duration": 10, "mode": "std"})
    pro = Task(id="c", feature="text-to-video", model="kling-3.0", params={"duration": 5, "mode": "pro"})
    again = Task(id="d", feature="text-to-video", model="kling-3.0", params={"duration": "5", "mode": "STD"})
    assert len({pace_key(five), pace_key(ten), pace_key(pro)}) == 3
    assert pace_key(again) == pace_key(five)  # the same request written differently
    assert pace_key(image("x", n=1)) != pace_key(image("y", n=4))
    assert pace_key(Task(id="e")) is None  # no route: nothing to learn for


def test_finished_seconds_read_the_servers_clock_only_when_believable() -> None:
    assert finished_seconds(image("a", 2.5)) == pytest.approx(2.5)
    assert finished_seconds(image("b")) is None  # still running
    assert finished_seconds(image("c", 0.0)) is None  # no duration: the server did not say
    naive = Task(id="d", status=TaskStatus.FAILED, created_at=datetime(2026, 1, 1),
                 updated_at=datetime(2026, 1, 1, 0, 1))  # fmt: skip
    assert finished_seconds(naive) == pytest.approx(60.0)
    week = image("e", 7 * 86400.0)
    assert finished_seconds(week) is None


def test_the_learned_range_narrows_as_samples_come_in() -> None:
    assert learned_range([]) is None
    one = learned_range([2.0])
    assert one == pytest.approx((1.5, 2.5))  # one sample: +-25 %
    many = learned_range([2.0 + 0.01 * i for i in range(20)])
    assert many is not None
    assert 1.9 < many[0] < 2.0 and 2.19 < many[1] < 2.3  # 10th-90th percentile, +-2 % with 20 samples
    # One odd task does not move the range much: the percentiles leave it out.
    odd = learned_range([2.0] * 19 + [60.0])
    assert odd is not None and odd[1] < 2.5


def test_pace_book_keeps_kinds_apart_and_forgets_old_samples() -> None:
    book = PaceBook()
    assert book.typical(image("a")) is None
    for i in range(30):
        book.observe(image(f"s{i}"), 100.0 if i < 10 else 2.0)  # an old slow spell, then 2 s tasks
    learned = book.typical(image("b"))
    assert learned is not None and learned[1] < 2.5  # only the latest 20 count
    assert book.typical(image("c", n=4)) is None  # another kind
    book.observe(image("d"), None)
    book.observe(Task(id="e", status=TaskStatus.SUCCEEDED), 3.0)  # no route, no kind: ignored
    assert book.typical(image("f")) == learned


def test_a_learned_range_is_checked_at_its_start_and_closely_inside_it() -> None:
    learned = (1.9, 2.2)
    assert next_check(0.0, learned, floor=0.05, learned=True) == pytest.approx(1.9)  # no 80 % margin
    assert next_check(0.0, learned, floor=0.05) == pytest.approx(0.8 * 1.9)  # the catalog's way
    inside = next_check(2.0, learned, floor=0.05, learned=True)
    assert inside == pytest.approx(0.075)  # a quarter of the range's width, under 8 % of the age
    assert next_check(2.0, learned, floor=2.0, learned=True) == 2.0  # the floor still holds
    assert next_check(2.0, learned, fixed=0.5, floor=0.05, learned=True) == 0.5  # poll_interval wins


def test_a_batch_checks_a_task_just_after_the_typical_one_of_its_kind() -> None:
    """Moved from the batch runner's retired ``DurationModel`` (the hub does this for the batch now):
    after tasks of ~10 s were seen finishing, a new one is first checked close to 10 s (not the catalog's
    range), and one found running at 10.3 s is checked again within a second."""
    book = PaceBook()
    for i, seconds in enumerate((10.0, 10.2, 9.8)):
        book.observe(image(f"t{i}"), seconds)
    learned = book.typical(image("new"))
    assert learned is not None
    assert 8.5 <= next_check(0.0, learned, floor=0.05, learned=True) <= 10.6
    assert next_check(10.3, learned, floor=0.05, learned=True) <= 1.0


def test_exploring_starts_at_half_a_second_and_grows_with_the_age() -> None:
    assert explore_gap(0.0, 0.05) == 0.5
    assert explore_gap(4.0, 0.05) == 1.0
    assert explore_gap(10_000.0, 0.05) == 30.0
    assert explore_gap(0.0, 4.0) == 4.0  # never under the wait's floor


def _drive(hub: StatusHub, finish: dict[str, float], until: float) -> list[tuple[float, list[str]]]:
    """Run the hub's schedule on a fake clock: each task ends at ``finish[id]`` (server time = clock)."""
    rounds = []
    now = 0.0
    while now < until:
        queries, next_at = hub.plan(now)
        if not queries:
            if next_at is None:
                break
            now = max(next_at, now)
            continue
        asked = [tid for q in queries for tid in q.ids]
        rounds.append((now, asked))
        found = {}
        for tid in asked:
            done = now >= finish[tid]
            task = image(tid, finish[tid] if done else None)
            found[tid] = task
        hub.apply(asked, found, [], now, None)
    return rounds


def test_a_throughput_wait_learns_the_real_pace_of_two_second_tasks() -> None:
    catalog_low, _ = catalog.typical_seconds("images/generations", count=1)
    assert catalog_low > 10  # the catalog expects 15 s or more: checking then would waste 80 % of a slot
    hub = StatusHub(wall=lambda: T0.timestamp())  # server created_at = T0 = our 0 s
    first = Watch(("a",), None, None, floor=0.05)
    hub.add(first, [image("a")], now=0.0)
    rounds = _drive(hub, {"a": 2.0}, until=40.0)
    checks = [at for at, asked in rounds if "a" in asked]
    assert checks[-1] - 2.0 <= 0.5 + 1e-9  # explored: noticed within half a second, not at 12 s
    assert len(checks) <= 6
    hub.remove(first)
    assert hub.pace.typical(image("b")) == pytest.approx((1.5, 2.5))
    # The next task of the kind is looked at when it should end, then closely.
    second = Watch(("b",), None, None, floor=0.05)
    hub.add(second, [image("b")], now=0.0)
    rounds = _drive(hub, {"b": 2.1}, until=40.0)
    checks = [at for at, asked in rounds if "b" in asked]
    assert checks[-1] - 2.1 <= 0.3
    assert len(checks) <= 6


def test_a_lone_wait_uses_the_learned_pace_but_keeps_its_two_second_floor() -> None:
    hub = StatusHub(wall=lambda: T0.timestamp())
    for i in range(5):
        hub.pace.observe(image(f"p{i}"), 2.0)
    watch = Watch(("a",), None, None)
    hub.add(watch, [image("a")], now=0.0)
    rounds = _drive(hub, {"a": 2.0}, until=60.0)
    checks = [at for at, asked in rounds if "a" in asked]
    assert all(b - a >= 2.0 - 1e-9 for a, b in itertools.pairwise(checks))
    assert checks[-1] <= 4.1  # not the catalog's 12 s first check


def test_a_callers_poll_interval_wins_over_the_learned_pace() -> None:
    hub = StatusHub(wall=lambda: T0.timestamp())
    for i in range(5):
        hub.pace.observe(image(f"p{i}"), 2.0)
    watch = Watch(("a",), None, fixed=5.0, floor=0.05)
    hub.add(watch, [image("a")], now=0.0)
    rounds = _drive(hub, {"a": 2.0}, until=60.0)
    checks = [at for at, asked in rounds if "a" in asked]
    assert checks[-1] == pytest.approx(5.0, abs=0.1)
    assert all(b - a == pytest.approx(5.0) for a, b in itertools.pairwise(checks))


def test_tasks_sharing_requests_are_checked_closer_for_no_more_requests_each() -> None:
    """40 videos waited on together ride in two /tasks requests: each is looked at up to 2.5 times as
    often near its finish (a median lag under 2.5 s) and still costs fewer requests than one alone."""
    assert next_check(120.0, (90.0, 180.0), gain=2.5) == pytest.approx(0.08 * 120 / 2.5)
    assert next_check(10.0, (90.0, 180.0), gain=2.5) == next_check(10.0, (90.0, 180.0))  # the sleep stays

    def video(tid: str, finish: float, now: float) -> Task:
        done = now >= finish
        return Task(id=tid, status=TaskStatus.SUCCEEDED if done else TaskStatus.PROCESSING, family="new",
                    feature="text-to-video", model="kling-3.0", created_at=T0,
                    updated_at=T0 + timedelta(seconds=finish if done else 0))  # fmt: skip

    def wait(n: int) -> tuple[float, float]:
        central = catalog.task_seconds("text-to-video", model="kling-3.0")
        finish = {f"v{i}": central * (0.8 + 0.5 * i / max(n - 1, 1)) for i in range(n)}
        hub = StatusHub(wall=lambda: T0.timestamp())
        hub.add(Watch(tuple(finish), None, None), [video(t, f, 0.0) for t, f in finish.items()], now=0.0)
        now, sent, lags = 0.0, 0, {}
        while len(lags) < n:
            queries, next_at = hub.plan(now)
            if not queries:
                assert next_at is not None
                now = next_at
                continue
            sent += len(queries)
            asked = [tid for q in queries for tid in q.ids]
            hub.apply(asked, {t: video(t, finish[t], now) for t in asked}, [], now, None)
            lags.update({t: now - finish[t] for t in asked if now >= finish[t] and t not in lags})
        return sent / n, sorted(lags.values())[n // 2]

    alone, _ = wait(1)
    together, together_lag = wait(40)
    assert together < 1.5 and together < alone
    assert together_lag <= 2.5
