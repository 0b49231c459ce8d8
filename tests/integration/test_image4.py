"""Image 4.0 against the sandbox over HTTP: decoded images of the asked count and size, billed as
estimated; a lost create answer is reconciled through the task list (no external id on this route)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klingkit import Kling

pytestmark = pytest.mark.integration


def test_series_of_three_after_a_lost_answer(sb: Any, tmp_path: Path) -> None:
    from PIL import Image

    sb.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.images.generate(model="kling-image-4.0", prompt="three views of a teapot",
                                      result_type="series", series_amount=3, aspect_ratio="16:9")  # fmt: skip
        done = client.tasks.wait(task, poll_interval=0.05)
        paths = client.download(done, tmp_path)
    assert sb.counters()["creates"] == 1 and sb.counters()["requests"]["POST /tasks"] == 1
    sizes = [Image.open(p).size for p in paths]
    assert len(sizes) == 3 and all(w > h for w, h in sizes) and done.units == 24


def test_long_image_webpage(sb: Any, tmp_path: Path) -> None:
    from PIL import Image

    ref = tmp_path / "style.png"
    Image.new("RGB", (600, 900), (20, 90, 200)).save(ref)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.images.omni(model="kling-long-image-4.0", prompt="a landing page for tea",
                                  skill="webpage", style_image=ref)  # fmt: skip
        [path] = client.download(client.tasks.wait(task, poll_interval=0.05), tmp_path / "out")
    width, height = Image.open(path).size
    assert height > width
    assert sb.counters()["requests"]["POST /omni-image/kling-long-image-4.0"] == 1
