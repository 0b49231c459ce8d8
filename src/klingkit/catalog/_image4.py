"""Kling Image 4.0 and Long Image 4.0: the facts as data, and the rules over a wire body, stated once.

Source: ``kling-2026-h2.md`` §2 (confidence M for the body; the route is not in the reference: it follows
the 2026 model-in-path family, ``POST /omni-image/{model}``, queried through ``/tasks``; confidence L).
Prices are not published for 4.0: the estimate uses the 2026 omni image rows (8 units an image at 2K, 16
at 4K; §7.2) and is marked approximate. Like Kling 4.0 video, these routes take no ``callback_url`` and no
``external_task_id``; a lost create answer is found through the task list.

Image 4.0: ``contents[]`` of one ``prompt`` item, ``refer_image`` items and ``element`` items (at most 10
references and elements together), ``settings{aspect_ratio, n, resolution 2k|4k, result_type
single|series, series_amount auto|2-10}``. Long Image 4.0: ``settings.skill`` ``webpage`` (at most one
``style_refer_image`` and one ``subject_refer_image``) or ``ecommerce`` (1-3 ``refer_image``), exactly
one prompt item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._kling4 import REFUSED_OPTIONS
from ._refusal import Refusal
from ._types import Endpoint

__all__ = ["ENDPOINTS", "MODELS", "check", "count", "price"]

IMAGE = "kling-image-4.0"
LONG = "kling-long-image-4.0"
MODELS = (IMAGE, LONG)
ALIASES = {"kling-image-v4": IMAGE, "kling-v4-image": IMAGE, "kling-long-image-v4": LONG}
ENDPOINT = Endpoint("omni-image-new", "/omni-image", "new", "image", "image", model_in_path=True)
ENDPOINTS = (ENDPOINT,)
CONFIDENCE = "M"
ROUTE_CONFIDENCE = "L"

ASPECT_RATIOS = ("auto", "21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16")
RESOLUTIONS = ("2k", "4k")
RESULT_TYPES = ("single", "series")
SERIES_AMOUNT = (2, 10)
N_RANGE = (1, 9)
REFERENCES_MAX = 10  # refer images and elements together
IMAGE_MAX_BYTES = 30 * 1024 * 1024
PROMPT_MAX_ENGLISH = 50_000
PROMPT_MAX_OTHER = 20_000  # L: the reference gives only the English limit
SKILLS = ("webpage", "ecommerce")
ECOMMERCE_REFS = (1, 3)
UNITS_PER_IMAGE = {"2k": 8.0, "4k": 16.0}  # L: the omni image rows


def canonical(name: str | None) -> str | None:
    """The catalog name of an image 4.0 model (or a reseller alias), or None for other names."""
    if not isinstance(name, str):
        return None
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    return key if key in MODELS else None


def _items(
    body: Mapping[str, Any], out: list[Refusal], allowed: tuple[str, ...]
) -> list[tuple[int, str, Any]]:
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        out.append(Refusal("contents", contents, "a non-empty array of typed items"))
        return []
    items = []
    for i, item in enumerate(contents):
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind not in allowed:
            out.append(Refusal(f"contents[{i}].type", kind, ", ".join(allowed)))
            continue
        if (
            kind != "prompt"
            and kind != "element"
            and not (isinstance(item.get("url"), str) and item.get("url"))
        ):
            out.append(Refusal(f"contents[{i}].url", item.get("url"), "a URL or raw base64 data"))
        if kind == "element" and not (isinstance(item.get("element_id"), str) and item.get("element_id")):
            out.append(
                Refusal(f"contents[{i}].element_id", item.get("element_id"), "an element id (a string)")
            )
        items.append((i, str(kind), item))
    return items


def check(model_name: str, body: Any) -> list[Refusal]:
    """Every reason to refuse ``body`` on ``/omni-image/{model_name}`` (empty: acceptable)."""
    model = canonical(model_name)
    if model is None:
        return [Refusal("model", model_name, ", ".join(MODELS))]
    if not isinstance(body, Mapping):
        return [Refusal("body", type(body).__name__, "a JSON object")]
    out: list[Refusal] = []
    options = body.get("options") or {}
    for key in REFUSED_OPTIONS:
        if isinstance(options, Mapping) and key in options:
            out.append(Refusal(f"options.{key}", options[key], "absent", f"{model} takes none"))
    settings = body.get("settings") or {}
    if not isinstance(settings, Mapping):
        return [*out, Refusal("settings", settings, "an object")]
    long = model == LONG
    allowed = (
        ("prompt", "refer_image", "style_refer_image", "subject_refer_image")
        if long
        else ("prompt", "refer_image", "element")
    )
    items = _items(body, out, allowed)
    prompts = [it for _, kind, it in items if kind == "prompt"]
    if len(prompts) != 1:
        out.append(
            Refusal("contents", f"{len(prompts)} prompt items", "exactly one {type: prompt, text} item")
        )
    else:
        text = prompts[0].get("text")
        limit = PROMPT_MAX_ENGLISH if isinstance(text, str) and text.isascii() else PROMPT_MAX_OTHER
        if not isinstance(text, str) or not text:
            out.append(Refusal("prompt", text, "text"))
        elif len(text) > limit:
            out.append(Refusal("prompt", f"{len(text)} characters", f"at most {limit} characters"))
    counts = {k: sum(1 for _, kind, _ in items if kind == k) for k in allowed}
    aspect = settings.get("aspect_ratio")
    if aspect is not None and aspect not in ASPECT_RATIOS:
        out.append(Refusal("settings.aspect_ratio", aspect, ", ".join(ASPECT_RATIOS)))
    resolution = settings.get("resolution")
    if resolution is not None and resolution not in RESOLUTIONS:
        out.append(Refusal("settings.resolution", resolution, ", ".join(RESOLUTIONS)))
    if long:
        skill = settings.get("skill")
        if skill not in SKILLS:
            out.append(Refusal("settings.skill", skill, ", ".join(SKILLS)))
        elif skill == "webpage":
            for kind in ("style_refer_image", "subject_refer_image"):
                if counts[kind] > 1:
                    out.append(
                        Refusal(f"contents[type={kind}]", f"{counts[kind]} items", f"at most one {kind}")
                    )
            if counts["refer_image"]:
                out.append(
                    Refusal(
                        "contents[type=refer_image]",
                        "refer_image",
                        "style_refer_image, subject_refer_image",
                        "the webpage skill takes a style and a subject reference",
                    )
                )
        else:
            lo, hi = ECOMMERCE_REFS
            if not lo <= counts["refer_image"] <= hi:
                out.append(
                    Refusal(
                        "contents[type=refer_image]",
                        f"{counts['refer_image']} refer_image items",
                        f"{lo}-{hi} refer_image items",
                    )
                )
            if counts["style_refer_image"] or counts["subject_refer_image"]:
                out.append(
                    Refusal("contents[type=style_refer_image]", "given", "refer_image items only (ecommerce)")
                )
        return out
    refs = counts["refer_image"] + counts["element"]
    if refs > REFERENCES_MAX:
        out.append(
            Refusal(
                "contents[type=refer_image]",
                f"{refs} references and elements",
                f"at most {REFERENCES_MAX} in all",
            )
        )
    n = settings.get("n")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not N_RANGE[0] <= n <= N_RANGE[1]):
        out.append(Refusal("settings.n", n, f"an integer {N_RANGE[0]}-{N_RANGE[1]}"))
    result_type = settings.get("result_type")
    if result_type is not None and result_type not in RESULT_TYPES:
        out.append(Refusal("settings.result_type", result_type, ", ".join(RESULT_TYPES)))
    amount = settings.get("series_amount")
    if amount is not None:
        if result_type != "series":
            out.append(Refusal("settings.series_amount", amount, "absent", "needs result_type series"))
        elif amount != "auto" and (isinstance(amount, bool) or not isinstance(amount, int)
                                   or not SERIES_AMOUNT[0] <= amount <= SERIES_AMOUNT[1]):  # fmt: skip
            out.append(
                Refusal("settings.series_amount", amount, f"auto or {SERIES_AMOUNT[0]}-{SERIES_AMOUNT[1]}")
            )
    if result_type == "series" and n not in (None, 1):
        out.append(Refusal("settings.n", n, "absent or 1 with result_type series"))
    return out


def count(model_name: str, settings: Mapping[str, Any], actual: bool = False) -> int:
    """How many images the body makes: ``n``, or the series amount (``auto`` counts 10 for an estimate,
    4 when the sandbox makes them), or 1 for Long Image."""
    if canonical(model_name) == LONG:
        return 1
    if settings.get("result_type") == "series":
        amount = settings.get("series_amount", "auto")
        if amount == "auto":
            return 4 if actual else SERIES_AMOUNT[1]
        return int(amount)
    n = settings.get("n")
    return int(n) if isinstance(n, int) and not isinstance(n, bool) else 1


def price(model_name: str, settings: Mapping[str, Any], actual: bool = False) -> tuple[float, str]:
    """(units, basis) for an image 4.0 body; always approximate (no official 4.0 price table)."""
    resolution = str(settings.get("resolution") or "2k")
    images = count(model_name, settings, actual)
    rate = UNITS_PER_IMAGE.get(resolution, UNITS_PER_IMAGE["4k"])
    basis = f"{canonical(model_name)} {resolution}: {rate:g} units x {images} image(s); omni image rows, approximate (L)"
    return rate * images, basis
