"""The wire bodies of the legacy routes other than video (and the helpers every builder shares).

Body conventions are in :mod:`klingkit._prepare`. Each ``_b_*`` builder runs the catalog's rules
(:mod:`klingkit.catalog.rules`), converts media inputs and returns the body with its estimate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _media as media
from . import _validation as V
from . import catalog
from . import catalog as C
from ._exceptions import ValidationError
from ._validation import Checks, given
from .catalog import Estimate


@dataclass
class _Built:
    body: dict[str, Any]
    estimate: Estimate
    model: str | None = None
    mode: str | None = None
    duration: float | None = None
    feature: str | None = None  # when a builder serves two routes
    path_model: str | None = None
    extra_warnings: list[str] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------------------


def _put(body: dict[str, Any], p: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if given(p, key):
            body[key] = p[key]


def _common_legacy(body: dict[str, Any], p: Mapping[str, Any]) -> None:
    _put(body, p, "callback_url", "external_task_id", "watermark_info")


def _options(p: Mapping[str, Any], *, watermark_key: str = "watermark_info") -> dict[str, Any]:
    options: dict[str, Any] = {}
    _put(options, p, "callback_url", "external_task_id")
    if given(p, "watermark_info"):
        options[watermark_key] = p["watermark_info"]
    return options


def _dur_text(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def _image(value: Any, field: str, c: Checks, **kw: Any) -> str:
    m = media.image(value, field, **kw)
    for w in m.warnings:
        c.warn(w)
    return m.wire


def _listed(field: str, items: Any) -> list[Any]:
    """``items`` as a list, or a ValidationError naming ``field`` (a number or a string is not a list)."""
    if not isinstance(items, (list, tuple)):
        raise ValidationError(field, items, "a list")
    return list(items)


def _element_list(items: Any) -> list[dict[str, Any]]:
    return [dict(i) if isinstance(i, Mapping) else {"element_id": i} for i in _listed("element_list", items)]


def _voice_list(items: Any) -> list[dict[str, Any]]:
    return [dict(i) if isinstance(i, Mapping) else {"voice_id": i} for i in _listed("voice_list", items)]


def _video_media(value: Any, field: str, c: Checks) -> str:
    m = media.video(value, field)
    if not m.is_url:
        c.warn(f"{field}: the API documents a URL here; the local video is sent as base64 ({m.shown})")
    return m.wire


def _model(p: Mapping[str, Any], feature: str, *, checked: bool = False) -> str:
    """``model_name`` or the route's default. A name that is not a text is refused here, or with
    ``checked`` (the route's catalog check comes next and refuses it with every other problem) read as
    ``""``, a model no catalog row has."""
    value = p.get("model_name")
    if value is None or value == "":
        return C.DEFAULT_MODELS[feature]
    if not isinstance(value, str):
        if checked:
            return ""
        raise ValidationError("model_name", value, "a model name")
    return value


def _mode(p: Mapping[str, Any], feature: str) -> str:
    return V.as_mode(p["mode"]) if given(p, "mode") else C.DEFAULT_MODES.get(feature, "std")


def _wire_mode(p: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's parameters with ``mode`` in the wire's spelling (``standard`` -> ``std``); a mode that
    is not a text is left for the catalog's check to refuse with every other problem."""
    return {**p, "mode": V.as_mode(p["mode"])} if isinstance(p.get("mode"), str) and p["mode"] else dict(p)


def _duration(p: Mapping[str, Any]) -> float:
    if not given(p, "duration"):
        return float(C.DEFAULT_VIDEO_DURATION)
    return V.as_duration("duration", p["duration"])


def _sound(p: Mapping[str, Any]) -> bool:
    return p.get("sound") == "on"


def _b_lip_sync(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("lip-sync", p, checks=c)
    audio_type = ok.values["audio_type"]
    inp: dict[str, Any] = {}
    if given(p, "video_id"):
        inp["video_id"] = p["video_id"]
    else:
        inp["video_url"] = _video_media(p["video_url"], "video_url", c)
    inp["mode"] = p["mode"]
    _put(inp, p, "text", "voice_id", "voice_language", "voice_speed")
    if audio_type:
        inp["audio_type"] = audio_type
        if audio_type == "file":
            inp["audio_file"] = _audio_b64(p["audio_file"], "audio_file")
        else:
            inp["audio_url"] = p["audio_url"]
    body: dict[str, Any] = {"input": inp}
    _common_legacy(body, p)
    return _Built(body, ok.estimate, mode=ok.mode)


def _audio_b64(value: Any, field: str) -> str:
    m = media.audio(value, field)
    return m.wire


def _b_identify_face(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("identify-face", p, checks=c)
    body: dict[str, Any] = {}
    if given(p, "video_id"):
        body["video_id"] = p["video_id"]
    else:
        body["video_url"] = _video_media(p["video_url"], "video_url", c)
    return _Built(body, ok.estimate)


def _b_advanced_lip_sync(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("advanced-lip-sync", p, checks=c)
    faces = []
    for i, face in enumerate(p["face_choose"]):
        out = {k: v for k, v in face.items() if v is not None and v != ""}
        if given(face, "sound_file"):
            out["sound_file"] = _audio_b64(face["sound_file"], f"face_choose[{i}].sound_file")
        faces.append(out)
    body: dict[str, Any] = {"session_id": p["session_id"], "face_choose": faces}
    _common_legacy(body, p)
    return _Built(body, ok.estimate, duration=ok.duration)


def _b_effects(p: dict[str, Any], c: Checks) -> _Built:
    try:
        ok = catalog.check("effects", p, checks=c)
    except catalog.effect_scenes.EffectsDataError as exc:  # the user's effects file, not the call, is wrong
        raise ValidationError("effect_scene", p.get("effect_scene"), "a scene from readable effects data",
                              str(exc)) from None  # fmt: skip
    dual = bool(ok.values["dual"])
    inp: dict[str, Any] = {}
    if dual:
        inp["images"] = [_image(v, f"images[{i}]", c) for i, v in enumerate(p["images"])]
    else:
        inp["image"] = _image(p["image"], "image", c)
    if given(p, "model_name"):
        inp["model_name"] = p["model_name"]
    if given(p, "mode"):
        inp["mode"] = V.as_mode(p["mode"])
    if ok.duration is not None:
        inp["duration"] = _dur_text(ok.duration)
    body: dict[str, Any] = {"effect_scene": p["effect_scene"], "input": inp}
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=ok.model, duration=ok.duration)


# --- images ---------------------------------------------------------------------------------------------


def _b_images_generations(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "images/generations", checked=True)
    ok = catalog.check("images/generations", p, checks=c)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "image_reference", "image_fidelity", "human_fidelity")
    if given(p, "image"):
        body["image"] = _image(p["image"], "image", c)
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    _put(body, p, "resolution", "n", "aspect_ratio")
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model)


def _b_multi_image2image(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "multi-image2image", checked=True)
    ok = catalog.check("multi-image2image", p, checks=c)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt")
    subjects = []
    for i, item in enumerate(p["subject_image_list"]):
        value = item["subject_image"] if isinstance(item, Mapping) else item
        subjects.append({"subject_image": _image(value, f"subject_image_list[{i}]", c)})
    body["subject_image_list"] = subjects
    for key in ("scene_image", "style_image"):
        if given(p, key):
            body[key] = _image(p[key], key, c)
    _put(body, p, "n", "aspect_ratio")
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model)


def _b_expand(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("editing/expand", p, checks=c)
    body: dict[str, Any] = {}
    _put(
        body, p, "up_expansion_ratio", "down_expansion_ratio", "left_expansion_ratio", "right_expansion_ratio"
    )
    _put(body, p, "prompt")
    body["image"] = _image(p["image"], "image", c)
    _put(body, p, "n")
    _common_legacy(body, p)
    return _Built(body, ok.estimate)


def _b_try_on(p: dict[str, Any], c: Checks) -> _Built:
    solution = bool(p.get("solution")) or given(p, "person_image") or given(p, "product_image")
    ok = catalog.check("virtual_try_on" if solution else "kolors-virtual-try-on", p, checks=c)
    est = ok.estimate
    if solution:
        kw: dict[str, Any] = {
            "formats": C.TRYON_SOLUTION_FORMATS,
            "max_long_side": C.TRYON_SOLUTION_LONG_SIDE_MAX,
            "min_side": C.IMAGE_MIN_SIDE + 1,
            "check_aspect": False,
        }
        contents = [
            {"type": "product_image", "url": _image(p["product_image"], "product_image", c, **kw)},
            {"type": "person_image", "url": _image(p["person_image"], "person_image", c, **kw)},
        ]
        body: dict[str, Any] = {"contents": contents}
        settings = {k: V.as_bool(k, p[k]) for k in C.TRYON_SOLUTION_SETTINGS if given(p, k)}
        if settings:
            body["settings"] = settings
        options = _options(p, watermark_key="watermark")
        if options:
            body["options"] = options
        return _Built(body, est, feature="virtual_try_on")
    model = _model(p, "kolors-virtual-try-on")
    body = {
        "model_name": model,
        "human_image": _image(p["human_image"], "human_image", c, check_aspect=False),
        "cloth_image": _image(p["cloth_image"], "cloth_image", c, check_aspect=False),
    }
    _common_legacy(body, p)
    return _Built(body, est, model=model, feature="kolors-virtual-try-on")


def _b_omni_image(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "omni-image", checked=True)
    ok = catalog.check("omni-image", p, checks=c)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt")
    if p.get("image_list"):
        images = []
        for i, item in enumerate(_listed("image_list", p["image_list"])):
            value = item["image"] if isinstance(item, Mapping) else item
            images.append({"image": _image(value, f"image_list[{i}]", c)})
        body["image_list"] = images
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    _put(body, p, "resolution", "result_type", "series_amount", "n", "aspect_ratio")
    _common_legacy(body, p)
    return _Built(body, ok.estimate, model=model)


# --- audio ----------------------------------------------------------------------------------------------


def _b_text_to_audio(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("text-to-audio", p, checks=c)
    body: dict[str, Any] = {"prompt": p["prompt"], "duration": p["duration"]}
    _common_legacy(body, p)
    return _Built(body, ok.estimate, duration=ok.duration)


def _b_video_to_audio(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("video-to-audio", p, checks=c)
    body: dict[str, Any] = {}
    if given(p, "video_id"):
        body["video_id"] = p["video_id"]
    else:
        body["video_url"] = _video_media(p["video_url"], "video_url", c)
    _put(body, p, "sound_effect_prompt", "bgm_prompt")
    if given(p, "asmr_mode"):
        body["asmr_mode"] = V.as_bool("asmr_mode", p["asmr_mode"])
    _common_legacy(body, p)
    return _Built(body, ok.estimate)


def _b_tts(p: dict[str, Any], c: Checks) -> _Built:
    ok = catalog.check("tts", p, checks=c)
    lang = ok.values["voice_language"]
    body: dict[str, Any] = {"text": p["text"], "voice_id": p["voice_id"], "voice_language": lang}
    _put(body, p, "voice_speed")
    _common_legacy(body, p)
    return _Built(body, ok.estimate)
