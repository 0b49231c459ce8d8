"""Multi-element editing requests: the edit task body (kling-api.md §2.14 names; step bodies L), its
validation messages and price (kling-v1-6 multi-element editing, §7.2)."""

from __future__ import annotations

from typing import Any

import pytest

from klingkit import prepare
from klingkit._edit import _init_body, _points_body
from klingkit.errors import ValidationError

IMG = "https://example.com/cat.png"


def test_edit_task_body_and_price() -> None:
    spec = prepare("multi_elements", session_id="s1", edit_mode="swap", images=[IMG], prompt="a cat",
                   mode="pro", duration=10)  # fmt: skip
    assert (spec.path, spec.feature) == ("/v1/videos/multi-elements", "multi-elements")
    assert spec.body == {"model_name": "kling-v1-6", "session_id": "s1", "edit_mode": "swap", "prompt": "a cat",
                         "mode": "pro", "duration": "10", "image_list": [{"image": IMG}]}  # fmt: skip
    assert spec.estimate.units == pytest.approx(10.0) and spec.estimate.exact


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"edit_mode": "recolor"}, "edit_mode", "addition, swap, removal"),
        ({"edit_mode": "swap", "prompt": "x"}, "images", "swap puts an image"),
        ({"edit_mode": "addition", "images": [IMG]}, "prompt", "addition needs a prompt"),
        ({"edit_mode": "removal", "duration": 7}, "duration", "5, 10"),
        ({"edit_mode": "removal", "model_name": "kling-v3"}, "model_name", "kling-v1-6"),
    ],
)
def test_edit_refusals(params: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("multi_elements", session_id="s1", **params)
    assert info.value.field == field and words in str(info.value)


def test_session_step_bodies() -> None:
    assert _init_body("8812") == {"video_id": "8812"}
    assert _init_body("https://x/v.mp4") == {"video_url": "https://x/v.mp4"}
    assert _points_body("s1", 3, [(0.5, 0.25)]) == {"session_id": "s1", "frame_index": 3,
                                                    "points": [{"x": 0.5, "y": 0.25}]}  # fmt: skip
    with pytest.raises(ValidationError) as info:
        _points_body("s1", 0, [(1.5, 0.2)])
    assert info.value.field == "points[0]" and "between 0 and 1" in str(info.value)
