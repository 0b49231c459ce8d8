"""Every validation rule refuses before sending, with a message naming the field, the value, what is
allowed and, where the catalog knows one, the model that does allow it."""

from __future__ import annotations

from typing import Any

import pytest

from klingkit._exceptions import ValidationError
from klingkit._requests import prepare
from klingkit._validation import page

URL = "https://example.com/a.png"
URL2 = "https://example.com/b.png"


def refused(feature: str, **params: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        prepare(feature, **params)
    return info.value


def t2v(**params: Any) -> ValidationError:
    return refused("text_to_video", **{"prompt": "a cat", **params})


def i2v(**params: Any) -> ValidationError:
    return refused("image_to_video", **{"image": URL, **params})


# --- per-model capability rules, with suggestions ------------------------------------------------------


def test_duration_not_on_model_suggests_the_model_that_has_it() -> None:
    err = t2v(model_name="kling-v2-6", duration=15)
    assert (err.field, err.value) == ("duration", 15)
    assert "5, 10 on kling-v2-6" in str(err)
    assert err.suggestion == "kling-v3 allows 15"
    assert str(err) == "invalid duration=15: allowed 5, 10 on kling-v2-6; kling-v3 allows 15"


def test_camera_on_v2_6_suggests_v1_for_text_and_v1_5_for_image() -> None:
    err = t2v(model_name="kling-v2-6", camera_control="zoom_in")
    assert err.field == "camera_control" and "no camera_control on kling-v2-6" in str(err)
    assert "kling-v1 (std 5 s)" in err.suggestion
    err = i2v(model_name="kling-v2-6", camera_control={"type": "simple", "config": {"zoom": 2}})
    assert "kling-v1-5 (pro 5 s)" in err.suggestion


def test_camera_only_at_the_supported_mode_and_duration() -> None:
    err = t2v(model_name="kling-v1", mode="pro", camera_control="zoom_in")
    assert err.field == "camera_control" and "std 5 s" in str(err)
    err = i2v(model_name="kling-v1-5", mode="pro", camera_control={"type": "down_back"})
    assert err.field == "camera_control.type" and err.value == "down_back" and "simple" in str(err)


def test_camera_config_rules() -> None:
    two = t2v(model_name="kling-v1", camera_control={"type": "simple", "config": {"zoom": 2, "pan": 1}})
    assert two.field == "camera_control.config" and "exactly one non-zero axis" in str(two)
    none = t2v(model_name="kling-v1", camera_control={"type": "simple", "config": {}})
    assert none.field == "camera_control.config"
    out = t2v(model_name="kling-v1", camera_control={"type": "simple", "config": {"zoom": 11}})
    assert out.field == "camera_control.config.zoom" and out.value == 11 and "-10 to 10" in str(out)
    extra = t2v(model_name="kling-v1", camera_control={"type": "forward_up", "config": {"zoom": 1}})
    assert extra.field == "camera_control.config" and "only for type simple" in str(extra)
    bad = t2v(model_name="kling-v1", camera_control={"type": "spin"})
    assert bad.field == "camera_control.type" and "down_back" in str(bad)
    preset = t2v(model_name="kling-v1", camera_control="barrel_roll")
    assert preset.field == "camera_control" and "zoom_in" in str(preset)


def test_model_without_text_to_video() -> None:
    err = t2v(model_name="kling-v1-5")
    assert err.field == "model_name" and err.value == "kling-v1-5" and "kling-v1-6" in str(err)


def test_cfg_scale_rules() -> None:
    # Decision "cfg_scale" (catalog.DECISIONS): accepted on every model; a warning says it has no effect.
    with pytest.warns(UserWarning, match="cfg_scale has no effect on kling-v2-6") as seen:
        spec = prepare("text_to_video", prompt="a cat", model_name="kling-v2-6", cfg_scale=0.5)
    assert spec.body["cfg_scale"] == 0.5 and "kling-v1" in str(seen[0].message)
    rng = t2v(model_name="kling-v1", cfg_scale=1.5)
    assert (rng.field, rng.value) == ("cfg_scale", 1.5) and "0 to 1" in str(rng)


def test_sound_rules() -> None:
    std = t2v(model_name="kling-v2-6", mode="std", sound="on")
    assert std.field == "sound" and "mode pro" in std.suggestion
    old = t2v(model_name="kling-v1-6", sound="on")
    assert old.field == "sound" and "kling-v2-6" in old.suggestion and "kling-v3" in old.suggestion
    enum = t2v(model_name="kling-v3", sound="yes")
    assert enum.field == "sound" and "on, off" in str(enum)


def test_voice_list_needs_sound_and_excludes_elements() -> None:
    err = t2v(model_name="kling-v3", voice_list=["v1"])
    assert err.field == "sound" and "voice_list needs sound='on'" in str(err)
    both = i2v(model_name="kling-v3", sound="on", voice_list=["v1"], element_list=[1])
    assert both.field == "voice_list" and "exclude each other" in str(both)
    many = t2v(model_name="kling-v3", sound="on", voice_list=["a", "b", "c"])
    assert many.field == "voice_list" and many.value == "3 items" and "1 to 2 items" in str(many)


def test_mode_rules_and_aliases() -> None:
    err = t2v(model_name="kling-v2-6", mode="4k")
    assert err.field == "mode" and err.value == "4k" and err.suggestion == "kling-v3 allows mode 4k"
    bad = t2v(model_name="kling-v1", mode="ultra")
    assert bad.field == "mode" and "std, pro, 4k" in str(bad)
    assert prepare("text_to_video", model_name="kling-v1", prompt="x", mode="standard").body["mode"] == "std"


def test_aspect_ratio_enum() -> None:
    err = t2v(model_name="kling-v1", aspect_ratio="4:3")
    assert err.field == "aspect_ratio" and "16:9, 9:16, 1:1" in str(err)
    i2v_ar = i2v(model_name="kling-v1", aspect_ratio="16:9")
    assert i2v_ar.field == "aspect_ratio"


def test_end_frame_rules() -> None:
    err = i2v(model_name="kling-v2-1", mode="std", image_tail=URL2)
    assert (
        err.field == "image_tail"
        and err.value == "an end frame at std 5 s"
        and "pro 5 s, pro 10 s" in str(err)
    )
    assert "kling-v3" in err.suggestion
    silent = i2v(model_name="kling-v2-6", mode="pro", sound="on", image_tail=URL2)
    assert silent.field == "sound" and "silent" in silent.suggestion
    tail_only = refused("image_to_video", model_name="kling-v2-6", mode="pro", image_tail=URL2)
    assert tail_only.field == "image" and "kling-v1-5" in tail_only.suggestion
    # kling-v1-6 allows an end frame alone
    assert (
        prepare("image_to_video", model_name="kling-v1-6", mode="pro", image_tail=URL2).body["image_tail"]
        == URL2
    )
    nothing = refused("image_to_video", model_name="kling-v1")
    assert nothing.field == "image"


def test_three_choose_one() -> None:
    err = i2v(model_name="kling-v1", image_tail=URL2, camera_control="zoom_in")
    assert err.field == "camera_control" and "three choose one" in str(err)
    err = i2v(model_name="kling-v1", image_tail=URL2, static_mask=URL2)
    assert err.field == "static_mask/dynamic_masks"


def test_motion_brush_rules() -> None:
    err = i2v(model_name="kling-v2-6", static_mask=URL2)
    assert err.field == "static_mask/dynamic_masks" and "kling-v1" in err.suggestion
    few = i2v(model_name="kling-v1", dynamic_masks=[{"mask": URL2, "trajectories": [{"x": 1, "y": 1}]}])
    assert few.field == "dynamic_masks[0].trajectories" and "2 to 77" in str(few)


def test_multi_shot_rules() -> None:
    shots = [{"prompt": "a", "duration": 2}, {"prompt": "b", "duration": "3"}]
    ok = prepare(
        "text_to_video",
        model_name="kling-v3",
        multi_shot="true",
        shot_type="customize",
        multi_prompt=shots,
        duration=5,
    )
    assert ok.body["multi_shot"] is True
    assert ok.body["multi_prompt"] == [
        {"index": 1, "prompt": "a", "duration": "2"},
        {"index": 2, "prompt": "b", "duration": "3"},
    ]
    wrong_sum = refused(
        "text_to_video",
        model_name="kling-v3",
        multi_shot=True,
        shot_type="customize",
        multi_prompt=shots,
        duration=10,
    )
    assert wrong_sum.field == "multi_prompt" and "summing to duration=10" in str(wrong_sum)
    on_old = t2v(model_name="kling-v2-6", multi_shot=True, shot_type="intelligence")
    assert on_old.field == "multi_shot" and on_old.suggestion == "kling-v3 allows multi_shot"
    seven = [{"prompt": "a", "duration": 1}] * 7
    too_many = refused(
        "text_to_video",
        model_name="kling-v3",
        multi_shot=True,
        shot_type="customize",
        multi_prompt=seven,
        duration=7,
    )
    assert too_many.field == "multi_prompt" and "1 to 6 items" in str(too_many)
    long_item = refused(
        "text_to_video",
        model_name="kling-v3",
        multi_shot=True,
        shot_type="customize",
        multi_prompt=[{"prompt": "x" * 513, "duration": 5}],
    )
    assert long_item.field == "multi_prompt[0].prompt" and "512" in str(long_item)
    no_type = t2v(model_name="kling-v3", multi_shot=True)
    assert no_type.field == "shot_type"
    bad_bool = t2v(model_name="kling-v3", multi_shot="yes")
    assert bad_bool.field == "multi_shot"


def test_prompt_lengths() -> None:
    err = t2v(model_name="kling-v1", prompt="x" * 2501)
    assert err.field == "prompt" and err.value == "<2501 characters>" and "2500" in str(err)
    neg = t2v(model_name="kling-v1", negative_prompt="x" * 2501)
    assert neg.field == "negative_prompt"
    # kling-3.0 on the 2026 route takes 3072
    prepare("text_to_video", model_name="kling-3.0", prompt="x" * 3072)
    new = t2v(model_name="kling-3.0", prompt="x" * 3073)
    assert new.field == "prompt" and "3072" in str(new)
    missing = refused("text_to_video", model_name="kling-v1")
    assert missing.field == "prompt"


def test_new_route_rules() -> None:
    err = t2v(model_name="kling-2.6", resolution="720p", audio="native")
    assert err.field == "resolution" and "1080p with native audio" in str(err)
    dur = t2v(model_name="kling-2.6", duration=7)
    assert dur.field == "duration" and "kling-3.0" in dur.suggestion
    i2v_26 = i2v(model_name="kling-2.6")
    assert i2v_26.field == "model_name" and "kling-v2-6" in i2v_26.suggestion
    cfg = t2v(model_name="kling-3.0", cfg_scale=0.5)
    assert cfg.field == "cfg_scale" and "kling-v3" in cfg.suggestion
    turbo_tail = i2v(model_name="kling-3.0-turbo", image_tail=URL2)
    assert turbo_tail.field == "image_tail" and "kling-3.0" in turbo_tail.suggestion
    turbo_off = t2v(model_name="kling-3.0-turbo", audio="off")
    assert turbo_off.field == "audio" and "native" in str(turbo_off)
    legacy_on_new = refused("text-to-video", model_name="kling-v3", prompt="x")
    assert legacy_on_new.field == "model_name" and "kling-3.0" in legacy_on_new.suggestion


def test_unknown_model_warns_or_is_refused_when_strict() -> None:
    with pytest.warns(UserWarning, match="kling-v9"):
        spec = prepare("text_to_video", model_name="kling-v9", prompt="x")
    assert any("kling-v9" in w for w in spec.warnings)
    assert spec.body["model_name"] == "kling-v9"
    with pytest.raises(ValidationError) as info:
        prepare("text_to_video", strict=True, model_name="kling-v9", prompt="x")
    assert info.value.field == "model_name" and "kling-v2-6" in str(info.value)


def test_unknown_parameter_is_refused_with_the_closest_name() -> None:
    err = t2v(model_name="kling-v1", negative_promt="blur")
    assert err.field == "negative_promt" and err.suggestion == "did you mean 'negative_prompt'?"


def test_unknown_feature() -> None:
    err = refused("text_to_vidoe")
    assert err.field == "feature" and "text_to_video" in err.suggestion


# --- images ---------------------------------------------------------------------------------------------


def test_image_generation_rules() -> None:
    n = refused("generate", prompt="x", n=10)
    assert (n.field, n.value) == ("n", 10) and "1 to 9" in str(n)
    ar = refused("generate", model_name="kling-v1", prompt="x", aspect_ratio="21:9")
    assert ar.field == "aspect_ratio" and "kling-v1-5" in ar.suggestion
    ref = refused("generate", model_name="kling-v3", prompt="x", image=URL, image_reference="face")
    assert ref.field == "image_reference" and "kling-v2-1" in ref.suggestion
    ref_enum = refused("generate", model_name="kling-v2-1", prompt="x", image=URL, image_reference="body")
    assert ref_enum.field == "image_reference" and "subject, face" in str(ref_enum)
    # Decision "fidelity" (catalog.DECISIONS): accepted everywhere, with a warning where it has no effect.
    with pytest.warns(UserWarning, match=r"image_fidelity has no effect on kling-v1-5.*kling-v2-1 allows"):
        fid = prepare("generate", model_name="kling-v1-5", prompt="x", image=URL, image_fidelity=0.5)
    assert fid.body["image_fidelity"] == 0.5
    with pytest.warns(UserWarning, match="human_fidelity has no effect without image_reference='subject'"):
        prepare(
            "generate",
            model_name="kling-v2-1",
            prompt="x",
            image=URL,
            image_reference="face",
            human_fidelity=0.4,
        )
    assert (
        refused("generate", model_name="kling-v1", prompt="x", image_fidelity=1.5).field == "image_fidelity"
    )
    neg = refused("generate", model_name="kling-v2-1", prompt="x", image=URL, negative_prompt="blur")
    assert neg.field == "negative_prompt"
    res = refused("generate", model_name="kling-v1", prompt="x", resolution="2k")
    assert res.field == "resolution" and "1k on kling-v1" in str(res)
    restyle_only = refused("generate", model_name="kling-v2-new", prompt="x")
    assert restyle_only.field == "model_name"


def test_expand_rules() -> None:
    base = {"image": URL, "up_expansion_ratio": 0.1, "down_expansion_ratio": 0.1, "left_expansion_ratio": 0.1}
    ratio = refused("expand", **base, right_expansion_ratio=2.5)
    assert (ratio.field, ratio.value) == ("right_expansion_ratio", 2.5) and "0 to 2" in str(ratio)
    area = refused("expand", image=URL, up_expansion_ratio=1, down_expansion_ratio=1, left_expansion_ratio=0,
                   right_expansion_ratio=0.5)  # fmt: skip
    assert "3x the original" in str(area)
    missing = refused("expand", **base)
    assert missing.field == "right_expansion_ratio"


def test_multi_image_and_try_on_rules() -> None:
    err = refused("multi_image", subject_image_list=[URL] * 5)
    assert err.field == "subject_image_list" and "1 to 4" in str(err)
    cloth = refused("try_on", human_image=URL)
    assert cloth.field == "cloth_image"
    with pytest.warns(UserWarning, match="kolors-virtual-try-on-v9"):
        prepare("try_on", model_name="kolors-virtual-try-on-v9", human_image=URL, cloth_image=URL2)
    sol = refused("try_on", solution=True, person_image=URL)
    assert sol.field == "product_image"
    mixed = refused("try_on", keep_face=False, human_image=URL, cloth_image=URL2)
    assert mixed.field == "keep_face" and "solution=True" in mixed.suggestion


def test_omni_image_rules() -> None:
    err = refused("omni_image", model_name="kling-image-o1", prompt="x", resolution="4k")
    assert err.field == "resolution" and err.suggestion == "kling-v3-omni allows 4k"
    amount = refused("omni_image", prompt="x", result_type="series", series_amount=12)
    assert amount.field == "series_amount"


# --- effects, lip-sync, audio ----------------------------------------------------------------------------


def test_effects_rules() -> None:
    one = refused("effects", effect_scene="hug_pro", images=[URL])
    assert one.field == "images" and one.value == "1 images" and "exactly 2" in str(one)
    assert one.suggestion == "hug_pro is a dual-image scene (left, right)"
    single = refused("effects", effect_scene="hug_pro", image=URL)
    assert single.field == "image" and "dual-image" in single.suggestion
    two_on_single = refused("effects", effect_scene="pet_lion", images=[URL, URL2])
    assert two_on_single.field == "images"
    with pytest.warns(UserWarning, match="brand_new_scene"):
        spec = prepare("effects", effect_scene="brand_new_scene", image=URL)
    assert spec.body == {"effect_scene": "brand_new_scene", "input": {"image": URL}}


def test_lip_sync_rules() -> None:
    both = refused("lip_sync", video_id="1", video_url="https://e.com/v.mp4", mode="text2video", text="hi",
                   voice_id="ai_shatang")  # fmt: skip
    assert both.field == "video_url" and "exactly one of video_id, video_url" in str(both)
    neither = refused("lip_sync", mode="text2video", text="hi", voice_id="ai_shatang")
    assert neither.field == "video_id"
    long_text = refused("lip_sync", video_id="1", mode="text2video", text="x" * 121, voice_id="ai_shatang")
    assert long_text.field == "text" and "120" in str(long_text)
    speed = refused(
        "lip_sync", video_id="1", mode="text2video", text="hi", voice_id="ai_shatang", voice_speed=2.5
    )
    assert speed.field == "voice_speed" and "0.8 to 2" in str(speed)
    lang = refused(
        "lip_sync", video_id="1", mode="text2video", text="hi", voice_id="ai_shatang", voice_language="fr"
    )
    assert lang.field == "voice_language" and "zh, en" in str(lang)
    wrong_lang = refused("lip_sync", video_id="1", mode="text2video", text="hi", voice_id="oversea_male1")
    assert wrong_lang.field == "voice_id" and "voice_language='en'" in wrong_lang.suggestion
    mode = refused("lip_sync", video_id="1", mode="speak")
    assert mode.field == "mode" and "text2video, audio2video" in str(mode)
    audio_type = refused(
        "lip_sync", video_id="1", mode="audio2video", audio_type="file", audio_url="https://e.com/a.mp3"
    )
    assert audio_type.field == "audio_type"


def test_advanced_lip_sync_rules() -> None:
    face = {"face_id": "0", "sound_start_time": 0, "sound_end_time": 3000, "sound_insert_time": 0}
    both = refused(
        "advanced_lip_sync", session_id="s", face_choose=[{**face, "audio_id": "a", "sound_file": URL}]
    )
    assert both.field == "face_choose[0].sound_file"
    vol = refused(
        "advanced_lip_sync", session_id="s", face_choose=[{**face, "audio_id": "a", "sound_volume": 3}]
    )
    assert vol.field == "face_choose[0].sound_volume" and "0 to 2" in str(vol)
    short = refused(
        "advanced_lip_sync", session_id="s", face_choose=[{**face, "audio_id": "a", "sound_end_time": 1500}]
    )
    assert short.field == "face_choose[0].sound_end_time"
    ok = prepare(
        "advanced_lip_sync", session_id="s", face_choose=[{**face, "audio_id": "a", "sound_end_time": 7000}]
    )
    assert ok.estimate.units == pytest.approx(1.0)  # 7 s -> two 5-second blocks at 0.5


def test_identify_face_and_video_to_audio_xor() -> None:
    err = refused("identify_face")
    assert err.field == "video_id" and "exactly one of video_id, video_url" in str(err)
    both = refused("video_to_audio", video_id="1", video_url="https://e.com/v.mp4")
    assert both.field == "video_url"
    long = refused("video_to_audio", video_id="1", bgm_prompt="x" * 201)
    assert long.field == "bgm_prompt" and "200" in str(long)


def test_audio_rules() -> None:
    short = refused("text_to_audio", prompt="rain", duration=2.5)
    assert (short.field, short.value) == ("duration", 2.5) and "3 to 10 seconds" in str(short)
    decimals = refused("text_to_audio", prompt="rain", duration=3.25)
    assert decimals.field == "duration" and "one decimal" in str(decimals)
    prompt = refused("text_to_audio", prompt="x" * 201, duration=3)
    assert prompt.field == "prompt" and "200" in str(prompt)
    tts = refused("tts", text="x" * 1001, voice_id="ai_shatang")
    assert tts.field == "text" and "1000" in str(tts)
    speed = refused("tts", text="hi", voice_id="ai_shatang", voice_speed=0.5)
    assert speed.field == "voice_speed"


def test_page_ranges() -> None:
    page(1, 500)
    with pytest.raises(ValidationError) as info:
        page(1, 501)
    assert info.value.field == "page_size" and "1 to 500" in str(info.value)
    with pytest.raises(ValidationError):
        page(0, 30)
