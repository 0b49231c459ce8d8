"""Kling 4.0 and 4.0 Flash: the facts as data, and the rules over a wire body, stated once.

Source: ``shared/reference/kling-2026-h2.md`` §1 (compiled 2026-11-30). Confidence per fact: **M** (one
platform that mirrors Kling's request shape) unless marked **L** (resellers or inference); nothing about
4.0 is **H** yet except that it exists. When the official page appears, this file changes, not the code.

One model, three modes chosen by the body, on the 2026 model-in-path routes (route names: L):

* text to video: ``POST /text-to-video/{model}`` with a top-level ``prompt``;
* keyframes: ``POST /image-to-video/{model}`` with ``contents[]`` of ``prompt``, ``first_frame``, up to 8
  ``middle_frame`` and ``last_frame`` items (Flash: a single ``first_frame``);
* omni: ``POST /omni-video/{model}`` with ``contents[]`` of ``prompt``, ``refer_image``,
  ``feature_video``, ``base_video``, ``element`` and ``voice`` items; elements and voices carry an ``id``
  that the prompt names as ``@id``.

Audio is always generated (there is no switch). Requests take no ``callback_url`` and no
``external_task_id``: a server refuses them, so a client recovers a lost create answer by listing tasks.

The rules over these facts are tables (``catalog/rules/_kling4.py``, one per mode) read by the one
interpreter: ``catalog.check`` runs them on the body the client built (before sending) and on the body the
sandbox received, so both give the same :class:`Refusal` list; :func:`check` is their door for a bare
body. The price is the ``text-to-video``/``image-to-video``/``omni-video-new`` rows of ``catalog.prices``
(dollars per second below, of what :func:`measure` counts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._data import IMAGE_MAX_BYTES_NEW
from ._refusal import Refusal

__all__ = [
    "ALIASES",
    "COUNTED",
    "MODELS",
    "Kling4Model",
    "Refusal",
    "VideoFacts",
    "canonical",
    "check",
    "measure",
    "mention_ids",
]

CONFIDENCE = "M"
"""Shapes and limits: one good secondary source (kling-2026-h2.md §1)."""
ROUTE_CONFIDENCE = "L"
"""The route names (the 2026 model-in-path family, presumably): resellers only."""
PRICE_CONFIDENCE = "L"
"""Prices: resellers only; every 4.0 estimate is marked not exact."""


@dataclass(frozen=True)
class Kling4Model:
    """One 4.0 model. Durations in seconds; prices in US dollars per second of output (or, with video
    inputs, per second of input plus output, at least twice the output)."""

    name: str
    durations: tuple[int, int]  # inclusive range
    resolutions: tuple[str, ...]
    usd_per_second: dict[str, float]
    usd_per_second_video_in: dict[str, float]
    keyframes_middle_max: int
    keyframes_last: bool
    launched: str


MODELS: dict[str, Kling4Model] = {
    m.name: m
    for m in (
        Kling4Model(
            name="kling-4.0",
            durations=(3, 30),
            resolutions=("720p", "1080p"),
            usd_per_second={"720p": 0.157, "1080p": 0.235},
            usd_per_second_video_in={"720p": 0.094, "1080p": 0.141},
            keyframes_middle_max=8,
            keyframes_last=True,
            launched="2026-10-15",
        ),
        Kling4Model(
            name="kling-4.0-flash",
            durations=(3, 20),
            resolutions=("720p",),
            # Flash: "about $0.094-0.117/s" (L); the upper end, so an estimate does not under-count.
            usd_per_second={"720p": 0.117},
            usd_per_second_video_in={"720p": 0.094},  # L: assumed equal to 4.0's 720p video-input rate
            keyframes_middle_max=0,  # Flash: a single first_frame only
            keyframes_last=False,
            launched="2026-11-05",
        ),
    )
}

ALIASES: dict[str, str] = {
    # Resellers' names (L): accepted and sent as the canonical name.
    "kling-v4": "kling-4.0",
    "kling-v4.0": "kling-4.0",
    "kling-v4-0": "kling-4.0",
    "kling-v4-flash": "kling-4.0-flash",
    "kling-v4.0-flash": "kling-4.0-flash",
}

ASPECT_RATIOS = ("21:9", "16:9", "9:16", "1:1", "4:3", "3:4")
DEFAULT_ASPECT_RATIO = "16:9"
DEFAULT_RESOLUTION = "720p"
DEFAULT_DURATION = 5  # L: the 2026 routes' usual default
PROMPT_MAX_ENGLISH = 26_000
PROMPT_MAX_OTHER = 11_000
FRAMES_MAX = 10  # first + middle + last
KEYFRAME_TYPES = ("prompt", "first_frame", "middle_frame", "last_frame")
OMNI_TYPES = ("prompt", "refer_image", "feature_video", "base_video", "element", "voice")
OMNI_INPUTS_MAX = 15  # plus the prompt
OMNI_IMAGES_MAX = 10
OMNI_VIDEOS_MAX = 5
OMNI_BASE_VIDEOS_MAX = 1
OMNI_ELEMENTS_MAX = 7
OMNI_VOICES_MAX = 3
IMAGE_MAX_BYTES = IMAGE_MAX_BYTES_NEW  # L: the 2026 routes' image limit
VIDEO_MAX_BYTES = 200 * 1024 * 1024  # L: the omni reference-video limit (kling-api.md §7.4)
ORIGINAL_AUDIO = "original"  # settings.audio with a base_video: keep the input's sound (M)
# Input videos (M): 3-30 s each and 30 s in all, >= 24 fps, 700-4553 px a side, <= 8,294,400 px, 2:5-5:2.
VIDEO_SECONDS = (3.0, 30.0)
VIDEO_TOTAL_SECONDS = 30.0
VIDEO_FPS_MIN = 24.0
VIDEO_SIDE = (700, 4553)
VIDEO_PIXELS_MAX = 8_294_400
VIDEO_ASPECT = (2 / 5, 5 / 2)
REFUSED_OPTIONS = ("callback_url", "external_task_id")
COUNTED: dict[str, tuple[str, ...]] = {
    "first_frame items": ("first_frame",),
    "middle_frame items": ("middle_frame",),
    "last_frame items": ("last_frame",),
    "frames": ("first_frame", "middle_frame", "last_frame"),
    "inputs besides the prompt": OMNI_TYPES[1:],
    "images": ("refer_image",),
    "videos": ("feature_video", "base_video"),
    "base_video items": ("base_video",),
    "elements": ("element",),
    "voices": ("voice",),
}
"""The counts of ``contents`` items the rules limit, as a refusal says each ("4 voices") -> the item types
it counts (the client names the parameter those items came from)."""
BILLED_OUTPUTS_MIN = 2  # L: with input video, input + output seconds are billed, at least twice the output
ROUTES = {"text": "text-to-video", "keyframes": "image-to-video", "omni": "omni-video-new"}
"""Which catalog endpoint (feature key) serves each mode."""

_MENTION = re.compile(r"(?<![\w@])@([\w-]+)", re.UNICODE)


@dataclass(frozen=True)
class VideoFacts:
    """What is known about one input video (from decoding it); None where unknown (a URL)."""

    seconds: float | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None


def canonical(name: str | None) -> str | None:
    """The catalog name of a 4.0 model (``kling-v4`` -> ``kling-4.0``), or None for other names."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in MODELS else None


def mention_ids(prompt: str) -> list[str]:
    """The ``@id`` names a prompt mentions, in order (``@hero`` -> ``hero``)."""
    return _MENTION.findall(prompt)


def mode_of(feature: str) -> str:
    """``text``, ``keyframes`` or ``omni`` for a feature key (``text-to-video``...)."""
    return {v: k for k, v in ROUTES.items()}[feature]


def check(
    feature: str,
    model_name: str,
    body: Any,
    videos: Mapping[str, VideoFacts] | None = None,
) -> list[Refusal]:
    """Every reason to refuse ``body`` on ``feature``'s route for ``model_name`` (empty: acceptable).

    The rules are in :mod:`klingkit.catalog.rules` with every other route's; ``catalog.check`` runs them
    and prices the request in one call (what the client and the sandbox use).
    """
    from .rules._kling4 import check as run  # the rules read the facts above (imported late)

    return run(feature, model_name, body, videos)


@dataclass(frozen=True)
class Measured:
    """What a 4.0 request's price counts: seconds of output, the resolution, seconds of input video."""

    output_seconds: float
    resolution: str
    video_input_seconds: float


def measure(
    feature: str, body: Mapping[str, Any], videos: Mapping[str, VideoFacts] | None = None
) -> Measured:
    """Output length, resolution and input-video seconds of an accepted body (run :func:`check` first);
    the price row (``catalog.prices``) turns them into units.

    An input video whose length is unknown (a URL neither side decoded) is counted as
    :data:`VIDEO_SECONDS`'s maximum, so the estimate does not under-count; an edit (``base_video``)
    lasts as long as its input.
    """
    settings = body.get("settings") or {}
    resolution = str(settings.get("resolution") or DEFAULT_RESOLUTION)
    inputs, base = 0.0, None
    if mode_of(feature) == "omni":
        for i, item in enumerate(body.get("contents") or []):
            if isinstance(item, Mapping) and item.get("type") in ("feature_video", "base_video"):
                known = (videos or {}).get(f"contents[{i}]")
                seconds = known.seconds if known and known.seconds else VIDEO_SECONDS[1]
                inputs += seconds
                if item.get("type") == "base_video":
                    base = seconds
    duration = settings.get("duration")
    if base is not None:
        output = base
    elif isinstance(duration, int) and not isinstance(duration, bool):
        output = float(duration)
    else:
        output = float(DEFAULT_DURATION)
    return Measured(output, resolution, inputs)
