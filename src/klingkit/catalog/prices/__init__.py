"""Prices, stated once: every create route's price as a row of a small vocabulary, read by one pricer.

A route's entry (``catalog/_routes_*.py``) checks a request with its rule table and then calls
:func:`price` once with the :class:`Facts` the rules derived (model and its catalog row, mode, variant,
resolution, seconds, count); the row in :data:`PRICES` says how those become units of the route's pack.
The rates are the catalog's data (model rows, ``FLAT_PRICES``, ``NEW_ONLY_PRICES``, effect scenes, the
2026-H2 modules' tables), never retyped here. Two policies live in the pricer alone: an estimate never
under-counts (an unknown length or count is quoted at its most, inexact) and an unknown model is priced by
its route's ``unknown_model`` row (at the catalog's ``UNKNOWN_MODEL_PRICES``).

:func:`video_price`, :func:`new_video_price` and :func:`image_price` are quotes for one model without a
request (the CLI's ``models``, tests): they build the facts and ask the same pricer.
"""

from __future__ import annotations

from .._lookup import image_model, new_video_model, omni_image_model, omni_video_model, video_model
from .._price import Estimate
from ._pricer import price
from ._rows import PRICES
from ._vocab import Facts, PriceRow

__all__ = [
    "PRICES",
    "Facts",
    "PriceRow",
    "image_price",
    "new_video_price",
    "price",
    "video_price",
]


def video_price(
    model_name: str, mode: str, duration: float, *, variant: str = "silent", omni: bool = False
) -> Estimate:
    """Units for ``duration`` seconds of a legacy (or omni) model in ``mode``; ``variant`` is ``silent``,
    ``audio`` (native sound), ``voice`` (voice control) or ``video_input``."""
    row = (omni_video_model if omni else video_model)(model_name)
    facts = Facts(model_name, row, mode, variant, seconds=duration)
    return price("omni-video" if omni else "text2video", facts)


def new_video_price(model_name: str, resolution: str, duration: float, *, audio: bool) -> Estimate:
    """Units for a 2026-route video (``/text-to-video/kling-3.0``) at ``resolution``."""
    row = new_video_model(model_name)
    variant = "audio" if audio else "silent"
    return price("text-to-video", Facts(model_name, row, "", variant, resolution, seconds=duration))


def image_price(
    model: str, n: int, *, kind: str, resolution: str | None = None, omni: bool = False
) -> Estimate:
    """Units for ``n`` images of ``model`` (``kind``: ``t2i``, ``i2i`` or ``multi``; 4K where dearer)."""
    row = (omni_image_model if omni else image_model)(model)
    facts = Facts(model, row, resolution=resolution or "", count=n, facts={"kind": kind})
    return price("omni-image" if omni else "images/generations", facts)
