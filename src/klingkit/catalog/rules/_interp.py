"""The one interpreter of the rule tables: evaluate a route's rules against a request, collect every
refusal (not only the first), and build the wire forms of the named kinds (camera, multi-shot).

Each rule runs on its own; a :class:`Refusal` it raises is collected and the next rule runs. A rule is
skipped when a field it reads was already refused (so one bad value gives one refusal, not a cascade) and,
when it reads the model's catalog row, when the catalog does not know the model. A refused rule marked
``stop`` ends the table (the rest would read inside a value of the wrong shape). When anything was refused,
the first refusal is raised carrying them all in ``.all``, in table order. The wire-body kinds are
evaluated in :mod:`._interp_wire`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import partial
from typing import Any

from .. import _data as C
from ._base import Checks, Refusal, _join, _num, as_bool, as_duration, given, raise_all
from ._interp_wire import WIRE_KINDS, _Stop, apply_wire
from ._vocab import (
    Camera,
    Count,
    Ctx,
    Each,
    Exclusive,
    Field,
    Forbid,
    KnownModel,
    Listed,
    MultiShot,
    PerModel,
    Refuse,
    Require,
    RequiresWhen,
    Rule,
    Text,
    Warn,
    When,
    Xor,
)


def run(rules: Sequence[Rule], x: Ctx, c: Checks) -> None:
    """Evaluate ``rules`` on ``x``; raise the first :class:`Refusal` with every refusal in ``.all`` (the
    spellings ``c`` recorded before the rules ran first)."""
    raise_all(refusals(rules, x, c))


def refusals(rules: Sequence[Rule], x: Ctx, c: Checks) -> list[Refusal]:
    """Every refusal of ``rules`` on ``x``, after those ``c`` recorded while parsing (empty: accepted)."""
    found: list[Refusal] = _Found()
    found.extend(c.refused)
    with suppress(_Stop):  # a refused ``stop`` rule ended the table
        _run(rules, x, c, found)
    return found


# The parsed values a named kind reads besides its own fields (``Ctx.model``, ``Ctx.duration``): when their
# spelling was refused (``Checks.refused``) the Ctx holds a stand-in, so the kind is not run on it.
_PARSED: dict[type, tuple[str, ...]] = {KnownModel: ("model_name",), MultiShot: ("duration",)}


def _run(rules: Sequence[Rule], x: Ctx, c: Checks, found: list[Refusal]) -> None:
    for rule in rules:
        if rule.row and x.row is None:
            continue
        names = (*_own(rule), *rule.reads)
        if any(_refused(x.prefix + n, found) for n in names):
            continue
        if not x.prefix and any(_refused(n, c.refused) for n in _PARSED.get(type(rule), ())):
            continue
        before = len(found)
        try:
            _apply(rule, x, c, found)
        except Refusal as r:
            found.append(r)
        if len(found) > before and getattr(rule, "stop", False):
            raise _Stop


def _own(rule: Rule) -> tuple[str, ...]:
    if isinstance(rule, WIRE_KINDS) or (isinstance(rule, Forbid) and rule.present is not None):
        return ()  # they report on items and whole lists, or on presence: only their reads silence them
    if isinstance(rule, Exclusive):
        return tuple(rule.present)
    if isinstance(rule, Xor):
        return (rule.a, rule.b)
    if isinstance(rule, Camera):
        return ("camera_control",)
    if isinstance(rule, MultiShot):
        return ("shot_type", "multi_prompt")
    name = getattr(rule, "name", None)
    return (name,) if isinstance(name, str) else ()


def _refused(name: str, found: list[Refusal]) -> bool:
    """``name`` or a field inside it (``name.x``, ``name[2]``) was refused."""
    if isinstance(found, _Found):
        return found.refused(name)
    return any(r.field == name or r.field.startswith((name + ".", name + "[")) for r in found)


class _Found(list[Refusal]):
    """The refusals so far, with every field's heads indexed (``contents[3].url`` refuses ``contents``,
    ``contents[3]`` and itself): asking whether a field was refused does not rescan the list, so a body of
    thousands of bad items is checked in linear time, not quadratic (3,000 items: 12.8 s before)."""

    def __init__(self) -> None:
        super().__init__()
        self._heads: set[str] = set()
        self._indexed = 0

    def refused(self, name: str) -> bool:
        for r in self[self._indexed :]:
            field = r.field
            self._heads.add(field)
            self._heads.update(field[:i] for i, ch in enumerate(field) if ch in ".[")
        self._indexed = len(self)
        return name in self._heads


def _text(t: Text | None, x: Ctx) -> str | None:
    return t if t is None or isinstance(t, str) else t(x)


def _on(when: Callable[[Ctx], bool] | None, x: Ctx) -> bool:
    return when is None or when(x)


def _apply(rule: Rule, x: Ctx, c: Checks, found: list[Refusal]) -> None:
    f = x.prefix + getattr(rule, "name", "")
    if isinstance(rule, Field):
        if not _on(rule.when, x):
            return
        value = rule.value(x) if rule.value else x.get(rule.name)
        where = _text(rule.where, x) or ""
        if rule.max_len is not None:
            limit = rule.max_len if isinstance(rule.max_len, int) else rule.max_len(x)
            required = rule.required if isinstance(rule.required, bool) else rule.required(x)
            c.text(f, value, limit, required=required, where=where)
        if not (rule.always or (value is not None and value != "")):
            return
        if rule.enum is not None:
            enum = rule.enum if isinstance(rule.enum, Sequence) else rule.enum(x)
            c.one_of(f, value, enum, where=where, suggestion=_text(rule.suggest, x))
        if rule.range is not None:
            c.number(f, value, *rule.range, unit=rule.unit)
        if rule.integer is not None:
            c.integer(f, value, *rule.integer)
        if rule.boolean:
            as_bool(f, value)
    elif isinstance(rule, Forbid):
        present = rule.present(x) if rule.present else x.given(rule.name)
        if present and _on(rule.when, x):
            shown = rule.shown(x) if rule.shown else x.get(rule.name)
            c.fail(f, shown, _text(rule.allowed, x), _text(rule.why, x))
    elif isinstance(rule, Require):
        present = rule.present(x) if rule.present else x.given(rule.name)
        if not present and _on(rule.when, x):
            c.fail(f, None, _text(rule.allowed, x), _text(rule.why, x))
    elif isinstance(rule, RequiresWhen):
        if rule.when(x) and x.get(rule.name) != rule.value:
            shown = rule.shown(x) if rule.shown else x.get(rule.name)
            c.fail(f, shown, str(rule.value), _text(rule.why, x))
    elif isinstance(rule, Refuse):
        if rule.when(x):
            shown = rule.shown(x) if rule.shown else x.get(rule.name)
            raise Refusal(f, shown, _text(rule.allowed, x), _text(rule.why, x), policy=rule.policy)
    elif isinstance(rule, Count):
        if not _on(rule.when, x):
            return
        items = rule.value(x) if rule.value else x.get(rule.name)
        hi = rule.hi if isinstance(rule.hi, int) else rule.hi(x)
        if rule.always:
            c.count(f, items, rule.lo, hi)
        elif listed := c.listed(f, items):
            c.count(f, listed, rule.lo, hi)
    elif isinstance(rule, Listed):
        c.listed(f, x.get(rule.name))
    elif isinstance(rule, Exclusive):
        if _on(rule.when, x):
            c.exclusive({x.prefix + k: v(x) for k, v in rule.present.items()}, rule.why)
    elif isinstance(rule, Xor):
        c.xor(x.prefix + rule.a, x.given(rule.a), x.prefix + rule.b, x.given(rule.b))
    elif isinstance(rule, PerModel):
        _per_model(rule, x, c, f)
    elif isinstance(rule, Warn):
        if rule.when(x):
            c.warn(rule.message(x))
    elif isinstance(rule, KnownModel):
        if (x.model not in rule.known()) if rule.listed else x.row is None:
            c.known_model("model_name", x.model, rule.known(), rule.what)
    elif isinstance(rule, Each):
        if _on(rule.when, x):
            for i, item in enumerate(c.listed(f, x.get(rule.name))):
                if rule.item and not isinstance(item, Mapping):
                    found.append(Refusal(f"{f}[{i}]", item, rule.item))
                    continue
                inner = replace(x, p=item if isinstance(item, Mapping) else {}, prefix=f"{f}[{i}].")
                _run(rule.rules, inner, c, found)
    elif isinstance(rule, When):
        if rule.cond(x):
            _run(rule.rules, x, c, found)
    elif isinstance(rule, Camera):
        if x.given("camera_control"):
            x.values["camera_control"] = camera_control(x.p["camera_control"], c)
    elif isinstance(rule, MultiShot):
        if _on(rule.when, x):
            x.values["multi_prompt"] = multi_shot(x.p, x.duration, c)
    elif isinstance(rule, WIRE_KINDS) and _on(rule.when, x):
        apply_wire(rule, x, found, partial(_run, c=c, found=found))


def _per_model(rule: PerModel, x: Ctx, c: Checks, f: str) -> None:
    if not _on(rule.when, x):
        return
    value = rule.value(x)
    allowed = rule.of(x.row)
    if value in allowed:
        return
    where = _text(rule.where, x) or f"on {x.model}"
    hint = None
    if rule.suggest:
        own = rule.name_of(x.row)
        names = [n for r in rule.rows() if value in rule.of(r) and (n := rule.name_of(r)) and n != own]
        if names:
            hint = f"{'/'.join(names)} {'allows' if len(names) == 1 else 'allow'} {rule.phrase(x)}"
    shown = rule.shown(x) if rule.shown else value
    c.fail(f, shown, f"{_join(allowed)} {where}", hint)


# --- the named kinds that build wire objects --------------------------------------------------------------


def camera_control(value: object, c: Checks) -> dict[str, Any]:
    """Check a camera_control object (or preset name) and return the wire object (all six axes for simple)."""
    if isinstance(value, str):
        if value not in C.CAMERA_PRESETS:
            c.fail("camera_control", value, f"a camera_control object or a preset: {_join(C.CAMERA_PRESETS)}")
        value = dict(C.CAMERA_PRESETS[value])
    if not isinstance(value, Mapping):
        c.fail("camera_control", value, "an object {type, config}")
    ctype = value.get("type")
    c.one_of("camera_control.type", ctype, C.CAMERA_TYPES)
    config = value.get("config")
    if ctype != "simple":
        if config:
            c.fail(
                "camera_control.config", config, "no config", f"config is only for type simple, not {ctype}"
            )
        return {"type": ctype}
    if not isinstance(config, Mapping):
        c.fail("camera_control.config", config, f"an object with one non-zero axis of {_join(C.CAMERA_AXES)}")
    unknown = [k for k in config if k not in C.CAMERA_AXES]
    if unknown:
        c.fail("camera_control.config", unknown[0], _join(C.CAMERA_AXES))
    axes: dict[str, float] = {}
    for axis in C.CAMERA_AXES:
        axes[axis] = c.number(
            f"camera_control.config.{axis}", config.get(axis, 0), C.CAMERA_AXIS_MIN, C.CAMERA_AXIS_MAX
        )
    nonzero = [a for a, v in axes.items() if v != 0]
    if len(nonzero) != 1:
        c.fail(
            "camera_control.config",
            {a: axes[a] for a in nonzero} or "all zero",
            "exactly one non-zero axis",
            "type simple moves along one axis; set the others to 0",
        )
    return {"type": "simple", "config": {a: _int_if_whole(axes[a]) for a in C.CAMERA_AXES}}


def _int_if_whole(x: float) -> float | int:
    return int(x) if x.is_integer() else x


def multi_shot(p: Mapping[str, Any], total: float, c: Checks) -> list[dict[str, Any]] | None:
    """Check shot_type/multi_prompt for ``multi_shot=true``; returns the wire multi_prompt (or None)."""
    shot_type = p.get("shot_type")
    if shot_type is None:
        c.fail("shot_type", None, _join(C.SHOT_TYPES), "shot_type is required when multi_shot is true")
    c.one_of("shot_type", shot_type, C.SHOT_TYPES)
    items = p.get("multi_prompt")
    if shot_type != "customize":
        if items:
            c.fail(
                "multi_prompt",
                f"{len(items)} shots",
                "no multi_prompt",
                "multi_prompt is only for shot_type customize",
            )
        return None
    items = c.count("multi_prompt", items, 1, C.MULTI_SHOT_MAX)
    out: list[dict[str, Any]] = []
    seconds = 0.0
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            c.fail(f"multi_prompt[{i}]", item, "an object {index, prompt, duration}")
        c.text(f"multi_prompt[{i}].prompt", item.get("prompt"), C.MULTI_PROMPT_ITEM_MAX, required=True)
        d = as_duration(f"multi_prompt[{i}].duration", item.get("duration"))
        if not 1 <= d <= total:
            c.fail(
                f"multi_prompt[{i}].duration",
                item.get("duration"),
                f"1 to {_num(total)} seconds (the total duration)",
            )
        seconds += d
        out.append({"index": item.get("index", i + 1), "prompt": item["prompt"], "duration": _num(d)})
    if seconds != total:
        c.fail(
            "multi_prompt",
            f"shots that add up to {_num(seconds)} s",
            f"shots summing to duration={_num(total)} s",
        )
    return out


__all__ = ["Ctx", "camera_control", "given", "multi_shot", "refusals", "run"]
