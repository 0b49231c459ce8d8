"""Planning the legacy video routes: text/image to video, multi-image, extension, effects, omni video."""

from __future__ import annotations

from klingkit import catalog
from klingkit import catalog as facts
from klingkit.catalog import rules

from ._errors import invalid, not_found
from ._plan import (
    Body,
    Context,
    OutputPlan,
    Plan,
    _duration,
    _file,
    _fit,
    _image,
    _image_value,
    _legacy_model,
    _media_value,
    _options,
    _ruled,
    _source_video,
    _video_output,
    _video_work,
)

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
    # The wire's own spellings: "standard" is refused here (§2.1), the client normalises it before sending.
    mode = p.get("mode") or "std"
    duration = (
        int(_ruled(lambda c: rules.as_duration("duration", p["duration"])))
        if rules.given(p, "duration")
        else 5
    )
    multi = (
        _ruled(lambda c: rules.as_bool("multi_shot", p["multi_shot"]))
        if rules.given(p, "multi_shot")
        else False
    )
    sound = p.get("sound") == "on"
    raw_camera = p.get("camera_control")
    if raw_camera is not None and not isinstance(raw_camera, dict):
        raise invalid("camera_control must be an object {type, config}")
    camera = _ruled(lambda c: rules.camera_control(raw_camera, c)) if raw_camera is not None else None
    # Every capability rule (mode, duration, sound, cfg_scale, camera, end frame, motion brush, elements,
    # voices, multi-shot) is the catalog's, the same the client runs before sending.
    _ruled(
        lambda c: rules.legacy_video(
            p,
            c,
            i2v=image_to_video,
            model=model.name,
            mode=mode,
            duration=duration,
            sound=sound,
            multi=multi,
            camera_wire=camera,
        )
    )
    if multi:
        _ruled(lambda c: rules.multi_shot(p, duration, c))
    prompt = str(p.get("prompt") or "")
    variant = "voice" if p.get("voice_list") else "audio" if sound else "silent"
    size_hint: tuple[int, int] | None = None
    first = last = None
    aspect = "16:9"
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
        aspect = str(p.get("aspect_ratio") or "16:9")
    resolution = catalog.mode_resolution(model, mode)
    width, height = _fit(resolution, aspect, size_hint)
    plan = Plan(
        feature,
        "legacy",
        "video",
        model.name,
        units=catalog.video_price(model.name, mode, duration, variant=variant).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width,
                height,
                model.fps(image_to_video),
                duration,
                audio=sound,
                prompt=prompt,
                camera=camera,
                first_frame=_file(first),
                last_frame=_file(last),
                multi_shot=multi,
            )
        ],
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
    mode = p.get("mode") or "std"
    duration = (
        int(_ruled(lambda c: rules.as_duration("duration", p["duration"])))
        if rules.given(p, "duration")
        else 5
    )
    # The catalog's rules (1-4 images, prompt, mode and duration on this model, aspect ratio).
    _ruled(lambda c: rules.multi_image_to_video(p, c, model=name, mode=mode, duration=duration))
    for i, raw in enumerate(p["image_list"]):
        _image(ctx, Body(raw, f"image_list[{i}]."), "image", required=True)
    prompt = str(p["prompt"])
    aspect = str(p.get("aspect_ratio") or "16:9")
    resolution = catalog.mode_resolution(model, mode)
    width, height = catalog.video_size(resolution, aspect)
    plan = Plan(
        "multi-image2video",
        "legacy",
        "video",
        name,
        units=catalog.video_price(name, mode, duration).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[_video_output(width, height, model.fps(True), duration, audio=False, prompt=prompt)],
        billing={"model_name": name, "resolution": resolution, "duration": duration, "mode": mode},
    )
    _options(plan, body)
    return plan


def video_extend(ctx: Context, body: Body) -> Plan:
    _ruled(lambda c: rules.video_extend(body.data, c))  # video_id, prompts <= 2500, cfg_scale 0-1
    parent, parent_seconds, source = _source_video(ctx, body, url_allowed=False)
    assert parent is not None
    prompt = str(body.data.get("prompt") or "")
    added = 4.5  # each extension adds 4-5 s (§2.4)
    total = parent_seconds + added
    if total > 180:
        raise invalid(f"the extended video would be {total:g} s; at most 180 s in total are allowed")
    mode = source.get("mode", "std")
    if source.get("model") not in catalog.EXTENDABLE_MODELS:
        raise invalid(
            f"video {parent['id']} was made by {source.get('model')}; only videos of "
            f"{', '.join(catalog.EXTENDABLE_MODELS)} can be extended"
        )
    plan = Plan(
        "video-extend",
        "legacy",
        "video",
        source.get("model"),
        units=catalog.flat_price("extend_pro" if mode in ("pro", "4k") else "extend_std"),
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
    dual = _ruled(lambda c: rules.effects({**inp.data, "effect_scene": body.data.get("effect_scene")}, c))
    scene = str(body.data["effect_scene"])
    if dual:
        images = inp.items("images", 2, 2, required=True)
        for i, raw in enumerate(images):
            _image_value(ctx, f"input.images[{i}]", raw)
    else:
        _image(ctx, inp, "image", required=True)
    duration = _duration(inp, "duration", (5, 10), 5, scene)
    plan = Plan(
        "effects",
        "legacy",
        "video",
        None,
        units=catalog.flat_price("effect_dual" if dual else "effect_single"),
        weight=1,
        work_seconds=_video_work(duration, "720p"),
        outputs=[_video_output(1280, 720, 24, duration, audio=False, prompt=scene)],
        billing={"duration": duration, "effect_scene": scene},
    )
    _options(plan, body)
    return plan


def omni_video(ctx: Context, body: Body) -> Plan:
    model: catalog.VideoModel = _legacy_model(body, "kling-video-o1", catalog.omni_video_model, "omni-video")
    p = body.data
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    mode = p.get("mode") or catalog.DEFAULT_MODES["omni-video"]
    duration = (
        int(_ruled(lambda c: rules.as_duration("duration", p["duration"])))
        if rules.given(p, "duration")
        else 5
    )
    sound = p.get("sound") == "on"
    # The catalog's rules: mode and duration per model (kling-video-o1: 5 or 10 s for text or a first frame
    # only), sound, aspect ratio, image types, one reference video and its options.
    _ruled(lambda c: rules.omni_video(p, c, model=model.name, mode=mode, duration=duration, sound=sound))
    aspect = str(p.get("aspect_ratio") or "16:9")
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
    variant = "video_input" if videos else "audio" if sound else "silent"
    resolution = catalog.mode_resolution(model, mode)
    width, height = catalog.video_size(resolution, aspect)
    plan = Plan(
        "omni-video",
        "legacy",
        "video",
        model.name,
        units=catalog.video_price(model.name, mode, duration, variant=variant, omni=True).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(width, height, 24, duration, audio=sound, prompt=prompt, first_frame=_file(first))
        ],
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
