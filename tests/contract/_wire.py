"""The wire body a client written from Kling's docs would send for a case the client refused (no checks),
so the sandbox still judges every generated request."""

from __future__ import annotations

import base64
from typing import Any

from klingkit import catalog
from klingkit._requests import resolve_feature

from ._cases_base import Case

# --- the wire body of a request the client refused -----------------------------------------------------


def _b64(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _b64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_b64(v) for v in value]
    return value


_NEW_SETTINGS = ("resolution", "duration", "audio", "aspect_ratio", "multi_shot")


def _late_2026_request(case: Case, p: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The wire body of a refused 2026-H2 request (their own field names), or None for other routes."""
    feature = catalog.feature_for(case.feature, case.params)
    if feature not in (
        "omni-image",
        "motion-control",
        "avatar",
        "custom-elements",
        "custom-voices",
        "image-recognize",
        "ai-multi-shot",
        "multi-elements",
    ):
        return None
    p = dict(p)
    model = p.pop("model_name", None)
    if feature == "omni-image" and catalog.image4.canonical(model) is not None:
        keys = ("resolution", "n", "result_type", "series_amount", "aspect_ratio", "skill")
        settings = {k: p.pop(k) for k in keys if k in p}
        contents = [{"type": "prompt", "text": p.pop("prompt")}] if "prompt" in p else []
        for key, kind in (("refer_images", "refer_image"), ("style_image", "style_refer_image"),
                          ("subject_image", "subject_refer_image")):  # fmt: skip
            value = p.pop(key, [])
            contents += [
                {"type": kind, "url": _b64(v)} for v in (value if isinstance(value, list) else [value])
            ]
        contents += [{"type": "element", "element_id": str(e)} for e in p.pop("elements", [])]
        return f"/omni-image/{model}", {"contents": contents, "settings": settings}
    if feature == "motion-control":
        if model in catalog.drive.MOTION_MODELS and catalog.drive.MOTION_MODELS[model].route == "new":
            contents = [{"type": "image", "url": p.pop("image")}, {"type": "video", "url": p.pop("video")}]
            return f"/motion-control/{model}", {"contents": contents, "settings": p}
        body = {"image_url": p.pop("image"), "video_url": p.pop("video"), **p}
        if model is not None:
            body["model_name"] = model
        if isinstance(body.get("keep_original_sound"), bool):
            body["keep_original_sound"] = "yes" if body["keep_original_sound"] else "no"
        return catalog.endpoint(feature).path, body
    if feature == "custom-elements":
        p["references"] = [{"image_url": i} for i in p.pop("images")]
    if feature == "custom-voices":
        p["audio_url"] = p.pop("audio")
    if feature == "ai-multi-shot" and "image" in p:
        p[catalog.multishot.IMAGE_FIELD] = p.pop("image")
    if feature == "multi-elements":
        if "images" in p:
            p["image_list"] = [{"image": i} for i in p.pop("images")]
        if "duration" in p:
            p["duration"] = str(p["duration"])
    if feature == "omni-image":
        return None  # an omni-image model before 4.0: the legacy route below
    if model is not None:
        p["model_name"] = model
    return catalog.endpoint(feature).path, p


_K4_OMNI = ("refer_images", "feature_videos", "base_video", "elements", "voices")
_K4_FRAMES = ("image", "middle_frames", "image_tail")


def _kling4_request(case: Case, p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A Kling 4.0 body as the docs describe it (kling-2026-h2.md §1): text, keyframes or omni by what is
    given; settings and options in their objects; elements and voices as ``{id, element_id}`` items."""
    p = dict(p)
    model = catalog.kling4.canonical(p.pop("model_name"))  # what the client sends for a reseller alias
    if any(k in p for k in _K4_OMNI) or case.feature in ("omni_video", "omni-video", "omni-video-new"):
        mode = "omni"
    elif any(k in p for k in _K4_FRAMES) or case.feature in (
        "image_to_video",
        "image2video",
        "image-to-video",
    ):
        mode = "keyframes"
    else:
        mode = "text"
    settings: dict[str, Any] = {k: p.pop(k) for k in ("duration", "resolution", "aspect_ratio") if k in p}
    if "mode" in p:
        settings["resolution"] = catalog.MODE_RESOLUTION.get(p.pop("mode"), "720p")
    if p.pop("keep_original_sound", None) is True:
        settings["audio"] = catalog.kling4.ORIGINAL_AUDIO
    body: dict[str, Any] = {}
    options = {k: p.pop(k) for k in (*catalog.kling4.REFUSED_OPTIONS, "watermark_info") if k in p}
    if mode == "text":
        body["prompt"] = p.pop("prompt", None)
    else:
        contents: list[dict[str, Any]] = []
        if "prompt" in p:
            contents.append({"type": "prompt", "text": p.pop("prompt")})
        items = (("image", "first_frame"), ("middle_frames", "middle_frame"), ("image_tail", "last_frame"),
                 ("refer_images", "refer_image"), ("feature_videos", "feature_video"), ("base_video", "base_video"))  # fmt: skip
        for key, kind in items:
            values = p.pop(key, [])
            for value in values if isinstance(values, list) else [values]:
                contents.append({"type": kind, "url": value})
        for key, kind, id_key in (("elements", "element", "element_id"), ("voices", "voice", "voice_id")):
            for name, library_id in dict(p.pop(key, {})).items():
                contents.append({"type": kind, "id": name, id_key: library_id})
        body["contents"] = contents
    if settings:
        body["settings"] = settings
    if options:
        body["options"] = options
    return f"{catalog.endpoint(catalog.kling4.ROUTES[mode]).path}/{model}", body


def raw_request(case: Case) -> tuple[str, dict[str, Any]]:
    """The path and body a client written from the docs would send for ``case`` (no client-side checks)."""
    p = _b64(dict(case.params))
    h2 = _late_2026_request(case, p)
    if h2 is not None:
        return h2
    if catalog.kling4.canonical(case.params.get("model_name")) is not None:  # 4.0: the 2026 routes
        return _kling4_request(case, p)
    feature = resolve_feature(case.feature, case.params)
    ep = catalog.endpoint(feature)
    model = p.pop("model_name", None)
    if ep.model_in_path:
        body: dict[str, Any] = {}
        settings = {k: p.pop(k) for k in _NEW_SETTINGS if k in p}
        if "mode" in p:
            settings["resolution"] = catalog.MODE_RESOLUTION.get(p.pop("mode"), "720p")
        if "sound" in p:
            settings["audio"] = "native" if p.pop("sound") == "on" else "off"
        if "duration" in settings:
            settings["duration"] = int(settings["duration"])
        contents: list[dict[str, Any]] = []
        if "prompt" in p:
            if feature == "text-to-video":
                body["prompt"] = p.pop("prompt")
            else:
                contents.append({"type": "prompt", "text": p.pop("prompt")})
        if "image" in p:
            contents.append({"type": "first_frame", "url": p.pop("image")})
        if "image_tail" in p:
            contents.append({"type": "last_frame", "url": p.pop("image_tail")})
        for item in p.pop("image_list", []):
            kind = "first_frame" if item.get("type") == "first_frame" else "last_frame"
            contents.append({"type": kind, "url": item["image_url"]})
        for item in p.pop("video_list", []):
            contents.append({"type": "video", "url": item["video_url"], "refer_type": item.get("refer_type")})
        if contents:
            body["contents"] = contents
        if settings:
            body["settings"] = settings
        return f"{ep.path}/{model}", body
    if feature in ("lip-sync",):
        return ep.path, {"input": p}
    if feature == "effects":
        scene = p.pop("effect_scene")
        return ep.path, {"effect_scene": scene, "input": p}
    if feature == "virtual_try_on":
        body = {
            "contents": [
                {"type": "product_image", "url": p.pop("product_image")},
                {"type": "person_image", "url": p.pop("person_image")},
            ]
        }
        if p:
            body["settings"] = p
        return ep.path, body
    if "duration" in p and feature not in ("text-to-audio",):
        p["duration"] = str(p["duration"])
    if feature == "multi-image2video":
        p["image_list"] = [{"image": i} for i in p["image_list"]]
    if feature == "multi-image2image":
        p["subject_image_list"] = [{"subject_image": i} for i in p["subject_image_list"]]
    if feature == "omni-image" and "image_list" in p:
        p["image_list"] = [{"image": i} for i in p["image_list"]]
    if model is not None:
        p["model_name"] = model
    return ep.path, p


# --- running ----------------------------------------------------------------------------------------------
