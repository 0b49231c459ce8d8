"""`klingkit mcp --http`: the same tools over streamable HTTP, and the bearer-token rule."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import av
import httpx
import httpx2
import pytest
from mcp.client.streamable_http import streamable_http_client

from mcp import Client

pytestmark = pytest.mark.integration

VIDEO = {"prompt": "a red fox running through snow", "duration": 5, "idempotency_key": "http-fox"}


async def test_generate_status_result_over_http(h: Any, tools: Any) -> None:
    async with h.http() as client:
        listed = {t.name for t in (await client.list_tools()).tools}
        assert {"generate_video", "task_status", "task_result", "estimate"} <= listed
        handle = tools.payload(await client.call_tool("generate_video", VIDEO))
        assert handle["status"] in ("submitted", "processing")
        again = tools.payload(await client.call_tool("generate_video", VIDEO))
        assert again["task_id"] == handle["task_id"]
        notes: list[str | None] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            notes.append(message)

        result = tools.payload(
            await client.call_tool(
                "task_result",
                {"handle": handle["external_id"], "wait_seconds": 30},
                progress_callback=on_progress,
            )
        )
    # progress notifications followed the real task while task_result waited
    assert notes and all(handle["task_id"] in (n or "") for n in notes)
    assert notes[-1] is not None and notes[-1].endswith("succeeded")
    assert result["status"] == "succeeded", result
    (saved,) = result["files"]
    with av.open(saved["path"]) as container:
        assert container.streams.video[0].frames > 0 or sum(1 for _ in container.decode(video=0)) > 0
    assert h.creates() == 1


async def test_a_token_guards_the_http_server(h: Any, tools: Any) -> None:
    async with h.http_server("--token", "s3cret-token") as url:
        refused = httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert refused.status_code == 401
        wrong = httpx.post(url, json={}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        authed = httpx2.AsyncClient(headers={"Authorization": "Bearer s3cret-token"}, timeout=30)
        async with authed, Client(streamable_http_client(url, http_client=authed)) as client:
            answer = tools.payload(await client.call_tool("models", {}))
    assert answer["video_models"]


def test_listening_beyond_loopback_needs_a_token(h: Any, tmp_path: Path) -> None:
    done = subprocess.run(
        [h.exe, *h.args("--http", "--host", "0.0.0.0", "--port", "0")],
        env=h.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--token" in done.stderr and "0.0.0.0" in done.stderr


async def test_the_budget_is_per_session(h: Any, tools: Any) -> None:
    """Two HTTP sessions (handshake-era clients, each with its Mcp-Session-Id) each get the whole budget;
    a session that spent its own is refused while the other still creates."""
    cheap = {"prompt": "a red fox", "duration": 5}  # $0.21 each
    async with h.http_server("--budget", "0.3") as url:
        async with Client(url, mode="legacy") as alice, Client(url, mode="legacy") as bob:
            first = tools.payload(await alice.call_tool("generate_video", cheap))
            assert first["budget"]["spent_usd"] == pytest.approx(0.21)
            refused = await alice.call_tool("generate_video", cheap)
            other = tools.payload(await bob.call_tool("generate_video", cheap))
            quote = tools.payload(
                await bob.call_tool("estimate", {"operation": "generate_video", "arguments": cheap})
            )
        assert refused.is_error and tools.payload(refused)["error"]["kind"] == "budget"
        assert "session" in tools.payload(refused)["error"]["message"]
        assert other["budget"]["remaining_usd"] == pytest.approx(0.09)
        assert quote["budget"]["spent_usd"] == pytest.approx(0.21)
        async with Client(url, mode="legacy") as carol:  # a new session starts from the full budget
            tool = next(t for t in (await carol.list_tools()).tools if t.name == "generate_video")
            again = tools.payload(await carol.call_tool("generate_video", cheap))
    assert "session" in (tool.description or "") and "$0.3" in (tool.description or "")
    assert again["budget"]["spent_usd"] == pytest.approx(0.21)
    assert h.creates() == 3
