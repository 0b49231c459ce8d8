"""The operation registry: schemas are read from the catalog, and every paid operation's defaults make a
request the library accepts and prices."""

from __future__ import annotations

from typing import Any

import pytest

from klingkit import catalog, ops, prepare
from klingkit.catalog import _data

MINIMAL: dict[str, dict[str, Any]] = {
    "generate_video": {"prompt": "a fox"},
    "generate_image": {"prompt": "a fox"},
    "generate_audio": {"prompt": "rain", "duration": 5},
    "video_to_audio": {"video": "vid-1", "bgm_prompt": "calm piano"},
    "text_to_speech": {"text": "hello", "voice_id": _data.VOICES["en"][0]},
    "extend_video": {"video": "vid-1"},
    "lip_sync": {"video": "vid-1", "text": "hello", "voice_id": _data.VOICES["en"][0]},
    "apply_effect": {"scene": _data.SINGLE_IMAGE_EFFECTS[0], "images": ["https://example.com/a.png"]},
    "try_on": {"person_image": "https://example.com/a.png", "garment_image": "https://example.com/b.png"},
    "generate_avatar": {"image": "https://example.com/a.png", "audio": "https://example.com/s.mp3"},
    "motion_control": {"image": "https://example.com/a.png", "video": "https://example.com/d.mp4"},
    "create_element": {"name": "Hero", "images": ["https://example.com/a.png"]},
    "create_voice": {"name": "Narrator", "audio": "https://example.com/s.wav"},
    "edit_video": {"video": "vid-1", "remove": True, "points": ["0.5,0.5"]},
    "recognize_image": {"image": "https://example.com/a.png"},
    "multi_shot": {"image": "https://example.com/a.png"},
    "expand_image": {"image": "https://example.com/a.png", "left": 0.5},
    "omni_image": {"prompt": "a fox", "refs": ["https://example.com/a.png"]},
    "omni_video": {"prompt": "a fox", "refs": ["https://example.com/a.png"]},
}


def test_every_paid_operation_has_a_minimal_example() -> None:
    assert set(MINIMAL) == {op.name for op in ops.paid()}


@pytest.mark.parametrize("name", sorted(MINIMAL))
def test_minimal_arguments_make_a_priced_request(name: str) -> None:
    op = ops.get(name)
    for required in op.input_schema()["required"]:
        assert required in MINIMAL[name]
    feature, params = op.request(MINIMAL[name])
    assert feature in catalog.ENDPOINTS
    est = prepare(feature, **params).estimate
    unpriced = name == "create_element" and "no published price" in est.basis  # the catalog says so
    assert (est.units > 0 or unpriced) and est.pack == catalog.ENDPOINTS[feature].pack


def test_schemas_offer_every_catalog_model_and_value() -> None:
    video = ops.get("generate_video").input_schema()["properties"]
    names = {m.name for m in _data.VIDEO_MODELS if m.text_to_video or m.image_to_video}
    kling4 = set(catalog.kling4.MODELS)
    assert set(video["model"]["enum"]) == names | {m.name for m in _data.NEW_VIDEO_MODELS} | kling4
    every_duration = {d for m in (*_data.VIDEO_MODELS, *_data.NEW_VIDEO_MODELS) for d in m.durations}
    every_duration |= {
        d for m in catalog.kling4.MODELS.values() for d in range(m.durations[0], m.durations[1] + 1)
    }
    assert set(video["duration"]["enum"]) == every_duration
    assert video["aspect_ratio"]["enum"] == list(_data.VIDEO_ASPECT_RATIOS)
    image = ops.get("generate_image").input_schema()["properties"]
    assert image["model"]["enum"] == [m.name for m in _data.IMAGE_MODELS] + list(catalog.image4.MODELS)
    assert set(image["aspect_ratio"]["enum"]) == set(_data.IMAGE_ASPECT_RATIOS) | set(
        catalog.image4.ASPECT_RATIOS
    )
    assert (image["n"]["minimum"], image["n"]["maximum"]) == (_data.N_MIN, _data.N_MAX)
    assert ops.get("apply_effect").input_schema()["properties"]["scene"]["examples"] == [
        *_data.SINGLE_IMAGE_EFFECTS,
        *_data.DUAL_IMAGE_EFFECTS,
    ]


def test_every_default_in_a_schema_is_allowed() -> None:
    for op in ops.OPERATIONS.values():
        for name, schema in op.input_schema()["properties"].items():
            if "default" in schema and "enum" in schema:
                assert schema["default"] in schema["enum"], (op.name, name)
            if "default" in schema and "minimum" in schema:
                assert schema["minimum"] <= schema["default"] <= schema.get("maximum", float("inf")), (
                    op.name,
                    name,
                )


def test_2026_models_route_to_the_2026_endpoints() -> None:
    feature, params = ops.get("generate_video").request(
        {"prompt": "x", "model": "kling-3.0", "mode": "pro", "sound": True}
    )
    assert feature == "text-to-video" and params["resolution"] == "1080p" and params["audio"] == "native"
    feature, params = ops.get("generate_video").request({"image": "https://example.com/a.png"})
    assert feature == "image2video" and "aspect_ratio" not in params


def test_the_2026_h2_operations_route_to_their_endpoints() -> None:
    feature, params = ops.get("motion_control").request(
        {"image": "https://example.com/a.png", "video": "https://example.com/d.mp4", "model": "kling-3.0"}
    )
    spec = prepare(feature, **params)
    assert spec.feature == "motion-control-new" and spec.estimate.units > 0
    frames = ["https://example.com/b.png", "https://example.com/c.png"]
    args = {
        "prompt": "x",
        "model": "kling-4.0",
        "image": "https://example.com/a.png",
        "middle_frames": frames,
    }
    feature, params = ops.get("generate_video").request(args)
    assert params["middle_frames"] == frames and prepare(feature, **params).estimate.usd > 0
    pictures = ["https://example.com/a.png", "https://example.com/b.png"]
    feature, params = ops.get("generate_video").request({"prompt": "two friends", "images": pictures})
    assert feature == "multi-image2video" and params["image_list"] == pictures
    assert prepare(feature, **params).estimate.units > 0
    image4 = ops.get("generate_image").request(
        {"prompt": "x", "model": "kling-image-4.0", "aspect_ratio": "auto"}
    )
    assert prepare(*image4[:1], **image4[1]).estimate.units > 0


def test_a_handle_becomes_the_video_id_it_made() -> None:
    feature, params = ops.get("extend_video").request({"video": "kk-1"}, lambda v: f"video-of-{v}")
    assert (feature, params["video_id"]) == ("video-extend", "video-of-kk-1")
