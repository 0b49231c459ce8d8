"""The rule kinds of wire bodies (the 2026-H2 routes): objects at dotted paths, typed ``contents[]`` items
and their counts, what decoding an input found, and ``@mentions``. Part of the one vocabulary
(:data:`klingkit.catalog.rules._vocab.Rule`); the interpreter's half for them is :mod:`._interp_wire`.

They report on items and on whole lists, so an item's refusal does not silence them: only their ``reads``
do. Every kind's docstring ends with an example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._ctx import Cond, Ctx, Get, Text

if TYPE_CHECKING:
    from ._vocab import Rule


@dataclass(frozen=True)
class Shape:
    """The value at ``name`` (a dotted path) is an object (``of="object"``) or a list (``of="list"``).
    An empty value (None, "", 0, [], {}) counts as absent and is refused only when ``required``; the
    refusal shows the value and says ``allowed`` ("an object", "a list" by default). ``stop``: a refusal
    ends the table, since every rule after it reads inside the value.

    ``Shape("settings", "object", stop=True)``; ``Shape("contents", "list", "a non-empty array of typed
    items", required=True, stop=True)``."""

    name: str
    of: str  # "object" or "list"
    allowed: str = ""
    required: bool = False
    stop: bool = False
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


Types = Sequence[str] | Callable[[Ctx], Sequence[str]]


@dataclass(frozen=True)
class Typed:
    """Every item of the list ``name`` is an object whose ``by`` field is one of ``types``: any other is
    refused as ``name[i].type`` showing that field (None for an item that is not an object), allowed the
    types. A value that is not a list is :class:`Shape`'s to refuse (here it has no items).

    ``Typed("contents", ("prompt", "first_frame", "middle_frame", "last_frame"))``."""

    name: str
    types: Types
    by: str = "type"
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tally:
    """How many items of the list ``name`` have a ``by`` among ``types``: ``lo`` to ``hi`` (None: no upper
    bound; either may read the request). Refused as ``at`` (default ``name``) with ``shown`` and
    ``allowed``: format strings over ``{n}`` (the count), ``{lo}``, ``{hi}``, ``{what}`` and ``{model}``
    (a literal brace is doubled), or ``allowed`` a function of the :class:`Ctx`. With ``each``, the first
    item past ``hi`` is refused by its own index (``name[i]``) instead.

    ``Tally("contents", ("refer_image",), hi=10, what="images")`` refuses 11 as ``contents='11 images':
    allowed at most 10 images``."""

    name: str
    types: Types
    hi: int | Callable[[Ctx], int] | None = None
    lo: int | Callable[[Ctx], int] = 0
    what: str = "items"
    shown: str = "{n} {what}"
    allowed: Text | None = None  # default: "at most {hi} {what}", "exactly {lo} {what}", "{lo}-{hi} {what}"
    at: str = ""
    each: bool = False
    by: str = "type"
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Items:
    """Each type's own rules (``rules[type]``) on every item of the list ``name`` of that type, in the
    list's order: inside, ``x.p`` is the item, ``x.body`` the whole request and refusals are named
    ``name[i].field``. Items of other types (or not objects) are :class:`Typed`'s to refuse. ``first``:
    only the first item of each type (the one a route reads).

    ``Items("contents", {"refer_image": (Require("url", "a URL or raw base64 data"),)})``."""

    name: str
    rules: Mapping[str, tuple[Rule, ...]]
    by: str = "type"
    first: bool = False
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Media:
    """What decoding an input found (``x.media[key]``: an object with ``seconds``, ``fps``, ``width``,
    ``height``, each None when unknown) against its limits, every broken limit one refusal named ``name``:
    ``seconds`` (lo, hi) allowed "{what} of lo-hi s"; ``fps_min``; ``side`` (lo, hi) px a side, else
    ``pixels_max``; ``aspect`` (lo, hi) as width/height, allowed ``aspect_text``. ``key`` defaults to the
    item's path inside :class:`Items` (``contents[2]``), else ``name``; nothing known, nothing checked.

    ``Media("url", what="videos", seconds=(3, 30), fps_min=24)`` inside ``Items("contents", ...)``."""

    name: str
    what: str = "files"
    seconds: tuple[float, float] | None = None
    fps_min: float | None = None
    side: tuple[int, int] | None = None
    pixels_max: int | None = None
    aspect: tuple[float, float] | None = None
    aspect_text: str = ""
    key: Text | None = None
    why: Text | None = None
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class MediaTotal:
    """The seconds decoding found in the items of ``types`` of the list ``name`` (``x.media`` by item path)
    add up to at most ``hi``: refused as ``name`` showing "{total} s of {what}", allowed "at most {hi} s in
    all". Items whose length is unknown count nothing.

    ``MediaTotal("contents", ("feature_video", "base_video"), 30, what="video")``."""

    name: str
    types: Types
    hi: float
    what: str = "media"
    by: str = "type"
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mentions:
    """Every ``@id`` that ``find`` sees in ``text`` names an item of the list ``items`` whose type is one
    of ``types`` (by its ``key``, when that is a non-empty string); those ids are unique and none is the
    start of another (``@hero`` would be read inside ``@hero2``). An unknown mention is refused as
    ``name`` showing ``@id``; a repeated or prefix id as ``items[i].key``.

    ``Mentions("prompt", text=first_prompt, find=kling4.mention_ids)``."""

    name: str
    text: Get
    find: Callable[[str], Sequence[str]]
    items: str = "contents"
    types: tuple[str, ...] = ("element", "voice")
    key: str = "id"
    by: str = "type"
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()
