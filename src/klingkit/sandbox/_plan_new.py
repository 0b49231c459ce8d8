"""Planning the 2026 routes (model in the path) and the try-on solution."""

from __future__ import annotations

from typing import Any

from klingkit import catalog
from klingkit import catalog as facts

from ._errors import invalid, not_found
from ._plan import (
    NEW_ROUTE_NAMES,
    Body,
    Context,
    ImageRef,
    Plan,
    _checked,
    _file,
    _fit,
    _image,
    _media_value,
    _new_options,
    _options,
)
from ._plan_build import tryon_plan, video_plan


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
        aspect = (
            catalog.DEFAULT_ASPECT_RATIO
        )  # the clip follows the first frame; settings.aspect_ratio is not read here
    else:
        prompt = str(body.data.get("prompt") or "")
        p.update(prompt=body.data.get("prompt"), aspect_ratio=s.get("aspect_ratio"))
        aspect = str(s.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    # The catalog's contract: prompt length per model, resolution, audio (and native audio's resolutions),
    # duration, aspect ratio, multi-shot, first/last frame and elements; the price.
    ok = _checked(feature, {**p, "model_name": model.name}, names=NEW_ROUTE_NAMES)
    plan = _new_route_video(feature, model.name, ok, aspect, first, prompt)
    _new_options(plan, body)
    return plan


def new_omni_video(ctx: Context, body: Body, model_name: str) -> Plan:
    """``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1).

    The route's own page is not in the reference (conf M); the body follows the 2026 convention (§2.15):
    ``contents[]`` typed items (prompt, first_frame, last_frame, element, video), ``settings{resolution,
    duration, aspect_ratio, audio}``, ``options{}``. This reads the wire shape and decodes the images; the
    rules (§2.14, §6.1, §7.4) and the price (the model's legacy omni row, §7.2) are the catalog's contract,
    on the same flat fields the client checks (``image_list`` types ``first_frame``/``end_frame``).
    """
    model = next((m for m in facts.OMNI_VIDEO_MODELS if m.new_name == model_name), None)
    if model is None:
        raise not_found(f"model {model_name} does not exist for /omni-video")
    name = model.new_name or model.name
    if body.has("prompt"):
        raise invalid("prompt goes in contents as {type: prompt, text} on /omni-video")
    settings = body.obj("settings")
    contents = body.items("contents", 1, 10, required=True)
    prompts: list[str] = []
    first: ImageRef | None = None
    images: list[dict[str, Any]] = []
    videos: list[dict[str, Any]] = []
    elements: list[dict[str, Any]] = []
    for i, raw in enumerate(contents):
        item = Body(raw, f"contents[{i}].")
        kind = item.choice("type", facts.OMNI_NEW_CONTENT_TYPES)
        if kind == "prompt":
            prompts.append(item.text("text", facts.OMNI_NEW_PROMPT_MAX, required=True))
        elif kind == "element":
            element_id = item.data.get("element_id")
            if isinstance(element_id, bool) or not isinstance(element_id, (str, int)) or element_id == "":
                raise invalid(f"{item.name('element_id')} is required")
            elements.append({"element_id": element_id})
        elif kind == "video":
            _media_value(item.name("url"), item.data.get("url"), facts.VIDEO_FORMATS)
            videos.append(
                {"video_url": item.data["url"], **_given(item.data, "refer_type", "keep_original_sound")}
            )
        else:
            ref = _image(
                ctx,
                item,
                "url",
                required=True,
                max_bytes=facts.IMAGE_MAX_BYTES_NEW,
                check_aspect=kind == "first_frame",
            )
            first = ref if kind == "first_frame" and first is None else first
            images.append({"type": "first_frame" if kind == "first_frame" else "end_frame", "image_url": ref})
    if len(prompts) > 1:
        raise invalid(f"contents has {len(prompts)} prompts; one prompt is allowed")
    params = {
        "model_name": name,
        "prompt": prompts[0] if prompts else None,
        "image_list": images,
        "video_list": videos,
        "element_list": elements,
        **_given(settings.data, "resolution", "duration", "aspect_ratio", "audio"),
    }
    ok = _checked("omni-video-new", params, names=NEW_ROUTE_NAMES)
    aspect = str(settings.data.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    plan = _new_route_video(
        "omni-video-new", name, ok, aspect, first, prompts[0], mode=ok.mode, refer_video_input=bool(videos)
    )
    _new_options(plan, body)
    return plan


def _new_route_video(
    feature: str,
    name: str,
    ok: catalog.Checked,
    aspect: str,
    first: ImageRef | None,
    prompt: str,
    **billing: Any,
) -> Plan:
    """A 2026-route video as the catalog read it: its resolution, duration and sound; a first frame's shape
    decides the picture's (Kling follows the frame); ``billing`` adds what the route's price depends on."""
    resolution, duration, audio = str(ok.resolution), int(ok.duration or 0), str(ok.audio)
    size_hint = (first["width"], first["height"]) if first and "width" in first else None
    return video_plan(
        feature,
        "new",
        name,
        ok.estimate.units,
        size=_fit(resolution, aspect, size_hint),
        fps=24,
        seconds=duration,
        resolution=resolution,
        audio=audio == "native",
        prompt=prompt,
        first_frame=_file(first),
        billing={
            "model_name": name,
            "resolution": resolution,
            "duration": duration,
            **billing,
            "video_sound": audio,
        },
    )


def _given(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The fields of ``data`` among ``keys`` that are given (not absent, None or empty)."""
    return {k: data[k] for k in keys if data.get(k) is not None and data.get(k) != ""}


def solutions_try_on(ctx: Context, body: Body) -> Plan:
    contents = body.items("contents", 2, 2, required=True)
    settings = body.obj("settings")
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
    # The catalog's contract on the flat fields (both images, the keep_* switches) and the price.
    ok = _checked("virtual_try_on", {**kinds, **_given(settings.data, *facts.TRYON_SOLUTION_SETTINGS)})
    applied = {key: settings.flag(key, default) for key, (default, _) in catalog.tryon.SETTINGS.items()}
    # the settings in effect tint the picture: two runs with other settings differ
    prompt = "try-on " + " ".join(k for k, on in applied.items() if on)
    plan = tryon_plan(
        "virtual_try_on", "solutions", None, ok.estimate.units, _file(kinds["person_image"]), prompt
    )
    options = body.obj("options")
    _options(plan, options)
    wm = options.data.get("watermark")  # the solutions page spells it "watermark"
    if isinstance(wm, dict):
        plan.watermark = bool(wm.get("enabled"))
    return plan
