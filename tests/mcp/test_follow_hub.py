"""Every MCP follow goes through the client's status hub: generate calls made at once, from several HTTP
sessions, followed through the Tasks flow to their saved files, cost shared status requests, not one
poller each; asking task_status again and again sends nothing of its own. Counted at the sandbox; the
baseline (one task followed alone) is measured in the same test."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from PIL import Image

from klingkit.mcp._tasks import tasks_client
from mcp import Client

pytestmark = pytest.mark.integration

SESSIONS = 2
CALLS_EACH = 5


def status_queries(h: Any) -> int:
    return int(h.sb.counters()["status_queries"])


async def generate(client: Client, prompt: str) -> Any:
    return await client.call_tool("generate_image", {"prompt": prompt})


async def test_concurrent_generates_share_status_requests(h: Any, tools: Any) -> None:
    answers: list[Any] = []
    async with h.http_server() as url:
        # Baseline: one task followed alone, from its create to its saved file.
        async with Client(url, extensions=[tasks_client(max_wait=60)], read_timeout_seconds=60) as client:
            before = status_queries(h)
            alone = await generate(client, "a lighthouse at dusk")
            per_task = status_queries(h) - before
        assert not alone.is_error and tools.payload(alone)["status"] == "succeeded"

        # Ten generate calls at once from two sessions, each followed to its saved file.
        before = status_queries(h)
        async with anyio.create_task_group() as group:
            for s in range(SESSIONS):

                async def session(s: int) -> None:
                    ext = tasks_client(max_wait=60)
                    client = Client(url, extensions=[ext], read_timeout_seconds=60)
                    async with client, anyio.create_task_group() as calls:
                        for i in range(CALLS_EACH):

                            async def call(i: int) -> None:
                                answers.append(await generate(client, f"a lighthouse {s}-{i}"))

                            calls.start_soon(call, i)

                group.start_soon(session, s)
        together = status_queries(h) - before

    tasks = SESSIONS * CALLS_EACH
    assert h.creates() == 1 + tasks and len(answers) == tasks
    for answer in answers:
        body = tools.payload(answer)
        assert not answer.is_error and body["status"] == "succeeded", body
        with Image.open(body["files"][0]["path"]) as img:
            img.load()
    # The lone task was checked more than once (it outlived a check interval), so separate pollers
    # would have sent about tasks * per_task requests; the hub's shared rounds send far fewer.
    assert per_task >= 2
    separate = tasks * per_task
    assert together * 3 <= separate, (together, per_task)


async def test_asking_status_again_and_again_sends_no_requests(h: Any, tools: Any) -> None:
    asks = 12
    async with h.http() as client:
        handle = tools.payload(await client.call_tool("generate_video", {"prompt": "a fox", "duration": 5}))
        before = status_queries(h)
        answers = [
            tools.payload(await client.call_tool("task_status", {"handle": handle["external_id"]}))
            for _ in range(asks)
        ]
        sent = status_queries(h) - before
        done = await tools.until_done(client, handle["external_id"])
    assert all(a["task_id"] == handle["task_id"] for a in answers)
    assert "costs nothing" in answers[0]["next"]
    # the follower's own checks may fall in between, but no ask sends a request of its own
    assert sent * 3 < asks, sent
    assert done["status"] == "succeeded" and h.creates() == 1
