"""The contract's other routes: lip-sync and faces, images and try-on, and sound (rules, defaults and price
for each; :mod:`klingkit.catalog._contract` dispatches to them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _data as C
from ._checked import Checked, Known, Route, model_of
from ._lookup import image_model, omni_image_model
from .prices import Facts, price
from .rules import Checks, given
from .rules import _audio as audio_rules
from .rules import _images as image_rules
from .rules._interp import Ctx, run

# --- lip-sync and faces -----------------------------------------------------------------------------------


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
    est = price("lip-sync", Facts(seconds=known.video_seconds))
    return Checked("lip-sync", est, mode=mode, duration=known.video_seconds, values=values)


def _identify_face(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.IDENTIFY_FACE, Ctx(p), c)
    return Checked("identify-face", price("identify-face", Facts()), duration=known.video_seconds)


def _advanced_lip_sync(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.ADVANCED_LIP_SYNC, Ctx(p), c)
    seconds = sum((f["sound_end_time"] - f["sound_start_time"]) / 1000 for f in p["face_choose"])
    est = price("advanced-lip-sync", Facts(seconds=known.video_seconds, facts={"inserted": seconds}))
    if known.video_seconds is None:
        return Checked("advanced-lip-sync", est, duration=seconds)
    run(audio_rules.ADVANCED_LIP_SYNC_SESSION, Ctx(p, facts={"known": known}), c)  # policy server-state
    return Checked("advanced-lip-sync", est, duration=known.video_seconds)


# --- images ---------------------------------------------------------------------------------------------


def _generations(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "images/generations", c)
    x = Ctx(p, model, image_model(model))
    run(image_rules.IMAGE_GENERATIONS, x, c)
    n = int(p.get("n", 1))
    kind = "i2i" if given(p, "image") else "t2i"
    est = price("images/generations", Facts(model, x.row, count=n, facts={"kind": kind}))
    return Checked("images/generations", est, model=model, count=n)


def _multi_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "multi-image2image", c)
    run(image_rules.MULTI_IMAGE2IMAGE, Ctx(p, model), c)
    n = int(p.get("n", 1))
    est = price("multi-image2image", Facts(model, image_model(model), count=n, facts={"kind": "multi"}))
    return Checked("multi-image2image", est, model=model, count=n)


def _expand(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(image_rules.EXPAND, Ctx(p), c)
    n = int(p.get("n", 1))
    return Checked("editing/expand", price("editing/expand", Facts(count=n)), count=n)


def _omni_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = model_of(p, "omni-image", c)
    x = Ctx(p, model, omni_image_model(model))
    run(image_rules.OMNI_IMAGE, x, c)
    amount = p.get("series_amount", "auto") if given(p, "series_amount") else "auto"
    series = p.get("result_type", "single") == "series"
    count = (None if amount == "auto" else int(amount)) if series else int(p.get("n", 1))
    kind = "i2i" if p.get("image_list") else "t2i"
    resolution = p.get("resolution") if isinstance(p.get("resolution"), str) else ""
    if count is None and known.series_count is not None:
        count = int(known.series_count)  # the server knows how many images the auto series made
    # Without it the service decides (2-9) and bills each: the price row quotes the most.
    facts = Facts(model, x.row, resolution=str(resolution), count=count, facts={"kind": kind})
    return Checked("omni-image", price("omni-image", facts), model=model, count=count)


def _try_on(p: Mapping[str, Any], c: Checks, known: Known, *, solution: bool) -> Checked:
    if solution:
        run(image_rules.TRY_ON_SOLUTION, Ctx(p), c)
    else:
        model: Any = p.get("model_name") or C.DEFAULT_MODELS["kolors-virtual-try-on"]  # as given
        run(image_rules.TRY_ON, Ctx(p, model), c)
    est = price("virtual_try_on" if solution else "kolors-virtual-try-on", Facts())
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
    return Checked("text-to-audio", price("text-to-audio", Facts()), duration=float(p["duration"]))


def _video_to_audio(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(audio_rules.VIDEO_TO_AUDIO, Ctx(p), c)
    if known.video_seconds is not None:
        run(audio_rules.VIDEO_TO_AUDIO_SOURCE, Ctx(p, facts={"known": known}), c)
    return Checked("video-to-audio", price("video-to-audio", Facts()), duration=known.video_seconds)


def _tts(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    language = str(p.get("voice_language") or "zh")
    run(audio_rules.TTS, Ctx(p, facts={"lang": language}), c)
    return Checked("tts", price("tts", Facts()), values={"voice_language": language})


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
