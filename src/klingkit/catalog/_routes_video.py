"""The contract's video routes: legacy, 2026, omni, effects, extension and Kling 4.0 (rules, defaults and
price for each; :mod:`klingkit.catalog._contract` dispatches to them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _data as C
from . import _effects as effects_data
from . import _kling4 as kling4
from . import _lookup as catalog
from ._checked import (
    EXTENDED_MAX_SECONDS,
    EXTENSION_SECONDS,
    Checked,
    Known,
    Route,
    duration_of,
    mode_of,
    model_of,
)
from ._lookup import mode_resolution, new_video_model
from .prices import Facts, price
from .rules import Checks, as_bool, as_duration, given
from .rules import _kling4 as kling4_rules
from .rules import _omni as omni_rules
from .rules import _video as video_rules
from .rules._interp import Ctx, run

# --- video ----------------------------------------------------------------------------------------------


def _legacy_video(p: Mapping[str, Any], c: Checks, known: Known, *, i2v: bool) -> Checked:
    feature = "image2video" if i2v else "text2video"
    model, mode, duration = model_of(p, feature, c), mode_of(p, feature, c), duration_of(p, c)
    sound = p.get("sound") == "on"
    multi = as_bool("multi_shot", p["multi_shot"], c) if given(p, "multi_shot") else False
    x = Ctx(p, model, catalog.video_model(model), mode, duration, sound, facts={"multi": multi})
    run(video_rules.IMAGE2VIDEO if i2v else video_rules.TEXT2VIDEO, x, c)
    variant = "voice" if p.get("voice_list") else "audio" if sound else "silent"
    est = price(feature, Facts(model, x.row, mode, variant, seconds=duration))
    values = {
        "camera_control": x.values.get("camera_control"),
        "multi_shot": multi,
        "multi_prompt": x.values.get("multi_prompt"),
    }
    return Checked(feature, est, model=model, mode=mode, duration=duration, values=values)


def _multi_image_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    feature = "multi-image2video"
    model, mode, duration = model_of(p, feature, c), mode_of(p, feature, c), duration_of(p, c)
    x = Ctx(p, model, catalog.video_model(model), mode, duration)
    run(video_rules.MULTI_IMAGE2VIDEO, x, c)
    est = price(feature, Facts(model, x.row, mode, seconds=duration))
    return Checked(feature, est, model=model, mode=mode, duration=duration)


def _extend(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(video_rules.VIDEO_EXTEND, Ctx(p), c)
    if known.video_seconds is None:
        return Checked("video-extend", price("video-extend", Facts()))
    # What follows reads the source video, which only a server has (policy server-state).
    total = known.video_seconds + EXTENSION_SECONDS
    facts = {"known": known, "total": total, "max": EXTENDED_MAX_SECONDS, "adds": EXTENSION_SECONDS}
    run(video_rules.VIDEO_EXTEND_SOURCE, Ctx(p, facts=facts), c)
    mode = known.video_mode or "std"
    est = price("video-extend", Facts(known.video_model or "", mode=mode, seconds=known.video_seconds))
    return Checked("video-extend", est, model=known.video_model, mode=mode, duration=EXTENSION_SECONDS)


def _omni_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    feature = "omni-video"
    model, mode, duration = model_of(p, feature, c), mode_of(p, feature, c), duration_of(p, c)
    sound = p.get("sound") == "on"
    x = Ctx(p, model, catalog.omni_video_model(model), mode, duration, sound)
    run(omni_rules.OMNI_VIDEO, x, c)
    variant = "video_input" if p.get("video_list") else "audio" if sound else "silent"
    est = price(feature, Facts(model, x.row, mode, variant, seconds=duration))
    return Checked(feature, est, model=model, mode=mode, duration=duration)


def _new_video(p: Mapping[str, Any], c: Checks, known: Known, *, i2v: bool) -> Checked:
    feature = "image-to-video" if i2v else "text-to-video"
    name = p.get("model_name")
    model = new_video_model(name) if isinstance(name, str) else None
    run(omni_rules.NEW_VIDEO_MODEL, Ctx(p, row=model, facts={"feature": feature}), c)
    assert model is not None  # refused above
    resolution = str(p["resolution"]) if given(p, "resolution") else model.resolutions[0]
    audio = str(p["audio"]) if given(p, "audio") else None
    duration = duration_of(p, c)
    table = omni_rules.NEW_IMAGE_TO_VIDEO if i2v else omni_rules.NEW_TEXT_TO_VIDEO
    run(
        table,
        Ctx(p, model.name, model, duration=duration, facts={"resolution": resolution, "audio": audio}),
        c,
    )
    native = audio == "native" or (audio is None and model.audio == ("native",))
    variant = "audio" if native else "silent"
    est = price(feature, Facts(model.name, model, "", variant, resolution, seconds=duration))
    mode = {v: k for k, v in C.MODE_RESOLUTION.items()}.get(resolution)
    sound = audio or ("off" if "off" in model.audio else model.audio[0])
    return Checked(
        feature, est, model=model.name, mode=mode, duration=duration, resolution=resolution, audio=sound
    )


def _new_omni_video(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    name = p.get("model_name")
    model = omni_rules.omni_new_model(name) if isinstance(name, str) and name else None
    run(omni_rules.OMNI_VIDEO_NEW_MODEL, Ctx(p, row=model), c)
    assert model is not None  # refused above
    resolution = str(p["resolution"]) if given(p, "resolution") else C.OMNI_NEW_DEFAULT_RESOLUTION
    audio = str(p["audio"]) if given(p, "audio") else None
    duration = duration_of(p, c)
    frames = omni_rules.frames_of(p)
    facts = {"resolution": resolution, "audio": audio, "frames": frames}
    run(
        omni_rules.OMNI_VIDEO_NEW,
        Ctx(p, model.new_name or model.name, model, duration=duration, facts=facts),
        c,
    )
    mode = {mode_resolution(model, m): m for m in model.modes}[resolution]
    variant = "video_input" if p.get("video_list") else "audio" if audio == "native" else "silent"
    est = price("omni-video-new", Facts(model.name, model, mode, variant, resolution, seconds=duration))
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
    name = p.get("effect_scene")
    scene = effects_data.scene(
        name if isinstance(name, str) else ""
    )  # scenes and prices are data (._effects)
    duration = as_duration("duration", p["duration"], c) if given(p, "duration") else None
    run(video_rules.EFFECTS, Ctx(p, facts={"scene": scene}), c)
    dual = scene.images == 2
    est = price("effects", Facts(facts={"scene": scene}))
    return Checked("effects", est, model=p.get("model_name"), duration=duration, values={"dual": dual})


# --- Kling 4.0 -------------------------------------------------------------------------------------------


def kling4_route(feature: str, p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    """A 4.0 model on a 2026 route: its rules read the body as sent (``contents``, ``settings``), and its
    price is an estimate on both sides (reseller prices, conf L)."""
    model = str(kling4.canonical(p.get("model_name")))
    body = {k: v for k, v in p.items() if k != "model_name"}
    run(kling4_rules.TABLES[feature], kling4_rules.context(feature, model, body, known.videos), c)
    measured = kling4.measure(feature, body, known.videos)
    row = kling4.MODELS[model]
    facts = Facts(row.name, row, resolution=measured.resolution, seconds=measured.output_seconds,
                  input_seconds=measured.video_input_seconds)  # fmt: skip
    mode = {v: k for k, v in C.MODE_RESOLUTION.items()}.get(measured.resolution)
    return Checked(
        feature,
        price(feature, facts),
        model=model,
        mode=mode,
        duration=measured.output_seconds,
        resolution=measured.resolution,
        values={"video_input_seconds": measured.video_input_seconds},
    )


VIDEO_ROUTES: dict[str, Route] = {
    "text2video": lambda p, c, k: _legacy_video(p, c, k, i2v=False),
    "image2video": lambda p, c, k: _legacy_video(p, c, k, i2v=True),
    "multi-image2video": _multi_image_video,
    "video-extend": _extend,
    "omni-video": _omni_video,
    "text-to-video": lambda p, c, k: _new_video(p, c, k, i2v=False),
    "image-to-video": lambda p, c, k: _new_video(p, c, k, i2v=True),
    "omni-video-new": _new_omni_video,
    "effects": _effects,
}
