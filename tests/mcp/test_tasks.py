"""The MCP Tasks extension (2026-07-28 wire shapes): a client that declares it gets a CreateTaskResult from a
generate call and follows it with tasks/get to the saved files; a Kling task that fails is a completed task
whose result is a tool error; cancel only stops following (Kling cannot cancel); a request that does not
declare the extension gets -32021; over HTTP a tasks request names its task in the Mcp-Name header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError
from PIL import Image

from klingkit.mcp._tasks import HANDLE_META, TaskIdParams, TaskState, send, tasks_client
from mcp import Client

pytestmark = pytest.mark.integration

VIDEO = {"prompt": "a red fox running through snow", "duration": 5}
TASK_FIELDS = {"taskId", "status", "createdAt", "lastUpdatedAt", "ttlMs", "pollIntervalMs"}


async def test_generate_is_a_task_followed_to_saved_files(h: Any, tools: Any) -> None:
    seen: list[dict[str, Any]] = []
    ext = tasks_client(on_status=seen.append, max_wait=60)
    async with Client(h.stdio_params(), extensions=[ext], read_timeout_seconds=60) as client:
        result = await client.call_tool("generate_video", {**VIDEO, "idempotency_key": "task-fox"})
        refused = await client.call_tool("generate_image", {"prompt": "sandbox-risk-fail lighthouse"})
        listed = tools.payload(await client.call_tool("list_tasks", {}))
    created = ext.created[0]
    assert created["resultType"] == "task" and created["status"] == "working"
    assert set(created) >= TASK_FIELDS and created["ttlMs"] is None  # the ledger keeps every task
    handle = created["_meta"][HANDLE_META]
    assert handle["status"] in ("submitted", "processing") and handle["estimate"]["usd"] == 0.21
    assert created["taskId"] == handle["external_id"]
    statuses = [t["status"] for t in seen if t["taskId"] == created["taskId"]]
    assert statuses[0] == "working" and statuses[-1] == "completed"
    assert len(statuses) >= 2  # followed through tasks/get, not answered at once
    assert all(t.get("resultType") == "complete" for t in seen[1:] if "result" in t)
    body = tools.payload(result)
    assert not result.is_error and body["status"] == "succeeded" and body["units_charged"] == 1.5
    with av.open(body["files"][0]["path"]) as container:
        assert sum(1 for _ in container.decode(video=0)) > 24
    # a Kling task that failed is a tool error inside a completed task (failed is for JSON-RPC errors)
    assert refused.is_error and tools.payload(refused)["error"]["kind"] == "task_failed"
    assert seen[-1]["status"] == "completed" and seen[-1]["result"]["isError"] is True
    assert {t["external_id"] for t in listed["tasks"]} == {c["taskId"] for c in ext.created}
    assert h.creates() == 2


async def test_tasks_flow_over_http_and_the_capability_rule(h: Any, tools: Any) -> None:
    ext = tasks_client(max_wait=60)
    async with h.http_server() as url:
        async with Client(url, extensions=[ext], read_timeout_seconds=60) as client:
            result = await client.call_tool("generate_image", {"prompt": "a lighthouse at dusk", "n": 2})
            eid = ext.created[0]["taskId"]
            ack = await send(client.session, "tasks/update", eid)  # an empty acknowledgement
            assert ack["resultType"] == "complete" and not set(ack) & TASK_FIELDS
            with pytest.raises(MCPError) as unknown:
                await send(client.session, "tasks/get", "no-such-task")
        async with Client(url, read_timeout_seconds=60) as plain:  # did not declare the extension
            with pytest.raises(MCPError) as missing:
                await send(plain.session, "tasks/get", eid)
            handle = tools.payload(await plain.call_tool("generate_image", {"prompt": "a lighthouse"}))
    assert unknown.value.error.code == types.INVALID_PARAMS
    assert missing.value.error.code == types.MISSING_REQUIRED_CLIENT_CAPABILITY == -32021
    assert "io.modelcontextprotocol/tasks" in str(missing.value.error.data)
    assert handle["external_id"] and "resultType" not in handle  # no task for a client without Tasks
    body = tools.payload(result)
    assert body["status"] == "succeeded" and len(body["files"]) == 2
    for saved in body["files"]:
        with Image.open(saved["path"]) as img:
            img.load()
            assert img.width > 0
    assert h.creates() == 2


async def test_cancel_stops_following_but_the_task_runs_on(h: Any, tools: Any) -> None:
    ext = tasks_client(max_wait=0.5)  # give up almost at once: the client cancels (stops following)
    async with Client(h.stdio_params(), extensions=[ext], read_timeout_seconds=60) as client:
        with pytest.raises(TimeoutError):
            await client.call_tool("generate_video", VIDEO)
        eid = ext.created[0]["taskId"]
        state = await send(client.session, "tasks/get", eid)
        # Kling cannot cancel: the task finishes and its files can still be fetched
        later = tools.payload(await client.call_tool("task_result", {"handle": eid, "wait_seconds": 30}))
    assert state["status"] == "cancelled" and "no cancel" in state["statusMessage"]
    assert later["status"] == "succeeded" and Path(later["files"][0]["path"]).stat().st_size > 0
    assert "no cancel" in ext.created[0]["_meta"][HANDLE_META]["cancel"]
    assert h.creates() == 1


class _Misnamed(types.Request[TaskIdParams, str]):
    name_param = "routeAs"  # Mcp-Name from another field than taskId


class _Unnamed(types.Request[TaskIdParams, str]):
    pass  # no Mcp-Name at all


async def test_tasks_requests_over_http_name_their_task_in_the_mcp_name_header(h: Any, tools: Any) -> None:
    ext = tasks_client(max_wait=60)
    async with h.http_server() as url, Client(url, extensions=[ext], read_timeout_seconds=60) as client:
        # followed to the end with tasks/get: the SDK client sends Mcp-Name = taskId, and it is accepted
        result = await client.call_tool("generate_image", {"prompt": "a lighthouse at dawn"})
        eid = ext.created[0]["taskId"]
        asked = TaskIdParams(taskId=eid, routeAs="another-task")
        with pytest.raises(MCPError) as wrong:
            await client.session.send_request(_Misnamed(method="tasks/get", params=asked), TaskState)
        with pytest.raises(MCPError) as missing:
            await client.session.send_request(_Unnamed(method="tasks/cancel", params=asked), TaskState)
        still = await send(client.session, "tasks/get", eid)
    assert wrong.value.error.code == missing.value.error.code == types.HEADER_MISMATCH
    assert "Mcp-Name" in wrong.value.error.message or "mcp-name" in wrong.value.error.message
    assert tools.payload(result)["status"] == "succeeded"
    assert still["status"] == "completed"  # the refused cancel did not stop anything
    assert h.creates() == 1
