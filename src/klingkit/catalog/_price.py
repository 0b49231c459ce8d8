"""What a price is: :class:`Estimate` (units of a resource pack and US dollars at list price).

Each route's price is a row of :mod:`klingkit.catalog.prices`, evaluated by its one pricer; this module
holds the result type and the unit conversion they share."""

from __future__ import annotations

from dataclasses import dataclass

from ._data import FLAT_PRICES, USD_PER_UNIT


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


def flat_price(key: str) -> float:
    """A flat per-call or per-item price from the catalog (units)."""
    return FLAT_PRICES[key]
