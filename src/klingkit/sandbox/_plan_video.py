"""Planning the legacy video routes: text/image to video, multi-image, extension, effects, omni video."""

from __future__ import annotations

from klingkit import catalog
from klingkit import catalog as facts

from ._errors import invalid, not_found
from ._plan import (
    Body,
    Context,
    OutputPlan,
    Plan,
    _checked,
    _duration,
    _file,
    _fit,
    _image,
    _image_value,
    _legacy_model,
    _media_value,
    _options,
    _source_video,
    _video_work,
)
from ._plan_build import video_plan

# Fields a legacy video route does not document; a server ignores them (policy undocumented-field).
_NOT_ON_LEGACY_VIDEO = ("resolution", "audio")


def _legacy_video(ctx: Context, body: Body, image_to_video: bool) -> Plan:
    feature = "image2video" if image_to_video else "text2video"
    model: catalog.VideoModel = _legacy_model(body, "kling-v1", catalog.video_model, feature)
    if not (model.image_to_video if image_to_video else model.text_to_video):
        raise invalid(
            f"model_name {model.name} does not support {'image' if image_to_video else 'text'} to video"
        )
    ignored = (*_NOT_ON_LEGACY_VIDEO, "aspect_ratio") if image_to_video else _NOT_ON_LEGACY_VIDEO
    p = {k: v for k, v in body.data.items() if k not in ignored}
    raw_camera = p.get("camera_control")
    if raw_camera is not None and not isinstance(raw_camera, dict):
        raise invalid("camera_control must be an object {type, config}")  # presets are the client's words
    # Every capability rule (mode, duration, sound, cfg_scale, camera, end frame, motion brush, elements,
    # voices, multi-shot) and the price are the catalog's contract, the same the client runs before sending.
    # The wire's own spellings: "standard" is refused here (§2.1), the client normalises it before sending.
    ok = _checked(feature, {**p, "model_name": model.name})
    mode, duration = str(ok.mode), int(ok.duration or 0)
    multi, camera = bool(ok.values["multi_shot"]), ok.values["camera_control"]
    sound = p.get("sound") == "on"
    prompt = str(p.get("prompt") or "")
    variant = "voice" if p.get("voice_list") else "audio" if sound else "silent"
    size_hint: tuple[int, int] | None = None
    first = last = None
    aspect = catalog.DEFAULT_ASPECT_RATIO
    if image_to_video:
        first = _image(ctx, body, "image")
        last = _image(ctx, body, "image_tail", check_aspect=False)
        _image(ctx, body, "static_mask", check_aspect=False)
        for i, raw in enumerate(body.items("dynamic_masks", 0, facts.DYNAMIC_MASKS_MAX)):
            _image(ctx, Body(raw, f"dynamic_masks[{i}]."), "mask", required=True, check_aspect=False)
        ref = first or last
        if ref and "width" in ref:
            size_hint = (ref["width"], ref["height"])
    else:
        aspect = str(p.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    resolution = catalog.mode_resolution(model, mode)
    width, height = _fit(resolution, aspect, size_hint)
    plan = video_plan(
        feature,
        "legacy",
        model.name,
        ok.estimate.units,
        size=(width, height),
        fps=model.fps(image_to_video),
        seconds=duration,
        resolution=resolution,
        audio=sound,
        prompt=prompt,
        camera=camera,
        first_frame=_file(first),
        last_frame=_file(last),
        multi_shot=multi,
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "video_sound": "native" if sound else "off",
            "voice_control": variant == "voice",
        },
    )
    _options(plan, body)
    return plan


def text_to_video(ctx: Context, body: Body) -> Plan:
    return _legacy_video(ctx, body, image_to_video=False)


def image_to_video(ctx: Context, body: Body) -> Plan:
    return _legacy_video(ctx, body, image_to_video=True)


def multi_image_to_video(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or facts.MULTI_IMAGE_TO_VIDEO_MODELS[0]
    if name not in facts.MULTI_IMAGE_TO_VIDEO_MODELS:
        raise not_found(f"model_name {name!r} does not exist for multi-image2video")
    model = catalog.video_model(name)
    assert model is not None
    p = body.data
    # The catalog's contract (1-4 images, prompt, mode and duration on this model, aspect ratio; price).
    ok = _checked("multi-image2video", {**p, "model_name": name})
    mode, duration = str(ok.mode), int(ok.duration or 0)
    for i, raw in enumerate(p["image_list"]):
        _image(ctx, Body(raw, f"image_list[{i}]."), "image", required=True)
    prompt = str(p["prompt"])
    aspect = str(p.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    resolution = catalog.mode_resolution(model, mode)
    plan = video_plan(
        "multi-image2video",
        "legacy",
        name,
        ok.estimate.units,
        size=catalog.video_size(resolution, aspect),
        fps=model.fps(True),
        seconds=duration,
        resolution=resolution,
        audio=False,
        prompt=prompt,
        billing={"model_name": name, "resolution": resolution, "duration": duration, "mode": mode},
    )
    _options(plan, body)
    return plan


def video_extend(ctx: Context, body: Body) -> Plan:
    _checked("video-extend", body.data)  # video_id, prompts <= 2500, cfg_scale 0-1
    parent, parent_seconds, source = _source_video(ctx, body, url_allowed=False)
    assert parent is not None
    prompt = str(body.data.get("prompt") or "")
    # What only the server knows (the source's length, model and mode) decides the rest and the price.
    known = catalog.Known(parent_seconds, source.get("model"), source.get("mode", "std"))
    ok = _checked("video-extend", body.data, known)
    mode, added = str(ok.mode), float(ok.duration or 0)
    total = parent_seconds + added
    plan = Plan(
        "video-extend",
        "legacy",
        "video",
        source.get("model"),
        units=ok.estimate.units,
        weight=1,
        work_seconds=_video_work(added, "720p"),
        outputs=[
            OutputPlan(
                "video", total, {"op": "extend", "source": parent["id"], "add": added, "prompt": prompt}
            )
        ],
        parent_video=parent,
        billing={"model_name": source.get("model"), "duration": added, "mode": mode},
    )
    _options(plan, body)
    return plan


def effects(ctx: Context, body: Body) -> Plan:
    inp = body.obj("input", required=True)
    # The catalog's rules (scene, retired scenes, one image or exactly two, mode) on the flat parameters.
    ok = _checked("effects", {**inp.data, "effect_scene": body.data.get("effect_scene")})
    dual = bool(ok.values["dual"])
    scene = str(body.data["effect_scene"])
    if dual:
        images = inp.items("images", 2, 2, required=True)
        for i, raw in enumerate(images):
            _image_value(ctx, f"input.images[{i}]", raw)
    else:
        _image(ctx, inp, "image", required=True)
    duration = _duration(inp, "duration", (5, 10), 5, scene)
    plan = video_plan(
        "effects",
        "legacy",
        None,
        ok.estimate.units,
        size=(1280, 720),
        fps=24,
        seconds=duration,
        resolution="720p",
        audio=False,
        prompt=scene,
        billing={"duration": duration, "effect_scene": scene},
    )
    _options(plan, body)
    return plan


def omni_video(ctx: Context, body: Body) -> Plan:
    model: catalog.VideoModel = _legacy_model(body, "kling-video-o1", catalog.omni_video_model, "omni-video")
    p = body.data
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    # The catalog's contract: mode and duration per model (kling-video-o1: 5 or 10 s for text or a first
    # frame only), sound, aspect ratio, image types, one reference video and its options; the price.
    ok = _checked("omni-video", {**p, "model_name": model.name})
    mode, duration = str(ok.mode), int(ok.duration or 0)
    sound = p.get("sound") == "on"
    aspect = str(p.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    first = None
    for i, raw in enumerate(body.items("image_list", 0, 7)):
        item = Body(raw, f"image_list[{i}].")
        ref = _image(ctx, item, "image_url", required=True)
        if item.data.get("type") == "first_frame":
            first = ref
    videos = body.items("video_list", 0, facts.OMNI_VIDEO_LIST_MAX)
    for i, raw in enumerate(videos):
        item = Body(raw, f"video_list[{i}].")
        _media_value(item.name("video_url"), item.data.get("video_url"), facts.VIDEO_FORMATS)
    body.items("element_list", 0, facts.ELEMENT_LIST_MAX)
    resolution = catalog.mode_resolution(model, mode)
    plan = video_plan(
        "omni-video",
        "legacy",
        model.name,
        ok.estimate.units,
        size=catalog.video_size(resolution, aspect),
        fps=24,
        seconds=duration,
        resolution=resolution,
        audio=sound,
        prompt=prompt,
        first_frame=_file(first),
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "refer_video_input": bool(videos),
        },
    )
    _options(plan, body)
    return plan
