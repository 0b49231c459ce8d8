"""Sync/async parity beyond waiting: the same create flows through ``Kling`` and ``AsyncKling`` against
the sandbox give the same results and the same requests, route by route, counted at the server: a legacy
create whose answer is lost (found by external id), a Kling 4.0 create whose answer is lost (reconciled
through the task list), a multi-element edit with its session steps, an element created, listed and
deleted, an image recognition answered at once, and a request refused before sending."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest

from klingkit import AsyncKling, Kling
from klingkit.errors import ValidationError

pytestmark = pytest.mark.integration

LOST = [{"fault": "lost_response", "route": "create", "count": 1}]


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 400), (30, 120, 90)).save(buf, format="PNG")
    return buf.getvalue()


def _flows_sync(sb: Any, client: Kling) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sb.set_faults(LOST)
    legacy = client.tasks.wait(client.videos.text_to_video(prompt="a fox", model="kling-v1-6", duration=5))
    out["legacy lost answer"] = (legacy.status.value, legacy.units)
    sb.set_faults(LOST)
    four = client.tasks.wait(client.videos.text_to_video(model="kling-4.0", prompt="a fox", duration=3))
    out["4.0 lost answer"] = (four.status.value, four.units)
    video_id = legacy.videos[0].id or ""
    session = client.edits.init(video_id)
    out["steps"] = [
        client.edits.add(session["session_id"], 3, [(0.1, 0.2), (0.3, 0.4)])["selections"],
        client.edits.delete(session["session_id"], 3, [(0.1, 0.2)])["selections"],
        len(client.edits.preview(session["session_id"])["selections"]),
    ]
    edited = client.tasks.wait(client.edits.create(session_id=session["session_id"], edit_mode="removal"))
    out["edit"] = (edited.status.value, edited.units)
    element = client.tasks.wait(
        client.elements.create(name="Hero", images=[_png()], element_type="character")
    )
    out["element"] = element.status.value
    out["custom elements"] = len(client.elements.list("custom"))
    out["deleted"] = len(client.elements.delete([element.outputs[0].id or ""]))
    out["custom elements after"] = len(client.elements.list("custom"))
    mask = client.images.recognize(image=_png(), type="head_seg")
    out["recognize"] = (mask.status.value, len(mask.outputs))
    with pytest.raises(ValidationError) as refused:
        client.videos.text_to_video(prompt="x", model="kling-4.0", duration=99)
    out["refused"] = refused.value.field
    return out


async def _flows_async(sb: Any, client: AsyncKling) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sb.set_faults(LOST)
    legacy = await client.tasks.wait(
        await client.videos.text_to_video(prompt="a fox", model="kling-v1-6", duration=5)
    )
    out["legacy lost answer"] = (legacy.status.value, legacy.units)
    sb.set_faults(LOST)
    four = await client.tasks.wait(
        await client.videos.text_to_video(model="kling-4.0", prompt="a fox", duration=3)
    )
    out["4.0 lost answer"] = (four.status.value, four.units)
    video_id = legacy.videos[0].id or ""
    session = await client.edits.init(video_id)
    out["steps"] = [
        (await client.edits.add(session["session_id"], 3, [(0.1, 0.2), (0.3, 0.4)]))["selections"],
        (await client.edits.delete(session["session_id"], 3, [(0.1, 0.2)]))["selections"],
        len((await client.edits.preview(session["session_id"]))["selections"]),
    ]
    edited = await client.tasks.wait(
        await client.edits.create(session_id=session["session_id"], edit_mode="removal")
    )
    out["edit"] = (edited.status.value, edited.units)
    element = await client.tasks.wait(
        await client.elements.create(name="Hero", images=[_png()], element_type="character")
    )
    out["element"] = element.status.value
    out["custom elements"] = len(await client.elements.list("custom"))
    out["deleted"] = len(await client.elements.delete([element.outputs[0].id or ""]))
    out["custom elements after"] = len(await client.elements.list("custom"))
    mask = await client.images.recognize(image=_png(), type="head_seg")
    out["recognize"] = (mask.status.value, len(mask.outputs))
    with pytest.raises(ValidationError) as refused:
        await client.videos.text_to_video(prompt="x", model="kling-4.0", duration=99)
    out["refused"] = refused.value.field
    return out


def test_the_same_flows_give_the_same_results_and_requests(sb: Any) -> None:
    def run_sync() -> tuple[dict[str, Any], dict[str, Any]]:
        sb.reset()
        with Kling(api_key=sb.api_key, base_url=sb.base_url, poll_interval=0.05) as client:
            result = _flows_sync(sb, client)
        return result, sb.counters()

    def run_async() -> tuple[dict[str, Any], dict[str, Any]]:
        sb.reset()

        async def go() -> dict[str, Any]:
            async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url, poll_interval=0.05) as client:
                return await _flows_async(sb, client)

        return asyncio.run(go()), sb.counters()

    sync_result, sync_counts = run_sync()
    async_result, async_counts = run_async()
    assert sync_result == async_result
    # The flows did what they say (so the comparison compares something).
    assert sync_result["legacy lost answer"][0] == sync_result["4.0 lost answer"][0] == "succeeded"
    assert sync_result["steps"] == [2, 1, 1] and sync_result["edit"][0] == "succeeded"
    assert sync_result["custom elements"] == sync_result["custom elements after"] + 1
    assert sync_result["refused"] == "duration"
    # Route by route, the same requests (tasks finish at once here, so status checks are counted too), and
    # after a lost answer the create is never repeated: one task each.
    assert sync_counts["requests"] == async_counts["requests"]
    assert sync_counts["requests"]["POST /tasks"] == 1  # the 4.0 create was reconciled by one listing
    assert sync_counts["creates"] == async_counts["creates"] and sync_counts["tasks"] == async_counts["tasks"]
    assert sync_counts["faults_injected"] == async_counts["faults_injected"]
    assert sync_counts["creates"] == 5  # legacy, 4.0, edit, element, recognition: each once
