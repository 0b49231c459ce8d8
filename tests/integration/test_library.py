"""The elements and voices library against the sandbox: create (a task), list presets and custom, delete,
and the ids used in a Kling 4.0 omni request; sync and async."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Kling
from klingkit.errors import APIError, ValidationError

from ..media_files import wav

pytestmark = pytest.mark.integration


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    from PIL import Image

    image = tmp_path / "hero.png"
    Image.new("RGB", (512, 512), (10, 200, 30)).save(image)
    return image, wav(tmp_path / "sample.wav", 8)


def test_create_list_use_and_delete(sb: Any, tmp_path: Path) -> None:
    av = pytest.importorskip("av")
    image, sample = _inputs(tmp_path)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        element = client.tasks.wait(client.elements.create(name="Hero", images=[image]), poll_interval=0.05)
        voice = client.tasks.wait(client.voices.create(name="Narrator", audio=sample), poll_interval=0.05)
        [el] = element.outputs
        [vo] = voice.outputs
        assert (el.kind, vo.kind) == ("element", "voice") and voice.units == pytest.approx(0.05)
        [sample_path] = client.download(voice, tmp_path / "voice")
        with av.open(str(sample_path)) as container:
            assert container.streams.audio
        listed = client.elements.list()
        assert {e["source"] for e in listed} == {"preset", "custom"}
        assert [e["id"] for e in client.elements.list("custom")] == [el.id]
        assert vo.id in [v["id"] for v in client.voices.list("custom")]
        assert client.voices.list("preset")  # the catalog's voices
        video = client.videos.omni(model="kling-4.0", prompt="@hero waves, @narr speaks", duration=3,
                                   elements={"hero": el.id}, voices={"narr": vo.id})  # fmt: skip
        assert client.tasks.wait(video, poll_interval=0.05).succeeded
        assert client.elements.delete([el.id]) == [el.id]
        assert client.elements.list("custom") == []
        with pytest.raises(APIError) as info:
            client.elements.delete([el.id + "0"])
        assert "does not exist" in str(info.value)
        with pytest.raises(APIError) as info:
            client.elements.delete(["preset-element-1001"])
        assert "preset" in str(info.value)
        with pytest.raises(ValidationError):
            client.voices.list("mine")


def test_async_twin(sb: Any, tmp_path: Path) -> None:
    image, _ = _inputs(tmp_path)

    async def main() -> list[dict[str, Any]]:
        async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
            task = await client.tasks.wait(await client.elements.create(name="Car", images=[image],
                                                                         element_type="object"), poll_interval=0.05)  # fmt: skip
            found = await client.elements.list("custom")
            assert await client.elements.delete(task.outputs[0].id) == [task.outputs[0].id]
            return found

    found = asyncio.run(main())
    assert [(e["name"], e["element_type"]) for e in found] == [("Car", "object")]


def test_image_recognize_answers_at_once_with_a_mask_of_the_image_size(sb: Any, tmp_path: Path) -> None:
    from PIL import Image

    image, _ = _inputs(tmp_path)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.images.recognize(image=image, type="head_seg")
        assert task.succeeded and task.units == pytest.approx(0.1)
        [mask] = client.download(task, tmp_path / "mask")
    assert Image.open(mask).size == (512, 512)
    assert sb.counters()["requests"]["POST /v1/videos/image-recognize"] == 1
