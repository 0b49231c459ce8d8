"""Finding things in the catalog: models by name, routes, mode and size arithmetic, the 2026 mapping."""

from __future__ import annotations

import math
from collections.abc import Callable

from . import _kling4 as kling4
from ._data import (
    ENDPOINTS,
    IMAGE_MODELS,
    MODE_ALIASES,
    MODE_RESOLUTION,
    NEW_VIDEO_MODELS,
    OMNI_IMAGE_MODELS,
    OMNI_VIDEO_MODELS,
    RESOLUTION_HEIGHT,
    TRYON_MODELS,
    VIDEO_MODELS,
)
from ._types import Endpoint, ImageModel, NewVideoModel, VideoModel

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


def takes_external_id(model_name: str | None) -> bool:
    """Whether a create for ``model_name`` may carry ``external_task_id``/``callback_url`` (Kling 4.0
    takes neither, conf M: a lost answer is found through the task list instead)."""
    from . import _image4 as image4  # imported late: the 2026-H2 modules import the lookups

    return kling4.canonical(model_name) is None and image4.canonical(model_name) is None


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
