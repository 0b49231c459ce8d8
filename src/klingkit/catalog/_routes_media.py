"""The contract's other routes: lip-sync and faces, images and try-on, and sound (rules, defaults and price
for each; :mod:`klingkit.catalog._contract` dispatches to them)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from . import _data as C
from ._checked import LIPSYNC_ASSUMED_SECONDS, Checked, Known, Route, model_of
from ._lookup import image_model, omni_image_model
from ._price import Estimate, flat_price
from .rules import Checks, given
from .rules import _audio as audio_rules
from .rules import _images as image_rules
from .rules._interp import Ctx, run

# --- lip-sync and faces -----------------------------------------------------------------------------------


def _per_5s(seconds: float) -> float:
    return flat_price("lip_sync_per_5s") * max(1, math.ceil(seconds / 5 - 1e-9))


def _lip_sync(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    lang = p.get("voice_language", "zh")
    run(audio_rules.LIP_SYNC, Ctx(p, facts={"lang": lang}), c)
    audio_type = (
        ""
        if p.get("mode") == "text2video"
        else str(p.get("audio_type") or audio_rules.inferred_audio_type(p))
    )
    values = {"audio_type": audio_type}
    mode = str(p["mode"])
    if known.video_seconds is None:
        basis = "lip-sync: 0.5 units per 5 s of video; video length unknown, 10 s assumed"
        est = Estimate.of(_per_5s(LIPSYNC_ASSUMED_SECONDS), "video", basis, False)
        return Checked("lip-sync", est, mode=mode, values=values)
    seconds = known.video_seconds
    est = Estimate.of(
        _per_5s(seconds),
        "video",
        f"lip-sync: 0.5 units per 5 s of a {seconds:g} s video",
    )
    return Checked("lip-sync", est, mode=mode, duration=seconds, values=values)


def _identify_face(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.IDENTIFY_FACE, Ctx(p), c)
    est = Estimate.of(flat_price("identify_face"), "video", "face identification: flat per call")
    return Checked("identify-face", est, duration=known.video_seconds)


def _advanced_lip_sync(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.ADVANCED_LIP_SYNC, Ctx(p), c)
    seconds = sum((f["sound_end_time"] - f["sound_start_time"]) / 1000 for f in p["face_choose"])
    if known.video_seconds is None:
        basis = f"lip-sync: 0.5 units per 5 s; {seconds:g} s of audio inserted"
        est = Estimate.of(_per_5s(seconds), "video", basis, False)
        return Checked("advanced-lip-sync", est, duration=seconds)
    video = known.video_seconds
    run(audio_rules.ADVANCED_LIP_SYNC_SESSION, Ctx(p, facts={"known": known}), c)  # policy server-state
    est = Estimate.of(_per_5s(video), "video", f"lip-sync: 0.5 units per 5 s of the {video:g} s video")
    return Checked("advanced-lip-sync", est, duration=video)


# --- images ---------------------------------------------------------------------------------------------


def image_price(
    model: str, n: int, *, kind: str, resolution: str | None = None, omni: bool = False
) -> Estimate:
    """Units for ``n`` images of ``model`` (``kind``: ``t2i``, ``i2i`` or ``multi``; 4K where it costs more)."""
    m = (omni_image_model if omni else image_model)(model)
    if m is None:
        return Estimate.of(8.0 * n, "image", f"unknown model {model}: 8 units/image assumed", False)
    rate = {"t2i": m.price_t2i, "i2i": m.price_i2i, "multi": m.price_multi}[kind]
    if resolution == "4k" and m.price_4k:
        rate = m.price_4k
    exact = bool(rate)
    if not rate:
        rate = max(m.price_t2i, m.price_i2i, m.price_multi)
    return Estimate.of(rate * n, "image", f"{model} {kind}: {rate:g} units/image x {n}", exact)


def _generations(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "images/generations", c)
    run(image_rules.IMAGE_GENERATIONS, Ctx(p, model, image_model(model)), c)
    n = int(p.get("n", 1))
    est = image_price(model, n, kind="i2i" if given(p, "image") else "t2i")
    return Checked("images/generations", est, model=model, count=n)


def _multi_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "multi-image2image", c)
    run(image_rules.MULTI_IMAGE2IMAGE, Ctx(p, model), c)
    n = int(p.get("n", 1))
    return Checked("multi-image2image", image_price(model, n, kind="multi"), model=model, count=n)


def _expand(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(image_rules.EXPAND, Ctx(p), c)
    n = int(p.get("n", 1))
    rate = flat_price("expand_per_image")
    return Checked(
        "editing/expand",
        Estimate.of(rate * n, "image", f"expansion: {rate:g} units/image x {n}"),
        count=n,
    )


def _omni_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "omni-image", c)
    run(image_rules.OMNI_IMAGE, Ctx(p, model, omni_image_model(model)), c)
    amount = p.get("series_amount", "auto") if given(p, "series_amount") else "auto"
    series = p.get("result_type", "single") == "series"
    count = (None if amount == "auto" else int(amount)) if series else int(p.get("n", 1))
    kind = "i2i" if p.get("image_list") else "t2i"
    resolution = p.get("resolution") if isinstance(p.get("resolution"), str) else None
    if count is not None or known.series_count is not None:
        n = count if count is not None else int(known.series_count or 0)
        est = image_price(model, n, kind=kind, resolution=resolution, omni=True)
        return Checked("omni-image", est, model=model, count=n)
    # The service decides how many images an auto series gets (2-9) and bills each: quote the most.
    est = image_price(model, C.OMNI_SERIES_AMOUNT[1], kind=kind, resolution=resolution, omni=True)
    est = replace(est, exact=False, basis=est.basis + "; series_amount=auto: at most 9 images")
    return Checked("omni-image", est, model=model, count=None)


def _try_on(p: Mapping[str, Any], c: Checks, known: Known, *, solution: bool) -> Checked:
    if solution:
        run(image_rules.TRY_ON_SOLUTION, Ctx(p), c)
    else:
        model: Any = p.get("model_name") or C.DEFAULT_MODELS["kolors-virtual-try-on"]  # as given
        run(image_rules.TRY_ON, Ctx(p, model), c)
    est = Estimate.of(flat_price("tryon_per_image"), "tryon", "virtual try-on: 1 unit/image")
    if solution:
        return Checked("virtual_try_on", est, count=1)
    return Checked(
        "kolors-virtual-try-on",
        est,
        model=model_of(p, "kolors-virtual-try-on", c),
        count=1,
    )


# --- sound ----------------------------------------------------------------------------------------------


def _text_to_audio(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.TEXT_TO_AUDIO, Ctx(p), c)
    est = Estimate.of(flat_price("text_to_audio"), "audio", "text-to-audio: flat per call")
    return Checked("text-to-audio", est, duration=float(p["duration"]))


def _video_to_audio(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.VIDEO_TO_AUDIO, Ctx(p), c)
    if known.video_seconds is not None:
        run(audio_rules.VIDEO_TO_AUDIO_SOURCE, Ctx(p, facts={"known": known}), c)
    est = Estimate.of(flat_price("video_to_audio"), "audio", "video-to-audio: flat per call")
    return Checked("video-to-audio", est, duration=known.video_seconds)


def _tts(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    language = str(p.get("voice_language") or "zh")
    run(audio_rules.TTS, Ctx(p, facts={"lang": language}), c)
    est = Estimate.of(flat_price("tts"), "audio", "text-to-speech: flat per call")
    return Checked("tts", est, values={"voice_language": language})


MEDIA_ROUTES: dict[str, Route] = {
    "lip-sync": _lip_sync,
    "identify-face": _identify_face,
    "advanced-lip-sync": _advanced_lip_sync,
    "images/generations": _generations,
    "multi-image2image": _multi_image,
    "editing/expand": _expand,
    "omni-image": _omni_image,
    "kolors-virtual-try-on": lambda p, c, k: _try_on(p, c, k, solution=False),
    "virtual_try_on": lambda p, c, k: _try_on(p, c, k, solution=True),
    "text-to-audio": _text_to_audio,
    "video-to-audio": _video_to_audio,
    "tts": _tts,
}
