"""The legacy video routes' rules as data (``/v1/videos/text2video``, ``image2video``,
``multi-image2video``, ``video-extend``, ``effects``; §2.1-§2.4, §2.6, §6.1): one table per route, read by
the interpreter (:mod:`._interp`). The per-model capabilities are lookups in the model rows of the catalog.

Facts the route derives before the rules run (``Ctx.facts``): ``multi`` (multi_shot as a bool); for
effects, ``scene`` (the catalog's :class:`~klingkit.catalog._effects.Scene`).
"""

from __future__ import annotations

from typing import Any

from .. import _data as C
from .._policies import EXTENDABLE_MODELS, SERVER_STATE
from ._base import _join, _num, _pairs, as_mode
from ._vocab import (
    Camera,
    Count,
    Ctx,
    Each,
    Exclusive,
    Field,
    Forbid,
    KnownModel,
    MultiShot,
    Nearest,
    PerModel,
    Refuse,
    Require,
    RequiresWhen,
    Rule,
    Warn,
)


def _video_rows() -> tuple[Any, ...]:
    return C.VIDEO_MODELS


def _key(x: Ctx) -> tuple[str, int]:
    return (x.mode, int(x.duration))


def _masks(x: Ctx) -> bool:
    return x.given("static_mask") or bool(x.p.get("dynamic_masks"))


def _cap(i2v: bool) -> Any:
    return (lambda m: m.image_to_video) if i2v else (lambda m: m.text_to_video)


def _camera_pairs(m: Any, i2v: bool) -> Any:
    return m.camera_i2v if i2v else m.camera_t2v


def _camera_others(i2v: bool) -> Any:
    def hint(x: Ctx) -> str | None:
        names = [
            f"{o.name} ({_pairs(_camera_pairs(o, i2v))})"
            for o in C.VIDEO_MODELS
            if _camera_pairs(o, i2v) and o.name != x.model
        ]
        return (
            f"{'/'.join(names)} {'allows' if len(names) == 1 else 'allow'} camera_control" if names else None
        )

    return hint


def _sound_hint(x: Ctx) -> str | None:
    if x.row.sound_modes:
        return f"{x.model} has sound only in mode {_join(x.row.sound_modes)}"
    return Nearest(_video_rows, lambda o, x: o.sound, "sound='on'")(x)


def _voice_hint(x: Ctx) -> str | None:
    if x.row.voice_modes:
        return f"{x.model} takes voices only in mode {_join(x.row.voice_modes)}"
    return Nearest(_video_rows, lambda o, x: bool(o.voice_modes), "voice_list")(x)


def _cfg_warning(x: Ctx) -> str:
    # Decision "cfg_scale": the reference says which models use it, not that others refuse it.
    users = Nearest(_video_rows, lambda o, x: o.cfg_scale, "cfg_scale")(x)
    return f"cfg_scale has no effect on {x.model}; sent as given" + (f" ({users})" if users else "")


def _voices(x: Ctx) -> bool:
    return bool(x.p.get("voice_list"))


def _elements(x: Ctx) -> bool:
    return bool(x.p.get("element_list"))


def _customised(x: Ctx) -> bool:
    return bool(x["multi"]) and x.p.get("shot_type") == "customize"


def _at_key(x: Ctx) -> str:
    return f"{x.mode} {_num(x.duration)} s"


def _legacy(i2v: bool) -> tuple[Rule, ...]:
    """The rules of ``/v1/videos/text2video`` (``i2v=False``) or ``image2video``."""
    feature = "image-to-video" if i2v else "text-to-video"
    cap = _cap(i2v)
    shapes: tuple[Rule, ...] = (
        (Forbid("aspect_ratio", "no aspect_ratio", "image-to-video follows the input image's shape"),)
        if i2v
        else (Field("aspect_ratio", enum=C.VIDEO_ASPECT_RATIOS),)
    )
    inputs: tuple[Rule, ...] = (
        Require("image", "an image (first frame) and/or image_tail (last frame)", "image is required",
                present=lambda x: x.given("image") or x.given("image_tail")),
        Exclusive({"image_tail": lambda x: x.given("image_tail"), "static_mask/dynamic_masks": _masks,
                   "camera_control": lambda x: x.given("camera_control")},
                  "end frame, motion brush and camera control are three choose one"),
        Count("dynamic_masks", 1, C.DYNAMIC_MASKS_MAX),
        Each("dynamic_masks", (Count("trajectories", C.TRAJECTORY_POINTS_MIN, C.TRAJECTORY_POINTS_MAX,
                                     always=True),)),
    ) if i2v else ()  # fmt: skip
    return (
        Camera(),
        # §2.1: the prompt may be left out only for customised multi-shot (each shot has its own).
        Field("prompt", max_len=C.PROMPT_MAX, required=lambda x: not i2v and not _customised(x)),
        Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
        Field("mode", enum=C.VIDEO_MODES, value=lambda x: x.mode, always=True),
        Field("sound", enum=C.SOUND_VALUES),
        Field("cfg_scale", range=(C.CFG_MIN, C.CFG_MAX)),
        *shapes,
        Forbid("resolution", "only on the 2026 routes",
               lambda x: f"use mode on {x.model}, or a 2026 model name such as kling-3.0"),
        Forbid("audio", "only on the 2026 routes",
               lambda x: f"use sound on {x.model}, or a 2026 model name such as kling-3.0"),
        Count("voice_list", 1, C.VOICE_LIST_MAX),
        RequiresWhen("sound", "on", when=lambda x: _voices(x) and not x.sound, why="voice_list needs sound='on'",
                     shown=lambda x: x.p.get("sound", "off"), reads=("voice_list",)),
        Count("element_list", 1, C.ELEMENT_LIST_MAX),
        Exclusive({"element_list": _elements, "voice_list": _voices}, "element_list and voice_list exclude each other"),
        *inputs,
        KnownModel(lambda: [m.name for m in C.VIDEO_MODELS if cap(m)], feature),
        # What follows reads the model's row (skipped for a model the catalog does not know).
        Refuse("model_name", when=lambda x: not cap(x.row), shown=lambda x: x.model,
               allowed=lambda x: _join(m.name for m in C.VIDEO_MODELS if cap(m)),
               why=lambda x: f"{x.model} has no {feature}", row=True),
        PerModel("mode", value=lambda x: x.mode, of=lambda m: m.modes, rows=_video_rows,
                 phrase=lambda x: f"mode {x.mode}"),
        PerModel("duration", value=lambda x: x.duration, of=lambda m: m.durations, rows=_video_rows,
                 phrase=lambda x: _num(x.duration), shown=lambda x: x.p.get("duration")),
        Warn(lambda x: x.given("cfg_scale") and not x.row.cfg_scale, _cfg_warning, row=True),
        Refuse("sound", when=lambda x: x.sound and x.mode not in x.row.sound_modes,
               allowed=lambda x: f"off on {x.model} in mode {x.mode}", why=_sound_hint, row=True, reads=("mode",)),
        Refuse("voice_list", when=lambda x: _voices(x) and x.mode not in x.row.voice_modes,
               shown=lambda x: f"{len(x.p['voice_list'])} voices",
               allowed=lambda x: f"no voice_list on {x.model} in mode {x.mode}", why=_voice_hint, row=True,
               reads=("mode",)),
        Refuse("element_list", when=lambda x: _elements(x) and not x.row.elements,
               shown=lambda x: f"{len(x.p['element_list'])} elements",
               allowed=lambda x: f"no element_list on {x.model}",
               why=Nearest(_video_rows, lambda o, x: o.elements, "element_list"), row=True),
        Refuse("multi_shot", when=lambda x: x["multi"] and not x.row.multi_shot,
               allowed=lambda x: f"false on {x.model}",
               why=Nearest(_video_rows, lambda o, x: o.multi_shot, "multi_shot"), row=True),
        Refuse("camera_control", when=lambda x: x.given("camera_control") and not _camera_pairs(x.row, i2v),
               allowed=lambda x: f"no camera_control on {x.model} ({feature})", why=_camera_others(i2v), row=True),
        Refuse("camera_control",
               when=lambda x: x.given("camera_control") and _key(x) not in _camera_pairs(x.row, i2v),
               allowed=lambda x: f"only with mode/duration {_pairs(_camera_pairs(x.row, i2v))} on {x.model}",
               row=True, reads=("mode", "duration")),
        Refuse("camera_control.type",
               when=lambda x: i2v and bool(x.row.camera_types_i2v) and x.values.get("camera_control") is not None
               and x.values["camera_control"].get("type") not in x.row.camera_types_i2v,
               shown=lambda x: x.values["camera_control"].get("type"),
               allowed=lambda x: f"{_join(x.row.camera_types_i2v)} on {x.model}", row=True,
               reads=("camera_control",)),
        Refuse("image_tail", when=lambda x: x.given("image_tail") and _key(x) not in x.row.end_frame,
               shown=lambda x: f"an end frame at {_at_key(x)}",
               allowed=lambda x: f"end frames only with mode/duration {_pairs(x.row.end_frame)} on {x.model}",
               why=Nearest(_video_rows, lambda o, x: _key(x) in o.end_frame, lambda x: f"an end frame at {_at_key(x)}"),
               row=True, reads=("mode", "duration")),
        Refuse("sound", when=lambda x: x.given("image_tail") and x.row.end_frame_silent_only and x.sound,
               allowed=lambda x: f"off with image_tail on {x.model}", why="end frames are silent only on this model",
               row=True, reads=("image_tail",)),
        Refuse("image", when=lambda x: x.given("image_tail") and not x.given("image") and not x.row.end_frame_only,
               shown=lambda x: None, allowed=lambda x: f"an image with image_tail on {x.model}",
               why=Nearest(_video_rows, lambda o, x: o.end_frame_only, "image_tail without image"), row=True,
               reads=("image_tail",)),
        Refuse("static_mask/dynamic_masks", when=lambda x: i2v and _masks(x) and _key(x) not in x.row.motion_brush,
               shown=lambda x: "a motion brush",
               allowed=lambda x: f"motion brush only with mode/duration {_pairs(x.row.motion_brush)} on {x.model}",
               why=Nearest(_video_rows, lambda o, x: bool(o.motion_brush), "the motion brush"), row=True,
               reads=("mode", "duration")),
        Warn(lambda x: x.row.single_mode and x.given("mode"),
             lambda x: f"{x.model} has one quality level; mode={x.mode!r} is accepted and ignored", row=True),
        MultiShot(when=lambda x: bool(x["multi"])),
    )  # fmt: skip


TEXT2VIDEO = _legacy(i2v=False)
IMAGE2VIDEO = _legacy(i2v=True)

MULTI_IMAGE2VIDEO: tuple[Rule, ...] = (
    Count("image_list", 1, C.MULTI_IMAGE_VIDEO_MAX, always=True),
    Field("prompt", max_len=C.PROMPT_MAX, required=True),
    Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
    KnownModel(lambda: C.MULTI_IMAGE_TO_VIDEO_MODELS, "multi-image-to-video", listed=True),
    Field("mode", value=lambda x: x.mode, always=True, where=lambda x: f"on {x.model}",
          enum=lambda x: x.row.modes if x.row else C.VIDEO_MODES),
    Refuse("duration", when=lambda x: x.duration not in (x.row.durations if x.row else (5, 10)),
           shown=lambda x: x.p.get("duration"),
           allowed=lambda x: f"{_join(x.row.durations if x.row else (5, 10))} on {x.model}"),
    Field("aspect_ratio", enum=C.VIDEO_ASPECT_RATIOS),
)  # fmt: skip
"""``/v1/videos/multi-image2video`` (§2.3)."""

VIDEO_EXTEND: tuple[Rule, ...] = (
    Field("video_id", max_len=256, required=True),
    Field("prompt", max_len=C.PROMPT_MAX),
    Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
    Field("cfg_scale", range=(C.CFG_MIN, C.CFG_MAX)),
)
"""``/v1/videos/video-extend`` (§2.4)."""

VIDEO_EXTEND_SOURCE: tuple[Rule, ...] = (
    Refuse("video_id", when=lambda x: x["known"].video_model not in EXTENDABLE_MODELS,
           allowed=f"a video made by {', '.join(EXTENDABLE_MODELS)}",
           why=lambda x: f"it was made by {x['known'].video_model}; only videos of those models can be extended",
           policy=SERVER_STATE),
    Refuse("video_id", when=lambda x: x["total"] > x["max"], allowed=lambda x: f"a video of at most {x['max'] - x['adds']:g} s",
           why=lambda x: f"the extended video would be {x['total']:g} s; at most {x['max']:g} s can be extended to",
           policy=SERVER_STATE),
)  # fmt: skip
"""The extension's rules on the source video, which only a server has (policy ``server-state``; facts
``known``, ``total`` seconds after extending, ``max`` seconds an extended video may reach, ``adds``)."""


def _dual(x: Ctx) -> bool:
    return bool(x["scene"].images == 2)


def _scene_name(x: Ctx) -> str:
    return str(x.p.get("effect_scene"))


def _two_images(x: Ctx) -> bool:
    images = x.p.get("images")
    return isinstance(images, (list, tuple)) and len(images) == 2


def _images_shown(x: Ctx) -> Any:
    images = x.p.get("images")
    return f"{len(images)} images" if isinstance(images, (list, tuple)) else images


EFFECTS: tuple[Rule, ...] = (
    Field("effect_scene", max_len=128, required=True),
    Refuse("effect_scene", when=lambda x: bool(x["scene"].retired),
           allowed=lambda x: x["scene"].instead or "a current scene (`klingkit effects`)",
           why=lambda x: f"{_scene_name(x)} was retired on {x['scene'].retired}"),
    Warn(lambda x: not x["scene"].known,
         lambda x: f"effect_scene={_scene_name(x)!r} is not in klingkit's effect list; sent as a single-image scene"),
    Forbid("image", "images: exactly 2 images", lambda x: f"{_scene_name(x)} is a dual-image scene (left, right)",
           shown=lambda x: "one image", when=_dual),
    Refuse("images", when=lambda x: _dual(x) and not _two_images(x), allowed="exactly 2 images",
           shown=_images_shown, why=lambda x: f"{_scene_name(x)} is a dual-image scene (left, right)"),
    Forbid("images", "image: one image", lambda x: f"{_scene_name(x)} is a single-image scene",
           shown=_images_shown, when=lambda x: not _dual(x)),
    Require("image", "one image", "image is required", when=lambda x: not _dual(x)),
    Field("mode", enum=("std", "pro"), value=lambda x: as_mode(x.p["mode"]) if x.given("mode") else None),
)  # fmt: skip
"""``/v1/videos/effects`` (§2.6): single- or dual-image scenes, from the catalog's scene data."""
