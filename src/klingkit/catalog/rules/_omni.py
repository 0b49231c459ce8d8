"""The 2026 model-in-path routes' and omni video's rules as data (§2.14, §2.15): ``/text-to-video/{model}``,
``/image-to-video/{model}``, ``/v1/videos/omni-video`` and ``/omni-video/{model}``; read by the interpreter
(:mod:`._interp`).

Facts the route derives before the rules run (``Ctx.facts``): ``resolution`` and ``audio`` (the 2026
settings, defaults applied; ``audio`` None when not given); ``frames`` (omni-video-new: the ``type`` of each
``image_list`` item, "" when untyped).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from .. import _data as C
from .._lookup import mode_resolution
from .._types import VideoModel
from ._base import _join, _num, as_bool
from ._vocab import (
    Count,
    Ctx,
    Each,
    Field,
    Forbid,
    KnownModel,
    Listed,
    Nearest,
    PerModel,
    Refuse,
    Require,
    Rule,
)


def _new_rows() -> tuple[Any, ...]:
    return C.NEW_VIDEO_MODELS


def _omni_rows() -> tuple[Any, ...]:
    return C.OMNI_VIDEO_MODELS


def _on_legacy(x: Ctx) -> str | None:
    legacy = next((m.name for m in C.VIDEO_MODELS if m.new_name == x.model), None)
    return f"use model_name={legacy!r} (legacy route) for it" if legacy else None


_LEGACY_ONLY = ("negative_prompt", "cfg_scale", "camera_control", "static_mask", "dynamic_masks", "voice_list",
                "shot_type", "multi_prompt")  # fmt: skip
"""Fields of the legacy video routes that the 2026 model-in-path routes do not take."""


NEW_VIDEO_MODEL: tuple[Rule, ...] = (
    Refuse("model_name", when=lambda x: x.row is None, allowed=_join(m.name for m in C.NEW_VIDEO_MODELS),
           why=lambda x: f"the 2026 route {x['feature']} takes the new model names"),
)  # fmt: skip
"""The 2026 model-in-path video routes take the 2026 model names only (the rest reads the model's row)."""


def _not_on(name: str, route: str, x: Ctx) -> str:
    return f"no {name} on the 2026 route {route}/{x.model}"


def _masks(x: Ctx) -> str:
    return "masks"


def _new_video(i2v: bool) -> tuple[Rule, ...]:
    """The rules of ``/text-to-video/{model}`` (``i2v=False``) and ``/image-to-video/{model}``."""
    route = f"/{'image' if i2v else 'text'}-to-video"
    shapes: tuple[Rule, ...] = (
        (Forbid("aspect_ratio", "no aspect_ratio", "image-to-video follows the input image's shape"),)
        if i2v
        else (Field("aspect_ratio", enum=C.VIDEO_ASPECT_RATIOS),)
    )
    forbidden = tuple(
        Forbid(f, partial(_not_on, f, route), _on_legacy, shown=_masks if f == "dynamic_masks" else None)
        for f in _LEGACY_ONLY
    )
    inputs: tuple[Rule, ...] = (
        Require("image", "a first frame (image)", "a last frame alone is not allowed on the 2026 route"),
        Refuse("image_tail", when=lambda x: x.given("image_tail") and not x.row.last_frame,
               shown=lambda x: "a last frame", allowed=lambda x: f"no last frame on {x.model}",
               why=Nearest(_new_rows, lambda m, x: m.last_frame and m.image_to_video, "a last frame")),
        Count("element_list", 1, C.ELEMENT_LIST_MAX),
    ) if i2v else (
        Forbid("element_list", lambda x: f"no element_list on /text-to-video/{x.model}", _on_legacy,
               shown=lambda x: "elements"),
    )  # fmt: skip
    return (
        Refuse("model_name", when=lambda x: not (x.row.image_to_video if i2v else x.row.text_to_video),
               shown=lambda x: x.model,
               allowed=f"a model with {'image' if i2v else 'text'}-to-video on the 2026 routes", why=_on_legacy),
        Field("prompt", max_len=lambda x: int(x.row.prompt_max), required=not i2v, where=lambda x: f"on {x.model}"),
        Field("resolution", enum=lambda x: x.row.resolutions, value=lambda x: x["resolution"], always=True,
              where=lambda x: f"on {x.model}"),
        Field("audio", enum=lambda x: x.row.audio, value=lambda x: x["audio"], where=lambda x: f"on {x.model}"),
        Refuse("resolution",
               when=lambda x: x["audio"] == "native" and bool(x.row.native_audio_resolutions)
               and x["resolution"] not in x.row.native_audio_resolutions,
               shown=lambda x: x["resolution"],
               allowed=lambda x: f"{_join(x.row.native_audio_resolutions)} with native audio on {x.model}",
               reads=("audio",)),
        PerModel("duration", value=lambda x: x.duration, of=lambda m: m.durations, rows=_new_rows,
                 phrase=lambda x: _num(x.duration), shown=lambda x: x.p.get("duration")),
        *shapes,
        Refuse("multi_shot", when=lambda x: x.given("multi_shot") and as_bool("multi_shot", x.p["multi_shot"])
               and not x.row.multi_shot, allowed=lambda x: f"false on {x.model}",
               why=Nearest(_new_rows, lambda m, x: m.multi_shot, "multi_shot")),
        *forbidden,
        *inputs,
    )  # fmt: skip


NEW_TEXT_TO_VIDEO = _new_video(i2v=False)
NEW_IMAGE_TO_VIDEO = _new_video(i2v=True)


def _new_omni_hint(x: Ctx) -> str | None:
    m = x.row
    return (
        f"use model_name={m.new_name!r} (the 2026 route /omni-video/{m.new_name})"
        if m and m.new_name
        else None
    )


def _first_frame_only(x: Ctx) -> bool:
    images = x.p.get("image_list") or []
    return len(images) == 1 and not x.p.get("video_list")


_VIDEO_ITEM: tuple[Rule, ...] = (
    Field("refer_type", enum=C.OMNI_VIDEO_REFER_TYPES),
    Field("keep_original_sound", enum=C.OMNI_KEEP_SOUND),
)

OMNI_VIDEO: tuple[Rule, ...] = (
    Field("prompt", max_len=C.PROMPT_MAX),
    Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
    Field("mode", enum=C.VIDEO_MODES, value=lambda x: x.mode, always=True),
    Field("aspect_ratio", enum=C.VIDEO_ASPECT_RATIOS),
    Field("sound", enum=C.SOUND_VALUES),
    Listed("image_list"),
    Each("image_list", (Field("type", enum=C.OMNI_IMAGE_LIST_TYPES),)),
    Count("video_list", 1, 1),
    Each("video_list", _VIDEO_ITEM, item="an object {video_url, refer_type, keep_original_sound}"),
    Forbid("resolution", "no resolution on /v1/videos/omni-video (use mode)", _new_omni_hint),
    Forbid("audio", "no audio on /v1/videos/omni-video (use sound)", _new_omni_hint),
    KnownModel(lambda: [m.name for m in C.OMNI_VIDEO_MODELS], "omni-video"),
    PerModel("mode", value=lambda x: x.mode, of=lambda m: m.modes, rows=_omni_rows, phrase=lambda x: x.mode,
             suggest=False),
    PerModel("duration", value=lambda x: x.duration, of=lambda m: m.durations, rows=_omni_rows,
             phrase=lambda x: _num(x.duration), shown=lambda x: x.p.get("duration")),
    Refuse("duration",
           when=lambda x: not x.row.sound and (not x.p.get("image_list") or _first_frame_only(x))
           and x.duration not in C.OMNI_SHORT_DURATIONS and x.model == "kling-video-o1",
           shown=lambda x: x.p.get("duration"),
           allowed=lambda x: f"{_join(C.OMNI_SHORT_DURATIONS)} on {x.model} for text or first-frame input",
           row=True, reads=("image_list", "video_list")),
    Refuse("sound", when=lambda x: x.sound and not x.row.sound, allowed=lambda x: f"off on {x.model}",
           why=Nearest(_omni_rows, lambda m, x: m.sound, "sound='on'"), row=True),
)  # fmt: skip
"""``/v1/videos/omni-video`` (§2.14)."""


def omni_new_model(name: str) -> VideoModel | None:
    """The omni model whose 2026 name is ``name`` (``kling-3.0-omni``, ``kling-o1``), or None."""
    return next((m for m in C.OMNI_VIDEO_MODELS if m.new_name == name), None)


def _new_name(m: Any) -> str | None:
    return m.new_name or None


def _resolutions(m: Any) -> tuple[str, ...]:
    return tuple(mode_resolution(m, mode) for mode in m.modes)


def _where(x: Ctx) -> str:
    return f"on /omni-video/{x.model}"


def _on_legacy_omni(x: Ctx) -> str:
    return f"use model_name={x.row.name!r} (legacy /v1/videos/omni-video) for it"


def _frames(x: Ctx) -> list[str]:
    return list(x["frames"])


def _twice(kind: str, x: Ctx) -> bool:
    return _frames(x).count(kind) > 1


def _how_many(kind: str, x: Ctx) -> str:
    return f"{_frames(x).count(kind)} {kind} images"


def _untyped(x: Ctx) -> str | None:
    return None if x.p.get("type") else f"untyped reference images are legacy only; {_on_legacy_omni(x)}"


OMNI_VIDEO_NEW_MODEL: tuple[Rule, ...] = (
    Refuse("model_name", when=lambda x: x.row is None, allowed=_join(m.new_name for m in C.OMNI_VIDEO_MODELS if m.new_name),
           why="the 2026 route omni-video-new takes the 2026 model names"),
)  # fmt: skip

OMNI_VIDEO_NEW: tuple[Rule, ...] = (
    Field("prompt", max_len=C.OMNI_NEW_PROMPT_MAX, required=True, where=_where),
    Forbid("negative_prompt", lambda x: f"no negative_prompt {_where(x)}", _on_legacy_omni),
    PerModel("resolution", value=lambda x: x["resolution"], of=_resolutions, rows=_omni_rows,
             phrase=lambda x: str(x["resolution"]), where=_where, name_of=_new_name),
    Field("audio", enum=C.NEW_AUDIO_VALUES, value=lambda x: x["audio"]),
    Refuse("audio", when=lambda x: x["audio"] == "native" and not x.row.sound, shown=lambda x: x["audio"],
           allowed=lambda x: f"off {_where(x)}",
           why=Nearest(_omni_rows, lambda m, x: m.sound, "audio='native'", name_of=_new_name)),
    PerModel("duration", value=lambda x: x.duration, of=lambda m: m.durations, rows=_omni_rows,
             phrase=lambda x: _num(x.duration), shown=lambda x: x.p.get("duration"), where=_where,
             name_of=_new_name),
    Count("video_list", 1, C.OMNI_VIDEO_LIST_MAX),
    Each("video_list", (
        Require("video_url", "a video URL", "each reference video needs video_url"),
        *_VIDEO_ITEM,
    )),
    Each("image_list", (
        Field("type", enum=C.OMNI_IMAGE_LIST_TYPES, value=lambda x: x.p.get("type") or None, always=True,
              where=_where, suggest=_untyped),
    )),
    *(Refuse("image_list", when=partial(_twice, k), shown=partial(_how_many, k), allowed=f"at most one {k}")
      for k in C.OMNI_IMAGE_LIST_TYPES),
    Refuse("image_list", when=lambda x: "end_frame" in _frames(x) and "first_frame" not in _frames(x),
           shown=lambda x: "an end_frame alone", allowed="a first_frame with the end_frame", why=_where),
    Count("element_list", 1, C.ELEMENT_LIST_MAX),
    Refuse("duration",
           when=lambda x: x.row.name in C.OMNI_SHORT_DURATION_MODELS and not x.p.get("video_list")
           and "end_frame" not in _frames(x) and x.duration not in C.OMNI_SHORT_DURATIONS,
           shown=lambda x: x.p.get("duration"),
           allowed=lambda x: f"{_join(C.OMNI_SHORT_DURATIONS)} {_where(x)} for text or first-frame-only input",
           reads=("video_list",)),
    Field("aspect_ratio", enum=C.VIDEO_ASPECT_RATIOS),
    Refuse("aspect_ratio", when=lambda x: x.given("aspect_ratio") and "first_frame" in _frames(x),
           allowed="no aspect_ratio with a first frame", why="the video follows the first frame's shape"),
)  # fmt: skip
"""``POST /omni-video/{model}`` (2026, §2.15 convention; the route's own page is not in the reference): the
legacy omni rules (§2.14, §6.1, §7.4) on the 2026 field names."""


def frames_of(p: Mapping[str, Any]) -> list[str]:
    """The frame types of ``image_list`` items in order ("" for an untyped or malformed item)."""
    items = p.get("image_list")
    items = items if isinstance(items, (list, tuple)) else []
    return [str(item.get("type") or "") if isinstance(item, Mapping) else "" for item in items]
