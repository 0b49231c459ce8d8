"""The first check of every ``prepare`` call: the parameters are values a JSON request can carry.

Why it exists: the validation rules read fields one by one and assume their values are text, numbers,
lists and objects. A NaN, an infinity, a set, an object nested a thousand levels deep or a list of a
million items must be refused with a ValidationError naming the field, not crash a rule, hang, or pass
validation only to fail when the body is serialised (after money may have moved). Media fields may also
hold bytes, a path or a PIL image: those are allowed by :func:`check_params` (``klingkit._media`` reads
them), and :func:`check_body` makes sure nothing but JSON is left in the body that would be sent.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

from . import catalog
from ._exceptions import ValidationError

__all__ = ["MAX_DEPTH", "MAX_ITEMS", "MAX_TEXT", "check_body", "check_params"]

MAX_DEPTH = 16  # the deepest documented body (omni contents -> settings -> ...) is far shallower
MAX_ITEMS = 10_000  # values in all containers together
# The longest legitimate text is a base64 video input (4/3 of its byte cap) plus some slack.
MAX_TEXT = catalog.VIDEO_INPUT_MAX_BYTES * 4 // 3 + 1024 * 1024
MAX_INT = 2**63 - 1  # what the API's 64-bit integers hold
_KINDS = "text, numbers, true/false, lists and objects (media fields also take bytes, a path or a PIL image)"


def _is_pil(value: object) -> bool:
    return hasattr(value, "save") and hasattr(value, "size") and hasattr(value, "mode")


def _shown(value: Any) -> Any:
    if isinstance(value, (str, bytes, bytearray)) and len(value) > 80:
        return f"<{type(value).__name__} of {len(value)}>"
    return value if isinstance(value, (int, float, str, type(None))) else type(value).__name__


class _Walk:
    def __init__(self, media: bool) -> None:
        self.items = 0
        self.media = media

    def check(self, field: str, value: Any, depth: int) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise ValidationError(field, "<too many values>", f"at most {MAX_ITEMS} values in one request")
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, int):
            if abs(value) > MAX_INT:
                raise ValidationError(field, _shown(value), f"an integer within ±{MAX_INT}")
            return
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(field, repr(value), "a finite number (not NaN or infinity)")
            return
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise ValidationError(field, _shown(value), f"text of at most {MAX_TEXT} characters")
            return
        if isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or _is_pil(value):
            if self.media:
                return  # media: read and checked by klingkit._media; anywhere else check_body refuses it
            raise ValidationError(field, _shown(value), "text, a number, true/false, a list or an object")
        if depth >= MAX_DEPTH:
            raise ValidationError(field, "<nested too deep>", f"at most {MAX_DEPTH} levels of nesting")
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ValidationError(field, _shown(key), "objects whose keys are text")
                self.check(f"{field}.{key}", item, depth + 1)
            return
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                self.check(f"{field}[{i}]", item, depth + 1)
            return
        raise ValidationError(field, _shown(value), _KINDS)


def check_params(params: Mapping[str, Any]) -> None:
    """Raise ValidationError (naming the field, e.g. ``watermark_info.enabled``) unless every value in
    ``params`` can be carried by a JSON request: finite numbers, bounded text, bounded nesting and size."""
    walk = _Walk(media=True)
    for name, value in params.items():
        walk.check(name, value, 0)


def check_body(body: Mapping[str, Any]) -> None:
    """Raise ValidationError unless the built request body is plain JSON (a value that passed the rules
    but cannot be sent, such as bytes in a field that is not media, is refused before anything is sent);
    the field is named by its path in the body."""
    walk = _Walk(media=False)
    for name, value in body.items():
        walk.check(name, value, 0)
