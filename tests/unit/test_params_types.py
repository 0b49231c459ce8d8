"""The typed parameters stay in step with the catalog and with the request builders."""

from __future__ import annotations

import typing

import pytest

from klingkit import _params as P
from klingkit import catalog as C
from klingkit._requests import _BUILDERS


def _args(alias: object) -> set[str]:
    return set(typing.get_args(alias))


@pytest.mark.parametrize(
    ("alias", "catalog_values"),
    [
        (P.AspectRatio, C.VIDEO_ASPECT_RATIOS),
        (P.ImageAspectRatio, C.IMAGE_ASPECT_RATIOS),
        (P.OmniImageAspectRatio, (*C.IMAGE_ASPECT_RATIOS, "auto")),
        (P.Sound, C.SOUND_VALUES),
        (P.NewAudio, C.NEW_AUDIO_VALUES),
        (P.Resolution, tuple(C.RESOLUTION_HEIGHT)),
        (P.ImageResolution, C.IMAGE_RESOLUTIONS),
        (P.CameraType, C.CAMERA_TYPES),
        (P.ShotType, C.SHOT_TYPES),
        (P.ImageReference, C.IMAGE_REFERENCES),
        (P.VoiceLanguage, C.VOICE_LANGUAGES),
        (P.LipSyncMode, C.LIPSYNC_MODES),
        (P.LipSyncAudioType, C.LIPSYNC_AUDIO_TYPES),
        (P.Mode, tuple(C.MODE_ALIASES)),
    ],
)
def test_literals_match_the_catalog(alias: object, catalog_values: tuple[str, ...]) -> None:
    assert _args(alias) == set(catalog_values)


def test_camera_axes_match_the_catalog() -> None:
    assert set(P.CameraConfig.__optional_keys__) == set(C.CAMERA_AXES)


@pytest.mark.parametrize(
    ("td", "fields"),
    [
        # every documented field of the reference's tables (§2.1-§2.11), plus the common ones
        (
            P.TextToVideoParams,
            {"model_name", "prompt", "negative_prompt", "multi_shot", "shot_type", "multi_prompt", "sound",
             "cfg_scale", "mode", "camera_control", "aspect_ratio", "duration", "watermark_info", "callback_url",
             "external_task_id"},
        ),
        (
            P.ImageToVideoParams,
            {"model_name", "image", "image_tail", "prompt", "negative_prompt", "multi_shot", "shot_type",
             "multi_prompt", "element_list", "voice_list", "sound", "cfg_scale", "mode", "static_mask",
             "dynamic_masks", "camera_control", "duration", "watermark_info", "callback_url", "external_task_id"},
        ),
        (P.ImageGenerationParams,
         {"model_name", "prompt", "negative_prompt", "image", "image_reference", "image_fidelity", "human_fidelity",
          "element_list", "resolution", "n", "aspect_ratio", "watermark_info", "callback_url", "external_task_id"}),
        (P.LipSyncParams,
         {"video_id", "video_url", "mode", "text", "voice_id", "voice_language", "voice_speed", "audio_type",
          "audio_file", "audio_url", "callback_url"}),
        (P.FaceChoice,
         {"face_id", "audio_id", "sound_file", "sound_start_time", "sound_end_time", "sound_insert_time",
          "sound_volume", "original_audio_volume"}),
        (P.VideoToAudioParams, {"video_id", "video_url", "sound_effect_prompt", "bgm_prompt", "asmr_mode"}),
        (P.TtsParams, {"text", "voice_id", "voice_language", "voice_speed"}),
    ],
)  # fmt: skip
def test_documented_fields_are_typed(td: type, fields: set[str]) -> None:
    keys = td.__required_keys__ | td.__optional_keys__  # type: ignore[attr-defined]
    assert fields <= keys


def test_required_fields() -> None:
    assert P.ExpandParams.__required_keys__ == {
        "image", "up_expansion_ratio", "down_expansion_ratio", "left_expansion_ratio", "right_expansion_ratio",
    }  # fmt: skip
    assert P.TextToAudioParams.__required_keys__ == {"prompt", "duration"}
    assert P.AdvancedLipSyncParams.__required_keys__ == {"session_id", "face_choose"}


def test_every_builder_has_a_params_type() -> None:
    for feature, (_builder, td) in _BUILDERS.items():
        assert td.__module__ == "klingkit._params", feature
