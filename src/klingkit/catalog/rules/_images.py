"""The image routes (§2.7-§2.10, §2.14): generations, multi-image, expand, try-on, omni-image."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ... import catalog
from .. import _data as C
from ._base import (
    Checks,
    _join,
    _num,
    _suggest,
    as_bool,
    given,
)

# --- images ---------------------------------------------------------------------------------------------


def _n(p: Mapping[str, Any], c: Checks) -> int:
    return c.integer("n", p.get("n", 1), C.N_MIN, C.N_MAX)


def image_generation(p: Mapping[str, Any], c: Checks, *, model: str) -> int:
    """``/v1/images/generations`` (§2.7); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=True)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    has_image = given(p, "image")
    if has_image and given(p, "negative_prompt"):
        c.fail(
            "negative_prompt",
            p["negative_prompt"],
            "no negative_prompt with image",
            "negative_prompt is text-to-image only",
        )
    ref = p.get("image_reference")
    if given(p, "image_reference"):
        c.one_of("image_reference", ref, C.IMAGE_REFERENCES)
        if not has_image:
            c.fail(
                "image", None, "an image with image_reference", "image_reference needs the reference image"
            )
    if given(p, "image_fidelity"):
        c.number("image_fidelity", p["image_fidelity"], 0, 1)
    if given(p, "human_fidelity"):
        c.number("human_fidelity", p["human_fidelity"], 0, 1)
        if ref != "subject":
            c.warn("human_fidelity has no effect without image_reference='subject'; sent as given")
    if given(p, "resolution"):
        c.one_of("resolution", p["resolution"], C.IMAGE_RESOLUTIONS)
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.IMAGE_ASPECT_RATIOS)
    elements = c.listed("element_list", p.get("element_list"))
    if elements:
        c.count("element_list", elements, 1, C.IMAGE_ELEMENTS_MAX - int(has_image))
    known = [m.name for m in C.IMAGE_MODELS]
    m = catalog.image_model(model)
    if m is None:
        c.known_model("model_name", model, known, "image generation")
        return n

    def others(pred: Callable[[catalog.ImageModel], bool]) -> list[str]:
        return [o.name for o in C.IMAGE_MODELS if pred(o) and o.name != model]

    if has_image and not m.image_to_image:
        c.fail(
            "image",
            "an image",
            f"no image input on {model}",
            _suggest(others(lambda o: o.image_to_image), "image input"),
        )
    if not has_image and not m.text_to_image:
        c.fail(
            "model_name",
            model,
            _join(others(lambda o: o.text_to_image)),
            f"{model} needs an input image (image-to-image only)",
        )
    if given(p, "image_reference") and not m.image_reference:
        c.fail(
            "image_reference",
            ref,
            f"no image_reference on {model}",
            _suggest(others(lambda o: o.image_reference), "image_reference"),
        )
    for field in ("image_fidelity", "human_fidelity"):
        if given(p, field) and not m.fidelity:
            # Decision "fidelity": accepted everywhere (clients send it by default), used by few models.
            users = _suggest(others(lambda o: o.fidelity), field)
            c.warn(f"{field} has no effect on {model}; sent as given" + (f" ({users})" if users else ""))
    if given(p, "resolution") and p["resolution"] not in m.resolutions:
        res = p["resolution"]
        c.fail(
            "resolution",
            res,
            f"{_join(m.resolutions)} on {model}",
            _suggest(others(lambda o: res in o.resolutions), res),
        )
    if given(p, "aspect_ratio") and p["aspect_ratio"] not in m.aspect_ratios:
        ar = p["aspect_ratio"]
        c.fail(
            "aspect_ratio",
            ar,
            f"{_join(m.aspect_ratios)} on {model}",
            _suggest(others(lambda o: ar in o.aspect_ratios), ar),
        )
    if elements and not m.elements:
        c.fail(
            "element_list",
            f"{len(elements)} elements",
            f"no element_list on {model}",
            _suggest(others(lambda o: o.elements), "element_list"),
        )
    return n


def multi_image_to_image(p: Mapping[str, Any], c: Checks, *, model: str) -> int:
    """``/v1/images/multi-image2image`` (§2.8); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    c.text("negative_prompt", p.get("negative_prompt"), C.NEGATIVE_PROMPT_MAX)
    c.count("subject_image_list", p.get("subject_image_list"), C.SUBJECT_IMAGES_MIN, C.SUBJECT_IMAGES_MAX)
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], C.IMAGE_ASPECT_RATIOS)
    c.known_model("model_name", model, C.MULTI_IMAGE_TO_IMAGE_MODELS, "multi-image-to-image")
    return n


def expand(p: Mapping[str, Any], c: Checks) -> int:
    """``/v1/images/editing/expand`` (§2.9); returns n."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX)
    if not given(p, "image"):
        c.fail("image", None, "an image to expand", "image is required")
    r = {}
    for side in ("up", "down", "left", "right"):
        field = f"{side}_expansion_ratio"
        if field not in p:
            c.fail(
                field,
                None,
                f"{_num(C.EXPAND_RATIO_MIN)} to {_num(C.EXPAND_RATIO_MAX)}",
                "all four ratios are required",
            )
        r[side] = c.number(field, p[field], C.EXPAND_RATIO_MIN, C.EXPAND_RATIO_MAX)
    area = (1 + r["up"] + r["down"]) * (1 + r["left"] + r["right"])
    if area > C.EXPAND_AREA_MAX + 1e-3:
        c.fail(
            "expansion ratios",
            f"area x{area:.2f}",
            f"a new image at most {_num(C.EXPAND_AREA_MAX)}x the original area",
            "(1 + up + down) x (1 + left + right) must not exceed 3",
        )
    return n


def try_on(p: Mapping[str, Any], c: Checks, *, solution: bool) -> None:
    """Virtual try-on, legacy (§2.10a) or the 2026 solution (§2.10b)."""
    if solution:
        for field in ("person_image", "product_image"):
            if not given(p, field):
                c.fail(field, None, "an image", f"{field} is required for the try-on solution")
        for field in ("human_image", "cloth_image", "model_name"):
            if given(p, field):
                c.fail(
                    field,
                    "given",
                    "person_image, product_image, keep_face/keep_pose/keep_background",
                    f"{field} belongs to the legacy kolors try-on",
                )
        for field in C.TRYON_SOLUTION_SETTINGS:
            if given(p, field):
                as_bool(field, p[field])
        return
    for field in ("human_image", "cloth_image"):
        if not given(p, field):
            c.fail(field, None, "an image", f"{field} is required")
    for field in C.TRYON_SOLUTION_SETTINGS:
        if given(p, field):
            c.fail(
                field,
                p[field],
                "only with the 2026 try-on solution",
                "pass solution=True (person_image, product_image)",
            )
    model = p.get("model_name") or C.DEFAULT_MODELS["kolors-virtual-try-on"]
    c.known_model("model_name", model, C.TRYON_MODELS, "virtual try-on")


def omni_image(p: Mapping[str, Any], c: Checks, *, model: str) -> int | None:
    """``/v1/images/omni-image`` (§2.14); the number of images billed (None: a series of auto length)."""
    n = _n(p, c)
    c.text("prompt", p.get("prompt"), C.PROMPT_MAX, required=True)
    result_type = p.get("result_type", "single")
    c.one_of("result_type", result_type, C.OMNI_IMAGE_RESULT_TYPES)
    count: int | None = n
    amount = p.get("series_amount", "auto") if given(p, "series_amount") else "auto"
    if amount != "auto":
        amount = c.integer("series_amount", amount, *C.OMNI_SERIES_AMOUNT)
    if result_type == "series":
        count = None if amount == "auto" else int(amount)
    elif given(p, "series_amount"):
        # Decision "series_amount": ignored (not refused) outside a series.
        c.warn("series_amount is ignored without result_type='series'; sent as given")
    if given(p, "resolution"):
        c.one_of("resolution", p["resolution"], C.IMAGE_RESOLUTIONS)
    m = catalog.omni_image_model(model)
    if m is None:
        c.known_model("model_name", model, [o.name for o in C.OMNI_IMAGE_MODELS], "omni-image")
        if given(p, "aspect_ratio"):
            c.one_of("aspect_ratio", p["aspect_ratio"], (*C.IMAGE_ASPECT_RATIOS, "auto"))
        return count
    if given(p, "resolution") and p["resolution"] not in m.resolutions:
        res = p["resolution"]
        others = [o.name for o in C.OMNI_IMAGE_MODELS if res in o.resolutions and o.name != model]
        c.fail("resolution", res, f"{_join(m.resolutions)} on {model}", _suggest(others, res))
    if given(p, "aspect_ratio"):
        c.one_of("aspect_ratio", p["aspect_ratio"], m.aspect_ratios, where=f"on {model}")
    return count
