"""Kling Image 4.0 / Long Image 4.0 requests: flat parameters -> the 2026 body on ``/omni-image/{model}``.

Parameters: ``prompt``, ``refer_images`` (list), ``elements`` (element ids), ``aspect_ratio``, ``n``,
``resolution`` 2k|4k, ``result_type`` single|series, ``series_amount`` (auto or 2-10), and for Long Image
``skill`` webpage|ecommerce with ``style_image``/``subject_image`` (webpage) or ``refer_images``
(ecommerce, 1-3). No ``external_task_id`` or ``callback_url`` (refused). Rules and price:
``klingkit.catalog.image4`` (shapes M, route and price L).
"""

from __future__ import annotations

from typing import Any

from . import _media as media
from . import catalog
from ._exceptions import ValidationError
from ._undocumented import refuse_undocumented
from ._validation import refused_as_validation_error
from .catalog import image4
from .catalog.rules import Refusal

__all__ = ["PARAMS", "build_image4"]

PARAMS = frozenset({"model_name", "prompt", "refer_images", "elements", "aspect_ratio", "n", "resolution",
                    "result_type", "series_amount", "skill", "style_image", "subject_image", "watermark_info"})  # fmt: skip
_KINDS = {"contents[type=refer_image]": "refer_images", "contents[type=style_refer_image]": "style_image",
          "contents[type=subject_refer_image]": "subject_image"}  # fmt: skip
_SETTINGS = ("aspect_ratio", "n", "resolution", "result_type", "series_amount", "skill")


def _caller(field: str, origin: dict[str, str]) -> str:
    """The caller's name for a wire field: ``contents[2].url`` -> ``refer_images[1]``, ``settings.n`` -> ``n``."""
    head, _, _rest = field.partition(".")
    return origin.get(head) or _KINDS.get(field) or field.removeprefix("settings.")


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def build_image4(params: dict[str, Any]) -> tuple[dict[str, Any], str, float, str, tuple[str, ...]]:
    """(body, model, units, basis, warnings); raises ValidationError naming the caller's parameter."""
    for key in ("external_task_id", "callback_url"):
        if params.get(key) not in (None, ""):
            raise ValidationError(key, params[key], "absent on Image 4.0",
                                  "Image 4.0 takes neither; a lost answer is found through the task list")  # fmt: skip
    refuse_undocumented(params, PARAMS, "Image 4.0")
    model = image4.canonical(params.get("model_name"))
    assert model is not None
    warnings: list[str] = []
    contents: list[dict[str, Any]] = []
    origin: dict[str, str] = {}

    def add(item: dict[str, Any], name: str) -> None:
        origin[f"contents[{len(contents)}]"] = name
        contents.append(item)

    if params.get("prompt") not in (None, ""):
        add({"type": "prompt", "text": params["prompt"]}, "prompt")
    for key, kind in (("refer_images", "refer_image"), ("style_image", "style_refer_image"),
                      ("subject_image", "subject_refer_image")):  # fmt: skip
        for i, value in enumerate(_list(params.get(key))):
            name = f"{key}[{i}]" if key == "refer_images" else key
            m = media.image(value, name, max_bytes=image4.IMAGE_MAX_BYTES)
            warnings.extend(m.warnings)
            add({"type": kind, "url": m.wire}, name)
    for i, element in enumerate(_list(params.get("elements"))):
        add({"type": "element", "element_id": str(element)}, f"elements[{i}]")
    body: dict[str, Any] = {"contents": contents}
    settings = {k: params[k] for k in _SETTINGS if params.get(k) not in (None, "")}
    if settings:
        body["settings"] = settings
    if params.get("watermark_info") is not None:
        body["options"] = {"watermark_info": params["watermark_info"]}
    try:  # the catalog's contract on the body as built; every refusal named by the caller's parameter
        ok = catalog.check("omni-image-new", {**body, "model_name": model})
    except Refusal as r:
        every = [Refusal(_caller(x.field, origin), x.value, x.allowed, x.suggestion or None) for x in r.all]
        every[0].all = every
        raise refused_as_validation_error(every[0]) from None
    return body, model, ok.estimate.units, ok.estimate.basis, tuple(warnings)
