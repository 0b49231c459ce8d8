"""The legacy video routes (``/v1/videos/text2video``, ``image2video``, ``multi-image2video``,
``video-extend``, ``effects``): camera, multi-shot and the per-model capabilities (§2.1-§2.4, §2.6, §6.1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import catalog
from .. import _data as C
from .. import _effects as effects_data
from .._types import VideoModel
from ._base import (
    Checks,
    _join,
    _num,
    _others,
    _pairs,
    _suggest,
    as_duration,
    as_mode,
    given,
)


def camera_control(value: object, c: Checks) -> dict[str, Any]:
    """Check a camera_control object (or preset name) and return the wire object (all six axes for simple)."""
    if isinstance(value, str):
        if value not in C.CAMERA_PRESETS:
            c.fail("camera_control", value, f"a camera_control object or a preset: {_join(C.CAMERA_PRESETS)}")
        value = dict(C.CAMERA_PRESETS[value])
    if not isinstance(value, Mapping):
        c.fail("camera_control", value, "an object {type, config}")
    ctype = value.get("type")
    c.one_of("camera_control.type", ctype, C.CAMERA_TYPES)
    config = value.get("config")
    if ctype != "simple":
        if config:
            c.fail(
                "camera_control.config", config, "no config", f"config is only for type simple, not {ctype}"
            )
        return {"type": ctype}
    if not isinstance(config, Mapping):
        c.fail("camera_control.config", config, f"an object with one non-zero axis of {_join(C.CAMERA_AXES)}")
    unknown = [k for k in config if k not in C.CAMERA_AXES]
    if unknown:
        c.fail("camera_control.config", unknown[0], _join(C.CAMERA_AXES))
    axes: dict[str, float] = {}
    for axis in C.CAMERA_AXES:
        axes[axis] = c.number(
            f"camera_control.config.{axis}", config.get(axis, 0), C.CAMERA_AXIS_MIN, C.CAMERA_AXIS_MAX
        )
    nonzero = [a for a, v in axes.items() if v != 0]
    if len(nonzero) != 1:
        c.fail(
            "camera_control.config",
            {a: axes[a] for a in nonzero} or "all zero",
            "exactly one non-zero axis",
            "type simple moves along one axis; set the others to 0",
        )
    return {"type": "simple", "config": {a: _int_if_whole(axes[a]) for a in C.CAMERA_AXES}}


def _int_if_whole(x: float) -> float | int:
    return int(x) if x.is_integer() else x


def multi_shot(p: Mapping[str, Any], total: float, c: Checks) -> list[dict[str, Any]] | None:
    """Check shot_type/multi_prompt for ``multi_shot=true``; returns the wire multi_prompt (or None)."""
    shot_type = p.get("shot_type")
    if shot_type is None:
        c.fail("shot_type", None, _join(C.SHOT_TYPES), "shot_type is required when multi_shot is true")
    c.one_of("shot_type", shot_type, C.SHOT_TYPES)
    items = p.get("multi_prompt")
    if shot_type != "customize":
        if items:
            c.fail(
                "multi_prompt",
                f"{len(items)} shots",
                "no multi_prompt",
                "multi_prompt is only for shot_type customize",
            )
        return None
    items = c.count("multi_prompt", items, 1, C.MULTI_SHOT_MAX)
    out: list[dict[str, Any]] = []
    seconds = 0.0
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            c.fail(f"multi_prompt[{i}]", item, "an object {index, prompt, duration}")
        c.text(f"multi_prompt[{i}].prompt", item.get("prompt"), C.MULTI_PROMPT_ITEM_MAX, required=True)
        d = as_duration(f"multi_prompt[{i}].duration", item.get("duration"))
        if not 1 <= d <= total:
            c.fail(
                f"multi_prompt[{i}].duration",
                item.get("duration"),
                f"1 to {_num(total)} seconds (the total duration)",
            )
        seconds += d
        out.append({"index": item.get("index", i + 1), "prompt": item["prompt"], "duration": _num(d)})
    if seconds != total:
        c.fail(
            "multi_prompt",
            f"shots that add up to {_num(seconds)} s",
            f"shots summing to duration={_num(total)} s",
        )
    return out


def legacy_video(
    p: Mapping[str, Any],
    c: Checks,
    *,
    i2v: bool,
    model: str,
    mode: str,
    duration: float,
    sound: bool,
    multi: bool,
    camera_wire: Mapping[str, Any] | None = None,
) -> VideoModel | None:
    """The per-model rules of ``/v1/videos/text2video`` and ``image2video`` (§2.1, §2.2, §6.1)."""
    feature = "image-to-video" if i2v else "text-to-video"
    known = catalog.models_where(lambda m: m.image_to_video if i2v else m.text_to_video)
    m = catalog.video_model(model)
    # §2.1: the prompt may be left out only for customised multi-shot (each shot has its own).
    customised = multi and p.get("shot_type") == "customize"
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=not i2v and not customised)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    c.one_of("mode", mode, C.VIDEO_MODES)
    if given(p, "sound"):
        c.one_of("sound", p["sound"], C.SOUND_VALUES)
    if given(p, "cfg_scale"):
        c.number("cfg_scale", p["cfg_scale"], C.CFG_MIN, C.CFG_MAX)
    if not i2v and given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.VIDEO_ASPECT_RATIOS)
    if i2v and given(p, "aspect_ratio"):
        c.fail(
            "aspect_ratio",
            p["aspect_ratio"],
            "no aspect_ratio",
            "image-to-video follows the input image's shape",
        )
    for field in ("resolution", "audio"):
        if given(p, field):
            c.fail(
                field,
                p[field],
                "only on the 2026 routes",
                f"use {'mode' if field == 'resolution' else 'sound'} "
                f"on {model}, or a 2026 model name such as kling-3.0",
            )
    voices = c.listed("voice_list", p.get("voice_list"))
    elements = c.listed("element_list", p.get("element_list"))
    if voices:
        c.count("voice_list", voices, 1, C.VOICE_LIST_MAX)
        if not sound:
            c.fail("sound", p.get("sound", "off"), "on", "voice_list needs sound='on'")
    if elements:
        c.count("element_list", elements, 1, C.ELEMENT_LIST_MAX)
    c.exclusive(
        {"element_list": bool(elements), "voice_list": bool(voices)},
        "element_list and voice_list exclude each other",
    )

    image, tail = given(p, "image"), given(p, "image_tail")
    masks = given(p, "static_mask") or bool(p.get("dynamic_masks"))
    camera = given(p, "camera_control")
    if i2v:
        if not image and not tail:
            c.fail(
                "image", None, "an image (first frame) and/or image_tail (last frame)", "image is required"
            )
        c.exclusive(
            {"image_tail": tail, "static_mask/dynamic_masks": masks, "camera_control": camera},
            "end frame, motion brush and camera control are three choose one",
        )
        dyn = c.listed("dynamic_masks", p.get("dynamic_masks"))
        if dyn:
            c.count("dynamic_masks", dyn, 1, C.DYNAMIC_MASKS_MAX)
            for i, dm in enumerate(dyn):
                c.count(
                    f"dynamic_masks[{i}].trajectories",
                    dm.get("trajectories"),
                    C.TRAJECTORY_POINTS_MIN,
                    C.TRAJECTORY_POINTS_MAX,
                )
    if m is None:
        c.known_model("model_name", model, known, feature)
        return None

    if not (m.image_to_video if i2v else m.text_to_video):
        c.fail("model_name", model, _join(known), f"{model} has no {feature}")
    key = (mode, int(duration))
    if mode not in m.modes:
        c.fail(
            "mode",
            mode,
            f"{_join(m.modes)} on {model}",
            _suggest(_others(lambda o: mode in o.modes, model), f"mode {mode}"),
        )
    if duration not in m.durations:
        c.fail(
            "duration",
            p.get("duration"),
            f"{_join(m.durations)} on {model}",
            _suggest(_others(lambda o: int(duration) in o.durations, model), _num(duration)),
        )
    if given(p, "cfg_scale") and not m.cfg_scale:
        # Decision "cfg_scale": the reference says which models use it, not that others refuse it.
        users = _suggest(_others(lambda o: o.cfg_scale, model), "cfg_scale")
        c.warn(f"cfg_scale has no effect on {model}; sent as given" + (f" ({users})" if users else ""))
    hint: str | None
    if sound and mode not in m.sound_modes:
        if m.sound_modes:
            hint = f"{model} has sound only in mode {_join(m.sound_modes)}"
        else:
            hint = _suggest(_others(lambda o: o.sound, model), "sound='on'")
        c.fail("sound", p.get("sound"), f"off on {model} in mode {mode}", hint)
    if voices and mode not in m.voice_modes:
        hint = (
            f"{model} takes voices only in mode {_join(m.voice_modes)}"
            if m.voice_modes
            else _suggest(_others(lambda o: bool(o.voice_modes), model), "voice_list")
        )
        c.fail("voice_list", f"{len(voices)} voices", f"no voice_list on {model} in mode {mode}", hint)
    if elements and not m.elements:
        c.fail(
            "element_list",
            f"{len(elements)} elements",
            f"no element_list on {model}",
            _suggest(_others(lambda o: o.elements, model), "element_list"),
        )
    if multi and not m.multi_shot:
        c.fail(
            "multi_shot",
            p.get("multi_shot"),
            f"false on {model}",
            _suggest(_others(lambda o: o.multi_shot, model), "multi_shot"),
        )
    if camera:
        pairs = m.camera_i2v if i2v else m.camera_t2v
        if not pairs:
            others = [
                f"{o.name} ({_pairs(o.camera_i2v if i2v else o.camera_t2v)})"
                for o in C.VIDEO_MODELS
                if (o.camera_i2v if i2v else o.camera_t2v) and o.name != model
            ]
            c.fail(
                "camera_control",
                p["camera_control"],
                f"no camera_control on {model} ({feature})",
                _suggest(others, "camera_control"),
            )
        if key not in pairs:
            c.fail(
                "camera_control", p["camera_control"], f"only with mode/duration {_pairs(pairs)} on {model}"
            )
        ctype = camera_wire.get("type") if camera_wire is not None else None
        if i2v and m.camera_types_i2v and ctype is not None and ctype not in m.camera_types_i2v:
            c.fail("camera_control.type", ctype, f"{_join(m.camera_types_i2v)} on {model}")
    if tail:
        if key not in m.end_frame:
            others = _others(lambda o: key in o.end_frame, model)
            c.fail(
                "image_tail",
                f"an end frame at {mode} {_num(duration)} s",
                f"end frames only with mode/duration {_pairs(m.end_frame)} on {model}",
                _suggest(others, f"an end frame at {mode} {_num(duration)} s"),
            )
        if m.end_frame_silent_only and sound:
            c.fail(
                "sound",
                p.get("sound"),
                f"off with image_tail on {model}",
                "end frames are silent only on this model",
            )
        if not image and not m.end_frame_only:
            c.fail(
                "image",
                None,
                f"an image with image_tail on {model}",
                _suggest(_others(lambda o: o.end_frame_only, model), "image_tail without image"),
            )
    if i2v and masks and key not in m.motion_brush:
        others = _others(lambda o: bool(o.motion_brush), model)
        c.fail(
            "static_mask/dynamic_masks",
            "a motion brush",
            f"motion brush only with mode/duration {_pairs(m.motion_brush)} on {model}",
            _suggest(others, "the motion brush"),
        )
    if m.single_mode and given(p, "mode"):
        c.warn(f"{model} has one quality level; mode={mode!r} is accepted and ignored")
    return m


def multi_image_to_video(p: Mapping[str, Any], c: Checks, *, model: str, mode: str, duration: float) -> None:
    """``/v1/videos/multi-image2video`` (§2.3)."""
    c.count("image_list", p.get("image_list"), 1, C.MULTI_IMAGE_VIDEO_MAX)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=True)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    c.known_model("model_name", model, C.MULTI_IMAGE_TO_VIDEO_MODELS, "multi-image-to-video")
    m = catalog.video_model(model)
    modes, durations = (m.modes, m.durations) if m else (C.VIDEO_MODES, (5, 10))
    c.one_of("mode", mode, modes, where=f"on {model}")
    if duration not in durations:
        c.fail("duration", p.get("duration"), f"{_join(durations)} on {model}")
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.VIDEO_ASPECT_RATIOS)


def video_extend(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/videos/video-extend`` (§2.4)."""
    c.text("video_id", p.get("video_id"), 256, required=True)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    if given(p, "cfg_scale"):
        c.number("cfg_scale", p["cfg_scale"], C.CFG_MIN, C.CFG_MAX)


def effects(p: Mapping[str, Any], c: Checks) -> bool:
    """``/v1/videos/effects`` (§2.6); returns True for a dual-image scene."""
    scene = c.text("effect_scene", p.get("effect_scene"), 128, required=True)
    found = effects_data.scene(scene) if isinstance(scene, str) else effects_data.scene("")
    dual = found.images == 2
    if found.retired:
        c.fail("effect_scene", scene, found.instead or "a current scene (`klingkit effects`)",
               f"{scene} was retired on {found.retired}")  # fmt: skip
    if not found.known:
        c.warn(f"effect_scene={scene!r} is not in klingkit's effect list; sent as a single-image scene")
    if dual:
        if given(p, "image"):
            c.fail(
                "image",
                "one image",
                "images: exactly 2 images",
                f"{scene} is a dual-image scene (left, right)",
            )
        images = p.get("images")
        if not isinstance(images, (list, tuple)) or len(images) != 2:
            got = f"{len(images)} images" if isinstance(images, (list, tuple)) else images
            c.fail("images", got, "exactly 2 images", f"{scene} is a dual-image scene (left, right)")
    else:
        if given(p, "images"):
            c.fail(
                "images", f"{len(p['images'])} images", "image: one image", f"{scene} is a single-image scene"
            )
        if not given(p, "image"):
            c.fail("image", None, "one image", "image is required")
    if given(p, "mode"):
        c.one_of("mode", as_mode(p["mode"]), ("std", "pro"))
    return dual
