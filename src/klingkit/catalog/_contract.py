"""The one entry to the contract: :func:`check` a request for a route and :func:`price` it.

The client (``klingkit.prepare``) and the sandbox call these two functions and nothing else of the rules: a
route's rules, its defaults and its price are looked up here, in :data:`ROUTES`, so neither side dispatches
per route or adds up a price itself. A refusal is a :class:`~klingkit.catalog.rules.Refusal` (field, value,
what is allowed, the nearest model that allows it); the client raises it as ``ValidationError``, the
sandbox answers it as 400/1201.

``params`` are the request's fields in the wire's own spellings, flat: legacy routes as sent; on the 2026
routes the fields of ``settings`` (``resolution``, ``audio``, ``duration``, ``aspect_ratio``) next to the
prompt and the inputs (``image``, ``image_tail``, ``image_list`` with ``first_frame``/``end_frame`` types,
``video_list``, ``element_list``). Friendly spellings (``mode='standard'``, ``sound=True``, the 2026
``mode``/``sound`` words) are the client's to translate first; a server reads the wire as sent.

What only a server knows (the length and model of a source video, how many images an ``auto`` series
produced) comes in :class:`Known` (policy ``server-state``): without it the price is the estimate a client
can give, marked inexact where it had to assume; with it the price is the charge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from . import _kling4 as kling4
from ._checked import Checked, Known, Route
from ._price import Estimate
from ._routes_h2 import H2_ROUTES
from ._routes_media import MEDIA_ROUTES
from ._routes_video import VIDEO_ROUTES, kling4_route
from .prices import image_price
from .rules import Checks, Refusal
from .rules._base import raise_all

__all__ = ["ROUTES", "Checked", "Known", "check", "image_price", "price", "refusals"]

ROUTES: dict[str, Route] = {**VIDEO_ROUTES, **MEDIA_ROUTES, **H2_ROUTES}
"""Every create route the rules cover (catalog endpoint keys) -> its rules, defaults and price."""


def check(
    feature: str,
    params: Mapping[str, Any],
    *,
    strict: bool = False,
    known: Known | None = None,
    checks: Checks | None = None,
) -> Checked:
    """Check a request for ``feature`` (a catalog endpoint key) and price it; raises :class:`Refusal`.

    Kling 4.0 (a 4.0 ``model_name`` on the 2026 routes) is checked on the body as sent, with
    ``known.videos`` for the input videos each side decoded.

    ``strict`` refuses model names the catalog does not know (otherwise they pass with a warning, policy
    ``unknown-name``). ``checks`` collects the warnings into a caller's own collector; they are also in
    the result.
    """
    route = ROUTES.get(feature)
    if feature in kling4.ROUTES.values() and kling4.canonical(params.get("model_name")) is not None:
        route = partial(kling4_route, feature)
    if route is None:
        raise Refusal("feature", feature, ", ".join(ROUTES))
    c = checks if checks is not None else Checks(strict)
    checked = route(params, c, known or Known())
    raise_all(c.refused)  # a spelling the route parsed after its last rules (the rules report the others)
    return replace(checked, warnings=tuple(c.warnings))


def price(feature: str, params: Mapping[str, Any], *, known: Known | None = None) -> Estimate:
    """The price of a request for ``feature`` (what :func:`check` returns, for callers that only price)."""
    return check(feature, params, known=known).estimate


def refusals(
    feature: str, params: Mapping[str, Any], *, strict: bool = False, known: Known | None = None
) -> list[Refusal]:
    """Every refusal of a request for ``feature`` at once (empty: :func:`check` accepts it).

    The interpreter (:mod:`klingkit.catalog.rules._interp`) collects them in table order; what
    :func:`check` raises is the first, carrying this list in ``.all``.
    """
    try:
        check(feature, params, strict=strict, known=known)
    except Refusal as r:
        return list(r.all)
    return []
