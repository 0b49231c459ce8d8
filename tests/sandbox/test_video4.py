"""The sandbox's Kling 4.0 routes: they refuse external ids and callbacks (kling-2026-h2.md §1, M) and apply
the catalog's rules to the body as received."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize("key", ["external_task_id", "callback_url"])
def test_4_0_routes_refuse_external_ids_and_callbacks(api: httpx.Client, key: str) -> None:
    body = {"prompt": "x", "options": {key: "https://example.com/hook" if key == "callback_url" else "e1"}}
    answer = api.post("/text-to-video/kling-4.0", json=body)
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    assert f"options.{key}" in answer.json()["message"]


def test_rules_apply_on_the_wire(api: httpx.Client) -> None:
    answer = api.post(
        "/text-to-video/kling-4.0-flash", json={"prompt": "x", "settings": {"resolution": "1080p"}}
    )
    assert answer.status_code == 400 and "settings.resolution" in answer.json()["message"]
    body = {"contents": [{"type": "prompt", "text": "@a and @ab"},
                         {"type": "element", "id": "a", "element_id": "1"},
                         {"type": "element", "id": "ab", "element_id": "2"}]}  # fmt: skip
    answer = api.post("/omni-video/kling-4.0", json=body)
    assert answer.status_code == 400 and "not the start of another id" in answer.json()["message"]
    answer = api.post("/omni-video/kling-v4", json=body)  # aliases are the client's courtesy, not a route
    assert answer.status_code == 404


def test_accepted_create_answers_without_external_id(api: httpx.Client) -> None:
    answer = api.post("/text-to-video/kling-4.0", json={"prompt": "x", "settings": {"duration": 30}})
    data = answer.json()["data"]
    assert answer.status_code == 200 and data["status"] == "submitted" and data["external_id"] == ""
