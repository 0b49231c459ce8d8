"""Every route's price, stated once as a row of the price vocabulary (:mod:`._vocab`), read by the one
pricer (:mod:`._pricer`). The rates stay where the catalog keeps them as data: the model rows' ``price``
tables (§7.2), ``FLAT_PRICES``, ``NEW_ONLY_PRICES``, the effect scenes, and the 2026-H2 modules' own tables
(avatar, motion control, editing, Image 4.0, the library, recognition, multi-shot, Kling 4.0's dollars).
A new model adds a row to those tables; a new route adds a line to :data:`PRICES`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import _drive as drive
from .. import _edit as edit
from .. import _image4 as image4
from .. import _kling4 as kling4
from .. import _library as library
from .. import _multishot as multishot
from .. import _recognize as recognize
from .._checked import LIPSYNC_ASSUMED_SECONDS
from .._data import (
    FLAT_PRICES,
    LIPSYNC_BLOCK_SECONDS,
    MODE_RESOLUTION,
    NEW_ONLY_PRICES,
    OMNI_SERIES_AMOUNT,
    UNKNOWN_MODEL_PRICES,
)
from .._lookup import video_model
from ._vocab import Choose, Facts, Flat, Like, PerBlock, PerItem, PerSecond, PriceRow, Rate

# --- the unknown-model policy --------------------------------------------------------------------------
# A model the catalog does not know passes the client with a warning (policy unknown-name), so it is still
# priced: at the catalog's UNKNOWN_MODEL_PRICES, never claimed exact.
UNKNOWN_VIDEO = PerSecond(
    UNKNOWN_MODEL_PRICES["per second"], "unknown model {model}: {rate} units/s assumed", exact=False
)
UNKNOWN_IMAGE = PerItem(
    UNKNOWN_MODEL_PRICES["per image"], "unknown model {model}: {rate:g} units/image assumed", exact=False
)

# --- video: per second of output, from the model row's table for the audio variant and mode --------------


def _variant_rates(f: Facts) -> dict[str, float]:
    # A row without the variant's own prices is read at its silent prices (and the estimate is inexact).
    prices: dict[str, dict[str, float]] = f.row.price
    return prices.get(f.variant) or prices["silent"]


VIDEO = PerSecond(
    Rate(_variant_rates, key=lambda f: f.mode, exact=lambda f: f.variant in f.row.price),
    "{model} {mode} {variant}: {rate} units/s",
    unknown_model=UNKNOWN_VIDEO,
)
"""A legacy or omni video model (``VideoModel.price``: units per second by variant, then mode)."""

NEW_ONLY = PerSecond(
    Rate(lambda f: NEW_ONLY_PRICES[f.row.price_row]["audio"], key=lambda f: f.resolution),
    "{model} {resolution}: {rate} units/s",
)
"""A 2026 model with prices of its own (``NEW_ONLY_PRICES``, by resolution)."""

_MODE_OF_RESOLUTION = {v: k for k, v in MODE_RESOLUTION.items()}

NEW_VIDEO = Choose(
    lambda f: f.row.price_row in NEW_ONLY_PRICES,
    NEW_ONLY,
    Like(
        model=lambda f: f.row.price_row,
        row=lambda f: video_model(f.row.price_row),
        mode=lambda f: _MODE_OF_RESOLUTION[f.resolution],
        then=VIDEO,
    ),
    unknown_model=UNKNOWN_VIDEO,
)
"""A 2026 model (``NewVideoModel``): its own prices, or its legacy ``price_row``'s at the mode of its
resolution."""


def _output(f: Facts) -> float:
    return f.seconds or 0.0  # a 4.0 request always has its output length (``kling4.measure``)


def _k4_inputs(f: Facts) -> float:
    return min(f.input_seconds, kling4.VIDEO_TOTAL_SECONDS)  # input video counts up to the total allowed


_K4_APPROXIMATE = f"; reseller prices, approximate (confidence {kling4.PRICE_CONFIDENCE})"
KLING4 = Choose(
    lambda f: _k4_inputs(f) > 0,
    PerSecond(
        Rate(lambda f: f.row.usd_per_second_video_in, key=lambda f: f.resolution),
        "{model} {resolution} with video input: ${rate}/s x {seconds:g} s (input+output, >= 2x)"
        + _K4_APPROXIMATE,
        seconds=lambda f: _k4_inputs(f) + _output(f),
        minimum=lambda f: kling4.BILLED_OUTPUTS_MIN * _output(f),
        usd=True,
        exact=False,
    ),
    PerSecond(
        Rate(lambda f: f.row.usd_per_second, key=lambda f: f.resolution),
        "{model} {resolution}: ${rate}/s x {seconds:g} s" + _K4_APPROXIMATE,
        usd=True,
        exact=False,
    ),
)
"""Kling 4.0 (``Kling4Model``): US dollars per second of output, or with input video per second of input
plus output, at least twice the output (reseller prices, L: never exact)."""


def _kling4(then: PriceRow) -> Choose:
    """A 2026 route that also serves Kling 4.0: its rows for a 4.0 model, ``then`` for the others."""
    return Choose(lambda f: isinstance(f.row, kling4.Kling4Model), KLING4, then)


_EXTEND = {"std": FLAT_PRICES["extend_std"], "pro": FLAT_PRICES["extend_pro"]}
EXTEND = Choose(
    lambda f: f.seconds is None,
    Flat(
        lambda f: max(_EXTEND.values()),
        "extension: mode is inherited from the source video; the pro price is assumed",
        exact=False,
    ),
    Flat(
        Rate(lambda f: _EXTEND, key=lambda f: "pro" if f.mode in ("pro", "4k") else "std"),
        "extension of a {mode} video",
    ),
)
"""Video extension: per call, at the price of the source video's mode (known to a server only)."""

EFFECTS = Choose(
    lambda f: f["scene"].exact,
    Flat(lambda f: f["scene"].units, "effect {scene.name}: its own price"),
    Flat(
        lambda f: f["scene"].units,
        "effect {scene.name}: the {scene.images}-image scene price (scenes vary)",
        exact=False,
    ),
)
"""An effect scene: its own price, or its image count's default (``effects.json``)."""

# --- lip-sync and faces --------------------------------------------------------------------------------
_PER_BLOCK = "lip-sync: {rate:g} units per {block:g} s"
LIP_SYNC = PerBlock(
    FLAT_PRICES["lip_sync_per_5s"],
    LIPSYNC_BLOCK_SECONDS,
    _PER_BLOCK + " of a {seconds:g} s video",
    unknown=LIPSYNC_ASSUMED_SECONDS,
    unknown_basis=_PER_BLOCK + " of video; video length unknown, {seconds:g} s assumed",
)
"""Lip-sync: per started 5 s of the source video (its length known to a server only)."""

ADVANCED_LIP_SYNC = PerBlock(
    FLAT_PRICES["lip_sync_per_5s"],
    LIPSYNC_BLOCK_SECONDS,
    _PER_BLOCK + " of the {seconds:g} s video",
    unknown=lambda f: f["inserted"],
    unknown_basis=_PER_BLOCK + "; {seconds:g} s of audio inserted",
)
"""Advanced lip-sync: per started 5 s of the video; a client counts the audio it inserts."""

# --- images: per image, from the model row's rate for the kind of request ----------------------------------


def _image_rates(f: Facts) -> dict[str, float]:
    row: Any = f.row
    if f.resolution == "4k" and row.price_4k:
        return {f["kind"]: row.price_4k}  # 4K costs more where the row says so
    return {"t2i": row.price_t2i, "i2i": row.price_i2i, "multi": row.price_multi}


IMAGES = PerItem(
    Rate(_image_rates, key=lambda f: f["kind"]),
    "{model} {kind}: {rate:g} units/image x {count}",
    unknown_model=UNKNOWN_IMAGE,
)
"""An image model (``ImageModel``: ``price_t2i``/``price_i2i``/``price_multi``, ``price_4k``)."""

_AUTO_SERIES = "{basis}; series_amount=auto: at most {count} images"
_SERIES_MAX = OMNI_SERIES_AMOUNT[1]
OMNI_IMAGE = replace(
    IMAGES,
    unknown=_SERIES_MAX,
    unknown_basis=_AUTO_SERIES,
    unknown_model=replace(UNKNOWN_IMAGE, unknown=_SERIES_MAX, unknown_basis=_AUTO_SERIES),
)
"""Omni image: per image produced; an ``auto`` series (2-9, the service decides) is quoted at the most."""

IMAGE4 = PerItem(
    Rate(lambda f: image4.UNITS_PER_IMAGE, key=lambda f: f.resolution),
    "{model} {resolution}: {rate:g} units x {count} image(s); omni image rows, approximate (L)",
    exact=False,
)
"""Image 4.0: the omni image rows by resolution (no published 4.0 price: never exact)."""

# --- the 2026-H2 routes ---------------------------------------------------------------------------------
AVATAR = PerSecond(
    Rate(lambda f: drive.AVATAR_UNITS_PER_SECOND, key=lambda f: f.mode),
    "avatar {mode}: {rate} units/s x {seconds:g} s",
    unknown=drive.AVATAR_AUDIO_SECONDS[1],
    unknown_basis="avatar {mode}: {rate} units/s; audio length unknown, up to {seconds:g} s",
)
"""Avatar: per second of the driving audio (the video lasts as long); unknown length: the longest allowed."""


def _longest_reference(f: Facts) -> float:
    orientation = f["orientation"] if f["orientation"] in drive.MOTION_VIDEO_SECONDS else "video"
    return drive.MOTION_VIDEO_SECONDS[orientation][1]


_MOTION = "{model} motion control {resolution}: {rate} units/s"
MOTION = PerSecond(
    Rate(lambda f: f.row.units_per_second, key=lambda f: f.resolution),
    _MOTION + " x {seconds:g} s",
    unknown=_longest_reference,
    unknown_basis=_MOTION + "; reference length unknown, up to {seconds:g} s",
)
"""Motion control: per second of the reference video, by model and resolution (``MotionModel``)."""

EDIT = PerSecond(
    Rate(lambda f: edit.UNITS_PER_SECOND, key=lambda f: f.mode),
    "multi-element editing {mode}: {rate} units/s x {seconds:g} s",
)
"""Multi-element editing: per second of the edited video, by mode."""

PRICES: dict[str, PriceRow] = {
    "text2video": VIDEO,
    "image2video": VIDEO,
    "multi-image2video": VIDEO,
    "omni-video": VIDEO,
    "text-to-video": _kling4(NEW_VIDEO),
    "image-to-video": _kling4(NEW_VIDEO),
    "omni-video-new": _kling4(VIDEO),
    "video-extend": EXTEND,
    "effects": EFFECTS,
    "lip-sync": LIP_SYNC,
    "identify-face": Flat(FLAT_PRICES["identify_face"], "face identification: flat per call"),
    "advanced-lip-sync": ADVANCED_LIP_SYNC,
    "images/generations": IMAGES,
    "multi-image2image": IMAGES,
    "editing/expand": PerItem(FLAT_PRICES["expand_per_image"], "expansion: {rate:g} units/image x {count}"),
    "omni-image": OMNI_IMAGE,
    "kolors-virtual-try-on": Flat(FLAT_PRICES["tryon_per_image"], "virtual try-on: {rate:g} unit/image"),
    "virtual_try_on": Flat(FLAT_PRICES["tryon_per_image"], "virtual try-on: {rate:g} unit/image"),
    "text-to-audio": Flat(FLAT_PRICES["text_to_audio"], "text-to-audio: flat per call"),
    "video-to-audio": Flat(FLAT_PRICES["video_to_audio"], "video-to-audio: flat per call"),
    "tts": Flat(FLAT_PRICES["tts"], "text-to-speech: flat per call"),
    "avatar": AVATAR,
    "motion-control": MOTION,
    "motion-control-new": MOTION,
    "omni-image-new": IMAGE4,
    "custom-elements": Flat(library.ELEMENT_UNITS, "element: no published price (L)", exact=False),
    "custom-voices": Flat(library.VOICE_UNITS, "custom voice: flat per call"),
    "image-recognize": Flat(recognize.UNITS, "image recognition: flat per call"),
    "multi-elements": EDIT,
    "ai-multi-shot": Flat(
        multishot.UNITS, f"AI multi-shot: {{rate:g}} units a call ({multishot.VIEWS} views)"
    ),
}
"""Every create route (catalog endpoint keys) -> its price row."""
