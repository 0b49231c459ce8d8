"""Request bodies pinned against the reference's Appendix A examples, routing, external ids and estimates.

Each fixture in ``fixtures/requests`` is an official example body (``kling-api.md`` Appendix A, comments
removed). The test feeds the same inputs to ``prepare`` and expects that body back, minus the documented
choices of ``klingkit._requests``: empty-string optional fields are not sent, and ``multi_shot`` is sent as
a JSON boolean (its documented type) where the sample sends the string ``"true"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klingkit._exceptions import ValidationError
from klingkit._requests import RequestSpec, features, prepare

FIXTURES = Path(__file__).parent / "fixtures" / "requests"


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v != ""}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _load(name: str) -> tuple[str, dict[str, Any]]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data["path"], data["body"]


def _flat(body: dict[str, Any]) -> dict[str, Any]:
    """Lip-sync and effects take the ``input`` fields flat."""
    params = {k: v for k, v in body.items() if k != "input"}
    params.update(body.get("input", {}))
    return params


CASES: dict[str, tuple[str, Any]] = {
    "a03_image2video_motion_brush": ("image_to_video", dict),
    "a10_effects_2025_single": ("effects", _flat),
    "a15_image_generation": ("generate", dict),
    "a16_multi_image2image": ("multi_image", dict),
    "a17_expand": ("expand", dict),
    "a18_effects_2026_single": ("effects", _flat),
    "a18_effects_2026_dual": ("effects", _flat),
    "a20_identify_face": ("identify_face", dict),
    "a20_advanced_lip_sync": ("advanced_lip_sync", dict),
    "a21_lip_sync_text": ("lip_sync", _flat),
    "a21_lip_sync_audio": ("lip_sync", _flat),
    "a22_text_to_audio": ("text_to_audio", dict),
    "a22_video_to_audio": ("video_to_audio", dict),
    "a23_image2video_end_frame": ("image_to_video", dict),
    "a24_text2video": ("text_to_video", dict),
}


def test_every_fixture_has_a_case() -> None:
    names = {p.stem for p in FIXTURES.glob("*.json")}
    assert names == {*CASES, "a10_effects_2025_dual", "a23_image2video_multi_shot", "a27_new_text_to_video"}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", sorted(CASES))
def test_body_matches_the_official_example(name: str) -> None:
    path, body = _load(name)
    feature, to_params = CASES[name]
    spec = prepare(feature, **to_params(body))
    assert spec.method == "POST"
    assert spec.path == path
    assert spec.body == _without_empty(body)


def test_retired_2025_dual_effect_example_a10_is_refused() -> None:
    # Decision "retired-effects" (catalog.DECISIONS): hug/kiss/heart_gesture/fight were retired on
    # 2026-01-30; the A.10 body is refused before sending, naming the scene that replaced it.
    _, body = _load("a10_effects_2025_dual")
    with pytest.raises(ValidationError) as e:
        prepare("effects", **_flat(body))
    assert (e.value.field, e.value.value, e.value.allowed) == ("effect_scene", "hug", "hug_pro")


def test_multi_shot_example_a23() -> None:
    path, body = _load("a23_image2video_multi_shot")
    # The sample's "image": "xxx" is a placeholder; a URL stands in for it.
    body["image"] = "https://example.com/first.png"
    spec = prepare("image_to_video", **body)
    expected = _without_empty(body)
    expected["multi_shot"] = True
    assert spec.path == path
    assert spec.body == expected
    assert spec.estimate.units == pytest.approx(1.2 * 15)  # kling-v3 pro with audio: 1.2 units/s


def test_new_standard_text_to_video_example_a27() -> None:
    path, body = _load("a27_new_text_to_video")
    settings, options = body["settings"], body["options"]
    common = {"prompt": body["prompt"], "aspect_ratio": settings["aspect_ratio"], "duration": 10, **options}
    legacy_words = prepare("text_to_video", model_name="kling-2.6", mode="pro", sound="on", **common)
    new_words = prepare("text_to_video", model_name="kling-2.6", resolution="1080p", audio="native", **common)
    for spec in (legacy_words, new_words):
        assert spec.path == path
        assert spec.feature == "text-to-video"
        assert spec.family == "new"
        assert spec.body == _without_empty(body)
        assert spec.estimate.units == pytest.approx(10.0)  # kling-v2-6 audio 1080p: 1.0 units/s


def test_model_name_routes_text_to_video() -> None:
    legacy = prepare("text_to_video", model_name="kling-v3", prompt="a cat", mode="4k", duration=7)
    assert (legacy.feature, legacy.path, legacy.family) == ("text2video", "/v1/videos/text2video", "legacy")
    assert legacy.body["duration"] == "7" and legacy.body["mode"] == "4k"
    new = prepare("text_to_video", model_name="kling-3.0", prompt="a cat", mode="4k", duration="7")
    assert (new.feature, new.path) == ("text-to-video", "/text-to-video/kling-3.0")
    assert new.body == {"prompt": "a cat", "settings": {"resolution": "4k", "duration": 7}}
    assert (new.model, new.mode, new.duration) == ("kling-3.0", "4k", 7.0)


def test_new_image_to_video_uses_contents() -> None:
    spec = prepare(
        "image_to_video",
        model_name="kling-3.0",
        prompt="wave",
        image="https://example.com/a.png",
        image_tail="https://example.com/b.png",
        element_list=[123],
        sound="off",
        duration=5,
    )
    assert spec.path == "/image-to-video/kling-3.0"
    assert spec.body == {
        "contents": [
            {"type": "prompt", "text": "wave"},
            {"type": "first_frame", "url": "https://example.com/a.png"},
            {"type": "last_frame", "url": "https://example.com/b.png"},
            {"type": "element", "element_id": 123},
        ],
        "settings": {"audio": "off", "duration": 5},
    }


def test_mode_aliases_are_sent_short() -> None:
    spec = prepare("text2video", model_name="kling-v1", prompt="x", mode="professional")
    assert spec.body["mode"] == "pro"
    assert spec.mode == "pro"


def test_camera_preset_is_sent_with_all_axes() -> None:
    spec = prepare(
        "text_to_video", model_name="kling-v1", prompt="x", mode="std", duration=5, camera_control="zoom_in"
    )
    assert spec.body["camera_control"] == {
        "type": "simple",
        "config": {"horizontal": 0, "vertical": 0, "pan": 0, "tilt": 0, "roll": 0, "zoom": 5},
    }


def test_with_external_id_places_the_id_per_family() -> None:
    legacy = prepare("text_to_video", model_name="kling-v1", prompt="x").with_external_id("kk-1")
    assert legacy.body["external_task_id"] == "kk-1" and legacy.external_id == "kk-1"
    new = prepare(
        "text_to_video", model_name="kling-3.0", prompt="x", callback_url="https://cb"
    ).with_external_id("kk-2")
    assert new.body["options"] == {"callback_url": "https://cb", "external_task_id": "kk-2"}
    sol = prepare(
        "try_on", person_image="https://e.com/p.png", product_image="https://e.com/c.png"
    ).with_external_id("kk-3")
    assert sol.family == "solutions" and sol.body["options"] == {"external_task_id": "kk-3"}


def test_external_id_given_by_the_caller_is_kept() -> None:
    spec = prepare("tts", text="hi", voice_id="oversea_male1", voice_language="en", external_task_id="mine")
    assert spec.external_id == "mine" and spec.body["external_task_id"] == "mine"
    assert spec.sync is True


def test_try_on_routes() -> None:
    legacy = prepare("try_on", human_image="https://e.com/h.png", cloth_image="https://e.com/c.png")
    assert (legacy.feature, legacy.path, legacy.pack) == (
        "kolors-virtual-try-on",
        "/v1/images/kolors-virtual-try-on",
        "tryon",
    )
    assert legacy.body["model_name"] == "kolors-virtual-try-on-v1"
    sol = prepare(
        "try_on",
        solution=True,
        person_image="https://e.com/p.png",
        product_image="https://e.com/c.png",
        keep_pose=False,
        watermark_info={"enabled": True},
    )
    assert (sol.feature, sol.path) == ("virtual_try_on", "/solutions/virtual_try_on")
    assert sol.body == {
        "contents": [
            {"type": "product_image", "url": "https://e.com/c.png"},
            {"type": "person_image", "url": "https://e.com/p.png"},
        ],
        "settings": {"keep_pose": False},
        "options": {"watermark": {"enabled": True}},
    }


def test_omni_bodies() -> None:
    video = prepare(
        "omni_video",
        model_name="kling-v3-omni",
        prompt="edit",
        video_list=[{"video_url": "https://e.com/v.mp4", "refer_type": "base"}],
        image_list=["https://e.com/i.png"],
        duration=8,
    )
    assert video.body["image_list"] == [{"image_url": "https://e.com/i.png"}]
    assert video.body["duration"] == "8"
    assert video.estimate.units == pytest.approx(1.2 * 8)  # with video input, pro (omni default)
    image = prepare("omni_image", prompt="a", result_type="series", series_amount=4, resolution="2k")
    assert image.body["model_name"] == "kling-image-o1"
    assert image.estimate.units == 8 * 4


def test_params_elide_blobs(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "face.png"
    Image.new("RGB", (400, 400), "red").save(path)
    spec = prepare("image_to_video", model_name="kling-v1", image=str(path), image_tail=path.read_bytes())
    assert spec.params["image"] == str(path)
    assert spec.params["image_tail"].startswith("<base64 ") and spec.params["image_tail"].endswith(" bytes>")
    assert len(spec.body["image"]) > 100  # the blob itself is in the body only


def test_every_catalog_feature_with_a_builder_is_an_endpoint() -> None:
    from klingkit.catalog import ENDPOINTS

    assert set(features()) <= set(ENDPOINTS)


def test_spec_is_frozen() -> None:
    spec = prepare("text_to_audio", prompt="rain", duration=5)
    assert isinstance(spec, RequestSpec)
    with pytest.raises(AttributeError):
        spec.path = "/x"  # type: ignore[misc]


# --- estimates against the reference's price table (kling-api.md §7.2) --------------------------------


@pytest.mark.parametrize(
    ("feature", "params", "units", "usd"),
    [
        # 2025 table: v1 std 5 s = 1 unit; v2-master 10 s = 20 units (2.0 U/s)
        ("text_to_video", {"model_name": "kling-v1", "prompt": "x", "mode": "std", "duration": 5}, 1.0, 0.14),
        ("text_to_video", {"model_name": "kling-v2-master", "prompt": "x", "duration": 10}, 20.0, 2.8),
        # kling-v2-6 1080p: silent 0.5, audio 1.0, audio + voice 1.2 U/s
        ("text_to_video", {"model_name": "kling-v2-6", "prompt": "x", "mode": "pro"}, 2.5, 0.35),
        (
            "text_to_video",
            {"model_name": "kling-v2-6", "prompt": "x", "mode": "pro", "sound": "on"},
            5.0,
            0.7,
        ),
        (
            "text_to_video",
            {
                "model_name": "kling-v2-6",
                "prompt": "<<<voice_1>>>",
                "mode": "pro",
                "sound": "on",
                "voice_list": ["v"],
            },
            6.0,
            0.84,
        ),
        # kling-v3 4K 15 s: 3.0 U/s
        ("text_to_video", {"model_name": "kling-v3", "prompt": "x", "mode": "4k", "duration": 15}, 45.0, 6.3),
        # kling-3.0-turbo (always audio) 1080p: 1.0 U/s
        (
            "text_to_video",
            {"model_name": "kling-3.0-turbo", "prompt": "x", "resolution": "1080p", "duration": 6},
            6.0,
            0.84,
        ),
        # images: v2-1 I2I 8 U/image, multi-image 16, expand 8 ($0.0035/U)
        (
            "generate",
            {"model_name": "kling-v2-1", "prompt": "x", "image": "https://e.com/a.png", "n": 2},
            16.0,
            0.056,
        ),
        ("generate", {"model_name": "kling-v1", "prompt": "x", "n": 3}, 3.0, 0.0105),
        ("multi_image", {"subject_image_list": ["https://e.com/a.png"], "n": 1}, 16.0, 0.056),
        (
            "expand",
            {
                "image": "https://e.com/a.png",
                "up_expansion_ratio": 0.5,
                "down_expansion_ratio": 0,
                "left_expansion_ratio": 0,
                "right_expansion_ratio": 0,
                "n": 2,
            },
            16.0,
            0.056,
        ),
        ("tts", {"text": "hi", "voice_id": "ai_shatang"}, 0.05, 0.007),
        ("text_to_audio", {"prompt": "rain", "duration": 5}, 0.25, 0.035),
        ("identify_face", {"video_id": "1"}, 0.05, 0.007),
    ],
)
def test_estimates_match_the_price_table(
    feature: str, params: dict[str, Any], units: float, usd: float
) -> None:
    est = prepare(feature, **params).estimate
    assert est.units == pytest.approx(units)
    assert est.usd == pytest.approx(usd)
    assert est.exact


def test_guessed_estimates_are_marked_inexact() -> None:
    assert not prepare("extend", video_id="1").estimate.exact
    assert not prepare(
        "effects", effect_scene="hug_pro", images=["https://a/1.png", "https://a/2.png"]
    ).estimate.exact
    with pytest.warns(UserWarning):
        unknown = prepare("text_to_video", model_name="kling-v9", prompt="x")
    assert not unknown.estimate.exact


def test_model_is_short_for_model_name_and_sound_takes_booleans() -> None:
    spec = prepare(
        "text_to_video", prompt="a red fox", model="kling-v2-6", mode="pro", duration=10, sound=True
    )
    assert spec.body["model_name"] == "kling-v2-6"
    assert spec.body["sound"] == "on"
    assert "model" not in spec.body


def test_model_on_an_endpoint_without_a_model_choice_is_refused_plainly() -> None:
    with pytest.raises(ValidationError) as err:
        prepare("expand", image="https://example.com/a.png", model="kling-v1", up_expansion_ratio=0.1)
    assert err.value.field == "model_name"
    assert "no model choice" in str(err.value)
