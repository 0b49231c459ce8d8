"""Waiting at scale against the sandbox over HTTP, counted at the server: one task; 40 separate waits from
coroutines and from threads; ``as_completed`` over 40 tasks; legacy checks on a busy account; and the
same scenarios through ``Kling`` and ``AsyncKling`` with the same results and request counts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from klingkit import AsyncKling, Kling, Task, TaskStatus
from klingkit.errors import TaskFailedError

pytestmark = pytest.mark.integration


def status_requests(sb: Any, since: dict[str, Any]) -> dict[str, int]:
    """Status (GET) requests per route since ``since`` (a counters() snapshot)."""
    now = sb.counters()["requests"]
    return {k: n - since["requests"].get(k, 0) for k, n in now.items() if k.startswith("GET ") and n}


def make_videos(client: Kling, n: int, fail: set[int] = frozenset()) -> list[Task]:  # type: ignore[assignment]
    return [
        client.videos.text_to_video(
            prompt="sandbox-risk-fail" if i in fail else f"fox {i}", model_name="kling-3.0", duration=5
        )
        for i in range(n)
    ]


@pytest.fixture
def fast(sb: Any) -> Any:
    sb.configure(concurrency={"video": 1000, "image": 1000})
    return sb


def test_one_task_costs_one_status_request_when_it_is_already_done(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        [task] = make_videos(client, 1)
        before = fast.counters()
        assert client.tasks.wait(task).succeeded
    assert status_requests(fast, before) == {"GET /tasks": 1}


async def test_forty_gathered_async_waits_cost_what_wait_many_costs(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as maker:
        tasks = make_videos(maker, 40)
    async with AsyncKling(api_key=fast.api_key, base_url=fast.base_url) as client:
        before = fast.counters()
        done = await asyncio.gather(*(client.tasks.wait(t) for t in tasks))
        gathered = status_requests(fast, before)
        before = fast.counters()
        many = await client.tasks.wait_many(tasks)
        coalesced = status_requests(fast, before)
    assert [t.id for t in done] == [t.id for t in tasks] and all(t.succeeded for t in done)
    assert all(t.succeeded for t in many)
    assert gathered == coalesced == {"GET /tasks": 2}  # 40 ids, 20 per request, one round


def test_forty_waits_from_threads_share_their_status_requests(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        tasks = make_videos(client, 40)
        results: dict[str, Task] = {}
        before = fast.counters()
        threads = [
            threading.Thread(target=lambda t=t: results.update({t.id: client.tasks.wait(t)})) for t in tasks
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        used = status_requests(fast, before)
    assert len(results) == 40 and all(t.succeeded for t in results.values())
    # Independent polling would send at least 40; threads that start within the gathering window share
    # one round of 2 requests, stragglers on a loaded machine a few more.
    assert set(used) == {"GET /tasks"} and used["GET /tasks"] <= 8


def test_threads_waiting_on_running_tasks_share_rounds(fast: Any) -> None:
    fast.configure(task_seconds=0.6)
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        tasks = make_videos(client, 40)
        before = fast.counters()
        threads = [
            threading.Thread(target=client.tasks.wait, args=(t,), kwargs={"poll_interval": 0.2})
            for t in tasks
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        used = status_requests(fast, before)["GET /tasks"]
    assert used <= 20  # about 4 rounds of 2 requests; 40 independent pollers would send 120 or more


def test_as_completed_yields_every_task_once_and_a_failure_does_not_stop_the_rest(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        tasks = make_videos(client, 40, fail={7})
        before = fast.counters()
        seen = list(client.tasks.as_completed(tasks))
        used = status_requests(fast, before)
    assert sorted(t.id for t in seen) == sorted(t.id for t in tasks)
    by_id = {t.id: t for t in seen}
    assert by_id[tasks[7].id].status is TaskStatus.FAILED
    assert sum(t.succeeded for t in seen) == 39
    assert used == {"GET /tasks": 2}


def test_as_completed_hands_out_unfinished_tasks_when_the_budget_runs_out(fast: Any) -> None:
    fast.configure(task_seconds=600)
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        tasks = make_videos(client, 3)
        seen = list(client.tasks.as_completed(tasks, max_wait=0.3))
    assert sorted(t.id for t in seen) == sorted(t.id for t in tasks)
    assert all(not t.done for t in seen)


def test_legacy_checks_on_a_busy_account_stay_small(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        for i in range(30):  # other finished tasks on the same list
            client.images.generate(prompt=f"old {i}", model_name="kling-v2-1")
        fast.configure(task_seconds=0.4)
        mine = [client.images.generate(prompt=f"new {i}", model_name="kling-v2-1") for i in range(3)]
        before = fast.counters()
        done = client.tasks.wait_many(mine, poll_interval=0.2)
        used = status_requests(fast, before)
    assert all(t.succeeded for t in done)
    # Never the 500-row list page: three tasks are cheaper as three small queries.
    assert set(used) == {"GET /v1/images/generations/{id}"}


# --- the same scenarios through Kling and AsyncKling -------------------------------------------------


def _scenarios_sync(client: Kling) -> dict[str, Any]:
    out: dict[str, Any] = {}
    [one] = make_videos(client, 1)
    out["one"] = client.tasks.wait(one).status.value
    tasks = make_videos(client, 25, fail={3})
    out["many"] = [t.status.value for t in client.tasks.wait_many(tasks)]
    out["as_completed"] = sorted(t.status.value for t in client.tasks.as_completed(tasks))
    images = [client.images.generate(prompt=f"cat {i}", model_name="kling-v2-1") for i in range(4)]
    out["mixed"] = [t.status.value for t in client.tasks.wait_many([*images, *tasks[:5]])]
    with pytest.raises(TaskFailedError):
        client.tasks.wait(tasks[3])
    out["failed"] = "raised"
    return out


async def _scenarios_async(client: AsyncKling) -> dict[str, Any]:
    async def videos(n: int, fail: set[int] = frozenset()) -> list[Task]:  # type: ignore[assignment]
        return [
            await client.videos.text_to_video(
                prompt="sandbox-risk-fail" if i in fail else f"fox {i}", model_name="kling-3.0", duration=5
            )
            for i in range(n)
        ]

    out: dict[str, Any] = {}
    [one] = await videos(1)
    out["one"] = (await client.tasks.wait(one)).status.value
    tasks = await videos(25, fail={3})
    out["many"] = [t.status.value for t in await client.tasks.wait_many(tasks)]
    out["as_completed"] = sorted([t.status.value async for t in client.tasks.as_completed(tasks)])
    images = [await client.images.generate(prompt=f"cat {i}", model_name="kling-v2-1") for i in range(4)]
    out["mixed"] = [t.status.value for t in await client.tasks.wait_many([*images, *tasks[:5]])]
    with pytest.raises(TaskFailedError):
        await client.tasks.wait(tasks[3])
    out["failed"] = "raised"
    return out


def test_sync_and_async_clients_behave_the_same(fast: Any) -> None:
    def run(scenario: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int]]:
        fast.reset()
        fast.configure(concurrency={"video": 1000, "image": 1000})
        before = fast.counters()
        result = scenario()
        return result, status_requests(fast, before)

    def sync() -> dict[str, Any]:
        with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
            return _scenarios_sync(client)

    def async_() -> dict[str, Any]:
        async def go() -> dict[str, Any]:
            async with AsyncKling(api_key=fast.api_key, base_url=fast.base_url) as client:
                return await _scenarios_async(client)

        return asyncio.run(go())

    sync_result, sync_counts = run(sync)
    async_result, async_counts = run(async_)
    assert sync_result == async_result
    assert sync_result["many"].count("failed") == 1 and sync_result["mixed"] == ["succeeded"] * 7 + [
        "failed",
        "succeeded",
    ]
    assert sync_counts == async_counts


# --- waits that end early leave nothing behind ---------------------------------------------------------


async def test_a_cancelled_async_wait_unregisters_and_others_go_on(fast: Any) -> None:
    fast.configure(task_seconds=600)
    async with AsyncKling(api_key=fast.api_key, base_url=fast.base_url) as client:
        slow = await client.videos.text_to_video(prompt="slow", model_name="kling-3.0", duration=5)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.tasks.wait(slow), 0.3)
        assert client._hub.idle() and client._hub.tracks == {}
        fast.configure(task_seconds=0)
        quick = await client.videos.text_to_video(prompt="quick", model_name="kling-3.0", duration=5)
        assert (await client.tasks.wait(quick)).succeeded  # the hub still serves new waits


def test_leaving_as_completed_early_stops_following_the_rest(fast: Any) -> None:
    with Kling(api_key=fast.api_key, base_url=fast.base_url) as client:
        done = make_videos(client, 2)
        fast.configure(task_seconds=600)
        slow = make_videos(client, 3)
        following = client.tasks.as_completed([*done, *slow])
        first = next(following)
        assert first.succeeded and first.id in {t.id for t in done}
        assert not client._hub.idle()  # still following the three slow ones
        following.close()
        assert client._hub.idle() and client._hub.tracks == {}
