"""The rule primitives: a collector of warnings that refuses with :class:`Refusal`, and the spellings
every rule agrees on (``standard`` -> ``std``, ``"5"`` -> 5 s, ``"true"`` -> True).

A spelling read before the rules run (the model, mode and duration a route's rules are evaluated against)
records its refusal in the route's :class:`Checks` instead of raising, so a request with a bad duration and
a bad prompt hears of both: the interpreter reports what was recorded first and skips the rules that read
the refused field (no cascade)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

from ... import catalog
from .. import _data as C
from .._refusal import Refusal as Refusal  # the one refusal type (a leaf module, shared with _kling4...)
from .._types import VideoModel

T = TypeVar("T")


def _join(items: Iterable[object]) -> str:
    return ", ".join(str(i) for i in items)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def raise_all(found: Sequence[Refusal]) -> None:
    """Raise the first of ``found`` carrying them all in ``.all`` (nothing when empty)."""
    if found:
        first = found[0]
        first.all = list(found)
        raise first


class Checks:
    """Collects warnings and raises errors; ``strict`` turns unknown models into errors. ``refused`` holds
    the refusals of the spellings parsed before the rules ran (reported with the rules' own, first)."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.warnings: list[str] = []
        self.refused: list[Refusal] = []

    def record(self, refusal: Refusal) -> None:
        """Keep ``refusal`` to report with every other refusal of the request (see :func:`parsed`)."""
        self.refused.append(refusal)

    def warn(self, message: str) -> None:
        """Record a warning (it ends up in ``RequestSpec.warnings``)."""
        if message not in self.warnings:
            self.warnings.append(message)

    @staticmethod
    def fail(field: str, value: object, allowed: object, suggestion: str | None = None) -> NoReturn:
        """Raise the ValidationError for ``field``."""
        raise Refusal(field, value, allowed, suggestion)

    def one_of(
        self,
        field: str,
        value: object,
        allowed: Sequence[object],
        *,
        where: str = "",
        suggestion: str | None = None,
    ) -> None:
        """``value`` must be one of ``allowed`` (``where`` says for what, e.g. ``on kling-v1``)."""
        if value not in allowed:
            text = _join(allowed) + (f" {where}" if where else "")
            self.fail(field, value, text, suggestion)

    def number(self, field: str, value: object, lo: float, hi: float, *, unit: str = "") -> float:
        """``value`` must be a number in [lo, hi]; returns it as a float."""
        unit_text = f" {unit}" if unit else ""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            self.fail(field, value, f"a number from {_num(lo)} to {_num(hi)}{unit_text}")
        if not lo <= value <= hi:
            self.fail(field, value, f"{_num(lo)} to {_num(hi)}{unit_text}")
        return float(value)

    def integer(self, field: str, value: object, lo: int, hi: int) -> int:
        """``value`` must be an int in [lo, hi]."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, f"an integer from {lo} to {hi}")
        if not lo <= value <= hi:
            self.fail(field, value, f"{lo} to {hi}")
        return value

    def text(
        self, field: str, value: object, max_len: int, *, required: bool = False, where: str = ""
    ) -> str:
        """``value`` must be a string of at most ``max_len`` characters (non-empty when ``required``)."""
        if value is None or value == "":
            if required:
                self.fail(field, value, f"a non-empty text of at most {max_len} characters", "it is required")
            return ""
        if not isinstance(value, str):
            self.fail(field, value, f"a text of at most {max_len} characters")
        if len(value) > max_len:
            shown = f"<{len(value)} characters>"
            self.fail(field, shown, f"at most {max_len} characters" + (f" {where}" if where else ""))
        return value

    def count(self, field: str, items: object, lo: int, hi: int) -> list[Any]:
        """``items`` must be a list of ``lo``..``hi`` entries."""
        if not isinstance(items, (list, tuple)):
            self.fail(field, type(items).__name__, f"a list of {lo} to {hi} items")
        if not lo <= len(items) <= hi:
            got = f"{len(items)} item" + ("" if len(items) == 1 else "s")
            self.fail(field, got, f"{lo} to {hi} items" if lo != hi else f"exactly {lo} items")
        return list(items)

    def listed(self, field: str, items: object) -> list[Any]:
        """``items`` as a list (absent or empty: ``[]``); anything else but a list is refused."""
        if items is None or items == "" or items == []:
            return []
        if not isinstance(items, (list, tuple)):
            self.fail(field, items, "a list")
        return list(items)

    def exclusive(self, given: Mapping[str, bool], why: str) -> None:
        """At most one of the ``given`` fields may be present."""
        present = [k for k, v in given.items() if v]
        if len(present) > 1:
            self.fail(present[1], "given together with " + present[0], f"only one of {_join(given)}", why)

    def xor(self, a: str, a_given: bool, b: str, b_given: bool) -> None:
        """Exactly one of two fields."""
        if a_given and b_given:
            self.fail(b, f"given together with {a}", f"exactly one of {a}, {b}")
        if not a_given and not b_given:
            self.fail(a, None, f"exactly one of {a}, {b}", "give one of them")

    def known_model(self, field: str, name: str, known: Sequence[str], what: str) -> None:
        """An unknown model warns (or, when strict, fails naming the known ones)."""
        if name in known:
            return
        if self.strict:
            self.fail(
                field, name, _join(known), f"strict mode refuses models the catalog does not know ({what})"
            )
        self.warn(
            f"{field}={name!r} is not in klingkit's catalog for {what} (known: {_join(known)}); sent as given, "
            f"without the model-specific checks (policy {catalog.UNKNOWN_NAME})"
        )


def given(params: Mapping[str, Any], key: str) -> bool:
    """A parameter counts as given unless it is absent, None or an empty string."""
    value = params.get(key)
    return value is not None and value != ""


# --- normalization -------------------------------------------------------------------------------------


def parsed(read: Callable[[], T], fallback: T, c: Checks | None) -> T:
    """``read()``; with a collector ``c``, a refusal it raises is recorded there and ``fallback`` (a
    stand-in no rule judges: the field stands refused) is returned, so the other fields are still checked."""
    if c is None:
        return read()
    try:
        return read()
    except Refusal as r:
        c.record(r)
        return fallback


def as_bool(field: str, value: object, c: Checks | None = None) -> bool:
    """A boolean, accepting ``"true"``/``"false"`` strings (the official multi-shot sample sends strings).
    With ``c``, a refusal is recorded there and False returned (see :func:`parsed`)."""
    return parsed(lambda: _as_bool(field, value), False, c)


def _as_bool(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Refusal(field, value, "true, false")


def as_mode(value: object, field: str = "mode") -> str:
    """``standard``/``professional`` to ``std``/``pro``."""
    if not isinstance(value, str):
        raise Refusal(field, value, _join(C.VIDEO_MODES))
    return catalog.normalize_mode(value)


def as_duration(
    field: str, value: object, c: Checks | None = None, *, integer: bool = True, fallback: float = 0.0
) -> float:
    """Seconds from ``5``, ``5.0`` or ``"5"``; whole seconds unless ``integer`` is False. With ``c``, a
    refusal is recorded there and ``fallback`` returned (see :func:`parsed`)."""
    return parsed(lambda: _as_duration(field, value, integer), fallback, c)


def _as_duration(field: str, value: object, integer: bool) -> float:
    number: float
    if isinstance(value, bool):
        raise Refusal(field, value, "a number of seconds")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise Refusal(field, value, "a number of seconds") from None
    else:
        raise Refusal(field, value, "a number of seconds")
    if integer and not number.is_integer():
        raise Refusal(field, value, "whole seconds")
    return number


# --- suggestions ----------------------------------------------------------------------------------------


def _others(
    pred: Callable[[VideoModel], bool], exclude: str, models: tuple[VideoModel, ...] = C.VIDEO_MODELS
) -> list[str]:
    return [n for n in catalog.models_where(pred, models) if n != exclude]


def _suggest(names: list[str], verb_phrase: str) -> str | None:
    if not names:
        return None
    verb = "allows" if len(names) == 1 else "allow"
    return f"{'/'.join(names)} {verb} {verb_phrase}"


def _pairs(pairs: Iterable[tuple[str, int]]) -> str:
    return _join(f"{m} {d} s" for m, d in pairs) or "none"


def page(page_num: int, page_size: int) -> None:
    """Legacy list queries: ``pageNum`` 1..1000, ``pageSize`` 1..500."""
    c = Checks()
    c.integer("page", page_num, *C.PAGE_NUM)
    c.integer("page_size", page_size, *C.PAGE_SIZE)
