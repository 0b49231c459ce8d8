"""The client against the sandbox over real HTTP: create, wait, download and decode for each family;
create recovery after a lost response; coalesced waiting; the async twin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Kling, TaskStatus
from klingkit.errors import ContentPolicyError, TaskFailedError

pytestmark = pytest.mark.integration
av = pytest.importorskip("av")


def decode_duration(path: Path) -> tuple[int, float]:
    """(decoded frame count, seconds) of the first video or audio stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0] if container.streams.video else container.streams.audio[0]
        frames = sum(1 for _ in container.decode(stream))
        seconds = float(container.duration / 1_000_000) if container.duration else 0.0
    return frames, seconds


def test_legacy_video_with_ak_sk(sb: Any, tmp_path: Path) -> None:
    with Kling(access_key=sb.access_key, secret_key=sb.secret_key, base_url=sb.base_url) as client:
        task = client.videos.text_to_video(
            prompt="a red fox in the snow", model_name="kling-v2-6", duration=5
        )
        assert task.status is TaskStatus.SUBMITTED and task.external_id.startswith("kk-")
        done = client.tasks.wait(task, poll_interval=0.05)
        assert done.succeeded and done.units == pytest.approx(1.5)
        [path] = client.download(done, tmp_path)
    frames, seconds = decode_duration(path)
    assert frames > 24 and seconds == pytest.approx(5, abs=0.5)
    assert (tmp_path / f"{path.name}.json").exists()


def test_2026_video_with_api_key(sb: Any, tmp_path: Path) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.text_to_video(prompt="a fox", model_name="kling-3.0", duration=5)
        assert (task.family, task.model) == ("new", "kling-3.0")
        done = client.tasks.wait(task, poll_interval=0.05)
        [path] = client.download(done, tmp_path / "clip.mp4")
        again = client.tasks.get(done.id)  # no feature: found through /tasks
    assert decode_duration(path)[0] > 24 and again.id == done.id and again.succeeded


def test_image_and_audio(sb: Any, tmp_path: Path) -> None:
    from PIL import Image

    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        image = client.tasks.wait(client.images.generate(prompt="a fox", n=2), poll_interval=0.05)
        audio = client.tasks.wait(client.audio.text_to_audio(prompt="rain", duration=3), poll_interval=0.05)
        image_paths = client.download(image, tmp_path / "img")
        audio_paths = client.download(audio, tmp_path / "aud")
    assert len(image_paths) == 2
    with Image.open(image_paths[0]) as img:
        assert img.format == "PNG" and min(img.size) > 0
    assert sorted(p.suffix for p in audio_paths) == [".mp3", ".wav"]
    for p in audio_paths:
        assert decode_duration(p)[1] == pytest.approx(3, abs=0.5)


def test_lost_create_response_gives_exactly_one_task(sb: Any) -> None:
    sb.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.text_to_video(prompt="a fox", model_name="kling-v2-6", duration=5)
        done = client.tasks.wait(task, poll_interval=0.05)
    counters = sb.counters()
    assert done.succeeded and counters["creates"] == 1 and counters["duplicate_external_ids"] == 0
    assert counters["faults_injected"]


def test_policy_block_and_risk_failure(sb: Any) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        with pytest.raises(ContentPolicyError) as blocked:
            client.videos.text_to_video(prompt="sandbox-policy-block", model_name="kling-v2-6", duration=5)
        assert blocked.value.code == 1301 and blocked.value.request_id
        task = client.videos.text_to_video(prompt="sandbox-risk-fail", model_name="kling-v2-6", duration=5)
        with pytest.raises(TaskFailedError, match="not charged"):
            client.tasks.wait(task, poll_interval=0.05)


def test_wait_many_uses_few_status_requests(sb: Any) -> None:
    sb.configure(task_seconds=0.3, concurrency={"video": 100, "image": 100})
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        tasks = [
            client.videos.text_to_video(prompt=f"fox {i}", model_name="kling-3.0", duration=5)
            for i in range(25)
        ]
        before = sb.counters()["status_queries"]
        done = client.tasks.wait_many(tasks, poll_interval=0.1)
    assert all(t.succeeded for t in done)
    used = sb.counters()["status_queries"] - before
    assert used < len(tasks)  # 25 tasks share /tasks requests of 20 ids each


async def test_async_client(sb: Any, tmp_path: Path) -> None:
    async with AsyncKling(access_key=sb.access_key, secret_key=sb.secret_key, base_url=sb.base_url) as client:
        task = await client.videos.text_to_video(prompt="a fox", model_name="kling-v2-6", duration=5)
        done = await client.tasks.wait(task, poll_interval=0.05)
        [path] = await client.download(done, tmp_path)
        costs = await client.account.costs()
    assert decode_duration(path)[0] > 24 and isinstance(costs, dict)
