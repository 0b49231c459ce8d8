"""The capability catalog: models, modes, durations, limits, prices and routes, in one place.

The client validates and prices requests with it, the CLI builds its choices and help from it, and the
sandbox enforces and bills by it. It imports nothing from the rest of klingkit.

Units: durations in seconds, prices in resource-pack units (``units``) and US dollars (``usd``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from . import _kling4 as kling4
from ._data import (
    ACCOUNT_COSTS_PATH,
    ADVANCED_LIPSYNC_FACES,
    AUDIO_FORMATS,
    AUDIO_MAX_BYTES,
    BILLING_BALANCE_PATH,
    BILLING_LIMIT,
    BILLING_PACKAGE_PATH,
    CAMERA_AXES,
    CAMERA_AXIS_MAX,
    CAMERA_AXIS_MIN,
    CAMERA_PRESETS,
    CAMERA_TYPES,
    CFG_MAX,
    CFG_MIN,
    DEFAULT_MODELS,
    DEFAULT_MODES,
    DEFAULT_REGION,
    DEFAULT_VIDEO_DURATION,
    DUAL_IMAGE_EFFECTS,
    DYNAMIC_MASKS_MAX,
    ELEMENT_LIST_MAX,
    ENDPOINTS,
    ERROR_CODES,
    EXPAND_AREA_MAX,
    EXPAND_RATIO_MAX,
    EXPAND_RATIO_MIN,
    FLAT_PRICES,
    IMAGE_ASPECT_MAX,
    IMAGE_ASPECT_MIN,
    IMAGE_ASPECT_RATIOS,
    IMAGE_ELEMENTS_MAX,
    IMAGE_FORMATS,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_BYTES_NEW,
    IMAGE_MIN_SIDE,
    IMAGE_MODELS,
    IMAGE_REFERENCES,
    IMAGE_RESOLUTIONS,
    LEGACY_DUAL_EFFECTS,
    LIPSYNC_AUDIO_TYPES,
    LIPSYNC_MIN_AUDIO_MS,
    LIPSYNC_MODES,
    LIPSYNC_TEXT_MAX,
    MODE_ALIASES,
    MODE_RESOLUTION,
    MULTI_IMAGE_TO_IMAGE_MODELS,
    MULTI_IMAGE_TO_VIDEO_MODELS,
    MULTI_IMAGE_VIDEO_MAX,
    MULTI_PROMPT_ITEM_MAX,
    MULTI_SHOT_MAX,
    N_MAX,
    N_MIN,
    NEGATIVE_PROMPT_MAX,
    NEW_AUDIO_VALUES,
    NEW_ONLY_PRICES,
    NEW_TASKS_PATH,
    NEW_VIDEO_MODELS,
    OMNI_IMAGE_LIST_TYPES,
    OMNI_IMAGE_MODELS,
    OMNI_IMAGE_RESULT_TYPES,
    OMNI_KEEP_SOUND,
    OMNI_NEW_CONTENT_TYPES,
    OMNI_NEW_DEFAULT_RESOLUTION,
    OMNI_NEW_PROMPT_MAX,
    OMNI_REFERENCE_VIDEO_SECONDS,
    OMNI_SERIES_AMOUNT,
    OMNI_SHORT_DURATION_MODELS,
    OMNI_SHORT_DURATIONS,
    OMNI_VIDEO_LIST_MAX,
    OMNI_VIDEO_MODELS,
    OMNI_VIDEO_REFER_TYPES,
    PAGE_NUM,
    PAGE_SIZE,
    PROMPT_MAX,
    PROMPT_MAX_V3_NEW,
    REGIONS,
    RESOLUTION_HEIGHT,
    RETENTION_DAYS,
    RISK_CONTROL_MESSAGE,
    SHOT_TYPES,
    SINGLE_IMAGE_EFFECTS,
    SOLUTIONS_PATH,
    SOUND_VALUES,
    SOUND_VOLUME,
    SUBJECT_IMAGES_MAX,
    SUBJECT_IMAGES_MIN,
    TASKS_LIST_LIMIT,
    TASKS_QUERY_IDS_MAX,
    TEXT_TO_AUDIO_DECIMALS,
    TEXT_TO_AUDIO_DURATION,
    TEXT_TO_AUDIO_PROMPT_MAX,
    TRAJECTORY_POINTS_MAX,
    TRAJECTORY_POINTS_MIN,
    TRYON_MODELS,
    TRYON_SOLUTION_FORMATS,
    TRYON_SOLUTION_LONG_SIDE_MAX,
    TRYON_SOLUTION_SETTINGS,
    TTS_TEXT_MAX,
    USD_PER_UNIT,
    VIDEO_ASPECT_RATIOS,
    VIDEO_FORMATS,
    VIDEO_INPUT_MAX_BYTES,
    VIDEO_MODELS,
    VIDEO_MODES,
    VIDEO_TO_AUDIO_DURATION,
    VIDEO_TO_AUDIO_PROMPT_MAX,
    VOICE_LANGUAGES,
    VOICE_LIST_MAX,
    VOICE_SPEED,
    VOICES,
)
from ._policies import (
    DECISIONS,
    EXTENDABLE_MODELS,
    POLICIES,
    SERVER_STATE,
    UNDOCUMENTED_FIELD,
    UNKNOWN_NAME,
    Decision,
    Policy,
)
from ._timing import image_seconds, task_seconds, typical_seconds, video_seconds
from ._types import Endpoint, ImageModel, NewVideoModel, VideoModel

__all__ = [
    "ACCOUNT_COSTS_PATH",
    "ADVANCED_LIPSYNC_FACES",
    "AUDIO_FORMATS",
    "AUDIO_MAX_BYTES",
    "BILLING_BALANCE_PATH",
    "BILLING_LIMIT",
    "BILLING_PACKAGE_PATH",
    "CAMERA_AXES",
    "CAMERA_AXIS_MAX",
    "CAMERA_AXIS_MIN",
    "CAMERA_PRESETS",
    "CAMERA_TYPES",
    "CFG_MAX",
    "CFG_MIN",
    "DECISIONS",
    "DEFAULT_MODELS",
    "DEFAULT_MODES",
    "DEFAULT_REGION",
    "DEFAULT_VIDEO_DURATION",
    "DUAL_IMAGE_EFFECTS",
    "DYNAMIC_MASKS_MAX",
    "ELEMENT_LIST_MAX",
    "ENDPOINTS",
    "ERROR_CODES",
    "EXPAND_AREA_MAX",
    "EXPAND_RATIO_MAX",
    "EXPAND_RATIO_MIN",
    "EXTENDABLE_MODELS",
    "FLAT_PRICES",
    "IMAGE_ASPECT_MAX",
    "IMAGE_ASPECT_MIN",
    "IMAGE_ASPECT_RATIOS",
    "IMAGE_ELEMENTS_MAX",
    "IMAGE_FORMATS",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_BYTES_NEW",
    "IMAGE_MIN_SIDE",
    "IMAGE_MODELS",
    "IMAGE_REFERENCES",
    "IMAGE_RESOLUTIONS",
    "LEGACY_DUAL_EFFECTS",
    "LIPSYNC_AUDIO_TYPES",
    "LIPSYNC_MIN_AUDIO_MS",
    "LIPSYNC_MODES",
    "LIPSYNC_TEXT_MAX",
    "MODE_ALIASES",
    "MODE_RESOLUTION",
    "MULTI_IMAGE_TO_IMAGE_MODELS",
    "MULTI_IMAGE_TO_VIDEO_MODELS",
    "MULTI_IMAGE_VIDEO_MAX",
    "MULTI_PROMPT_ITEM_MAX",
    "MULTI_SHOT_MAX",
    "NEGATIVE_PROMPT_MAX",
    "NEW_AUDIO_VALUES",
    "NEW_ONLY_PRICES",
    "NEW_TASKS_PATH",
    "NEW_VIDEO_MODELS",
    "N_MAX",
    "N_MIN",
    "OMNI_IMAGE_LIST_TYPES",
    "OMNI_IMAGE_MODELS",
    "OMNI_IMAGE_RESULT_TYPES",
    "OMNI_KEEP_SOUND",
    "OMNI_NEW_CONTENT_TYPES",
    "OMNI_NEW_DEFAULT_RESOLUTION",
    "OMNI_NEW_PROMPT_MAX",
    "OMNI_REFERENCE_VIDEO_SECONDS",
    "OMNI_SERIES_AMOUNT",
    "OMNI_SHORT_DURATIONS",
    "OMNI_SHORT_DURATION_MODELS",
    "OMNI_VIDEO_LIST_MAX",
    "OMNI_VIDEO_MODELS",
    "OMNI_VIDEO_REFER_TYPES",
    "PAGE_NUM",
    "PAGE_SIZE",
    "POLICIES",
    "PROMPT_MAX",
    "PROMPT_MAX_V3_NEW",
    "REGIONS",
    "RESOLUTION_HEIGHT",
    "RETENTION_DAYS",
    "RISK_CONTROL_MESSAGE",
    "SERVER_STATE",
    "SHOT_TYPES",
    "SINGLE_IMAGE_EFFECTS",
    "SOLUTIONS_PATH",
    "SOUND_VALUES",
    "SOUND_VOLUME",
    "SUBJECT_IMAGES_MAX",
    "SUBJECT_IMAGES_MIN",
    "TASKS_LIST_LIMIT",
    "TASKS_QUERY_IDS_MAX",
    "TEXT_TO_AUDIO_DECIMALS",
    "TEXT_TO_AUDIO_DURATION",
    "TEXT_TO_AUDIO_PROMPT_MAX",
    "TRAJECTORY_POINTS_MAX",
    "TRAJECTORY_POINTS_MIN",
    "TRYON_MODELS",
    "TRYON_SOLUTION_FORMATS",
    "TRYON_SOLUTION_LONG_SIDE_MAX",
    "TRYON_SOLUTION_SETTINGS",
    "TTS_TEXT_MAX",
    "UNDOCUMENTED_FIELD",
    "UNKNOWN_NAME",
    "USD_PER_UNIT",
    "VIDEO_ASPECT_RATIOS",
    "VIDEO_FORMATS",
    "VIDEO_INPUT_MAX_BYTES",
    "VIDEO_MODELS",
    "VIDEO_MODES",
    "VIDEO_TO_AUDIO_DURATION",
    "VIDEO_TO_AUDIO_PROMPT_MAX",
    "VOICES",
    "VOICE_LANGUAGES",
    "VOICE_LIST_MAX",
    "VOICE_SPEED",
    "Decision",
    "Endpoint",
    "Estimate",
    "ImageModel",
    "NewVideoModel",
    "Policy",
    "VideoModel",
    "audio_for_sound",
    "endpoint",
    "flat_price",
    "image_model",
    "image_seconds",
    "image_size",
    "kling4",
    "mode_resolution",
    "model_names",
    "models_where",
    "new_video_model",
    "new_video_price",
    "normalize_mode",
    "omni_image_model",
    "omni_video_model",
    "resolution_for_mode",
    "rules",
    "takes_external_id",
    "task_seconds",
    "typical_seconds",
    "usd",
    "video_model",
    "video_price",
    "video_seconds",
    "video_size",
]

_VIDEO = {m.name: m for m in VIDEO_MODELS}
_OMNI_VIDEO = {m.name: m for m in OMNI_VIDEO_MODELS}
_NEW_VIDEO = {m.name: m for m in NEW_VIDEO_MODELS}
_IMAGE = {m.name: m for m in IMAGE_MODELS}
_OMNI_IMAGE = {m.name: m for m in OMNI_IMAGE_MODELS}


def video_model(name: str) -> VideoModel | None:
    """The legacy video model called ``name`` (``kling-v2-6``), or None when the catalog lacks it."""
    return _VIDEO.get(name)


def omni_video_model(name: str) -> VideoModel | None:
    """The omni-video model called ``name`` (``kling-video-o1``, ``kling-v3-omni``)."""
    return _OMNI_VIDEO.get(name)


def new_video_model(name: str) -> NewVideoModel | None:
    """The 2026-route model called ``name`` (``kling-3.0``)."""
    return _NEW_VIDEO.get(name)


def image_model(name: str) -> ImageModel | None:
    """The ``/v1/images/generations`` model called ``name``."""
    return _IMAGE.get(name)


def omni_image_model(name: str) -> ImageModel | None:
    """The ``/v1/images/omni-image`` model called ``name``."""
    return _OMNI_IMAGE.get(name)


def endpoint(feature: str) -> Endpoint:
    """The route record for ``feature`` (a key of :data:`ENDPOINTS`); KeyError if unknown."""
    return ENDPOINTS[feature]


def models_where(
    predicate: Callable[[VideoModel], bool], models: tuple[VideoModel, ...] = VIDEO_MODELS
) -> list[str]:
    """Names of the video models for which ``predicate(model)`` is true, in catalog order."""
    return [m.name for m in models if predicate(m)]


def normalize_mode(mode: str) -> str:
    """``standard``/``professional`` to ``std``/``pro``; other values are returned lower-cased."""
    return MODE_ALIASES.get(mode.lower(), mode.lower())


def _even(x: float) -> int:
    return max(2, round(x / 2) * 2)


def video_size(resolution: str, aspect_ratio: str) -> tuple[int, int]:
    """Pixel size (width, height) of a video at ``720p``/``1080p``/``4k`` and ``W:H``.

    The short side is the resolution's height (720 for 720p), so 9:16 at 720p is 720x1280.
    """
    short = RESOLUTION_HEIGHT[resolution]
    w, h = (float(p) for p in aspect_ratio.split(":"))
    if w >= h:
        return _even(short * w / h), short
    return short, _even(short * h / w)


def image_size(resolution: str, aspect_ratio: str) -> tuple[int, int]:
    """Pixel size of a generated image: ``1k`` keeps about 1024x1024 pixels, ``2k`` four times that."""
    side = {"1k": 1024, "2k": 2048, "4k": 4096}[resolution]
    if aspect_ratio == "auto":
        aspect_ratio = "1:1"
    w, h = (float(p) for p in aspect_ratio.split(":"))
    scale = math.sqrt(side * side / (w * h))
    return round(w * scale / 16) * 16, round(h * scale / 16) * 16


def mode_resolution(model: VideoModel, mode: str) -> str:
    """The resolution a legacy model renders at in ``mode``."""
    return model.resolution.get(mode, MODE_RESOLUTION.get(mode, "720p"))


def usd(units: float, pack: str) -> float:
    """US dollars at list price for ``units`` of a ``video``/``image``/``tryon``/``audio`` pack."""
    return round(units * USD_PER_UNIT[pack], 4)


@dataclass(frozen=True)
class Estimate:
    """A price estimate: ``units`` of the ``pack`` resource pack, ``usd`` at list price.

    ``exact`` is False when the catalog had to guess (an unknown model, an undocumented combination).
    """

    units: float
    pack: str
    usd: float
    exact: bool = True
    basis: str = ""

    @classmethod
    def of(cls, units: float, pack: str, basis: str, exact: bool = True) -> Estimate:
        units = round(units, 4)
        return cls(units=units, pack=pack, usd=usd(units, pack), exact=exact, basis=basis)


def video_price(
    model_name: str,
    mode: str,
    duration: float,
    *,
    variant: str = "silent",
    omni: bool = False,
) -> Estimate:
    """Units for ``duration`` seconds of a legacy (or omni) model in ``mode``.

    ``variant`` is ``silent``, ``audio`` (native sound), ``voice`` (voice control) or ``video_input``.
    Unknown models are priced like the most expensive catalog row and marked inexact.
    """
    model = (omni_video_model if omni else video_model)(model_name)
    if model is None:
        return Estimate.of(2.0 * duration, "video", f"unknown model {model_name}: 2.0 units/s assumed", False)
    table = model.price.get(variant) or model.price["silent"]
    rate = table.get(mode)
    exact = variant in model.price and rate is not None
    if rate is None:
        rate = max(table.values())
    return Estimate.of(rate * duration, "video", f"{model_name} {mode} {variant}: {rate} units/s", exact)


def new_video_price(model_name: str, resolution: str, duration: float, *, audio: bool) -> Estimate:
    """Units for a 2026-route video (``/text-to-video/kling-3.0``) at ``resolution``."""
    model = new_video_model(model_name)
    if model is None:
        return Estimate.of(2.0 * duration, "video", f"unknown model {model_name}: 2.0 units/s assumed", False)
    if model.price_row in NEW_ONLY_PRICES:
        rate = NEW_ONLY_PRICES[model.price_row]["audio"].get(resolution, 1.0)
        return Estimate.of(rate * duration, "video", f"{model_name} {resolution}: {rate} units/s")
    mode = {v: k for k, v in MODE_RESOLUTION.items()}[resolution]
    return video_price(model.price_row, mode, duration, variant="audio" if audio else "silent")


def flat_price(key: str) -> float:
    """A flat per-call or per-item price from the catalog (units)."""
    return FLAT_PRICES[key]


def takes_external_id(model_name: str | None) -> bool:
    """Whether a create for ``model_name`` may carry ``external_task_id``/``callback_url`` (Kling 4.0
    takes neither, conf M: a lost answer is found through the task list instead)."""
    return kling4.canonical(model_name) is None


def model_names() -> list[str]:
    """Every model name the catalog knows, each once, in catalog order: legacy, omni and 2026 video
    models (omni under both names), Kling 4, image, omni-image and try-on models."""
    names = [
        *(m.name for m in VIDEO_MODELS),
        *(m.name for m in OMNI_VIDEO_MODELS),
        *(m.new_name for m in OMNI_VIDEO_MODELS if m.new_name),
        *(m.name for m in NEW_VIDEO_MODELS),
        *kling4.MODELS,
        *(m.name for m in IMAGE_MODELS),
        *(m.name for m in OMNI_IMAGE_MODELS),
        *TRYON_MODELS,
    ]
    return list(dict.fromkeys(names))


def resolution_for_mode(mode: str) -> str:
    """The 2026 routes' ``settings.resolution`` for a legacy ``mode``: ``std`` 720p, ``pro`` 1080p, ``4k`` 4k
    (``standard``/``professional`` too); KeyError for anything else."""
    return MODE_RESOLUTION[normalize_mode(mode)]


def audio_for_sound(sound: bool | str | None) -> str | None:
    """The 2026 routes' ``settings.audio`` for a legacy ``sound``: True/``on`` -> ``native``, False/``off`` ->
    ``off``, None -> None (not sent)."""
    if sound is None:
        return None
    on = sound if isinstance(sound, bool) else sound == "on"
    return "native" if on else "off"


from . import rules as rules  # noqa: E402  (the rules read the names above)
