"""What the contract (:mod:`klingkit.catalog._contract`) gives back and takes: :class:`Checked` (a
request the rules accept, its price and the values they read) and :class:`Known` (what only a server knows),
with the defaults every route's entry shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _data as C
from ._kling4 import VideoFacts
from ._price import Estimate
from .rules import Checks, Refusal, as_duration, given

EXTENSION_SECONDS = 4.5
"""Seconds one extension adds (§2.4 says 4-5 s; the sandbox renders 4.5)."""
EXTENDED_MAX_SECONDS = 180.0
"""An extended video is at most 3 minutes in total (§2.4)."""
LIPSYNC_ASSUMED_SECONDS = 10.0
"""The source video's length a client assumes for a lip-sync estimate (it cannot know it)."""


@dataclass(frozen=True)
class Known:
    """Facts only a server has when it prices a request (policy ``server-state``)."""

    video_seconds: float | None = None  # the source video's length (lip-sync, faces, extension)
    video_model: str | None = None  # the model that made the source video (extension)
    video_mode: str | None = None  # its mode (the extension's price follows it)
    series_count: int | None = None  # how many images an omni-image series of ``auto`` length produced
    face_ids: tuple[str, ...] | None = None  # the faces an identify-face session found (advanced lip-sync)
    videos: Mapping[str, VideoFacts] | None = None  # Kling 4.0: what decoding found of each input video
    media_seconds: float | None = None  # the length of the audio/video input a side could read (2026-H2)
    selections: int | None = None  # an editing session's selections (multi-elements)


@dataclass(frozen=True)
class Checked:
    """A request the rules accept: its price and what the rules read from it (defaults applied)."""

    feature: str
    estimate: Estimate
    model: str | None = None
    mode: str | None = None
    duration: float | None = None
    resolution: str | None = None
    audio: str | None = None
    count: int | None = None  # images billed (None: an ``auto`` series a client cannot count)
    warnings: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)  # the wire forms the rules built (camera, shots)


Route = Callable[[Mapping[str, Any], Checks, Known], Checked]


# The spellings a route's rules are evaluated against. A bad one is recorded in the route's Checks (not
# raised), so the rules still judge every other field; the stand-in returned is one no rule judges: the
# interpreter skips rules that read a field refused here (rules._interp, "no cascade").


def model_of(p: Mapping[str, Any], feature: str, c: Checks) -> str:
    """``model_name`` as given, or the route's default; not a text: recorded, ``""`` (a model no row has)."""
    value = p.get("model_name")
    if value is None or value == "":
        return C.DEFAULT_MODELS[feature]
    if not isinstance(value, str):
        c.record(Refusal("model_name", value, "a model name"))
        return ""
    return value


def mode_of(p: Mapping[str, Any], feature: str, c: Checks) -> str:
    """``mode`` as given, or the route's default; not a text: recorded, the default returned."""
    value = p.get("mode")
    if value is None or value == "":
        return C.DEFAULT_MODES.get(feature, "std")
    if not isinstance(value, str):
        c.record(Refusal("mode", value, ", ".join(C.VIDEO_MODES)))
        return C.DEFAULT_MODES.get(feature, "std")
    return value


def duration_of(p: Mapping[str, Any], c: Checks) -> float:
    """``duration`` in seconds, or the default; not a number of whole seconds: recorded, the default."""
    default = float(C.DEFAULT_VIDEO_DURATION)
    return as_duration("duration", p["duration"], c, fallback=default) if given(p, "duration") else default
