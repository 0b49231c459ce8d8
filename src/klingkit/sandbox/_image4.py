"""What the sandbox accepts on ``/omni-image/{model}`` for Kling Image 4.0 and Long Image 4.0.

The rules and price are the catalog's contract (``klingkit.catalog.check``), run on the body as
received; reference images given as base64 are decoded (size and aspect checked like any image input).
A series with ``series_amount: auto`` makes 4 images here (and is billed for what it made).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klingkit import catalog
from klingkit.catalog import image4

from ._errors import not_found
from ._plan import Body, Context, Plan, _checked, _image_outputs, _image_value
from ._plan_build import image_plan


def plan(ctx: Context, feature: str, body: Any, model_in_path: str) -> Plan:
    """Validate an image 4.0 create ``body`` and plan its task."""
    if model_in_path not in image4.MODELS:
        raise not_found(f"model {model_in_path} does not exist for /omni-image")
    data = Body(body)
    settings = data.data.get("settings") or {}
    # The catalog's contract, with the real series size (this server makes 4 images for "auto").
    made = catalog.Known(series_count=image4.count(model_in_path, settings, actual=True))
    ok = _checked("omni-image-new", {**data.data, "model_name": model_in_path}, made)
    prompt = ""
    first: dict[str, Any] | None = None
    for i, item in enumerate(data.data.get("contents") or []):
        if not isinstance(item, Mapping):
            continue
        if item.get("type") == "prompt":
            prompt = str(item.get("text") or "")
        elif item.get("type") != "element":
            ref = _image_value(ctx, f"contents[{i}].url", item.get("url"), image4.IMAGE_MAX_BYTES)
            first = first or ref
    resolution = str(settings.get("resolution") or "2k")
    aspect = str(settings.get("aspect_ratio") or ("9:16" if model_in_path == image4.LONG else "auto"))
    if aspect == "auto" and first and "width" in first:
        aspect = (
            "1:1"
            if abs(first["width"] - first["height"]) < 2
            else ("16:9" if first["width"] > first["height"] else "9:16")
        )
    n, units = int(ok.count or 0), ok.estimate.units
    plan = image_plan(
        feature,
        "new",
        model_in_path,
        units,
        _image_outputs(n, resolution, aspect, prompt),
        billing={"model_name": model_in_path, "resolution": resolution, "images": n},
    )
    wm = (data.data.get("options") or {}).get("watermark_info")
    if isinstance(wm, dict):
        plan.watermark = bool(wm.get("enabled"))
    return plan
