"""JSON Schema fragments built from the catalog: the allowed values an agent (or a person) sees.

This is the one place the operation registry reads catalog tables, so that when the catalog's public
``describe`` door lands only this module changes. Nothing here restates a fact: every enum, range and
default below is read from :mod:`klingkit.catalog`.
"""

from __future__ import annotations

from typing import Any

from klingkit import catalog

__all__ = [
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_VIDEO_MODEL",
    "boolean",
    "enum",
    "image_models",
    "number",
    "text",
    "video_durations",
    "video_models",
]

DEFAULT_VIDEO_MODEL = "kling-v2-6"
"""The video model an operation uses when none is given (the CLI's ``--model`` default too)."""
DEFAULT_IMAGE_MODEL = "kling-v2-1"
"""The image model an operation uses when none is given."""

MEDIA = "a local file path or an http(s) URL"


def enum(values: Any, description: str, default: Any = None) -> dict[str, Any]:
    """A string (or integer) enum; the type follows the values."""
    values = list(dict.fromkeys(values))
    kind = "integer" if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else "string"
    out: dict[str, Any] = {"type": kind, "enum": values, "description": description}
    if default is not None:
        out["default"] = default
    return out


def number(
    description: str,
    low: float | None = None,
    high: float | None = None,
    default: float | None = None,
    *,
    integer: bool = False,
) -> dict[str, Any]:
    """A number with an optional inclusive range."""
    out: dict[str, Any] = {"type": "integer" if integer else "number", "description": description}
    if low is not None:
        out["minimum"] = low
    if high is not None:
        out["maximum"] = high
    if default is not None:
        out["default"] = default
    return out


def text(description: str, max_length: int | None = None) -> dict[str, Any]:
    """A string, with the catalog's length limit when there is one."""
    out: dict[str, Any] = {"type": "string", "description": description}
    if max_length is not None:
        out["maxLength"] = max_length
    return out


def boolean(description: str, default: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "boolean", "description": description}
    if default is not None:
        out["default"] = default
    return out


def media(description: str) -> dict[str, Any]:
    return text(f"{description} ({MEDIA}).")


def array(items: dict[str, Any], low: int | None = None, high: int | None = None) -> dict[str, Any]:
    """A list of ``items`` with an optional inclusive length range."""
    out: dict[str, Any] = {"type": "array", "items": items}
    if low is not None:
        out["minItems"] = low
    if high is not None:
        out["maxItems"] = high
    return out


# --- catalog readers -------------------------------------------------------------------------------


def video_models() -> list[str]:
    """Video models for text/image-to-video: the legacy names, the 2026 route names, then Kling 4.0."""
    legacy = [m.name for m in catalog.VIDEO_MODELS if m.text_to_video or m.image_to_video]
    return legacy + [m.name for m in catalog.NEW_VIDEO_MODELS] + list(catalog.kling4.MODELS)


def video_durations() -> list[int]:
    """Every duration (s) some video model accepts; the chosen model's own list is checked on the call."""
    found = {d for m in catalog.VIDEO_MODELS for d in m.durations}
    found |= {d for m in catalog.NEW_VIDEO_MODELS for d in m.durations}
    for k4 in catalog.kling4.MODELS.values():
        found |= set(range(k4.durations[0], k4.durations[1] + 1))
    return sorted(found)


def video_modes() -> list[str]:
    return list(catalog.VIDEO_MODES)


def mode_aliases() -> list[str]:
    """Other names of the modes a request may use (standard, professional), for the CLI."""
    return [a for a in catalog.MODE_ALIASES if a not in catalog.VIDEO_MODES]


def video_aspect_ratios() -> list[str]:
    return list(catalog.VIDEO_ASPECT_RATIOS)


def camera_presets() -> list[str]:
    return list(catalog.CAMERA_PRESETS)


def camera_control(preset: str) -> dict[str, Any]:
    """The ``camera_control`` object a preset name stands for."""
    return dict(catalog.CAMERA_PRESETS[preset])


def mode_resolution(mode: str) -> str:
    """The 2026 routes' resolution for a legacy mode name (std -> 720p)."""
    return catalog.resolution_for_mode(mode)


def image_models() -> list[str]:
    """The image models: the legacy ones, then Image 4.0 and Long Image 4.0."""
    return [m.name for m in catalog.IMAGE_MODELS] + list(catalog.image4.MODELS)


def image_aspect_ratios() -> list[str]:
    """Every aspect ratio some image model takes (Image 4.0 adds auto, 21:9); each model's own are checked."""
    return list(dict.fromkeys([*catalog.IMAGE_ASPECT_RATIOS, *catalog.image4.ASPECT_RATIOS]))


def image_resolutions() -> list[str]:
    return list(catalog.IMAGE_RESOLUTIONS)


def image_references() -> list[str]:
    return list(catalog.IMAGE_REFERENCES)


def image_count() -> tuple[int, int]:
    return catalog.N_MIN, catalog.N_MAX


def cfg_range() -> tuple[float, float]:
    return catalog.CFG_MIN, catalog.CFG_MAX


def cfg_models() -> str:
    """The video models that take cfg_scale, as one phrase."""
    return ", ".join(m.name for m in catalog.VIDEO_MODELS if m.cfg_scale)


def prompt_max() -> int:
    return catalog.PROMPT_MAX


def text_to_audio() -> tuple[int, tuple[float, float]]:
    """(prompt length limit, (shortest, longest) seconds) of text-to-audio."""
    return catalog.TEXT_TO_AUDIO_PROMPT_MAX, catalog.TEXT_TO_AUDIO_DURATION


def video_to_audio_prompt_max() -> int:
    return catalog.VIDEO_TO_AUDIO_PROMPT_MAX


def tts_text_max() -> int:
    return catalog.TTS_TEXT_MAX


def lipsync_text_max() -> int:
    return catalog.LIPSYNC_TEXT_MAX


def voices() -> list[str]:
    return [v for ids in catalog.VOICES.values() for v in ids]


def voice_languages() -> list[str]:
    return list(catalog.VOICE_LANGUAGES)


def voice_speed() -> tuple[float, float]:
    return catalog.VOICE_SPEED


def effect_scenes() -> list[str]:
    return [*catalog.SINGLE_IMAGE_EFFECTS, *catalog.DUAL_IMAGE_EFFECTS]


def tryon_models() -> list[str]:
    return list(catalog.TRYON_MODELS)


def task_statuses() -> list[str]:
    """The statuses a ledger row can have (the ledger's own words)."""
    return ["pending", "submitted", "processing", "succeeded", "failed", "rejected", "unknown"]


def library() -> tuple[int, int, tuple[int, int], list[str]]:
    """(name limit, description limit, (fewest, most) element references, element types) of the library."""
    lib = catalog.library
    return lib.NAME_MAX, lib.DESCRIPTION_MAX, lib.ELEMENT_REFERENCES, list(lib.ELEMENT_TYPES)


def multi_image_max() -> int:
    """Most images a multi-image-to-video request takes."""
    return catalog.MULTI_IMAGE_VIDEO_MAX


def keyframes_max() -> int:
    """Most middle keyframes a Kling 4.0 model takes."""
    return max(m.keyframes_middle_max for m in catalog.kling4.MODELS.values())


def avatar() -> tuple[list[str], int]:
    """(modes, prompt length limit) of the talking-portrait (avatar) route."""
    return list(catalog.drive.AVATAR_MODES), catalog.drive.AVATAR_PROMPT_MAX


def motion() -> tuple[list[str], str, list[str], list[str], int]:
    """(models, default model, modes, character orientations, prompt limit) of motion control."""
    d = catalog.drive
    return (
        list(d.MOTION_MODELS),
        d.MOTION_DEFAULT_MODEL,
        list(d.MOTION_MODES),
        list(d.MOTION_ORIENTATIONS),
        d.MOTION_PROMPT_MAX,
    )


def model_kinds() -> list[str]:
    """What ``models`` can list: video models, image models, or all (the default, last)."""
    return ["video", "image", "all"]


def usd_per_unit() -> dict[str, float]:
    return dict(catalog.USD_PER_UNIT)


def models_overview(kind: str = "all") -> dict[str, Any]:
    """What can be asked for, offline: models, their modes/durations/resolutions and unit prices
    (``kind`` video or image: only those models)."""
    video = [
        {
            "name": m.name,
            "text_to_video": m.text_to_video,
            "image_to_video": m.image_to_video,
            "modes": list(m.modes),
            "durations": list(m.durations),
            "sound_modes": list(m.sound_modes),
            "multi_shot": m.multi_shot,
            "units_per_second": m.price,
        }
        for m in catalog.VIDEO_MODELS
    ]
    video += [
        {
            "name": n.name,
            "route": "2026",
            "text_to_video": n.text_to_video,
            "image_to_video": n.image_to_video,
            "resolutions": list(n.resolutions),
            "durations": list(n.durations),
            "audio": list(n.audio),
            "priced_like": n.price_row,
        }
        for n in catalog.NEW_VIDEO_MODELS
    ]
    video += [
        {
            "name": k4.name,
            "route": "2026 (Kling 4.0)",
            "durations": list(range(k4.durations[0], k4.durations[1] + 1)),
            "resolutions": list(k4.resolutions),
            "usd_per_second": k4.usd_per_second,
        }
        for k4 in catalog.kling4.MODELS.values()
    ]
    image = [
        {
            "name": m.name,
            "aspect_ratios": list(m.aspect_ratios),
            "resolutions": list(m.resolutions),
            "units_per_image": {"text": m.price_t2i, "image": m.price_i2i},
        }
        for m in catalog.IMAGE_MODELS
    ]
    if kind == "image":
        video = []
    elif kind == "video":
        image = []
    return {
        "video_models": video,
        "image_models": image,
        "tryon_models": tryon_models(),
        "effect_scenes": effect_scenes(),
        "camera_presets": camera_presets(),
        "voices": {lang: list(ids) for lang, ids in catalog.VOICES.items()},
        "usd_per_unit": usd_per_unit(),
    }


# --- the 2026-H2 operations (editing, recognition, multi-shot, expand, omni image, Kling 4.0 omni) ---------


def suggest(values: Any, description: str) -> dict[str, Any]:
    """A string whose known values are ``examples``, not an ``enum``: other values (a custom voice id, an
    effect scene added in the user's effects file) are judged when the call is made."""
    return {"type": "string", "description": description, "examples": list(dict.fromkeys(values))}


def edit() -> Any:
    """The multi-element editing facts (``catalog.edit``)."""
    return catalog.edit


def recognize_kinds() -> list[str]:
    return list(catalog.recognize.KINDS)


def expand_ratio() -> tuple[float, float]:
    """The share of a side an outpainting may add (inclusive)."""
    return catalog.EXPAND_RATIO_MIN, catalog.EXPAND_RATIO_MAX


def omni_image_models() -> tuple[list[str], str]:
    """(models, default) of omni image: the omni models, then Image 4.0 and Long Image 4.0."""
    names = [m.name for m in catalog.OMNI_IMAGE_MODELS] + list(catalog.image4.MODELS)
    return names, catalog.DEFAULT_MODELS["omni-image"]


def omni_image_ratios() -> list[str]:
    found = [r for m in catalog.OMNI_IMAGE_MODELS for r in m.aspect_ratios]
    return list(dict.fromkeys([*found, *catalog.image4.ASPECT_RATIOS]))


def omni_image_resolutions() -> list[str]:
    return list(dict.fromkeys([*catalog.IMAGE_RESOLUTIONS, *catalog.image4.RESOLUTIONS]))


def omni_image4() -> Any:
    """The Image 4.0 / Long Image 4.0 facts (series range, skills, the Long Image model)."""
    return catalog.image4


def kling4() -> Any:
    """The Kling 4.0 facts (models, durations, aspect ratios, omni input limits)."""
    return catalog.kling4


def kling4_durations() -> tuple[int, int]:
    """The shortest and longest seconds some Kling 4.0 model takes; the chosen model's own are checked."""
    models = catalog.kling4.MODELS.values()
    return min(m.durations[0] for m in models), max(m.durations[1] for m in models)


def kling4_modes() -> list[str]:
    """The modes whose resolution some Kling 4.0 model renders (std 720p, pro 1080p)."""
    made = {r for m in catalog.kling4.MODELS.values() for r in m.resolutions}
    return [m for m in catalog.VIDEO_MODES if catalog.resolution_for_mode(m) in made]


def tryon_settings() -> dict[str, tuple[bool, str]]:
    """Try-On 3.0's settings: name -> (default, what it keeps)."""
    return dict(catalog.tryon.SETTINGS)


def tryon_garments() -> str:
    """What a garment photo may show (Try-On 3.0), as one phrase."""
    return "; ".join(f"{k}: {v}" for k, v in catalog.tryon.GARMENT_PHOTOS.items())


def effect_scene_known(name: str) -> bool:
    """Whether ``name`` is a scene of the effects data as it is now (the packaged file and the user's
    ``$KLINGKIT_EFFECTS`` read again, so scenes added while a server runs count)."""
    catalog.effect_scenes.reload()
    return bool(catalog.effect_scenes.scene(name).known)


def effect_scene_names() -> list[str]:
    """Every scene of the effects data as it is now (packaged + the user's file)."""
    catalog.effect_scenes.reload()
    return [s.name for s in catalog.effect_scenes.scenes() if not s.retired]
