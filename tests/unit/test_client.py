"""Submit (never a blind re-post), task reads, waiting with coalesced polls, account, error messages."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest

from klingkit import Task, TaskStatus, catalog
from klingkit.errors import APITimeoutError, NotFoundError, TaskFailedError, TaskTimeoutError, ValidationError


def legacy(task_id: str, status: str = "submitted", eid: str | None = None, **extra: Any) -> dict[str, Any]:
    data = {"task_id": task_id, "task_status": status, "task_info": {"external_task_id": eid} if eid else {},
            "created_at": 1781080778802, "updated_at": 1781080778802, **extra}  # fmt: skip
    if status == "succeed":
        data["task_result"] = {
            "videos": [{"id": "v", "url": f"https://cdn.test/{task_id}.mp4", "duration": "5"}]
        }
        data["final_unit_deduction"] = "1.5"
    return data


class FakeLegacyKling:
    """A tiny stateful legacy server: creates by external id, answers GET by task id or external id."""

    def __init__(self, lose_create_response: int = 0, fail_create_before: int = 0) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.posts = 0
        self.gets = 0
        self.lose = lose_create_response
        self.fail_before = fail_create_before

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST":
            self.posts += 1
            if self.fail_before:
                self.fail_before -= 1
                return httpx.Response(500, json={"code": 5000, "message": "internal", "request_id": "r"})
            body = json.loads(request.content)
            eid = body["external_task_id"]
            tid = str(1000 + len(self.tasks))
            self.tasks[tid] = legacy(tid, eid=eid)
            if self.lose:
                self.lose -= 1
                raise httpx.ReadTimeout("response lost", request=request)
            return _ok(self.tasks[tid])
        self.gets += 1
        key = path.rsplit("/", 1)[-1]
        for tid, t in self.tasks.items():
            if key in (tid, t["task_info"].get("external_task_id")):
                return _ok(t)
        return httpx.Response(404, json={"code": 1203, "message": "task not found", "request_id": "r404"})


def _ok(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "message": "SUCCEED", "request_id": "rid", "data": data})


def test_submit_sets_an_external_id_before_sending(make_client: Any, kk: Any) -> None:
    server = FakeLegacyKling()
    task = make_client(server).submit(kk.Spec())
    sent = next(iter(server.tasks.values()))
    assert task.external_id == sent["task_info"]["external_task_id"]
    assert task.external_id.startswith("kk-") and len(task.external_id) == 35
    assert (task.feature, task.family, task.model, task.status) == ("text2video", "legacy", "kling-v2-6",
                                                                   TaskStatus.SUBMITTED)  # fmt: skip
    assert task.params["prompt"] == "a fox"


def test_lost_response_after_create_is_recovered_by_lookup_exactly_one_task(
    make_client: Any, kk: Any
) -> None:
    server = FakeLegacyKling(lose_create_response=1)
    task = make_client(server).submit(kk.Spec(external_id="kk-mine"))
    assert server.posts == 1 and len(server.tasks) == 1 and server.gets == 1
    assert task.id == "1000" and task.external_id == "kk-mine"


def test_5xx_on_create_without_a_task_resubmits_once_found_missing(make_client: Any, kk: Any) -> None:
    server = FakeLegacyKling(fail_create_before=1)
    task = make_client(server).submit(kk.Spec())
    assert server.posts == 2 and server.gets == 1 and len(server.tasks) == 1
    assert task.id == "1000"


def test_connect_refused_before_sending_is_retried_without_lookup(make_client: Any, kk: Any) -> None:
    server = FakeLegacyKling()
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return server(request)

    make_client(handler).submit(kk.Spec())
    assert calls == ["POST", "POST"] and server.gets == 0


def test_ambiguous_failures_that_persist_raise_without_duplicates(make_client: Any, kk: Any) -> None:
    posts = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(1)
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(404, json={"code": 1203, "message": "nope"})

    with pytest.raises(APITimeoutError):
        make_client(handler, max_retries=2).submit(kk.Spec())
    assert len(posts) == 3  # each re-post only after a lookup said the task does not exist


def test_new_family_lookup_uses_tasks_external_ids(make_client: Any, kk: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path} {request.url.query.decode()}")
        if request.method == "POST":
            assert json.loads(request.content)["options"]["external_task_id"] == "kk-new"
            raise httpx.RemoteProtocolError("dropped", request=request)
        return _ok([{"id": "900", "status": "processing", "external_id": "kk-new"}])

    spec = kk.Spec(feature="text-to-video", path="/text-to-video/kling-3.0", family="new", external_id="kk-new",
                   body={"prompt": "x", "options": {"external_task_id": "kk-new"}}, params={"prompt": "x"})  # fmt: skip
    task = make_client(handler).submit(spec)
    assert task.id == "900" and task.status is TaskStatus.PROCESSING and task.model == "kling-3.0"
    assert seen[1] == "GET /tasks external_task_ids=kk-new"


def test_get_probes_tasks_then_legacy_routes(make_client: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/tasks":
            return _ok([])
        if request.url.path == "/v1/videos/image2video/77":
            return _ok(legacy("77", "processing"))
        return httpx.Response(404, json={"code": 1203, "message": "not found"})

    task = make_client(handler).tasks.get("77")
    assert task.feature == "image2video" and task.status is TaskStatus.PROCESSING
    assert seen[:3] == ["/tasks", "/v1/videos/text2video/77", "/v1/videos/image2video/77"]


def test_get_not_found_anywhere(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"code": 1203, "message": "not found"})

    with pytest.raises(NotFoundError, match="not found on any route"):
        make_client(handler).tasks.get("nope")


def test_wait_polls_politely_and_notices_the_end_soon_until_success(make_client: Any, clock: Any) -> None:
    states = iter(["submitted", "processing", "processing", "succeed"])
    progress: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return _ok(legacy("1", next(states)))

    client = make_client(handler)
    start = Task(id="1", feature="text2video", family="legacy")
    done = client.tasks.wait(start, on_progress=lambda t, e: progress.append((t.status.value, e)))
    assert done.succeeded and done.units == 1.5 and done.feature == "text2video"
    assert [p[0] for p in progress] == ["submitted", "processing", "processing", "succeeded"]
    # The schedule follows the catalog's typical time for the task: one check at once (shared with waits
    # starting in the same 50 ms), none until 80% of the typical minimum (or 30 s), never two closer than 2 s,
    # at most 8% of the task's age apart inside the typical range (lag a few per cent), never over 30 s.
    low, _high = catalog.typical_seconds("text2video")
    age = 0.0
    for i, delay in enumerate(clock.sleeps):
        if i == 0:
            assert delay <= 0.05 + 1e-9
        elif i == 1:
            assert delay == pytest.approx(min(0.8 * low - age, 30.0))
        else:
            assert 2.0 - 1e-9 <= delay <= 30.0 and (age < low or delay <= 0.08 * age + 1e-9)
        age += delay


def test_wait_raises_task_failed_with_reason(make_client: Any) -> None:
    msg = "Failure to pass the risk control system"
    client = make_client(lambda r: _ok(legacy("1", "failed", task_status_msg=msg)))
    with pytest.raises(TaskFailedError) as info:
        client.tasks.wait(Task(id="1", feature="text2video", family="legacy"))
    text = str(info.value)
    assert "task 1 failed" in text and msg in text and "not charged" in text


def test_wait_times_out_with_resume_instructions_and_keeps_polling_through_errors(
    make_client: Any, clock: Any
) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) % 3 == 0:
            return httpx.Response(400, json={"code": 1200, "message": "flaky"})
        return _ok(legacy("42", "processing"))

    with pytest.raises(TaskTimeoutError) as info:
        make_client(handler).tasks.wait(Task(id="42", feature="text2video", family="legacy"), max_wait=60)
    err = info.value
    assert err.elapsed == pytest.approx(60, abs=0.01)  # the last sleep is clamped to the budget
    text = str(err)
    assert "still processing" in text and "billed" in text and "klingkit tasks wait 42" in text
    assert "client.tasks.wait('42')" in text


def test_wait_many_coalesces_status_requests(make_client: Any, clock: Any) -> None:
    polls = {"new": 0, "legacy_page": 0, "legacy_single": 0}
    rounds = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        done = rounds["n"] >= 2
        if request.url.path == "/tasks":
            polls["new"] += 1
            ids = request.url.params["task_ids"].split(",")
            assert len(ids) <= 20
            status = "succeeded" if done else "processing"
            return _ok([{"id": i, "status": status, "outputs": []} for i in ids])
        if request.url.path == "/v1/videos/text2video":
            polls["legacy_page"] += 1
            rounds["n"] += 1
            status = "succeed" if done else "processing"
            return _ok([legacy(f"L{i}", status) for i in range(10)])  # L10 is not on the page
        polls["legacy_single"] += 1
        return _ok(legacy("L10", "succeed" if done else "processing"))

    tasks = [Task(id=f"N{i}", family="new") for i in range(45)]
    tasks += [Task(id=f"L{i}", feature="text2video", family="legacy") for i in range(11)]
    # One fixed interval for all, so every round serves every task (the default schedule is per task).
    result = make_client(handler).tasks.wait_many(tasks, poll_interval=5)
    assert all(t.succeeded for t in result) and [t.id for t in result] == [t.id for t in tasks]
    rounds_made = polls["legacy_page"]
    assert polls["new"] == 3 * rounds_made  # 45 ids -> 3 requests per round
    assert 1 <= polls["legacy_single"] <= rounds_made  # only the task missing from the page


def test_wait_many_returns_unfinished_tasks_when_the_budget_runs_out(make_client: Any) -> None:
    client = make_client(lambda r: _ok([{"id": "a", "status": "processing"}]))
    [task] = client.tasks.wait_many([Task(id="a", family="new")], max_wait=10)
    assert task.status is TaskStatus.PROCESSING
    with pytest.raises(TaskTimeoutError):
        client.tasks.wait_many([Task(id="a", family="new")], max_wait=10, raise_on_error=True)


def test_resolve_hands_a_callback_result_to_a_waiting_loop(kk: Any) -> None:
    from klingkit import Kling

    polls = []

    def handler(request: httpx.Request) -> httpx.Response:
        polls.append(1)
        return _ok([{"id": "cb", "status": "processing"}])

    with Kling(api_key="k", base_url="http://127.0.0.1:9", transport=httpx.MockTransport(handler)) as client:
        resolved = Task(id="cb", status=TaskStatus.SUCCEEDED, family="new")
        timer = threading.Timer(0.2, client.tasks.resolve, args=(resolved,))
        timer.start()
        done = client.tasks.wait(Task(id="cb", family="new"), poll_interval=30, max_wait=60)
        timer.join()
    assert done.succeeded and len(polls) == 1  # woken by resolve, not by another poll


def test_iter_status_never_raises(make_client: Any) -> None:
    states = iter(["processing", "failed"])
    client = make_client(lambda r: _ok(legacy("1", next(states))))
    seen = [t.status for t in client.tasks.iter_status(Task(id="1", feature="text2video", family="legacy"))]
    assert seen == [TaskStatus.UNKNOWN, TaskStatus.PROCESSING, TaskStatus.FAILED]


def test_list_validates_paging(make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _ok([legacy("1", "succeed")])

    client = make_client(handler)
    page = client.tasks.list("text2video", page=2, page_size=1)
    assert page.items[0].id == "1" and page.has_more and page.page == 2
    assert dict(seen[0].url.params) == {"pageNum": "2", "pageSize": "1"}
    for bad in ({"page": 0}, {"page": 1001}, {"page_size": 0}, {"page_size": 501}):
        with pytest.raises(ValidationError):
            client.tasks.list("text2video", **bad)


def test_query_chunks_by_20(make_client: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["external_task_ids"].split(",")
        seen.append(str(len(ids)))
        return _ok([{"id": f"t{i}", "external_id": i, "status": "submitted"} for i in ids])

    tasks = make_client(handler).tasks.query(external_ids=[f"e{i}" for i in range(45)])
    assert seen == ["20", "20", "5"] and len(tasks) == 45


def test_account_billing_pages(make_client: Any) -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return _ok({"result": {"detail": [{"task_id": "1", "deduction_amount": 1.5}], "count": 1},
                    "next_cursor": "c2", "has_more": True})  # fmt: skip

    client = make_client(handler)
    page = client.account.billing_packages()
    assert page.items[0]["task_id"] == "1" and page.next_cursor == "c2" and page.has_more
    client.account.billing_balance(cursor="c2")
    assert bodies[0]["limit"] == 500 and "start_time" in bodies[0]
    assert bodies[1] == {"limit": 500, "cursor": "c2"}


async def test_async_submit_recovers_the_same_way(make_async_client: Any, kk: Any) -> None:
    server = FakeLegacyKling(lose_create_response=1)
    async with make_async_client(server) as client:
        task = await client.submit(kk.Spec())
        assert server.posts == 1 and len(server.tasks) == 1 and task.id == "1000"
        server.tasks["1000"] = legacy("1000", "succeed", eid=task.external_id)
        done = await client.tasks.wait(task)
    assert done.succeeded and done.params["prompt"] == "a fox"


def test_invalid_max_retries(kk: Any) -> None:
    from klingkit import Kling

    with pytest.raises(ValidationError, match="max_retries"):
        Kling(api_key="k", max_retries=-1)
