"""The validation rules: every check made before a request is sent, reading the capability catalog.

Each failure raises :class:`~klingkit._exceptions.ValidationError` naming the field, the value given, what
is allowed and, where the catalog knows one, the nearest model that does allow it (``duration=15 ... allowed
5, 10 on kling-v2-6; kling-v3 allows 15``). Unknown model names pass with a warning (``Checks.warnings``)
unless ``strict``; then they are refused with the known names.

The functions take parameters after :func:`normalize_mode` / :func:`as_duration` / :func:`as_bool`, so
the request builders and the rules agree on one spelling.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn

from . import catalog
from . import catalog as C
from ._exceptions import ValidationError
from .catalog import NewVideoModel, VideoModel

__all__ = [
    "Checks",
    "advanced_lip_sync",
    "as_bool",
    "as_duration",
    "camera_control",
    "effects",
    "expand",
    "identify_face",
    "image_generation",
    "legacy_video",
    "lip_sync",
    "multi_image_to_image",
    "multi_image_to_video",
    "new_omni_video",
    "new_video",
    "omni_image",
    "omni_new_model",
    "omni_video",
    "page",
    "text_to_audio",
    "try_on",
    "tts",
    "video_extend",
    "video_to_audio",
]


def _join(items: Iterable[object]) -> str:
    return ", ".join(str(i) for i in items)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class Checks:
    """Collects warnings and raises errors; ``strict`` turns unknown models into errors."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        """Record a warning (it ends up in ``RequestSpec.warnings``)."""
        if message not in self.warnings:
            self.warnings.append(message)

    @staticmethod
    def fail(field: str, value: object, allowed: object, suggestion: str | None = None) -> NoReturn:
        """Raise the ValidationError for ``field``."""
        raise ValidationError(field, value, allowed, suggestion)

    def one_of(
        self,
        field: str,
        value: object,
        allowed: Sequence[object],
        *,
        where: str = "",
        suggestion: str | None = None,
    ) -> None:
        """``value`` must be one of ``allowed`` (``where`` says for what, e.g. ``on kling-v1``)."""
        if value not in allowed:
            text = _join(allowed) + (f" {where}" if where else "")
            self.fail(field, value, text, suggestion)

    def number(self, field: str, value: object, lo: float, hi: float, *, unit: str = "") -> float:
        """``value`` must be a number in [lo, hi]; returns it as a float."""
        unit_text = f" {unit}" if unit else ""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            self.fail(field, value, f"a number from {_num(lo)} to {_num(hi)}{unit_text}")
        if not lo <= value <= hi:
            self.fail(field, value, f"{_num(lo)} to {_num(hi)}{unit_text}")
        return float(value)

    def integer(self, field: str, value: object, lo: int, hi: int) -> int:
        """``value`` must be an int in [lo, hi]."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, f"an integer from {lo} to {hi}")
        if not lo <= value <= hi:
            self.fail(field, value, f"{lo} to {hi}")
        return value

    def text(
        self, field: str, value: object, max_len: int, *, required: bool = False, where: str = ""
    ) -> str:
        """``value`` must be a string of at most ``max_len`` characters (non-empty when ``required``)."""
        if value is None or value == "":
            if required:
                self.fail(field, value, f"a non-empty text of at most {max_len} characters", "it is required")
            return ""
        if not isinstance(value, str):
            self.fail(field, value, f"a text of at most {max_len} characters")
        if len(value) > max_len:
            shown = f"<{len(value)} characters>"
            self.fail(field, shown, f"at most {max_len} characters" + (f" {where}" if where else ""))
        return value

    def count(self, field: str, items: object, lo: int, hi: int) -> list[Any]:
        """``items`` must be a list of ``lo``..``hi`` entries."""
        if not isinstance(items, (list, tuple)):
            self.fail(field, type(items).__name__, f"a list of {lo} to {hi} items")
        if not lo <= len(items) <= hi:
            got = f"{len(items)} item" + ("" if len(items) == 1 else "s")
            self.fail(field, got, f"{lo} to {hi} items" if lo != hi else f"exactly {lo} items")
        return list(items)

    def exclusive(self, given: Mapping[str, bool], why: str) -> None:
        """At most one of the ``given`` fields may be present."""
        present = [k for k, v in given.items() if v]
        if len(present) > 1:
            self.fail(present[1], "given together with " + present[0], f"only one of {_join(given)}", why)

    def xor(self, a: str, a_given: bool, b: str, b_given: bool) -> None:
        """Exactly one of two fields."""
        if a_given and b_given:
            self.fail(b, f"given together with {a}", f"exactly one of {a}, {b}")
        if not a_given and not b_given:
            self.fail(a, None, f"exactly one of {a}, {b}", "give one of them")

    def known_model(self, field: str, name: str, known: Sequence[str], what: str) -> None:
        """An unknown model warns (or, when strict, fails naming the known ones)."""
        if name in known:
            return
        if self.strict:
            self.fail(
                field, name, _join(known), f"strict mode refuses models the catalog does not know ({what})"
            )
        self.warn(
            f"{field}={name!r} is not in klingkit's catalog for {what} (known: {_join(known)}); sent as given, "
            f"without the model-specific checks (policy {catalog.UNKNOWN_NAME})"
        )


def given(params: Mapping[str, Any], key: str) -> bool:
    """A parameter counts as given unless it is absent, None or an empty string."""
    value = params.get(key)
    return value is not None and value != ""


# --- normalization -------------------------------------------------------------------------------------


def as_bool(field: str, value: object) -> bool:
    """A boolean, accepting ``"true"``/``"false"`` strings (the official multi-shot sample sends strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationError(field, value, "true, false")


def as_mode(value: object, field: str = "mode") -> str:
    """``standard``/``professional`` to ``std``/``pro``."""
    if not isinstance(value, str):
        raise ValidationError(field, value, _join(C.VIDEO_MODES))
    return catalog.normalize_mode(value)


def as_duration(field: str, value: object, *, integer: bool = True) -> float:
    """Seconds from ``5``, ``5.0`` or ``"5"``; whole seconds unless ``integer`` is False."""
    number: float
    if isinstance(value, bool):
        raise ValidationError(field, value, "a number of seconds")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValidationError(field, value, "a number of seconds") from None
    else:
        raise ValidationError(field, value, "a number of seconds")
    if integer and not number.is_integer():
        raise ValidationError(field, value, "whole seconds")
    return number


# --- suggestions ----------------------------------------------------------------------------------------


def _others(
    pred: Callable[[VideoModel], bool], exclude: str, models: tuple[VideoModel, ...] = C.VIDEO_MODELS
) -> list[str]:
    return [n for n in catalog.models_where(pred, models) if n != exclude]


def _suggest(names: list[str], verb_phrase: str) -> str | None:
    if not names:
        return None
    verb = "allows" if len(names) == 1 else "allow"
    return f"{'/'.join(names)} {verb} {verb_phrase}"


def _pairs(pairs: Iterable[tuple[str, int]]) -> str:
    return _join(f"{m} {d} s" for m, d in pairs) or "none"


# --- video (legacy model_name routes) -------------------------------------------------------------------


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
            f"shots summing to {_num(seconds)} s",
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
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=not i2v and not multi)
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
    voices = p.get("voice_list") or []
    elements = p.get("element_list") or []
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
        dyn = p.get("dynamic_masks") or []
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


def lip_sync(p: Mapping[str, Any], c: Checks) -> str:
    """Classic ``/v1/videos/lip-sync`` (§2.5a); returns the audio_type for audio2video ("" otherwise)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))
    mode = p.get("mode")
    c.one_of("mode", mode, C.LIPSYNC_MODES)
    if mode == "text2video":
        c.text("text", p.get("text"), C.LIPSYNC_TEXT_MAX, required=True)
        lang = p.get("voice_language", "zh")
        c.one_of("voice_language", lang, C.VOICE_LANGUAGES)
        voice_id(p, c, lang)
        if given(p, "voice_speed"):
            c.number("voice_speed", p["voice_speed"], *C.VOICE_SPEED)
        for field in ("audio_type", "audio_file", "audio_url"):
            if given(p, field):
                c.fail(
                    field, "given", "no audio with mode text2video", "use mode='audio2video' to sync to audio"
                )
        return ""
    for field in ("text", "voice_id"):
        if given(p, field):
            c.fail(
                field,
                p[field],
                "no text/voice with mode audio2video",
                "use mode='text2video' to speak a text",
            )
    c.xor("audio_file", given(p, "audio_file"), "audio_url", given(p, "audio_url"))
    inferred = "file" if given(p, "audio_file") else "url"
    audio_type = p.get("audio_type") or inferred
    c.one_of("audio_type", audio_type, C.LIPSYNC_AUDIO_TYPES)
    if audio_type != inferred:
        c.fail("audio_type", audio_type, inferred, f"audio_type {audio_type!r} needs audio_{audio_type}")
    return str(audio_type)


def voice_id(p: Mapping[str, Any], c: Checks, lang: str) -> None:
    """A voice id is required; one the catalog lists for no language only warns."""
    vid = c.text("voice_id", p.get("voice_id"), 256, required=True)
    voices = C.VOICES.get(lang, ())
    if vid not in voices:
        other = [la for la, ids in C.VOICES.items() if vid in ids]
        if other:
            c.fail("voice_id", vid, f"a {lang} voice", f"{vid} is a voice for voice_language={other[0]!r}")
        c.warn(
            f"voice_id={vid!r} is not in klingkit's voice list for {lang}; sent as given "
            f"(policy {catalog.UNKNOWN_NAME})"
        )


def identify_face(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/videos/identify-face`` (§2.5b)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))


def advanced_lip_sync(p: Mapping[str, Any], c: Checks) -> float:
    """``/v1/videos/advanced-lip-sync`` (§2.5b); returns the seconds of audio inserted (for pricing)."""
    c.text("session_id", p.get("session_id"), 256, required=True)
    faces = c.count("face_choose", p.get("face_choose"), 1, C.ADVANCED_LIPSYNC_FACES)
    seconds = 0.0
    for i, face in enumerate(faces):
        f = f"face_choose[{i}]"
        if not isinstance(face, Mapping):
            c.fail(f, face, "an object {face_id, audio_id | sound_file, sound_*_time}")
        if face.get("face_id") in (None, ""):
            c.fail(f"{f}.face_id", None, "a face_id from identify-face", "it is required")
        c.xor(f"{f}.audio_id", given(face, "audio_id"), f"{f}.sound_file", given(face, "sound_file"))
        times = {}
        for key in ("sound_start_time", "sound_end_time", "sound_insert_time"):
            value = face.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                c.fail(f"{f}.{key}", value, "a whole number of milliseconds >= 0")
            times[key] = value
        span = times["sound_end_time"] - times["sound_start_time"]
        if span < C.LIPSYNC_MIN_AUDIO_MS:
            c.fail(
                f"{f}.sound_end_time",
                times["sound_end_time"],
                f"at least {C.LIPSYNC_MIN_AUDIO_MS} ms after sound_start_time ({times['sound_start_time']})",
                "the cropped audio must last at least 2 s",
            )
        seconds += span / 1000
        for key in ("sound_volume", "original_audio_volume"):
            if given(face, key):
                c.number(f"{f}.{key}", face[key], *C.SOUND_VOLUME)
    return seconds


def effects(p: Mapping[str, Any], c: Checks) -> bool:
    """``/v1/videos/effects`` (§2.6); returns True for a dual-image scene."""
    scene = c.text("effect_scene", p.get("effect_scene"), 128, required=True)
    dual = scene in C.DUAL_IMAGE_EFFECTS or scene in C.LEGACY_DUAL_EFFECTS
    if scene in C.LEGACY_DUAL_EFFECTS:
        c.fail("effect_scene", scene, f"{scene}_pro", "the 2025 two-person scenes were retired on 2026-01-30")
    if scene not in C.DUAL_IMAGE_EFFECTS and scene not in C.SINGLE_IMAGE_EFFECTS:
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
    images = p.get("image_list") or []
    for i, item in enumerate(images):
        if isinstance(item, Mapping) and given(item, "type"):
            c.one_of(f"image_list[{i}].type", item["type"], C.OMNI_IMAGE_LIST_TYPES)
    videos = p.get("video_list") or []
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
    videos = p.get("video_list") or []
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


# --- images ---------------------------------------------------------------------------------------------


def _n(p: Mapping[str, Any], c: Checks) -> int:
    return c.integer("n", p.get("n", 1), C.N_MIN, C.N_MAX)


def image_generation(p: Mapping[str, Any], c: Checks, *, model: str) -> int:
    """``/v1/images/generations`` (§2.7); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=True)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    has_image = given(p, "image")
    if has_image and given(p, "negative_prompt"):
        c.fail(
            "negative_prompt",
            p["negative_prompt"],
            "no negative_prompt with image",
            "negative_prompt is text-to-image only",
        )
    ref = p.get("image_reference")
    if given(p, "image_reference"):
        c.one_of("image_reference", ref, C.IMAGE_REFERENCES)
        if not has_image:
            c.fail(
                "image", None, "an image with image_reference", "image_reference needs the reference image"
            )
    if given(p, "image_fidelity"):
        c.number("image_fidelity", p["image_fidelity"], 0, 1)
    if given(p, "human_fidelity"):
        c.number("human_fidelity", p["human_fidelity"], 0, 1)
        if ref != "subject":
            c.warn("human_fidelity has no effect without image_reference='subject'; sent as given")
    if given(p, "resolution"):
        c.one_of("resolution", p["resolution"], C.IMAGE_RESOLUTIONS)
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.IMAGE_ASPECT_RATIOS)
    elements = p.get("element_list") or []
    if elements:
        c.count("element_list", elements, 1, C.IMAGE_ELEMENTS_MAX - int(has_image))
    known = [m.name for m in C.IMAGE_MODELS]
    m = catalog.image_model(model)
    if m is None:
        c.known_model("model_name", model, known, "image generation")
        return n

    def others(pred: Callable[[catalog.ImageModel], bool]) -> list[str]:
        return [o.name for o in C.IMAGE_MODELS if pred(o) and o.name != model]

    if has_image and not m.image_to_image:
        c.fail(
            "image",
            "an image",
            f"no image input on {model}",
            _suggest(others(lambda o: o.image_to_image), "image input"),
        )
    if not has_image and not m.text_to_image:
        c.fail(
            "model_name",
            model,
            _join(others(lambda o: o.text_to_image)),
            f"{model} needs an input image (image-to-image only)",
        )
    if given(p, "image_reference") and not m.image_reference:
        c.fail(
            "image_reference",
            ref,
            f"no image_reference on {model}",
            _suggest(others(lambda o: o.image_reference), "image_reference"),
        )
    for field in ("image_fidelity", "human_fidelity"):
        if given(p, field) and not m.fidelity:
            # Decision "fidelity": accepted everywhere (clients send it by default), used by few models.
            users = _suggest(others(lambda o: o.fidelity), field)
            c.warn(f"{field} has no effect on {model}; sent as given" + (f" ({users})" if users else ""))
    if given(p, "resolution") and p["resolution"] not in m.resolutions:
        res = p["resolution"]
        c.fail(
            "resolution",
            res,
            f"{_join(m.resolutions)} on {model}",
            _suggest(others(lambda o: res in o.resolutions), res),
        )
    if given(p, "aspect_ratio") and p["aspect_ratio"] not in m.aspect_ratios:
        ar = p["aspect_ratio"]
        c.fail(
            "aspect_ratio",
            ar,
            f"{_join(m.aspect_ratios)} on {model}",
            _suggest(others(lambda o: ar in o.aspect_ratios), ar),
        )
    if elements and not m.elements:
        c.fail(
            "element_list",
            f"{len(elements)} elements",
            f"no element_list on {model}",
            _suggest(others(lambda o: o.elements), "element_list"),
        )
    return n


def multi_image_to_image(p: Mapping[str, Any], c: Checks, *, model: str) -> int:
    """``/v1/images/multi-image2image`` (§2.8); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    c.count("subject_image_list", p.get("subject_image_list"), C.SUBJECT_IMAGES_MIN, C.SUBJECT_IMAGES_MAX)
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.IMAGE_ASPECT_RATIOS)
    c.known_model("model_name", model, C.MULTI_IMAGE_TO_IMAGE_MODELS, "multi-image-to-image")
    return n


def expand(p: Mapping[str, Any], c: Checks) -> int:
    """``/v1/images/editing/expand`` (§2.9); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    if not given(p, "image"):
        c.fail("image", None, "an image to expand", "image is required")
    r = {}
    for side in ("up", "down", "left", "right"):
        field = f"{side}_expansion_ratio"
        if field not in p:
            c.fail(
                field,
                None,
                f"{_num(C.EXPAND_RATIO_MIN)} to {_num(C.EXPAND_RATIO_MAX)}",
                "all four ratios are required",
            )
        r[side] = c.number(field, p[field], C.EXPAND_RATIO_MIN, C.EXPAND_RATIO_MAX)
    area = (1 + r["up"] + r["down"]) * (1 + r["left"] + r["right"])
    if area > C.EXPAND_AREA_MAX + 1e-3:
        c.fail(
            "expansion ratios",
            f"area x{area:.2f}",
            f"a new image at most {_num(C.EXPAND_AREA_MAX)}x the original area",
            "(1 + up + down) x (1 + left + right) must not exceed 3",
        )
    return n


def try_on(p: Mapping[str, Any], c: Checks, *, solution: bool) -> None:
    """Virtual try-on, legacy (§2.10a) or the 2026 solution (§2.10b)."""
    if solution:
        for field in ("person_image", "product_image"):
            if not given(p, field):
                c.fail(field, None, "an image", f"{field} is required for the try-on solution")
        for field in ("human_image", "cloth_image", "model_name"):
            if given(p, field):
                c.fail(
                    field,
                    "given",
                    "person_image, product_image, keep_face/keep_pose/keep_background",
                    f"{field} belongs to the legacy kolors try-on",
                )
        for field in C.TRYON_SOLUTION_SETTINGS:
            if given(p, field):
                as_bool(field, p[field])
        return
    for field in ("human_image", "cloth_image"):
        if not given(p, field):
            c.fail(field, None, "an image", f"{field} is required")
    for field in C.TRYON_SOLUTION_SETTINGS:
        if given(p, field):
            c.fail(
                field,
                p[field],
                "only with the 2026 try-on solution",
                "pass solution=True (person_image, product_image)",
            )
    model = p.get("model_name") or C.DEFAULT_MODELS["kolors-virtual-try-on"]
    c.known_model("model_name", model, C.TRYON_MODELS, "virtual try-on")


def omni_image(p: Mapping[str, Any], c: Checks, *, model: str) -> int | None:
    """``/v1/images/omni-image`` (§2.14); the number of images billed (None: a series of auto length)."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=True)
    result_type = p.get("result_type", "single")
    c.one_of("result_type", result_type, C.OMNI_IMAGE_RESULT_TYPES)
    count: int | None = n
    amount = p.get("series_amount", "auto") if given(p, "series_amount") else "auto"
    if amount != "auto":
        amount = c.integer("series_amount", amount, *C.OMNI_SERIES_AMOUNT)
    if result_type == "series":
        count = None if amount == "auto" else int(amount)
    elif given(p, "series_amount"):
        # Decision "series_amount": ignored (not refused) outside a series.
        c.warn("series_amount is ignored without result_type='series'; sent as given")
    if given(p, "resolution"):
        c.one_of("resolution", p["resolution"], C.IMAGE_RESOLUTIONS)
    m = catalog.omni_image_model(model)
    if m is None:
        c.known_model("model_name", model, [o.name for o in C.OMNI_IMAGE_MODELS], "omni-image")
        if given(p, "aspect_ratio"):
            c.one_of("aspect_ratio", p["aspect_ratio"], (*C.IMAGE_ASPECT_RATIOS, "auto"))
        return count
    if given(p, "resolution") and p["resolution"] not in m.resolutions:
        res = p["resolution"]
        others = [o.name for o in C.OMNI_IMAGE_MODELS if res in o.resolutions and o.name != model]
        c.fail("resolution", res, f"{_join(m.resolutions)} on {model}", _suggest(others, res))
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], m.aspect_ratios, where=f"on {model}")
    return count


# --- audio ----------------------------------------------------------------------------------------------


def text_to_audio(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/audio/text-to-audio`` (§2.11): prompt <= 200, duration 3.0..10.0 s (one decimal)."""
    c.text("prompt", p.get("prompt"), C.TEXT_TO_AUDIO_PROMPT_MAX, required=True)
    if "duration" not in p:
        c.fail(
            "duration",
            None,
            f"{_num(C.TEXT_TO_AUDIO_DURATION[0])} to {_num(C.TEXT_TO_AUDIO_DURATION[1])} seconds",
            "it is required",
        )
    d = c.number("duration", p["duration"], *C.TEXT_TO_AUDIO_DURATION, unit="seconds")
    if round(d, C.TEXT_TO_AUDIO_DECIMALS) != d:
        c.fail("duration", p["duration"], "seconds with at most one decimal")


def video_to_audio(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/audio/video-to-audio`` (§2.11)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))
    c.text("sound_effect_prompt", p.get("sound_effect_prompt"), C.VIDEO_TO_AUDIO_PROMPT_MAX)
    c.text("bgm_prompt", p.get("bgm_prompt"), C.VIDEO_TO_AUDIO_PROMPT_MAX)
    if given(p, "asmr_mode"):
        as_bool("asmr_mode", p["asmr_mode"])


def tts(p: Mapping[str, Any], c: Checks) -> str:
    """``/v1/audio/tts`` (§2.11); returns the voice language."""
    c.text("text", p.get("text"), C.TTS_TEXT_MAX, required=True)
    lang = p.get("voice_language") or "zh"
    c.one_of("voice_language", lang, C.VOICE_LANGUAGES)
    voice_id(p, c, lang)
    if given(p, "voice_speed"):
        c.number("voice_speed", p["voice_speed"], *C.VOICE_SPEED)
    return str(lang)


# --- listing --------------------------------------------------------------------------------------------


def page(page_num: int, page_size: int) -> None:
    """Legacy list queries: ``pageNum`` 1..1000, ``pageSize`` 1..500."""
    c = Checks()
    c.integer("page", page_num, *C.PAGE_NUM)
    c.integer("page_size", page_size, *C.PAGE_SIZE)
