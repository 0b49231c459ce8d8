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

The rules over the body are a table, :mod:`klingkit.catalog.rules._image4`; this module holds the facts
they read (and the price, which reads the settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._types import Endpoint

__all__ = ["ENDPOINTS", "MODELS", "count"]

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
CONTENT_TYPES = {
    IMAGE: ("prompt", "refer_image", "element"),
    LONG: ("prompt", "refer_image", "style_refer_image", "subject_refer_image"),
}  # the contents[] item types each model takes
ECOMMERCE_REFS = (1, 3)
UNITS_PER_IMAGE = {"2k": 8.0, "4k": 16.0}  # L: the omni image rows


def canonical(name: str | None) -> str | None:
    """The catalog name of an image 4.0 model (or a reseller alias), or None for other names."""
    if not isinstance(name, str):
        return None
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    return key if key in MODELS else None


def count(model_name: str, settings: Mapping[str, Any], actual: bool = False) -> int:
    """How many images the body makes: ``n``, or the series amount (``auto`` counts 10 for an estimate,
    4 when the sandbox makes them), or 1 for Long Image."""
    if canonical(model_name) == LONG:
        return 1
    if settings.get("result_type") == "series":
        amount = settings.get("series_amount")
        if amount in (None, "auto"):  # sent as null is not sent: the server chooses
            return 4 if actual else SERIES_AMOUNT[1]
        return int(amount)
    n = settings.get("n")
    return int(n) if isinstance(n, int) and not isinstance(n, bool) else 1
