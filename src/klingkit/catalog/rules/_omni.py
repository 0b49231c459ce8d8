"""The 2026 model-in-path routes and omni video (§2.14, §2.15): ``/text-to-video/{model}``,
``/image-to-video/{model}``, ``/v1/videos/omni-video`` and ``/omni-video/{model}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ... import catalog
from .. import _data as C
from .._types import NewVideoModel, VideoModel
from ._base import (
    Checks,
    _join,
    _num,
    _suggest,
    as_bool,
    given,
)


def new_video(
    p: Mapping[str, Any],
    c: Checks,
    *,
    i2v: bool,
    model: NewVideoModel,
    resolution: str,
    audio: str | None,
    duration: float,
) -> None:
    """The rules of the 2026 model-in-path routes (``/text-to-video/kling-3.0``, §2.15)."""
    name = model.name
    legacy = next((m.name for m in C.VIDEO_MODELS if m.new_name == name), None)
    on_legacy = f"use model_name={legacy!r} (legacy route) for it" if legacy else None
    if not (model.image_to_video if i2v else model.text_to_video):
        c.fail(
            "model_name",
            name,
            f"a model with {'image' if i2v else 'text'}-to-video on the 2026 routes",
            on_legacy,
        )
    c.text("prompt", p.get("prompt"), model.prompt_max, required=not i2v, where=f"on {name}")
    c.one_of("resolution", resolution, model.resolutions, where=f"on {name}")
    if audio is not None:
        c.one_of("audio", audio, model.audio, where=f"on {name}")
        if (
            audio == "native"
            and model.native_audio_resolutions
            and resolution not in model.native_audio_resolutions
        ):
            c.fail(
                "resolution",
                resolution,
                f"{_join(model.native_audio_resolutions)} with native audio on {name}",
            )
    if duration not in model.durations:
        others = [m.name for m in C.NEW_VIDEO_MODELS if int(duration) in m.durations and m.name != name]
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(model.durations)} on {name}",
            _suggest(others, _num(duration)),
        )
    if given(p, "aspect_ratio"):
        if i2v:
            c.fail(
                "aspect_ratio",
                p["aspect_ratio"],
                "no aspect_ratio",
                "image-to-video follows the input image's shape",
            )
        c.one_of("aspect_ratio", p["aspect_ratio"], C.VIDEO_ASPECT_RATIOS)
    if given(p, "multi_shot") and as_bool("multi_shot", p["multi_shot"]) and not model.multi_shot:
        c.fail(
            "multi_shot",
            p["multi_shot"],
            f"false on {name}",
            _suggest([m.name for m in C.NEW_VIDEO_MODELS if m.multi_shot], "multi_shot"),
        )
    for field in (
        "negative_prompt",
        "cfg_scale",
        "camera_control",
        "static_mask",
        "dynamic_masks",
        "voice_list",
        "shot_type",
        "multi_prompt",
    ):
        if given(p, field):
            c.fail(
                field,
                p[field] if field != "dynamic_masks" else "masks",
                f"no {field} on the 2026 route /{'image' if i2v else 'text'}-to-video/{name}",
                on_legacy,
            )
    if not i2v and given(p, "element_list"):
        c.fail("element_list", "elements", f"no element_list on /text-to-video/{name}", on_legacy)
    if i2v:
        if not given(p, "image"):
            c.fail(
                "image", None, "a first frame (image)", "a last frame alone is not allowed on the 2026 route"
            )
        if given(p, "image_tail") and not model.last_frame:
            c.fail(
                "image_tail",
                "a last frame",
                f"no last frame on {name}",
                _suggest(
                    [m.name for m in C.NEW_VIDEO_MODELS if m.last_frame and m.image_to_video], "a last frame"
                ),
            )
        if p.get("element_list"):
            c.count("element_list", p["element_list"], 1, C.ELEMENT_LIST_MAX)


def omni_video(
    p: Mapping[str, Any], c: Checks, *, model: str, mode: str, duration: float, sound: bool
) -> VideoModel | None:
    """``/v1/videos/omni-video`` (§2.14)."""
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    c.one_of("mode", mode, C.VIDEO_MODES)
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.VIDEO_ASPECT_RATIOS)
    if given(p, "sound"):
        c.one_of("sound", p["sound"], C.SOUND_VALUES)
    images = c.listed("image_list", p.get("image_list"))
    for i, item in enumerate(images):
        if isinstance(item, Mapping) and given(item, "type"):
            c.one_of(f"image_list[{i}].type", item["type"], C.OMNI_IMAGE_LIST_TYPES)
    videos = c.listed("video_list", p.get("video_list"))
    if videos:
        c.count("video_list", videos, 1, 1)
        for i, v in enumerate(videos):
            if given(v, "refer_type"):
                c.one_of(f"video_list[{i}].refer_type", v["refer_type"], C.OMNI_VIDEO_REFER_TYPES)
            if given(v, "keep_original_sound"):
                c.one_of(f"video_list[{i}].keep_original_sound", v["keep_original_sound"], C.OMNI_KEEP_SOUND)
    for field in ("resolution", "audio"):
        if given(p, field):
            hint = "mode" if field == "resolution" else "sound"
            c.fail(
                field, p[field], f"no {field} on /v1/videos/omni-video (use {hint})", _new_omni_hint(model)
            )
    known = [m.name for m in C.OMNI_VIDEO_MODELS]
    m = catalog.omni_video_model(model)
    if m is None:
        c.known_model("model_name", model, known, "omni-video")
        return None
    c.one_of("mode", mode, m.modes, where=f"on {model}")
    if duration not in m.durations:
        others = [o.name for o in C.OMNI_VIDEO_MODELS if int(duration) in o.durations and o.name != model]
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(m.durations)} on {model}",
            _suggest(others, _num(duration)),
        )
    first_frame_only = len(images) == 1 and not videos
    if (
        not m.sound
        and (not images or first_frame_only)
        and duration not in C.OMNI_SHORT_DURATIONS
        and model == "kling-video-o1"
    ):
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(C.OMNI_SHORT_DURATIONS)} on {model} for text or first-frame input",
        )
    if sound and not m.sound:
        c.fail(
            "sound",
            p.get("sound"),
            f"off on {model}",
            _suggest([o.name for o in C.OMNI_VIDEO_MODELS if o.sound], "sound='on'"),
        )
    return m


def _new_omni_hint(legacy_name: str) -> str | None:
    m = catalog.omni_video_model(legacy_name)
    return (
        f"use model_name={m.new_name!r} (the 2026 route /omni-video/{m.new_name})"
        if m and m.new_name
        else None
    )


def omni_new_model(name: str) -> VideoModel | None:
    """The omni model whose 2026 name is ``name`` (``kling-3.0-omni``, ``kling-o1``), or None."""
    return next((m for m in C.OMNI_VIDEO_MODELS if m.new_name == name), None)


def new_omni_video(
    p: Mapping[str, Any],
    c: Checks,
    *,
    model: VideoModel,
    resolution: str,
    audio: str | None,
    duration: float,
    frames: Sequence[str],
) -> None:
    """``POST /omni-video/{model}`` (2026, §2.15 convention; the route's own page is not in the reference).

    ``frames`` are the frame types of ``image_list`` (``first_frame``/``end_frame``) in order. The rules
    are the legacy omni rules (§2.14, §6.1, §7.4) on the 2026 field names.
    """
    name = model.new_name or model.name
    where = f"on /omni-video/{name}"
    on_legacy = f"use model_name={model.name!r} (legacy /v1/videos/omni-video) for it"
    c.text("prompt", p.get("prompt"), C.OMNI_NEW_PROMPT_MAX, required=True, where=where)
    if given(p, "negative_prompt"):
        c.fail("negative_prompt", p["negative_prompt"], f"no negative_prompt {where}", on_legacy)
    resolutions = tuple(catalog.mode_resolution(model, m) for m in model.modes)
    if resolution not in resolutions:
        others = [
            o.new_name
            for o in C.OMNI_VIDEO_MODELS
            if o.new_name
            and o is not model
            and resolution in (catalog.mode_resolution(o, m) for m in o.modes)
        ]
        c.one_of("resolution", resolution, resolutions, where=where, suggestion=_suggest(others, resolution))
    if audio is not None:
        c.one_of("audio", audio, C.NEW_AUDIO_VALUES)
        if audio == "native" and not model.sound:
            others = [o.new_name for o in C.OMNI_VIDEO_MODELS if o.new_name and o.sound]
            c.fail("audio", audio, f"off {where}", _suggest(others, "audio='native'"))
    if duration not in model.durations:
        others = [
            o.new_name
            for o in C.OMNI_VIDEO_MODELS
            if o.new_name and o is not model and duration in o.durations
        ]
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(model.durations)} {where}",
            _suggest(others, _num(duration)),
        )
    videos = c.listed("video_list", p.get("video_list"))
    if videos:
        c.count("video_list", videos, 1, C.OMNI_VIDEO_LIST_MAX)
        for i, v in enumerate(videos):
            if not isinstance(v, Mapping) or not given(v, "video_url"):
                c.fail(
                    f"video_list[{i}].video_url", None, "a video URL", "each reference video needs video_url"
                )
            if given(v, "refer_type"):
                c.one_of(f"video_list[{i}].refer_type", v["refer_type"], C.OMNI_VIDEO_REFER_TYPES)
            if given(v, "keep_original_sound"):
                c.one_of(f"video_list[{i}].keep_original_sound", v["keep_original_sound"], C.OMNI_KEEP_SOUND)
    for i, kind in enumerate(frames):
        c.one_of(
            f"image_list[{i}].type",
            kind or None,
            C.OMNI_IMAGE_LIST_TYPES,
            where=where,
            suggestion=None if kind else f"untyped reference images are legacy only; {on_legacy}",
        )
    for kind in C.OMNI_IMAGE_LIST_TYPES:
        if frames.count(kind) > 1:
            c.fail("image_list", f"{frames.count(kind)} {kind} images", f"at most one {kind}")
    first = "first_frame" in frames
    if "end_frame" in frames and not first:
        c.fail("image_list", "an end_frame alone", "a first_frame with the end_frame", f"{where}")
    if p.get("element_list"):
        c.count("element_list", p["element_list"], 1, C.ELEMENT_LIST_MAX)
    if (
        model.name in C.OMNI_SHORT_DURATION_MODELS
        and not videos
        and "end_frame" not in frames
        and duration not in C.OMNI_SHORT_DURATIONS
    ):
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(C.OMNI_SHORT_DURATIONS)} {where} for text or first-frame-only input",
        )
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.VIDEO_ASPECT_RATIOS)
        if first:
            c.fail(
                "aspect_ratio",
                p["aspect_ratio"],
                "no aspect_ratio with a first frame",
                "the video follows the first frame's shape",
            )
