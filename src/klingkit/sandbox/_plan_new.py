"""Planning the 2026 routes (model in the path) and the try-on solution."""

from __future__ import annotations

from typing import Any

from klingkit import catalog
from klingkit import catalog as facts
from klingkit.catalog import rules

from ._errors import invalid, not_found
from ._plan import (
    Body,
    Context,
    ImageRef,
    OutputPlan,
    Plan,
    _file,
    _fit,
    _image,
    _media_value,
    _new_options,
    _options,
    _ruled,
    _video_output,
    _video_work,
)


def new_video(ctx: Context, body: Body, model_name: str, image_to_video: bool) -> Plan:
    feature = "image-to-video" if image_to_video else "text-to-video"
    model = catalog.new_video_model(model_name)
    if model is None or not (model.image_to_video if image_to_video else model.text_to_video):
        raise not_found(f"model {model_name} does not exist for /{feature}")
    settings = body.obj("settings")
    s = settings.data
    # The caller's parameters as the catalog's rules name them (the client's prepare maps them the other way).
    p: dict[str, Any] = {k: s[k] for k in ("resolution", "audio", "duration", "multi_shot") if k in s}
    first = last = None
    if image_to_video:
        contents = body.items("contents", 1, 8, required=True)
        prompt, elements = "", []
        for i, raw in enumerate(contents):
            item = Body(raw, f"contents[{i}].")
            kind = item.choice("type", ("prompt", "first_frame", "last_frame", "element"))
            if kind == "prompt":
                prompt = item.text("text", model.prompt_max, required=True)
            elif kind == "element":
                elements.append(item.data)
            else:
                ref = _image(ctx, item, "url", required=True, max_bytes=facts.IMAGE_MAX_BYTES_NEW)
                first, last = (ref, last) if kind == "first_frame" else (first, ref)
        p.update(prompt=prompt, image=first, image_tail=last, element_list=elements)
        aspect = "16:9"  # the clip follows the first frame; settings.aspect_ratio is not read here
    else:
        prompt = str(body.data.get("prompt") or "")
        p.update(prompt=body.data.get("prompt"), aspect_ratio=s.get("aspect_ratio"))
        aspect = str(s.get("aspect_ratio") or "16:9")
    resolution = s.get("resolution") or model.resolutions[0]
    duration = (
        int(_ruled(lambda c: rules.as_duration("duration", s["duration"])))
        if rules.given(s, "duration")
        else 5
    )
    # The catalog's rules: prompt length per model, resolution, audio (and native audio's resolutions),
    # duration, aspect ratio, multi-shot, first/last frame and elements.
    _ruled(
        lambda c: rules.new_video(
            p,
            c,
            i2v=image_to_video,
            model=model,
            resolution=resolution,
            audio=s.get("audio"),
            duration=duration,
        )
    )
    audio = s.get("audio") or ("off" if "off" in model.audio else model.audio[0])
    size_hint = (first["width"], first["height"]) if first and "width" in first else None
    width, height = _fit(resolution, aspect, size_hint)
    plan = Plan(
        feature,
        "new",
        "video",
        model.name,
        units=catalog.new_video_price(model.name, resolution, duration, audio=audio == "native").units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width, height, 24, duration, audio=audio == "native", prompt=prompt, first_frame=_file(first)
            )
        ],
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "video_sound": audio,
        },
    )
    _new_options(plan, body)
    return plan


def new_omni_video(ctx: Context, body: Body, model_name: str) -> Plan:
    """``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1).

    The route's own page is not in the reference (conf M); the body follows the 2026 convention (§2.15):
    ``contents[]`` typed items (prompt, first_frame, last_frame, element, video), ``settings{resolution,
    duration, aspect_ratio, audio}``, ``options{}``; the rules are the legacy omni ones (§2.14, §6.1, §7.4)
    and the price is the model's legacy omni row (§7.2).
    """
    model = next((m for m in facts.OMNI_VIDEO_MODELS if m.new_name == model_name), None)
    if model is None:
        raise not_found(f"model {model_name} does not exist for /omni-video")
    name = model.new_name or model.name
    if body.has("prompt"):
        raise invalid("prompt goes in contents as {type: prompt, text} on /omni-video")
    settings = body.obj("settings")
    contents = body.items("contents", 1, 10, required=True)
    prompt, first, last, elements, videos = "", None, None, 0, 0
    for i, raw in enumerate(contents):
        item = Body(raw, f"contents[{i}].")
        kind = item.choice("type", facts.OMNI_NEW_CONTENT_TYPES)
        if kind == "prompt":
            if prompt:
                raise invalid(f"contents[{i}] is a second prompt; one prompt is allowed")
            prompt = item.text("text", facts.OMNI_NEW_PROMPT_MAX, required=True)
        elif kind == "element":
            element_id = item.data.get("element_id")
            if isinstance(element_id, bool) or not isinstance(element_id, (str, int)) or element_id == "":
                raise invalid(f"{item.name('element_id')} is required")
            elements += 1
        elif kind == "video":
            videos += 1
            _media_value(item.name("url"), item.data.get("url"), facts.VIDEO_FORMATS)
            item.choice("refer_type", facts.OMNI_VIDEO_REFER_TYPES, "base")
            item.choice("keep_original_sound", facts.OMNI_KEEP_SOUND, "no")
        else:
            if (first if kind == "first_frame" else last) is not None:
                raise invalid(f"contents has more than one {kind}; at most one is allowed")
            ref = _image(
                ctx,
                item,
                "url",
                required=True,
                max_bytes=facts.IMAGE_MAX_BYTES_NEW,
                check_aspect=kind == "first_frame",
            )
            first, last = (ref, last) if kind == "first_frame" else (first, ref)
    if not prompt:
        raise invalid("contents needs a prompt item ({type: prompt, text})")
    if videos > facts.OMNI_VIDEO_LIST_MAX:
        raise invalid(f"contents has {videos} videos; at most {facts.OMNI_VIDEO_LIST_MAX} is allowed")
    if elements > facts.ELEMENT_LIST_MAX:
        raise invalid(f"contents has {elements} elements; at most {facts.ELEMENT_LIST_MAX} are allowed")
    if last is not None and first is None:
        raise invalid("contents needs a first_frame (a last_frame alone is not allowed)")
    by_resolution = {catalog.mode_resolution(model, m): m for m in model.modes}
    resolution = settings.choice("resolution", tuple(by_resolution), facts.OMNI_NEW_DEFAULT_RESOLUTION)
    duration = settings.integer("duration", 1, 60, 5)
    if duration not in model.durations:
        raise invalid(
            f"settings.duration {duration} is not supported by {name}; allowed: "
            f"{', '.join(map(str, model.durations))}"
        )
    if (
        model.name in facts.OMNI_SHORT_DURATION_MODELS
        and not videos
        and last is None
        and duration not in facts.OMNI_SHORT_DURATIONS
    ):
        raise invalid(
            f"settings.duration {duration} is not supported by {name} for text or first-frame-only input; "
            f"allowed: {', '.join(map(str, facts.OMNI_SHORT_DURATIONS))}"
        )
    audio = settings.choice("audio", facts.NEW_AUDIO_VALUES if model.sound else ("off",), "off")
    if first is not None and settings.has("aspect_ratio"):
        raise invalid("settings.aspect_ratio is not allowed with a first_frame (the video follows the image)")
    aspect = settings.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    mode = by_resolution[resolution]
    size_hint = (first["width"], first["height"]) if first and "width" in first else None
    width, height = _fit(resolution, aspect, size_hint)
    variant = "video_input" if videos else "audio" if audio == "native" else "silent"
    plan = Plan(
        "omni-video-new",
        "new",
        "video",
        name,
        units=catalog.video_price(model.name, mode, duration, variant=variant, omni=True).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width, height, 24, duration, audio=audio == "native", prompt=prompt, first_frame=_file(first)
            )
        ],
        billing={
            "model_name": name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "video_sound": audio,
            "refer_video_input": bool(videos),
        },
    )
    _new_options(plan, body)
    return plan


def solutions_try_on(ctx: Context, body: Body) -> Plan:
    contents = body.items("contents", 2, 2, required=True)
    kinds: dict[str, ImageRef] = {}
    for i, raw in enumerate(contents):
        item = Body(raw, f"contents[{i}].")
        kind = item.choice("type", ("product_image", "person_image"))
        ref = _image(
            ctx, item, "url", required=True, check_aspect=False, formats=facts.TRYON_SOLUTION_FORMATS
        )
        assert ref is not None
        if max(ref.get("width", 0), ref.get("height", 0)) > facts.TRYON_SOLUTION_LONG_SIDE_MAX:
            raise invalid(
                f"contents[{i}].url long side must be at most {facts.TRYON_SOLUTION_LONG_SIDE_MAX} px"
            )
        kinds[kind] = ref
    if len(kinds) != 2:
        raise invalid("contents needs exactly one product_image and one person_image")
    settings = body.obj("settings")
    for key in ("keep_face", "keep_pose", "keep_background"):
        settings.flag(key, True)
    plan = Plan(
        "virtual_try_on",
        "solutions",
        "tryon",
        None,
        units=catalog.flat_price("tryon_per_image"),
        weight=1,
        work_seconds=30,
        outputs=[
            OutputPlan(
                "image",
                None,
                {
                    "width": 768,
                    "height": 1024,
                    "prompt": "try-on",
                    "source": _file(kinds["person_image"]),
                    "index": 0,
                },
            )
        ],
    )
    options = body.obj("options")
    _options(plan, options)
    wm = options.data.get("watermark")  # the solutions page spells it "watermark"
    if isinstance(wm, dict):
        plan.watermark = bool(wm.get("enabled"))
    return plan
