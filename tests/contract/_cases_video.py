"""Generated video requests: legacy, 2026, omni, multi-image, extension, lip-sync, faces and effects."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from klingkit import catalog

from ._cases_base import (
    IMG,
    PRESET_ELEMENT,
    PRESET_VOICE,
    UNKNOWN_VIDEO,
    Case,
    Sources,
    all_durations,
    video_models,
)


def legacy_video_cases() -> Iterator[Case]:
    modes = [*catalog.VIDEO_MODES]
    for i2v in (False, True):
        feature = "image2video" if i2v else "text2video"
        base: dict[str, Any] = {"prompt": "a fox"}
        if i2v:
            base["image"] = IMG
        for model in (*video_models(), UNKNOWN_VIDEO):
            for mode, duration, sound in itertools.product(modes, all_durations(), (None, "on", "off")):
                p = {**base, "model_name": model, "mode": mode, "duration": duration}
                if sound:
                    p["sound"] = sound
                yield Case(feature, p, f"{model}/{mode}/{duration}s/sound={sound}")
            one = {**base, "model_name": model}
            for ar in catalog.VIDEO_ASPECT_RATIOS:
                yield Case(feature, {**one, "aspect_ratio": ar}, f"{model} aspect {ar}")
            for cfg in (0.0, 0.5, 1.0, 1.5):
                yield Case(feature, {**one, "cfg_scale": cfg}, f"{model} cfg {cfg}")
            for mode, duration in itertools.product(("std", "pro"), (5, 10)):
                for preset in catalog.CAMERA_PRESETS:
                    wire = dict(catalog.CAMERA_PRESETS[preset])
                    if wire["type"] == "simple":
                        config = {a: 0 for a in catalog.CAMERA_AXES}
                        config.update(wire["config"])  # type: ignore[arg-type]
                        wire = {"type": "simple", "config": config}
                    if preset in ("zoom_in", "down_back", "forward_up"):
                        yield Case(
                            feature,
                            {**one, "mode": mode, "duration": duration, "camera_control": wire},
                            f"{model} {mode} {duration}s camera {preset}",
                        )
                yield Case(
                    feature,
                    {**one, "mode": mode, "duration": duration, "camera_control": {"type": "simple"}},
                    f"{model} {mode} {duration}s camera simple without config",
                )
            yield Case(feature, {**one, "negative_prompt": "blur"}, f"{model} negative")
            yield Case(feature, {**one, "multi_shot": True, "shot_type": "intelligence"}, f"{model} multi")
            yield Case(
                feature, {**one, "element_list": [{"element_id": PRESET_ELEMENT}]}, f"{model} elements"
            )
            yield Case(
                feature,
                {**one, "sound": "on", "mode": "pro", "voice_list": [{"voice_id": PRESET_VOICE}]},
                f"{model} voices",
            )
            if i2v:
                for mode, duration in itertools.product(("std", "pro"), (5, 10)):
                    yield Case(
                        feature,
                        {**one, "mode": mode, "duration": duration, "image_tail": IMG},
                        f"{model} {mode} {duration}s end frame",
                    )
                    yield Case(
                        feature,
                        {**one, "mode": mode, "duration": duration, "static_mask": IMG},
                        f"{model} {mode} {duration}s motion brush",
                    )


def new_video_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.NEW_VIDEO_MODELS]
    for i2v in (False, True):
        feature = "image_to_video" if i2v else "text_to_video"
        for model in names:
            for res, duration, audio in itertools.product(
                ("720p", "1080p", "4k"), all_durations(), (None, "native", "off")
            ):
                p: dict[str, Any] = {"prompt": "a fox", "model_name": model, "resolution": res}
                p["duration"] = duration
                if audio:
                    p["audio"] = audio
                if i2v:
                    p["image"] = IMG
                yield Case(feature, p, f"{model}/{res}/{duration}s/audio={audio}")
            for ar in catalog.VIDEO_ASPECT_RATIOS:
                p = {"prompt": "a fox", "model_name": model, "aspect_ratio": ar}
                if i2v:
                    p["image"] = IMG
                yield Case(feature, p, f"{model} aspect {ar}")


def omni_video_cases(src: Sources) -> Iterator[Case]:
    inputs: dict[str, dict[str, Any]] = {
        "text": {},
        "first": {"image_list": [{"image_url": IMG, "type": "first_frame"}]},
        "first+end": {
            "image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]
        },
        "video": {"video_list": [{"video_url": src.video_url, "refer_type": "feature"}]},
    }
    legacy = [m.name for m in catalog.OMNI_VIDEO_MODELS]
    new = [m.new_name for m in catalog.OMNI_VIDEO_MODELS if m.new_name]
    for model in (*legacy, *new):
        for (kind, extra), mode, duration, sound in itertools.product(
            inputs.items(), catalog.VIDEO_MODES, all_durations(), (None, "on")
        ):
            p = {"prompt": "a fox", "model_name": model, "mode": mode, "duration": duration, **extra}
            if sound:
                p["sound"] = sound
            yield Case("omni_video", p, f"{model}/{kind}/{mode}/{duration}s/sound={sound}")


def multi_image_video_cases() -> Iterator[Case]:
    for model in ("kling-v1-6", "kling-v2-6"):
        for count, mode, duration in itertools.product((1, 2, 4, 5), ("std", "pro"), (5, 10)):
            p = {
                "model_name": model,
                "prompt": "a fox",
                "image_list": [IMG] * count,
                "mode": mode,
                "duration": duration,
            }
            yield Case("multi-image2video", p, f"{model} {count} images {mode} {duration}s")


def extend_cases(src: Sources) -> Iterator[Case]:
    for key, video_id in src.videos.items():
        yield Case("video-extend", {"video_id": video_id, "prompt": "more"}, f"extend {key}")
        yield Case("video-extend", {"video_id": video_id, "cfg_scale": 0.3}, f"extend {key} cfg")
        yield Case("video-extend", {"video_id": video_id, "negative_prompt": "x"}, f"extend {key} negative")


def lip_sync_cases(src: Sources) -> Iterator[Case]:
    vid = next(iter(src.videos.values()))
    for lang, voices in catalog.VOICES.items():
        for voice in (*voices[:3], "no-such-voice"):
            for speed in (None, 0.5, 1.0, 2.0):
                p: dict[str, Any] = {
                    "video_id": vid,
                    "mode": "text2video",
                    "text": "hello",
                    "voice_id": voice,
                    "voice_language": lang,
                }
                if speed is not None:
                    p["voice_speed"] = speed
                yield Case("lip-sync", p, f"tts voice {lang}/{voice} speed {speed}")
    yield Case(
        "lip-sync",
        {"video_id": vid, "mode": "audio2video", "audio_type": "url", "audio_url": src.audio_url},
        "audio url",
    )
    yield Case(
        "lip-sync",
        {"video_url": src.video_url, "mode": "text2video", "text": "hi", "voice_id": catalog.VOICES["zh"][0]},
        "video url",
    )


def face_cases(src: Sources) -> Iterator[Case]:
    vid = next(iter(src.videos.values()))
    yield Case("identify-face", {"video_id": vid}, "by id")
    yield Case("identify-face", {"video_url": src.video_url}, "by url")
    face = {
        "face_id": "0",
        "audio_id": "a1",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    for count in (1, 2, 3):
        yield Case(
            "advanced-lip-sync",
            {"session_id": src.session_id, "face_choose": [face] * count},
            f"{count} faces",
        )
    for end in (1500, 2000, 4000, 9000):
        yield Case(
            "advanced-lip-sync",
            {"session_id": src.session_id, "face_choose": [{**face, "sound_end_time": end}]},
            f"audio to {end} ms",
        )


def effects_cases() -> Iterator[Case]:
    scenes = [
        *catalog.DUAL_IMAGE_EFFECTS[:3],
        *catalog.LEGACY_DUAL_EFFECTS,
        *catalog.SINGLE_IMAGE_EFFECTS[:4],
        "unknown_scene",
    ]
    for scene in scenes:
        for images, duration in itertools.product((1, 2), (None, 5, 10)):
            p: dict[str, Any] = {"effect_scene": scene}
            if images == 1:
                p["image"] = IMG
            else:
                p["images"] = [IMG, IMG]
            if duration:
                p["duration"] = duration
            yield Case("effects", p, f"{scene} {images} images {duration}s")
