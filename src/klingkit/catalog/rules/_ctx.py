"""What a rule reads (:class:`Ctx`) and the shapes of the small functions tables hold (``Cond``, ``Text``,
``Get``); shared by the rule vocabulary (:mod:`._vocab`, :mod:`._vocab_wire`) and the interpreter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._base import given


@dataclass
class Ctx:
    """What a rule reads: the request, the model it names (and its catalog row), and the facts the route
    derived from it (mode, duration, sound, ...). Named rule kinds leave their wire forms in ``values``."""

    p: Mapping[str, Any]
    model: str = ""
    row: Any = None  # the model's catalog row (VideoModel, NewVideoModel, ImageModel), None when unknown
    mode: str = ""
    duration: float = 0.0
    sound: bool = False
    facts: dict[str, Any] = field(default_factory=dict)  # the route's own derived facts (i2v, frames, ...)
    values: dict[str, Any] = field(default_factory=dict)  # wire forms built by named kinds (camera, shots)
    prefix: str = ""  # inside Each/Items: "video_list[0]."
    media: Mapping[str, Any] = field(default_factory=dict)  # path -> what decoding found (see Media)
    body: Mapping[str, Any] | None = None  # the whole request (``p`` is an item inside Each/Items)

    def __post_init__(self) -> None:
        if self.body is None:
            self.body = self.p

    def get(self, name: str) -> Any:
        """The value at ``name``, a field or a dotted path (``settings.duration``); None when a step is
        absent or not an object."""
        if "." not in name:
            return self.p.get(name)
        value: Any = self.p
        for step in name.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(step)
        return value

    def given(self, name: str) -> bool:
        """The field (or dotted path) is present and not None/empty."""
        if "." not in name:
            return given(self.p, name)
        value = self.get(name)
        return value is not None and value != ""

    def __getitem__(self, name: str) -> Any:
        return self.facts[name]


Cond = Callable[[Ctx], bool]
Text = str | Callable[[Ctx], str | None]
Get = Callable[[Ctx], Any]
