"""The one pricer: evaluate a route's price row (:data:`PRICES`) against the facts its rules derived.

It applies the vocabulary's two policies (an estimate never under-counts; an unknown model has its own
row) and nothing else: every rate and every wording is in the rows. The pack that pays is the route's own
(``ENDPOINTS[route].pack``).
"""

from __future__ import annotations

import math
from dataclasses import replace

from .._data import ENDPOINTS, USD_PER_UNIT
from .._price import Estimate
from ._rows import PRICES
from ._vocab import Amount, Choose, Facts, Flat, Like, PerBlock, PerItem, PriceRow, Rate


def price(route: str, facts: Facts) -> Estimate:
    """The price of a request the rules accepted on ``route`` (a catalog endpoint key)."""
    pack = ENDPOINTS[route].pack
    units, basis, exact = _evaluate(PRICES[route], facts, pack)
    return Estimate.of(units, pack, basis, exact)


def _evaluate(row: PriceRow, f: Facts, pack: str) -> tuple[float, str, bool]:
    if not isinstance(row, (Flat, PerBlock, Like)) and row.unknown_model is not None and f.row is None:
        return _evaluate(row.unknown_model, f, pack)
    if isinstance(row, Choose):
        return _evaluate(row.then if row.when(f) else row.otherwise, f, pack)
    if isinstance(row, Like):
        mode = row.mode(f) if row.mode else f.mode
        return _evaluate(row.then, replace(f, model=row.model(f), row=row.row(f), mode=mode), pack)
    rate, exact = _rate(row.rate, f)
    exact = exact and row.exact
    if isinstance(row, Flat):
        return rate, _basis(row.basis, f, rate), exact
    if isinstance(row, PerItem):
        count = row.count(f) if row.count else f.count
        quantity, known = _known(count, row.unknown, f)
        units = rate * quantity
        words = {"count": quantity}
    else:
        seconds = row.seconds(f) if row.seconds else f.seconds
        quantity, known = _known(seconds, row.unknown, f)
        if isinstance(row, PerBlock):
            units = rate * max(1, math.ceil(quantity / row.block - 1e-9))
            words = {"seconds": quantity, "block": row.block}
        else:
            if row.minimum is not None:
                quantity = max(quantity, row.minimum(f))
            units = rate * quantity / USD_PER_UNIT[pack] if row.usd else rate * quantity
            words = {"seconds": quantity}
    basis = _basis(row.basis, f, rate, **words)
    if not known:
        basis = _basis(row.unknown_basis, f, rate, basis=basis, **words)
    return units, basis, exact and known


def _rate(amount: Amount, f: Facts) -> tuple[float, bool]:
    """The rate and whether it is the request's own (not the table's highest, policy: never under-count)."""
    if isinstance(amount, (int, float)):
        return amount, True
    if not isinstance(amount, Rate):
        return amount(f), True
    table = amount.of(f)
    rate = table.get(amount.key(f))
    exact = amount.exact(f) if amount.exact else True
    if not rate:
        return max(table.values()), False
    return rate, exact


def _known(quantity: float | None, unknown: float | object, f: Facts) -> tuple[float, bool]:
    if quantity is not None:
        return quantity, True
    if unknown is None:
        raise LookupError("a price row needs a quantity the route did not give, and states no assumption")
    return (unknown(f) if callable(unknown) else unknown), False  # type: ignore[return-value]


def _basis(template: str, f: Facts, rate: float, **words: object) -> str:
    fields = {"model": f.model, "mode": f.mode, "variant": f.variant, "resolution": f.resolution}
    return template.format(**fields, **f.facts, rate=rate, **words)
