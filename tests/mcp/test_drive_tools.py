"""The 2026-H2 tools over MCP (the SDK's client, stdio, the sandbox): a talking portrait and motion control,
each priced from the real input's length, answered at once with a handle, and saved as a video that decodes
with the input's length."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image

# Both tests share one server and sandbox (hs).
pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def _inputs(folder: Path) -> tuple[Path, Path, Path]:
    face = folder / "face.png"
    Image.new("RGB", (720, 960), (180, 120, 90)).save(face)
    speech = folder / "speech.wav"
    with wave.open(str(speech), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000 * 3)  # 3 s
    dance = folder / "dance.mp4"
    with av.open(str(dance), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(4 * 24):  # 4 s
            frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), i % 255, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return face, speech, dance


def _seconds(path: str) -> float:
    with av.open(path) as container:
        return float(container.duration or 0) / 1e6


async def test_avatar_and_motion_control_tools(hs: Any, tools: Any, tmp_path: Path) -> None:
    face, speech, dance = _inputs(tmp_path)
    async with hs.stdio() as client:
        quote = tools.payload(
            await client.call_tool(
                "estimate",
                {"operation": "generate_avatar", "arguments": {"image": str(face), "audio": str(speech)}},
            )
        )
        talk = tools.payload(
            await client.call_tool(
                "generate_avatar", {"image": str(face), "audio": str(speech), "mode": "pro"}
            )
        )
        moved = tools.payload(
            await client.call_tool("motion_control", {"image": str(face), "video": str(dance), "mode": "std"})
        )
        results = [
            tools.payload(
                await client.call_tool("task_result", {"handle": t["external_id"], "wait_seconds": 40})
            )
            for t in (talk, moved)
        ]
    assert quote["estimate"]["units"] == pytest.approx(0.4 * 3) and quote["sent"] is False
    assert talk["estimate"]["units"] == pytest.approx(0.8 * 3) and talk["status"] in (
        "submitted",
        "processing",
    )
    assert moved["estimate"]["units"] == pytest.approx(0.5 * 4)
    for result, seconds in zip(results, (3.0, 4.0), strict=True):
        assert result["status"] == "succeeded", result
        assert _seconds(result["files"][0]["path"]) == pytest.approx(seconds, abs=0.6)
    assert hs.creates() == 2


async def test_elements_and_voices_are_created_once_and_their_ids_returned(
    hs: Any, tools: Any, tmp_path: Path
) -> None:
    face, _, _ = _inputs(tmp_path)
    sample = tmp_path / "sample.wav"
    with wave.open(str(sample), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000 * 6)  # 6 s: a voice sample is 5-30 s
    element_args = {"name": "Hero", "images": [str(face), str(face)], "element_type": "character",
                    "idempotency_key": "hero-1"}  # fmt: skip
    async with hs.stdio() as client:
        element = tools.payload(await client.call_tool("create_element", element_args))
        again = tools.payload(await client.call_tool("create_element", element_args))
        voice = tools.payload(
            await client.call_tool("create_voice", {"name": "Narrator", "audio": str(sample)})
        )
        made = [
            tools.payload(
                await client.call_tool("task_result", {"handle": t["external_id"], "wait_seconds": 40})
            )
            for t in (element, voice)
        ]
    assert again["task_id"] == element["task_id"] and again["already_created"] is True
    assert voice["estimate"]["units"] == pytest.approx(0.05)
    for result, kind in zip(made, ("element", "voice"), strict=True):
        assert result["status"] == "succeeded", result
        assert [o["kind"] for o in result["outputs"]] == [kind] and result["outputs"][0]["id"], result
    assert hs.creates() == 2
