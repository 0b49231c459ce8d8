"""Kling 4.0 and 4.0 Flash requests: the caller's flat parameters -> a checked, priced 2026 body.

One model serves three modes, chosen by what is given (``klingkit.catalog.kling4`` holds the facts and
the rules, shared with the sandbox):

* text to video (``POST /text-to-video/{model}``): ``prompt`` only;
* keyframes (``POST /image-to-video/{model}``): ``image`` (first frame), ``middle_frames`` (up to 8),
  ``image_tail`` (last frame);
* omni (``POST /omni-video/{model}``): any of ``refer_images``, ``feature_videos``, ``base_video``,
  ``elements`` and ``voices``; elements and voices are named in the prompt as ``@id``.

Common: ``duration`` (3-30 s; Flash 3-20), ``resolution`` ``720p|1080p`` (or ``mode`` std/pro; Flash 720p),
``aspect_ratio`` (text and omni), ``watermark_info``. Audio is always generated: ``sound``/``audio`` are
refused except ``keep_original_sound=True`` with a ``base_video``. 4.0 takes no ``external_task_id`` and
no ``callback_url``: the client records a fingerprint of the request instead (see ``_reconcile``).

Confidence: shapes and limits M, prices L (estimates are marked not exact).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from . import _media as media
from . import catalog
from ._exceptions import ValidationError
from ._undocumented import refuse_undocumented
from ._validation import refused_as_validation_error
from .catalog import kling4
from .catalog.rules import Refusal

__all__ = ["PARAMS", "is_kling4", "prepare4"]

PARAMS = frozenset(
    {
        "model_name",
        "prompt",
        "duration",
        "resolution",
        "mode",
        "aspect_ratio",
        "watermark_info",
        "image",
        "middle_frames",
        "image_tail",
        "refer_images",
        "feature_videos",
        "base_video",
        "elements",
        "voices",
        "keep_original_sound",
    }
)
_FRAME_KEYS = ("image", "middle_frames", "image_tail")
_OMNI_KEYS = ("refer_images", "feature_videos", "base_video", "elements", "voices")
_MODE_RESOLUTION = {"std": "720p", "standard": "720p", "pro": "1080p", "professional": "1080p"}
_REFUSED = {
    "external_task_id": "Kling 4.0 takes no external_task_id; klingkit records a fingerprint of the request "
    "and finds a lost task through the task list",
    "callback_url": "Kling 4.0 sends no callbacks; wait for the task (client.tasks.wait polls)",
    "sound": "Kling 4.0 always generates audio; leave sound out",
    "audio": "Kling 4.0 always generates audio; use keep_original_sound=True with a base_video to keep its sound",
}


def is_kling4(params: Mapping[str, Any]) -> bool:
    """Whether ``params`` ask for a Kling 4.0 model (by name or reseller alias)."""
    name = params.get("model_name", params.get("model"))
    return kling4.canonical(name) is not None


def _given(p: Mapping[str, Any], key: str) -> bool:
    value = p.get(key)
    return value is not None and value != "" and value != [] and value != {}


def _list(p: Mapping[str, Any], key: str) -> list[Any]:
    value = p.get(key)
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def _refs(p: Mapping[str, Any], key: str, id_key: str) -> list[tuple[str, str]]:
    """Elements or voices as (id in the prompt, library id): ``{"hero": "123"}``, ``[{"id", "element_id"}]``
    or plain library ids (named in the prompt by themselves)."""
    value = p.get(key)
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [(str(k), str(v)) for k, v in value.items()]
    out = []
    for i, item in enumerate(_list(p, key)):
        if isinstance(item, Mapping):
            if "id" not in item or id_key not in item:
                raise ValidationError(f"{key}[{i}]", item, f"{{'id': name in the prompt, '{id_key}': ...}}")
            out.append((str(item["id"]), str(item[id_key])))
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            out.append((str(item), str(item)))
        else:
            raise ValidationError(f"{key}[{i}]", item, f"an id, or {{'id': ..., '{id_key}': ...}}")
    return out


def _probe(value: Any) -> kling4.VideoFacts | None:
    """Length, frame rate and size of a local video, when PyAV is installed (None for URLs or without it)."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if (
        media.is_url(value)
        or not isinstance(value, (str, bytes))
        or (isinstance(value, str) and len(value) > 4096)
    ):
        return None
    try:
        import io

        import av
    except ImportError:  # PyAV is in the sandbox extra; without it the server checks the video
        return None
    try:
        source: Any = io.BytesIO(value) if isinstance(value, bytes) else value
        with av.open(source) as container:
            stream = container.streams.video[0]
            seconds = float(container.duration or 0) / 1_000_000 or None
            fps = float(stream.average_rate) if stream.average_rate else None
            return kling4.VideoFacts(seconds, fps, stream.width or None, stream.height or None)
    except Exception:  # not decodable here: leave the checks to the server
        return None


class _Contents:
    """contents[] items, remembering which caller parameter each came from (for error messages)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.origin: dict[str, str] = {}
        self.videos: dict[str, kling4.VideoFacts] = {}
        self.shown: list[str] = []

    def add(self, item: dict[str, Any], origin: str) -> str:
        where = f"contents[{len(self.items)}]"
        self.items.append(item)
        self.origin[where] = origin
        return where

    def image(self, value: Any, kind: str, origin: str) -> None:
        m = media.image(value, origin, max_bytes=kling4.IMAGE_MAX_BYTES, check_aspect=kind != "last_frame")
        self.shown.extend(m.warnings)
        self.add({"type": kind, "url": m.wire}, origin)

    def video(self, value: Any, kind: str, origin: str) -> None:
        m = media.video(value, origin, max_bytes=kling4.VIDEO_MAX_BYTES)
        where = self.add({"type": kind, "url": m.wire}, origin)
        facts = _probe(value)
        if facts is not None:
            self.videos[where] = facts


def _mode_of(feature: str, p: Mapping[str, Any]) -> str:
    if any(_given(p, k) for k in _OMNI_KEYS) or feature in ("omni_video", "omni-video", "omni-video-new"):
        return "omni"
    if any(_given(p, k) for k in _FRAME_KEYS) or feature in (
        "image_to_video",
        "image2video",
        "image-to-video",
    ):
        return "keyframes"
    return "text"


def _resolution(p: Mapping[str, Any]) -> str | None:
    if _given(p, "resolution"):
        if _given(p, "mode"):
            raise ValidationError("mode", p["mode"], "mode or resolution, not both")
        return str(p["resolution"])
    if _given(p, "mode"):
        mode = str(p["mode"]).lower()
        if mode not in _MODE_RESOLUTION:
            raise ValidationError("mode", p["mode"], "std (720p), pro (1080p)")
        return _MODE_RESOLUTION[mode]
    return None


def _settings(p: Mapping[str, Any], mode: str) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if _given(p, "duration"):
        d = p["duration"]
        if isinstance(d, str) and d.strip().isdigit():
            d = int(d)
        if isinstance(d, float) and d.is_integer():
            d = int(d)
        settings["duration"] = d
    resolution = _resolution(p)
    if resolution is not None:
        settings["resolution"] = resolution
    if _given(p, "aspect_ratio"):
        settings["aspect_ratio"] = p["aspect_ratio"]
    if p.get("keep_original_sound") in (True, "yes", "true"):
        settings["audio"] = kling4.ORIGINAL_AUDIO
    return settings


def _body(model: str, mode: str, p: Mapping[str, Any]) -> tuple[dict[str, Any], _Contents]:
    settings = _settings(p, mode)
    box = _Contents()
    body: dict[str, Any] = {}
    if mode == "text":
        body["prompt"] = p.get("prompt")
        for key in (*_FRAME_KEYS, *_OMNI_KEYS):
            if _given(p, key):  # cannot happen by _mode_of; kept for clarity of errors
                raise ValidationError(key, "...", "absent for text to video")
    else:
        if _given(p, "prompt"):
            box.add({"type": "prompt", "text": p["prompt"]}, "prompt")
        if mode == "keyframes":
            if _given(p, "image"):
                box.image(p["image"], "first_frame", "image")
            for i, frame in enumerate(_list(p, "middle_frames")):
                box.image(frame, "middle_frame", f"middle_frames[{i}]")
            if _given(p, "image_tail"):
                box.image(p["image_tail"], "last_frame", "image_tail")
        else:
            for i, ref in enumerate(_list(p, "refer_images")):
                box.image(ref, "refer_image", f"refer_images[{i}]")
            for i, video in enumerate(_list(p, "feature_videos")):
                box.video(video, "feature_video", f"feature_videos[{i}]")
            if _given(p, "base_video"):
                box.video(p["base_video"], "base_video", "base_video")
            for i, (name, element_id) in enumerate(_refs(p, "elements", "element_id")):
                box.add({"type": "element", "id": name, "element_id": element_id}, f"elements[{i}]")
            for i, (name, voice_id) in enumerate(_refs(p, "voices", "voice_id")):
                box.add({"type": "voice", "id": name, "voice_id": voice_id}, f"voices[{i}]")
        body["contents"] = box.items
    if settings:
        body["settings"] = settings
    if _given(p, "watermark_info"):
        body["options"] = {"watermark_info": p["watermark_info"]}
    return body, box


def _caller_field(refusal: Refusal, box: _Contents) -> str:
    """``contents[3].id`` -> ``elements[1].id``: errors name the parameter the caller wrote; a count of
    ``contents`` items names the parameter those items came from (``4 voices`` -> ``voices``)."""
    field = refusal.field
    head, dot, rest = field.partition(".")
    if head in box.origin:
        origin = box.origin[head]
        if origin in ("prompt",) and rest == "text":
            return "prompt"
        if rest == "url":
            return origin
        return origin + (dot + rest if rest else "")
    if field == "contents" and isinstance(refusal.value, str):
        for what, types in kling4.COUNTED.items():
            if refusal.value.endswith(f" {what}"):
                kinds = [
                    where for where, item in zip(box.origin, box.items, strict=True) if item["type"] in types
                ]
                return box.origin[kinds[0]].split("[", 1)[0] if kinds else field
    if field.startswith("settings."):
        return field.removeprefix("settings.")
    return field


def prepare4(feature: str, params: dict[str, Any]) -> Any:
    """Build the :class:`~klingkit._requests.RequestSpec` of a 4.0 request; raises ValidationError."""
    from ._requests import RequestSpec  # the shared spec type (imported late: _requests imports us)

    found = [  # reported with the body's own refusals, so one run names every problem
        Refusal(key, params[key], "absent on Kling 4.0", why)
        for key, why in _REFUSED.items()
        if _given(params, key) and not (key == "sound" and params[key] in ("on", True))
    ]
    refused = {r.field for r in found} | {"sound"}
    try:
        refuse_undocumented({k: v for k, v in params.items() if k not in refused}, PARAMS, "Kling 4.0")
        model = kling4.canonical(params.get("model_name"))
        assert model is not None
        mode = _mode_of(feature, params)
        route_feature = kling4.ROUTES[mode]
        body, box = _body(model, mode, params)
    except ValidationError as e:
        if not found:
            raise
        found += [Refusal(x.field, x.value, x.allowed, x.suggestion or None, policy=x.policy) for x in e.all]
        found[0].all = found
        raise refused_as_validation_error(found[0]) from None
    try:  # the catalog's contract: 4.0's rules on the body as built, and its (approximate) price
        ok = catalog.check(
            route_feature, {**body, "model_name": model}, known=catalog.Known(videos=box.videos)
        )
    except Refusal as r:
        found += [Refusal(_caller_field(x, box), x.value, x.allowed, x.suggestion or None) for x in r.all]
    if found:
        found[0].all = found
        raise refused_as_validation_error(found[0]) from None
    from .catalog import endpoint

    ep = endpoint(route_feature)
    warnings = list(box.shown)
    if params.get("sound") in ("on", True):
        warnings.append("sound: Kling 4.0 always generates audio; not sent")
    if route_feature == "text-to-video" and any(_given(params, k) for k in ("image",)):
        warnings.append("image ignored for text to video")
    return RequestSpec(
        feature=route_feature,
        method="POST",
        path=f"{ep.path}/{model}",
        body=body,
        family=ep.family,
        pack=ep.pack,
        params=media.elide({k: v for k, v in params.items()}),
        estimate=ok.estimate,
        external_id=None,
        warnings=tuple(warnings),
        sync=False,
        model=model,
        mode=ok.mode,
        duration=ok.duration,
    )
