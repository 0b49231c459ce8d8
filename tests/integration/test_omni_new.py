"""``client.videos.omni`` with a 2026 omni model name against the sandbox: ``POST /omni-video/{model}``,
waited through ``/tasks``, downloaded and decoded."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest

from klingkit import Kling

pytestmark = pytest.mark.integration
av = pytest.importorskip("av")


def test_omni_2026_route_end_to_end(sb: Any, tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (720, 1280), (30, 160, 90)).save(buf, format="PNG")
    frame = base64.b64encode(buf.getvalue()).decode()
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.omni(
            model_name="kling-3.0-omni",
            prompt="the leaves start to fall",
            image_list=[{"image_url": frame, "type": "first_frame"}],
            duration=4,
            mode="std",
        )
        assert (task.family, task.model) == ("new", "kling-3.0-omni")
        done = client.tasks.wait(task, poll_interval=0.05)
        assert done.succeeded and done.units == pytest.approx(0.6 * 4)
        [path] = client.download(done, tmp_path / "omni.mp4")
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        frames = sum(1 for _ in container.decode(stream))
    assert size == (720, 1280) and frames >= 24 * 3
    assert sb.counters()["requests"].get("POST /omni-video/kling-3.0-omni") == 1
