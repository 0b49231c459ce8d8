"""Requests for the endpoints added in 2026-H2 (avatar, motion control, ...): params -> RequestSpec.

Each builder turns the caller's flat parameters into the wire body, runs the catalog's rules for that
endpoint over the body (the same function the sandbox runs) and prices it from the catalog. Media are
checked by ``klingkit._media``; the length of a local audio or video file is read when PyAV is installed
(or, for WAV, with the standard library) so that the price and the length rules can use it.
"""

from __future__ import annotations

import io
import os
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _media as media
from . import catalog
from ._exceptions import ValidationError
from ._requests_image4 import build_image4
from ._undocumented import refuse_undocumented
from ._validation import refused_as_validation_error
from .catalog import Estimate, drive, edit, endpoint, image4, multishot
from .catalog.rules import Refusal

__all__ = ["ALIASES", "BUILDERS", "media_seconds", "prepare_more", "route_key"]

_COMMON = frozenset({"callback_url", "external_task_id", "watermark_info"})


def media_seconds(value: Any) -> float | None:
    """Seconds of a local audio/video file or bytes; None for URLs or when it cannot be read here."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if media.is_url(value) or not isinstance(value, (str, bytes, bytearray)):
        return None
    if isinstance(value, str) and (len(value) > 4096 or "\n" in value):
        return None
    try:
        data = bytes(value) if isinstance(value, (bytes, bytearray)) else open(value, "rb").read()  # noqa: SIM115
    except OSError:
        return None
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        try:
            with wave.open(io.BytesIO(data)) as w:
                return float(w.getnframes()) / float(w.getframerate())
        except (wave.Error, EOFError):
            return None
    try:
        import av
    except ImportError:  # PyAV is an optional extra; the server checks the length then
        return None
    try:
        with av.open(io.BytesIO(data)) as container:
            return float(container.duration or 0) / 1_000_000 or None
    except Exception:  # not decodable here
        return None


@dataclass
class _Out:
    body: dict[str, Any]
    units: float
    basis: str
    exact: bool
    model: str | None = None
    mode: str | None = None
    duration: float | None = None
    path_model: str | None = None
    warnings: tuple[str, ...] = ()


def _put(body: dict[str, Any], p: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if p.get(key) not in (None, ""):
            body[key] = p[key]


def _checked(
    feature: str,
    body: Mapping[str, Any],
    known: catalog.Known | None = None,
    rename: Mapping[str, str] | None = None,
) -> catalog.Checked:
    """The catalog's contract on the built body; a refusal names the caller's field (``rename``), and the
    error carries every refusal of the body (``ValidationError.all``), not only the first."""
    try:
        return catalog.check(feature, body, known=known)
    except Refusal as r:
        names = rename or {}
        every = [
            Refusal(names.get(x.field, x.field), x.value, x.allowed, x.suggestion or None, policy=x.policy)
            for x in r.all
        ]
        every[0].all = every
        raise refused_as_validation_error(every[0]) from None


def _out(body: dict[str, Any], ok: catalog.Checked, **extra: Any) -> _Out:
    est = ok.estimate
    return _Out(body, est.units, est.basis, est.exact, **extra)


def _avatar(p: dict[str, Any]) -> _Out:
    body: dict[str, Any] = {}
    warnings: list[str] = []
    if p.get("image") not in (None, ""):
        m = media.image(p["image"], "image")
        warnings.extend(m.warnings)
        body["image"] = m.wire
    seconds = None
    if p.get("sound_file") not in (None, ""):
        body["sound_file"] = media.audio(p["sound_file"], "sound_file").wire
        seconds = media_seconds(p["sound_file"])
    _put(body, p, "audio_id", "prompt", "mode", *sorted(_COMMON))
    ok = _checked("avatar", body, catalog.Known(media_seconds=seconds))
    return _out(body, ok, mode=ok.mode, duration=seconds, warnings=tuple(warnings))


def _keep(value: Any) -> Any:
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def _motion(p: dict[str, Any]) -> _Out:
    model = p.get("model_name")
    new = (
        isinstance(model, str) and model in drive.MOTION_MODELS and drive.MOTION_MODELS[model].route == "new"
    )
    image = media.image(p["image"], "image").wire if p.get("image") not in (None, "") else None
    video = media.video(p["video"], "video").wire if p.get("video") not in (None, "") else None
    seconds = media_seconds(p.get("video"))
    orientation = p.get("character_orientation")
    if new:
        if p.get("mode") not in (None, "") and p.get("resolution") not in (None, ""):
            raise ValidationError("mode", p["mode"], "mode or resolution, not both")
        resolution = p.get("resolution") or drive.MOTION_MODES.get(str(p.get("mode") or ""), None)
        contents: list[dict[str, Any]] = []
        if p.get("prompt"):
            contents.append({"type": "prompt", "text": p["prompt"]})
        if image is not None:
            contents.append({"type": "image", "url": image})
        if video is not None:
            contents.append({"type": "video", "url": video})
        body: dict[str, Any] = {"contents": contents}
        settings: dict[str, Any] = {}
        _put(settings, {"resolution": resolution, "character_orientation": orientation,
                        "keep_original_sound": _keep(p.get("keep_original_sound"))},
             "resolution", "character_orientation", "keep_original_sound")  # fmt: skip
        if settings:
            body["settings"] = settings
        options: dict[str, Any] = {}
        _put(options, p, *sorted(_COMMON))
        if options:
            body["options"] = options
        rename = {"contents[type=image].url": "image", "contents[type=video].url": "video",
                  "settings.resolution": "resolution"}  # fmt: skip
    else:
        body = {"model_name": model or drive.MOTION_DEFAULT_MODEL}
        if image is not None:
            body["image_url"] = image
        if video is not None:
            body["video_url"] = video
        _put(body, p, "prompt", "mode", "character_orientation")
        if p.get("keep_original_sound") is not None:
            body["keep_original_sound"] = _keep(p["keep_original_sound"])
        _put(body, p, *sorted(_COMMON))
        rename = {"image_url": "image", "video_url": "video"}
    feature, wire = ("motion-control-new", {**body, "model_name": model}) if new else ("motion-control", body)
    ok = _checked(feature, wire, catalog.Known(media_seconds=seconds), rename)
    return _out(
        body, ok, model=ok.model, mode=ok.mode, duration=seconds, path_model=ok.model if new else None
    )


def _element(p: dict[str, Any]) -> _Out:
    images = p.get("images")
    images = [images] if isinstance(images, (str, bytes, os.PathLike)) else list(images or [])
    refs = []
    warnings: list[str] = []
    for i, image in enumerate(images):
        m = media.image(image, f"images[{i}]")
        warnings.extend(m.warnings)
        refs.append({"image_url": m.wire})
    body: dict[str, Any] = {}
    _put(body, p, "name", "description", "element_type", "tags")
    body["references"] = refs
    _put(body, p, *sorted(_COMMON))
    ok = _checked("custom-elements", body, rename={"references": "images"})
    return _out(body, ok, warnings=tuple(warnings))


def _voice(p: dict[str, Any]) -> _Out:
    body: dict[str, Any] = {}
    _put(body, p, "name")
    seconds = None
    audio = p.get("audio")
    if audio not in (None, ""):
        m = media.audio(audio, "audio")
        body["audio_url" if m.is_url else "audio_file"] = m.wire
        seconds = media_seconds(audio)
    _put(body, p, *sorted(_COMMON))
    rename = {"audio_url/audio_file": "audio", "audio_file": "audio"}
    ok = _checked("custom-voices", body, catalog.Known(media_seconds=seconds), rename)
    return _out(body, ok, duration=seconds)


def _recognize(p: dict[str, Any]) -> _Out:
    body: dict[str, Any] = {}
    warnings: tuple[str, ...] = ()
    if p.get("image") not in (None, ""):
        m = media.image(p["image"], "image")
        body["image"], warnings = m.wire, m.warnings
    _put(body, p, "type", "external_task_id")
    return _out(body, _checked("image-recognize", body), warnings=warnings)


def _multi_shot(p: dict[str, Any]) -> _Out:
    body: dict[str, Any] = {}
    warnings: tuple[str, ...] = ()
    if p.get("image") not in (None, ""):
        m = media.image(p["image"], "image")
        body[multishot.IMAGE_FIELD], warnings = m.wire, m.warnings
    _put(body, p, *sorted(_COMMON))
    ok = _checked("ai-multi-shot", body, rename={multishot.IMAGE_FIELD: "image"})
    return _out(body, ok, warnings=warnings)


def _multi_elements(p: dict[str, Any]) -> _Out:
    body: dict[str, Any] = {"model_name": p.get("model_name") or edit.MODELS[0]}
    _put(body, p, "session_id", "edit_mode", "prompt", "negative_prompt", "mode")
    if p.get("duration") not in (None, ""):
        body["duration"] = str(int(float(p["duration"])))
    images = p.get("images")
    images = [images] if isinstance(images, (str, bytes, os.PathLike)) else list(images or [])
    warnings: list[str] = []
    if images:
        body["image_list"] = []
        for i, image in enumerate(images):
            m = media.image(image, f"images[{i}]")
            warnings.extend(m.warnings)
            body["image_list"].append({"image": m.wire})
    _put(body, p, *sorted(_COMMON))
    ok = _checked("multi-elements", body, rename={"image_list": "images"})
    return _out(
        body, ok, model=body["model_name"], mode=ok.mode, duration=ok.duration, warnings=tuple(warnings)
    )


@dataclass(frozen=True)
class _Builder:
    build: Callable[[dict[str, Any]], _Out]
    params: frozenset[str]


BUILDERS: dict[str, _Builder] = {
    "avatar": _Builder(_avatar, frozenset({"image", "audio_id", "sound_file", "prompt", "mode"}) | _COMMON),
    "motion-control": _Builder(
        _motion,
        frozenset(
            {
                "model_name",
                "image",
                "video",
                "prompt",
                "mode",
                "resolution",
                "character_orientation",
                "keep_original_sound",
            }
        )
        | _COMMON,
    ),
}
_IMAGE4_FEATURES = (
    "generate",
    "images/generations",
    "omni_image",
    "omni-image",
    "image_generation",
    "generations",
)
"""The image features that hand an Image 4.0 model to ``_requests_image4`` (one route, /omni-image/{model})."""
BUILDERS["custom-elements"] = _Builder(
    _element, frozenset({"name", "images", "description", "element_type", "tags"}) | _COMMON
)
BUILDERS["image-recognize"] = _Builder(_recognize, frozenset({"image", "type", "external_task_id"}))
BUILDERS["multi-elements"] = _Builder(
    _multi_elements,
    frozenset(
        {"model_name", "session_id", "edit_mode", "prompt", "negative_prompt", "images", "mode", "duration"}
    )
    | _COMMON,
)
BUILDERS["custom-voices"] = _Builder(_voice, frozenset({"name", "audio"}) | _COMMON)
BUILDERS["ai-multi-shot"] = _Builder(_multi_shot, frozenset({"image"}) | _COMMON)
ALIASES = {k: v for k, v in catalog.FEATURE_WORDS.items() if v in BUILDERS or v == "motion-control"}
"""The catalog's feature words for this module's routes (``catalog.FEATURE_WORDS``)."""


def route_key(feature: str) -> str | None:
    """The builder of this module that serves ``feature`` (a route key or a catalog feature word), or
    None; one builder serves both motion-control routes (the model picks the route)."""
    key = catalog.feature_for(feature)
    key = "motion-control" if key == "motion-control-new" else key
    return key if key in BUILDERS else None


def prepare_more(feature: str, params: dict[str, Any]) -> Any:
    """The RequestSpec for ``feature`` when it is one of this module's endpoints, else None."""
    from ._prepare import RequestSpec  # the shared spec type (imported late: _prepare imports us)

    if feature in _IMAGE4_FEATURES and image4.canonical(params.get("model_name")) is not None:
        body, model, units, basis, warns = build_image4(params)
        ep = endpoint("omni-image-new")
        return RequestSpec(feature=ep.feature, method="POST", path=f"{ep.path}/{model}", body=body,
                           family=ep.family, pack=ep.pack, params=media.elide(params),
                           estimate=Estimate.of(units, ep.pack, basis, False), warnings=warns, model=model)  # fmt: skip
    key = route_key(feature)
    if key is None:
        return None
    builder = BUILDERS[key]

    refuse_undocumented(params, builder.params, key)
    out = builder.build(dict(params))
    route = "motion-control-new" if key == "motion-control" and out.path_model else key
    ep = endpoint(route)
    path = f"{ep.path}/{out.path_model}" if ep.model_in_path and out.path_model else ep.path
    eid = params.get("external_task_id")
    return RequestSpec(
        feature=route,
        method="POST",
        path=path,
        body=out.body,
        family=ep.family,
        pack=ep.pack,
        params=media.elide(params),
        estimate=Estimate.of(out.units, ep.pack, out.basis, out.exact),
        external_id=eid if isinstance(eid, str) and eid else None,
        warnings=out.warnings,
        sync=ep.sync,
        model=out.model,
        mode=out.mode,
        duration=out.duration,
    )
