"""The rule vocabulary: what a route's rule table is made of (frozen dataclasses, no behaviour).

A route states its rules once, as a tuple of these (``catalog/rules/_video.py``, ``_omni.py``,
``_images.py``, ``_audio.py``); :mod:`klingkit.catalog.rules._interp` is the one interpreter that evaluates
a table against a request and collects every refusal. Values that depend on the request or the model's
catalog row are small functions of the :class:`Ctx` (``lambda x: x.row.modes``); limits and enums are the
catalog's own constants, never retyped.

``row=True`` marks a rule that reads the model's catalog row: it is skipped for a model the catalog does
not know (policy ``unknown-name``: the client warns and sends). ``reads`` names the fields a rule depends
on besides its own: a rule is skipped once one of them was refused, so one fault gives one refusal.

Wire bodies (the 2026-H2 routes: ``settings``, ``options``, typed ``contents[]`` items) use the same kinds
with a **dotted path** as the name (``Field("settings.resolution", ...)``: a step that is absent or not an
object reads as absent), plus the kinds of :mod:`._vocab_wire`: :class:`Shape` (a path is an object or a
list; ``stop`` ends the table when it is not), :class:`Typed` (every item of a list has a known ``type``),
:class:`Tally` (how many items of some types), :class:`Items` (each type's own rules, on every item of that
type), :class:`Media` (what decoding an input found: seconds, fps, size, aspect, pixels),
:class:`MediaTotal` (their seconds added up) and :class:`Mentions` (every ``@id`` of a prompt names an
item). They report on items and on whole lists, so
an item's refusal does not silence them: only their ``reads`` do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._ctx import Cond, Ctx, Get, Text
from ._vocab_wire import Items, Media, MediaTotal, Mentions, Shape, Tally, Typed

__all__ = [
    "Camera",
    "Cond",
    "Count",
    "Ctx",
    "Each",
    "Exclusive",
    "Field",
    "Forbid",
    "Get",
    "Items",
    "KnownModel",
    "Listed",
    "Media",
    "MediaTotal",
    "Mentions",
    "MultiShot",
    "Nearest",
    "PerModel",
    "Refuse",
    "Require",
    "RequiresWhen",
    "Rule",
    "Shape",
    "Tally",
    "Text",
    "Typed",
    "Warn",
    "When",
    "Xor",
]


@dataclass(frozen=True)
class Field:
    """One field: a text of at most ``max_len`` characters (``required``), one of ``enum``, a number in
    ``range``, an integer in ``integer``. Checked when given (``always``: also when absent, for a value
    with a default such as the normalised mode); ``value`` reads it from elsewhere than ``p[name]``;
    ``boolean``: true or false."""

    name: str
    required: bool | Cond = False
    max_len: int | Callable[[Ctx], int] | None = None
    enum: Sequence[Any] | Callable[[Ctx], Sequence[Any]] | None = None
    range: tuple[float, float] | None = None
    integer: tuple[int, int] | None = None
    unit: str = ""
    where: Text = ""
    suggest: Text | None = None
    value: Get | None = None
    always: bool = False
    boolean: bool = False  # true/false (or their strings, as the official multi-shot sample sends them)
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Forbid:
    """A field that must be absent here (``when``): refused with what is allowed instead and why.
    ``present`` says how presence is judged, when not simply given (a key sent as null counts); such a
    rule judges presence, not the value, so a refusal of the value does not silence it (the field must go
    whatever it holds: a base video's edit takes no duration, valid or not)."""

    name: str
    allowed: Text
    why: Text | None = None
    shown: Get | None = None
    when: Cond | None = None
    present: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Require:
    """A field that must be given (``when``)."""

    name: str
    allowed: Text
    why: Text | None = None
    when: Cond | None = None
    present: Cond | None = None  # how presence is judged, when not simply ``given(p, name)``
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequiresWhen:
    """``field`` must be ``value`` whenever ``when`` holds (``voice_list`` needs ``sound='on'``)."""

    name: str
    value: Any
    when: Cond
    why: Text
    shown: Get | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refuse:
    """A refusal stated as a condition: when ``when`` holds, ``name`` is refused with ``value`` shown,
    ``allowed`` and ``why`` (often :class:`Nearest`: the models that allow it)."""

    name: str
    when: Cond
    allowed: Text
    why: Text | None = None
    shown: Get | None = None
    policy: str = ""  # the catalog policy behind it (``server-state``: a fact only a server knows)
    stop: bool = False  # when refused, the table ends here (what follows would read a broken shape)
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    """A list of ``lo``..``hi`` items (``hi`` may read the request); checked when a non-empty list is given,
    or always (``always``: the list is required)."""

    name: str
    lo: int
    hi: int | Callable[[Ctx], int]
    always: bool = False
    value: Get | None = None
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Listed:
    """The field, when given, is a list."""

    name: str
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclusive:
    """At most one of the fields may be present (``present`` says how each counts as present)."""

    present: Mapping[str, Cond]
    why: str
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Xor:
    """Exactly one of two fields."""

    a: str
    b: str
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class PerModel:
    """A capability lookup in the model's row: ``value`` must be in ``of(row)``; the refusal names the
    nearest models of ``rows`` whose ``of`` holds the value (``suggest=False``: none named)."""

    name: str
    value: Get
    of: Callable[[Any], Sequence[Any]]
    rows: Callable[[], Sequence[Any]]
    phrase: Callable[[Ctx], str]
    shown: Get | None = None
    where: Text | None = None
    name_of: Callable[[Any], str | None] = lambda r: str(r.name)
    suggest: bool = True
    when: Cond | None = None
    row: bool = True
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Warn:
    """A warning (sent as given) when ``when`` holds."""

    when: Cond
    message: Callable[[Ctx], str]
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownModel:
    """The model must be known (unknown: a warning, or refused when strict): by its row, or with
    ``listed``, by the route's own list of models (a known video model may be unlisted for a route)."""

    known: Callable[[], Sequence[str]]
    what: str
    listed: bool = False
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Each:
    """The ``rules`` applied to every item of the list ``name`` (field names prefixed ``name[i].``)."""

    name: str
    rules: tuple[Rule, ...]
    item: str = ""  # what an item must be, when it must be an object (an item that is not is refused)
    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class When:
    """The ``rules`` that apply only when ``cond`` holds (lip-sync's text2video rules)."""

    cond: Cond
    rules: tuple[Rule, ...]
    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Camera:
    """Named kind: ``camera_control`` (object or preset name) checked and built into its wire object
    (``values['camera_control']``, all six axes for ``simple``)."""

    row: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class MultiShot:
    """Named kind: ``shot_type``/``multi_prompt`` of a multi-shot video checked, the shots' seconds summed
    against the duration, and the wire ``multi_prompt`` built (``values['multi_prompt']``)."""

    when: Cond | None = None
    row: bool = False
    reads: tuple[str, ...] = ()


Rule = (
    Field
    | Forbid
    | Require
    | RequiresWhen
    | Refuse
    | Count
    | Listed
    | Exclusive
    | Xor
    | PerModel
    | Warn
    | KnownModel
    | Each
    | When
    | Camera
    | MultiShot
    | Shape
    | Typed
    | Tally
    | Items
    | Media
    | MediaTotal
    | Mentions
)
"""One rule of a route's table."""


@dataclass(frozen=True)
class Nearest:
    """A suggestion: the other models of ``rows`` that allow it (``pred(row, ctx)``): "A/B allow <phrase>"."""

    rows: Callable[[], Sequence[Any]]
    pred: Callable[[Any, Ctx], bool]
    phrase: Text
    name_of: Callable[[Any], str | None] = lambda r: str(r.name)

    def __call__(self, x: Ctx) -> str | None:
        names = [n for r in self.rows() if self.pred(r, x) and (n := self.name_of(r)) and n != x.model]
        if x.row is not None:
            own = self.name_of(x.row)
            names = [n for n in names if n != own]
        phrase = self.phrase if isinstance(self.phrase, str) else self.phrase(x) or ""
        if not names:
            return None
        return f"{'/'.join(names)} {'allows' if len(names) == 1 else 'allow'} {phrase}"
