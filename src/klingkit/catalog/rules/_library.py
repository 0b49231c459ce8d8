"""The elements and voices library as data (§2.14, §3.2): creating a custom element and a custom voice; one
table per route, read by the interpreter (:mod:`._interp`). The limits and enums are the facts of
:mod:`klingkit.catalog._library`.

What the route gives the rules besides the body: ``Ctx.media["sample"]``, what decoding found of the voice
sample (a side that could not read it leaves it out, and the length rule stays silent).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from .. import _library as L
from ._drive import absent
from ._vocab import Ctx, Each, Field, Media, Refuse, Rule


def name_text(name: str, limit: int, *, required: bool = False) -> tuple[Rule, ...]:
    """A text of 1-``limit`` characters (its length shown when too long); ``required``: it must be given."""
    allowed = f"text of 1-{limit} characters"
    return (
        Refuse(name, when=lambda x: required and absent(x.p.get(name)), allowed=allowed, why="required"),
        Refuse(name, when=partial(_too_long_or_no_text, name, limit), shown=partial(_shown, name),
               allowed=allowed),
    )  # fmt: skip


def _too_long_or_no_text(name: str, limit: int, x: Ctx) -> bool:
    value = x.p.get(name)
    return not absent(value) and not (isinstance(value, str) and len(value) <= limit)


def _shown(name: str, x: Ctx) -> Any:
    value = x.p[name]
    return f"{len(value)} characters" if isinstance(value, str) else value


def _images(x: Ctx) -> int:
    refs = x.p.get("references")
    return len(refs) if isinstance(refs, list) else 0


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


_REFS = L.ELEMENT_REFERENCES

CUSTOM_ELEMENT: tuple[Rule, ...] = (
    *name_text("name", L.NAME_MAX, required=True),
    *name_text("description", L.DESCRIPTION_MAX),
    Field("element_type", enum=L.ELEMENT_TYPES, always=True,
          when=lambda x: x.p.get("element_type") is not None),
    Refuse("references", when=lambda x: not isinstance(x.p.get("references"), list)
           or not _REFS[0] <= _images(x) <= _REFS[1],
           shown=lambda x: f"{_images(x)} images", allowed=f"{_REFS[0]}-{_REFS[1]} images"),
    Each("references", (
        Refuse("image_url", when=lambda x: not isinstance(x.p.get("image_url"), str) or not x.p["image_url"],
               allowed="a URL or raw base64 image"),
    )),
    Refuse("tags", when=lambda x: x.p.get("tags") is not None and not _strings(x.p["tags"]),
           allowed="a list of strings"),
)  # fmt: skip
"""``POST /v1/general/advanced-custom-elements`` {``name``, ``description``, ``element_type``,
``references`` [{``image_url``}] (1-4), ``tags``}."""


def _has(name: str, x: Ctx) -> bool:
    return bool(x.p.get(name))


CUSTOM_VOICE: tuple[Rule, ...] = (
    *name_text("name", L.NAME_MAX, required=True),
    Refuse("audio_url/audio_file", when=lambda x: _has("audio_url", x) == _has("audio_file", x),
           shown=lambda x: "both" if _has("audio_url", x) else "neither", allowed="exactly one voice sample"),
    # The sample's length, known to a side that decoded the audio.
    Media("audio_file", what="a sample", seconds=L.VOICE_SAMPLE_SECONDS, key="sample"),
)  # fmt: skip
"""``POST /v1/general/custom-voices`` {``name``, ``audio_url`` or ``audio_file`` (a 5-30 s sample)}."""
