"""Pure request building: ``prepare(feature, **params)`` -> a validated, priced :class:`RequestSpec`.

Nothing here does I/O except reading local media files given as inputs. One builder per endpoint turns the
caller's flat parameters (``klingkit._params``) into the exact wire JSON, after the rules in
``klingkit._validation`` and the media checks in ``klingkit._media``; the price comes from the catalog.

Body conventions (documented choices):

* ``model_name`` is always sent on routes that take it, even when the caller left it out, so the body says
  which model was validated and priced (the service default differs between doc versions).
* Other optional fields are sent only when given; empty strings (``"negative_prompt": ""``,
  ``"callback_url": ""``, ``"external_task_id": ""`` as in the official samples) are dropped, because the
  service treats absent and empty alike.
* Legacy routes send ``duration`` as a string (``"5"``) and ``mode`` in its short form (``std``/``pro``; the
  service rejects ``standard``); 2026 routes send ``settings.duration`` as an int. ``multi_shot`` is sent as
  a JSON boolean (its documented type) even when given as ``"true"``.
* ``camera_control`` of type ``simple`` is sent with all six axes (the others 0), as documented.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import _media as media
from . import _params as P
from . import _validation as V
from . import _video4, catalog
from . import catalog as C
from ._exceptions import ValidationError
from ._input_guard import check_body, check_params
from ._validation import Checks, given
from .catalog import Estimate

__all__ = ["FEATURE_ALIASES", "RequestSpec", "features", "prepare", "resolve_feature"]


@dataclass(frozen=True)
class RequestSpec:
    """Everything needed to send one create request, and to record it.

    ``feature`` is the catalog endpoint key (``text2video``, ``text-to-video``, ``images/generations``...);
    ``body`` is the exact wire JSON; ``params`` the caller's parameters with blobs elided (for sidecars
    and the ledger); ``estimate`` the catalog price; ``duration`` seconds of output (when known).
    """

    feature: str
    method: str
    path: str
    body: dict[str, Any]
    family: str
    pack: str
    params: dict[str, Any]
    estimate: Estimate
    query: dict[str, Any] | None = None
    external_id: str | None = None
    warnings: tuple[str, ...] = ()
    sync: bool = False
    model: str | None = None
    mode: str | None = None
    duration: float | None = None

    def with_external_id(self, eid: str) -> RequestSpec:
        """A copy whose body carries ``eid`` as ``external_task_id`` (top level on legacy routes,
        inside ``options`` on the 2026 and solutions routes)."""
        if not catalog.takes_external_id(self.model):
            # Kling 4.0 refuses the field: the id stays a local key (ledger, sidecars), never sent.
            return replace(self, external_id=eid)
        body = dict(self.body)
        if self.family == "legacy":
            body["external_task_id"] = eid
        else:
            options = dict(body.get("options") or {})
            options["external_task_id"] = eid
            body["options"] = options
        return replace(self, body=body, external_id=eid)


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


def _element_list(items: Any) -> list[dict[str, Any]]:
    return [dict(i) if isinstance(i, Mapping) else {"element_id": i} for i in items]


def _voice_list(items: Any) -> list[dict[str, Any]]:
    return [dict(i) if isinstance(i, Mapping) else {"voice_id": i} for i in items]


def _video_media(value: Any, field: str, c: Checks) -> str:
    m = media.video(value, field)
    if not m.is_url:
        c.warn(f"{field}: the API documents a URL here; the local video is sent as base64 ({m.shown})")
    return m.wire


def _model(p: Mapping[str, Any], feature: str) -> str:
    value = p.get("model_name")
    if value is None or value == "":
        return C.DEFAULT_MODELS[feature]
    if not isinstance(value, str):
        raise ValidationError("model_name", value, "a model name")
    return value


def _mode(p: Mapping[str, Any], feature: str) -> str:
    return V.as_mode(p["mode"]) if given(p, "mode") else C.DEFAULT_MODES.get(feature, "std")


def _duration(p: Mapping[str, Any]) -> float:
    if not given(p, "duration"):
        return float(C.DEFAULT_VIDEO_DURATION)
    return V.as_duration("duration", p["duration"])


def _sound(p: Mapping[str, Any]) -> bool:
    return p.get("sound") == "on"


# --- video ----------------------------------------------------------------------------------------------


def _video(p: dict[str, Any], c: Checks, *, i2v: bool, feature: str) -> _Built:
    if feature in ("text-to-video", "image-to-video") and not given(p, "model_name"):
        known = ", ".join(m.name for m in C.NEW_VIDEO_MODELS)
        c.fail(
            "model_name", None, known, f"the 2026 route {feature} needs the model name (it goes in the path)"
        )
    model = _model(p, feature)
    new_model = catalog.new_video_model(model)
    if new_model is not None:
        return _new_video(p, c, i2v=i2v, model=new_model)
    legacy = catalog.video_model(model)
    if feature in ("text-to-video", "image-to-video") and legacy is None:
        names = [m.name for m in C.NEW_VIDEO_MODELS]
        c.fail("model_name", model, ", ".join(names), f"the 2026 route {feature} takes the new model names")
    if legacy is not None and feature in ("text-to-video", "image-to-video"):
        hint = (
            f"use {legacy.new_name!r} on this route"
            if legacy.new_name
            else f"use feature {'image2video' if i2v else 'text2video'}"
        )
        c.fail("model_name", model, "a 2026 model name (kling-3.0, kling-2.6, ...)", hint)
    return _legacy_video(p, c, i2v=i2v, model=model)


def _legacy_video(p: dict[str, Any], c: Checks, *, i2v: bool, model: str) -> _Built:
    feature = "image2video" if i2v else "text2video"
    mode = _mode(p, feature)
    duration = _duration(p)
    sound = _sound(p)
    multi = V.as_bool("multi_shot", p["multi_shot"]) if given(p, "multi_shot") else False
    camera = V.camera_control(p["camera_control"], c) if given(p, "camera_control") else None
    V.legacy_video(
        p, c, i2v=i2v, model=model, mode=mode, duration=duration, sound=sound, multi=multi, camera_wire=camera
    )
    multi_prompt = V.multi_shot(p, duration, c) if multi else None
    if not multi and (given(p, "shot_type") or p.get("multi_prompt")):
        c.warn("shot_type/multi_prompt are ignored without multi_shot=true; not sent")

    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "cfg_scale", "sound", "aspect_ratio")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    if given(p, "camera_control"):
        body["camera_control"] = camera
    if given(p, "multi_shot"):
        body["multi_shot"] = multi
    if multi:
        body["shot_type"] = p["shot_type"]
        if multi_prompt is not None:
            body["multi_prompt"] = multi_prompt
    if p.get("voice_list"):
        body["voice_list"] = _voice_list(p["voice_list"])
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    if i2v:
        if given(p, "image"):
            body["image"] = _image(p["image"], "image", c)
        if given(p, "image_tail"):
            body["image_tail"] = _image(p["image_tail"], "image_tail", c, check_aspect=False)
        if given(p, "static_mask"):
            body["static_mask"] = _image(p["static_mask"], "static_mask", c)
        if p.get("dynamic_masks"):
            body["dynamic_masks"] = [
                {
                    "mask": _image(dm["mask"], f"dynamic_masks[{i}].mask", c),
                    "trajectories": dm["trajectories"],
                }
                for i, dm in enumerate(p["dynamic_masks"])
            ]
    _common_legacy(body, p)

    variant = "voice" if p.get("voice_list") else "audio" if sound else "silent"
    est = catalog.video_price(model, mode, duration, variant=variant)
    return _Built(body, est, model=model, mode=mode, duration=duration, feature=feature)


def _new_resolution(p: Mapping[str, Any], c: Checks, *, default: str) -> str:
    """``settings.resolution`` on the 2026 routes: ``resolution`` as given, or ``mode`` mapped to it."""
    if given(p, "resolution"):
        if given(p, "mode"):
            c.fail(
                "mode",
                p["mode"],
                "mode or resolution, not both",
                "on the 2026 routes mode only maps to resolution",
            )
        return str(p["resolution"])
    if given(p, "mode"):
        mode = V.as_mode(p["mode"])
        c.one_of("mode", mode, tuple(C.MODE_RESOLUTION), where="(mapped to resolution on the 2026 routes)")
        return C.MODE_RESOLUTION[mode]
    return default


def _new_audio(p: Mapping[str, Any], c: Checks) -> str | None:
    """``settings.audio`` on the 2026 routes: ``audio`` as given, or ``sound`` mapped to it."""
    if given(p, "audio"):
        if given(p, "sound"):
            c.fail("sound", p["sound"], "sound or audio, not both", "sound='on' maps to audio='native'")
        return str(p["audio"])
    if given(p, "sound"):
        c.one_of("sound", p["sound"], C.SOUND_VALUES)
        return "native" if p["sound"] == "on" else "off"
    return None


def _new_video(p: dict[str, Any], c: Checks, *, i2v: bool, model: catalog.NewVideoModel) -> _Built:
    feature = "image-to-video" if i2v else "text-to-video"
    resolution = _new_resolution(p, c, default=model.resolutions[0])
    audio = _new_audio(p, c)
    duration = (
        float(C.DEFAULT_VIDEO_DURATION)
        if not given(p, "duration")
        else V.as_duration("duration", p["duration"])
    )
    V.new_video(p, c, i2v=i2v, model=model, resolution=resolution, audio=audio, duration=duration)

    settings: dict[str, Any] = {}
    if audio is not None:
        settings["audio"] = audio
    if given(p, "resolution") or given(p, "mode"):
        settings["resolution"] = resolution
    if given(p, "aspect_ratio"):
        settings["aspect_ratio"] = p["aspect_ratio"]
    if given(p, "duration"):
        settings["duration"] = int(duration)
    if given(p, "multi_shot"):
        settings["multi_shot"] = V.as_bool("multi_shot", p["multi_shot"])
    body: dict[str, Any] = {}
    if i2v:
        limit = C.IMAGE_MAX_BYTES_NEW
        contents: list[dict[str, Any]] = []
        if given(p, "prompt"):
            contents.append({"type": "prompt", "text": p["prompt"]})
        contents.append({"type": "first_frame", "url": _image(p["image"], "image", c, max_bytes=limit)})
        if given(p, "image_tail"):
            url = _image(p["image_tail"], "image_tail", c, max_bytes=limit, check_aspect=False)
            contents.append({"type": "last_frame", "url": url})
        for e in _element_list(p.get("element_list") or []):
            contents.append({"type": "element", **e})
        body["contents"] = contents
    else:
        body["prompt"] = p["prompt"]
    if settings:
        body["settings"] = settings
    options = _options(p)
    if options:
        body["options"] = options
    native = audio == "native" or (audio is None and model.audio == ("native",))
    est = catalog.new_video_price(model.name, resolution, duration, audio=native)
    mode_name = {v: k for k, v in C.MODE_RESOLUTION.items()}.get(resolution)
    return _Built(
        body, est, model=model.name, mode=mode_name, duration=duration, feature=feature, path_model=model.name
    )


def _b_text2video(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=False, feature="text2video")


def _b_image2video(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=True, feature="image2video")


def _b_text_to_video_new(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=False, feature="text-to-video")


def _b_image_to_video_new(p: dict[str, Any], c: Checks) -> _Built:
    return _video(p, c, i2v=True, feature="image-to-video")


def _b_multi_image2video(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "multi-image2video")
    mode = _mode(p, "multi-image2video")
    duration = _duration(p)
    V.multi_image_to_video(p, c, model=model, mode=mode, duration=duration)
    images = []
    for i, item in enumerate(p["image_list"]):
        value = item["image"] if isinstance(item, Mapping) else item
        images.append({"image": _image(value, f"image_list[{i}]", c)})
    body: dict[str, Any] = {"model_name": model, "image_list": images}
    _put(body, p, "prompt", "negative_prompt", "aspect_ratio")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    _common_legacy(body, p)
    est = catalog.video_price(model, mode, duration)
    return _Built(body, est, model=model, mode=mode, duration=duration)


def _b_video_extend(p: dict[str, Any], c: Checks) -> _Built:
    V.video_extend(p, c)
    body: dict[str, Any] = {}
    _put(body, p, "video_id", "prompt", "negative_prompt", "cfg_scale")
    _common_legacy(body, p)
    units = max(catalog.flat_price("extend_std"), catalog.flat_price("extend_pro"))
    est = Estimate.of(
        units, "video", "extension: mode is inherited from the source video; the pro price is assumed", False
    )
    return _Built(body, est)


def _b_lip_sync(p: dict[str, Any], c: Checks) -> _Built:
    audio_type = V.lip_sync(p, c)
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
    units = catalog.flat_price("lip_sync_per_5s") * 2
    est = Estimate.of(
        units, "video", "lip-sync: 0.5 units per 5 s of video; video length unknown, 10 s assumed", False
    )
    return _Built(body, est, mode=str(p["mode"]))


def _audio_b64(value: Any, field: str) -> str:
    m = media.audio(value, field)
    return m.wire


def _b_identify_face(p: dict[str, Any], c: Checks) -> _Built:
    V.identify_face(p, c)
    body: dict[str, Any] = {}
    if given(p, "video_id"):
        body["video_id"] = p["video_id"]
    else:
        body["video_url"] = _video_media(p["video_url"], "video_url", c)
    est = Estimate.of(catalog.flat_price("identify_face"), "video", "face identification: flat per call")
    return _Built(body, est)


def _b_advanced_lip_sync(p: dict[str, Any], c: Checks) -> _Built:
    seconds = V.advanced_lip_sync(p, c)
    faces = []
    for i, face in enumerate(p["face_choose"]):
        out = {k: v for k, v in face.items() if v is not None and v != ""}
        if given(face, "sound_file"):
            out["sound_file"] = _audio_b64(face["sound_file"], f"face_choose[{i}].sound_file")
        faces.append(out)
    body: dict[str, Any] = {"session_id": p["session_id"], "face_choose": faces}
    _common_legacy(body, p)
    blocks = max(1, math.ceil(seconds / 5 - 1e-9))
    est = Estimate.of(
        blocks * catalog.flat_price("lip_sync_per_5s"),
        "video",
        f"lip-sync: 0.5 units per 5 s; {seconds:g} s of audio inserted",
        False,
    )
    return _Built(body, est, duration=seconds)


def _b_effects(p: dict[str, Any], c: Checks) -> _Built:
    dual = V.effects(p, c)
    inp: dict[str, Any] = {}
    if dual:
        inp["images"] = [_image(v, f"images[{i}]", c) for i, v in enumerate(p["images"])]
    else:
        inp["image"] = _image(p["image"], "image", c)
    if given(p, "model_name"):
        inp["model_name"] = p["model_name"]
    if given(p, "mode"):
        inp["mode"] = V.as_mode(p["mode"])
    duration: float | None = None
    if given(p, "duration"):
        duration = V.as_duration("duration", p["duration"])
        inp["duration"] = _dur_text(duration)
    body: dict[str, Any] = {"effect_scene": p["effect_scene"], "input": inp}
    _common_legacy(body, p)
    key = "effect_dual" if dual else "effect_single"
    est = Estimate.of(
        catalog.flat_price(key), "video", f"effects: {key.replace('_', ' ')} price, varies by scene", False
    )
    return _Built(body, est, model=p.get("model_name"), duration=duration)


def _b_omni_video(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "omni-video")
    new_model = V.omni_new_model(model)
    if new_model is not None:
        return _new_omni_video(p, c, new_model)
    mode = _mode(p, "omni-video")
    duration = _duration(p)
    sound = _sound(p)
    V.omni_video(p, c, model=model, mode=mode, duration=duration, sound=sound)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "aspect_ratio", "sound")
    if given(p, "mode"):
        body["mode"] = mode
    if given(p, "duration"):
        body["duration"] = _dur_text(duration)
    if p.get("image_list"):
        images = []
        for i, item in enumerate(p["image_list"]):
            entry = dict(item) if isinstance(item, Mapping) else {"image_url": item}
            entry["image_url"] = _image(entry.get("image_url"), f"image_list[{i}].image_url", c)
            images.append(entry)
        body["image_list"] = images
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    if p.get("video_list"):
        body["video_list"] = [dict(v) for v in p["video_list"]]
    _common_legacy(body, p)
    variant = "video_input" if p.get("video_list") else "audio" if sound else "silent"
    est = catalog.video_price(model, mode, duration, variant=variant, omni=True)
    return _Built(body, est, model=model, mode=mode, duration=duration)


def _b_omni_video_new(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "omni-video") if given(p, "model_name") else None
    new_model = V.omni_new_model(model) if model else None
    if new_model is None:
        known = ", ".join(m.new_name for m in C.OMNI_VIDEO_MODELS if m.new_name)
        legacy = catalog.omni_video_model(model) if model else None
        hint = (
            f"use {legacy.new_name!r} on this route"
            if legacy and legacy.new_name
            else "the 2026 route omni-video-new needs a 2026 model name (it goes in the path)"
        )
        c.fail("model_name", model, known, hint)
    return _new_omni_video(p, c, new_model)


def _new_omni_video(p: dict[str, Any], c: Checks, model: catalog.VideoModel) -> _Built:
    """``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1).

    The omni page of the 2026 API is not in the reference (conf M): the body follows the 2026 convention
    of §2.15 (``/image-to-video/kling-3.0``): ``contents[]`` typed items (``prompt`` {text},
    ``first_frame``/``last_frame`` {url}, ``element`` {element_id}, ``video`` {url, refer_type,
    keep_original_sound}), ``settings{resolution, duration (int), aspect_ratio, audio}`` and
    ``options{callback_url, external_task_id, watermark_info}``. The caller's legacy omni parameters map
    onto it: ``image_list`` types ``first_frame``/``end_frame`` -> ``first_frame``/``last_frame``, ``mode``
    -> ``resolution``, ``sound`` -> ``audio``. Priced from the model's legacy omni row (§7.2).
    """
    name = model.new_name or model.name
    resolution = _new_resolution(p, c, default=C.OMNI_NEW_DEFAULT_RESOLUTION)
    audio = _new_audio(p, c)
    duration = _duration(p)
    images = list(p.get("image_list") or [])
    frames = [str(item.get("type") or "") if isinstance(item, Mapping) else "" for item in images]
    V.new_omni_video(p, c, model=model, resolution=resolution, audio=audio, duration=duration, frames=frames)
    limit = C.IMAGE_MAX_BYTES_NEW
    contents: list[dict[str, Any]] = [{"type": "prompt", "text": p["prompt"]}]
    for i in sorted(range(len(images)), key=lambda j: C.OMNI_IMAGE_LIST_TYPES.index(frames[j])):
        first = frames[i] == "first_frame"
        url = _image(
            images[i]["image_url"], f"image_list[{i}].image_url", c, max_bytes=limit, check_aspect=first
        )
        contents.append({"type": "first_frame" if first else "last_frame", "url": url})
    for e in _element_list(p.get("element_list") or []):
        contents.append({"type": "element", **e})
    videos = list(p.get("video_list") or [])
    for i, v in enumerate(videos):
        item: dict[str, Any] = {
            "type": "video",
            "url": _video_media(v["video_url"], f"video_list[{i}].video_url", c),
        }
        _put(item, v, "refer_type", "keep_original_sound")
        contents.append(item)
    settings: dict[str, Any] = {}
    if given(p, "resolution") or given(p, "mode"):
        settings["resolution"] = resolution
    if given(p, "duration"):
        settings["duration"] = int(duration)
    if given(p, "aspect_ratio"):
        settings["aspect_ratio"] = p["aspect_ratio"]
    if audio is not None:
        settings["audio"] = audio
    body: dict[str, Any] = {"contents": contents}
    if settings:
        body["settings"] = settings
    options = _options(p)
    if options:
        body["options"] = options
    mode = {catalog.mode_resolution(model, m): m for m in model.modes}[resolution]
    variant = "video_input" if videos else "audio" if audio == "native" else "silent"
    est = catalog.video_price(model.name, mode, duration, variant=variant, omni=True)
    return _Built(
        body, est, model=name, mode=mode, duration=duration, feature="omni-video-new", path_model=name
    )


# --- images ---------------------------------------------------------------------------------------------


def _image_estimate(
    model: str, n: int, *, kind: str, resolution: str | None = None, omni: bool = False
) -> Estimate:
    m = (catalog.omni_image_model if omni else catalog.image_model)(model)
    if m is None:
        return Estimate.of(8.0 * n, "image", f"unknown model {model}: 8 units/image assumed", False)
    price = {"t2i": m.price_t2i, "i2i": m.price_i2i, "multi": m.price_multi}[kind]
    if resolution == "4k" and m.price_4k:
        price = m.price_4k
    exact = bool(price)
    if not price:
        price = max(m.price_t2i, m.price_i2i, m.price_multi)
    return Estimate.of(price * n, "image", f"{model} {kind}: {price:g} units/image x {n}", exact)


def _b_images_generations(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "images/generations")
    n = V.image_generation(p, c, model=model)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt", "negative_prompt", "image_reference", "image_fidelity", "human_fidelity")
    if given(p, "image"):
        body["image"] = _image(p["image"], "image", c)
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    _put(body, p, "resolution", "n", "aspect_ratio")
    _common_legacy(body, p)
    est = _image_estimate(model, n, kind="i2i" if given(p, "image") else "t2i")
    return _Built(body, est, model=model)


def _b_multi_image2image(p: dict[str, Any], c: Checks) -> _Built:
    model = _model(p, "multi-image2image")
    n = V.multi_image_to_image(p, c, model=model)
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
    return _Built(body, _image_estimate(model, n, kind="multi"), model=model)


def _b_expand(p: dict[str, Any], c: Checks) -> _Built:
    n = V.expand(p, c)
    body: dict[str, Any] = {}
    _put(
        body, p, "up_expansion_ratio", "down_expansion_ratio", "left_expansion_ratio", "right_expansion_ratio"
    )
    _put(body, p, "prompt")
    body["image"] = _image(p["image"], "image", c)
    _put(body, p, "n")
    _common_legacy(body, p)
    price = catalog.flat_price("expand_per_image")
    est = Estimate.of(price * n, "image", f"expansion: {price:g} units/image x {n}")
    return _Built(body, est)


def _b_try_on(p: dict[str, Any], c: Checks) -> _Built:
    solution = bool(p.get("solution")) or given(p, "person_image") or given(p, "product_image")
    V.try_on(p, c, solution=solution)
    est = Estimate.of(catalog.flat_price("tryon_per_image"), "tryon", "virtual try-on: 1 unit/image")
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
    model = _model(p, "omni-image")
    count = V.omni_image(p, c, model=model)
    body: dict[str, Any] = {"model_name": model}
    _put(body, p, "prompt")
    if p.get("image_list"):
        images = []
        for i, item in enumerate(p["image_list"]):
            value = item["image"] if isinstance(item, Mapping) else item
            images.append({"image": _image(value, f"image_list[{i}]", c)})
        body["image_list"] = images
    if p.get("element_list"):
        body["element_list"] = _element_list(p["element_list"])
    _put(body, p, "resolution", "result_type", "series_amount", "n", "aspect_ratio")
    _common_legacy(body, p)
    auto = count is None
    est = _image_estimate(
        model,
        C.OMNI_SERIES_AMOUNT[1] if count is None else count,
        kind="i2i" if p.get("image_list") else "t2i",
        resolution=p.get("resolution"),
        omni=True,
    )
    if auto:
        # The service decides how many images a series gets (2-9) and bills each: quote the most.
        est = replace(est, exact=False, basis=est.basis + "; series_amount=auto: at most 9 images")
    return _Built(body, est, model=model)


# --- audio ----------------------------------------------------------------------------------------------


def _b_text_to_audio(p: dict[str, Any], c: Checks) -> _Built:
    V.text_to_audio(p, c)
    body: dict[str, Any] = {"prompt": p["prompt"], "duration": p["duration"]}
    _common_legacy(body, p)
    est = Estimate.of(catalog.flat_price("text_to_audio"), "audio", "text-to-audio: flat per call")
    return _Built(body, est, duration=float(p["duration"]))


def _b_video_to_audio(p: dict[str, Any], c: Checks) -> _Built:
    V.video_to_audio(p, c)
    body: dict[str, Any] = {}
    if given(p, "video_id"):
        body["video_id"] = p["video_id"]
    else:
        body["video_url"] = _video_media(p["video_url"], "video_url", c)
    _put(body, p, "sound_effect_prompt", "bgm_prompt")
    if given(p, "asmr_mode"):
        body["asmr_mode"] = V.as_bool("asmr_mode", p["asmr_mode"])
    _common_legacy(body, p)
    est = Estimate.of(catalog.flat_price("video_to_audio"), "audio", "video-to-audio: flat per call")
    return _Built(body, est)


def _b_tts(p: dict[str, Any], c: Checks) -> _Built:
    lang = V.tts(p, c)
    body: dict[str, Any] = {"text": p["text"], "voice_id": p["voice_id"], "voice_language": lang}
    _put(body, p, "voice_speed")
    _common_legacy(body, p)
    est = Estimate.of(catalog.flat_price("tts"), "audio", "text-to-speech: flat per call")
    return _Built(body, est)


# --- routing --------------------------------------------------------------------------------------------

_Builder = Callable[[dict[str, Any], Checks], _Built]

_BUILDERS: dict[str, tuple[_Builder, type]] = {
    "text2video": (_b_text2video, P.TextToVideoParams),
    "text-to-video": (_b_text_to_video_new, P.TextToVideoParams),
    "image2video": (_b_image2video, P.ImageToVideoParams),
    "image-to-video": (_b_image_to_video_new, P.ImageToVideoParams),
    "multi-image2video": (_b_multi_image2video, P.MultiImageToVideoParams),
    "video-extend": (_b_video_extend, P.VideoExtendParams),
    "lip-sync": (_b_lip_sync, P.LipSyncParams),
    "identify-face": (_b_identify_face, P.IdentifyFaceParams),
    "advanced-lip-sync": (_b_advanced_lip_sync, P.AdvancedLipSyncParams),
    "effects": (_b_effects, P.EffectsParams),
    "omni-video": (_b_omni_video, P.OmniVideoParams),
    "omni-video-new": (_b_omni_video_new, P.OmniVideoParams),
    "images/generations": (_b_images_generations, P.ImageGenerationParams),
    "multi-image2image": (_b_multi_image2image, P.MultiImageToImageParams),
    "editing/expand": (_b_expand, P.ExpandParams),
    "kolors-virtual-try-on": (_b_try_on, P.TryOnParams),
    "virtual_try_on": (_b_try_on, P.TryOnParams),
    "omni-image": (_b_omni_image, P.OmniImageParams),
    "text-to-audio": (_b_text_to_audio, P.TextToAudioParams),
    "video-to-audio": (_b_video_to_audio, P.VideoToAudioParams),
    "tts": (_b_tts, P.TtsParams),
}

FEATURE_ALIASES: dict[str, str] = {
    "text_to_video": "text2video",
    "image_to_video": "image2video",
    "multi_image_to_video": "multi-image2video",
    "extend": "video-extend",
    "video_extend": "video-extend",
    "lip_sync": "lip-sync",
    "identify_face": "identify-face",
    "advanced_lip_sync": "advanced-lip-sync",
    "omni_video": "omni-video",
    "generate": "images/generations",
    "image_generation": "images/generations",
    "generations": "images/generations",
    "multi_image": "multi-image2image",
    "multi_image_to_image": "multi-image2image",
    "expand": "editing/expand",
    "try_on": "kolors-virtual-try-on",
    "omni_image": "omni-image",
    "text_to_audio": "text-to-audio",
    "video_to_audio": "video-to-audio",
}
"""Friendly names (the resource method names) -> catalog feature keys. ``text_to_video``,
``image_to_video`` and ``omni_video`` switch to the 2026 routes for a 2026 model name; ``try_on`` to the
solution route."""


_KLING4_FEATURES = (
    "text2video",
    "image2video",
    "omni-video",
    "text-to-video",
    "image-to-video",
    "omni-video-new",
)
"""The features whose builders hand a Kling 4.0 model to ``_video4`` (one model, three modes)."""


def features() -> list[str]:
    """The catalog feature keys :func:`prepare` can build."""
    return list(_BUILDERS)


def resolve_feature(feature: str, params: Mapping[str, Any]) -> str:
    """The catalog feature key for ``feature`` (a key or an alias), looking at the model name."""
    key = FEATURE_ALIASES.get(feature, feature)
    if key not in _BUILDERS:
        close = difflib.get_close_matches(feature, [*_BUILDERS, *FEATURE_ALIASES], n=1)
        raise ValidationError(
            "feature", feature, ", ".join(_BUILDERS), f"did you mean {close[0]!r}?" if close else None
        )
    if feature in ("text_to_video", "image_to_video"):
        model = params.get("model_name")
        if isinstance(model, str) and catalog.new_video_model(model) is not None:
            return "text-to-video" if feature == "text_to_video" else "image-to-video"
    if key == "omni-video":
        model = params.get("model_name")
        if isinstance(model, str) and V.omni_new_model(model) is not None:
            return "omni-video-new"
    wants_solution = params.get("solution") or given(params, "person_image") or given(params, "product_image")
    if key == "kolors-virtual-try-on" and feature == "try_on" and wants_solution:
        return "virtual_try_on"
    return key


def _allowed_keys(td: type) -> frozenset[str]:
    keys: frozenset[str] = getattr(td, "__required_keys__", frozenset()) | getattr(
        td, "__optional_keys__", frozenset()
    )
    return keys


def prepare(feature: str, /, *, strict: bool = False, **params: Any) -> RequestSpec:
    """Validate, price and build the create request for ``feature``.

    ``feature`` is a catalog key (``text2video``, ``images/generations``...) or an alias (``text_to_video``,
    ``generate``...). ``strict=True`` refuses model names the catalog does not know (otherwise they pass
    with a warning in ``spec.warnings``). Raises :class:`~klingkit._exceptions.ValidationError` before
    anything is sent.
    """
    check_params(params)  # NaN, infinities, deep nesting, huge or non-JSON values: refused before any rule
    if "model" in params:
        # ``model=`` reads better in Python; the wire (and the reference) call it ``model_name``.
        if "model_name" in params:
            raise ValidationError("model", params["model"], "either model or model_name, not both")
        params["model_name"] = params.pop("model")
    if isinstance(params.get("sound"), bool):
        params["sound"] = "on" if params["sound"] else "off"
    if _video4.is_kling4(params) and FEATURE_ALIASES.get(feature, feature) in _KLING4_FEATURES:
        spec: RequestSpec = _video4.prepare4(feature, params)
        check_body(spec.body)
        for message in spec.warnings:
            warnings.warn(message, UserWarning, stacklevel=3)
        return spec
    key = resolve_feature(feature, params)
    builder, td = _BUILDERS[key]
    allowed = _allowed_keys(td) - {"model"}  # ``model`` was renamed to ``model_name`` above
    for name in params:
        if name not in allowed:
            if name == "model_name":
                raise ValidationError(name, params[name], f"no model choice: {key} has a single model")
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            raise ValidationError(
                name,
                params[name] if not isinstance(params[name], (bytes, bytearray)) else "<bytes>",
                f"the parameters of {key}: {', '.join(sorted(allowed))}",
                f"did you mean {close[0]!r}?" if close else "unknown parameter",
                policy=catalog.UNDOCUMENTED_FIELD,
            )
    c = Checks(strict)
    built = builder(dict(params), c)
    final = built.feature or key
    ep = catalog.endpoint(final)
    path = f"{ep.path}/{built.path_model}" if ep.model_in_path and built.path_model else ep.path
    found = (*c.warnings, *built.extra_warnings)
    for message in found:
        warnings.warn(message, UserWarning, stacklevel=3)
    eid = params.get("external_task_id")
    check_body(built.body)  # what passed the rules must still be plain JSON to be sent
    return RequestSpec(
        feature=final,
        method="POST",
        path=path,
        body=built.body,
        family=ep.family,
        pack=ep.pack,
        params=media.elide(params),
        estimate=built.estimate,
        external_id=eid if isinstance(eid, str) and eid else None,
        warnings=tuple(found),
        sync=ep.sync,
        model=built.model,
        mode=built.mode,
        duration=built.duration,
    )
