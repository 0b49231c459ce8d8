"""``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1): routing, the 2026 body, rules, price.

The route's own page is not in the reference; the body follows the 2026 convention (§2.15): typed
``contents[]``, ``settings{}``, ``options{}``.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest

from klingkit import catalog
from klingkit._exceptions import ValidationError
from klingkit._requests import prepare


def refused(**params: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        prepare("omni_video", **params)
    return info.value


def png_base64(width: int = 640, height: int = 360) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_text_to_video_body() -> None:
    spec = prepare(
        "omni_video",
        model_name="kling-3.0-omni",
        prompt="a lighthouse at dawn",
        mode="pro",
        duration=8,
        aspect_ratio="9:16",
        sound="on",
        callback_url="https://example.com/cb",
        external_task_id="omni-1",
    )
    assert (spec.feature, spec.method, spec.path, spec.family) == (
        "omni-video-new",
        "POST",
        "/omni-video/kling-3.0-omni",
        "new",
    )
    assert spec.body == {
        "contents": [{"type": "prompt", "text": "a lighthouse at dawn"}],
        "settings": {"resolution": "1080p", "duration": 8, "aspect_ratio": "9:16", "audio": "native"},
        "options": {"callback_url": "https://example.com/cb", "external_task_id": "omni-1"},
    }
    assert spec.model == "kling-3.0-omni" and spec.mode == "pro" and spec.duration == 8
    expected = catalog.video_price("kling-v3-omni", "pro", 8, variant="audio", omni=True)
    assert spec.estimate == expected and spec.estimate.units == pytest.approx(8.0)


def test_first_frame_body_and_video_reference() -> None:
    image = png_base64()
    spec = prepare(
        "omni_video",
        model="kling-o1",
        prompt="the bird takes off",
        image_list=[{"image_url": image, "type": "first_frame"}],
        element_list=[{"element_id": "el-7"}],
        duration=5,
        mode="std",
    )
    assert spec.path == "/omni-video/kling-o1"
    assert spec.body == {
        "contents": [
            {"type": "prompt", "text": "the bird takes off"},
            {"type": "first_frame", "url": image},
            {"type": "element", "element_id": "el-7"},
        ],
        "settings": {"resolution": "720p", "duration": 5},
    }
    assert spec.estimate.units == pytest.approx(0.6 * 5)

    edit = prepare(
        "omni_video",
        model_name="kling-o1",
        prompt="make it night",
        video_list=[
            {"video_url": "https://example.com/in.mp4", "refer_type": "base", "keep_original_sound": "yes"}
        ],
        duration=7,
    )
    assert edit.body["contents"][1] == {
        "type": "video",
        "url": "https://example.com/in.mp4",
        "refer_type": "base",
        "keep_original_sound": "yes",
    }
    assert "settings" in edit.body and "resolution" not in edit.body["settings"]
    assert edit.estimate.units == pytest.approx(0.9 * 7)  # with video input, 720p default


def test_end_frame_maps_to_last_frame_after_the_first() -> None:
    first, last = png_base64(), png_base64(600, 400)
    spec = prepare(
        "omni_video",
        model_name="kling-3.0-omni",
        prompt="x",
        image_list=[{"image_url": last, "type": "end_frame"}, {"image_url": first, "type": "first_frame"}],
        duration=12,
    )
    assert [c["type"] for c in spec.body["contents"]] == ["prompt", "first_frame", "last_frame"]
    assert spec.body["contents"][1]["url"] == first


def test_prepare_by_feature_key_and_legacy_names_stay_legacy() -> None:
    assert prepare("omni-video-new", model_name="kling-o1", prompt="x").path == "/omni-video/kling-o1"
    legacy = prepare("omni_video", model_name="kling-v3-omni", prompt="x")
    assert legacy.path == "/v1/videos/omni-video" and legacy.body["model_name"] == "kling-v3-omni"
    with pytest.raises(ValidationError) as info:
        prepare("omni-video-new", model_name="kling-v3-omni", prompt="x")
    assert info.value.field == "model_name" and "kling-3.0-omni" in str(info.value.suggestion)


def test_duration_12_on_o1() -> None:
    err = refused(model_name="kling-o1", prompt="x", duration=12)
    assert err.field == "duration" and err.value == 12
    assert "10" in str(err.allowed) and "kling-o1" in str(err.allowed)
    assert err.suggestion == "kling-3.0-omni allows 12"


def test_o1_text_or_first_frame_only_takes_5_or_10() -> None:
    err = refused(model_name="kling-o1", prompt="x", duration=7)
    assert err.field == "duration" and "5, 10" in str(err.allowed)


def test_4k_on_o1() -> None:
    err = refused(model_name="kling-o1", prompt="x", mode="4k")
    assert err.field == "resolution" and err.value == "4k"
    assert "720p, 1080p" in str(err.allowed) and err.suggestion == "kling-3.0-omni allows 4k"
    assert prepare("omni_video", model_name="kling-3.0-omni", prompt="x", resolution="4k").body[
        "settings"
    ] == {"resolution": "4k"}


def test_two_videos() -> None:
    video = {"video_url": "https://example.com/a.mp4"}
    err = refused(model_name="kling-3.0-omni", prompt="x", video_list=[video, video])
    assert err.field == "video_list" and err.value == "2 items" and "exactly 1" in str(err.allowed)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"model_name": "kling-o1", "prompt": "x", "sound": "on"}, "audio"),
        ({"model_name": "kling-3.0-omni"}, "prompt"),
        ({"model_name": "kling-3.0-omni", "prompt": "x", "negative_prompt": "blur"}, "negative_prompt"),
        (
            {
                "model_name": "kling-3.0-omni",
                "prompt": "x",
                "aspect_ratio": "1:1",
                "image_list": [{"image_url": "https://example.com/a.png", "type": "first_frame"}],
            },
            "aspect_ratio",
        ),
        (
            {"model_name": "kling-3.0-omni", "prompt": "x", "image_list": ["https://example.com/a.png"]},
            "image_list[0].type",
        ),
        (
            {
                "model_name": "kling-3.0-omni",
                "prompt": "x",
                "image_list": [{"image_url": "https://example.com/a.png", "type": "end_frame"}],
            },
            "image_list",
        ),
        ({"model_name": "kling-v3-omni", "prompt": "x", "resolution": "720p"}, "resolution"),
    ],
)
def test_other_rules(params: dict[str, Any], field: str) -> None:
    assert refused(**params).field == field
