"""Planning the image routes: generations, multi-image, expand, omni-image, try-on."""

from __future__ import annotations

from klingkit import catalog
from klingkit import catalog as facts

from ._errors import not_found
from ._plan import (
    SERIES_AUTO_COUNT,
    Body,
    Context,
    OutputPlan,
    Plan,
    _checked,
    _file,
    _image,
    _image_outputs,
    _legacy_model,
    _options,
)
from ._plan_build import image_plan, tryon_plan


def image_generations(ctx: Context, body: Body) -> Plan:
    model: catalog.ImageModel = _legacy_model(body, "kling-v1", catalog.image_model, "images/generations")
    p = body.data
    # The catalog's rules (prompt, image/text support, negative prompt, reference, fidelity, elements,
    # resolution, aspect ratio, n), the same the client runs before sending.
    ok = _checked("images/generations", {**p, "model_name": model.name})
    n = int(ok.count or 0)
    prompt = str(p["prompt"])
    source = _image(ctx, body, "image")
    resolution = str(p.get("resolution") or catalog.DEFAULT_IMAGE_RESOLUTION)
    aspect = str(p.get("aspect_ratio") or catalog.DEFAULT_ASPECT_RATIO)
    plan = image_plan(
        "images/generations",
        "legacy",
        model.name,
        ok.estimate.units,
        _image_outputs(n, resolution, aspect, prompt, source=_file(source)),
        billing={"model_name": model.name, "resolution": resolution, "n": n},
    )
    _options(plan, body)
    return plan


def multi_image_to_image(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or "kling-v2-1"
    if name not in facts.MULTI_IMAGE_TO_IMAGE_MODELS:
        raise not_found(f"model_name {name!r} does not exist for multi-image2image")
    model = catalog.image_model(name)
    assert model is not None
    # The catalog's rules (n, prompts, 1-4 subjects, aspect ratio); the images are decoded below.
    ok = _checked("multi-image2image", {**body.data, "model_name": name})
    n = int(ok.count or 0)
    prompt = str(body.data.get("prompt") or "")
    for i, raw in enumerate(body.data["subject_image_list"]):
        _image(ctx, Body(raw, f"subject_image_list[{i}]."), "subject_image", required=True)
    _image(ctx, body, "scene_image")
    _image(ctx, body, "style_image")
    aspect = body.choice("aspect_ratio", facts.IMAGE_ASPECT_RATIOS, catalog.DEFAULT_ASPECT_RATIO)
    plan = image_plan(
        "multi-image2image",
        "legacy",
        name,
        ok.estimate.units,
        _image_outputs(n, catalog.DEFAULT_IMAGE_RESOLUTION, aspect, prompt),
        billing={"model_name": name, "n": n},
    )
    _options(plan, body)
    return plan


def expand(ctx: Context, body: Body) -> Plan:
    source = _image(ctx, body, "image", required=True)
    assert source is not None
    # The catalog's rules: the four ratios (0-2), the new area at most 3x, prompt, n.
    ok = _checked("editing/expand", body.data)
    n = int(ok.count or 0)
    ratios = {side: float(body.data[f"{side}_expansion_ratio"]) for side in ("up", "down", "left", "right")}
    prompt = str(body.data.get("prompt") or "")
    width, height = source.get("width", 1024), source.get("height", 1024)
    out_w = round(width * (1 + ratios["left"] + ratios["right"]))
    out_h = round(height * (1 + ratios["up"] + ratios["down"]))
    outputs = [
        OutputPlan(
            "image",
            None,
            {
                "op": "expand",
                "source": _file(source),
                "width": out_w,
                "height": out_h,
                "prompt": prompt,
                "index": i,
                **ratios,
            },
        )
        for i in range(n)
    ]
    plan = image_plan("editing/expand", "legacy", None, ok.estimate.units, outputs, billing={"n": n})
    _options(plan, body)
    return plan


def omni_image(ctx: Context, body: Body) -> Plan:
    model: catalog.ImageModel = _legacy_model(body, "kling-image-o1", catalog.omni_image_model, "omni-image")
    p = body.data
    # The catalog's rules (prompt, result type, series amount, n, resolution and aspect ratio per model).
    # A series of series_amount "auto": Kling decides how many (2 to 9); here, SERIES_AUTO_COUNT.
    ok = _checked(
        "omni-image", {**p, "model_name": model.name}, catalog.Known(series_count=SERIES_AUTO_COUNT)
    )
    count = int(ok.count or 0)
    prompt = str(p["prompt"])
    images = body.items("image_list", 0, 10)
    for i, raw in enumerate(images):
        _image(ctx, Body(raw, f"image_list[{i}]."), "image", required=True)
    body.items("element_list", 0, 10)
    resolution = str(p.get("resolution") or catalog.DEFAULT_IMAGE_RESOLUTION)
    aspect = str(p.get("aspect_ratio") or "auto")
    plan = image_plan(
        "omni-image",
        "legacy",
        model.name,
        ok.estimate.units,
        _image_outputs(count, resolution, aspect, prompt),
        billing={"model_name": model.name, "resolution": resolution, "n": count},
    )
    _options(plan, body)
    return plan


def try_on(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or facts.TRYON_MODELS[0]
    if name not in facts.TRYON_MODELS:
        raise not_found(f"model_name {name!r} does not exist for kolors-virtual-try-on")
    fields = {k: body.data.get(k) for k in ("model_name", "human_image", "cloth_image")}
    ok = _checked("kolors-virtual-try-on", {**fields, "model_name": name})  # both images; a flat price
    human = _image(ctx, body, "human_image", required=True, check_aspect=False)
    _image(ctx, body, "cloth_image", required=True, check_aspect=False)
    plan = tryon_plan("kolors-virtual-try-on", "legacy", name, ok.estimate.units, _file(human), "try-on")
    _options(plan, body)
    return plan
