"""The interpreter's half for wire bodies: how :class:`Shape`, :class:`Typed`, :class:`Tally`,
:class:`Items`, :class:`Media`, :class:`MediaTotal` and :class:`Mentions` (:mod:`._vocab_wire`) refuse.
:mod:`._interp` calls :func:`apply_wire` for them and hands it a way to run an item's own rules.

A kind may refuse several times in one call (every item, every broken media limit), so each appends to the
list of refusals rather than raising.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ._base import Refusal
from ._ctx import Ctx, Text
from ._vocab_wire import Items, Media, MediaTotal, Mentions, Shape, Tally, Typed

if TYPE_CHECKING:
    from ._vocab import Rule

WIRE_KINDS = (Shape, Typed, Tally, Items, Media, MediaTotal, Mentions)
"""The kinds this module evaluates."""

_SHAPES: dict[str, tuple[type, str]] = {"object": (Mapping, "an object"), "list": (list, "a list")}

RunInner = Callable[[Sequence["Rule"], Ctx], None]


class _Stop(Exception):
    """A refused rule marked ``stop``: the table ends (caught by the interpreter's entry points)."""


def apply_wire(rule: Rule, x: Ctx, found: list[Refusal], run_inner: RunInner) -> None:
    """Evaluate one wire-body rule on ``x``, appending its refusals to ``found``."""
    f = x.prefix + getattr(rule, "name", "")
    if isinstance(rule, Shape):
        value = x.get(rule.name)
        of, text = _SHAPES[rule.of]
        if (not value and rule.required) or (value and not isinstance(value, of)):
            found.append(Refusal(f, value, rule.allowed or text))
    elif isinstance(rule, Typed):
        types = _types(rule.types, x)
        for i, item in enumerate(_items(x, rule.name)):
            kind = item.get(rule.by) if isinstance(item, Mapping) else None
            if kind not in types:
                found.append(Refusal(f"{f}[{i}].{rule.by}", kind, ", ".join(types)))
    elif isinstance(rule, Tally):
        _tally(rule, x, f, found)
    elif isinstance(rule, Items):
        seen: set[str] = set()
        for i, item in enumerate(_items(x, rule.name)):
            kind = item.get(rule.by) if isinstance(item, Mapping) else None
            if not isinstance(kind, str) or kind not in rule.rules or (rule.first and kind in seen):
                continue
            seen.add(kind)
            assert isinstance(item, Mapping)
            run_inner(rule.rules[kind], replace(x, p=item, prefix=f"{f}[{i}]."))
    elif isinstance(rule, Media):
        _media(rule, x, f, found)
    elif isinstance(rule, MediaTotal):
        known = [x.media.get(f"{f}[{i}]") for i in _typed(x, rule.name, rule.by, _types(rule.types, x))]
        total = sum(facts.seconds or 0.0 for facts in known if facts is not None)
        if total > rule.hi + 1e-6:  # a microsecond of slack for lengths summed in floating point
            found.append(Refusal(f, f"{total:g} s of {rule.what}", f"at most {rule.hi:g} s in all"))
    elif isinstance(rule, Mentions):
        _mentions(rule, x, found)


def _text(t: Text | None, x: Ctx) -> str | None:
    return t if t is None or isinstance(t, str) else t(x)


def _types(types: Sequence[str] | Callable[[Ctx], Sequence[str]], x: Ctx) -> Sequence[str]:
    return types(x) if callable(types) else types


def _items(x: Ctx, name: str) -> list[Any]:
    value = x.get(name)
    return value if isinstance(value, list) else []


def _typed(x: Ctx, name: str, by: str, types: Sequence[str]) -> list[int]:
    return [i for i, it in enumerate(_items(x, name)) if isinstance(it, Mapping) and it.get(by) in types]


def _tally(rule: Tally, x: Ctx, f: str, found: list[Refusal]) -> None:
    at = _typed(x, rule.name, rule.by, _types(rule.types, x))
    n = len(at)
    lo = rule.lo if isinstance(rule.lo, int) else rule.lo(x)
    hi = rule.hi if rule.hi is None or isinstance(rule.hi, int) else rule.hi(x)
    if lo <= n and (hi is None or n <= hi):
        return
    if rule.allowed is not None:
        allowed = rule.allowed if isinstance(rule.allowed, str) else rule.allowed(x) or ""
    elif hi is None:
        allowed = "at least {lo} {what}"
    else:
        allowed = (
            "exactly {lo} {what}" if lo == hi else "at most {hi} {what}" if not lo else "{lo}-{hi} {what}"
        )
    words = {"n": n, "lo": lo, "hi": hi, "what": rule.what, "model": x.model}
    field = x.prefix + (rule.at or rule.name)
    if rule.each and hi is not None and n > hi:
        field = f"{f}[{at[hi]}]"
    found.append(Refusal(field, rule.shown.format(**words), allowed.format(**words)))


def _media(rule: Media, x: Ctx, f: str, found: list[Refusal]) -> None:
    key = _text(rule.key, x) or (x.prefix[:-1] if x.prefix else rule.name)
    facts = x.media.get(key)
    if facts is None:
        return
    why = _text(rule.why, x)

    def refuse(shown: str, allowed: str) -> None:
        found.append(Refusal(f, shown, allowed, why))

    seconds, fps = facts.seconds, facts.fps
    if rule.seconds and seconds is not None and not rule.seconds[0] <= seconds <= rule.seconds[1]:
        refuse(f"{seconds:g} s", f"{rule.what} of {rule.seconds[0]:g}-{rule.seconds[1]:g} s")
    # A hundredth of a frame a second of slack: containers store 24 fps as 23.99... (23.976 is still refused).
    if rule.fps_min is not None and fps is not None and fps + 0.01 < rule.fps_min:
        refuse(f"{fps:g} fps", f"at least {rule.fps_min:g} fps")
    w, h = facts.width, facts.height
    if not (w and h):
        return
    if rule.side and not (rule.side[0] <= w <= rule.side[1] and rule.side[0] <= h <= rule.side[1]):
        refuse(f"{w}x{h}", f"{rule.side[0]}-{rule.side[1]} px a side")
    elif rule.pixels_max is not None and w * h > rule.pixels_max:
        refuse(f"{w}x{h}", f"at most {rule.pixels_max:,} pixels")
    if rule.aspect and not rule.aspect[0] <= w / h <= rule.aspect[1]:
        refuse(f"{w}x{h}", rule.aspect_text)


def _mentions(rule: Mentions, x: Ctx, found: list[Refusal]) -> None:
    ids: list[tuple[str, str]] = []
    for i in _typed(x, rule.items, rule.by, rule.types):
        item_id = _items(x, rule.items)[i].get(rule.key)
        if isinstance(item_id, str) and item_id.strip():
            ids.append((f"{x.prefix}{rule.items}[{i}].{rule.key}", item_id))
    names = [name for _, name in ids]
    seen: set[str] = set()
    for where, name in ids:
        if name in seen:
            found.append(Refusal(where, name, f"an {rule.key} no other item has"))
        seen.add(name)
        for other in names:
            if other != name and other.startswith(name):
                why = f"@{name} would be read inside @{other}"
                found.append(Refusal(where, name, f"an {rule.key} that is not the start of another id", why))
    kinds = " or ".join(rule.types)
    text = rule.text(x)
    for mention in rule.find(text if isinstance(text, str) else ""):
        if mention not in seen:
            allowed = ", ".join(f"@{n}" for n in names) or f"no @ids (no {kinds} items given)"
            article = "an" if kinds[:1] in "aeiou" else "a"
            why = f"every @id must name {article} {kinds}"
            found.append(Refusal(x.prefix + rule.name, f"@{mention}", allowed, why))
