"""AI multi-shot against the sandbox over HTTP, sync and async: one create, three views of the frontal
picture's size, decoded with Pillow; the price the server bills is the catalog's."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, Kling

pytestmark = pytest.mark.integration


def _front(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "front.png"
    Image.new("RGB", (480, 640), (180, 90, 30)).save(path)
    return path


def _decoded(files: list[Path]) -> list[tuple[int, int]]:
    from PIL import Image

    sizes = []
    for file in files:
        with Image.open(file) as img:
            img.load()
            sizes.append(img.size)
    return sizes


def test_sync_multi_shot_gives_three_views(sb: Any, tmp_path: Path) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.tasks.wait(client.images.multi_shot(image=_front(tmp_path)), poll_interval=0.05)
        assert task.succeeded and task.units == pytest.approx(20.0)
        files = client.download(task, tmp_path / "views")
    assert _decoded(files) == [(480, 640)] * 3
    counters = sb.counters()
    assert counters["creates"] == 1 and counters["requests"]["POST /v1/general/ai-multi-shot"] == 1


def test_async_multi_shot_gives_three_views(sb: Any, tmp_path: Path) -> None:
    async def run() -> list[Path]:
        async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
            task = await client.images.multi_shot(image=_front(tmp_path))
            done = await client.tasks.wait(task, poll_interval=0.05)
            return await client.download(done, tmp_path / "views")

    assert _decoded(asyncio.run(run())) == [(480, 640)] * 3
    assert sb.counters()["creates"] == 1


def test_the_server_refuses_a_missing_or_too_small_picture(sb: Any) -> None:
    """What a client without klingkit's checks gets: Kling's refusal, and nothing created."""
    import base64
    import io

    import httpx
    from PIL import Image

    small = io.BytesIO()
    Image.new("RGB", (200, 200)).save(small, "PNG")
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    url = sb.base_url + "/v1/general/ai-multi-shot"
    missing = httpx.post(url, json={}, headers=headers)
    assert missing.status_code == 400 and "element_frontal_image" in missing.json()["message"]
    tiny = httpx.post(url, json={"element_frontal_image": base64.b64encode(small.getvalue()).decode()},
                      headers=headers)  # fmt: skip
    assert tiny.status_code == 400 and "300" in tiny.json()["message"]
    assert sb.counters()["creates"] == 0
