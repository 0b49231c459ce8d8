"""Multi-element video editing as data (§2.14): the task that edits a video through a selection session; one
table, read by the interpreter (:mod:`._interp`). The models, modes, durations and limits are the facts of
:mod:`klingkit.catalog._edit`.

Facts the route derives before the rules run (``Ctx.facts``): ``selections`` (how many points the editing
session holds: a server knows it, a client does not and passes None).
"""

from __future__ import annotations

from typing import Any

from .. import _edit as E
from .._policies import SERVER_STATE
from ._base import _join
from ._drive import media
from ._vocab import Ctx, Each, Field, Refuse, Rule


def _edit_mode(x: Ctx) -> Any:
    return x.p.get("edit_mode")


def _images(x: Ctx) -> Any:
    return x.p.get("image_list") or []


def _puts_in(x: Ctx) -> bool:
    """Addition and swap put an image's subject into the video: they need images and a prompt."""
    return _edit_mode(x) in ("addition", "swap")


def _session(x: Ctx) -> bool:
    value = x.p.get("session_id")
    return isinstance(value, str) and bool(value)


_DURATIONS = {str(d) for d in E.DURATIONS}  # "5" and 5 alike

MULTI_ELEMENTS: tuple[Rule, ...] = (
    Field("model_name", enum=E.MODELS, value=lambda x: x.p.get("model_name") or E.MODELS[0], always=True),
    Refuse("session_id", when=lambda x: not _session(x), allowed="the id init-selection answered"),
    Field("edit_mode", enum=E.EDIT_MODES, always=True),
    Refuse("image_list", when=lambda x: not isinstance(_images(x), list) or len(_images(x)) > E.IMAGES_MAX,
           shown=_images, allowed=f"at most {E.IMAGES_MAX} images"),
    Each("image_list", (media("image"),), when=lambda x: isinstance(x.p.get("image_list"), list)),
    Refuse("image_list", when=lambda x: _puts_in(x) and not _images(x), shown=lambda x: "no image",
           allowed=f"1-{E.IMAGES_MAX} images", why=lambda x: f"{_edit_mode(x)} puts an image's subject in"),
    Refuse("prompt", when=lambda x: _puts_in(x) and not (isinstance(p := x.p.get("prompt"), str) and p),
           allowed="text", why=lambda x: f"{_edit_mode(x)} needs a prompt"),
    Refuse("prompt", when=lambda x: isinstance(p := x.p.get("prompt"), str) and len(p) > E.PROMPT_MAX,
           shown=lambda x: f"{len(x.p['prompt'])} characters", allowed=f"at most {E.PROMPT_MAX} characters"),
    # What only the server knows (policy server-state): swap and removal act on what add-selection selected.
    Refuse("session_id", when=lambda x: _edit_mode(x) in ("swap", "removal") and x["selections"] == 0,
           shown=lambda x: "no selection", allowed="a session with a selection",
           why=lambda x: f"{_edit_mode(x)} needs add-selection first", policy=SERVER_STATE),
    Field("mode", enum=E.MODES, always=True, when=lambda x: x.p.get("mode") is not None),
    Refuse("duration", when=lambda x: (d := x.p.get("duration")) is not None and str(d) not in _DURATIONS,
           allowed=_join(E.DURATIONS)),
)  # fmt: skip
"""``POST /v1/videos/multi-elements`` {``model_name`` kling-v1-6, ``session_id``, ``edit_mode``
addition|swap|removal, ``prompt``, ``image_list`` (addition and swap: 1-4), ``mode`` std|pro, ``duration``
5|10}."""
