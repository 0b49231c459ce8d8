"""The price vocabulary: what a route's price row is made of (frozen dataclasses, no behaviour).

A route states its price once, as one of these (``catalog/prices/_rows.py``); :mod:`._pricer` is the one
pricer that evaluates it against the :class:`Facts` the route's rules derived. Rates are read where the
catalog keeps them (a model row's ``price``, ``FLAT_PRICES``, ``NEW_ONLY_PRICES``, the 2026-H2 modules'
tables), never retyped: a rate is a :class:`Rate` (a table and the key to read), a number taken from the
catalog's data, or a small function of the facts.

Two policies are stated here and applied by the pricer alone, so no row repeats them:

* **an estimate never under-counts**: a key the table lacks (or a zero rate) is priced at the table's
  highest rate; an unknown quantity (``seconds``/``count`` None: a URL's length, an ``auto`` series) at
  the most it can be (``unknown``). Either marks the estimate inexact.
* **unknown model**: a row that reads the model's catalog row names an ``unknown_model`` row for a model
  the catalog does not know (policy ``unknown-name``: the client warns and sends, so it still prices).

``basis`` is a :meth:`str.format` template over the facts (``model``, ``mode``, ``variant``,
``resolution``, ``seconds``, ``count``, the route's own ``facts``) and the ``rate`` read; ``unknown_basis``
replaces it when a quantity was unknown (``{basis}`` is the ordinary one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Facts:
    """What a price row reads: the model (and its catalog row) and what the route's rules derived."""

    model: str = ""
    row: Any = None  # the model's catalog row (VideoModel, NewVideoModel, ImageModel, ...), None: unknown
    mode: str = ""
    variant: str = "silent"  # a video's audio variant: silent, audio, voice or video_input
    resolution: str = ""
    seconds: float | None = None  # the seconds the price counts (output, or the input that sets it)
    input_seconds: float = 0.0  # seconds of input video counted on top (Kling 4.0)
    count: int | None = None  # items billed (images); None: not known before the task ends
    facts: Mapping[str, Any] = field(default_factory=dict)  # the route's own (kind, scene, ...)

    def __getitem__(self, name: str) -> Any:
        return self.facts[name]


Cond = Callable[[Facts], bool]
Get = Callable[[Facts], Any]


@dataclass(frozen=True)
class Rate:
    """A rate read from catalog data: the table ``of(facts)`` at ``key(facts)``; ``exact`` says when the
    table itself is the right one (a video row without the variant's own prices falls back to silent)."""

    of: Callable[[Facts], Mapping[str, float]]
    key: Callable[[Facts], str]
    exact: Cond | None = None


Amount = float | Rate | Callable[[Facts], float]
"""A rate: a number from the catalog's data, a :class:`Rate`, or a function of the facts."""


@dataclass(frozen=True)
class Flat:
    """A price per call."""

    rate: Amount
    basis: str
    exact: bool = True


@dataclass(frozen=True)
class PerSecond:
    """``rate`` per second of ``seconds`` (default: the facts' seconds), at least ``minimum`` seconds;
    ``usd``: the rate is in US dollars (converted to the route's pack units)."""

    rate: Amount
    basis: str
    seconds: Get | None = None
    unknown: float | Get | None = None  # the seconds assumed when not known (inexact)
    unknown_basis: str = ""
    minimum: Get | None = None
    usd: bool = False
    exact: bool = True
    unknown_model: PriceRow | None = None


@dataclass(frozen=True)
class PerItem:
    """``rate`` per item (image) of ``count`` (default: the facts' count)."""

    rate: Amount
    basis: str
    count: Get | None = None
    unknown: float | Get | None = None  # the items assumed when not known (inexact)
    unknown_basis: str = ""
    exact: bool = True
    unknown_model: PriceRow | None = None


@dataclass(frozen=True)
class PerBlock:
    """``rate`` per started block of ``block`` seconds (at least one block)."""

    rate: Amount
    block: float
    basis: str
    seconds: Get | None = None
    unknown: float | Get | None = None
    unknown_basis: str = ""
    exact: bool = True


@dataclass(frozen=True)
class Choose:
    """``then`` when ``when`` holds, else ``otherwise`` (a 4.0 model on a 2026 route, a known source)."""

    when: Cond
    then: PriceRow
    otherwise: PriceRow
    unknown_model: PriceRow | None = None


@dataclass(frozen=True)
class Like:
    """Priced like another model's row (a 2026 model's ``price_row``): ``then`` reads ``model``, ``row``
    and ``mode`` as given here."""

    model: Get
    row: Get
    then: PriceRow
    mode: Get | None = None


PriceRow = Flat | PerSecond | PerItem | PerBlock | Choose | Like
"""One route's price."""
