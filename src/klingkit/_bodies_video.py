"""The wire bodies of the video routes: legacy text/image/multi-image to video, extension, omni video,
and the 2026 model-in-path routes (``settings``/``contents``/``options``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _validation as V
from . import catalog
from . import catalog as C
from ._bodies import (
    _Built,
    _common_legacy,
    _dur_text,
    _element_list,
    _image,
    _listed,
    _model,
    _options,
    _put,
    _video_media,
    _voice_list,
    _wire_mode,
)
from ._validation import Checks, given

# --- video ----------------------------------------------------------------------------------------------


def _video(p: dict[str, Any], c: Checks, *, i2v: bool, feature: str) -> _Built:
    if feature in ("text-to-video", "image-to-video") and not given(p, "model_name"):
        known = ", ".join(m.name for m in C.NEW_VIDEO_MODELS)
        c.fail(
            "model_name", None, known, f"the 2026 route {feature} needs the model name (it goes in the path)"
        )
    model = _model(p, feature, checked=feature in ("text2video", "image2video"))
    new_model = catalog.new_video_model(model)
    if new_model is not None:
        return _new_video(p, c, i2v=i2v, model=new_model)
    legacy = catalog.video_model(model)
    if feature in ("text-to-video", "image-to-video") and legacy is None:
        names = [m.name for m in C.NEW_VIDEO_MODELS]
        c.fail("model_name", model, ", ".join(names), f"the 2026 route {feature} takes the new model names")
    if legacy is not None and feature in ("text-to-video", "image-to-video"):
        hint = (
            f"use {legacy.new_name!r} on this route"
            if legacy.new_name
            else f"use feature {'image2video' if i2v else 'text2video'}"
        )
        c.fail("model_name", model, "a 2026 model name (kling-3.0, kling-2.6, ...)", hint)
    return _legacy_video(p, c, i2v=i2v, model=model)


def _legacy_video(p: dict[str, Any], c: Checks, *, i2v: bool, model: str) -> _Built:
    feature = "image2video" if i2v else "text2video"
    ok = catalog.check(feature, _wire_mode(p), checks=c)
    mode, duration = str(ok.mode), float(ok.duration or 0)
    multi, camera = bool(ok.values["multi_shot"]), ok.values["camera_control"]
    multi_prompt = ok.values["multi_prompt"]
    if not multi and (given(p, "shot_type") or p.get("multi_prompt")):
        c.warn("shot_type/multi_prompt are ignored without multi_shot=true; not sent")

    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "cfg_scale", "sound", "aspect_ratio")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    if given(p, "camera_control"):
        body["camera_control"] = camera
    if given(p, "multi_shot"):
        body["multi_shot"] = multi
    if multi:
        body["shot_type"] = p["shot_type"]
        if multi_prompt is not None:
            body["multi_prompt"] = multi_prompt
    if p.get("voice_list"):
        body["voice_list"] = _voice_list(p["voice_list"])
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    if i2v:
        if given(p, "image"):
            body["image"] = _image(p["image"], "image", c)
        if given(p, "image_tail"):
            body["image_tail"] = _image(p["image_tail"], "image_tail", c, check_aspect=False)
        if given(p, "static_mask"):
            body["static_mask"] = _image(p["static_mask"], "static_mask", c)
        if p.get("dynamic_masks"):
            body["dynamic_masks"] = [
                {
                    "mask": _image(dm["mask"], f"dynamic_masks[{i}].mask", c),
                    "trajectories": dm["trajectories"],
                }
                for i, dm in enumerate(p["dynamic_masks"])
            ]
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model, mode=mode, duration=duration, feature=feature)


def _new_resolution(p: Mapping[str, Any], c: Checks, *, default: str) -> str:
    """``settings.resolution`` on the 2026 routes: ``resolution`` as given, or ``mode`` mapped to it."""
    if given(p, "resolution"):
        if given(p, "mode"):
            c.fail(
                "mode",
                p["mode"],
                "mode or resolution, not both",
                "on the 2026 routes mode only maps to resolution",
            )
        return str(p["resolution"])
    if given(p, "mode"):
        mode = V.as_mode(p["mode"])
        c.one_of("mode", mode, tuple(C.MODE_RESOLUTION), where="(mapped to resolution on the 2026 routes)")
        return catalog.resolution_for_mode(mode)
    return default


def _new_audio(p: Mapping[str, Any], c: Checks) -> str | None:
    """``settings.audio`` on the 2026 routes: ``audio`` as given, or ``sound`` mapped to it."""
    if given(p, "audio"):
        if given(p, "sound"):
            c.fail("sound", p["sound"], "sound or audio, not both", "sound='on' maps to audio='native'")
        return str(p["audio"])
    if given(p, "sound"):
        c.one_of("sound", p["sound"], C.SOUND_VALUES)
        return catalog.audio_for_sound(str(p["sound"]))
    return None


def _as_settings(p: Mapping[str, Any], resolution: str, audio: str | None) -> dict[str, Any]:
    """The caller's parameters with the 2026 ``settings`` words: ``resolution`` and ``audio`` (mapped from
    ``mode`` and ``sound`` by the client), as the catalog's contract reads them."""
    q = {k: v for k, v in p.items() if k not in ("mode", "sound")}
    q["resolution"] = resolution
    if audio is not None:
        q["audio"] = audio
    return q


def _new_video(p: dict[str, Any], c: Checks, *, i2v: bool, model: catalog.NewVideoModel) -> _Built:
    feature = "image-to-video" if i2v else "text-to-video"
    resolution = _new_resolution(p, c, default=model.resolutions[0])
    audio = _new_audio(p, c)
    ok = catalog.check(feature, _as_settings(p, resolution, audio), checks=c)
    duration = float(ok.duration or 0)

    settings: dict[str, Any] = {}
    if audio is not None:
        settings["audio"] = audio
    if given(p, "resolution") or given(p, "mode"):
        settings["resolution"] = resolution
    if given(p, "aspect_ratio"):
        settings["aspect_ratio"] = p["aspect_ratio"]
    if given(p, "duration"):
        settings["duration"] = int(duration)
    if given(p, "multi_shot"):
        settings["multi_shot"] = V.as_bool("multi_shot", p["multi_shot"])
    body: dict[str, Any] = {}
    if i2v:
        limit = C.IMAGE_MAX_BYTES_NEW
        contents: list[dict[str, Any]] = []
        if given(p, "prompt"):
            contents.append({"type": "prompt", "text": p["prompt"]})
        contents.append({"type": "first_frame", "url": _image(p["image"], "image", c, max_bytes=limit)})
        if given(p, "image_tail"):
            url = _image(p["image_tail"], "image_tail", c, max_bytes=limit, check_aspect=False)
            contents.append({"type": "last_frame", "url": url})
        for e in _element_list(p.get("element_list") or []):
            contents.append({"type": "element", **e})
        body["contents"] = contents
    else:
        body["prompt"] = p["prompt"]
    if settings:
        body["settings"] = settings
    options = _options(p)
    if options:
        body["options"] = options
    return _Built(
        body,
        ok.estimate,
        model=model.name,
        mode=ok.mode,
        duration=duration,
        feature=feature,
        path_model=model.name,
    )


def _b_text2video(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=False, feature="text2video")


def _b_image2video(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=True, feature="image2video")


def _b_text_to_video_new(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=False, feature="text-to-video")


def _b_image_to_video_new(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=True, feature="image-to-video")


def _b_multi_image2video(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "multi-image2video", checked=True)
    ok = catalog.check("multi-image2video", _wire_mode(p), checks=c)
    mode, duration = str(ok.mode), float(ok.duration or 0)
    images = []
    for i, item in enumerate(p["image_list"]):
        value = item["image"] if isinstance(item, Mapping) else item
        images.append({"image": _image(value, f"image_list[{i}]", c)})
    body: dict[str, Any] = {"model_name": model, "image_list": images}
    _put(body, p, "prompt", "negative_prompt", "aspect_ratio")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model, mode=mode, duration=duration)


def _b_video_extend(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("video-extend", p, checks=c)
    body: dict[str, Any] = {}
    _put(body, p, "video_id", "prompt", "negative_prompt", "cfg_scale")
    _common_legacy(body, p)
    return _Built(body, ok.estimate)


def _b_omni_video(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "omni-video", checked=True)
    new_model = V.omni_new_model(model)
    if new_model is not None:
        return _new_omni_video(p, c, new_model)
    ok = catalog.check("omni-video", _wire_mode(p), checks=c)
    mode, duration = str(ok.mode), float(ok.duration or 0)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "aspect_ratio", "sound")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    if p.get("image_list"):
        images = []
        for i, item in enumerate(p["image_list"]):
            entry = dict(item) if isinstance(item, Mapping) else {"image_url": item}
            entry["image_url"] = _image(entry.get("image_url"), f"image_list[{i}].image_url", c)
            images.append(entry)
        body["image_list"] = images
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    if p.get("video_list"):
        body["video_list"] = [dict(v) for v in p["video_list"]]
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model, mode=mode, duration=duration)


def _b_omni_video_new(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "omni-video") if given(p, "model_name") else None
    new_model = V.omni_new_model(model) if model else None
    if new_model is None:
        known = ", ".join(m.new_name for m in C.OMNI_VIDEO_MODELS if m.new_name)
        legacy = catalog.omni_video_model(model) if model else None
        hint = (
            f"use {legacy.new_name!r} on this route"
            if legacy and legacy.new_name
            else "the 2026 route omni-video-new needs a 2026 model name (it goes in the path)"
        )
        c.fail("model_name", model, known, hint)
    return _new_omni_video(p, c, new_model)


def _new_omni_video(p: dict[str, Any], c: Checks, model: catalog.VideoModel) -> _Built:
    """``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1).

    The omni page of the 2026 API is not in the reference (conf M): the body follows the 2026 convention
    of §2.15 (``/image-to-video/kling-3.0``): ``contents[]`` typed items (``prompt`` {text},
    ``first_frame``/``last_frame`` {url}, ``element`` {element_id}, ``video`` {url, refer_type,
    keep_original_sound}), ``settings{resolution, duration (int), aspect_ratio, audio}`` and
    ``options{callback_url, external_task_id, watermark_info}``. The caller's legacy omni parameters map
    onto it: ``image_list`` types ``first_frame``/``end_frame`` -> ``first_frame``/``last_frame``, ``mode``
    -> ``resolution``, ``sound`` -> ``audio``. Priced from the model's legacy omni row (§7.2).
    """
    name = model.new_name or model.name
    resolution = _new_resolution(p, c, default=C.OMNI_NEW_DEFAULT_RESOLUTION)
    audio = _new_audio(p, c)
    q = _as_settings(p, resolution, audio)
    q["model_name"] = name
    ok = catalog.check("omni-video-new", q, checks=c)
    duration = float(ok.duration or 0)
    images = _listed("image_list", p.get("image_list") or [])
    frames: list[str] = ok.values["frames"]
    limit = C.IMAGE_MAX_BYTES_NEW
    contents: list[dict[str, Any]] = [{"type": "prompt", "text": p["prompt"]}]
    for i in sorted(range(len(images)), key=lambda j: C.OMNI_IMAGE_LIST_TYPES.index(frames[j])):
        first = frames[i] == "first_frame"
        url = _image(
            images[i]["image_url"], f"image_list[{i}].image_url", c, max_bytes=limit, check_aspect=first
        )
        contents.append({"type": "first_frame" if first else "last_frame", "url": url})
    for e in _element_list(p.get("element_list") or []):
        contents.append({"type": "element", **e})
    videos = _listed("video_list", p.get("video_list") or [])
    for i, v in enumerate(videos):
        item: dict[str, Any] = {
            "type": "video",
            "url": _video_media(v["video_url"], f"video_list[{i}].video_url", c),
        }
        _put(item, v, "refer_type", "keep_original_sound")
        contents.append(item)
    settings: dict[str, Any] = {}
    if given(p, "resolution") or given(p, "mode"):
        settings["resolution"] = resolution
    if given(p, "duration"):
        settings["duration"] = int(duration)
    if given(p, "aspect_ratio"):
        settings["aspect_ratio"] = p["aspect_ratio"]
    if audio is not None:
        settings["audio"] = audio
    body: dict[str, Any] = {"contents": contents}
    if settings:
        body["settings"] = settings
    options = _options(p)
    if options:
        body["options"] = options
    return _Built(
        body,
        ok.estimate,
        model=name,
        mode=ok.mode,
        duration=duration,
        feature="omni-video-new",
        path_model=name,
    )
