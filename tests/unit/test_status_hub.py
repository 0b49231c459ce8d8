"""The status hub's decisions as pure functions: which requests serve which tasks, a legacy list page or
one query per task, which tasks are due, and the schedule that follows the model's pace."""

from __future__ import annotations

import math
from typing import Any

import pytest

from klingkit import Task, TaskStatus, catalog
from klingkit._hub import StatusHub, Watch, typical_of
from klingkit._retry import next_check
from klingkit._status import legacy_page_is_cheaper, plan_status_queries, read_status_answer


def new_tasks(n: int, prefix: str = "N") -> list[Task]:
    return [
        Task(id=f"{prefix}{i}", family="new", feature="text-to-video", model="kling-3.0") for i in range(n)
    ]


def legacy_tasks(n: int, feature: str = "text2video") -> list[Task]:
    return [Task(id=f"L{i}", family="legacy", feature=feature) for i in range(n)]


def served(queries: list[Any]) -> list[str]:
    return sorted(tid for q in queries for tid in q.ids)


def test_2026_ids_go_twenty_to_a_request_each_once() -> None:
    tasks = new_tasks(45)
    queries = plan_status_queries(tasks)
    assert [len(q.ids) for q in queries] == [20, 20, 5]
    assert all(q.path == "/tasks" and q.params["task_ids"] == ",".join(q.ids) for q in queries)
    assert served(queries) == sorted(t.id for t in tasks)


def test_legacy_one_or_two_tasks_are_queried_one_by_one() -> None:
    for n in (1, 2):
        queries = plan_status_queries(legacy_tasks(n))
        assert [q.kind for q in queries] == ["single"] * n
        assert queries[0].path == "/v1/videos/text2video/L0"


def test_legacy_many_fresh_tasks_share_a_small_list_page() -> None:
    queries = plan_status_queries(legacy_tasks(10))
    [page] = queries
    assert page.kind == "page" and set(page.ids) == {f"L{i}" for i in range(10)}
    # Deep enough for our ten with a margin, nowhere near the 500-row page (~170 KB).
    assert 10 < page.params["pageSize"] <= 30 and page.params["pageNum"] == 1


def test_legacy_on_a_busy_account_prefers_queries_per_task() -> None:
    # Our oldest pending task was last seen 600 rows down (others keep creating): a page would carry
    # hundreds of rows for a handful of tasks.
    queries = plan_status_queries(legacy_tasks(3), depth={"text2video": 600})
    assert [q.kind for q in queries] == ["single"] * 3
    assert not legacy_page_is_cheaper(3, 600)
    # Many of ours near the top of a list: one page is cheaper.
    assert legacy_page_is_cheaper(40, 45)
    page = plan_status_queries(legacy_tasks(40), depth={"text2video": 45})[0]
    assert page.kind == "page" and page.params["pageSize"] < 100


def test_a_page_teaches_depth_and_which_ids_it_does_not_show() -> None:
    tasks = legacy_tasks(5)
    [page] = plan_status_queries(tasks, depth={"text2video": 4})
    rows = [{"task_id": f"X{i}", "task_status": "processing"} for i in range(3)]
    rows += [{"task_id": f"L{i}", "task_status": "succeed"} for i in range(4)]  # L4 is not shown
    depth: dict[str, int] = {}
    unlisted: set[str] = set()
    found, follow = read_status_answer(page, rows, depth, unlisted)
    assert set(found) == {"L0", "L1", "L2", "L3"} and found["L0"].status is TaskStatus.SUCCEEDED
    assert [q.ids for q in follow] == [("L4",)] and follow[0].kind == "single"
    assert depth == {"text2video": 7} and unlisted == {"L4"}
    # Next time the unlisted id is asked for on its own; the others may still share a page.
    again = plan_status_queries(legacy_tasks(5), depth=depth, unlisted=unlisted)
    assert ("L4",) in [q.ids for q in again if q.kind == "single"]


def test_hub_serves_forty_registered_waits_with_two_requests() -> None:
    hub = StatusHub(wall=lambda: 0.0)
    tasks = new_tasks(40)
    watches = [Watch((t.id,), deadline=None, fixed=None) for t in tasks]
    for w, t in zip(watches, tasks, strict=True):
        hub.add(w, [t], now=100.0)
    queries, _ = hub.plan(now=100.0)
    assert queries == []  # gathering: waits starting in the same moment share the first round
    queries, _ = hub.plan(now=100.05)
    assert [len(q.ids) for q in queries] == [20, 20] and served(queries) == sorted(t.id for t in tasks)
    answer = {t.id: Task(id=t.id, status=TaskStatus.PROCESSING, family="new") for t in tasks[:39]}
    answer[tasks[39].id] = Task(id=tasks[39].id, status=TaskStatus.SUCCEEDED, family="new")
    hub.apply([t.id for t in tasks], answer, [], now=100.05, fixed_default=None)
    assert [d[tasks[39].id].status for d in watches[39].inbox] == [TaskStatus.SUCCEEDED]
    queries, next_at = hub.plan(now=100.1)
    low, _ = catalog.typical_seconds("text-to-video", model="kling-3.0")
    assert queries == [] and next_at == pytest.approx(100.0 + min(0.8 * low, 30.0), abs=0.1)
    for w in watches:
        hub.remove(w)
    assert hub.idle() and hub.tracks == {}


def test_tasks_due_soon_ride_along_in_free_places() -> None:
    hub = StatusHub(wall=lambda: 0.0)
    first, later = new_tasks(1, "A"), new_tasks(1, "B")
    hub.add(Watch(("A0",), None, None), first, now=0.0)
    q1, _ = hub.plan(now=0.05)
    assert served(q1) == ["A0"]
    hub.apply(["A0"], {"A0": Task(id="A0", status=TaskStatus.PROCESSING)}, [], 0.05, None)
    hub.add(Watch(("B0",), None, None), later, now=3.0)  # a wait started 3 s later: its own first check
    q2, _ = hub.plan(now=3.05)
    assert served(q2) == ["B0"]  # A0 was checked 3 s ago and is not due for a minute: no ride
    hub.apply(["B0"], {"B0": Task(id="B0", status=TaskStatus.PROCESSING)}, [], 3.05, None)
    a_due = hub.tracks["A0"].next_due
    q3, _ = hub.plan(now=a_due)
    assert served(q3) == ["A0", "B0"]  # B0 is due 3 s after A0: it rides in A0's /tasks request


def test_deadline_forces_a_last_check_and_ends_the_wait() -> None:
    hub = StatusHub(wall=lambda: 0.0)
    watch = Watch(("N0",), deadline=10.0, fixed=None)
    hub.add(watch, new_tasks(1), now=0.0)
    hub.apply(["N0"], {"N0": Task(id="N0", status=TaskStatus.PROCESSING)}, [], 0.05, None)
    queries, next_at = hub.plan(now=1.0)
    assert queries == [] and next_at == 10.0
    queries, _ = hub.plan(now=10.0)
    assert served(queries) == ["N0"]
    hub.apply(["N0"], {}, [RuntimeError("flaky")], 10.0, None)
    assert watch.expired and len(watch.errors) == 1
    assert hub.plan(now=11.0) == ([], None)  # nobody waits for it any more


def test_done_tasks_are_handed_back_without_a_request() -> None:
    hub = StatusHub(wall=lambda: 0.0)
    watch = Watch(("D",), None, None)
    hub.add(watch, [Task(id="D", status=TaskStatus.SUCCEEDED, family="new")], now=0.0)
    assert [list(d) for d in watch.inbox] == [["D"]] and hub.plan(now=1.0) == ([], None)


def test_schedule_follows_the_typical_time() -> None:
    typical = (90.0, 180.0)
    assert next_check(0.0, (30.0, 60.0)) == pytest.approx(24.0)  # sleeps to 80% of the typical minimum
    assert next_check(0.0, typical) == 30.0  # ... but looks at least twice a minute
    assert next_check(60.0, typical) == pytest.approx(12.0)
    assert next_check(72.0, typical) == pytest.approx(18.0)  # early: wide steps, not past the minimum
    assert next_check(100.0, typical) == pytest.approx(8.0)  # inside the range: 8% of the age
    assert next_check(200.0, typical) == pytest.approx(20.0)  # late: 10% of the age
    assert next_check(1000.0, typical) == 30.0  # capped
    assert next_check(5.0, (3.0, 6.0)) == 2.0  # a lone task: never closer than 2 s
    assert next_check(50.0, None, floor=5.0) == 5.0 and next_check(100.0, None, floor=5.0) == 10.0
    assert next_check(500.0, typical, fixed=7.5) == 7.5  # the caller's poll_interval is kept


def test_schedule_beats_a_five_second_poller_and_keeps_the_lag_small() -> None:
    for central in (40.0, 115.0, 240.0):
        typical = (0.75 * central, 1.5 * central)
        for finish in (0.8 * central, central, 1.2 * central, 1.45 * central):
            age, checks = 0.0, 1
            while age < finish:
                age += next_check(age, typical)
                checks += 1
            assert checks <= math.ceil(finish / 5)  # no more than a 5 s poller would send
            if finish <= 1.2 * central:  # a usual finish: 10 checks, or fewer than a 10 s poller's
                assert checks <= max(10, math.ceil(finish / 10) + 1)
            assert age - finish <= 0.08 * finish + 2.0  # noticed within 8% (plus one 2 s step)


def test_typical_time_comes_from_the_catalog_and_the_task_parameters() -> None:
    short = Task(id="a", feature="text-to-video", model="kling-3.0", params={"duration": 5, "mode": "std"})
    long = Task(id="b", feature="text-to-video", model="kling-3.0", params={"duration": 10, "mode": "pro"})
    lo_short, hi_short = typical_of(short) or (0, 0)
    lo_long, _ = typical_of(long) or (0, 0)
    assert 0 < lo_short < hi_short and lo_long > hi_short / 1.5
    assert typical_of(Task(id="c", family="new")) is None  # route unknown: no guess
    image = typical_of(Task(id="d", feature="images/generations"))
    assert image is not None and image[1] < lo_short
