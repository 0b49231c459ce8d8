"""`klingkit mcp` over stdio, driven by the official MCP SDK's client, against the sandbox over HTTP.

Sandbox tasks take TASK_SECONDS (a few seconds), so a generate call that waited could not answer before the
task is done: the tests assert that the answer is a handle to a task still running.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from klingkit import catalog, ops

# Tests taking ``hs`` share one server and sandbox (their state allows it); the others start their own.
pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

VIDEO = {"prompt": "a red fox running through snow", "duration": 5, "mode": "std"}
EXPENSIVE = {"prompt": "a long 4k shot", "model": "kling-3.0", "mode": "4k", "duration": 15, "sound": True}


async def test_tools_carry_the_catalogs_allowed_values(hs: Any) -> None:
    async with hs.stdio() as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    assert set(listed) == set(ops.OPERATIONS)
    video = listed["generate_video"].input_schema["properties"]
    assert set(video["model"]["enum"]) >= {m for m in ("kling-v2-6", "kling-v3", "kling-3.0")}
    assert video["mode"]["enum"] == ["std", "pro", "4k"]
    assert set(video["camera"]["enum"]) == set(catalog.CAMERA_PRESETS)
    assert 15 in video["duration"]["enum"] and video["duration"]["default"] == 5
    assert video["cfg_scale"]["minimum"] == 0 and video["cfg_scale"]["maximum"] == 1
    assert "idempotency_key" in video and video["confirm"]["type"] == "boolean"
    image = listed["generate_image"].input_schema
    assert image["required"] == ["prompt"] and image["properties"]["n"]["maximum"] == 9
    for name, tool in listed.items():  # read-only tools say so; paid ones are not read-only
        assert tool.annotations is not None
        paid = ops.OPERATIONS[name].paid
        assert tool.annotations.read_only_hint is (not paid and name != "task_result"), name
        if paid:
            assert "estimate" in (tool.description or "")


async def test_estimate_prices_without_sending(hs: Any, tools: Any) -> None:
    async with hs.stdio() as client:
        cheap = tools.payload(
            await client.call_tool("estimate", {"operation": "generate_video", "arguments": VIDEO})
        )
        dear = tools.payload(
            await client.call_tool("estimate", {"operation": "generate_video", "arguments": EXPENSIVE})
        )
        bad = await client.call_tool(
            "estimate", {"operation": "generate_video", "arguments": {**VIDEO, "duration": 7}}
        )
        typo = await client.call_tool("generate_video", {"promt": "a fox"})
        models = tools.payload(await client.call_tool("models", {}))
    typo_err = tools.payload(typo)["error"]
    assert (
        typo.is_error and typo_err["field"] == "promt" and "did you mean 'prompt'" in typo_err["what_to_do"]
    )
    assert cheap["estimate"] == {**cheap["estimate"], "units": 1.5, "usd": 0.21, "pack": "video"}
    assert cheap["needs_confirm"] is False and dear["needs_confirm"] is True
    assert dear["estimate"]["usd"] == pytest.approx(6.3)
    assert bad.is_error
    err = tools.payload(bad)["error"]
    assert (
        err["kind"] == "validation" and err["field"] == "duration" and "nothing was sent" in err["what_to_do"]
    )
    assert {m["name"] for m in models["video_models"]} >= {"kling-v2-6", "kling-3.0"}
    assert hs.creates() == 0 and hs.sb.counters()["tasks"] == 0


async def test_generate_answers_with_a_handle_then_status_and_saved_files(h: Any, tools: Any) -> None:
    async with h.stdio() as client:
        answer = await client.call_tool("generate_video", VIDEO)
        handle = tools.payload(answer)
        assert not answer.is_error, handle
        # the answer came while the task was still running: a handle, not a result
        assert handle["status"] in ("submitted", "processing")
        assert handle["external_id"].startswith("kk-") and handle["task_id"]
        assert handle["estimate"]["usd"] == 0.21 and "cancel" in handle["cancel"]
        assert h.creates() == 1

        status = await tools.until_done(client, handle["external_id"])
        assert status["status"] == "succeeded" and status["task_id"] == handle["task_id"]
        result = tools.payload(await client.call_tool("task_result", {"handle": handle["external_id"]}))
        listed = tools.payload(await client.call_tool("list_tasks", {}))
    assert result["units_charged"] == 1.5 and result["usd_charged"] == 0.21
    (saved,) = result["files"]
    path = Path(saved["path"])
    assert path.parent == h.out_dir and path.stat().st_size == saved["bytes"] > 0
    assert saved["duration"] == 5 and saved["kind"] == "video"
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames > 24
    sidecar = json.loads(Path(saved["sidecar"]).read_text())
    assert sidecar["task_id"] == handle["task_id"]
    assert [t["external_id"] for t in listed["tasks"]] == [handle["external_id"]]
    assert h.creates() == 1


async def test_same_idempotency_key_never_creates_twice(hs: Any, tools: Any) -> None:
    args = {**VIDEO, "idempotency_key": "fox-1"}
    async with hs.stdio() as client:
        first = tools.payload(await client.call_tool("generate_video", args))
        again = tools.payload(await client.call_tool("generate_video", args))
        assert again["already_created"] is True
        assert (again["external_id"], again["task_id"]) == (first["external_id"], first["task_id"])
        await tools.until_done(client, first["external_id"])
        after = tools.payload(await client.call_tool("generate_video", args))
        assert after["task_id"] == first["task_id"] and after["status"] == "succeeded"
        other = await client.call_tool("generate_video", {**args, "prompt": "another fox"})
    assert other.is_error and tools.payload(other)["error"]["kind"] == "idempotency_conflict"
    assert hs.creates() == 1
    assert hs.sb.counters()["duplicate_external_ids"] == 0


async def test_same_key_after_a_restart_finds_the_same_task(h: Any, tools: Any) -> None:
    args = {**VIDEO, "idempotency_key": "survives-restart"}
    async with h.stdio() as client:
        first = tools.payload(await client.call_tool("generate_video", args))
    async with h.stdio() as client:  # a new server process, same ledger
        again = tools.payload(await client.call_tool("generate_video", args))
    assert again["task_id"] == first["task_id"] and again["already_created"] is True
    assert h.creates() == 1


async def test_above_threshold_without_confirm_creates_nothing(hs: Any, tools: Any) -> None:
    async with hs.stdio() as client:
        refused = await client.call_tool("generate_video", EXPENSIVE)
        assert refused.is_error
        err = tools.payload(refused)["error"]
        assert err["kind"] == "confirmation_required"
        assert "$6.30" in err["message"] and "confirm=true" in err["what_to_do"]
        assert err["estimate"]["usd"] == pytest.approx(6.3)
        assert hs.creates() == 0
        confirmed = await client.call_tool("generate_video", {**EXPENSIVE, "confirm": True})
    assert not confirmed.is_error and hs.creates() == 1


async def test_budget_that_runs_out_refuses_the_next_call(h: Any, tools: Any) -> None:
    async with h.stdio("--budget", "0.5", "--max-call-cost", "1") as client:
        for _ in range(2):  # 2 x $0.21
            assert not (await client.call_tool("generate_video", VIDEO)).is_error
        refused = await client.call_tool("generate_video", VIDEO)
        too_dear = await client.call_tool("generate_video", {**EXPENSIVE, "confirm": True})
    err = tools.payload(refused)["error"]
    assert (
        refused.is_error and err["kind"] == "budget" and err["budget"]["remaining_usd"] == pytest.approx(0.08)
    )
    assert "nothing was sent" in err["message"]
    assert tools.payload(too_dear)["error"]["kind"] == "cost_limit"
    assert h.creates() == 2


async def test_billing_1102_is_a_billing_error_not_a_rate_limit(h: Any, tools: Any) -> None:
    h.sb.configure(balances={"video": 0})
    async with h.stdio() as client:
        answer = await client.call_tool("generate_video", VIDEO)
        listed = tools.payload(await client.call_tool("list_tasks", {}))
    err = tools.payload(answer)["error"]
    assert answer.is_error and err["kind"] == "billing" and err["code"] == 1102
    assert "not a rate limit" in err["what_to_do"] and "do not retry" in err["what_to_do"]
    assert [t["status"] for t in listed["tasks"]] == ["rejected"]
    assert h.sb.counters()["tasks"] == 0


async def test_policy_1301_says_not_to_retry_the_same_input(hs: Any, tools: Any) -> None:
    async with hs.stdio() as client:
        answer = await client.call_tool("generate_video", {**VIDEO, "prompt": "a sandbox-policy-block scene"})
    err = tools.payload(answer)["error"]
    assert answer.is_error and err["kind"] == "content_policy" and err["code"] == 1301
    assert "Do not retry with the same input" in err["what_to_do"]
    assert hs.sb.counters()["tasks"] == 0


async def test_a_handshake_era_client_gets_the_same_tools_and_handle(h: Any, tools: Any) -> None:
    from mcp import Client

    async with Client(h.stdio_params(), read_timeout_seconds=60, mode="legacy") as client:
        assert client.protocol_version < "2026"
        listed = {t.name for t in (await client.list_tools()).tools}
        handle = tools.payload(await client.call_tool("generate_video", VIDEO))
    assert listed == set(ops.OPERATIONS)
    assert handle["status"] in ("submitted", "processing") and handle["external_id"]
    assert h.creates() == 1


async def test_a_lost_create_answer_is_recovered_without_a_second_create(hs: Any, tools: Any) -> None:
    hs.sb.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
    async with hs.stdio() as client:
        answer = await client.call_tool("generate_video", {**VIDEO, "idempotency_key": "lost-1"})
        handle = tools.payload(answer)
        assert not answer.is_error, handle
        status = tools.payload(await client.call_tool("task_status", {"handle": handle["external_id"]}))
    assert status["task_id"] == handle["task_id"]
    counters = hs.sb.counters()
    assert counters["tasks"] == 1 and counters["duplicate_external_ids"] == 0


async def test_sandbox_flag_runs_against_the_embedded_sandbox(tmp_path: Path, tools: Any) -> None:
    from mcp import Client, StdioServerParameters

    exe = Path(sys.executable).with_name("klingkit")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env.update(KLINGKIT_HOME=str(tmp_path / "home"), KLINGKIT_SANDBOX_TIME_SCALE="0")
    params = StdioServerParameters(
        command=str(exe), args=["mcp", "--sandbox", "--output-dir", str(tmp_path / "out")], env=env
    )
    async with Client(params, read_timeout_seconds=60) as client:  # no keys at all
        handle = tools.payload(await client.call_tool("generate_image", {"prompt": "a lighthouse"}))
        result = tools.payload(
            await client.call_tool("task_result", {"handle": handle["external_id"], "wait_seconds": 30})
        )
    assert result["status"] == "succeeded", result
    (saved,) = result["files"]
    with Image.open(saved["path"]) as img:
        img.load()
    assert Path(saved["path"]).parent == tmp_path / "out"


async def test_kling_4_is_created_once_and_saved(hs: Any, tools: Any) -> None:
    args = {"prompt": "a fox in 4.0", "model": "kling-4.0", "duration": 5, "idempotency_key": "four-1"}
    async with hs.stdio() as client:
        handle = tools.payload(await client.call_tool("generate_video", args))
        assert handle["estimate"]["exact"] is False  # 4.0 prices are approximate, and say so
        again = tools.payload(await client.call_tool("generate_video", args))
        result = tools.payload(
            await client.call_tool("task_result", {"handle": handle["external_id"], "wait_seconds": 30})
        )
    assert again["task_id"] == handle["task_id"]
    assert result["status"] == "succeeded"
    with av.open(result["files"][0]["path"]) as container:
        assert sum(1 for _ in container.decode(video=0)) > 24
    assert hs.creates() == 1


async def test_a_handle_feeds_the_next_tool(hs: Any, tools: Any) -> None:
    """An agent passes the external_id it got to video_to_audio; the server finds the video id it made."""
    async with hs.stdio() as client:
        video = tools.payload(await client.call_tool("generate_video", VIDEO))
        early = await client.call_tool(
            "video_to_audio", {"video": video["external_id"], "bgm_prompt": "piano"}
        )
        assert early.is_error and tools.payload(early)["error"]["field"] == "video"  # no video yet
        await client.call_tool("task_result", {"handle": video["external_id"], "wait_seconds": 30})
        sound = tools.payload(
            await client.call_tool("video_to_audio", {"video": video["external_id"], "bgm_prompt": "piano"})
        )
        result = tools.payload(
            await client.call_tool("task_result", {"handle": sound["external_id"], "wait_seconds": 30})
        )
    assert result["status"] == "succeeded" and result["feature"] == "video-to-audio"
    for saved in result["files"]:
        with av.open(saved["path"]) as container:
            assert container.streams.audio or container.streams.video
    assert hs.creates() == 2
