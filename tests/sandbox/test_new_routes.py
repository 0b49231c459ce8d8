"""The 2026 routes: model in the path, /tasks by ids and by cursor, /solutions."""

from __future__ import annotations

import httpx
import pytest

from klingkit import catalog

from .conftest import data, failure, png_base64


def create(api: httpx.Client, external_id: str = "", **settings: object) -> dict:
    body = {
        "prompt": "a train at night",
        "settings": {"duration": 5, **settings},
        "options": {"external_task_id": external_id},
    }
    return data(api.post("/text-to-video/kling-3.0", json=body))


def test_create_answers_in_the_2026_shape(api: httpx.Client) -> None:
    created = create(api, "n-1")
    assert created["status"] == "submitted" and created["external_id"] == "n-1"
    assert created["create_time"] == created["update_time"]


def test_tasks_by_ids_and_external_ids(api: httpx.Client) -> None:
    a, b = create(api, "n-a"), create(api, "n-b")
    by_ids = data(api.get("/tasks", params={"task_ids": f"{b['id']},{a['id']}"}))
    assert [t["id"] for t in by_ids] == [b["id"], a["id"]]
    by_external = data(api.get("/tasks", params={"external_task_ids": "n-a"}))
    assert by_external[0]["id"] == a["id"]
    task = by_ids[1]
    assert task["status"] == "succeeded"
    assert task["outputs"][0]["type"] == "video" and task["outputs"][0]["duration"] == "5"
    expected = catalog.new_video_price("kling-3.0", "720p", 5, audio=False).units
    assert task["billing"] == [{"charge_type": "unit", "amount": f"{expected:g}", "package_type": "video"}]


def test_tasks_query_rules(api: httpx.Client) -> None:
    assert failure(api.get("/tasks"))[:2] == (400, 1201)
    assert failure(api.get("/tasks", params={"task_ids": "1", "external_task_ids": "x"}))[:2] == (400, 1201)
    many = ",".join(str(i) for i in range(21))
    assert failure(api.get("/tasks", params={"task_ids": many}))[:2] == (400, 1201)


def test_legacy_tasks_are_not_on_tasks(api: httpx.Client) -> None:
    legacy = data(api.post("/v1/videos/text2video", json={"prompt": "x"}))["task_id"]
    assert data(api.get("/tasks", params={"task_ids": legacy})) == []


def test_cursor_listing_pages_and_filters(api: httpx.Client) -> None:
    ids = [create(api)["id"] for _ in range(3)]
    first = data(api.post("/tasks", json={"limit": 2}))
    assert first["count"] == 2 and first["has_more"] is True
    second = data(api.post("/tasks", json={"limit": 2, "cursor": first["next_cursor"]}))
    assert second["has_more"] is False and second["next_cursor"] == ""
    assert [t["id"] for t in first["result"] + second["result"]] == ids[::-1]
    none = data(api.post("/tasks", json={"filters": [{"key": "status", "values": ["failed"]}]}))
    assert none["result"] == []
    videos = data(
        api.post(
            "/tasks", json={"start_time": "0", "filters": [{"key": "product_type", "values": ["video"]}]}
        )
    )
    assert videos["count"] == 3
    assert failure(api.post("/tasks", json={"limit": 501}))[:2] == (400, 1201)


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/text-to-video/kling-9.9", {"prompt": "x"}, 404, 1203),
        ("/text-to-video/kling-3.0", {"prompt": "x", "settings": {"duration": 16}}, 400, 1201),
        (
            "/text-to-video/kling-2.6",
            {"prompt": "x", "settings": {"audio": "native", "resolution": "720p"}},
            400,
            1201,
        ),
        ("/text-to-video/kling-3.0", {"prompt": "x" * 3073}, 400, 1201),
        ("/image-to-video/kling-3.0", {"contents": [{"type": "prompt", "text": "x"}]}, 400, 1201),
        ("/image-to-video/kling-2.6", {"contents": [{"type": "prompt", "text": "x"}]}, 404, 1203),
    ],
)
def test_2026_validation(api: httpx.Client, path: str, body: dict, status: int, code: int) -> None:
    assert failure(api.post(path, json=body))[:2] == (status, code)


def test_image_to_video_follows_the_first_frame(api: httpx.Client) -> None:
    body = {
        "contents": [
            {"type": "prompt", "text": "it moves"},
            {"type": "first_frame", "url": png_base64(900, 1600)},
        ],
        "settings": {"duration": 3, "resolution": "720p"},
    }
    created = data(api.post("/image-to-video/kling-3.0", json=body))
    task = data(api.get("/tasks", params={"task_ids": created["id"]}))[0]
    assert task["status"] == "succeeded"


def test_solutions_try_on(api: httpx.Client) -> None:
    body = {
        "contents": [
            {"type": "product_image", "url": png_base64(400, 500)},
            {"type": "person_image", "url": png_base64(400, 600)},
        ],
        "options": {"external_task_id": "outfit-1"},
    }
    created = data(api.post("/solutions/virtual_try_on", json=body))
    found = data(api.get("/solutions", params={"external_task_ids": "outfit-1"}))
    assert found[0]["id"] == created["id"] and found[0]["outputs"][0]["type"] == "image"
    assert found[0]["billing"][0]["package_type"] == "image"  # A.13: video|image|audio only
    assert data(api.post("/solutions", json={}))["count"] == 1
    assert data(api.get("/tasks", params={"task_ids": created["id"]})) == []
