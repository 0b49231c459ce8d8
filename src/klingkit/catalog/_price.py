"""Prices: units and US dollars for a request, from the catalog's tables (§7.2)."""

from __future__ import annotations

from dataclasses import dataclass

from ._data import (
    FLAT_PRICES,
    MODE_RESOLUTION,
    NEW_ONLY_PRICES,
    USD_PER_UNIT,
)
from ._lookup import new_video_model, omni_video_model, video_model


def usd(units: float, pack: str) -> float:
    """US dollars at list price for ``units`` of a ``video``/``image``/``tryon``/``audio`` pack."""
    return round(units * USD_PER_UNIT[pack], 4)


@dataclass(frozen=True)
class Estimate:
    """A price estimate: ``units`` of the ``pack`` resource pack, ``usd`` at list price.

    ``exact`` is False when the catalog had to guess (an unknown model, an undocumented combination).
    """

    units: float
    pack: str
    usd: float
    exact: bool = True
    basis: str = ""

    @classmethod
    def of(cls, units: float, pack: str, basis: str, exact: bool = True) -> Estimate:
        units = round(units, 4)
        return cls(units=units, pack=pack, usd=usd(units, pack), exact=exact, basis=basis)


def video_price(
    model_name: str,
    mode: str,
    duration: float,
    *,
    variant: str = "silent",
    omni: bool = False,
) -> Estimate:
    """Units for ``duration`` seconds of a legacy (or omni) model in ``mode``.

    ``variant`` is ``silent``, ``audio`` (native sound), ``voice`` (voice control) or ``video_input``.
    Unknown models are priced like the most expensive catalog row and marked inexact.
    """
    model = (omni_video_model if omni else video_model)(model_name)
    if model is None:
        return Estimate.of(2.0 * duration, "video", f"unknown model {model_name}: 2.0 units/s assumed", False)
    table = model.price.get(variant) or model.price["silent"]
    rate = table.get(mode)
    exact = variant in model.price and rate is not None
    if rate is None:
        rate = max(table.values())
    return Estimate.of(rate * duration, "video", f"{model_name} {mode} {variant}: {rate} units/s", exact)


def new_video_price(model_name: str, resolution: str, duration: float, *, audio: bool) -> Estimate:
    """Units for a 2026-route video (``/text-to-video/kling-3.0``) at ``resolution``."""
    model = new_video_model(model_name)
    if model is None:
        return Estimate.of(2.0 * duration, "video", f"unknown model {model_name}: 2.0 units/s assumed", False)
    if model.price_row in NEW_ONLY_PRICES:
        rate = NEW_ONLY_PRICES[model.price_row]["audio"].get(resolution, 1.0)
        return Estimate.of(rate * duration, "video", f"{model_name} {resolution}: {rate} units/s")
    mode = {v: k for k, v in MODE_RESOLUTION.items()}[resolution]
    return video_price(model.price_row, mode, duration, variant="audio" if audio else "silent")


def flat_price(key: str) -> float:
    """A flat per-call or per-item price from the catalog (units)."""
    return FLAT_PRICES[key]
