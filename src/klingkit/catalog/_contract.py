"""The one entry to the contract: :func:`check` a request for a route and :func:`price` it.

The client (``klingkit.prepare``) and the sandbox call these two functions and nothing else of the rules: a
route's rules, its defaults and its price are looked up here, in :data:`ROUTES`, so neither side dispatches
per route or adds up a price itself. A refusal is a :class:`~klingkit.catalog.rules.Refusal` (field, value,
what is allowed, the nearest model that allows it); the client raises it as ``ValidationError``, the
sandbox answers it as 400/1201.

``params`` are the request's fields in the wire's own spellings, flat: legacy routes as sent; on the 2026
routes the fields of ``settings`` (``resolution``, ``audio``, ``duration``, ``aspect_ratio``) next to the
prompt and the inputs (``image``, ``image_tail``, ``image_list`` with ``first_frame``/``end_frame`` types,
``video_list``, ``element_list``). Friendly spellings (``mode='standard'``, ``sound=True``, the 2026
``mode``/``sound`` words) are the client's to translate first; a server reads the wire as sent.

What only a server knows (the length and model of a source video, how many images an ``auto`` series
produced) comes in :class:`Known` (policy ``server-state``): without it the price is the estimate a client
can give, marked inexact where it had to assume; with it the price is the charge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import _data as C
from . import _effects as effects_data
from ._lookup import image_model as _image_model
from ._lookup import mode_resolution, new_video_model, omni_image_model
from ._policies import EXTENDABLE_MODELS, SERVER_STATE
from ._price import Estimate, flat_price, new_video_price, video_price
from .rules import Checks, Refusal, as_bool, as_duration, given
from .rules import _audio as audio_rules
from .rules import _images as image_rules
from .rules import _omni as omni_rules
from .rules import _video as video_rules

__all__ = ["ROUTES", "Checked", "Known", "check", "image_price", "price"]

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


_Route = Callable[[Mapping[str, Any], Checks, Known], Checked]


def _model(p: Mapping[str, Any], feature: str) -> str:
    value = p.get("model_name")
    if value is None or value == "":
        return C.DEFAULT_MODELS[feature]
    if not isinstance(value, str):
        raise Refusal("model_name", value, "a model name")
    return value


def _mode(p: Mapping[str, Any], feature: str) -> str:
    value = p.get("mode")
    if value is None or value == "":
        return C.DEFAULT_MODES.get(feature, "std")
    if not isinstance(value, str):
        raise Refusal("mode", value, ", ".join(C.VIDEO_MODES))
    return value


def _duration(p: Mapping[str, Any]) -> float:
    return as_duration("duration", p["duration"]) if given(p, "duration") else float(C.DEFAULT_VIDEO_DURATION)


# --- video ----------------------------------------------------------------------------------------------


def _legacy_video(p: Mapping[str, Any], c: Checks, known: Known, *, i2v: bool) -> Checked:
    feature = "image2video" if i2v else "text2video"
    model, mode, duration = _model(p, feature), _mode(p, feature), _duration(p)
    sound = p.get("sound") == "on"
    multi = as_bool("multi_shot", p["multi_shot"]) if given(p, "multi_shot") else False
    camera = video_rules.camera_control(p["camera_control"], c) if given(p, "camera_control") else None
    video_rules.legacy_video(
        p, c, i2v=i2v, model=model, mode=mode, duration=duration, sound=sound, multi=multi, camera_wire=camera
    )
    shots = video_rules.multi_shot(p, duration, c) if multi else None
    variant = "voice" if p.get("voice_list") else "audio" if sound else "silent"
    est = video_price(model, mode, duration, variant=variant)
    values = {"camera_control": camera, "multi_shot": multi, "multi_prompt": shots}
    return Checked(feature, est, model=model, mode=mode, duration=duration, values=values)


def _multi_image_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    feature = "multi-image2video"
    model, mode, duration = _model(p, feature), _mode(p, feature), _duration(p)
    video_rules.multi_image_to_video(p, c, model=model, mode=mode, duration=duration)
    est = video_price(model, mode, duration)
    return Checked(feature, est, model=model, mode=mode, duration=duration)


def _extend(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    video_rules.video_extend(p, c)
    if known.video_seconds is None:
        units = max(flat_price("extend_std"), flat_price("extend_pro"))
        basis = "extension: mode is inherited from the source video; the pro price is assumed"
        return Checked("video-extend", Estimate.of(units, "video", basis, False))
    # What follows reads the source video, which only a server has (policy server-state).
    if known.video_model not in EXTENDABLE_MODELS:
        allowed = f"a video made by {', '.join(EXTENDABLE_MODELS)}"
        why = f"it was made by {known.video_model}; only videos of those models can be extended"
        raise Refusal("video_id", p.get("video_id"), allowed, why, policy=SERVER_STATE)
    total = known.video_seconds + EXTENSION_SECONDS
    if total > EXTENDED_MAX_SECONDS:
        allowed = f"a video of at most {EXTENDED_MAX_SECONDS - EXTENSION_SECONDS:g} s"
        why = (
            f"the extended video would be {total:g} s; at most {EXTENDED_MAX_SECONDS:g} s can be extended to"
        )
        raise Refusal("video_id", p.get("video_id"), allowed, why, policy=SERVER_STATE)
    mode = known.video_mode or "std"
    key = "extend_pro" if mode in ("pro", "4k") else "extend_std"
    est = Estimate.of(flat_price(key), "video", f"extension of a {mode} video")
    return Checked("video-extend", est, model=known.video_model, mode=mode, duration=EXTENSION_SECONDS)


def _omni_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    feature = "omni-video"
    model, mode, duration = _model(p, feature), _mode(p, feature), _duration(p)
    sound = p.get("sound") == "on"
    omni_rules.omni_video(p, c, model=model, mode=mode, duration=duration, sound=sound)
    variant = "video_input" if p.get("video_list") else "audio" if sound else "silent"
    est = video_price(model, mode, duration, variant=variant, omni=True)
    return Checked(feature, est, model=model, mode=mode, duration=duration)


def _new_video(p: Mapping[str, Any], c: Checks, known: Known, *, i2v: bool) -> Checked:
    feature = "image-to-video" if i2v else "text-to-video"
    name = p.get("model_name")
    model = new_video_model(name) if isinstance(name, str) else None
    if model is None:
        known_names = ", ".join(m.name for m in C.NEW_VIDEO_MODELS)
        c.fail("model_name", name, known_names, f"the 2026 route {feature} takes the new model names")
    resolution = str(p["resolution"]) if given(p, "resolution") else model.resolutions[0]
    audio = str(p["audio"]) if given(p, "audio") else None
    duration = _duration(p)
    omni_rules.new_video(p, c, i2v=i2v, model=model, resolution=resolution, audio=audio, duration=duration)
    native = audio == "native" or (audio is None and model.audio == ("native",))
    est = new_video_price(model.name, resolution, duration, audio=native)
    mode = {v: k for k, v in C.MODE_RESOLUTION.items()}.get(resolution)
    sound = audio or ("off" if "off" in model.audio else model.audio[0])
    return Checked(
        feature, est, model=model.name, mode=mode, duration=duration, resolution=resolution, audio=sound
    )


def _new_omni_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    name = p.get("model_name")
    model = omni_rules.omni_new_model(name) if isinstance(name, str) and name else None
    if model is None:
        known_names = ", ".join(m.new_name for m in C.OMNI_VIDEO_MODELS if m.new_name)
        c.fail("model_name", name, known_names, "the 2026 route omni-video-new takes the 2026 model names")
    resolution = str(p["resolution"]) if given(p, "resolution") else C.OMNI_NEW_DEFAULT_RESOLUTION
    audio = str(p["audio"]) if given(p, "audio") else None
    duration = _duration(p)
    images = c.listed("image_list", p.get("image_list"))
    frames = [str(item.get("type") or "") if isinstance(item, Mapping) else "" for item in images]
    omni_rules.new_omni_video(
        p, c, model=model, resolution=resolution, audio=audio, duration=duration, frames=frames
    )
    mode = {mode_resolution(model, m): m for m in model.modes}[resolution]
    videos = c.listed("video_list", p.get("video_list"))
    variant = "video_input" if videos else "audio" if audio == "native" else "silent"
    est = video_price(model.name, mode, duration, variant=variant, omni=True)
    return Checked(
        "omni-video-new",
        est,
        model=model.new_name or model.name,
        mode=mode,
        duration=duration,
        resolution=resolution,
        audio=audio or "off",
        values={"frames": frames},
    )


def _effects(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    dual = video_rules.effects(p, c)
    scene = effects_data.scene(str(p.get("effect_scene") or ""))  # scenes and prices are data (._effects)
    basis = f"effect {scene.name}: " + (
        "its own price" if scene.exact else f"the {scene.images}-image scene price (scenes vary)"
    )
    est = Estimate.of(scene.units, "video", basis, scene.exact)
    duration = as_duration("duration", p["duration"]) if given(p, "duration") else None
    return Checked("effects", est, model=p.get("model_name"), duration=duration, values={"dual": dual})


# --- lip-sync and faces -----------------------------------------------------------------------------------


def _per_5s(seconds: float) -> float:
    return flat_price("lip_sync_per_5s") * max(1, math.ceil(seconds / 5 - 1e-9))


def _lip_sync(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    audio_type = audio_rules.lip_sync(p, c)
    values = {"audio_type": audio_type}
    mode = str(p["mode"])
    if known.video_seconds is None:
        basis = "lip-sync: 0.5 units per 5 s of video; video length unknown, 10 s assumed"
        est = Estimate.of(_per_5s(LIPSYNC_ASSUMED_SECONDS), "video", basis, False)
        return Checked("lip-sync", est, mode=mode, values=values)
    seconds = known.video_seconds
    est = Estimate.of(_per_5s(seconds), "video", f"lip-sync: 0.5 units per 5 s of a {seconds:g} s video")
    return Checked("lip-sync", est, mode=mode, duration=seconds, values=values)


def _identify_face(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    audio_rules.identify_face(p, c)
    est = Estimate.of(flat_price("identify_face"), "video", "face identification: flat per call")
    return Checked("identify-face", est, duration=known.video_seconds)


def _advanced_lip_sync(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    seconds = audio_rules.advanced_lip_sync(p, c)
    if known.video_seconds is None:
        basis = f"lip-sync: 0.5 units per 5 s; {seconds:g} s of audio inserted"
        return Checked(
            "advanced-lip-sync", Estimate.of(_per_5s(seconds), "video", basis, False), duration=seconds
        )
    video = known.video_seconds
    est = Estimate.of(_per_5s(video), "video", f"lip-sync: 0.5 units per 5 s of the {video:g} s video")
    return Checked("advanced-lip-sync", est, duration=video)


# --- images ---------------------------------------------------------------------------------------------


def image_price(
    model: str, n: int, *, kind: str, resolution: str | None = None, omni: bool = False
) -> Estimate:
    """Units for ``n`` images of ``model`` (``kind``: ``t2i``, ``i2i`` or ``multi``; 4K where it costs more)."""
    m = (omni_image_model if omni else _image_model)(model)
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
    model = _model(p, "images/generations")
    n = image_rules.image_generation(p, c, model=model)
    est = image_price(model, n, kind="i2i" if given(p, "image") else "t2i")
    return Checked("images/generations", est, model=model, count=n)


def _multi_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = _model(p, "multi-image2image")
    n = image_rules.multi_image_to_image(p, c, model=model)
    return Checked("multi-image2image", image_price(model, n, kind="multi"), model=model, count=n)


def _expand(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    n = image_rules.expand(p, c)
    rate = flat_price("expand_per_image")
    return Checked(
        "editing/expand", Estimate.of(rate * n, "image", f"expansion: {rate:g} units/image x {n}"), count=n
    )


def _omni_image(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = _model(p, "omni-image")
    count = image_rules.omni_image(p, c, model=model)
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
    image_rules.try_on(p, c, solution=solution)
    est = Estimate.of(flat_price("tryon_per_image"), "tryon", "virtual try-on: 1 unit/image")
    if solution:
        return Checked("virtual_try_on", est, count=1)
    return Checked("kolors-virtual-try-on", est, model=_model(p, "kolors-virtual-try-on"), count=1)


# --- sound ----------------------------------------------------------------------------------------------


def _text_to_audio(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    audio_rules.text_to_audio(p, c)
    est = Estimate.of(flat_price("text_to_audio"), "audio", "text-to-audio: flat per call")
    return Checked("text-to-audio", est, duration=float(p["duration"]))


def _video_to_audio(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    audio_rules.video_to_audio(p, c)
    if known.video_seconds is not None:
        low, high = C.VIDEO_TO_AUDIO_DURATION
        if not low <= known.video_seconds <= high:
            c.fail(
                "video_id",
                p.get("video_id"),
                f"a video of {low:g} to {high:g} s",
                f"it is {known.video_seconds:g} s",
            )
    est = Estimate.of(flat_price("video_to_audio"), "audio", "video-to-audio: flat per call")
    return Checked("video-to-audio", est, duration=known.video_seconds)


def _tts(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    language = audio_rules.tts(p, c)
    est = Estimate.of(flat_price("tts"), "audio", "text-to-speech: flat per call")
    return Checked("tts", est, values={"voice_language": language})


ROUTES: dict[str, _Route] = {
    "text2video": lambda p, c, k: _legacy_video(p, c, k, i2v=False),
    "image2video": lambda p, c, k: _legacy_video(p, c, k, i2v=True),
    "multi-image2video": _multi_image_video,
    "video-extend": _extend,
    "omni-video": _omni_video,
    "text-to-video": lambda p, c, k: _new_video(p, c, k, i2v=False),
    "image-to-video": lambda p, c, k: _new_video(p, c, k, i2v=True),
    "omni-video-new": _new_omni_video,
    "effects": _effects,
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
"""Every create route the rules cover (catalog endpoint keys) -> its rules, defaults and price."""


def check(
    feature: str,
    params: Mapping[str, Any],
    *,
    strict: bool = False,
    known: Known | None = None,
    checks: Checks | None = None,
) -> Checked:
    """Check a request for ``feature`` (a catalog endpoint key) and price it; raises :class:`Refusal`.

    ``strict`` refuses model names the catalog does not know (otherwise they pass with a warning, policy
    ``unknown-name``). ``checks`` collects the warnings into a caller's own collector; they are also in
    the result.
    """
    route = ROUTES.get(feature)
    if route is None:
        raise Refusal("feature", feature, ", ".join(ROUTES))
    c = checks if checks is not None else Checks(strict)
    checked = route(params, c, known or Known())
    return replace(checked, warnings=tuple(c.warnings))


def price(feature: str, params: Mapping[str, Any], *, known: Known | None = None) -> Estimate:
    """The price of a request for ``feature`` (what :func:`check` returns, for callers that only price)."""
    return check(feature, params, known=known).estimate
