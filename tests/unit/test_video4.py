"""Kling 4.0 / 4.0 Flash requests: bodies pinned to kling-2026-h2.md §1's shapes, the validation cases with
their messages, and the approximate price (input + output, at least twice the output)."""

from __future__ import annotations

import base64
import io
import warnings
from typing import Any

import pytest

from klingkit import catalog, prepare
from klingkit.catalog import kling4, prices
from klingkit.catalog.prices import Facts
from klingkit.errors import ValidationError


def _png(w: int = 640, h: int = 360) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (10, 20, 30)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _refused(**params: Any) -> ValidationError:
    feature = params.pop("feature", "text_to_video")
    with pytest.raises(ValidationError) as info:
        prepare(feature, **params)
    return info.value


def test_text_to_video_body_and_route() -> None:
    spec = prepare("text_to_video", model="kling-4.0", prompt="a fox", duration=12, resolution="1080p",
                   aspect_ratio="21:9", watermark_info={"enabled": True})  # fmt: skip
    assert (spec.method, spec.path, spec.feature, spec.family) == (
        "POST",
        "/text-to-video/kling-4.0",
        "text-to-video",
        "new",
    )
    assert spec.body == {
        "prompt": "a fox",
        "settings": {"duration": 12, "resolution": "1080p", "aspect_ratio": "21:9"},
        "options": {"watermark_info": {"enabled": True}},
    }
    assert spec.duration == 12 and spec.model == "kling-4.0"


@pytest.mark.parametrize("alias", ["kling-v4", "kling-v4.0", "KLING-V4"])
def test_reseller_aliases_are_sent_as_the_catalog_name(alias: str) -> None:
    assert prepare("text_to_video", model=alias, prompt="x").path == "/text-to-video/kling-4.0"


def test_no_external_id_is_ever_put_in_a_4_0_body() -> None:
    spec = prepare("text_to_video", model="kling-4.0", prompt="x")
    tagged = spec.with_external_id("kk-local")
    assert tagged.external_id == "kk-local" and "options" not in tagged.body


def test_keyframes_body_orders_first_middle_last() -> None:
    a, b, c, d = _png(), _png(), _png(), _png()
    spec = prepare("image_to_video", model="kling-4.0", prompt="walk", image=a, middle_frames=[b, c],
                   image_tail=d, duration=20)  # fmt: skip
    assert spec.path == "/image-to-video/kling-4.0"
    assert [item["type"] for item in spec.body["contents"]] == [
        "prompt",
        "first_frame",
        "middle_frame",
        "middle_frame",
        "last_frame",
    ]
    assert spec.body["contents"][1]["url"] == a and spec.body["settings"] == {"duration": 20}


def test_omni_body_with_elements_and_voices_as_strings() -> None:
    ref = _png()
    spec = prepare("omni_video", model="kling-4.0", prompt="@hero greets @narrator", refer_images=[ref],
                   elements={"hero": 123}, voices=[{"id": "narrator", "voice_id": 77}])  # fmt: skip
    assert spec.path == "/omni-video/kling-4.0"
    assert spec.body["contents"] == [
        {"type": "prompt", "text": "@hero greets @narrator"},
        {"type": "refer_image", "url": ref},
        {"type": "element", "id": "hero", "element_id": "123"},
        {"type": "voice", "id": "narrator", "voice_id": "77"},
    ]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"model": "kling-4.0", "duration": 31}, "duration", "3-30"),
        ({"model": "kling-4.0", "duration": 2}, "duration", "3-30"),
        ({"model": "kling-4.0-flash", "duration": 21}, "duration", "3-20"),
        ({"model": "kling-4.0-flash", "resolution": "1080p"}, "resolution", "720p"),
        ({"model": "kling-4.0", "aspect_ratio": "2:1"}, "aspect_ratio", "21:9"),
        ({"model": "kling-4.0", "external_task_id": "e1"}, "external_task_id", "fingerprint"),
        ({"model": "kling-4.0", "callback_url": "https://x"}, "callback_url", "no callbacks"),
        ({"model": "kling-4.0", "sound": "off"}, "sound", "always generates audio"),
        ({"model": "kling-4.0", "prompt": "é" * 11_001}, "prompt", "11000"),
        ({"model": "kling-4.0", "mode": "4k"}, "mode", "std (720p), pro (1080p)"),
    ],
)
def test_text_mode_refusals_name_the_field(params: dict[str, Any], field: str, words: str) -> None:
    params.setdefault("prompt", "a fox")
    err = _refused(**params)
    assert err.field == field and words in str(err)


def test_english_prompt_may_be_longer_than_other_languages() -> None:
    prepare("text_to_video", model="kling-4.0", prompt="a" * 26_000)
    assert _refused(model="kling-4.0", prompt="a" * 26_001).field == "prompt"


def test_keyframe_limits() -> None:
    img = _png()
    err = _refused(feature="image_to_video", model="kling-4.0", image=img, middle_frames=[img] * 9)
    assert "at most 8 middle_frame" in str(err)
    err = _refused(feature="image_to_video", model="kling-4.0-flash", image=img, middle_frames=[img])
    assert "at most 0 middle_frame items on kling-4.0-flash" in str(err)
    err = _refused(feature="image_to_video", model="kling-4.0-flash", image=img, image_tail=img)
    assert "no last_frame on kling-4.0-flash" in str(err)
    err = _refused(feature="image_to_video", model="kling-4.0", image_tail=img)
    assert "exactly one first_frame" in str(err)
    err = _refused(feature="image_to_video", model="kling-4.0", image=img, aspect_ratio="16:9")
    assert err.field == "aspect_ratio" and "first frame sets it" in str(err)


def test_at_mentions_are_checked_against_the_items() -> None:
    err = _refused(feature="omni_video", model="kling-4.0", prompt="@Zhang and @ZhangSan",
                   elements={"Zhang": "1", "ZhangSan": "2"})  # fmt: skip
    assert err.field == "elements[0].id" and "@Zhang would be read inside @ZhangSan" in str(err)
    err = _refused(
        feature="omni_video", model="kling-4.0", prompt="@hero meets @villain", elements={"hero": "1"}
    )
    assert err.field == "prompt" and err.value == "@villain" and "@hero" in str(err)
    # an e-mail address is not a mention
    prepare("omni_video", model="kling-4.0", prompt="write to me@example.com, @hero", elements={"hero": "1"})


def test_omni_count_limits() -> None:
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", elements=[str(i) for i in range(8)])
    assert "at most 7 elements" in str(err)
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", voices=["a1", "b2", "c3", "d4"])
    assert "at most 3 voices" in str(err)
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", refer_images=[_png()] * 11)
    assert "at most 10 images" in str(err)
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", refer_images=[_png()] * 10,
                   elements=[f"e{i}" for i in range(6)])  # fmt: skip
    assert "at most 15 inputs besides the prompt" in str(err)


def test_base_video_keeps_its_length_and_may_keep_its_sound() -> None:
    url = "https://example.com/in.mp4"
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", base_video=url, duration=5)
    assert err.field == "duration" and "keeps the base video's length" in str(err)
    err = _refused(feature="omni_video", model="kling-4.0", prompt="x", keep_original_sound=True,
                   refer_images=[_png()])  # fmt: skip
    assert err.field == "audio"
    spec = prepare("omni_video", model="kling-4.0", prompt="x", base_video=url, keep_original_sound=True)
    assert spec.body["settings"] == {"audio": "original"}


def test_price_is_per_output_second_and_approximate() -> None:
    est = prepare("text_to_video", model="kling-4.0", prompt="x", duration=10, resolution="1080p").estimate
    assert not est.exact and est.usd == pytest.approx(2.35, abs=0.01) and "approximate" in est.basis
    flash = prepare("text_to_video", model="kling-4.0-flash", prompt="x", duration=10).estimate
    assert flash.usd == pytest.approx(1.17, abs=0.01)


def test_price_with_video_input_is_input_plus_output_at_least_twice_output() -> None:
    def units(output: float, inputs: float) -> float:  # the omni-video-new price row, for kling-4.0
        facts = Facts(
            "kling-4.0", kling4.MODELS["kling-4.0"], resolution="720p", seconds=output, input_seconds=inputs
        )
        return prices.price("omni-video-new", facts).units

    dollar = catalog.USD_PER_UNIT["video"]
    assert units(10, 3) == pytest.approx(0.094 * 20 / dollar, abs=1e-4)  # 3 + 10 < 2 x 10
    assert units(5, 12) == pytest.approx(0.094 * 17 / dollar, abs=1e-4)
    # A URL's length is unknown to the client: counted at the 30 s maximum, so the estimate never under-counts.
    est = prepare(
        "omni_video", model="kling-4.0", prompt="x", base_video="https://example.com/a.mp4"
    ).estimate
    assert est.usd == pytest.approx(0.094 * 60, abs=0.01)


def test_other_models_keep_their_routes_and_external_ids() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = prepare("text_to_video", model="kling-3.0", prompt="x").with_external_id("e1")
    assert spec.body["options"]["external_task_id"] == "e1"
