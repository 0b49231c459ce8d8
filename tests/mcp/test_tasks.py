"""The MCP Tasks flow: a client that declares the Tasks extension gets a task from a generate call, follows
it with tasks/get to the saved files; cancel only stops following (Kling cannot cancel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from klingkit.mcp._tasks import tasks_client
from mcp import Client

pytestmark = pytest.mark.integration

VIDEO = {"prompt": "a red fox running through snow", "duration": 5}


async def test_generate_is_a_task_followed_to_saved_files(h: Any, tools: Any) -> None:
    seen: list[dict[str, Any]] = []
    ext = tasks_client(on_status=seen.append, max_wait=60)
    params = h.stdio_params()
    async with Client(params, extensions=[ext], read_timeout_seconds=60) as client:
        result = await client.call_tool("generate_video", {**VIDEO, "idempotency_key": "task-fox"})
        listed = tools.payload(await client.call_tool("list_tasks", {}))
    (created,) = ext.created
    assert created["resultType"] == "task" and created["task"]["status"] == "working"
    handle = created["handle"]
    assert handle["status"] in ("submitted", "processing") and handle["estimate"]["usd"] == 0.21
    assert created["task"]["taskId"] == handle["external_id"]
    statuses = [t["status"] for t in seen]
    assert statuses[0] == "working" and statuses[-1] == "completed"
    assert len(seen) >= 2  # followed through tasks/get, not answered at once
    body = tools.payload(result)
    assert not result.is_error and body["status"] == "succeeded" and body["units_charged"] == 1.5
    with av.open(body["files"][0]["path"]) as container:
        assert sum(1 for _ in container.decode(video=0)) > 24
    assert [t["external_id"] for t in listed["tasks"]] == [handle["external_id"]]
    assert h.creates() == 1


async def test_tasks_flow_over_http(h: Any, tools: Any) -> None:
    ext = tasks_client(max_wait=60)
    async with h.http_server() as url, Client(url, extensions=[ext], read_timeout_seconds=60) as client:
        result = await client.call_tool("generate_image", {"prompt": "a lighthouse at dusk", "n": 2})
    body = tools.payload(result)
    assert ext.created[0]["task"]["status"] == "working"
    assert body["status"] == "succeeded" and len(body["files"]) == 2
    for saved in body["files"]:
        with Image.open(saved["path"]) as img:
            img.load()
            assert img.width > 0
    assert h.creates() == 1


async def test_cancel_stops_following_but_the_task_runs_on(h: Any, tools: Any) -> None:
    ext = tasks_client(max_wait=0.5)  # give up almost at once: the client cancels (stops following)
    async with Client(h.stdio_params(), extensions=[ext], read_timeout_seconds=60) as client:
        with pytest.raises(TimeoutError):
            await client.call_tool("generate_video", VIDEO)
        eid = ext.created[0]["task"]["taskId"]
        # Kling cannot cancel: the task finishes and its files can still be fetched
        later = tools.payload(await client.call_tool("task_result", {"handle": eid, "wait_seconds": 30}))
    assert later["status"] == "succeeded" and Path(later["files"][0]["path"]).stat().st_size > 0
    assert "no cancel" in ext.created[0]["handle"]["cancel"]
    assert h.creates() == 1
