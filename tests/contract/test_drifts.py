"""The seven drifts of issue 9 (and the rules issue 10 settled), each as a named case on both sides.

Each case sends one request through ``klingkit.prepare`` and through the sandbox over HTTP, and checks the
decision recorded in ``catalog.DECISIONS`` holds on both sides.
"""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import catalog

from .agreement import IMG, PRESET_VOICE, Case, Outcome, Sources, charges, run_case


def both(api: httpx.Client, feature: str, **params: Any) -> Outcome:
    out = run_case(api, Case(feature, params))
    if out.task_id is not None:
        out.charged = charges(api).get(out.task_id)
    return out


def test_every_decision_names_its_source_and_confidence() -> None:
    assert len(catalog.DECISIONS) >= 7
    for d in catalog.DECISIONS.values():
        assert d.choice and d.source and d.confidence in ("H", "M", "L")


def test_cfg_scale_is_accepted_on_every_model_with_a_warning(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    out = both(api, "text2video", prompt="x", model_name="kling-v2-6", cfg_scale=0.5)
    assert out.client_ok and out.server_ok
    assert any("cfg_scale has no effect on kling-v2-6" in w for w in out.warnings)
    bad = both(api, "text2video", prompt="x", model_name="kling-v2-6", cfg_scale=1.5)
    assert not bad.client_ok and not bad.server_ok


@pytest.mark.parametrize("model", ["kling-video-o1", "kling-o1"])
def test_o1_text_input_takes_5_or_10_seconds_on_both_routes(
    server: tuple[httpx.Client, Sources], model: str
) -> None:
    api, _ = server
    out = both(api, "omni_video", prompt="x", model_name=model, duration=7)
    assert not out.client_ok and not out.server_ok
    assert "5 or 10" in out.server_error or "5, 10" in out.server_error
    with_end = [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]
    ok = both(api, "omni_video", prompt="x", model_name=model, duration=7, image_list=with_end)
    assert ok.client_ok and ok.server_ok


def test_series_amount_without_series_is_ignored_with_a_warning(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    out = both(api, "omni-image", prompt="x", series_amount=4)
    assert out.client_ok and out.server_ok
    assert any("series_amount is ignored" in w for w in out.warnings)
    assert out.charged == out.estimate == 8  # one image, not four
    bad = both(api, "omni-image", prompt="x", series_amount=10)
    assert not bad.client_ok and not bad.server_ok


def test_text_to_audio_duration_has_one_decimal_on_both_sides(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    assert not (out := both(api, "text-to-audio", prompt="rain", duration=3.55)).client_ok
    assert not out.server_ok
    ok = both(api, "text-to-audio", prompt="rain", duration=3.5)
    assert ok.client_ok and ok.server_ok


def test_unknown_model_is_one_policy(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    out = both(api, "text2video", prompt="x", model_name="kling-v9-unknown")
    assert out.client_ok and not out.server_ok
    assert out.server_error.startswith("404/1203")
    assert out.policy == catalog.UNKNOWN_NAME
    assert any(f"policy {catalog.UNKNOWN_NAME}" in w for w in out.warnings)
    with pytest.raises(klingkit.ValidationError):
        klingkit.prepare("text2video", prompt="x", model_name="kling-v9-unknown", strict=True)
    voice = both(api, "tts", text="hi", voice_id="no-such-voice", voice_language="en")
    assert voice.client_ok and not voice.server_ok and voice.policy == catalog.UNKNOWN_NAME


def test_omni_image_series_estimate_covers_the_charge(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    auto = both(api, "omni-image", prompt="x", result_type="series")
    assert auto.client_ok and auto.server_ok and not auto.exact
    assert auto.estimate == 9 * 8 and auto.charged is not None and auto.charged <= auto.estimate
    fixed = both(api, "omni-image", prompt="x", result_type="series", series_amount=3)
    assert fixed.exact and fixed.charged == fixed.estimate == 24


def test_advanced_lip_sync_takes_exactly_one_face(server: tuple[httpx.Client, Sources]) -> None:
    api, src = server
    face = {
        "face_id": "0",
        "audio_id": "a",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    two = both(api, "advanced-lip-sync", session_id=src.session_id, face_choose=[face, face])
    assert not two.client_ok and not two.server_ok
    one = both(api, "advanced-lip-sync", session_id=src.session_id, face_choose=[face])
    assert one.client_ok and one.server_ok


@pytest.mark.parametrize("field", ["image_fidelity", "human_fidelity"])
def test_fidelity_is_accepted_on_every_image_model(server: tuple[httpx.Client, Sources], field: str) -> None:
    api, _ = server
    out = both(api, "images/generations", prompt="x", model_name="kling-v1", image=IMG, **{field: 0.5})
    assert out.client_ok and out.server_ok
    assert any(f"{field} has no effect" in w for w in out.warnings)


def test_extension_is_priced_and_accepted_for_v1_models_only(server: tuple[httpx.Client, Sources]) -> None:
    api, src = server
    v1 = both(api, "video-extend", video_id=src.videos["kling-v1/pro"])
    assert v1.client_ok and v1.server_ok and v1.charged == 3.5 and v1.estimate == 3.5
    std = both(api, "video-extend", video_id=src.videos["kling-v1-6/std"])
    assert std.charged == 2.0
    v26 = both(api, "video-extend", video_id=src.videos["kling-v2-6/pro"])
    assert v26.client_ok and not v26.server_ok and v26.policy == catalog.SERVER_STATE


def test_voice_control_is_billed_at_its_own_rate(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    out = both(
        api,
        "text2video",
        prompt="x",
        model_name="kling-v2-6",
        mode="pro",
        sound="on",
        voice_list=[{"voice_id": PRESET_VOICE}],
    )
    assert out.exact and out.charged == out.estimate == 6.0


def test_retired_effects_are_refused_on_both_sides(server: tuple[httpx.Client, Sources]) -> None:
    api, _ = server
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = both(api, "effects", effect_scene="hug", images=[IMG, IMG])
    assert not out.client_ok and not out.server_ok
    assert "hug_pro" in out.client_error
