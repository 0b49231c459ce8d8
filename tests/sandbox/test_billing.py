"""Balances, charges and concurrency per resource pack."""

from __future__ import annotations

import httpx

from klingkit.sandbox import Sandbox

from .conftest import ManualClock, data, failure

T2V = "/v1/videos/text2video"


def remaining(api: httpx.Client, pack: str) -> float:
    infos = data(api.get("/account/costs", params={"start_time": 0, "end_time": 1}))[
        "resource_pack_subscribe_infos"
    ]
    return next(i["remaining_quantity"] for i in infos if i["resource_pack_id"] == f"sandbox-{pack}-pack")


def test_concurrency_limit_per_pack_is_1303(sandbox: Sandbox, api: httpx.Client, clock: ManualClock) -> None:
    sandbox.configure(task_seconds=60, concurrency={"video": 2})
    for _ in range(2):
        data(api.post(T2V, json={"prompt": "x"}))
    status, code, message = failure(api.post(T2V, json={"prompt": "x"}))
    assert (status, code, message) == (429, 1303, "parallel task over resource pack limit")
    # Another pack has its own slots.
    assert data(api.post("/v1/images/generations", json={"prompt": "x"}))["task_status"] == "submitted"
    clock.advance(60)  # the slots are released when the tasks end
    assert data(api.post(T2V, json={"prompt": "x"}))["task_status"] == "submitted"


def test_image_tasks_hold_n_slots(sandbox: Sandbox, api: httpx.Client) -> None:
    sandbox.configure(task_seconds=60, concurrency={"image": 9})
    data(api.post("/v1/images/generations", json={"prompt": "x", "n": 5}))
    assert failure(api.post("/v1/images/generations", json={"prompt": "x", "n": 5}))[1] == 1303
    assert (
        data(api.post("/v1/images/generations", json={"prompt": "x", "n": 4}))["task_status"] == "submitted"
    )


def test_balance_is_charged_on_success_only(sandbox: Sandbox, api: httpx.Client, clock: ManualClock) -> None:
    sandbox.configure(task_seconds=10, balances={"video": 5.0})
    data(api.post(T2V, json={"prompt": "x", "model_name": "kling-v1", "mode": "pro"}))  # 3.5 units
    assert remaining(api, "video") == 5.0  # not charged before it succeeds ...
    # ... but reserved: a second 3.5-unit task would overdraw the pack.
    assert failure(api.post(T2V, json={"prompt": "x", "model_name": "kling-v1", "mode": "pro"}))[:2] == (
        429,
        1102,
    )
    data(api.post(T2V, json={"prompt": "sandbox-risk-fail", "model_name": "kling-v1"}))  # 1 unit, will fail
    clock.advance(10)
    assert remaining(api, "video") == 1.5


def test_billing_export_lists_each_deduction(api: httpx.Client) -> None:
    first = data(
        api.post(T2V, json={"prompt": "x", "model_name": "kling-v2-6", "mode": "pro", "sound": "on"})
    )
    data(api.post("/v1/images/generations", json={"prompt": "x"}))
    page = data(
        api.post(
            "/account/billing/package",
            json={"start_time": 0, "filters": [{"key": "product_type", "values": ["video"]}]},
        )
    )
    rows = page["result"]["detail"]
    assert [r["task_id"] for r in rows] == [first["task_id"]]
    row = rows[0]
    assert (row["model_name"], row["resolution"], row["video_sound"], row["deduction_amount"]) == (
        "kling-v2-6",
        "1080p",
        "native",
        5.0,
    )
    assert row["unit_before_deduction"] - row["unit_after_deduction"] == 5.0


def test_costs_needs_a_time_window(api: httpx.Client) -> None:
    assert failure(api.get("/account/costs"))[:2] == (400, 1201)
