"""Kling 4.0 against the sandbox over HTTP: every video decodes with an audio stream and the asked length;
a lost create answer is recovered through the task list, never by sending twice."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Kling

pytestmark = pytest.mark.integration
av = pytest.importorskip("av")


@pytest.fixture
def sb(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh sandbox per test: after a reset the sandbox hands out the same output ids again and would
    serve the files rendered before it (noted for the sandbox's owner), so each test gets its own seed."""
    from klingkit.sandbox import Sandbox

    seed = sum(map(ord, request.node.name))
    with Sandbox(time_scale=0.0, seed=seed) as sandbox:
        yield sandbox


def _png(w: int, h: int) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 120, 40)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _mp4(path: Path, seconds: int, size: int = 720, fps: int = 24) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        import numpy as np

        for i in range(seconds * fps):
            frame = av.VideoFrame.from_ndarray(np.full((size, size, 3), i % 255, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _decoded(path: Path) -> tuple[set[str], float, tuple[int, int]]:
    with av.open(str(path)) as container:
        kinds = {s.type for s in container.streams}
        video = container.streams.video[0]
        return kinds, float(container.duration or 0) / 1e6, (video.width, video.height)


def _done(client: Kling, task: Any, tmp_path: Path) -> Path:
    done = client.tasks.wait(task, poll_interval=0.05)
    assert done.succeeded
    [path] = client.download(done, tmp_path / f"{done.id}.mp4")
    return path


def test_text_to_video_has_audio_and_the_asked_length(sb: Any, tmp_path: Path) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.text_to_video(model="kling-v4", prompt="a fox", duration=4, aspect_ratio="9:16")
        assert (task.model, task.family) == ("kling-4.0", "new")
        kinds, seconds, size = _decoded(_done(client, task, tmp_path))
    assert kinds == {"video", "audio"} and seconds == pytest.approx(4, abs=0.15) and size == (720, 1280)
    assert sb.counters()["requests"]["POST /text-to-video/kling-4.0"] == 1


def test_keyframes_on_flash_and_4_0(sb: Any, tmp_path: Path) -> None:
    frame = _png(960, 540)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        full = client.videos.image_to_video(model="kling-4.0", prompt="run", image=frame,
                                            middle_frames=[frame] * 8, image_tail=frame, duration=3)  # fmt: skip
        flash = client.videos.image_to_video(model="kling-4.0-flash", image=frame, duration=3)
        for task, length in ((full, 3), (flash, 3)):
            kinds, seconds, size = _decoded(_done(client, task, tmp_path))
            assert kinds == {"video", "audio"} and seconds == pytest.approx(length, abs=0.15)
            assert size == (1280, 720)  # the first frame's aspect, at 720p


def test_omni_edit_lasts_as_long_as_its_base_video(sb: Any, tmp_path: Path) -> None:
    base = _mp4(tmp_path / "base.mp4", seconds=4)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        spec_task = client.videos.omni(model="kling-4.0", prompt="@hero replaces the ball", base_video=base,
                                       elements={"hero": "preset-element-1001"}, keep_original_sound=True)  # fmt: skip
        done = client.tasks.wait(spec_task, poll_interval=0.05)
        # input 4 s + output 4 s at the 720p video-input rate: the client's estimate and the charge agree
        assert done.units == pytest.approx(round(0.094 * 8 / 0.14, 4), abs=1e-3)
        [path] = client.download(done, tmp_path / "edit.mp4")
    kinds, seconds, _ = _decoded(path)
    assert kinds == {"video", "audio"} and seconds == pytest.approx(4, abs=0.15)


def test_lost_answer_then_rate_limited_list_gives_one_task_delivered(sb: Any, tmp_path: Path) -> None:
    sb.set_faults([
        {"fault": "lost_response", "route": "create", "count": 1},
        {"fault": "1302", "route": "/tasks", "count": 1},
    ])  # fmt: skip
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.text_to_video(model="kling-4.0", prompt="a fox", duration=3)
        kinds, seconds, _ = _decoded(_done(client, task, tmp_path))
    counters = sb.counters()
    assert counters["creates"] == 1 and counters["tasks"] == 1  # exactly one task, never sent twice
    assert counters["requests"]["POST /text-to-video/kling-4.0"] == 1
    # reconciliation cost: one list request, plus the one the rate limit refused
    assert counters["requests"]["POST /tasks"] == 2
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3, abs=0.15)


def test_lost_answer_async_adopts_the_task_and_ignores_tasks_of_other_creates(sb: Any) -> None:
    async def main() -> Any:
        async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
            other = await client.videos.text_to_video(model="kling-4.0", prompt="first", duration=3)
            sb.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
            lost = await client.videos.text_to_video(model="kling-4.0", prompt="second", duration=3)
            return other, await client.tasks.wait(lost, poll_interval=0.05)

    other, lost = asyncio.run(main())
    assert lost.succeeded and lost.id != other.id  # the earlier task of this client is claimed, not adopted
    assert sb.counters()["creates"] == 2


class _FakeTime:
    """Wall clock that sleeps by moving forward (the client's clock and sleep are injectable)."""

    def __init__(self) -> None:
        import time

        self.now = time.time()
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_create_that_never_arrived_is_sent_again_only_after_the_list_proves_it(sb: Any) -> None:
    from klingkit._reconcile import ABSENT_AFTER_S

    sb.set_faults([{"fault": "drop", "route": "create", "count": 1}])  # not processed at all
    fake = _FakeTime()
    with Kling(api_key=sb.api_key, base_url=sb.base_url, clock=fake, sleep=fake.sleep) as client:
        task = client.videos.text_to_video(model="kling-4.0", prompt="x", duration=3)
    counters = sb.counters()
    assert task.id and counters["creates"] == 1
    assert counters["requests"]["POST /text-to-video/kling-4.0"] == 2  # sent again once, after proof
    assert counters["requests"]["POST /tasks"] == 2  # one listing at once, one after the grace
    assert sum(fake.slept) >= ABSENT_AFTER_S


def test_several_candidates_leave_the_task_unknown_and_nothing_is_resent(sb: Any) -> None:
    from klingkit.errors import CreateUnresolvedError

    with Kling(api_key=sb.api_key, base_url=sb.base_url) as other_process:
        other = other_process.videos.text_to_video(model="kling-4.0", prompt="by another process", duration=3)
    sb.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
    with (
        Kling(api_key=sb.api_key, base_url=sb.base_url) as client,
        pytest.raises(CreateUnresolvedError) as info,
    ):
        client.videos.text_to_video(model="kling-4.0", prompt="mine", duration=3)
    assert (
        len(info.value.candidates) == 2 and info.value.fingerprint["route"] == "POST /text-to-video/kling-4.0"
    )
    assert sb.counters()["creates"] == 2  # the other process's and ours; nothing sent a second time
    # Once the ledger says which task the other process owns, the same fingerprint resolves.
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        mine = client.tasks.reconcile(info.value.fingerprint, claimed=[other.id])
    assert mine.id != other.id and mine.id in info.value.candidates
