"""Multi-element editing against the sandbox: the one-call edit, the session steps, and a removal with
nothing selected refused by the server (only it knows the session); sync and async."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Kling
from klingkit.errors import APIError, ValidationError

pytestmark = pytest.mark.integration


def _cat(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "cat.png"
    Image.new("RGB", (640, 480), (200, 150, 20)).save(path)
    return path


def test_one_call_swap_and_the_steps(sb: Any, tmp_path: Path) -> None:
    av = pytest.importorskip("av")
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        source = client.tasks.wait(client.videos.text_to_video(prompt="a dog in a park", duration=5),
                                   poll_interval=0.05)  # fmt: skip
        video_id = source.videos[0].id
        assert video_id is not None
        task = client.edits.edit(video_id, "swap", points=[(0.5, 0.5)], images=[_cat(tmp_path)],
                                 prompt="a cat instead of the dog")  # fmt: skip
        done = client.tasks.wait(task, poll_interval=0.05)
        assert done.units == pytest.approx(0.6 * 5)
        [path] = client.download(done, tmp_path / "edited.mp4")
        with av.open(str(path)) as container:
            assert float(container.duration or 0) / 1e6 == pytest.approx(5, abs=0.15)
        session = client.edits.init(video_id)
        sid = session["session_id"]
        assert session["frames"] == 120
        assert client.edits.add(sid, 3, [(0.1, 0.2), (0.3, 0.4)])["selections"] == 2
        assert client.edits.delete(sid, 3, [(0.1, 0.2)])["selections"] == 1
        assert client.edits.preview(sid)["selections"] == [{"frame_index": 3, "x": 0.3, "y": 0.4}]
        client.edits.clear(sid)
        with pytest.raises(APIError) as info:
            client.edits.create(session_id=sid, edit_mode="removal")
        assert "needs add-selection first" in str(info.value)
        creates = sb.counters()["creates"]
        with pytest.raises(ValidationError):  # refused before the session is even opened
            client.edits.edit(video_id, "addition", points=[(0.5, 0.5)])
        assert sb.counters()["creates"] == creates
        with pytest.raises(APIError) as info:
            client.edits.init("no-such-video")
        assert "does not exist" in str(info.value)


def test_async_removal(sb: Any) -> None:
    async def main() -> Any:
        async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
            source = await client.tasks.wait(await client.videos.text_to_video(prompt="a street", duration=5),
                                             poll_interval=0.05)  # fmt: skip
            task = await client.edits.edit(
                source.videos[0].id or "", "removal", points=[(0.4, 0.6)], frame=10
            )
            return await client.tasks.wait(task, poll_interval=0.05)

    assert asyncio.run(main()).succeeded
