"""Image 4.0's and Long Image 4.0's rules as data (``kling-2026-h2.md`` §2), on the body as sent to
``/omni-image/{model}``: ``options``, ``settings`` and typed ``contents[]`` items. The facts they read
(models, item types, limits, skills) are in :mod:`klingkit.catalog._image4`; the route gives the body as
``Ctx.p`` and the model's catalog name as ``Ctx.model``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from .._image4 import (
    ASPECT_RATIOS,
    CONTENT_TYPES,
    ECOMMERCE_REFS,
    LONG,
    MODELS,
    N_RANGE,
    PROMPT_MAX_ENGLISH,
    PROMPT_MAX_OTHER,
    REFERENCES_MAX,
    RESOLUTIONS,
    RESULT_TYPES,
    SERIES_AMOUNT,
    SKILLS,
    canonical,
)
from .._kling4 import REFUSED_OPTIONS
from ._ctx import Ctx
from ._vocab import Each, Field, Forbid, Refuse, Rule, Shape, Tally, When

# --- what the rules read from the body (no rule here: the tables below state them) ------------------------


def _text(value: Any) -> bool:
    """A non-empty string (a URL or raw base64 data, an id, a prompt)."""
    return isinstance(value, str) and bool(value)


def _whole(value: Any, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def _items(x: Ctx, kind: str) -> list[Mapping[str, Any]]:
    contents = x.p.get("contents")
    listed = contents if isinstance(contents, list) else []
    return [item for item in listed if isinstance(item, Mapping) and item.get("type") == kind]


def _prompt(x: Ctx) -> Any:
    """The text of the one prompt item (None without exactly one: the prompt count refuses that)."""
    prompts = _items(x, "prompt")
    return prompts[0].get("text") if len(prompts) == 1 else None


def _one_prompt(x: Ctx) -> bool:
    return len(_items(x, "prompt")) == 1


def _prompt_max(x: Ctx) -> int:
    # "English" is taken as plain ASCII text: any other character applies the lower limit (L).
    text = _prompt(x)
    return PROMPT_MAX_ENGLISH if isinstance(text, str) and text.isascii() else PROMPT_MAX_OTHER


def _sent(name: str, x: Ctx) -> bool:
    """The setting is in the body (an empty string too: the wire has no default to fall back on)."""
    return x.get(f"settings.{name}") is not None


def _option(key: str, x: Ctx) -> bool:
    options = x.p.get("options")
    return isinstance(options, Mapping) and key in options  # sent as null is sent


def _series(x: Ctx) -> bool:
    return bool(x.get("settings.result_type") == "series")


def _skill(skill: str, x: Ctx) -> bool:
    return bool(x.get("settings.skill") == skill)


# --- the tables --------------------------------------------------------------------------------------------

_ITEM: tuple[Rule, ...] = (
    Field("type", enum=lambda x: CONTENT_TYPES[x.model], always=True),
    Refuse("url", when=lambda x: x.p.get("type") not in ("prompt", "element") and not _text(x.p.get("url")),
           allowed="a URL or raw base64 data", reads=("type",)),
    Refuse("element_id", when=lambda x: x.p.get("type") == "element" and not _text(x.p.get("element_id")),
           allowed="an element id (a string)", reads=("type",)),
)  # fmt: skip
"""One ``contents[]`` item: a type the model takes, a reference image's ``url``, an element's id."""

_WEBPAGE: tuple[Rule, ...] = (
    *(Tally("contents", (kind,), hi=1, at=f"contents[type={kind}]", shown="{n} items",
            allowed=f"at most one {kind}") for kind in ("style_refer_image", "subject_refer_image")),
    Refuse("contents[type=refer_image]", when=lambda x: bool(_items(x, "refer_image")),
           shown=lambda x: "refer_image", allowed="style_refer_image, subject_refer_image",
           why="the webpage skill takes a style and a subject reference"),
)  # fmt: skip
"""Long Image 4.0's webpage skill: at most one style and one subject reference, no plain reference."""

_ECOMMERCE: tuple[Rule, ...] = (
    Tally("contents", ("refer_image",), lo=ECOMMERCE_REFS[0], hi=ECOMMERCE_REFS[1],
          what="refer_image items", at="contents[type=refer_image]"),
    Tally("contents", ("style_refer_image", "subject_refer_image"), hi=0,
          at="contents[type=style_refer_image]", shown="given", allowed="refer_image items only (ecommerce)"),
)  # fmt: skip
"""Long Image 4.0's ecommerce skill: 1-3 plain references, no style or subject reference."""

_IMAGE: tuple[Rule, ...] = (
    # Decision (M): a skill is Long Image 4.0's (§2 lists it there only); on Image 4.0 it would be ignored,
    # so it is refused naming the model that takes it rather than sent for nothing.
    Forbid("settings.skill", "absent on Image 4.0", why=f"the webpage and ecommerce skills are {LONG}'s",
           present=partial(_sent, "skill")),
    Tally("contents", ("refer_image", "element"), hi=REFERENCES_MAX, what="references and elements",
          at="contents[type=refer_image]", allowed="at most {hi} in all"),
    Refuse("settings.n", when=lambda x: _sent("n", x) and not _whole(x.get("settings.n"), *N_RANGE),
           allowed=f"an integer {N_RANGE[0]}-{N_RANGE[1]}"),
    Field("settings.result_type", enum=RESULT_TYPES, always=True, when=partial(_sent, "result_type")),
    Refuse("settings.series_amount", when=lambda x: _sent("series_amount", x) and not _series(x),
           allowed="absent", why="needs result_type series"),
    Refuse("settings.series_amount", when=lambda x: x.get("settings.series_amount") not in (None, "auto")
           and not _whole(x.get("settings.series_amount"), *SERIES_AMOUNT),
           allowed=f"auto or {SERIES_AMOUNT[0]}-{SERIES_AMOUNT[1]}"),
    # One refusal a field: an n refused above (not an integer 1-9) is not refused again for the series.
    Refuse("settings.n", when=lambda x: _series(x) and x.get("settings.n") not in (None, 1),
           allowed="absent or 1 with result_type series"),
)  # fmt: skip
"""Image 4.0: references and elements together, how many images, a series."""

IMAGE4: tuple[Rule, ...] = (
    Refuse("model", when=lambda x: canonical(x.model) is None, shown=lambda x: x.model,
           allowed=", ".join(MODELS), stop=True),
    *(Forbid(f"options.{key}", "absent", why=lambda x: f"{x.model} takes none", present=partial(_option, key))
      for key in REFUSED_OPTIONS),
    Shape("settings", "object", stop=True),
    Shape("contents", "list", "a non-empty array of typed items", required=True),
    Each("contents", _ITEM),
    Tally("contents", ("prompt",), lo=1, hi=1, shown="{n} prompt items",
          allowed="exactly one {{type: prompt, text}} item"),
    Refuse("prompt", when=lambda x: _one_prompt(x) and not _text(_prompt(x)), shown=_prompt, allowed="text"),
    Refuse("prompt", when=lambda x: _text(_prompt(x)) and len(_prompt(x)) > _prompt_max(x),
           shown=lambda x: f"{len(_prompt(x))} characters",
           allowed=lambda x: f"at most {_prompt_max(x)} characters"),
    Field("settings.aspect_ratio", enum=ASPECT_RATIOS, always=True, when=partial(_sent, "aspect_ratio")),
    Field("settings.resolution", enum=RESOLUTIONS, always=True, when=partial(_sent, "resolution")),
    When(lambda x: x.model == LONG, (
        Field("settings.skill", enum=SKILLS, always=True),
        When(partial(_skill, "webpage"), _WEBPAGE),
        When(partial(_skill, "ecommerce"), _ECOMMERCE),
    )),
    When(lambda x: x.model != LONG, _IMAGE),
)  # fmt: skip
"""``/omni-image/{model}`` (Image 4.0 and Long Image 4.0): an unknown model ends the table; the options 4.0
refuses; ``settings`` an object (else nothing more is read); the items, the one prompt, the settings; then
the model's own rules."""
